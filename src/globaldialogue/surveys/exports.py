"""Streaming exports of responses (CSV, Parquet) with a codebook, in constant memory."""

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from globaldialogue.lib.translated import pick
from globaldialogue.surveys.columns import META_COLUMNS, Column, answer_columns, flatten
from globaldialogue.surveys.definition import Definition, definition_for
from globaldialogue.surveys.models import Response, Survey

CHUNK = 5000


def export_rows(
    survey: Survey, *, include_synthetic: bool
) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and a lazy stream of rows; the database is read in chunks."""
    assert survey.current_version is not None
    columns = answer_columns(definition_for(survey.current_version))
    header = [*META_COLUMNS, *(c.name for c in columns)]
    return header, _rows(survey, columns, include_synthetic)


def count_rows(survey: Survey, *, include_synthetic: bool) -> int:
    return _queryset(survey, include_synthetic).count()


def _queryset(survey: Survey, include_synthetic: bool) -> Any:
    responses = Response.objects.filter(survey=survey)
    if not include_synthetic:
        responses = responses.filter(is_synthetic=False)
    return responses.order_by("submitted_at", "id")


def _rows(survey: Survey, columns: list[Column], include_synthetic: bool) -> Iterator[list[Any]]:
    fields = ("id", "submitted_at", "language", "channel", "version__number", "answers")
    for row in _queryset(survey, include_synthetic).values_list(*fields).iterator(CHUNK):
        *meta, answers = row
        meta[0], meta[1] = str(meta[0]), meta[1].isoformat()
        yield [*meta, *flatten(columns, answers)]


def write_csv(
    path: Path, header: list[str], rows: Iterator[list[Any]], progress: Callable[[int], None]
) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            progress(1)


def write_parquet(
    path: Path,
    header: list[str],
    rows: Iterator[list[Any]],
    progress: Callable[[int], None],
    survey: Survey,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert survey.current_version is not None
    schema = _arrow_schema(pa, answer_columns(definition_for(survey.current_version)))
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        batch: list[list[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 50_000:
                _write_batch(pa, writer, schema, header, batch, progress)
                batch = []
        if batch:
            _write_batch(pa, writer, schema, header, batch, progress)


def _arrow_schema(pa: Any, columns: list[Column]) -> Any:
    kinds = {"text": pa.string(), "integer": pa.int64(), "choice": pa.string()}
    meta = [
        pa.field("id", pa.string()),
        pa.field("submitted_at", pa.string()),
        pa.field("language", pa.string()),
        pa.field("channel", pa.string()),
        pa.field("version", pa.int32()),
    ]
    return pa.schema([*meta, *(pa.field(c.name, kinds[c.kind]) for c in columns)])


def _write_batch(
    pa: Any,
    writer: Any,
    schema: Any,
    header: list[str],
    batch: list[list[Any]],
    progress: Callable[[int], None],
) -> None:
    arrays = {name: [row[i] for row in batch] for i, name in enumerate(header)}
    writer.write_table(pa.table(arrays, schema=schema))
    progress(len(batch))


def write_codebook(path: Path, survey: Survey) -> None:
    """One row per column: its question, type, option and labels in every language."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    languages = list(definition.languages)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "column",
                "question",
                "type",
                "option",
                "values",
                *(f"label_{code}" for code in languages),
            ]
        )
        for name in META_COLUMNS:
            writer.writerow([name, "", "meta", "", "", *([""] * len(languages))])
        for column in answer_columns(definition):
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
