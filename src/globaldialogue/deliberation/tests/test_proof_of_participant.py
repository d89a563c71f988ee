"""Nobody votes as somebody else. Mallory, an attacker, tries what an outside review of the
demo found open: votes under another person's id, ids made up at will, reading where a
known id stands, and other sites making their visitors vote. Pat's platform signs its
users' ids (or uses its key); Amina votes on the page with her cookie."""

import json
from datetime import timedelta
from urllib.parse import urlencode

import httpx
import pytest
from django.test import Client, override_settings
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from globaldialogue.accounts.actions import create_api_key, update_api_key
from globaldialogue.accounts.models import Scope
from globaldialogue.deliberation import actions, fastpath
from globaldialogue.deliberation.models import Participant, Statement, Vote
from globaldialogue.deliberation.tests.partner import as_partner

VOTES = "/api/conversations/priorities/votes"
PAGE = "/c/priorities/"


@pytest.fixture
def conversation(make_conversation):
    return make_conversation(
        languages=["en", "fr"], topic={"en": "Priorities?", "fr": "Priorités ?"}
    )


@pytest.fixture
def seed(conversation) -> Statement:
    return actions.seed_statement(conversation=conversation, text="Clean water", language="en")


def post(body: dict, client: Client | None = None, **headers: str):
    return (client or Client()).post(
        VOTES, json.dumps(body), content_type="application/json", **headers
    )


def test_mallory_cannot_vote_as_someone_else(seed):
    assert post({**as_partner("amina-7"), "statement": seed.pk, "vote": 1}).status_code == 200
    unsigned = post({"xid": "amina-7", "statement": seed.pk, "vote": -1})
    assert unsigned.status_code == 403 and "xid_sig" in unsigned.json()["detail"]
    forged = post({"xid": "amina-7", "xid_sig": "0" * 64, "statement": seed.pk, "vote": -1})
    assert forged.status_code == 403
    assert list(Vote.objects.values_list("value", flat=True)) == [1]


def test_a_signature_for_one_conversation_fails_in_another(make_conversation, seed):
    other = make_conversation(slug="cities")
    elsewhere = as_partner("amina-7", slug="cities")
    assert post({**elsewhere, "statement": seed.pk, "vote": -1}).status_code == 403
    actions.rotate_embed_secret(conversation=other)
    assert post({**as_partner("amina-7"), "statement": seed.pk, "vote": -1}).status_code == 200


def test_mallory_cannot_make_up_participants_or_statements(seed):
    for n in range(3):
        body = {"xid": f"bot-{n}", "text": f"Spam {n}", "language": "en"}
        reply = Client().post(
            "/api/conversations/priorities/statements",
            json.dumps(body),
            content_type="application/json",
        )
        assert reply.status_code == 403
    assert not Participant.objects.exists() and Statement.objects.count() == 1


def test_a_leaked_secret_replaced_stops_old_signatures_at_once(conversation, seed):
    old = as_partner("amina-7")
    actions.rotate_embed_secret(conversation=conversation, overlap=False)
    assert post({**old, "statement": seed.pk, "vote": 1}).status_code == 403
    assert post({**as_partner("amina-7"), "statement": seed.pk, "vote": 1}).status_code == 200


def test_after_a_planned_rotation_old_signatures_count_until_the_overlap_ends(
    conversation, seed, settings
):
    settings.EMBED_SECRET_OVERLAP_HOURS = 24
    old = as_partner("amina-7")
    actions.rotate_embed_secret(conversation=conversation)
    assert post({**old, "statement": seed.pk, "vote": 1}).status_code == 200
    assert post({**as_partner("amina-7"), "statement": seed.pk, "vote": -1}).status_code == 200
    conversation.refresh_from_db()
    with freeze_time(conversation.previous_secret_until + timedelta(seconds=1)):
        assert post({**old, "statement": seed.pk, "vote": 1}).status_code == 403
    actions.rotate_embed_secret(conversation=conversation)  # the one before that: never
    conversation.refresh_from_db()
    assert post({**old, "statement": seed.pk, "vote": 1}).status_code == 403


def test_a_partner_key_with_the_deliberation_scope_speaks_for_its_users(conversation, seed):
    key, secret = create_api_key(name="Pat", consultation=conversation.consultation)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {"xid": "pat-user-1", "statement": seed.pk, "vote": 1}
    refused = post(body, **bearer)  # a key for responses only
    assert refused.status_code == 403
    update_api_key(
        key=key,
        name="Pat",
        consultation=conversation.consultation,
        scopes=[Scope.RESPONSES, Scope.DELIBERATION],
    )
    assert post(body, **bearer).status_code == 200
    _other, stranger = create_api_key(name="Elsewhere", scopes=[Scope.DELIBERATION])
    assert post(body, HTTP_AUTHORIZATION="Bearer not-a-key").status_code == 403
    assert post(body, HTTP_AUTHORIZATION=f"Bearer {stranger}").status_code == 200  # unbound


def test_where_someone_stands_is_only_shown_to_them(seed):
    query = "/api/conversations/priorities/opinion-map?xid=amina-7"
    assert Client().get(query).status_code == 403
    assert (
        Client().get("/api/conversations/priorities/next-statement?xid=amina-7").status_code == 403
    )
    signed = urlencode(as_partner("amina-7"))
    assert Client().get(f"/api/conversations/priorities/opinion-map?{signed}").status_code == 200
    nxt = Client().get(f"/api/conversations/priorities/next-statement?{signed}")
    assert nxt.json()["statement"]["id"] == seed.pk
    assert Client().get("/api/conversations/priorities/opinion-map").status_code == 200  # public


def test_other_sites_cannot_make_their_visitors_vote(seed):
    as_text = Client().post(
        VOTES,
        json.dumps({**as_partner("amina-7"), "statement": seed.pk, "vote": 1}),
        content_type="text/plain",  # what a page elsewhere may send without asking first
    )
    assert as_text.status_code == 415
    amina = Client()
    amina.get(PAGE)  # her cookie
    form = {"statement": seed.pk, "vote": "1", "language": "en"}
    for header in ({"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}):
        refused = amina.post(PAGE + "vote", form, **header)
        assert refused.status_code == 403
        assert "another site" in refused.content.decode()
    assert not Vote.objects.exists()
    own = amina.post(PAGE + "vote", form, HTTP_SEC_FETCH_SITE="same-origin")
    assert own.status_code == 303 and Vote.objects.count() == 1
    assert amina.post(PAGE + "vote", form).status_code == 303  # no headers: old browsers


def test_a_page_link_with_a_wrong_signature_says_so_in_the_readers_language(seed):
    page = Client().get(PAGE + "?xid=amina-7&xid_sig=bad&lang=fr")
    assert page.status_code == 403
    html = page.content.decode()
    assert 'lang="fr"' in html and "sans l’identifiant" in html
    signed = urlencode(as_partner("amina-7"))
    page = Client().get(f"{PAGE}?{signed}&lang=fr")
    assert page.status_code == 200 and 'name="xid_sig"' in page.content.decode()
    vote = Client().post(
        PAGE + "vote", {**as_partner("amina-7"), "statement": seed.pk, "vote": "1"}
    )
    assert vote.status_code == 303 and "xid_sig=" in vote["Location"]
    assert (
        Client()
        .post(PAGE + "vote", {"xid": "amina-7", "statement": seed.pk, "vote": "-1"})
        .status_code
        == 403
    )
    assert list(Vote.objects.values_list("value", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_the_fast_path_of_a_running_server_refuses_unsigned_votes(start_server, priorities):
    server = start_server()
    statement = Statement.objects.first()
    url = server.url + "/api/conversations/un75-priorities/votes"
    signed = {**as_partner("amina-7", "un75-priorities"), "statement": statement.pk}
    assert httpx.post(url, json={**signed, "vote": 1}).status_code == 200
    for attack in (
        {"xid": "amina-7", "xid_sig": "", "statement": statement.pk, "vote": -1},
        {"xid": "amina-7", "xid_sig": "f" * 64, "statement": statement.pk, "vote": -1},
        {"xid": "amina-7", "statement": statement.pk, "vote": -1},
    ):
        assert httpx.post(url, json=attack).status_code == 403
    text = httpx.post(
        url, content=json.dumps({**signed, "vote": -1}), headers={"Content-Type": "text/plain"}
    )
    assert text.status_code == 415
    wrong_host = httpx.post(url, json={**signed, "vote": -1}, headers={"Host": "evil.example"})
    assert wrong_host.status_code == 400
    assert list(Vote.objects.values_list("value", flat=True)) == [1]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_the_vote_fast_path_takes_any_body_without_crashing(body):
    fastpath._vote(body)


def test_deeply_nested_votes_are_handed_on_not_crashed_on():
    assert (
        fastpath._vote(b'{"xid": "a", "xid_sig": ' + b"[" * 100_000 + b"]" * 100_000 + b"}") is None
    )


def test_only_the_partners_named_by_the_operator_may_frame_the_page(conversation):
    assert Client().get(PAGE)["X-Frame-Options"] == "DENY"
    with override_settings(EMBED_ORIGINS=["https://ureport.example"]):
        page = Client().get(PAGE + "?" + urlencode(as_partner("amina-7")))
        assert "X-Frame-Options" not in page
        policy = page["Content-Security-Policy"]
        assert "frame-ancestors 'self' https://ureport.example" in policy
        report = Client().get("/c/priorities/report")
        assert report["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in report["Content-Security-Policy"]


def test_amina_deletes_what_she_did_from_the_page_and_pat_through_the_api(seed):
    amina = Client()
    amina.get(PAGE)
    amina.post(PAGE + "vote", {"statement": seed.pk, "vote": "1", "language": "en"})
    assert Vote.objects.count() == 1
    done = amina.post(PAGE + "forget", {"language": "en"})
    assert done.status_code == 303 and "forgotten=1" in done["Location"]
    assert not Vote.objects.exists() and not Participant.objects.exists()
    assert "deleted" in amina.get(done["Location"]).content.decode()
    post({**as_partner("pat-user"), "statement": seed.pk, "vote": -1})
    url = "/api/conversations/priorities/forget"
    unsigned = Client().post(url, json.dumps({"xid": "pat-user"}), content_type="application/json")
    assert unsigned.status_code == 403 and Vote.objects.count() == 1
    reply = Client().post(url, json.dumps(as_partner("pat-user")), content_type="application/json")
    assert reply.json() == {"votes": 1, "statements_deleted": 0, "statements_kept": 0}
    assert not Vote.objects.exists()
