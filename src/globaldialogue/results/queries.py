"""Survey results read from the roll-up, with labels in one language and small cells hidden."""

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Q

from globaldialogue.lib.translated import pick
from globaldialogue.results.models import Tally
from globaldialogue.results.suppression import suppress
from globaldialogue.surveys.countries import country_names
from globaldialogue.surveys.definition import Definition, QuestionDef, definition_for
from globaldialogue.surveys.models import Response, Survey

# (dimension, value) -> question -> option -> count; question "" holds the response count
# and option "" the number who answered the question.
Counts = dict[tuple[str, str], dict[str, dict[str, int]]]


def survey_results(
    survey: Survey, *, language: str, by: str = "", include_synthetic: bool = True
) -> dict[str, Any]:
    """Totals and distributions; with `by`, the same per group of a breakdown question."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    counts, synthetic = _counts(survey, by, include_synthetic)
    overall = counts.get(("", ""), {})
    total = overall.get("", {}).get("", 0) + _untallied(survey, include_synthetic)
    show = _Shown(definition, language, survey.languages, survey.suppression_threshold)
    result: dict[str, Any] = {
        "survey": survey.slug,
        "total": total,
        "synthetic": synthetic,
        "threshold": survey.suppression_threshold,
        "questions": show.questions(overall, skip=""),
        "breakdowns": [{"key": q.key, "label": show.label(q)} for q in definition.breakdowns],
    }
    if by:
        result["breakdown"] = show.breakdown(counts, by)
    return result


def _counts(survey: Survey, by: str, include_synthetic: bool) -> tuple[Counts, int]:
    rows = Tally.objects.filter(Q(dimension="") | Q(dimension=by), survey=survey).values_list(
        "dimension", "value", "question", "option", "is_synthetic", "count"
    )
    counts: Counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    synthetic = 0
    # A plain cursor: a breakdown by country reads tens of thousands of counters.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    for dimension, value, question, option, is_synthetic, count in fetched:
        if is_synthetic and dimension == question == "":
            synthetic += count
        if include_synthetic or not is_synthetic:
            counts[(dimension, value)][question][option] += count
    return counts, synthetic if include_synthetic else 0


def _untallied(survey: Survey, include_synthetic: bool) -> int:
    # Responses not yet rolled up still count in the total, so it is exact at every moment.
    pending = Response.objects.filter(survey=survey, tallied_at__isnull=True)
    if not include_synthetic:
        pending = pending.filter(is_synthetic=False)
    return pending.count()


class _Shown:
    """Counts as shown to the public: labelled in one language, small cells hidden."""

    def __init__(
        self, definition: Definition, language: str, fallbacks: list[str], threshold: int
    ) -> None:
        self.definition, self.language, self.fallbacks = definition, language, fallbacks
        self.threshold = threshold
        self.countries = dict(country_names(language))

    def questions(self, group: dict[str, dict[str, int]], skip: str) -> list[dict[str, Any]]:
        return [
            self._question(q, group.get(q.key, {}))
            for q in self.definition.questions
            if q.is_choice and q.key != skip
        ]

    def _question(self, question: QuestionDef, counts: dict[str, int]) -> dict[str, Any]:
        answered = counts.get("", 0)
        raw = {key: counts.get(key, 0) for key in self._option_keys(question, counts)}
        shown = suppress(raw, self.threshold, additive=question.type != "multiple")
        options = [
            {
                "key": key,
                "label": self.option_label(question, key),
                "count": count,
                "suppressed": count is None,
                "share": round(count / answered, 4) if count is not None and answered else None,
            }
            for key, count in shown.items()
        ]
        return {
            "key": question.key,
            "type": question.type,
            "label": self.label(question),
            "answered": answered,
            "options": options,
        }

    def breakdown(self, counts: Counts, by: str) -> dict[str, Any]:
        """A cross-table per question: one row of counts per group, largest group first.

        Country questions are left out: country is itself a breakdown, and a table of every
        group by every country would be mostly empty.
        """
        question = self.definition.questions_by_key[by]
        totals = {
            value: group.get("", {}).get("", 0)
            for (dimension, value), group in counts.items()
            if dimension == by
        }
        shown = suppress(totals, self.threshold, additive=True)
        order = sorted(totals, key=lambda v: -totals[v])
        groups = [
            {
                "key": v or None,
                "label": self.option_label(question, v) if v else None,
                "total": shown[v],
                "suppressed": shown[v] is None,
            }
            for v in order
        ]
        rows = [counts[(by, v)] if shown[v] is not None else None for v in order]
        tables = [
            self._cross_table(q, rows)
            for q in self.definition.questions
            if q.is_choice and q.type != "country" and q.key != by
        ]
        return {"by": by, "label": self.label(question), "groups": groups, "questions": tables}

    def _cross_table(self, question: QuestionDef, rows: list[Any]) -> dict[str, Any]:
        keys = [option.key for option in question.options]
        answered: list[int | None] = []
        table: list[list[int | None] | None] = []
        for row in rows:
            cells = row.get(question.key, {}) if row is not None else None
            answered.append(cells.get("", 0) if cells is not None else None)
            if cells is None:
                table.append(None)
                continue
            raw = {key: cells.get(key, 0) for key in keys}
            shown = suppress(raw, self.threshold, additive=question.type != "multiple")
            table.append([shown[key] for key in keys])
        options = [{"key": key, "label": self.option_label(question, key)} for key in keys]
        return {
            "key": question.key,
            "type": question.type,
            "label": self.label(question),
            "options": options,
            "answered": answered,
            "counts": table,
        }

    def label(self, question: QuestionDef) -> str:
        return pick(question.label, self.language, self.fallbacks)

    def option_label(self, question: QuestionDef, key: str) -> str:
        if question.type == "country":
            return self.countries.get(key, key)
        option = question.options_by_key.get(key)
        return pick(option.label, self.language, self.fallbacks) if option else key

    def _option_keys(self, question: QuestionDef, counts: dict[str, int]) -> list[str]:
        """Defined options in order, then any that only older versions had."""
        seen = [key for key in counts if key]
        if question.type == "country":
            return sorted(seen, key=lambda key: -counts[key])
        keys = [option.key for option in question.options]
        return keys + sorted(set(seen) - set(keys))
