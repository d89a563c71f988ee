"""Quotes others read are translated as statements are: Olga approves a Spanish quote, the
machine translates it at once, the dashboard in English marks it "Machine translation
(original in Spanish)" with the original; Tomás reviews it in the translators' queue, and
the dashboard and the PDF's page then say "Translated"."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from globaldialogue.consultations import actions as consultation_actions
from globaldialogue.consultations.models import TextTranslation, TranslatableText
from globaldialogue.consultations.permissions import Role
from globaldialogue.lib.tests.translation_servers import FakeLibreTranslate
from globaldialogue.results import actions
from globaldialogue.results.models import Quote, Theme
from globaldialogue.results.public_themes import theme_results
from globaldialogue.results.report import report_html
from globaldialogue.testing import sign_in

QUEUE = "/admin/consultations/translatabletext/translate/"


@pytest.fixture
def libretranslate(settings):
    with FakeLibreTranslate() as server:
        settings.MACHINE_TRANSLATION = "libretranslate"
        settings.MACHINE_TRANSLATION_URL = server.url
        yield server


@pytest.fixture
def tomas(un75) -> Client:
    """Tomás translates for UN75 (the translator role, nothing else)."""
    person = User.objects.create_user("tomas", "tomas@example.org", "x", is_staff=True)
    consultation_actions.grant_role(
        user=person, role=Role.TRANSLATOR, consultation=un75.consultation
    )
    return sign_in(Client(), person)


def spanish_quote(analysed) -> Quote:
    """A Spanish quote of the largest theme that has one (not a "said most" claim)."""
    themes = Theme.objects.filter(analysis=analysed, parent=None, hidden=False).order_by("-size")
    found = next(theme.quotes["es"][0] for theme in themes if theme.quotes.get("es"))
    return Quote.objects.get(survey=analysed.survey, language="es", found=found)


def quotes_in_english(survey):
    (advice,) = theme_results(survey, language="en")
    return [q for theme in advice["themes"] for q in theme["quotes"]]


def test_an_approved_quote_is_machine_translated_then_reviewed_by_tomas(
    analysed, libretranslate, tomas, django_capture_on_commit_callbacks
):
    quote = spanish_quote(analysed)
    for other in Quote.objects.exclude(pk=quote.pk):  # only the Spanish one is published
        actions.review_quote(quote=other, status=Quote.Status.DROPPED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.review_quote(quote=quote, status=Quote.Status.APPROVED)
    offered = TranslatableText.objects.get(kind="quote")
    assert (offered.language, offered.text) == ("es", quote.text)
    machine = TextTranslation.objects.get(original=offered, language="en")
    assert machine.text == f"[en] {quote.text}" and not machine.reviewed
    (shown,) = quotes_in_english(analysed.survey)
    assert shown["text"] == f"[en] {quote.text}" and shown["machine_translated"]
    assert (shown["original_language"], shown["original_text"]) == ("es", quote.text)
    page = Client().get("/r/un75/?lang=en").content.decode()
    assert "Machine translation (original in Spanish)" in page and quote.text in page

    queue = tomas.get(QUEUE, {"scope": offered.consultation_id, "language": "en"})
    assert quote.text in queue.content.decode()  # the suggestion is in the box
    saved = tomas.post(
        f"{QUEUE}?scope={offered.consultation_id}&language=en", {f"text_{offered.pk}": "Listen."}
    )
    assert saved.status_code == 303
    (shown,) = quotes_in_english(analysed.survey)
    assert shown["text"] == "Listen." and not shown["machine_translated"]
    html = report_html(analysed.survey.consultation, "en")
    assert "Listen." in html and "Translated (original in Spanish)" in html


def test_a_quote_without_a_translation_says_so_and_nothing_is_offered_before_approval(
    analysed, tomas
):
    quote = spanish_quote(analysed)
    assert not TranslatableText.objects.exists()  # found, not published: nothing to translate
    actions.review_quote(quote=quote, status=Quote.Status.APPROVED)
    shown = [q for q in quotes_in_english(analysed.survey) if q["text"] == quote.text]
    assert shown and shown[0]["language"] == "es" and not shown[0]["translated"]
    page = Client().get("/r/un75/?lang=en").content.decode()
    assert "(in Spanish; not translated yet)" in page
    waiting = tomas.get(QUEUE).content.decode()
    assert "English: 1" in waiting and "Spanish: 0" in waiting  # never into its own
