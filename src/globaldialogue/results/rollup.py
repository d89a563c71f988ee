"""Turn canonical answers into tally increments (pure: no database)."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import product
from typing import Any

from globaldialogue.lib.perturb import KEY_RANGE
from globaldialogue.surveys.definition import Definition

Group = tuple[str, str]  # (dimension, value): ("", "") is everyone
Cell = tuple[str, str]  # (question, option): ("", "") counts responses, option "" answers
TallyKey = tuple[
    int, str, str, str, str, bool
]  # survey, question, option, dimension, value, synthetic


def chosen_options(value: Any) -> list[str]:
    """The option keys in one canonical answer; empty for text and numbers."""
    items = value if isinstance(value, list) else [value]
    return [
        item["option"] if isinstance(item, dict) else item
        for item in items
        if isinstance(item, str | dict)
    ]


class Increments:
    """Counts for many responses; every response adds 1 to each (group, cell) it belongs to,
    and its record key (lib.perturb) to that counter's sum of keys."""

    def __init__(self, sign: int = 1) -> None:
        """`sign` -1: the counts of responses taken back (a withdrawal), to subtract."""
        self._by_survey: dict[tuple[int, bool], Counter[tuple[Group, Cell]]] = defaultdict(Counter)
        self._keys: dict[tuple[int, bool], Counter[tuple[Group, Cell]]] = defaultdict(Counter)
        self.sign = sign

    def add(
        self,
        survey_id: int,
        definition: Definition,
        answers: dict[str, Any],
        synthetic: bool,
        key: int,
    ) -> None:
        # product(), fromkeys() and Counter.update() loop in C: a response has ~6 groups x
        # ~25 cells, each (group, cell) once.
        pairs = dict.fromkeys(product(_groups(definition, answers), _cells(definition, answers)))
        counter, keys = self._by_survey[(survey_id, synthetic)], self._keys[(survey_id, synthetic)]
        if self.sign > 0:
            pairs[TALLIED] = None  # only ever goes up: withdrawals do not take it back
            counter.update(pairs.keys())
            keys.update(dict.fromkeys(pairs, key))
        else:
            counter.subtract(pairs.keys())
            keys.subtract(dict.fromkeys(pairs, key))

    def items(self) -> Iterator[tuple[TallyKey, int, int]]:
        """Each counter's change: its key, count and sum of keys (mod KEY_RANGE)."""
        for (survey_id, synthetic), counter in self._by_survey.items():
            keys = self._keys[(survey_id, synthetic)]
            for pair, count in counter.items():
                (dimension, value), (question, option) = pair
                tally = (survey_id, question, option, dimension, value, synthetic)
                yield tally, count, keys[pair] % KEY_RANGE


def _cells(definition: Definition, answers: dict[str, Any]) -> list[Cell]:
    cells: list[Cell] = [("", "")]
    for question in definition.questions:
        value = answers.get(question.key)
        if value is None:
            continue
        cells.append((question.key, ""))
        if question.is_choice:
            cells += [(question.key, option) for option in chosen_options(value)]
    return cells


def _groups(definition: Definition, answers: dict[str, Any]) -> list[Group]:
    groups: list[Group] = [("", "")]
    for question in definition.breakdowns:
        value = answers.get(question.key)
        groups.append((question.key, value if isinstance(value, str) else ""))
    if all(key in definition.questions_by_key for key in WEIGHTING_KEYS):
        groups.append((WEIGHTING_CELL, weighting_cell(answers)))
    return groups


# Responses ever tallied, withdrawn ones included: a release is due once it has grown by the
# survey's threshold (results.releases).
TALLIED: tuple[Group, Cell] = (("*tallied", ""), ("", ""))

# Weighting and the dashboard's filters (results/cells.py) need counts by country x age group
# x gender (x education, where the survey asks it) together: one more group per response, in
# a dimension no question can have (keys are identifiers). Its value always has four parts.
WEIGHTING_KEYS = ("country", "age_group", "gender")
CELL_KEYS = (*WEIGHTING_KEYS, "education")
WEIGHTING_CELL = "*cell"


def weighting_cell(answers: dict[str, Any]) -> str:
    values = [answers.get(key) for key in CELL_KEYS]
    return "|".join(value if isinstance(value, str) else "" for value in values)
