"""Survey results: counted and suppressed (language-neutral), then labelled in one language.

`compute_results` does the counting from the roll-up; the tally job stores its output per
survey and breakdown (results.Snapshot), so a page view only attaches labels and the live
total. `survey_results` is what the API and pages return.
"""

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Q, Sum

from globaldialogue.lib.countries import country_names
from globaldialogue.lib.translated import pick
from globaldialogue.results.cells import CellTable, estimates
from globaldialogue.results.models import Snapshot, Tally
from globaldialogue.results.rollup import CELL_KEYS
from globaldialogue.results.suppression import suppress, suppress_table
from globaldialogue.surveys.definition import Definition, QuestionDef, definition_for
from globaldialogue.surveys.models import Response, Survey

# (dimension, value) -> question -> option -> count; question "" holds the response count
# and option "" the number who answered the question.
Counts = dict[tuple[str, str], dict[str, dict[str, int]]]


def survey_results(survey: Survey, *, language: str, by: str = "") -> dict[str, Any]:
    """Totals and distributions in `language`; with `by`, a cross-table per question."""
    assert survey.current_version is not None
    data = _stored(survey, by) or compute_results(survey, by=by)
    labels = _Labels(definition_for(survey.current_version), language, survey.languages)
    return labels.apply(data, survey=survey.slug, total=live_total(survey))


def live_total(survey: Survey) -> int:
    """Exact at every moment: rolled-up responses plus those the worker has not reached."""
    tallied = Tally.objects.filter(survey=survey, question="", option="", dimension="")
    counted = tallied.aggregate(n=Sum("count"))["n"] or 0
    return counted + Response.objects.filter(survey=survey, tallied_at__isnull=True).count()


def _stored(survey: Survey, by: str) -> dict[str, Any] | None:
    snapshot = Snapshot.objects.filter(survey=survey, by=by).only("data").first()
    if snapshot is None:
        return None
    data = snapshot.data
    current = (survey.current_version_id, survey.suppression_threshold)
    return data if (data["version"], data["threshold"]) == current else None


def compute_results(
    survey: Survey,
    *,
    by: str = "",
    cells: CellTable | None = None,
    hidden_totals: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """Counts from the roll-up with small cells hidden, keyed by question and option keys;
    overall (no `by`), also the weighted shares from `cells`, and with the options whose
    overall counts a breakdown's suppression hid (`hidden_totals`, from each breakdown's
    "hidden_totals") hidden too, so no page gives away another's hidden cells."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    counts, synthetic = _counts(survey, by)
    threshold = survey.suppression_threshold
    data: dict[str, Any] = {
        "version": survey.current_version_id,
        "threshold": threshold,
        "synthetic": synthetic,
        "questions": [
            _distribution(
                q,
                counts.get(("", ""), {}).get(q.key, {}),
                threshold,
                (hidden_totals or {}).get(q.key, set()),
            )
            for q in definition.questions
            if q.is_choice
        ],
        "breakdown": _breakdown(definition, counts, by, threshold, cells) if by else None,
        "weighted": estimates(cells, definition) if cells and not by else None,
    }
    return data


def _counts(survey: Survey, by: str) -> tuple[Counts, int]:
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
        counts[(dimension, value)][question][option] += count
    return counts, synthetic


def _distribution(
    question: QuestionDef, counts: dict[str, int], threshold: int, forced: set[str]
) -> dict[str, Any]:
    raw = {key: counts.get(key, 0) for key in _option_keys(question, counts)}
    shown = suppress(raw, threshold, additive=question.type != "multiple", forced=forced)
    return {"key": question.key, "answered": counts.get("", 0), "options": list(shown.items())}


def _option_keys(question: QuestionDef, counts: dict[str, int]) -> list[str]:
    """Defined options in order, then any that only older versions had; countries by size."""
    seen = [key for key in counts if key]
    if question.type == "country":
        return sorted(seen, key=lambda key: -counts[key])
    keys = [option.key for option in question.options]
    return keys + sorted(set(seen) - set(keys))


def _breakdown(
    definition: Definition, counts: Counts, by: str, threshold: int, cells: CellTable | None
) -> dict[str, Any]:
    """A cross-table per question: one row of counts per group, largest group first, and
    with `cells`, the weighted shares where `by` is one of the cells' keys.

    Country questions are left out: country is itself a breakdown, and a table of every
    group by every country would be mostly empty.
    """
    totals = {
        value: group.get("", {}).get("", 0)
        for (dimension, value), group in counts.items()
        if dimension == by
    }
    shown = suppress(totals, threshold, additive=True)
    order = sorted(totals, key=lambda v: -totals[v])
    groups = [(counts[(by, v)], shown[v] is not None) for v in order]
    overall = counts.get(("", ""), {})
    tables = [
        _cross_table(q, groups, overall.get(q.key, {}), threshold)
        for q in definition.questions
        if q.is_choice and q.type != "country" and q.key != by
    ]
    if cells is not None and by in CELL_KEYS:
        _add_weighted(tables, cells, definition, by, order)
    return {"by": by, "groups": [[v, shown[v]] for v in order], "questions": tables}


def _add_weighted(
    tables: list[dict[str, Any]],
    cells: CellTable,
    definition: Definition,
    by: str,
    groups: list[str],
) -> None:
    """Each table's weighted shares per group and option, [share, low, high], where its
    count is shown (a weighted share would hint at a hidden count); None elsewhere."""
    per_group = [estimates(cells, definition, cells.part(by) == value) for value in groups]
    for table in tables:
        table["weighted"] = [
            [
                _estimate(found, table["key"], option) if count is not None else None
                for option, count in zip(table["options"], row, strict=True)
            ]
            if row is not None and found is not None
            else None
            for found, row in zip(per_group, table["counts"], strict=True)
        ]


def _estimate(found: dict[str, Any], question: str, option: str) -> list[Any] | None:
    return found["questions"].get(question, {}).get(option)


def _cross_table(
    question: QuestionDef,
    groups: list[tuple[dict[str, dict[str, int]], bool]],
    overall: dict[str, int],
    threshold: int,
) -> dict[str, Any]:
    """Groups x options with small counts hidden so that none can be worked out from the
    totals anyone sees: each group's number who answered (rows, which single-choice
    answers add up to) and each option's overall count on the overall page (columns, which
    every group adds up to, hidden groups included: suppression.suppress_table)."""
    keys = [option.key for option in question.options]
    table = [[group.get(question.key, {}).get(key, 0) for key in keys] for group, _ in groups]
    answered = [group.get(question.key, {}).get("", 0) for group, _ in groups]
    additive = question.type != "multiple"
    overall_shown = suppress({k: overall.get(k, 0) for k in keys}, threshold, additive=additive)
    cells, rows, columns = suppress_table(
        table,
        threshold,
        row_totals=[
            visible and not 0 < n < threshold
            for (_, visible), n in zip(groups, answered, strict=True)
        ],
        column_totals=[overall_shown[key] is not None for key in keys],
        additive_rows=additive,
    )
    return {
        "key": question.key,
        "options": keys,
        "answered": [n if rows[i] else None for i, n in enumerate(answered)],
        "counts": [row if rows[i] else None for i, row in enumerate(cells)],
        # Overall counts this table needs hidden (the overall page hides them too).
        "hidden_totals": [
            key for key, kept in zip(keys, columns, strict=True) if not kept and overall_shown[key]
        ],
    }


class _Labels:
    """Attaches question, option and group labels in one language to computed results."""

    def __init__(self, definition: Definition, language: str, fallbacks: list[str]) -> None:
        self.definition, self.language, self.fallbacks = definition, language, fallbacks
        self.countries = dict(country_names(language))

    def apply(self, data: dict[str, Any], *, survey: str, total: int) -> dict[str, Any]:
        questions = self.definition.questions_by_key
        weighted = (data.get("weighted") or {}).get("questions", {})
        result: dict[str, Any] = {
            "survey": survey,
            "total": total,
            "synthetic": data["synthetic"],
            "threshold": data["threshold"],
            "questions": [
                self._distribution(questions[q["key"]], q, weighted.get(q["key"], {}))
                for q in data["questions"]
            ],
            "weighting": weighting_summary(data.get("weighted")),
            "breakdowns": [
                {"key": q.key, "label": self.label(q)} for q in self.definition.breakdowns
            ],
        }
        if data["breakdown"]:
            result["breakdown"] = self._breakdown(data["breakdown"])
        return result

    def _distribution(
        self, question: QuestionDef, data: dict[str, Any], weighted: dict[str, list[Any]]
    ) -> dict[str, Any]:
        answered = data["answered"]
        options = [
            {
                "key": key,
                "label": self.option(question, key),
                "count": count,
                "suppressed": count is None,
                "share": round(count / answered, 4) if count is not None and answered else None,
                # Nothing weighted where the count is hidden: it would hint at the count.
                **_weighted(weighted.get(key) if count is not None else None),
            }
            for key, count in data["options"]
        ]
        return {
            "key": question.key,
            "type": question.type,
            "label": self.label(question),
            "answered": answered,
            "options": options,
        }

    def _breakdown(self, data: dict[str, Any]) -> dict[str, Any]:
        by = self.definition.questions_by_key[data["by"]]
        groups = [
            {
                "key": key or None,
                "label": self.option(by, key) if key else None,
                "total": total,
                "suppressed": total is None,
            }
            for key, total in data["groups"]
        ]
        tables = []
        for table in data["questions"]:
            question = self.definition.questions_by_key[table["key"]]
            options = [{"key": k, "label": self.option(question, k)} for k in table["options"]]
            tables.append(
                {
                    "key": question.key,
                    "type": question.type,
                    "label": self.label(question),
                    "options": options,
                    "answered": table["answered"],
                    "counts": table["counts"],
                    "weighted": table.get("weighted"),
                }
            )
        return {"by": by.key, "label": self.label(by), "groups": groups, "questions": tables}

    def label(self, question: QuestionDef) -> str:
        return pick(question.label, self.language, self.fallbacks)

    def option(self, question: QuestionDef, key: str) -> str:
        if question.type == "country":
            return self.countries.get(key, key)
        option = question.options_by_key.get(key)
        return pick(option.label, self.language, self.fallbacks) if option else key


def _weighted(estimate: list[Any] | None) -> dict[str, Any]:
    share, low, high = estimate or (None, None, None)
    return {"weighted_share": share, "low": low, "high": high}


def weighting_summary(weighted: dict[str, Any] | None) -> dict[str, Any] | None:
    """How much the weighting costs in precision, and how well it fits (for the page's
    explanation and caveats)."""
    if not weighted:
        return None
    keys = ["effective_n", "design_effect", "converged", "max_error", "empty_cells"]
    summary = {key: weighted.get(key) for key in [*keys, "trimmed", "outside", "source"]}
    summary["gap_points"] = round(100 * (weighted.get("max_error") or 0.0), 1)
    return summary
