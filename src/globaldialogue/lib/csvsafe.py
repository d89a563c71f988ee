"""CSV cells that a spreadsheet would run as a formula, defused (OWASP "CSV injection").

Text from participants and partners reaches CSV files organizers open in Excel or
LibreOffice: a cell starting with = + - @ (or a tab or carriage return, which some
spreadsheets skip before such a character) could fetch a URL or run a command there. Such a
cell gets a leading apostrophe, which spreadsheets show as text and do not display. A cell
that starts with an apostrophe gets one more, so that restore_cell (used when our files are
imported back) gives exactly the text that was written. Numbers stay numbers; Parquet
files, read by programs, keep the text as written.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")

# The same rule in PostgreSQL, for cells COPY writes: {} is the cell's expression.
SQL_SAFE_TEXT = r"regexp_replace(({}), E'^([-=+@\\t\\r''])', E'''\\1')"


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The text safe_cell was given (a leading apostrophe is safe_cell's, or a
    spreadsheet's "this is text" mark)."""
    return value[1:] if value.startswith("'") else value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """A csv.writer (or DictWriter) whose rows are defused first."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: Any) -> Any:
        if isinstance(row, dict):
            return self.writer.writerow({key: safe_cell(value) for key, value in row.items()})
        return self.writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Any]) -> None:
        for row in rows:
            self.writerow(row)

    def writeheader(self) -> Any:
        return self.writer.writeheader()


def writer(handle: Any, **options: Any) -> SafeWriter:
    """csv.writer(handle, **options), defused."""
    return SafeWriter(csv.writer(handle, **options))
