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


def test_the_queue_gives_hints_for_duplicates_spam_and_blocked_words(
    olga_client, priorities, django_assert_max_num_queries
):
    priorities.blocked_words = "idiots\n"
    priorities.save(update_fields=["blocked_words"])
    actions.seed_statement(
        conversation=priorities, text="Every child should finish school.", language="en"
    )
    amina = actions.join_conversation(conversation=priorities, token="a")
    for text in (
        "every child should finish school!!",
        "Cheap flights at www.example.com",
        "Only idiots disagree with this",
        "Fund rural clinics",
    ):
        actions.add_statement(
            conversation=priorities,
            participant=amina,
            text=text,
            language="en",
            allow_duplicate=True,
        )
    with django_assert_max_num_queries(14):
        page = olga_client.get("/admin/deliberation/statement/?status__exact=pending")
    html = page.content.decode()

    def row(text: str) -> str:
        start = html.index(text)
        return html[start : html.index("</tr>", start)]

    assert "like #" in row("every child should finish school!!")
    assert "link" in row("Cheap flights at www.example.com")
    assert "blocked word" in row("Only idiots disagree with this")
    assert 'field-hints">-<' in row("Fund rural clinics")
