"""Quotes wait for an organizer before they are published: Olga approves, edits or drops
each in the back office (audited); a quote found again by a later analysis keeps its review;
what the analysis stores is already scrubbed of personal data."""

import pytest
from django.core.exceptions import ValidationError

from globaldialogue.audit.models import Entry
from globaldialogue.results import actions
from globaldialogue.results.models import Quote, Theme
from globaldialogue.results.public_themes import theme_results
from globaldialogue.results.tests.helpers import submit_advice
from globaldialogue.themes.tests.planted import planted_answers

PERSONAL = "My name is Amina Diallo: write to amina@example.org or call +254 712 345 678"


def public_quotes(survey, language="en"):
    (advice,) = theme_results(survey, language=language)
    return [q["text"] for theme in advice["themes"] for q in theme["quotes"]]


def test_nothing_is_quoted_before_review(analysed):
    assert Quote.objects.filter(survey=analysed.survey).exists()
    assert set(Quote.objects.values_list("status", flat=True)) == {Quote.Status.PENDING}
    assert public_quotes(analysed.survey) == []
    (advice,) = theme_results(analysed.survey, language="en")
    assert all(not theme["claims"] for theme in advice["themes"])


def test_olga_approves_edits_and_drops_quotes_in_the_back_office(analysed, olga_client):
    english = list(Quote.objects.filter(survey=analysed.survey, language="en")[:3])
    approved, edited, dropped = english
    page = olga_client.get("/admin/results/quote/")
    assert page.status_code == 200 and "Waiting for review" in page.content.decode()
    olga_client.post(
        "/admin/results/quote/",
        {"action": "approve", "_selected_action": [approved.pk, dropped.pk]},
    )
    olga_client.post(
        f"/admin/results/quote/{edited.pk}/change/",
        {"text": "Listen to the young.", "status": "approved"},
    )
    olga_client.post("/admin/results/quote/", {"action": "drop", "_selected_action": dropped.pk})
    shown = public_quotes(analysed.survey)
    assert "Listen to the young." in shown and edited.found not in shown
    assert dropped.text not in shown
    assert Entry.objects.filter(action="review_quote").count() == 4
    assert Entry.objects.filter(action="review_quote", summary__edited=True).count() == 1


def test_a_review_holds_for_the_same_quote_in_a_later_analysis(
    analysed, django_capture_on_commit_callbacks
):
    quote = Quote.objects.filter(survey=analysed.survey).first()
    actions.review_quote(quote=quote, status=Quote.Status.DROPPED)
    submit_advice(analysed.survey, planted_answers()[0], country="FR")
    actions.tally_all()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_themes(survey=analysed.survey, question="advice")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DROPPED
    assert Quote.objects.filter(survey=analysed.survey, digest=quote.digest).count() == 1


def test_an_empty_or_unknown_review_is_refused(analysed):
    quote = Quote.objects.filter(survey=analysed.survey).first()
    with pytest.raises(ValidationError):
        actions.review_quote(quote=quote, status="published")
    with pytest.raises(ValidationError):
        actions.review_quote(quote=quote, status=Quote.Status.APPROVED, text="  ")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.PENDING


def test_personal_data_never_reaches_the_stored_quotes(
    answered, django_capture_on_commit_callbacks
):
    submit_advice(answered, [PERSONAL] * 30, country="FR", language="en")
    actions.tally_all()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_themes(survey=answered, question="advice")
    stored = " ".join(
        text for theme in Theme.objects.all() for texts in theme.quotes.values() for text in texts
    )
    stored += " ".join(Quote.objects.values_list("found", flat=True))
    assert "[name]" in stored and "[email]" in stored and "[phone]" in stored
    for personal in ("Amina", "Diallo", "example.org", "712"):
        assert personal not in stored
