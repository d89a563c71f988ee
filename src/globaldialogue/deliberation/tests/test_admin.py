"""Olga moderates statements and seeds the conversation from the back office."""

import pytest

from globaldialogue.deliberation import actions
from globaldialogue.deliberation.models import Conversation, Statement


@pytest.fixture
def premoderated(make_conversation) -> Conversation:
    """A conversation whose statements wait for a moderator."""
    return make_conversation(moderation=Conversation.Moderation.PRE)


def test_the_queue_lists_pending_statements_and_accepts_them(olga_client, premoderated):
    amina_participant = actions.join_conversation(conversation=premoderated, token="a")
    pending = actions.add_statement(
        conversation=premoderated,
        participant=amina_participant,
        text="Fund vaccines",
        language="en",
    )
    page = olga_client.get("/admin/deliberation/statement/?status__exact=pending")
    assert "Fund vaccines" in page.content.decode()
    olga_client.post(
        "/admin/deliberation/statement/", {"action": "accept", "_selected_action": pending.pk}
    )
    pending.refresh_from_db()
    assert pending.status == Statement.Status.ACCEPTED


def test_marking_meta_keeps_it_accepted(olga_client, premoderated):
    seed = actions.seed_statement(
        conversation=premoderated, text="This tool is slow", language="en"
    )
    olga_client.post(
        "/admin/deliberation/statement/", {"action": "mark_meta", "_selected_action": seed.pk}
    )
    seed.refresh_from_db()
    assert (seed.status, seed.is_meta) == (Statement.Status.ACCEPTED, True)


def test_olga_adds_seed_statements(olga_client, premoderated):
    olga_client.post(
        "/admin/deliberation/statement/add/",
        {"conversation": premoderated.pk, "text": " Peace first ", "language": "en"},
    )
    seed = Statement.objects.get()
    assert (seed.text, seed.is_seed, seed.status) == ("Peace first", True, "accepted")


def test_conversation_pages_open(olga_client, premoderated):
    for page in (
        "/admin/deliberation/conversation/",
        f"/admin/deliberation/conversation/{premoderated.pk}/change/",
        "/admin/deliberation/conversation/add/",
        "/admin/deliberation/statement/add/",
    ):
        assert olga_client.get(page).status_code == 200, page


def test_the_queue_gives_hints_for_duplicates_spam_and_blocked_words(
    olga_client, premoderated, django_assert_max_num_queries
):
    premoderated.blocked_words = "acme party\n"
    premoderated.save(update_fields=["blocked_words"])
    actions.seed_statement(
        conversation=premoderated, text="Every child should finish school.", language="en"
    )
    amina_participant = actions.join_conversation(conversation=premoderated, token="a")
    for text in (
        "every child should finish school!!",
        "Cheap flights at www.example.com",
        "Only idiots disagree with this",
        "Vote for Acme Party",
        "Fund rural clinics",
    ):
        actions.add_statement(
            conversation=premoderated,
            participant=amina_participant,
            text=text,
            language="en",
            allow_duplicate=True,
        )
    with django_assert_max_num_queries(16):  # however many statements: meaning.py's 4 too
        page = olga_client.get("/admin/deliberation/statement/?status__exact=pending")
    html = page.content.decode()

    def row(text: str) -> str:
        start = html.index(text)
        return html[start : html.index("</tr>", start)]

    assert "like #" in row("every child should finish school!!")
    assert "link" in row("Cheap flights at [link]")  # taken out before it was stored
    assert "insult" in row("Only idiots disagree with this")
    assert "blocked word" in row("Vote for Acme Party")
    assert 'field-hints">-<' in row("Fund rural clinics")


def test_the_queue_shows_the_newest_statements_first(olga_client, premoderated):
    amina_participant = actions.join_conversation(conversation=premoderated, token="a")
    for text in ("Said first", "Said last"):
        actions.add_statement(
            conversation=premoderated, participant=amina_participant, text=text, language="en"
        )
    page = olga_client.get("/admin/deliberation/statement/?status__exact=pending")
    html = page.content.decode()
    assert html.index("Said last") < html.index("Said first")
