"""Typed-in paper answers as rows: a CSV (UTF-8, comma, semicolon or tab, as spreadsheets
save it) or an XLSX workbook (its first sheet). The file is read whole before anything is
checked, so one that cannot be read is refused in one sentence with nothing stored."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

MAX_ROWS = 20_000  # one upload; larger piles go in several files
XLSX_MAGIC = b"PK\x03\x04"


class Unreadable(ValueError):
    """The file cannot be read as rows; the message says why and what to do."""


@dataclass(frozen=True)
class Row:
    line: int  # as a spreadsheet numbers it: the header is line 1
    cells: dict[str, str]


def read_rows(name: str, data: bytes, *, limit: int = MAX_ROWS) -> list[Row]:
    rows = _xlsx(name, data) if data.startswith(XLSX_MAGIC) else _csv(name, data)
    if len(rows) > limit:
        raise Unreadable(f"{name} has {len(rows)} rows; send at most {limit} at a time.")
    if not rows:
        raise Unreadable(f"{name} has a header but no rows of answers.")
    return rows


def _csv(name: str, data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(
            f"{name} is not UTF-8 text (byte {error.start}); save it as “CSV UTF-8” or as .xlsx."
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise Unreadable(f"{name} is not a readable CSV file: {error}.") from None
    return _rows(name, table)


def _xlsx(name: str, data: bytes) -> list[Row]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        table = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise Unreadable(f"{name} is not a readable .xlsx workbook ({error}).") from None
    return _rows(name, table)


def _text(value: object) -> str:
    """A cell as it was typed: 3 rather than 3.0, dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _rows(name: str, table: list[list[str]]) -> list[Row]:
    if not table or not any(cell.strip() for cell in table[0]):
        raise Unreadable(f"{name} is empty: the first line should name the columns.")
    header = [cell.strip() for cell in table[0]]
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if any(cell.strip() for cell in cells):  # blank lines between typed pages are skipped
            rows.append(Row(line, {h: c for h, c in zip(header, cells, strict=False) if h}))
    return rows
