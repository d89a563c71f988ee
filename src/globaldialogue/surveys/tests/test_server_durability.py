"""Against a real server process: a 2xx means committed, whatever happens next."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from globaldialogue.surveys.models import Response
from globaldialogue.testing import payload

URL = "/api/surveys/un75/responses"


def test_acknowledged_responses_survive_sigkill(start_server, un75):
    server = start_server()
    bodies = [payload() for _ in range(600)]
    acknowledged: dict[str, str] = {}
    enough = threading.Event()

    def client(share: list[dict]) -> None:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            for body in share:
                try:
                    reply = http.post(URL, json=body)
                except httpx.TransportError:
                    return  # the server is gone
                if reply.status_code in (200, 201):
                    acknowledged[body["id"]] = reply.json()["receipt"]
                    if len(acknowledged) >= 100:
                        enough.set()

    threads = [threading.Thread(target=client, args=(bodies[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    assert enough.wait(60), "the server acknowledged too few responses"
    server.kill()
    for thread in threads:
        thread.join()
    acked = set(acknowledged)
    assert len(acked) < len(bodies), "the kill came too late to test anything"

    assert Response.objects.filter(id__in=acked).count() == len(acked)
    restarted = start_server()
    with httpx.Client(base_url=restarted.url, timeout=10) as http:
        replies = {body["id"]: http.post(URL, json=body) for body in bodies}
    for response_id, receipt in acknowledged.items():
        assert replies[response_id].status_code == 200  # already stored: a retry
        assert replies[response_id].json()["receipt"] == receipt
    assert {r.status_code for r in replies.values()} <= {200, 201}
    assert Response.objects.count() == len(bodies)


def test_fifty_clients_resending_the_same_ids_count_each_once(start_server, un75):
    server = start_server()
    bodies = [payload(language="ar") for _ in range(20)]

    def client(_: int) -> list[tuple[str, int, str]]:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            return [
                (b["id"], (r := http.post(URL, json=b)).status_code, r.json()["receipt"])
                for b in bodies
            ]

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = [item for batch in pool.map(client, range(50)) for item in batch]
    assert Response.objects.count() == 20
    created = [r for r in results if r[1] == 201]
    assert sorted(r[0] for r in created) == sorted(b["id"] for b in bodies)
    assert {r[1] for r in results} == {200, 201}
    receipts = {r[0]: r[2] for r in created}
    assert all(receipts[rid] == receipt for rid, _status, receipt in results)


def test_every_answer_other_than_success_comes_from_the_documented_endpoint(start_server, un75):
    """Group commit answers 201 and 200 itself; the rest must be the API's own replies."""
    server = start_server()
    body = payload()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        assert http.post(URL, json=body).status_code == 201
        assert http.post(URL, json=body).json()["id"] == body["id"]
        changed = {**body, "answers": {"future_outlook": "worse"}}
        assert http.post(URL, json=changed).status_code == 409
        invalid = http.post(URL, json=payload({"trends": ["a", "b", "c", "d"]}))
        assert invalid.status_code == 422
        assert invalid.json()["errors"]["trends"][0]["code"] == "unknown_option"
        broken = http.post(URL, content=b'{"id":', headers={"content-type": "application/json"})
        assert broken.status_code == 422
        assert http.post("/api/surveys/nope/responses", json=payload()).status_code == 404
        big = payload({"advice": "x" * 100_000})
        assert http.post(URL, json=big).status_code == 422
    assert Response.objects.count() == 1
