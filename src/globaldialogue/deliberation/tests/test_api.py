"""The conversation API: statements, votes and the opinion map (Pat's partner platform)."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from globaldialogue.deliberation import actions
from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.models import Participant, Statement, Vote
from globaldialogue.deliberation.tests.partner import as_partner
from globaldialogue.lib.perturb import MOST


@pytest.fixture
def seed(conversation) -> Statement:
    return actions.seed_statement(
        conversation=conversation, text="Clean water for all", language="en"
    )


def post(path: str, body: object):
    return Client().post(path, json.dumps(body), content_type="application/json")


def test_a_statement_is_added(conversation):
    response = post(
        "/api/conversations/priorities/statements",
        {**as_partner("xid-7"), "text": "Fund schools", "language": "en"},
    )
    assert response.status_code == 201
    assert response.json()["status"] == "accepted"


def test_a_duplicate_names_the_existing_statement_and_stores_nothing(conversation, seed):
    response = post(
        "/api/conversations/priorities/statements",
        {**as_partner("xid-7"), "text": "clean water, for ALL!", "language": "en"},
    )
    assert response.status_code == 409
    assert response.json()["errors"]["statement"][0]["existing"] == str(seed.pk)
    assert Statement.objects.count() == 1 and not Participant.objects.exists()


@pytest.mark.parametrize(("text", "status"), [("", 422), ("x" * 281, 422)])
def test_bad_statements_are_refused(conversation, text, status):
    response = post(
        "/api/conversations/priorities/statements",
        {**as_partner("xid-7"), "text": text, "language": "en"},
    )
    assert response.status_code == status
    assert not Statement.objects.exists()


def test_a_vote_is_recorded_and_a_repeat_replaces_it(seed):
    path = "/api/conversations/priorities/votes"
    assert post(path, {**as_partner("p1"), "statement": seed.pk, "vote": 1}).json() == {
        "statement": seed.pk,
        "vote": 1,
    }
    assert post(path, {**as_partner("p1"), "statement": seed.pk, "vote": -1}).status_code == 200
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"xid": "p1", "statement": 999_999, "vote": 1}, 404),
        ({"xid": "p1", "statement": "SEED", "vote": 2}, 422),
        ({"xid": "p1", "statement": "SEED", "vote": True}, 422),
        ({"xid": "p1", "statement": "SEED", "vote": "1"}, 422),
        ({"xid": "", "statement": "SEED", "vote": 1}, 422),
    ],
)
def test_bad_votes_are_refused_and_store_nothing(seed, body, status):
    statement = seed.pk if body["statement"] == "SEED" else body["statement"]
    body = {**body, **as_partner(body["xid"]), "statement": statement}
    assert post("/api/conversations/priorities/votes", body).status_code == status
    assert not Vote.objects.exists() and not Participant.objects.exists()


def test_votes_on_rejected_statements_are_refused(seed):
    actions.moderate_statement(statement=seed, status="rejected")
    response = post(
        "/api/conversations/priorities/votes",
        {**as_partner("p1"), "statement": seed.pk, "vote": 1},
    )
    assert response.status_code == 404


@override_settings(RATE_VOTE_PER_IP=(2, 60))
def test_votes_are_rate_limited_per_address(seed):
    path = "/api/conversations/priorities/votes"
    for person in ("a", "b"):
        assert (
            post(path, {**as_partner(person), "statement": seed.pk, "vote": 1}).status_code == 200
        )
    refused = post(path, {**as_partner("c"), "statement": seed.pk, "vote": 1})
    assert refused.status_code == 429 and refused["Retry-After"]


def test_the_opinion_map_shows_groups_statements_and_where_you_stand(conversation):
    statements = [
        actions.seed_statement(conversation=conversation, text=t, language="en")
        for t in (
            "Water for all",
            "Cut arms spending",
            "More police",
            "Open borders",
            "Tax the rich",
            "Fewer cars",
            "Free transit",
            "Ban plastics",
        )
    ]
    for person in range(30):
        participant = actions.join_conversation(conversation=conversation, xid=f"p{person}")
        for j, statement in enumerate(statements):
            value = 1 if j == 0 else (1 if (person % 2) == (j % 2) else -1)
            actions.cast_vote(participant=participant, statement=statement, value=value)
    recompute_map(conversation=conversation)
    query = urlencode(as_partner("p3"))
    body = Client().get(f"/api/conversations/priorities/opinion-map?{query}").json()
    # Counts as published (docs/disclosure.md): changed a little, never below the threshold.
    assert body["k"] == 2 and abs(body["votes"] - 240) <= MOST and body["threshold"] == 10
    assert all(10 <= g["size"] <= 15 + MOST for g in body["groups"])
    shown = [r for reps in body["repness"].values() for r in reps]
    assert shown and all(
        set(r) == {"statement", "direction", "agree", "disagree", "seen", "percent"} for r in shown
    )
    assert all(r["seen"] is None or abs(r["seen"] - 15) <= MOST for r in shown)
    assert body["consensus"][0] == statements[0].pk
    assert body["statements"][str(statements[0].pk)] == "Water for all"
    assert len(body["positions"]) == 30
    assert body["you"]["group"] in (0, 1)


def test_no_map_yet_is_an_empty_map(conversation):
    body = Client().get("/api/conversations/priorities/opinion-map").json()
    assert body["k"] == 0 and body["positions"] == []


def test_unknown_conversation_is_404(db):
    assert Client().get("/api/conversations/nope/opinion-map").status_code == 404
