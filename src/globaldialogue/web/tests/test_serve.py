"""`globaldialogue serve` as operators run it: with its embedded worker, and in the
production shape (web with --no-worker, `globaldialogue worker` on RQ through Redis)."""

import httpx

from globaldialogue.lib.perturb import MOST
from globaldialogue.results.models import Tally
from globaldialogue.surveys.models import Response
from globaldialogue.testing import payload

URL = "/api/surveys/un75/responses"


def test_serve_runs_the_background_worker_that_tallies(start_server, un75):
    server = start_server(worker=True)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for _ in range(12):
            assert http.post(URL, json=payload()).status_code == 201
        import time

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # counted, then released (ten new: a release)
            body = http.get("/api/surveys/un75/results?lang=en").json()
            if body["release"] is not None:
                break
            time.sleep(0.3)
    assert not Response.objects.filter(tallied_at__isnull=True).exists()
    assert (
        Tally.objects.get(survey=un75, question="", option="", dimension="", value="").count == 12
    )
    assert body["release"]["number"] == 1 and abs(body["total"] - 12) <= MOST


def test_production_shape_web_and_rq_worker_processes(start_server, un75, redis_url):
    """Web with --no-worker, and `globaldialogue worker` on RQ, talking through Redis."""
    import subprocess
    import sys
    import time

    server = start_server(tasks="rq", extra_env={"REDIS_URL": redis_url})
    worker = subprocess.Popen(
        [sys.executable, "-m", "globaldialogue", "worker"], env=server.env, start_new_session=True
    )
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            for _ in range(7):
                assert http.post(URL, json=payload()).status_code == 201
        deadline = time.monotonic() + 30
        while (
            time.monotonic() < deadline
            and Response.objects.filter(tallied_at__isnull=True).exists()
        ):
            time.sleep(0.3)
        assert not Response.objects.filter(tallied_at__isnull=True).exists()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert Tally.objects.get(survey=un75, question="", option="", dimension="", value="").count == 7
