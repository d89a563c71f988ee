"""The production topology, end to end through nginx (operations/tests/production.py):
what lands lands once, live pages and rooms work across web processes, rate limits are
shared, and neither a killed web process nor a killed worker loses anything."""

import asyncio
import json
import re
import ssl
import threading
import time
import uuid

import pytest
import websockets

from globaldialogue.operations.tests.production import drop_site, start_site
from globaldialogue.testing import payload, run

RESPONSES = "/api/surveys/un75/responses"
HTTPS = {"X-Forwarded-Proto": "https"}  # what nginx tells a web process reached directly


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    site = start_site(tmp_path_factory.mktemp("production"))
    yield site
    drop_site(site)


def _votes(site):
    return f"/api/conversations/{site.data['conversation']}/votes"


def _submit_until_acknowledged(client, item, attempts=20):
    """A client's retry loop: the same response (same id) until a 2xx says it is stored."""
    for _ in range(attempts):
        try:
            reply = client.post(RESPONSES, json=item)
            if reply.status_code in (200, 201):
                return reply.json()
        except Exception:  # noqa: S110 - the connection dropped: try again
            pass
        time.sleep(0.2)
    raise AssertionError(f"never acknowledged: {item['id']}")


def test_both_web_processes_answer_behind_nginx(production_site):
    with production_site.client() as client:
        pids = {client.get("/healthz").json()["pid"] for _ in range(6)}
        home = client.get("/", headers={"Accept-Encoding": "gzip"})
        script = client.get("/static/deliberation/conversation.js")
        assert client.get("/metrics").status_code == 404  # never through the proxy
    assert len(pids) == 2
    assert home.status_code == 200 and home.headers["x-request-id"]
    assert script.status_code == 200 and "max-age=86400" in script.headers["cache-control"]


def test_responses_and_votes_land_exactly_once(production_site):
    site = production_site
    items = [payload() for _ in range(30)]
    xids, statements = site.data["xids"], site.data["statements"]
    votes = [
        {"xid": xid, "xid_sig": sig, "statement": statement, "vote": (i + j) % 3 - 1}
        for i, (xid, sig) in enumerate(list(xids.items())[:10])
        for j, statement in enumerate(statements[:5])
    ]
    with site.client() as client:
        for item in items + items[:10]:  # ten sent twice, as a client retrying would
            assert client.post(RESPONSES, json=item).status_code in (200, 201)
        for vote in votes + votes[:20]:
            assert client.post(_votes(site), json=vote).status_code == 200
    ids = [item["id"] for item in items]
    stored = site.sql("SELECT count(*) FROM surveys_response WHERE id = ANY(%s::uuid[])", ids)
    assert stored[0][0] == 30
    [(rows,)] = site.sql(
        "SELECT count(*) FROM deliberation_vote v JOIN deliberation_conversation c "
        "ON c.id = v.conversation_id WHERE c.slug = %s",
        site.data["conversation"],
    )
    assert rows == 50


def test_a_map_page_on_one_process_sees_votes_sent_to_the_other(production_site):
    site = production_site
    first, second = site.web_ports
    slug = site.data["conversation"]
    xids, statements = list(site.data["xids"].items())[10:30], site.data["statements"]

    async def scenario():
        origin = {"Origin": f"https://127.0.0.1:{site.https_port}"}
        direct = await websockets.connect(
            f"ws://127.0.0.1:{first}/ws/c/{slug}/", additional_headers=origin
        )
        proxied = await websockets.connect(
            f"wss://127.0.0.1:{site.https_port}/ws/c/{slug}/",
            additional_headers=origin,
            ssl=_trust_anything(),
        )
        before = [json.loads(await socket.recv()) for socket in (direct, proxied)]
        await asyncio.to_thread(_vote_directly, site, second, xids, statements)
        after = [await _next_map(socket, before[0]["id"]) for socket in (direct, proxied)]
        for socket in (direct, proxied):
            await socket.close()
        return before, after

    before, after = run(scenario)
    assert after[0]["id"] != before[0]["id"] and after[0]["votes"] > before[0]["votes"]
    assert after[1]["id"] == after[0]["id"]


def _vote_directly(site, port, xids, statements):
    import httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=HTTPS, timeout=15) as client:
        for xid, sig in xids:
            for statement in statements[:6]:
                vote = {"xid": xid, "xid_sig": sig, "statement": statement, "vote": 1}
                assert client.post(_votes(site), json=vote).status_code == 200


async def _next_map(socket, old_id, within=60):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=within))
        if message.get("type") == "map" and message["id"] != old_id:
            return message
    raise AssertionError("the map never moved")


def _trust_anything():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def test_room_members_on_different_processes_reach_each_other(production_site):
    site = production_site
    first, second = site.web_ports
    (amina_id, amina), (li_id, li) = site.data["rooms"]["Amina"], site.data["rooms"]["Li Wei"]
    origin = {"Origin": f"https://127.0.0.1:{site.https_port}"}

    async def until(socket, wanted):
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=20))
            if wanted(message):
                return message

    async def scenario():
        a = await websockets.connect(
            f"ws://127.0.0.1:{first}/ws/room/?token={amina}", additional_headers=origin
        )
        b = await websockets.connect(
            f"ws://127.0.0.1:{second}/ws/room/?token={li}", additional_headers=origin
        )
        await until(b, lambda m: m["type"] == "welcome")
        joined = await until(a, lambda m: m["type"] == "joined" and m["member"] == li_id)
        await a.send(json.dumps({"type": "signal", "to": li_id, "data": {"sdp": "offer"}}))
        signal = await until(b, lambda m: m["type"] == "signal")
        await b.send(json.dumps({"type": "hand", "raised": True}))
        state = await until(a, lambda m: m["type"] == "state" and m["queue"])
        await a.close()
        await b.close()
        return joined, signal, state

    joined, signal, state = run(scenario)
    assert joined["member"] == li_id
    assert signal == {"type": "signal", "from": amina_id, "data": {"sdp": "offer"}}
    assert state["queue"] == [li_id]


def test_a_request_id_from_nginx_reaches_the_task_it_queued(production_site):
    """nginx makes the request id (deploy/nginx/proxy-headers.conf), the web process answers
    it and hands it to the tally it queues, whose lines in the worker's log carry it."""
    site = production_site
    time.sleep(3)  # past the tally's 2 s debounce: this response queues a tally of its own
    with site.client() as client:
        reply = client.post(RESPONSES, json=payload(), headers={"X-Request-ID": "not-nginx's"})
    request_id = reply.headers["x-request-id"]
    assert reply.status_code == 201 and re.fullmatch(r"[0-9a-f]{32}", request_id)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and request_id not in site.worker_log():
        time.sleep(0.3)
    lines = [json.loads(line) for line in site.worker_log().splitlines() if request_id in line]
    assert any(line["message"] == "task" and line["task"] == "tally_task" for line in lines)


def test_rate_limits_are_shared_by_the_web_processes(production_site):
    """Five withdrawal attempts per network and hour, whichever process answers."""
    site = production_site
    page = "/s/un75/withdraw/"
    with site.client() as client:
        statuses = [client.post(page, data={"receipt": "NOPE-NOPE"}).status_code for _ in range(8)]
    assert statuses.count(429) == 3, statuses


def test_a_web_process_killed_mid_load_loses_no_acknowledged_response(production_site):
    site = production_site
    items = [payload() for _ in range(120)]
    acknowledged: list[str] = []

    def client_thread(share):
        with site.client() as client:
            for item in share:
                _submit_until_acknowledged(client, item)
                acknowledged.append(item["id"])

    threads = [threading.Thread(target=client_thread, args=(items[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    while len(acknowledged) < 30:
        time.sleep(0.01)
    victim = site.web_ports[0]
    site.kill(site.web[victim])  # SIGKILL, in the middle of the load
    for thread in threads:
        thread.join(timeout=120)
    assert len(acknowledged) == 120
    ids = [str(uuid.UUID(i)) for i in acknowledged]
    [(stored,)] = site.sql("SELECT count(*) FROM surveys_response WHERE id = ANY(%s::uuid[])", ids)
    assert stored == 120
    site.start_web(victim)


def test_a_task_of_a_killed_worker_is_handed_back_and_done(production_site, tmp_path):
    import subprocess
    import sys

    site = production_site
    marker = tmp_path / "marker"
    enqueue = (
        "import django; django.setup();"
        "from globaldialogue.operations.tests.slowtasks import slow_mark;"
        f"print(slow_mark.enqueue({str(marker)!r}, 3).id)"
    )
    env = {**site.env, "DJANGO_SETTINGS_MODULE": "globaldialogue.settings"}
    done = subprocess.run([sys.executable, "-c", enqueue], env=env, check=True, capture_output=True)
    job_id = done.stdout.decode().strip().splitlines()[-1]
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), "no worker started the task"
    busy = [w for w in site.workers if w.pid == _worker_pid(job_id)]
    assert len(busy) == 1
    site.kill(busy[0])
    deadline = time.monotonic() + 60
    while "done" not in marker.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.read_text() == "started\nstarted\ndone\n"
    site.start_worker()


def _worker_pid(job_id):
    """The worker RQ says runs the job: workers are named host-pid (operations/actions.py)."""
    import redis
    from rq.job import Job

    from globaldialogue.operations.tests.production import REDIS

    job = Job.fetch(job_id, connection=redis.Redis.from_url(REDIS))
    return int(job.worker_name.rsplit("-", 1)[1])
