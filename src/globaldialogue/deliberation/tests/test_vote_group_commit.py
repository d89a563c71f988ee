"""Partner votes against a real server: many at once go through the group commit, each
counted once with its last value; bad ones still get the API's clear errors."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from globaldialogue.deliberation import actions
from globaldialogue.deliberation.models import Participant, Statement, Vote
from globaldialogue.deliberation.tests.partner import as_partner

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/conversations/un75-priorities/votes"


def test_concurrent_votes_are_each_stored_once(start_server, priorities):
    server = start_server()
    statements = list(Statement.objects.values_list("pk", flat=True))
    bodies = [
        {
            **as_partner(f"ureport-{n % 40}", "un75-priorities"),
            "statement": statements[n % 16],
            "vote": 1,
        }
        for n in range(320)
    ]

    def send(share: list[dict]) -> list[int]:
        with httpx.Client(base_url=server.url, timeout=20) as http:
            return [http.post(URL, json=body).status_code for body in share]

    with ThreadPoolExecutor(8) as pool:
        codes = [c for chunk in pool.map(send, [bodies[i::8] for i in range(8)]) for c in chunk]
    assert codes == [200] * 320
    assert Participant.objects.count() == 40
    # 40 people x the 16 statements each met (n % 40, n % 16 repeat every 80): 80 pairs.
    assert Vote.objects.count() == 80 and set(Vote.objects.values_list("value", flat=True)) == {1}


def test_a_repeated_vote_replaces_the_earlier_one(start_server, priorities):
    server = start_server()
    statement = Statement.objects.first()
    with httpx.Client(base_url=server.url) as http:
        for value in (1, -1, 0):
            reply = http.post(
                URL,
                json={
                    **as_partner("p", "un75-priorities"),
                    "statement": statement.pk,
                    "vote": value,
                },
            )
            assert reply.json() == {"statement": statement.pk, "vote": value}
    assert list(Vote.objects.values_list("value", flat=True)) == [0]


@pytest.mark.parametrize(
    ("change", "status"),
    [({"statement": 999999}, 404), ({"vote": 2}, 422), ({"vote": True}, 422), ({"vote": "1"}, 422)],
)
def test_bad_votes_are_explained_by_the_api(start_server, priorities, change, status):
    server = start_server()
    body = {
        **as_partner("p", "un75-priorities"),
        "statement": Statement.objects.first().pk,
        "vote": 1,
        **change,
    }
    reply = httpx.post(server.url + URL, json=body)
    assert reply.status_code == status and reply.json()["detail"]
    assert not Vote.objects.exists()


def test_votes_on_rejected_statements_or_closed_conversations_are_refused(start_server, priorities):
    server = start_server()
    rejected, other = Statement.objects.all()[:2]
    actions.moderate_statement(statement=rejected, status="rejected")
    reply = httpx.post(
        server.url + URL,
        json={**as_partner("p", "un75-priorities"), "statement": rejected.pk, "vote": 1},
    )
    assert reply.status_code == 404
    priorities.status = "closed"
    priorities.save(update_fields=["status"])
    reply = httpx.post(
        server.url + URL,
        json={**as_partner("p", "un75-priorities"), "statement": other.pk, "vote": 1},
    )
    assert reply.status_code == 409 and not Vote.objects.exists()


def test_cast_votes_checks_values_and_keeps_the_last(priorities):
    statement = Statement.objects.first()
    with pytest.raises(ValueError):
        actions.cast_votes(conversation=priorities, votes=[("a", statement.pk, 5)])
    written = actions.cast_votes(
        conversation=priorities, votes=[("a", statement.pk, 1), ("a", statement.pk, -1)]
    )
    assert written == {("a", statement.pk)} and Vote.objects.get().value == -1
