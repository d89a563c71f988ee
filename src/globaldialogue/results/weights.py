"""Weighted results of a survey: raked to the world's population by country, and within each
country by age group and by sex (weighting/, WPP 2019), from the roll-up's counts by
country x age group x gender (rollup.WEIGHTING_CELL), so it costs the same at 10 million
responses as at a thousand.

Every response in a cell gets the same weight, so raking the cells (each with its count as
base weight) is raking the responses. Shares come with 95% intervals on Kish's effective
sample size (none under 30), and are model-based: see docs/weighting.md.
"""

from collections import defaultdict
from typing import Any

import numpy as np

from globaldialogue.results.models import Tally
from globaldialogue.results.rollup import WEIGHTING_CELL, WEIGHTING_KEYS
from globaldialogue.surveys.definition import Definition
from globaldialogue.surveys.models import Survey
from globaldialogue.weighting import RakeResult, rake
from globaldialogue.weighting.estimates import MIN_EFFECTIVE_N, wilson
from globaldialogue.weighting.population import world_margins, world_population

CellCounts = dict[str, dict[tuple[str, str], int]]  # cell -> (question, option) -> count


def weighted_estimates(
    survey: Survey, definition: Definition, *, counted: int
) -> dict[str, Any] | None:
    """Weighted shares per question and option, or None when the survey lacks the
    weighting questions (country, age_group, gender), has no responses, or has responses
    counted before the roll-up had cells (`counted`: responses in the roll-up; migration
    0003 recounts)."""
    if not all(key in definition.questions_by_key for key in WEIGHTING_KEYS):
        return None
    cells = _cell_counts(survey)
    if not cells or sum(cell.get(("", ""), 0) for cell in cells.values()) != counted:
        return None
    names = sorted(cells)
    sizes = np.array([cells[name].get(("", ""), 0) for name in names], dtype=float)
    fit, per_response = _cell_weights(names, sizes, definition)
    chosen: dict[str, set[str]] = defaultdict(set)  # question -> options anyone chose
    for cell in cells.values():
        for question, option in cell:
            if option:
                chosen[question].add(option)
    effective, _deff = _kish(per_response, sizes)
    return {
        "effective_n": round(effective, 1),
        "design_effect": round(float(sizes.sum()) / effective, 2) if effective else None,
        # The fit, for organizers and for the page's caveats.
        "converged": fit.converged,
        "max_error": round(fit.max_error, 4),
        "empty_cells": {margin: len(empty) for margin, empty in fit.empty.items()},
        "trimmed": int(sizes[fit.trimmed_entries].sum()),
        "outside": int(sum(n for name, n in zip(names, sizes, strict=True) if not _known(name))),
        "questions": {
            question.key: _question(question.key, chosen[question.key], names, cells, per_response)
            for question in definition.questions
            if question.is_choice and question.key not in WEIGHTING_KEYS
        },
    }


def _cell_counts(survey: Survey) -> CellCounts:
    rows = Tally.objects.filter(survey=survey, dimension=WEIGHTING_CELL).values_list(
        "value", "question", "option", "count"
    )
    cells: CellCounts = defaultdict(lambda: defaultdict(int))
    for value, question, option, count in rows:
        cells[value][(question, option)] += count
    return cells


def _known(cell: str) -> bool:
    """Whether a cell's country has population figures (else it is outside the margins)."""
    return cell.split("|")[0] in world_population().countries


def _cell_weights(
    names: list[str], sizes: np.ndarray, definition: Definition
) -> tuple[RakeResult, np.ndarray]:
    """The fit, and the weight of one response in each cell (mean 1 over the responses)."""
    parts = [name.split("|") for name in names]
    ages = [option.key for option in definition.questions_by_key["age_group"].options]
    margins = world_margins(
        world_population(),
        countries=[part[0] for part in parts],
        ages=[part[1] for part in parts],
        genders=[part[2] for part in parts],
        age_groups=ages,
        sizes=sizes,
    )
    fit = rake(margins, base=sizes, sizes=sizes)
    masses = fit.weights  # each cell's share of the weight
    per_response = np.divide(masses, sizes, out=np.zeros_like(masses), where=sizes > 0)
    return fit, per_response / (per_response @ sizes / sizes.sum())


def _kish(per_response: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    total, squares = float(per_response @ counts), float(np.square(per_response) @ counts)
    if squares == 0:
        return 0.0, 1.0
    effective = total * total / squares
    return effective, float(counts.sum()) / effective


def _question(
    key: str, options: set[str], names: list[str], cells: CellCounts, per_response: np.ndarray
) -> dict[str, list[float | None]]:
    """option -> [weighted share, low, high] among those who answered the question."""
    answered = np.array([cells[name].get((key, ""), 0) for name in names], dtype=float)
    effective, _deff = _kish(per_response, answered)
    whole = float(per_response @ answered)
    shares: dict[str, list[float | None]] = {}
    for option in sorted(options):
        chosen = np.array([cells[name].get((key, option), 0) for name in names], dtype=float)
        share = float(per_response @ chosen) / whole if whole else 0.0
        low, high = wilson(share, effective) if effective >= MIN_EFFECTIVE_N else (None, None)
        shares[option] = [round(share, 4), _round(low), _round(high)]
    return shares


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
