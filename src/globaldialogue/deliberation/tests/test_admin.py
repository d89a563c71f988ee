"""Olga moderates statements and seeds the conversation from the back office."""

import pytest

from globaldialogue.consultations.models import Consultation
from globaldialogue.deliberation import actions
from globaldialogue.deliberation.models import Conversation, Statement


@pytest.fixture
def priorities(db) -> Conversation:
    consultation = Consultation.objects.create(slug="un75", title={"en": "UN75"}, languages=["en"])
    return Conversation.objects.create(
        consultation=consultation,
        slug="priorities",
        languages=["en"],
        topic={"en": "Priorities?"},
        moderation=Conversation.Moderation.PRE,
    )


def test_the_queue_lists_pending_statements_and_accepts_them(olga_client, priorities):
    amina = actions.join_conversation(conversation=priorities, token="a")
    pending = actions.add_statement(
        conversation=priorities, participant=amina, text="Fund vaccines", language="en"
    )
    page = olga_client.get("/admin/deliberation/statement/?status__exact=pending")
    assert "Fund vaccines" in page.content.decode()
    olga_client.post(
        "/admin/deliberation/statement/", {"action": "accept", "_selected_action": pending.pk}
    )
    pending.refresh_from_db()
    assert pending.status == Statement.Status.ACCEPTED


def test_marking_meta_keeps_it_accepted(olga_client, priorities):
    seed = actions.seed_statement(conversation=priorities, text="This tool is slow", language="en")
    olga_client.post(
        "/admin/deliberation/statement/", {"action": "mark_meta", "_selected_action": seed.pk}
    )
    seed.refresh_from_db()
    assert (seed.status, seed.is_meta) == (Statement.Status.ACCEPTED, True)


def test_olga_adds_seed_statements(olga_client, priorities):
    olga_client.post(
        "/admin/deliberation/statement/add/",
        {"conversation": priorities.pk, "text": " Peace first ", "language": "en"},
    )
    seed = Statement.objects.get()
    assert (seed.text, seed.is_seed, seed.status) == ("Peace first", True, "accepted")


def test_conversation_pages_open(olga_client, priorities):
    for page in (
        "/admin/deliberation/conversation/",
        f"/admin/deliberation/conversation/{priorities.pk}/change/",
        "/admin/deliberation/conversation/add/",
        "/admin/deliberation/statement/add/",
    ):
        assert olga_client.get(page).status_code == 200, page
