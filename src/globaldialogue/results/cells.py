"""A survey's counts per cell (country x age group x gender x education: rollup.CELL_KEYS) as
arrays, raked to the world's population; the weighted results and every dashboard filter are
sums over these cells, so they cost the same at 10 million responses as at a thousand.

Every count here is exact; weighting and estimates use each count changed by its cell key
(`published`, results.disclosure), so a weighted share discloses no exact count, and the
dashboard publishes counts only through the policy.

Raking: to each country's share of the world population, and within each country to its
age groups and to its sexes (weighting/, WPP 2019). Every response in a cell gets the same
weight, so raking the cells (each with its count as base weight) is raking the responses.
Shares come with 95% intervals on Kish's effective sample size (none under 30), and are
model-based: see docs/weighting.md.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from globaldialogue.lib import perturb
from globaldialogue.lib.disclosure import Policy
from globaldialogue.results.models import PopulationMargins, Snapshot
from globaldialogue.results.rollup import CELL_KEYS, WEIGHTING_KEYS
from globaldialogue.surveys.definition import Definition
from globaldialogue.surveys.models import Survey
from globaldialogue.weighting import rake
from globaldialogue.weighting.estimates import MIN_EFFECTIVE_N, wilson
from globaldialogue.weighting.population import (
    Population,
    read_population,
    world_margins,
    world_population,
)

Column = tuple[str, str]  # (question, option); ("", "") counts responses, option "" answers
TallyRow = tuple[str, str, str, int, int]  # cell, question, option, count, cell key


@dataclass
class CellTable:
    names: list[str]  # "country|age_group|gender|education", parts "" when unanswered
    columns: list[Column]
    counts: NDArray[np.int64]  # cells x columns, exact: only ever published through a policy
    keys: NDArray[np.int64]  # each count's cell key (lib.perturb)
    published: NDArray[np.int64]  # each count changed by its key: what estimates use
    weights: NDArray[np.float64]  # one response's weight in each cell (mean 1); ones if none
    fit: dict[str, Any] | None  # how well the weighting fits; None: not weighted

    def index(self, question: str, option: str = "") -> int | None:
        return self._where.get((question, option))

    def column(self, question: str, option: str = "") -> NDArray[np.int64]:
        """The published (perturbed) counts of a column: what weighting and estimates use."""
        return self._of(self.published, question, option)

    def exact(self, question: str, option: str = "") -> NDArray[np.int64]:
        return self._of(self.counts, question, option)

    def key(self, question: str, option: str, mask: NDArray[np.bool_]) -> int:
        """The cell key of the figure counting `question`/`option` among `mask`'s cells."""
        return perturb.figure_key(self._of(self.keys, question, option)[mask])

    def _of(self, array: NDArray[np.int64], question: str, option: str) -> NDArray[np.int64]:
        index = self.index(question, option)
        if index is None:
            return np.zeros(len(self.names), dtype=np.int64)
        return array[:, index]

    def part(self, key: str) -> NDArray[np.str_]:
        """Each cell's value for one of CELL_KEYS, for filters (worked out once per table)."""
        if key not in self._parts:
            index = CELL_KEYS.index(key)
            self._parts[key] = np.array([name.split("|")[index] for name in self.names])
        return self._parts[key]

    def __post_init__(self) -> None:
        self._where = {column: i for i, column in enumerate(self.columns)}
        self._parts: dict[str, NDArray[np.str_]] = {}

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            names=np.array(self.names, dtype=np.str_),
            questions=np.array([q for q, _o in self.columns], dtype=np.str_),
            options=np.array([o for _q, o in self.columns], dtype=np.str_),
            counts=self.counts,
            keys=self.keys,
            published=self.published,
            weights=self.weights,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, fit: dict[str, Any] | None) -> "CellTable":
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        columns = list(zip(arrays["questions"].tolist(), arrays["options"].tolist(), strict=True))
        return cls(
            arrays["names"].tolist(),
            columns,
            arrays["counts"],
            arrays["keys"],
            arrays["published"],
            arrays["weights"],
            fit,
        )


CELLS = "*cells"  # Snapshot.by of the stored table
# Web processes keep the last table they loaded per survey until the worker stores a newer.
_loaded: dict[int, tuple[datetime, CellTable]] = {}


def cells_snapshot(survey: Survey, table: CellTable, now: datetime) -> Snapshot:
    data = {"fit": table.fit, "cells": len(table.names), "columns": len(table.columns)}
    return Snapshot(survey=survey, by=CELLS, data=data, arrays=table.to_bytes(), computed_at=now)


def stored_cells(survey: Survey) -> tuple[CellTable, datetime] | None:
    """The table the tally worker stored last, and when; loaded once per process and
    version (one small query per call to check)."""
    stored = Snapshot.objects.filter(survey=survey, by=CELLS)
    row = stored.values_list("computed_at", "data").first()
    if row is None:
        return None
    computed_at, data = row
    loaded = _loaded.get(survey.pk)
    if loaded is None or loaded[0] != computed_at:
        arrays = stored.values_list("arrays", flat=True).first()
        if arrays is None:
            return None
        loaded = (computed_at, CellTable.from_bytes(bytes(arrays), data["fit"]))
        _loaded[survey.pk] = loaded
    return loaded[1], computed_at


def forget_cells() -> None:
    """Tests: no table carried over from another test's database."""
    _loaded.clear()


def cell_table(
    survey: Survey, definition: Definition, rows: Iterable[TallyRow], policy: Policy
) -> CellTable | None:
    """The roll-up's cells of `survey` (its counters in the WEIGHTING_CELL dimension, as
    queries.read_tallies reads them), weighted when it asks country, age group and gender;
    None before any response is counted."""
    table = _table(rows, policy)
    if table is None:
        return None
    if all(key in definition.questions_by_key for key in WEIGHTING_KEYS):
        _weigh(table, definition, *population_for(survey))
    return table


def _table(rows: Iterable[TallyRow], policy: Policy) -> CellTable | None:
    names: dict[str, int] = {}
    columns: dict[Column, int] = {}
    entries: list[tuple[int, int, int, int]] = []
    for value, question, option, count, key in rows:
        cell = names.setdefault(value, len(names))
        column = columns.setdefault((question, option), len(columns))
        entries.append((cell, column, count, key))
    if not entries:
        return None
    shape = (len(names), len(columns))
    counts, keys = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    where = np.array(entries, dtype=np.int64)
    np.add.at(counts, (where[:, 0], where[:, 1]), where[:, 2])
    np.add.at(keys, (where[:, 0], where[:, 1]), where[:, 3])  # real and synthetic add up
    keys %= perturb.KEY_RANGE
    published = policy.cells(counts, keys)
    return CellTable(list(names), list(columns), counts, keys, published, np.ones(len(names)), None)


def population_for(survey: Survey) -> tuple[Population, str]:
    """The figures `survey` is weighted to, and their name: the organizers' own margins for
    its consultation if they uploaded some, else the world's (WPP 2019)."""
    own = PopulationMargins.objects.filter(consultation_id=survey.consultation_id).first()
    if own is None:
        return world_population(), ""
    return read_population(io.StringIO(own.source)), own.name


def _weigh(table: CellTable, definition: Definition, population: Population, name: str) -> None:
    sizes = table.column("", "").astype(float)
    ages = [option.key for option in definition.questions_by_key["age_group"].options]
    education = definition.questions_by_key.get("education")
    margins = world_margins(
        population,
        countries=table.part("country").tolist(),
        ages=table.part("age_group").tolist(),
        genders=table.part("gender").tolist(),
        age_groups=ages,
        sizes=sizes,
        educations=table.part("education").tolist() if education else None,
        education_keys=[o.key for o in education.options] if education else None,
    )
    fit = rake(margins, base=sizes, sizes=sizes)
    per_response = np.divide(fit.weights, sizes, out=np.zeros_like(sizes), where=sizes > 0)
    table.weights = per_response / (per_response @ sizes / sizes.sum())
    known = np.isin(table.part("country"), list(population.countries))
    table.fit = {
        "source": name,  # "" for the world's figures
        "margins": [margin.name for margin in margins],
        "converged": fit.converged,
        "max_error": round(fit.max_error, 4),
        "empty_cells": {margin: len(empty) for margin, empty in fit.empty.items()},
        "trimmed": int(sizes[fit.trimmed_entries].sum()),
        "outside": int(sizes[~known].sum()),
    }


def estimates(
    table: CellTable, definition: Definition, mask: NDArray[np.bool_] | None = None
) -> dict[str, Any] | None:
    """Weighted shares per question and option among the cells in `mask` (all by default):
    option -> [share, low, high], with the effective sample size and the fit; None when
    the table is not weighted."""
    if table.fit is None:
        return None
    inside = np.ones(len(table.names), dtype=bool) if mask is None else mask
    weights = np.where(inside, table.weights, 0.0)
    sizes = table.column("", "").astype(float)
    effective = kish(weights, sizes)
    responses = float(sizes[inside].sum())
    return {
        **table.fit,
        "effective_n": round(effective, 1),
        "design_effect": round(responses / effective, 2) if effective else None,
        "questions": {
            question.key: _question(table, question.key, weights)
            for question in definition.questions
            if question.is_choice and question.key not in WEIGHTING_KEYS
        },
    }


def kish(weights: NDArray[np.float64], counts: NDArray[np.float64]) -> float:
    """Kish's effective sample size of `counts` responses per cell at `weights` each."""
    squares = float(np.square(weights) @ counts)
    return float(weights @ counts) ** 2 / squares if squares else 0.0


def _question(
    table: CellTable, key: str, weights: NDArray[np.float64]
) -> dict[str, list[float | None]]:
    answered = table.column(key).astype(float)
    effective = kish(weights, answered)
    whole = float(weights @ answered)
    shares: dict[str, list[float | None]] = {}
    for question, option in table.columns:
        if question != key or not option:
            continue
        # Each cell's counts are changed apart (published), so an option may pass its
        # question's weighted total by a little: a share stays a share.
        share = min(float(weights @ table.column(key, option)) / whole, 1.0) if whole else 0.0
        low, high = wilson(share, effective) if effective >= MIN_EFFECTIVE_N else (None, None)
        shares[option] = [round(share, 4), _round(low), _round(high)]
    return shares


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
