"""One conversation across languages: Pierre reads and votes on every seed in French (the
Chinese and Arabic ones too) and sees where he stands in French; statements nobody has
translated for him come last and say so; machine translations (from a local server that
speaks LibreTranslate's API) are labelled until Tomás, a translator, reviews them in the
back office queue; partners list the statements in any language."""

import re
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from globaldialogue.consultations import actions as consultation_actions
from globaldialogue.consultations.permissions import Role
from globaldialogue.deliberation import actions, translation_actions
from globaldialogue.deliberation.demo import demo_data, load_demo_conversation
from globaldialogue.deliberation.models import Statement, StatementTranslation
from globaldialogue.lib.machine_translation import configured
from globaldialogue.lib.tests.translation_servers import FakeLibreTranslate
from globaldialogue.testing import sign_in

PAGE = "/c/un75-priorities/"
QUEUE = "/admin/deliberation/statement/translate/"


def card(response: Any) -> tuple[int, str, str]:
    """The statement on the voting card: id, the language and the text shown."""
    html = response.content.decode()
    pk = int(re.search(r'name="statement" value="(\d+)"', html).group(1))
    found = re.search(r'<blockquote class="statement" lang="([^"]+)"[^>]*>([^<]*)</', html)
    return pk, found.group(1), unescape(found.group(2))


def test_pierre_votes_on_every_seed_in_french_and_sees_where_he_stands_in_french(crowded):
    pierre = Client(headers={"accept-language": "fr-FR,fr;q=0.9"})
    originals = {s["text"]: s for s in demo_data()["seeds"]}
    seen = []
    for _ in range(16):
        response = pierre.get(PAGE)
        pk, language, text = card(response)
        statement = Statement.objects.get(pk=pk)
        assert language == "fr", statement.text
        assert text == (originals[statement.text]["translations"].get("fr") or statement.text)
        html = response.content.decode()
        if statement.language != "fr":
            assert "Traduit (original en" in html and statement.text in html  # the original, folded
        seen.append(statement.language)
        pierre.post(PAGE + "vote", {"statement": pk, "vote": "1", "language": "fr"})
    assert {"zh-hans", "ar", "ru", "es", "en"} <= set(seen)
    actions.recompute_map(conversation=crowded)
    where = pierre.get(PAGE + "?part=map").content.decode()
    assert "Vous êtes dans le groupe" in where
    languages = re.findall(r'<li><span lang="([^"]+)"', where)
    assert languages and set(languages) == {"fr"}


def test_a_statement_nobody_translated_comes_after_those_pierre_can_read(make_conversation):
    talk = make_conversation(languages=["fr", "ar", "en"], topic={"fr": "Priorités ?"})
    amina = actions.join_conversation(conversation=talk, xid="amina")
    arabic = actions.add_statement(
        conversation=talk, participant=amina, text="المياه أولاً.", language="ar"
    )
    english = actions.add_statement(
        conversation=talk, participant=amina, text="Schools first.", language="en"
    )
    translation_actions.translate_statement(
        statement=english, language="fr", text="Les écoles d'abord."
    )
    pierre = Client(headers={"accept-language": "fr"})
    first = pierre.get("/c/priorities/")
    assert card(first) == (english.pk, "fr", "Les écoles d'abord.")
    pierre.post("/c/priorities/vote", {"statement": english.pk, "vote": "1"})
    then = pierre.get("/c/priorities/")
    assert card(then) == (arabic.pk, "ar", "المياه أولاً.")
    assert "Écrit en arabe ; pas encore traduit dans votre langue." in then.content.decode()


def test_an_english_reader_of_french_reads_french_originals_before_translations(
    make_conversation,
):
    """A browser asking for English, then French, gets a French statement as written."""
    talk = make_conversation(languages=["en", "fr", "ar"])
    amina = actions.join_conversation(conversation=talk, xid="amina")
    french = actions.add_statement(
        conversation=talk, participant=amina, text="Des parcs partout.", language="fr"
    )
    actions.add_statement(conversation=talk, participant=amina, text="ماء.", language="ar")
    kofi = Client(headers={"accept-language": "en, fr;q=0.5"})
    assert card(kofi.get("/c/priorities/")) == (french.pk, "fr", "Des parcs partout.")


@pytest.fixture
def libretranslate(settings):
    with FakeLibreTranslate(key="lt-key") as server:
        settings.MACHINE_TRANSLATION = "libretranslate"
        settings.MACHINE_TRANSLATION_URL = server.url
        settings.MACHINE_TRANSLATION_KEY = "lt-key"
        yield server


@pytest.fixture
def tomas(priorities) -> Client:
    """Tomás translates for UN75 (the translator role, nothing else)."""
    person = User.objects.create_user("tomas", "tomas@example.org", "x", is_staff=True)
    consultation_actions.grant_role(
        user=person, role=Role.TRANSLATOR, consultation=priorities.consultation
    )
    return sign_in(Client(), person)


def test_a_new_statement_is_machine_translated_and_labelled_until_tomas_reviews_it(
    priorities, libretranslate, tomas, django_capture_on_commit_callbacks
):
    amina = actions.join_conversation(conversation=priorities, xid="amina")
    with django_capture_on_commit_callbacks(execute=True):
        idea = actions.add_statement(
            conversation=priorities, participant=amina, text="التعليم للجميع.", language="ar"
        )
    machine = {t.language: t for t in idea.translations.all()}
    assert set(machine) == {"en", "fr", "es", "ru", "zh-hans"}
    assert machine["fr"].text == "[fr] التعليم للجميع." and machine["fr"].is_machine
    assert machine["zh-hans"].text == "[zh] التعليم للجميع."  # LibreTranslate's code for it
    shown = _statement_in_french(idea)
    assert "Traduction automatique (original en" in shown

    queue = tomas.get(QUEUE, {"scope": priorities.pk, "language": "fr"}).content.decode()
    assert "التعليم للجميع." in queue and "[fr] التعليم للجميع." in queue  # suggestion in box
    tomas.post(
        f"{QUEUE}?scope={priorities.pk}&language=fr",
        {f"text_{idea.pk}": "L'éducation pour tous."},
    )
    reviewed = idea.translations.get(language="fr")
    assert (reviewed.text, reviewed.is_machine, reviewed.translator.username) == (
        "L'éducation pour tous.",
        False,
        "tomas",
    )
    shown = _statement_in_french(idea)
    assert "Traduit (original en" in shown and "automatique" not in shown


def _statement_in_french(statement: Statement) -> str:
    """The report page's row of `statement`, read in French."""
    html = Client().get(PAGE + "report?lang=fr").content.decode()
    row = next(r for r in html.split("<tr>") if statement.text in r)
    return row


def test_a_provider_that_fails_leaves_statements_to_the_queue(
    priorities, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MACHINE_TRANSLATION = "libretranslate"
    settings.MACHINE_TRANSLATION_URL = "http://127.0.0.1:9"  # nothing listens there
    amina = actions.join_conversation(conversation=priorities, xid="amina")
    with django_capture_on_commit_callbacks(execute=True):
        idea = actions.add_statement(
            conversation=priorities, participant=amina, text="Clean air first.", language="en"
        )
    assert not idea.translations.exists()
    assert "machine translation of statement" in caplog.text


def test_tomas_works_the_queue_oldest_first_and_a_bad_box_stores_nothing(priorities, tomas):
    amina = actions.join_conversation(conversation=priorities, xid="amina")
    older = actions.add_statement(
        conversation=priorities, participant=amina, text="Plus de vélos.", language="fr"
    )
    newer = actions.add_statement(
        conversation=priorities, participant=amina, text="Más árboles.", language="es"
    )
    where = f"{QUEUE}?scope={priorities.pk}&language=en"
    page = tomas.get(where).content.decode()
    assert page.index("Plus de vélos.") < page.index("Más árboles.")
    assert "Every child" not in page  # written in English: nothing to translate
    too_long = "x" * 1000
    refused = tomas.post(where, {f"text_{older.pk}": "More bikes.", f"text_{newer.pk}": too_long})
    assert refused.status_code == 200 and "Keep it to 560 characters" in refused.content.decode()
    assert not StatementTranslation.objects.filter(statement__in=[older, newer]).exists()
    saved = tomas.post(where, {f"text_{older.pk}": "More bikes.", f"text_{newer.pk}": ""})
    assert saved.status_code == 303
    assert older.translations.get(language="en").text == "More bikes."
    after = tomas.get(where).content.decode()
    assert "Plus de vélos." not in after and "Más árboles." in after


def test_tomas_sees_the_queue_of_his_consultations_only(priorities, tomas, make_conversation):
    elsewhere = consultation_actions.save_consultation(
        slug="city", title={"en": "City"}, languages=["en"]
    )
    other = actions.create_conversation(
        consultation=elsewhere, slug="city-talk", topic={"en": "City?"}, languages=["en", "fr"]
    )
    page = tomas.get(QUEUE).content.decode()
    assert f"scope={priorities.pk}&amp;language=fr" in page
    assert f"scope={other.pk}" not in page
    stranger = tomas.get(QUEUE, {"scope": other.pk, "language": "fr"}).content.decode()
    assert "Choose a conversation" in stranger  # not his: the chooser, nothing of it


def test_an_organizer_enters_a_seed_in_every_language_in_the_back_office(priorities):
    olga = User.objects.create_user("olga", "olga@example.org", "x", is_staff=True)
    consultation_actions.grant_role(
        user=olga, role=Role.ORGANIZER, consultation=priorities.consultation
    )
    client = sign_in(Client(), olga)
    form = {
        "conversation": priorities.pk,
        "text": "Cities need more trees.",
        "language": "en",
        "translation__fr": "Les villes ont besoin de plus d'arbres.",
        "translation__ar": "تحتاج المدن إلى مزيد من الأشجار.",
    }
    client.post("/admin/deliberation/statement/add/", form)
    seed = Statement.objects.get(text="Cities need more trees.")
    assert dict(seed.translations.values_list("language", "source")) == {
        "fr": "organizer",
        "ar": "organizer",
    }
    wrong = client.post(
        "/admin/deliberation/statement/add/",
        {**form, "text": "Another", "translation__en": "Another"},
    )
    assert "the statement&#x27;s own language" in wrong.content.decode(), re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', wrong.content.decode()
    )


def test_the_demo_ships_its_seeds_in_six_languages_and_a_rerun_fills_old_demos(priorities):
    for seed in Statement.objects.filter(conversation=priorities):
        assert sorted([seed.language, *seed.translations.values_list("language", flat=True)]) == (
            sorted(priorities.languages)
        )
    StatementTranslation.objects.filter(statement__conversation=priorities).delete()
    assert load_demo_conversation().pk == priorities.pk
    assert StatementTranslation.objects.filter(statement__conversation=priorities).count() == 80


def test_the_statements_api_serves_every_language(crowded):
    for language in crowded.languages:
        found = Client().get(f"/api/conversations/un75-priorities/statements?lang={language}")
        body = found.json()
        assert found.status_code == 200 and body["language"] == language
        assert len(body["statements"]) == 16 and body["next_after"] is None
        for row in body["statements"]:
            assert row["language"] == language
            assert row["machine_translated"] is False and row["seed"] is True
            assert row["counts"] is not None and set(row["counts"]) == {
                "agree",
                "disagree",
                "passed",
                "seen",
            }
    chinese = Statement.objects.get(conversation=crowded, language="zh-hans")
    rows = Client().get("/api/conversations/un75-priorities/statements?lang=fr-CA").json()
    row = next(r for r in rows["statements"] if r["id"] == chinese.pk)
    assert row["original_language"] == "zh-hans" and row["original_text"] == chinese.text
    assert row["text"] == (
        "Les pays en développement devraient avoir davantage voix au chapitre "
        "dans les institutions financières internationales."
    )


def test_the_statements_api_pages_and_falls_back_to_the_default_language(priorities):
    first = Client().get("/api/conversations/un75-priorities/statements?limit=10&lang=tlh").json()
    assert first["language"] == "en" and len(first["statements"]) == 10
    rest = (
        Client()
        .get(f"/api/conversations/un75-priorities/statements?limit=10&after={first['next_after']}")
        .json()
    )
    assert len(rest["statements"]) == 6 and rest["next_after"] is None
    assert all(row["counts"] is None for row in rest["statements"])  # no map yet
    assert Client().get("/api/conversations/nowhere/statements").status_code == 404


def test_next_statement_and_map_api_speak_the_language_asked(crowded):
    found = Client().get("/api/conversations/un75-priorities/next-statement?lang=ar").json()
    assert found["statement"]["language"] == "ar"
    assert found["statement"]["original_language"] == "en"
    mapped = Client().get("/api/conversations/un75-priorities/opinion-map?lang=ru").json()
    russian = {s["translations"]["ru"] for s in demo_data()["seeds"] if "ru" in s["translations"]}
    russian |= {s["text"] for s in demo_data()["seeds"] if s["language"] == "ru"}
    assert mapped["statements"] and set(mapped["statements"].values()) <= russian


def test_translations_refuse_what_the_conversation_does_not_offer(priorities):
    seed = Statement.objects.filter(conversation=priorities, language="en").first()
    for language, text, code in [("de", "Jedes Kind", "language"), ("en", "x", "language")]:
        with pytest.raises(actions.Refused) as refused:
            translation_actions.translate_statement(statement=seed, language=language, text=text)
        assert refused.value.code == code
    with pytest.raises(actions.Refused, match="Write the translation first"):
        translation_actions.translate_statement(statement=seed, language="fr", text="  ")


def test_the_machine_never_writes_over_a_person(priorities, libretranslate):
    seed = Statement.objects.filter(conversation=priorities, language="en").first()
    StatementTranslation.objects.filter(statement=seed, language="ru").delete()
    made = translation_actions.machine_translate_statements(
        statements=[seed],
        provider=configured(),
    )
    assert made == 1
    assert seed.translations.get(language="ru").is_machine
    assert not seed.translations.get(language="fr").is_machine  # the organizers' stays
