"""Turn canonical answers into tally increments (pure: no database)."""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from globaldialogue.surveys.definition import Definition

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


def increments(
    survey_id: int, definition: Definition, answers: dict[str, Any], synthetic: bool
) -> Counter[TallyKey]:
    cells: list[tuple[str, str]] = [("", "")]
    for question in definition.questions:
        value = answers.get(question.key)
        if value is None:
            continue
        cells.append((question.key, ""))
        if question.is_choice:
            cells += [(question.key, option) for option in chosen_options(value)]
    counts: Counter[TallyKey] = Counter()
    for dimension, group in _groups(definition, answers):
        for question_key, option in cells:
            counts[(survey_id, question_key, option, dimension, group, synthetic)] += 1
    return counts


def _groups(definition: Definition, answers: dict[str, Any]) -> Iterable[tuple[str, str]]:
    yield "", ""
    for question in definition.breakdowns:
        value = answers.get(question.key)
        yield question.key, value if isinstance(value, str) else ""
