"""Counter upserts: INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count, and
the counter's sum of record keys likewise, modulo KEY_RANGE (lib.perturb)."""

from django.db import connection

from globaldialogue.lib.perturb import KEY_RANGE
from globaldialogue.results.models import Tally
from globaldialogue.results.rollup import Increments, TallyKey

KEY_COLUMNS = ("survey_id", "question", "option", "dimension", "value", "is_synthetic")
PG_TYPES = ("bigint", "text", "text", "text", "text", "boolean", "bigint", "bigint")
Change = tuple[TallyKey, int, int]  # counter, count, sum of keys


def add_counts(counts: Increments) -> None:
    # Sorted, so two workers touching the same counters lock them in the same order.
    items = sorted(counts.items())
    if not items:
        return
    if connection.vendor == "postgresql":
        _upsert_arrays(items)
    else:
        _upsert_rows(items)


def _sql(source: str) -> str:
    q = connection.ops.quote_name
    table = q(Tally._meta.db_table)
    keys = ", ".join(q(c) for c in KEY_COLUMNS)
    count, key = q("count"), q("cell_key")
    # Only quoted identifiers from the model, a constant and %s placeholders are formatted in.
    return (
        f"INSERT INTO {table} ({keys}, {count}, {key}) {source} "
        f"ON CONFLICT ({keys}) DO UPDATE SET "
        f"{count} = {table}.{count} + excluded.{count}, "
        f"{key} = ({table}.{key} + excluded.{key}) %% {KEY_RANGE}"  # %% : a literal %
    )


def _upsert_arrays(items: list[Change]) -> None:
    """PostgreSQL: one statement with one array per column, whatever the number of rows."""
    arrays = ", ".join(f"%s::{kind}[]" for kind in PG_TYPES)
    columns = [
        list(column)
        for column in zip(*((*tally, count, key) for tally, count, key in items), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(f"SELECT * FROM unnest({arrays})"), columns)


def _upsert_rows(items: list[Change]) -> None:
    """SQLite: the same statement per row; executemany stays inside SQLite's C loop."""
    placeholders = ", ".join(["%s"] * (len(KEY_COLUMNS) + 2))
    # "WHERE true" keeps SQLite's parser from reading ON CONFLICT as part of the SELECT.
    with connection.cursor() as cursor:
        cursor.executemany(
            _sql(f"SELECT {placeholders} WHERE true"),
            [(*tally, count, key) for tally, count, key in items],
        )
