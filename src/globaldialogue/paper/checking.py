"""What each typed-in row of a paper upload is: a new response, the same as stored, changed
since it was stored (a correction, stored only when the upload says so), or an error, with
every reason. The preview shows this; storing reads the file and checks it again, as others
may have stored rows in between."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from globaldialogue.paper.models import PaperBatch
from globaldialogue.paper.reading import Row
from globaldialogue.paper.serials import BadSerial, format_serial, parse_serial, response_id
from globaldialogue.surveys.columns import META_COLUMNS, answer_columns, unflatten
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.intake import Submission, check_responses
from globaldialogue.surveys.models import Survey

SERIAL = "serial"
KNOWN = {SERIAL, *META_COLUMNS}
# What a row is, by what check_responses answers for it.
STATUS = {"created": "new", "duplicate": "same", "conflict": "changed", "invalid": "error"}
SERIAL_ERRORS = {
    "not_a_serial": "“{}” is not a serial number as printed (digits, a dash, a check digit).",
    "wrong_check_digit": "“{}” is not a printed serial: its check digit does not match; "
    "look at the form again.",
}


class BadColumns(ValueError):
    """The file's header names columns no question of the survey has."""


@dataclass
class Checked:
    line: int
    serial: str
    status: str = "error"  # new, same, changed, error
    errors: list[str] = field(default_factory=list)
    submission: Submission | None = None


def check_rows(survey: Survey, rows: list[Row], language: str) -> list[Checked]:
    batches = list(PaperBatch.objects.filter(survey=survey).select_related("version"))
    columns: dict[int, Any] = {}  # per version, read once for the whole file
    checked = [_read(survey, batches, row, language, columns) for row in rows]
    _mark_repeats(checked)
    ready = [c for c in checked if c.submission is not None and not c.errors]
    outcomes = check_responses(survey=survey, submissions=[c.submission for c in ready])  # type: ignore[misc]
    for item, outcome in zip(ready, outcomes, strict=True):
        item.status = STATUS[outcome.status]
        item.errors = [
            f"{name}: {e.message}" for name, errors in outcome.errors.items() for e in errors
        ]
    return checked


def check_columns(survey: Survey, rows: list[Row]) -> None:
    """Refuse a header with a column that answers nothing: a misspelt question key would
    otherwise leave every answer in it untyped."""
    assert survey.current_version is not None
    columns = [c for v in survey.versions.all() for c in answer_columns(definition_for(v))]
    # A multiple-choice question's own key takes its options' keys in one cell ("a; b").
    names = {c.name for c in columns} | {c.question.key for c in columns}
    unknown = sorted({h for row in rows for h in row.cells} - names - KNOWN)
    if unknown:
        listed = ", ".join(f"“{name}”" for name in unknown)
        raise BadColumns(
            f"The file has columns that are not questions of this survey: {listed}. "
            "Use the column names of the typing template."
        )
    if not any(h in (SERIAL, "id") for row in rows for h in row.cells):
        raise BadColumns("The file has no “serial” column: each row needs its form's serial.")


def _read(
    survey: Survey, batches: list[PaperBatch], row: Row, language: str, columns: dict[int, Any]
) -> Checked:
    cells = {name: value.strip() for name, value in row.cells.items()}
    item = Checked(row.line, cells.get(SERIAL) or cells.get("id") or "")
    batch, response = _identify(batches, cells, item)
    if response is None:
        return item
    item.submission = Submission(
        id=response,
        language=cells.get("language") or language,
        answers=unflatten(_columns(batch or survey, columns), cells),
        submitted_at=cells.get("submitted_at") or None,
        version=batch.version.number if batch else _number(cells.get("version", "")),
    )
    return item


def _identify(
    batches: list[PaperBatch], cells: dict[str, str], item: Checked
) -> tuple[PaperBatch | None, Any]:
    """The printed batch and the response id of a row (an export's rows carry the id)."""
    if not cells.get(SERIAL):
        if cells.get("id"):
            return None, cells["id"]
        item.errors.append("serial: give the serial number printed on the form.")
        return None, None
    try:
        number = parse_serial(cells[SERIAL])
    except BadSerial as bad:
        item.errors.append("serial: " + SERIAL_ERRORS[str(bad)].format(cells[SERIAL]))
        return None, None
    item.serial = format_serial(number)
    batch = next((b for b in batches if b.first <= number <= b.last), None)
    if batch is None:
        item.errors.append(f"serial: {item.serial} was not printed for this survey.")
        return None, None
    return batch, response_id(batch.namespace, number)


def _number(text: str) -> int | None:
    """An export's version column: the version its row answered."""
    return int(text) if text.isdigit() else None


def _columns(source: PaperBatch | Survey, known: dict[int, Any]) -> Any:
    version = source.version if isinstance(source, PaperBatch) else source.current_version
    assert version is not None
    if version.pk not in known:
        known[version.pk] = answer_columns(definition_for(version))
    return known[version.pk]


def _mark_repeats(checked: Iterable[Checked]) -> None:
    first_line: dict[Any, int] = {}
    for item in checked:
        if item.submission is None:
            continue
        key = str(item.submission.id)
        if key in first_line:
            item.errors.append(f"serial: {item.serial} is also on line {first_line[key]}.")
        first_line.setdefault(key, item.line)
