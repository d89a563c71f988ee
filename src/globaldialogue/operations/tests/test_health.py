"""What a load balancer and Prometheus see: /healthz, /readyz and /metrics."""

import re
from pathlib import Path

from django.test import Client, override_settings

from globaldialogue.operations.actions import forget_heartbeat, record_heartbeat
from globaldialogue.surveys.actions import Submission, submit_responses
from globaldialogue.testing import payload

REPOSITORY = Path(__file__).resolve().parents[4]
MONITOR = {"REMOTE_ADDR": "127.0.0.1"}  # Prometheus on the web host itself


def _submit(survey, count):
    items = [payload() for _ in range(count)]
    submissions = [
        Submission(id=i["id"], answers=i["answers"], language=i["language"]) for i in items
    ]
    submit_responses(survey=survey, submissions=submissions, channel="api")


def test_healthz_answers_without_asking_any_store(db):
    assert Client().get("/healthz").json()["ok"] is True


@override_settings(TASKS_BACKEND="database")  # the suite runs tasks in the request
def test_readyz_names_each_check_and_wants_a_live_worker(db):
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert set(checks) == {"database", "migrated", "redis", "worker", "backlog"}
    assert checks["database"]["ok"] and checks["migrated"]["ok"] and checks["backlog"]["ok"]
    assert checks["worker"] == {**checks["worker"], "ok": False, "alive": 0}

    record_heartbeat(kind="worker", name="worker-host-1")
    response = Client().get("/readyz")
    assert response.status_code == 200 and response.json()["ready"] is True

    forget_heartbeat(name="worker-host-1")
    assert Client().get("/readyz").status_code == 503


def test_readyz_fails_while_the_tally_is_too_far_behind(un75):
    record_heartbeat(kind="worker", name="worker-host-1")
    _submit(un75, 3)
    with override_settings(READY_BACKLOG_LIMIT=3):
        body = Client().get("/readyz").json()
    assert body["ready"] is False
    assert body["checks"]["backlog"]["responses"] == 3 and not body["checks"]["backlog"]["ok"]


def test_metrics_to_this_machine_or_the_token_holder_only(un75):
    _submit(un75, 2)
    text = Client().get("/metrics", **MONITOR).content.decode()
    assert "gd_untallied_responses 2.0" in text
    assert 'gd_responses_stored_total{channel="api"}' in text
    assert "gd_task_queue_depth" in text and "gd_tally_lag_seconds" in text

    assert Client().get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    forwarded = {**MONITOR, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert Client().get("/metrics", **forwarded).status_code == 404  # through the proxy
    with override_settings(METRICS_TOKEN="s3cret-scraper"):
        outside = {"REMOTE_ADDR": "203.0.113.9"}
        bearer = {**outside, "HTTP_AUTHORIZATION": "Bearer s3cret-scraper"}
        assert Client().get("/metrics", **bearer).status_code == 200
        wrong = {**outside, "HTTP_AUTHORIZATION": "Bearer guess"}
        assert Client().get("/metrics", **wrong).status_code == 404


def test_the_grafana_dashboard_reads_only_metrics_that_exist(db):
    dashboard = (REPOSITORY / "deploy/grafana/globaldialogue.json").read_text()
    used = {name.removesuffix("_bucket") for name in re.findall(r"gd_[a-z_]+", dashboard)}
    text = Client().get("/metrics", **MONITOR).content.decode()
    assert used and {name for name in used if f" {name} " not in text} == set()
