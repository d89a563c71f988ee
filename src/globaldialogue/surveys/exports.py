"""Streaming exports of responses (CSV, Parquet) with a codebook, in constant memory.

Two layouts: the analysts' (every response and answer, with its id and time) and the public
dataset (opendata.py: no ids, no open text, dates only, quasi-identifiers generalised to
k-anonymity). Two paths: on PostgreSQL the database flattens the answers and streams CSV
(copyout.py); elsewhere Python reads the responses in chunks and flattens them (columns.py).
Parquet is written from the CSV stream in row groups, so memory stays flat either way.
"""

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

from globaldialogue.lib import csvsafe
from globaldialogue.lib.translated import pick
from globaldialogue.surveys import copyout
from globaldialogue.surveys.columns import META_COLUMNS, Column, answer_columns, flatten
from globaldialogue.surveys.definition import Definition, definition_for
from globaldialogue.surveys.models import Response, Survey

CHUNK = 5000
ROW_GROUP = 50_000


@dataclass
class Layout:
    """What one export writes: its header, each column's type (text, integer, choice,
    meta) and where its rows come from on either path."""

    header: list[str]
    kinds: list[str]
    rows: Callable[[], Iterator[list[Any]]]  # the Python path
    select: Callable[[bool], tuple[str, list[Any]]]  # the PostgreSQL path (spreadsheet-safe?)
    total: int
    left_out: int = 0
    # For the codebook: the meta columns (name -> what the values are) and answer columns.
    meta: dict[str, str] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)


def analyst_layout(survey: Survey, *, include_synthetic: bool) -> Layout:
    assert survey.current_version is not None
    columns = answer_columns(definition_for(survey.current_version))
    return Layout(
        header=[*META_COLUMNS, *(c.name for c in columns)],
        kinds=["text", "text", "text", "text", "version", *(c.kind for c in columns)],
        rows=lambda: _rows(survey, columns, include_synthetic),
        select=lambda safe: copyout.select_responses(
            survey,
            columns,
            include_synthetic=include_synthetic,
            meta=copyout.analyst_meta(),
            spreadsheet_safe=safe,
        ),
        total=count_rows(survey, include_synthetic=include_synthetic),
        meta=dict.fromkeys(META_COLUMNS, ""),
        columns=columns,
    )


def count_rows(survey: Survey, *, include_synthetic: bool) -> int:
    return int(responses(survey, include_synthetic).count())


def responses(survey: Survey, include_synthetic: bool) -> Any:
    found = Response.objects.filter(survey=survey)
    if not include_synthetic:
        found = found.filter(is_synthetic=False)
    return found.order_by("submitted_at", "id")


def _rows(survey: Survey, columns: list[Column], include_synthetic: bool) -> Iterator[list[Any]]:
    fields = ("id", "submitted_at", "language", "channel", "version__number", "answers")
    for row in responses(survey, include_synthetic).values_list(*fields).iterator(CHUNK):
        *meta, answers = row
        meta[0], meta[1] = str(meta[0]), meta[1].isoformat(timespec="microseconds")
        yield [*meta, *flatten(columns, answers)]


def write_export(path: Path, layout: Layout, kind: str, progress: Callable[[int], None]) -> None:
    """`layout`'s rows into `path` as CSV or Parquet, by the fastest path the database has."""
    if kind == "csv":
        _csv(path, layout, progress, safe=True)
        return
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        staged = Path(scratch) / "rows.csv"
        _csv(staged, layout, progress, safe=False)  # Parquet keeps the text as written
        _parquet(staged, path, layout)


def _csv(path: Path, layout: Layout, progress: Callable[[int], None], *, safe: bool) -> None:
    """`safe`: cells a spreadsheet would run as formulas defused (lib/csvsafe.py)."""
    if connection.vendor == "postgresql":
        copyout.copy_csv(path, layout.header, layout.select(safe), progress)
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(layout.header)
        for row in layout.rows():
            writer.writerow(csvsafe.safe_row(row) if safe else row)
            progress(1)


def _parquet(source: Path, path: Path, layout: Layout) -> None:
    """CSV to Parquet in row groups: Arrow parses and compresses in C++ threads."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    types = {
        "text": pa.string(),
        "choice": pa.string(),
        "integer": pa.int64(),
        "version": pa.int32(),
        "row": pa.int64(),
    }
    schema = pa.schema(
        [pa.field(n, types[k]) for n, k in zip(layout.header, layout.kinds, strict=True)]
    )
    reader = pacsv.open_csv(
        str(source),
        # Small blocks: Arrow parses blocks ahead of the writer, and with 16 MB blocks
        # held nearly the whole file (535 MB of 600 at 3M rows); at 1 MB its memory stays
        # at about 50 MB whatever the size (bench/export.py), and it runs no slower.
        read_options=pacsv.ReadOptions(block_size=1 << 20),
        convert_options=pacsv.ConvertOptions(
            column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        pending = pa.Table.from_batches([], schema)
        for batch in reader:  # gathered into row groups of ROW_GROUP rows
            pending = pa.concat_tables([pending, pa.Table.from_batches([batch], schema)])
            while pending.num_rows >= ROW_GROUP:
                writer.write_table(pending.slice(0, ROW_GROUP))
                pending = pending.slice(ROW_GROUP)
        if pending.num_rows:
            writer.write_table(pending)


def write_codebook(path: Path, survey: Survey, layout: Layout) -> None:
    """One row per column: its question, type, option and labels in every language."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    languages = list(definition.languages)
    meta, columns = layout.meta, layout.columns
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csvsafe.writer(handle, lineterminator="\n")
        writer.writerow(
            ["column", "question", "type", "option", "values"]
            + [f"label_{code}" for code in languages]
        )
        for name, values in meta.items():
            kind = "meta" if name else "about"  # "": what is said of the file as a whole
            writer.writerow([name, "", kind, "", values, *([""] * len(languages))])
        for column in columns:
            writer.writerow(_codebook_row(column, definition, languages))


def _codebook_row(column: Column, definition: Definition, languages: list[str]) -> list[str]:
    question = column.question
    option = question.options_by_key.get(column.option)
    values = (
        "0/1"
        if column.option
        else "text"
        if column.kind == "text"
        else "number"
        if column.kind == "integer"
        else "ISO 3166-1 alpha-2"
        if question.type == "country"
        else " ".join(o.key for o in question.options)
    )
    labels = [
        pick(question.label, code, definition.languages)
        + (f": {pick(option.label, code, definition.languages)}" if option else "")
        + (" (other, text)" if column.is_other_text else "")
        for code in languages
    ]
    return [column.name, question.key, question.type, column.option, values, *labels]
