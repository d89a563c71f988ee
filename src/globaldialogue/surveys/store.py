"""Exactly-once storage of responses: one multi-row INSERT ... ON CONFLICT DO NOTHING.

The client's UUID is the primary key, so a retry cannot create a second row, and the insert
needs no read first (no race between checking and writing). RETURNING tells which rows are new;
the others already existed, and their stored content hash says whether the retry was identical.
Both SQLite (3.35+) and PostgreSQL support this statement.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from globaldialogue.surveys.models import Response

COLUMNS = (
    "id",
    "survey",
    "version",
    "language",
    "channel",
    "answers",
    "content_hash",
    "receipt",
    "submitted_at",
    "is_synthetic",
    "api_key",
)
# Keeps each statement under SQLite's and PostgreSQL's bound-parameter limits.
ROWS_PER_STATEMENT = 500
ARRAYS_FROM_ROWS = 50


LOOKUP_CHUNK = 5_000


def insert_new(rows: Sequence[dict[str, Any]]) -> set[uuid.UUID]:
    """Insert rows (dicts of COLUMNS values); return the ids that were not there before."""
    inserted: set[uuid.UUID] = set()
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        inserted |= _insert_chunk(rows[start : start + ROWS_PER_STATEMENT])
    return inserted


def _insert_chunk(rows: Sequence[dict[str, Any]]) -> set[uuid.UUID]:
    fields = [Response._meta.get_field(name) for name in COLUMNS]
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in fields)  # type: ignore[union-attr,arg-type]
    values = [
        [field.get_db_prep_save(row[name], connection) for row in rows]  # type: ignore[union-attr]
        for name, field in zip(COLUMNS, fields, strict=True)
    ]
    if connection.vendor == "postgresql" and len(rows) > ARRAYS_FROM_ROWS:
        # One array per column: a few parameters whatever the number of rows, so the driver
        # does not parse a statement with thousands of placeholders. Small batches (group
        # commit's usual size) are faster as plain VALUES.
        types = [f.db_type(connection) for f in fields]
        source = "SELECT * FROM unnest(" + ", ".join(f"%s::{t}[]" for t in types) + ")"
        params: list[Any] = values
    else:
        placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
        source = "VALUES " + ", ".join([placeholder] * len(rows))
        params = [value for row in zip(*values, strict=True) for value in row]
    # Only quoted identifiers from the model and %s placeholders are formatted in.
    sql = (
        f"INSERT INTO {q(Response._meta.db_table)} ({columns}) {source} "
        f"ON CONFLICT ({q('id')}) DO NOTHING RETURNING {q('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {_as_uuid(value) for (value,) in cursor.fetchall()}


def stored_hashes(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[int, str, str]]:
    """id -> (survey id, content hash, receipt) for responses already stored."""
    wanted, found = list(ids), {}
    # In chunks: a database takes a bounded number of parameters per query (a file's
    # preview asks for tens of thousands of ids).
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = Response.objects.filter(id__in=wanted[start : start + LOOKUP_CHUNK])
        for row in rows.values_list("id", "survey_id", "content_hash", "receipt"):
            found[row[0]] = (row[1], row[2], row[3])
    return found


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
