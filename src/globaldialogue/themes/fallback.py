"""Themes without a sentence encoder: TF-IDF + NMF topics within each language.

Used only where the encoder cannot be loaded (its package or a native library missing on
the machine): organizers still get themes, with keywords and quotes, instead of a failed
analysis. They cannot join answers across languages (each theme speaks one), which is why
they are the fallback: bench/themes.py measures the gap (agreement with planted themes 0.22
against the encoder's 0.98).
"""

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from globaldialogue.themes.keywords import shown_terms, term_options

TOPICS = 4  # per language, at most
FEWEST = 20  # answers a language needs for topics of its own; fewer join "other" answers


def topics_per_language(
    texts: list[str], spoken: NDArray[np.str_], counts: NDArray[np.int64]
) -> tuple[NDArray[np.int64], list[dict[str, Any]]]:
    """A theme number per distinct answer, and per theme its language and keywords."""
    labels = np.zeros(len(texts), dtype=np.int64)
    found: list[dict[str, Any]] = []
    leftover = []
    for language in np.unique(spoken).tolist():
        rows = np.flatnonzero(spoken == language)
        enough = counts[rows].sum() >= FEWEST
        topics = _topics(texts, rows, counts, language) if enough else None
        if topics is None:
            leftover.append(rows)
            continue
        assigned, keywords = topics
        labels[rows] = len(found) + assigned
        found += [{"language": language, "keywords": words} for words in keywords]
    if leftover:  # too few to tell topics apart: one theme of their own
        labels[np.concatenate(leftover)] = len(found)
        found.append({"language": "", "keywords": []})
    return labels, found


def _topics(
    texts: list[str], rows: NDArray[np.int64], counts: NDArray[np.int64], language: str
) -> tuple[NDArray[np.int64], list[list[str]]] | None:
    vectorizer = TfidfVectorizer(sublinear_tf=True, **term_options(language))
    try:
        matrix = vectorizer.fit_transform([texts[i] for i in rows])
    except ValueError:  # nothing but function words or punctuation
        return None
    size = min(TOPICS, matrix.shape[0], matrix.shape[1])
    if size < 1:
        return None
    model = NMF(size, random_state=0, max_iter=400, init="nndsvda")
    weights = model.fit_transform(matrix.multiply(np.sqrt(counts[rows])[:, None]).tocsr())
    terms = vectorizer.get_feature_names_out()
    keywords = [
        shown_terms((str(terms[i]) for i in np.argsort(-c)[:20] if c[i] > 0), 5, language)
        for c in model.components_
    ]
    return weights.argmax(axis=1).astype(np.int64), keywords
