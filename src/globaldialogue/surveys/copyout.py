"""Exports on PostgreSQL: the database flattens the answers itself and streams CSV out with
`COPY (SELECT ...) TO STDOUT`, an order of magnitude faster than decoding each response's
JSON in Python (bench/export.py). The cells are the same as columns.flatten's; exports.py
chooses this path on PostgreSQL and the Python one elsewhere.

Only keys and options from the survey's definition reach the SQL, always as bound
parameters; the statement's shape comes from the column layout alone.
"""

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, connections

from globaldialogue.lib.csvsafe import SQL_SAFE_TEXT
from globaldialogue.surveys.columns import Column
from globaldialogue.surveys.models import Response, Survey, SurveyVersion

PROGRESS_SECONDS = 1.0  # progress is told at most this often while COPY streams
TIMESTAMP = "to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00'"


# Statement fragments, built from PostgreSQL's C-level JSON operators (a subquery per cell
# was three times slower). Each %s takes the question's key, or a JSON literal made here.
OTHER_TEXT = (
    "jsonb_path_query_first(r.answers -> %s, '$[*] ? (@.type() == \"object\").text') #>> '{}'"
)
OPTION_FLAG = (
    "CASE WHEN r.answers ? %s THEN "
    "((r.answers -> %s) @> %s::jsonb OR (r.answers -> %s) @> %s::jsonb)::int END"
)
CHOICE = (
    "CASE jsonb_typeof(r.answers -> %s) WHEN 'object' THEN r.answers -> %s ->> 'option' "
    "ELSE r.answers ->> %s END"
)


def column_sql(column: Column) -> tuple[str, list[Any]]:
    """One answer column as an SQL expression over `r.answers`, with its parameters."""
    key = column.question.key
    if column.is_other_text:
        return OTHER_TEXT, [key]
    if column.option:
        plain = json.dumps([column.option])  # ["climate"], or as an "other" answer:
        other = json.dumps([{"option": column.option}])  # [{"option": "other"}]
        return OPTION_FLAG, [key, key, plain, key, other]
    return CHOICE, [key, key, key]


def select_responses(
    survey: Survey,
    columns: list[Column],
    *,
    include_synthetic: bool,
    meta: list[str],
    join: tuple[str, list[Any]] = ("", []),
    spreadsheet_safe: bool = False,
    where: tuple[str, list[Any]] = ("true", []),
    order: str = "r.submitted_at, r.id",
) -> tuple[str, list[Any]]:
    """SELECT of `meta` expressions then one expression per column, in export order;
    `join` adds a JOIN clause (with its parameters) after the responses' own, `where` a
    condition; `spreadsheet_safe` defuses text cells a spreadsheet would run
    (lib/csvsafe.py)."""
    expressions, params = list(meta), []
    for column in columns:
        sql, values = column_sql(column)
        if spreadsheet_safe and column.kind == "text":
            sql = SQL_SAFE_TEXT.format(sql)
        expressions.append(sql)
        params += values
    q = connection.ops.quote_name
    condition = "r.survey_id = %s" + ("" if include_synthetic else " AND NOT r.is_synthetic")
    # Only fragments above, quoted table names and %s placeholders are formatted in.
    sql = (
        f"SELECT {', '.join(expressions)} FROM {q(Response._meta.db_table)} r "  # noqa: S608
        f"JOIN {q(SurveyVersion._meta.db_table)} v ON v.id = r.version_id {join[0]} "
        f"WHERE {condition} AND ({where[0]}) ORDER BY {order}"
    )
    return sql, [*params, *join[1], survey.pk, *where[1]]


def analyst_meta() -> list[str]:
    return ["r.id::text", TIMESTAMP, "r.language", "r.channel", "v.number"]


def copy_csv(
    path: Path,
    header: list[str],
    select: tuple[str, list[Any]],
    progress: Callable[[int], None],
    *,
    append: bool = False,
) -> None:
    """Write the header, then the rows COPY streams out, as they come."""
    sql, params = select
    with path.open("ab" if append else "wb") as out, connection.cursor() as cursor:
        if header:
            out.write((",".join(header) + "\n").encode())
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        # Room to sort (the public dataset's join loses the index's order) in memory.
        cursor.execute("SET work_mem = '256MB'")
        told, rows, last = 0, 0, time.monotonic()
        try:
            with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for chunk in copy:
                    out.write(chunk)
                    rows += bytes(chunk).count(b"\n")
                    if time.monotonic() - last >= PROGRESS_SECONDS:
                        _aside(progress, rows - told)
                        told, last = rows, time.monotonic()
        finally:
            cursor.execute("RESET work_mem")
    progress(rows - told)


def _aside(progress: Callable[[int], None], rows: int) -> None:
    """Tell `progress` in another thread, so on another connection: this one is busy while
    COPY streams, and a caller may record progress in the database (an analysis does)."""

    def tell() -> None:
        try:
            progress(rows)
        finally:
            connections.close_all()  # this thread's own

    thread = threading.Thread(target=tell, name="export-progress")
    thread.start()
    thread.join()
