"""The conversation page over plain HTTP (no JS): Amina votes in Arabic, Pierre adds a
statement in French, Pat's platform embeds the page with an xid."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from globaldialogue.deliberation import actions, identity
from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.models import Conversation, Participant, Statement, Vote
from globaldialogue.deliberation.tests.partner import as_partner

PAGE = "/c/un75-priorities/"


def shown_statement(response) -> int:
    return int(re.search(rb'name="statement" value="(\d+)"', response.content).group(1))


def agree_with_what_is_shown(client: Client, times: int) -> None:
    for _ in range(times):
        statement = shown_statement(client.get(PAGE + "?lang=en"))
        client.post(PAGE + "vote", {"statement": statement, "vote": "1"})


def test_amina_sees_the_page_in_arabic_and_the_first_seed(priorities):
    response = Client(headers={"accept-language": "ar"}).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and priorities.topic["ar"] in html
    first = Statement.objects.filter(conversation=priorities).order_by("created_at", "id").first()
    assert shown_statement(response) == first.pk
    assert "gd_participant" in response.cookies
    assert response.cookies["gd_participant"]["samesite"] == "Lax"
    assert not Participant.objects.exists()  # looking creates no one


def test_a_vote_is_stored_and_the_next_statement_follows(priorities):
    amina_client = Client()
    first = shown_statement(amina_client.get(PAGE + "?lang=ar"))
    response = amina_client.post(PAGE + "vote", {"statement": first, "vote": "1", "language": "ar"})
    assert response.status_code == 303 and response["Location"].startswith(PAGE + "?lang=ar")
    vote = Vote.objects.get()
    assert (vote.statement_id, vote.value) == (first, 1)
    assert shown_statement(amina_client.get(response["Location"])) != first
    # The same person voting again on it replaces the vote, counted once.
    amina_client.post(PAGE + "vote", {"statement": first, "vote": "-1", "language": "ar"})
    assert Vote.objects.get().value == -1 and Participant.objects.count() == 1


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"statement": "999999", "vote": "1"}, 422, "لا توجد عبارة كهذه هنا."),
        ({"statement": "abc", "vote": "1"}, 422, "لا توجد عبارة كهذه هنا."),
        ({"vote": "2"}, 422, "التصويت هو 1"),
        ({"vote": "yes"}, 422, "التصويت هو 1"),
    ],
)
def test_bad_votes_get_a_clear_error_in_arabic_and_store_nothing(priorities, form, status, message):
    amina_client = Client()
    first = shown_statement(amina_client.get(PAGE + "?lang=ar"))
    response = amina_client.post(PAGE + "vote", {"statement": first, "language": "ar", **form})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Vote.objects.exists() and not Participant.objects.exists()


def test_a_vote_on_a_rejected_statement_is_refused(priorities):
    statement = Statement.objects.filter(conversation=priorities).first()
    actions.moderate_statement(statement=statement, status="rejected")
    response = Client().post(PAGE + "vote", {"statement": statement.pk, "vote": "1"})
    assert response.status_code == 422 and not Vote.objects.exists()


def test_pats_embed_votes_as_the_partner_id(priorities):
    client = Client()
    signed = as_partner("ureport-42", "un75-priorities")
    page = client.get(PAGE + f"?{urlencode(signed)}&lang=fr")
    assert 'name="xid" value="ureport-42"' in page.content.decode()
    statement = shown_statement(page)
    response = client.post(
        PAGE + "vote", {"statement": statement, "vote": "0", **signed, "language": "fr"}
    )
    assert "xid=ureport-42" in response["Location"]
    assert client.get(response["Location"]).status_code == 200  # the signature carried along
    participant = Participant.objects.get()
    assert participant.key_hash == identity.participant_key(xid="ureport-42")
    assert "ureport-42" not in participant.key_hash


def test_the_card_alone_is_served_for_the_script(priorities):
    client = Client()
    first = shown_statement(client.get(PAGE))
    response = client.post(PAGE + "vote", {"statement": first, "vote": "1", "part": "card"})
    assert "part=card" in response["Location"]
    card = client.get(response["Location"])
    assert b"<html" not in card.content and shown_statement(card) != first
    assert Client().get(PAGE + "?part=nothing").status_code == 404


def test_pierre_adds_a_statement_in_french(priorities):
    pierre_client = Client()
    response = pierre_client.post(
        PAGE + "statements", {"text": "Taxer le kérosène des avions.", "language": "fr"}
    )
    assert response.status_code == 303 and "added=accepted" in response["Location"]
    added = Statement.objects.get(text="Taxer le kérosène des avions.")
    assert (added.language, added.status, added.is_seed) == ("fr", "accepted", False)
    page = pierre_client.get(response["Location"]).content.decode()
    assert "Merci." in page


def test_under_pre_moderation_a_statement_waits(priorities):
    priorities.moderation = Conversation.Moderation.PRE
    priorities.save(update_fields=["moderation"])
    response = Client().post(PAGE + "statements", {"text": "Plant trees", "language": "en"})
    assert "added=pending" in response["Location"]
    assert Statement.objects.get(text="Plant trees").status == "pending"


def test_a_duplicate_is_offered_to_vote_on_instead(priorities):
    pierre_client = Client()
    text = "every child should finish secondary school wherever they are born"
    response = pierre_client.post(PAGE + "statements", {"text": text, "language": "en"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone already said almost this" in html
    assert "Every child should finish secondary school, wherever they are born." in html
    assert Statement.objects.count() == 16
    again = pierre_client.post(
        PAGE + "statements", {"text": text, "language": "en", "allow_duplicate": "1"}
    )
    assert again.status_code == 303 and Statement.objects.count() == 17


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Écrivez d’abord une affirmation."), ("x" * 281, "280 caractères")],
)
def test_bad_statements_get_a_clear_error_in_french(priorities, text, message):
    response = Client().post(PAGE + "statements", {"text": text, "language": "fr"})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Statement.objects.count() == 16 and not Participant.objects.exists()


def test_where_you_stand_shows_your_group_once_the_map_has_you(crowded):
    amina_client = Client()
    agree_with_what_is_shown(amina_client, 10)
    recompute_map(conversation=crowded)
    html = amina_client.get(PAGE + "?lang=en").content.decode()
    assert re.search(r"You are in group [A-Z]\.", html)
    assert "(your group)" in html and "What nearly everyone agrees on" in html
    assert '<svg viewBox="0 0 100 100" role="img"' in html
    assert html.count("<circle") == 1  # "you", drawn once


def test_the_page_says_how_many_more_votes_place_you_on_the_map(crowded):
    amina_client = Client()
    assert "Vote on 7 more statements" in amina_client.get(PAGE + "?lang=en").content.decode()
    agree_with_what_is_shown(amina_client, 5)
    html = amina_client.get(PAGE + "?lang=en").content.decode()
    assert "Vote on 2 more statements to see where you stand." in html


def test_the_you_marker_is_in_the_same_place_in_every_language(crowded):
    """SVG coordinates are data: never written with a locale's decimal comma."""
    amina_client = Client()
    agree_with_what_is_shown(amina_client, 10)
    recompute_map(conversation=crowded)
    places = set()
    for language in ("ar", "zh-hans", "en", "fr", "ru", "es"):
        html = amina_client.get(f"{PAGE}?lang={language}").content.decode()
        svg = html[html.index("<svg") : html.index("</svg>")]
        places.add(re.search(r'<circle cx="([^"]+)" cy="([^"]+)"', svg).groups())
        numbers = re.findall(r'\s(?:x|y|cx|cy|d)="([^"]*)"', svg)
        assert numbers and not any("," in n for n in numbers), language
    [(x, y)] = places
    assert 0 <= float(x) <= 100 and 0 <= float(y) <= 100


def test_a_closed_conversation_takes_no_votes(crowded):
    crowded.status = "closed"
    crowded.save(update_fields=["status"])
    page = Client().get(PAGE + "?lang=en").content.decode()
    assert "This conversation is closed" in page and 'name="vote"' not in page
    statement = Statement.objects.filter(conversation=crowded).first()
    votes = Vote.objects.count()
    response = Client().post(PAGE + "vote", {"statement": statement.pk, "vote": "1"})
    assert response.status_code == 409 and Vote.objects.count() == votes


def test_the_page_reads_a_fixed_number_of_queries(crowded, django_assert_max_num_queries):
    client = Client()
    client.get(PAGE)
    with django_assert_max_num_queries(8):
        client.get(PAGE + "?lang=en")


def test_a_draft_conversation_is_nowhere_public_until_opened(make_conversation):
    """Olga prepares a conversation under embargo: no page, report, API or home-page link
    until she opens it."""
    draft = make_conversation(slug="embargoed", status="draft")
    paths = [
        "/c/embargoed/",
        "/c/embargoed/report",
        "/api/conversations/embargoed/opinion-map",
        "/api/conversations/embargoed/next-statement",
    ]
    assert [Client().get(path).status_code for path in paths] == [404] * 4
    assert "/c/embargoed/" not in Client().get("/").content.decode()
    actions.update_conversation(conversation=draft, status="open")
    assert [Client().get(path).status_code for path in paths] == [200] * 4
    assert "/c/embargoed/" in Client().get("/").content.decode()
