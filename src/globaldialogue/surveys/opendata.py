"""The public, anonymised dataset of a survey: one row per response, in random order (no
row number, nothing that follows the order of submission); the region; the
quasi-identifiers (country, age group, gender, education, disability, language, channel,
version, and the day shown as its week or month) generalised so every combination is shared
by at least the survey's suppression threshold of rows (anonymise.py); and the closed
answers. No ids, no days or times, no open text (it can name people). The file published
on the dashboard holds the responses counted by the latest release (`cut`), so it moves in
releases too.

The generalisation plan comes from one GROUP BY over the responses; the rows then stream
out as in the analysts' export (exports.py), on PostgreSQL through a join with the plan.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, F
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth, TruncWeek

from globaldialogue.surveys import copyout
from globaldialogue.surveys.anonymise import (
    ANSWERED,
    QUASI_IDENTIFIERS,
    RELEASED,
    Combination,
    generalise,
    week_and_month,
)
from globaldialogue.surveys.columns import Column, answer_columns, flatten
from globaldialogue.surveys.definition import Definition, definition_for
from globaldialogue.surveys.exports import CHUNK, Layout, responses
from globaldialogue.surveys.models import Response, Survey
from globaldialogue.weighting.population import world_population

PLAN_TABLE = "gd_public_plan"
GENERALISED = "; empty where generalised for privacy"
# The public dataset's own columns, for its codebook: name -> what the values are.
PUBLIC_META = {
    "region": "UN M49 sub-region of the country",
    "country": "ISO 3166-1 alpha-2" + GENERALISED,
    "age_group": "option key" + GENERALISED,
    "gender": "option key" + GENERALISED,
    "education": "option key" + GENERALISED,
    "disability": "option key" + GENERALISED,
    "language": "language answered in" + GENERALISED,
    "channel": ", ".join(Response.Channel.values) + GENERALISED,
    "version": "survey version number" + GENERALISED,
    "period": (
        "when the response was given (UTC): its ISO week (2026-W48) or, where a week "
        "would single out fewer than the threshold of rows, its month (2026-11)" + GENERALISED
    ),
}
# What the codebook says about the file as a whole.
ABOUT = (
    "Rows are in random order. Every combination of region, country, age group, gender, "
    "education, disability, language, channel, version and period is shared by at least "
    "{k} rows: where it would not be, values were left empty (generalised) step by step, "
    "the day first shown as its week, then its month, then the answers least needed for "
    "weighting dropped; {left_out}."
)
# How many rows were left out is itself under the threshold: the file says only whether.
LEFT_OUT = ("no row had to be left out", "rows that could not be hidden among {k} were left out")


def public_layout(survey: Survey, *, include_synthetic: bool, cut: datetime | None) -> Layout:
    """`cut`: only responses counted by then (the latest release's time); None: every
    response (an operator's export-responses --public)."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    columns = public_columns(definition)
    counts = combination_counts(survey, include_synthetic, cut)
    k = survey.suppression_threshold
    plan = generalise(counts, k, _region)
    left_out = sum(count for combination, count in counts.items() if plan[combination] is None)
    source = _Source(survey, definition, columns, plan, include_synthetic, cut)
    return Layout(
        header=[*RELEASED, *(c.name for c in columns)],
        kinds=["text"] * len(RELEASED) + [c.kind for c in columns],
        rows=lambda: _rows(source),
        select=lambda safe: _select(source, safe),
        total=sum(counts.values()) - left_out,
        left_out=left_out,
        meta={"": ABOUT.format(k=k, left_out=LEFT_OUT[bool(left_out)].format(k=k)), **PUBLIC_META},
        columns=columns,
    )


def public_columns(definition: Definition) -> list[Column]:
    """Closed answers other than the quasi-identifiers (shown generalised instead)."""
    return [
        column
        for column in answer_columns(definition)
        if column.kind != "text" and column.question.key not in ANSWERED
    ]


def _region(country: str) -> str:
    return world_population().regions.get(country, "")


def released_responses(survey: Survey, include_synthetic: bool, cut: datetime | None) -> Any:
    found = responses(survey, include_synthetic)
    return found if cut is None else found.filter(tallied_at__lte=cut)


def combination_counts(
    survey: Survey, include_synthetic: bool, cut: datetime | None
) -> dict[Combination, int]:
    keys = {key: KT(f"answers__{key}") for key in ANSWERED}
    grouped = (
        released_responses(survey, include_synthetic, cut)
        .order_by()
        .values(
            **{f"q_{key}": value for key, value in keys.items()},
            q_language=F("language"),
            q_channel=F("channel"),
            q_version=F("version__number"),
            # Weeks and months, not days: as many groups as the plan can release.
            q_week=TruncWeek("submitted_at", tzinfo=UTC),
            q_month=TruncMonth("submitted_at", tzinfo=UTC),
        )
    )
    counts: dict[Combination, int] = {}
    for row in grouped.annotate(n=Count("pk")):
        given = {key: _choice(row[f"q_{key}"]) for key in ANSWERED}
        given.update(
            language=row["q_language"],
            channel=row["q_channel"],
            version=str(row["q_version"]),
        )
        given["week"] = week_and_month(_day(row["q_week"]))[0]
        given["month"] = week_and_month(_day(row["q_month"]))[1]
        combination = tuple(given[key] for key in QUASI_IDENTIFIERS)
        counts[combination] = counts.get(combination, 0) + row["n"]
    return counts


def _day(moment: date | datetime) -> date:
    """A truncated week or month as a date (SQLite gives a date, PostgreSQL a datetime)."""
    return moment.date() if isinstance(moment, datetime) else moment


def _choice(value: Any) -> str:
    """A stored choice as its key: "other" answers are {"option", "text"} objects (JSON text
    when read through a key transform)."""
    if isinstance(value, str) and value.startswith("{"):
        value = json.loads(value)
    if isinstance(value, dict):
        return str(value.get("option", ""))
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class _Source:
    """Where the public rows come from and how each is generalised."""

    survey: Survey
    definition: Definition
    columns: list[Column]
    plan: dict[Combination, Any]
    include_synthetic: bool
    cut: datetime | None


def _rows(source: _Source) -> Iterator[list[Any]]:
    fields = ("submitted_at", "channel", "version__number", "language", "answers")
    found = released_responses(source.survey, source.include_synthetic, source.cut)
    plan, columns = source.plan, source.columns
    rows = found.order_by("?").values_list(*fields).iterator(CHUNK)
    for moment, channel, version, language, answers in rows:
        given = {key: _choice(answers.get(key)) for key in ANSWERED}
        given.update(
            language=language,
            channel=channel,
            version=str(version),
        )
        given["week"], given["month"] = week_and_month(moment.astimezone(UTC).date())
        released = plan[tuple(given[key] for key in QUASI_IDENTIFIERS)]
        if released is not None:
            yield [*released, *flatten(columns, answers)]


def _select(source: _Source, safe: bool) -> tuple[str, list[Any]]:
    """The public rows on PostgreSQL: responses joined with the plan in a temporary table,
    on one key made of the quasi-identifiers (a hash join on one text column), in random
    order; `safe`: spreadsheet-safe text cells."""
    _store_plan(source.plan)
    parts, params = [], []
    for key in ANSWERED:
        question = source.definition.questions_by_key.get(key)
        if question is None:
            parts.append("''")
            continue
        sql, values = copyout.column_sql(Column(key, question))
        parts.append(f"coalesce({sql}, '')")
        params += values
    parts += [
        "r.language",
        "r.channel",
        "v.number::text",
        "to_char(r.submitted_at AT TIME ZONE 'UTC', 'IYYY-\"W\"IW')",
        "to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM')",
    ]
    join = f"JOIN {PLAN_TABLE} p ON p.given = concat_ws(chr(31), {', '.join(parts)})"
    cut = source.cut
    return copyout.select_responses(
        source.survey,
        source.columns,
        include_synthetic=source.include_synthetic,
        meta=[f"p.r{index}" for index in range(len(RELEASED))],
        join=(join, params),
        spreadsheet_safe=safe,
        where=("r.tallied_at <= %s", [cut]) if cut else ("true", []),
        order="random()",
    )


def _store_plan(plan: dict[Combination, Any]) -> None:
    shown = [f"r{i} text" for i in range(len(RELEASED))]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAN_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {PLAN_TABLE} (given text, {', '.join(shown)})")
        with cursor.cursor.copy(f"COPY {PLAN_TABLE} FROM STDIN") as copy:
            for combination, released in plan.items():
                if released is not None:
                    copy.write_row(("\x1f".join(combination), *released))
        cursor.execute(f"ANALYZE {PLAN_TABLE}")
