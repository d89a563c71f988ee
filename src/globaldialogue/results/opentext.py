"""Themes in a survey's open answers: read the answers, find the themes (themes/, which knows
no Django), store them with their counts per breakdown group, and carry organizers' names,
merges and hidden themes over from the previous run.

Quotes come only from people whose every breakdown group (country, age group, ...) and whose
weighting cell hold at least the survey's suppression threshold of responses: a quote from a
tiny group could point at a person.
"""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models.fields.json import KT

from globaldialogue.lib.perturb import KEY_RANGE, record_key
from globaldialogue.lib.scrub import scrub
from globaldialogue.results.models import Analysis, Tally, Theme
from globaldialogue.results.rollup import WEIGHTING_CELL, WEIGHTING_KEYS, weighting_cell
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Response, Survey

if TYPE_CHECKING:  # the language and embedding models load only where an analysis runs
    from globaldialogue.themes import Themes
    from globaldialogue.themes.extract import Encoder

GroupFigures = dict[int, dict[str, dict[str, int]]]  # theme -> breakdown -> value -> figure
SAME_THEME = 0.8  # cosine between centres above which a new theme continues an old one
PROGRESS_EVERY = 1.0  # seconds between progress writes


@dataclass
class OpenAnswers:
    texts: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # the language each response was given in
    groups: dict[str, list[str]] = field(default_factory=dict)  # breakdown -> value per answer
    cells: list[str] = field(default_factory=list)  # weighting cell per answer, or ""
    keys: list[int] = field(default_factory=list)  # each answer's record key (lib.perturb)


def read_answers(survey: Survey, question: str) -> OpenAnswers:
    """Every non-empty answer to `question`, with what the results need beside it."""
    assert survey.current_version is not None
    breakdowns = [q.key for q in definition_for(survey.current_version).breakdowns]
    keys = list(dict.fromkeys([*breakdowns, *WEIGHTING_KEYS]))
    rows = (
        Response.objects.filter(survey=survey, answers__has_key=question)
        .values_list(
            "id", KT(f"answers__{question}"), "language", *[KT(f"answers__{k}") for k in keys]
        )
        .order_by()
    )
    found = OpenAnswers(groups={key: [] for key in breakdowns})
    for response_id, text, language, *values in rows.iterator(chunk_size=10_000):
        if not isinstance(text, str) or not text.strip():
            continue
        found.texts.append(text)
        found.hints.append(language)
        found.keys.append(record_key(response_id))
        answers = dict(zip(keys, values, strict=True))
        for key in breakdowns:
            found.groups[key].append(answers[key] or "")
        found.cells.append(weighting_cell(answers))
    return found


def quotable(survey: Survey, answers: OpenAnswers) -> list[bool]:
    """Whether each answer may be quoted: everyone, and each of its groups (and its
    weighting cell, where the survey has them), at or over the threshold."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    columns = {"": [""] * len(answers.texts), **answers.groups}  # "": everyone
    if all(key in definition.questions_by_key for key in WEIGHTING_KEYS):
        columns[WEIGHTING_CELL] = answers.cells
    sizes: Counter[tuple[str, str]] = Counter()
    rows = Tally.objects.filter(survey=survey, dimension__in=columns, question="", option="")
    for dimension, value, count in rows.values_list("dimension", "value", "count"):
        sizes[dimension, value] += count  # real and synthetic responses count apart
    k = survey.suppression_threshold
    return [
        all(sizes.get(pair, 0) >= k for pair in zip(columns, row, strict=True))
        for row in zip(*columns.values(), strict=True)
    ]


class Progress:
    """Writes an analysis's progress (0 to 1) at most once a second."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis, self.last = analysis, 0.0

    def __call__(self, share: float) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            self.analysis.progress = round(min(share, 1.0), 3)
            self.analysis.save(update_fields=["progress"])

    def embedding(self) -> Callable[[int, int], None]:
        """Embedding is most of the work: it spans 10% to 90%."""
        return lambda done, total: self(0.1 + 0.8 * done / max(total, 1))


def analyse(
    analysis: Analysis, *, encoder: "Encoder | None" = None
) -> "tuple[Themes, OpenAnswers]":
    """Find the themes of `analysis`, writing its progress as it goes."""
    from globaldialogue.themes import LanguageIdentifier, find_themes

    survey = analysis.survey
    answers = read_answers(survey, analysis.question)
    progress = Progress(analysis)
    guesses = LanguageIdentifier(survey.languages).identify(answers.texts)
    progress(0.1)
    found = find_themes(
        answers.texts,
        [
            guess.language or hint.split("-")[0]
            for guess, hint in zip(guesses, answers.hints, strict=True)
        ],
        encoder=encoder,
        progress=progress.embedding(),
        quotable=quotable(survey, answers),
    )
    progress(0.95)
    return found, answers


def store_themes(analysis: Analysis, found: "Themes", answers: OpenAnswers) -> None:
    groups, keys = _group_counts(found, answers)
    for position, theme in enumerate(found.themes):
        stored = Theme.objects.create(
            analysis=analysis,
            position=position,
            size=theme.size,
            keywords=theme.keywords,
            quotes=_scrubbed_quotes(theme.quotes),
            claims=_scrubbed_claims(theme.claims),
            groups=groups.get(theme.number, {}),
            keys=keys.get(theme.number, {}),
            centre=theme.centre,
        )
        Theme.objects.bulk_create(
            Theme(
                analysis=analysis,
                parent=stored,
                position=index,
                size=sub.size,
                quotes=_scrubbed_quotes(sub.quotes),
                claims=_scrubbed_claims(sub.claims),
            )
            for index, sub in enumerate(theme.sub_themes)
        )


def _scrubbed_quotes(quotes: dict[str, list[str]]) -> dict[str, list[str]]:
    """Quotes with personal data taken out (lib/scrub.py) before they are stored."""
    return {language: [scrub(text) for text in texts] for language, texts in quotes.items()}


def _scrubbed_claims(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **claim,
            "text": scrub(claim["text"]),
            "also": {language: scrub(text) for language, text in claim["also"].items()},
        }
        for claim in claims
    ]


def _group_counts(found: "Themes", answers: OpenAnswers) -> tuple[GroupFigures, GroupFigures]:
    """theme number -> breakdown -> value -> answers, for breakdowns on the dashboard; and
    likewise the sums of their record keys (breakdown "" value "": the whole theme's)."""
    counts: GroupFigures = {}
    keys: GroupFigures = {}
    assigned = found.assigned.tolist()
    for number, key in zip(assigned, answers.keys, strict=True):
        if number >= 0:
            _add_key(keys, number, "", "", key)
    for dimension, values in answers.groups.items():
        for number, value, key in zip(assigned, values, answers.keys, strict=True):
            if number >= 0:
                group = counts.setdefault(number, {}).setdefault(dimension, {})
                group[value] = group.get(value, 0) + 1
                _add_key(keys, number, dimension, value, key)
    return counts, keys


def _add_key(keys: GroupFigures, number: int, dimension: str, value: str, key: int) -> None:
    group = keys.setdefault(number, {}).setdefault(dimension, {})
    group[value] = (group.get(value, 0) + key) % KEY_RANGE


def carry_over(analysis: Analysis, previous: Analysis | None) -> None:
    """Give each new theme the name, hiding and merge of the old theme it continues (the
    nearest by centre, if near enough; each old theme continues in one new theme at most)."""
    if previous is None:
        return
    new = list(Theme.objects.filter(analysis=analysis, parent=None))
    old = list(Theme.objects.filter(analysis=previous, parent=None))
    if not new or not old:
        return
    matches = _matches(new, old)
    continues = {old[j].pk: new[i] for i, j in matches}
    for i, j in matches:
        theme, before = new[i], old[j]
        theme.name, theme.hidden = before.name, before.hidden
        theme.merged_into = continues.get(before.merged_into_id or 0)
    Theme.objects.bulk_update(new, ["name", "hidden", "merged_into"])


def _matches(new: list[Theme], old: list[Theme]) -> list[tuple[int, int]]:
    sizes = {len(t.centre) for t in [*new, *old]}
    if len(sizes) != 1 or 0 in sizes:  # topics without an encoder have no centre
        return []
    similarity = np.array([t.centre for t in new]) @ np.array([t.centre for t in old]).T
    pairs: list[tuple[int, int]] = []
    while similarity.size and similarity.max() >= SAME_THEME:
        i, j = np.unravel_index(int(similarity.argmax()), similarity.shape)
        pairs.append((int(i), int(j)))
        similarity[i, :] = -1
        similarity[:, j] = -1
    return pairs
