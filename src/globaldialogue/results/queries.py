"""Survey results read from the roll-up, with labels in one language and small cells hidden."""

from collections import defaultdict
from typing import Any

from django.db.models import Q

from globaldialogue.lib.translated import pick
from globaldialogue.results.models import Tally
from globaldialogue.results.suppression import suppress
from globaldialogue.surveys.countries import country_names
from globaldialogue.surveys.definition import Definition, QuestionDef, definition_for
from globaldialogue.surveys.models import Response, Survey

Cells = dict[tuple[str, str, str, str], int]  # (dimension, value, question, option) -> count


def survey_results(
    survey: Survey, *, language: str, by: str = "", include_synthetic: bool = True
) -> dict[str, Any]:
    """Totals and distributions; with `by`, the same per group of a breakdown question."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    cells, synthetic = _cells(survey, by, include_synthetic)
    total = cells.get(("", "", "", ""), 0) + _untallied(survey, include_synthetic)
    labels = _Labels(definition, language, survey.languages)
    result: dict[str, Any] = {
        "survey": survey.slug,
        "total": total,
        "synthetic": synthetic,
        "threshold": survey.suppression_threshold,
        "questions": _questions(definition, cells, "", "", labels, survey.suppression_threshold),
        "breakdowns": [{"key": q.key, "label": labels.question(q)} for q in definition.breakdowns],
    }
    if by:
        result["breakdown"] = _breakdown(
            definition, cells, by, labels, survey.suppression_threshold
        )
    return result


def _cells(survey: Survey, by: str, include_synthetic: bool) -> tuple[Cells, int]:
    rows = Tally.objects.filter(Q(dimension="") | Q(dimension=by), survey=survey)
    cells: Cells = defaultdict(int)
    synthetic = 0
    for dimension, value, question, option, is_synthetic, count in rows.values_list(
        "dimension", "value", "question", "option", "is_synthetic", "count"
    ):
        if is_synthetic and dimension == question == "":
            synthetic += count
        if include_synthetic or not is_synthetic:
            cells[(dimension, value, question, option)] += count
    return cells, synthetic if include_synthetic else 0


def _untallied(survey: Survey, include_synthetic: bool) -> int:
    # Responses not yet rolled up still count in the total, so it is exact at every moment.
    pending = Response.objects.filter(survey=survey, tallied_at__isnull=True)
    if not include_synthetic:
        pending = pending.filter(is_synthetic=False)
    return pending.count()


def _questions(
    definition: Definition,
    cells: Cells,
    dimension: str,
    value: str,
    labels: "_Labels",
    threshold: int,
) -> list[dict[str, Any]]:
    return [
        _question(question, cells, dimension, value, labels, threshold)
        for question in definition.questions
        if question.is_choice and not (dimension and question.key == dimension)
    ]


def _question(
    question: QuestionDef,
    cells: Cells,
    dimension: str,
    value: str,
    labels: "_Labels",
    threshold: int,
) -> dict[str, Any]:
    answered = cells.get((dimension, value, question.key, ""), 0)
    keys = labels.option_keys(question, cells, dimension, value)
    raw = {key: cells.get((dimension, value, question.key, key), 0) for key in keys}
    shown = suppress(raw, threshold, additive=question.type != "multiple")
    options = [
        {
            "key": key,
            "label": labels.option(question, key),
            "count": count,
            "suppressed": count is None,
            "share": round(count / answered, 4) if count is not None and answered else None,
        }
        for key, count in shown.items()
    ]
    return {
        "key": question.key,
        "type": question.type,
        "label": labels.question(question),
        "answered": answered,
        "options": options,
    }


def _breakdown(
    definition: Definition, cells: Cells, by: str, labels: "_Labels", threshold: int
) -> dict[str, Any]:
    question = definition.questions_by_key[by]
    values = sorted({value for (dimension, value, q, _o) in cells if dimension == by and q == ""})
    totals = {value: cells[(by, value, "", "")] for value in values}
    shown = suppress(totals, threshold, additive=True)
    groups = []
    for value in sorted(values, key=lambda v: -totals[v]):
        group: dict[str, Any] = {
            "key": value or None,
            "label": labels.option(question, value) if value else None,
            "total": shown[value],
            "suppressed": shown[value] is None,
        }
        if shown[value] is not None:
            group["questions"] = _questions(definition, cells, by, value, labels, threshold)
        groups.append(group)
    return {"by": by, "label": labels.question(question), "groups": groups}


class _Labels:
    """Question and option labels in one language, country names from CLDR."""

    def __init__(self, definition: Definition, language: str, fallbacks: list[str]) -> None:
        self.language = language
        self.fallbacks = fallbacks
        self.countries = dict(country_names(language))

    def question(self, question: QuestionDef) -> str:
        return pick(question.label, self.language, self.fallbacks)

    def option(self, question: QuestionDef, key: str) -> str:
        if question.type == "country":
            return self.countries.get(key, key)
        option = question.options_by_key.get(key)
        return pick(option.label, self.language, self.fallbacks) if option else key

    def option_keys(
        self, question: QuestionDef, cells: Cells, dimension: str, value: str
    ) -> list[str]:
        """Defined options in order, then any that only older versions had."""
        keys = [option.key for option in question.options]
        seen = {o for (d, v, q, o) in cells if d == dimension and v == value and q == question.key}
        extra = sorted(seen - set(keys) - {""})
        if question.type == "country":
            return sorted(seen - {""}, key=lambda k: -cells[(dimension, value, question.key, k)])
        return keys + extra
