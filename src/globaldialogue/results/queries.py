"""Survey results: counted from the roll-up and published through the survey's disclosure
policy (language-neutral), then labelled in one language.

A release (results.releases) reads the whole roll-up once (read_tallies) and stores, per
breakdown, what `compute_results` makes of it (results.Snapshot); a page view only attaches
labels. `survey_results` is what the API and pages return.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Sum

from globaldialogue.lib.countries import country_names
from globaldialogue.lib.disclosure import Policy
from globaldialogue.lib.perturb import KEY_RANGE
from globaldialogue.lib.suppression import suppress, suppress_table
from globaldialogue.lib.translated import pick
from globaldialogue.results.cells import CellTable, TallyRow, estimates
from globaldialogue.results.models import Snapshot, Tally
from globaldialogue.results.releases import Counted
from globaldialogue.results.rollup import CELL_KEYS, TALLIED, WEIGHTING_CELL
from globaldialogue.surveys.definition import Definition, QuestionDef, definition_for
from globaldialogue.surveys.models import Response, Survey

Figure = list[int]  # [count, cell key]
# (dimension, value) -> question -> option -> figure; question "" holds the response count
# and option "" the number who answered the question.
Counts = dict[tuple[str, str], dict[str, dict[str, Figure]]]
NONE: Figure = [0, 0]


@dataclass
class Tallies:
    """A survey's whole roll-up, read in one statement, so that every figure of a release
    counts the same responses (no two tables of one release differ by a response)."""

    counts: Counts
    cells: list[TallyRow] = field(default_factory=list)  # the WEIGHTING_CELL dimension
    synthetic: Figure = field(default_factory=lambda: [0, 0])

    def figure(self, group: tuple[str, str], question: str = "", option: str = "") -> Figure:
        return self.counts.get(group, {}).get(question, {}).get(option, NONE)

    @property
    def counted(self) -> Counted:
        dimension_value, (question, option) = TALLIED
        ever = self.figure(dimension_value, question, option)[0]
        return Counted(tallied=ever, responses=self.figure(("", ""))[0])


def read_tallies(survey: Survey) -> Tallies:
    rows = Tally.objects.filter(survey=survey).values_list(
        "dimension", "value", "question", "option", "is_synthetic", "count", "cell_key"
    )
    # A plain cursor: at scale the cells alone are millions of counters.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    tallies = Tallies(defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0]))))
    for dimension, value, question, option, is_synthetic, count, key in fetched:
        if dimension == WEIGHTING_CELL:
            tallies.cells.append((value, question, option, count, key))
            continue
        if is_synthetic and dimension == question == "":
            _add(tallies.synthetic, count, key)
        _add(tallies.counts[(dimension, value)][question][option], count, key)
    return tallies


def _add(figure: Figure, count: int, key: int) -> None:
    figure[0] += count
    figure[1] = (figure[1] + key) % KEY_RANGE


def survey_results(survey: Survey, *, language: str, by: str = "") -> dict[str, Any]:
    """The latest release's figures in `language`; with `by`, a cross-table per question."""
    assert survey.current_version is not None
    labels = _Labels(definition_for(survey.current_version), language, survey.languages)
    data = _stored(survey, by)
    if data is None:
        return labels.unreleased(survey)
    return labels.apply(data, survey=survey.slug)


def live_total(survey: Survey) -> int:
    """Exact at every moment, for the back office only: rolled-up responses plus those the
    worker has not reached. Public pages show the release's total."""
    tallied = Tally.objects.filter(survey=survey, question="", option="", dimension="")
    counted = tallied.aggregate(n=Sum("count"))["n"] or 0
    return counted + Response.objects.filter(survey=survey, tallied_at__isnull=True).count()


def _stored(survey: Survey, by: str) -> dict[str, Any] | None:
    snapshot = Snapshot.objects.filter(survey=survey, by=by).only("data").first()
    return snapshot.data if snapshot is not None else None


def compute_results(
    survey: Survey,
    tallies: Tallies,
    policy: Policy,
    *,
    by: str = "",
    cells: CellTable | None = None,
    hidden_totals: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """The figures of one release, keyed by question and option keys, published through
    `policy`; overall (no `by`), also the weighted shares from `cells`, and with the options
    whose overall counts a breakdown's suppression hid (`hidden_totals`, from each
    breakdown's "hidden_totals") hidden too, so no page gives away another's hidden cells."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    overall = tallies.counts.get(("", ""), {})
    return {
        "version": survey.current_version_id,
        "threshold": policy.threshold,
        "total": policy.count(*tallies.figure(("", ""))),
        "synthetic": policy.count(*tallies.synthetic),
        "questions": [
            _distribution(
                q, overall.get(q.key, {}), policy, (hidden_totals or {}).get(q.key, set())
            )
            for q in definition.questions
            if q.is_choice
        ],
        "breakdown": _breakdown(definition, tallies.counts, by, policy, cells) if by else None,
        "weighted": estimates(cells, definition) if cells and not by else None,
    }


def _distribution(
    question: QuestionDef, counts: dict[str, Figure], policy: Policy, forced: set[str]
) -> dict[str, Any]:
    raw = {key: counts.get(key, NONE)[0] for key in _option_keys(question, counts)}
    kept = suppress(raw, policy.threshold, additive=question.type != "multiple", forced=forced)
    shown = {
        key: None if kept[key] is None else policy.shown(*counts.get(key, NONE)) for key in raw
    }
    if question.type == "country":  # largest first, as published; hidden ones after
        shown = dict(sorted(shown.items(), key=lambda item: _largest_first(*item)))
    answered = policy.count(*counts.get("", NONE))
    return {"key": question.key, "answered": answered, "options": list(shown.items())}


def _largest_first(key: str, published: int | None) -> tuple[bool, int, str]:
    return (published is None, -(published or 0), key)


def _option_keys(question: QuestionDef, counts: dict[str, Figure]) -> list[str]:
    """Defined options in order, then any that only older versions had; countries seen."""
    seen = [key for key in counts if key]
    if question.type == "country":
        return sorted(seen)
    keys = [option.key for option in question.options]
    return keys + sorted(set(seen) - set(keys))


def _breakdown(
    definition: Definition, counts: Counts, by: str, policy: Policy, cells: CellTable | None
) -> dict[str, Any]:
    """A cross-table per question: one row of counts per group, largest group first, and
    with `cells`, the weighted shares where `by` is one of the cells' keys.

    Country questions are left out: country is itself a breakdown, and a table of every
    group by every country would be mostly empty.
    """
    totals = {
        value: group.get("", {}).get("", NONE)
        for (dimension, value), group in counts.items()
        if dimension == by
    }
    kept = suppress({v: t[0] for v, t in totals.items()}, policy.threshold, additive=True)
    shown = {v: None if kept[v] is None else policy.shown(*totals[v]) for v in totals}
    order = sorted(totals, key=lambda v: _largest_first(v, shown[v]))
    groups = [(counts[(by, v)], shown[v] is not None) for v in order]
    overall = counts.get(("", ""), {})
    tables = [
        _cross_table(q, groups, overall.get(q.key, {}), policy)
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
    groups: list[tuple[dict[str, dict[str, Figure]], bool]],
    overall: dict[str, Figure],
    policy: Policy,
) -> dict[str, Any]:
    """Groups x options with small counts hidden so that none can be worked out from the
    totals anyone sees: each group's number who answered (rows, which single-choice
    answers add up to) and each option's overall count on the overall page (columns, which
    every group adds up to, hidden groups included: suppression.suppress_table); the shown
    counts published through `policy`."""
    threshold = policy.threshold
    keys = [option.key for option in question.options]
    figures = [[group.get(question.key, {}).get(key, NONE) for key in keys] for group, _ in groups]
    answered = [group.get(question.key, {}).get("", NONE) for group, _ in groups]
    additive = question.type != "multiple"
    overall_kept = suppress(
        {k: overall.get(k, NONE)[0] for k in keys}, threshold, additive=additive
    )
    cells, rows, columns = suppress_table(
        [[figure[0] for figure in row] for row in figures],
        threshold,
        row_totals=[
            visible and not 0 < n[0] < threshold
            for (_, visible), n in zip(groups, answered, strict=True)
        ],
        column_totals=[overall_kept[key] is not None for key in keys],
        additive_rows=additive,
    )
    published = [
        [
            None if kept is None else policy.shown(*figure)
            for kept, figure in zip(kept_row, figure_row, strict=True)
        ]
        for kept_row, figure_row in zip(cells, figures, strict=True)
    ]
    return {
        "key": question.key,
        "options": keys,
        "answered": [policy.shown(*n) if rows[i] else None for i, n in enumerate(answered)],
        "counts": [row if rows[i] else None for i, row in enumerate(published)],
        # Overall counts this table needs hidden (the overall page hides them too).
        "hidden_totals": [
            key for key, kept in zip(keys, columns, strict=True) if not kept and overall_kept[key]
        ],
    }


class _Labels:
    """Attaches question, option and group labels in one language to computed results."""

    def __init__(self, definition: Definition, language: str, fallbacks: list[str]) -> None:
        self.definition, self.language, self.fallbacks = definition, language, fallbacks
        self.countries = dict(country_names(language))

    def apply(self, data: dict[str, Any], *, survey: str) -> dict[str, Any]:
        questions = self.definition.questions_by_key
        weighted = (data.get("weighted") or {}).get("questions", {})
        result: dict[str, Any] = {
            "survey": survey,
            "release": data.get("release"),
            "total": data["total"],
            "synthetic": data["synthetic"],
            "threshold": data["threshold"],
            "questions": [
                self._distribution(questions[q["key"]], q, weighted.get(q["key"], {}))
                for q in data["questions"]
                if q["key"] in questions  # a question the survey no longer asks
            ],
            "weighting": weighting_summary(data.get("weighted")),
            "breakdowns": [
                {"key": q.key, "label": self.label(q)} for q in self.definition.breakdowns
            ],
        }
        if data["breakdown"]:
            result["breakdown"] = self._breakdown(data["breakdown"])
        return result

    def unreleased(self, survey: Survey) -> dict[str, Any]:
        """Before the first release: nothing counted is public yet."""
        empty: dict[str, Any] = {
            "total": None,
            "synthetic": None,
            "questions": [],
            "breakdown": None,
        }
        return self.apply({**empty, "threshold": survey.suppression_threshold}, survey=survey.slug)

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
                "share": _share(count, answered),
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
            question = self.definition.questions_by_key.get(table["key"])
            if question is None:
                continue
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


def _share(count: int | None, answered: int | None) -> float | None:
    """Of published counts, each changed a little: a count may pass its question's."""
    return round(min(count / answered, 1.0), 4) if count is not None and answered else None
