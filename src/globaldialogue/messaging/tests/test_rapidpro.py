"""U-Report Nigeria runs its own RapidPro flow for UN75. Its runs come in through the flow's
webhook (RapidPro's default body, the partner's key) and through a poller of RapidPro's
runs API with the `after` cursor (a local server implementing it), which fills what the
webhook missed; a run is stored once whichever way it comes, with channel `rapidpro`."""

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from globaldialogue.accounts import actions as account_actions
from globaldialogue.accounts.models import Scope
from globaldialogue.messaging import rapidpro_actions
from globaldialogue.messaging.models import RapidProRun
from globaldialogue.messaging.tests.providers import RapidPro
from globaldialogue.messaging.tests.runs import api_run, result, webhook_body
from globaldialogue.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db

FLOW = "5f3a2b9c-1d4e-4f60-8a7b-9c0d1e2f3a4b"


@pytest.fixture
def ureport_key(un75: Survey) -> str:
    """U-Report Nigeria's partner key for UN75."""
    _key, secret = account_actions.create_api_key(
        name="U-Report Nigeria", consultation=un75.consultation, scopes=[Scope.RESPONSES]
    )
    return secret


@pytest.fixture
def rapidpro() -> Any:
    server = RapidPro().start()
    yield server
    server.stop()


@pytest.fixture
def flow(un75: Survey, rapidpro: RapidPro) -> Any:
    return rapidpro_actions.connect_flow(
        survey=un75,
        flow_uuid=FLOW,
        name="UN75 by SMS",
        language="en",
        api_url=rapidpro.url,
        api_token=rapidpro.token,
        mapping={"age": "age_group", "hopes": "world_2045"},
    )


def post(key: str, body: Any) -> Any:
    return Client().post(
        "/api/surveys/un75/rapidpro",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_a_ureport_run_comes_in_by_its_webhook_and_is_stored_once(
    flow: Any, ureport_key: str
) -> None:
    run = str(uuid.uuid4())
    results = {
        "future_outlook": result("Future Outlook", "better", "Better off"),  # by its label
        "hopes": result("Hopes", "2 5"),  # mapped; numbers of options
        "age": result("Age", "16 to 30", "3"),  # mapped; by its number
        "cooperation": result("Cooperation", "banana", "Other"),  # matches nothing: left out
        "country": result("Country", "Nigeria"),
        "advice": result("Advice", "Listen to young people"),
        "rp_opt_in": result("Opt In", "yes", "Yes"),  # the flow's own: ignored
    }
    answer = post(ureport_key, webhook_body(FLOW, run, results))
    assert answer.status_code == 201, answer.content
    response = Response.objects.get()
    assert response.channel == "rapidpro" and answer.json()["receipt"] == response.receipt
    assert response.answers == {
        "future_outlook": "better",
        "world_2045": ["less_conflict", "less_discrimination"],
        "age_group": "31_45",
        "country": "NG",
        "advice": "Listen to young people",
    }
    kept = RapidProRun.objects.get()
    assert kept.unread == ["cooperation"] and set(kept.payload["contact"]) == {"uuid"}
    again = post(ureport_key, webhook_body(FLOW, run, results))
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert Response.objects.count() == 1


def test_webhooks_that_cannot_be_taken_in_are_refused_in_one_sentence(
    flow: Any, ureport_key: str
) -> None:
    body = webhook_body(FLOW, str(uuid.uuid4()), {"advice": result("Advice", "More")})
    assert post("gd_wrong", body).status_code == 401
    elsewhere = webhook_body(str(uuid.uuid4()), str(uuid.uuid4()), {})
    assert post(ureport_key, elsewhere).json()["detail"].startswith("This flow is not connected")
    assert post(ureport_key, {**body, "run": {"uuid": "x"}}).status_code == 422
    assert post(ureport_key, [1, 2]).status_code == 422
    nothing = webhook_body(FLOW, str(uuid.uuid4()), {"cooperation": result("C", "banana")})
    refused = post(ureport_key, nothing)
    assert refused.status_code == 422 and "nothing was stored" in refused.json()["detail"]
    assert Response.objects.count() == 0


def test_the_poller_fills_what_the_webhook_missed_with_duplicates_and_gaps(
    flow: Any, ureport_key: str, rapidpro: RapidPro
) -> None:
    """A thousand runs: 60 % reached the webhook (some twice), the rest only RapidPro has;
    some are still active when first polled and end later. Each ended run is one response."""
    rng = random.Random(75)
    start = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    runs = []
    for n in range(1000):
        run = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        values = {
            "future_outlook": result("Future", rng.choice(["1", "2", "3"])),
            "age": result("Age", rng.choice(["1", "2", "3", "4"])),
        }
        runs.append((run, values, start + timedelta(seconds=n), n % 10 != 0))  # 1 in 10 active
    for run, values, _when, ended in runs:
        if ended and rng.random() < 0.6:
            for _ in range(rng.choice([1, 1, 2])):  # and now and then twice
                assert post(ureport_key, webhook_body(FLOW, run, values)).status_code in (200, 201)
    by_webhook = Response.objects.count()
    rapidpro.runs = [api_run(FLOW, run, values, when, ended) for run, values, when, ended in runs]
    counts = rapidpro_actions.poll_flow(flow=flow)
    assert counts == {"created": 900 - by_webhook, "duplicate": by_webhook}
    assert len(rapidpro.asked) == 4  # 1,000 runs in pages of 250
    flow.refresh_from_db()
    assert flow.cursor == start + timedelta(seconds=999)  # the newest ended run
    # The active runs end later: the next poll asks only for what changed since the cursor.
    later = start + timedelta(hours=1)
    for item in rapidpro.runs:
        if item["exited_on"] is None:
            stamp = later.isoformat().replace("+00:00", "Z")
            item.update(exited_on=stamp, modified_on=stamp, exit_type="completed")
    # `after` is inclusive: the newest run of the last poll comes again, and is known.
    assert rapidpro_actions.poll_flow(flow=flow) == {"created": 100, "duplicate": 1}
    assert rapidpro.asked[-1]["after"] == "2026-12-04T08:16:39Z"
    assert Response.objects.filter(channel="rapidpro").count() == 1000
    assert RapidProRun.objects.count() == 1000
    assert RapidProRun.objects.filter(via="poll").count() == 1000 - by_webhook


def test_a_rapidpro_that_cannot_be_reached_is_said_on_the_flow(flow: Any) -> None:
    flow.api_token = "wrong"
    flow.save()
    assert rapidpro_actions.poll_flow(flow=flow) == {"error": 1}
    flow.refresh_from_db()
    assert "403" in flow.poll_error and flow.cursor is None
