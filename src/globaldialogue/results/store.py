"""Counter upserts: INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count."""

from collections import Counter

from django.db import connection

from globaldialogue.results.models import Tally
from globaldialogue.results.rollup import TallyKey

ROWS_PER_STATEMENT = 400
KEY_COLUMNS = ("survey_id", "question", "option", "dimension", "value", "is_synthetic")


def add_counts(counts: Counter[TallyKey]) -> None:
    # Sorted, so two workers touching the same counters lock them in the same order.
    items = sorted(counts.items())
    for start in range(0, len(items), ROWS_PER_STATEMENT):
        _upsert(items[start : start + ROWS_PER_STATEMENT])


def _upsert(items: list[tuple[TallyKey, int]]) -> None:
    q = connection.ops.quote_name
    table = q(Tally._meta.db_table)
    key_columns = ", ".join(q(c) for c in KEY_COLUMNS)
    row = "(" + ", ".join(["%s"] * (len(KEY_COLUMNS) + 1)) + ")"
    values = ", ".join([row] * len(items))
    # Only quoted identifiers from the model and %s placeholders are formatted in.
    sql = (
        f"INSERT INTO {table} ({key_columns}, {q('count')}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({key_columns}) DO UPDATE SET "
        f"{q('count')} = {table}.{q('count')} + excluded.{q('count')}"
    )
    params = [value for key, count in items for value in (*key, count)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
