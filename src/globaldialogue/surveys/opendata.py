"""The public, anonymised dataset of a survey: one row per response with a row number, the
day, channel and version; the region; the quasi-identifiers (country, age group, gender,
education, disability, language) generalised so every combination is shared by at least
the survey's suppression threshold of rows (anonymise.py); and the closed answers. No ids,
no times of day, no open text (it can name people).

The generalisation plan comes from one GROUP BY over the responses; the rows then stream
out as in the analysts' export (exports.py), on PostgreSQL through a join with the plan.
"""

import json
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Count, F
from django.db.models.fields.json import KT

from globaldialogue.surveys import copyout
from globaldialogue.surveys.anonymise import QUASI_IDENTIFIERS, RELEASED, Combination, generalise
from globaldialogue.surveys.columns import Column, answer_columns, flatten
from globaldialogue.surveys.definition import Definition, definition_for
from globaldialogue.surveys.exports import CHUNK, Layout, responses
from globaldialogue.surveys.models import Survey
from globaldialogue.weighting.population import world_population

PLAN_TABLE = "gd_public_plan"
# The public dataset's own columns, for its codebook: name -> what the values are.
PUBLIC_META = {
    "row": "1, 2, ... (no response id)",
    "date": "YYYY-MM-DD (UTC; no time of day)",
    "channel": "web, api, partner, import, synthetic",
    "version": "survey version number",
    "region": "UN M49 sub-region of the country",
    "country": "ISO 3166-1 alpha-2; empty where generalised for privacy",
    "age_group": "option key; empty where generalised for privacy",
    "gender": "option key; empty where generalised for privacy",
    "education": "option key; empty where generalised for privacy",
    "disability": "option key; empty where generalised for privacy",
    "language": "language answered in; empty where generalised for privacy",
}
ANSWERED = [key for key in QUASI_IDENTIFIERS if key != "language"]


def public_layout(survey: Survey, *, include_synthetic: bool) -> Layout:
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    columns = public_columns(definition)
    counts = combination_counts(survey, include_synthetic)
    plan = generalise(counts, survey.suppression_threshold, _region)
    left_out = sum(count for combination, count in counts.items() if plan[combination] is None)
    return Layout(
        header=["row", "date", "channel", "version", *RELEASED, *(c.name for c in columns)],
        kinds=["row", "text", "text", "version", *["text"] * len(RELEASED)]
        + [c.kind for c in columns],
        rows=lambda: _rows(survey, definition, columns, plan, include_synthetic),
        select=lambda safe: _select(survey, definition, columns, plan, include_synthetic, safe),
        total=sum(counts.values()) - left_out,
        left_out=left_out,
        meta=PUBLIC_META,
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


def combination_counts(survey: Survey, include_synthetic: bool) -> dict[Combination, int]:
    keys = {key: KT(f"answers__{key}") for key in ANSWERED}
    grouped = (
        responses(survey, include_synthetic)
        .order_by()
        .values(**{f"q_{key}": value for key, value in keys.items()}, q_language=F("language"))
    )
    counts: dict[Combination, int] = {}
    for row in grouped.annotate(n=Count("pk")):
        combination = tuple(_choice(row[f"q_{key}"]) for key in QUASI_IDENTIFIERS)
        counts[combination] = counts.get(combination, 0) + row["n"]
    return counts


def _choice(value: Any) -> str:
    """A stored choice as its key: "other" answers are {"option", "text"} objects (JSON text
    when read through a key transform)."""
    if isinstance(value, str) and value.startswith("{"):
        value = json.loads(value)
    if isinstance(value, dict):
        return str(value.get("option", ""))
    return value if isinstance(value, str) else ""


def _rows(
    survey: Survey,
    definition: Definition,
    columns: list[Column],
    plan: dict[Combination, Any],
    include_synthetic: bool,
) -> Iterator[list[Any]]:
    fields = ("submitted_at", "channel", "version__number", "language", "answers")
    number = 0
    for day, channel, version, language, answers in (
        responses(survey, include_synthetic).values_list(*fields).iterator(CHUNK)
    ):
        given = {**{key: _choice(answers.get(key)) for key in ANSWERED}, "language": language}
        released = plan[tuple(given[key] for key in QUASI_IDENTIFIERS)]
        if released is None:
            continue
        number += 1
        yield [
            number,
            day.date().isoformat(),
            channel,
            version,
            *released,
            *flatten(columns, answers),
        ]


def _select(
    survey: Survey,
    definition: Definition,
    columns: list[Column],
    plan: dict[Combination, Any],
    include_synthetic: bool,
    safe: bool,
) -> tuple[str, list[Any]]:
    """The public rows on PostgreSQL: responses joined with the plan in a temporary table,
    on one key made of the quasi-identifiers (a hash join on one text column); `safe`:
    spreadsheet-safe text cells."""
    _store_plan(plan)
    parts, params = [], []
    for key in ANSWERED:
        question = definition.questions_by_key.get(key)
        if question is None:
            parts.append("''")
            continue
        sql, values = copyout.column_sql(Column(key, question))
        parts.append(f"coalesce({sql}, '')")
        params += values
    parts.append("r.language")
    meta = [
        "row_number() OVER (ORDER BY r.submitted_at, r.id)",
        "to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        "r.channel",
        "v.number",
        *(f"p.r{index}" for index in range(len(RELEASED))),
    ]
    join = f"JOIN {PLAN_TABLE} p ON p.given = concat_ws(chr(31), {', '.join(parts)})"
    return copyout.select_responses(
        survey,
        columns,
        include_synthetic=include_synthetic,
        meta=meta,
        join=(join, params),
        spreadsheet_safe=safe,
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
