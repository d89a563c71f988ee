"""globaldialogue import-responses FILE.csv --survey SLUG (paper forms, partner files)"""

import csv
import hashlib
import io
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from globaldialogue.surveys import access, actions
from globaldialogue.surveys.columns import answer_columns, unflatten
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Survey

BATCH = 500


class Command(BaseCommand):
    help = (
        "Import responses from a CSV in the export layout. Rows without an id get one "
        "derived from the file and row, so importing the same file twice counts once."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--survey", required=True)
        parser.add_argument("--language", default="", help="For rows without a language column.")

    def handle(self, *args: Any, **options: Any) -> None:
        survey = access.published_survey(options["survey"])
        if survey is None:
            raise CommandError(f"No published survey {options['survey']!r}.")
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        data = path.read_bytes()
        namespace = uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])
        text = _text(data, path)
        counts = {"created": 0, "duplicate": 0, "conflict": 0, "invalid": 0}
        for line, outcome in self._import(survey, text, namespace, options["language"]):
            counts[outcome.status] += 1
            self._report(line, outcome)
        self.stdout.write(", ".join(f"{n} {status}" for status, n in counts.items()))
        if counts["invalid"] or counts["conflict"]:
            raise CommandError("Some rows were not imported (see above); the others were.")

    def _import(self, survey: Survey, text: str, namespace: uuid.UUID, language: str) -> Any:
        assert survey.current_version is not None
        columns = answer_columns(definition_for(survey.current_version))
        total = text.count("\n")
        with tqdm(total=max(total, 0), unit="rows", disable=None) as bar:
            batch: list[tuple[int, actions.Submission]] = []
            for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
                batch.append((line, _submission(row, line, columns, namespace, language)))
                if len(batch) == BATCH:
                    yield from _submit(survey, batch)
                    bar.update(len(batch))
                    batch = []
            yield from _submit(survey, batch)
            bar.update(len(batch))

    def _report(self, line: int, outcome: actions.Outcome) -> None:
        if outcome.status == "conflict":
            self.stderr.write(f"row {line}: id {outcome.id} was already stored with other answers")
        for field, errors in outcome.errors.items():
            for error in errors:
                self.stderr.write(f"row {line}: {field}: {error.message}")


def _text(data: bytes, path: Path) -> str:
    """The file as text, checked whole before any row is stored: a file that is not UTF-8
    or not CSV is refused in one line, with nothing half-imported."""
    try:
        text = data.decode("utf-8-sig")
        for _row in csv.reader(io.StringIO(text, newline="")):
            pass
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path.name} is not UTF-8 text (byte {error.start}); save it as UTF-8 CSV."
        ) from None
    except csv.Error as error:
        raise CommandError(f"{path.name} is not a readable CSV file: {error}.") from None
    return text


def _submission(
    row: dict[str, str], line: int, columns: Any, namespace: uuid.UUID, language: str
) -> actions.Submission:
    response_id = (row.get("id") or "").strip() or uuid.uuid5(namespace, str(line))
    return actions.Submission(
        id=response_id,
        language=(row.get("language") or "").strip() or language,
        answers=unflatten(columns, row),
        submitted_at=(row.get("submitted_at") or "").strip() or None,
    )


def _submit(survey: Survey, batch: list[tuple[int, actions.Submission]]) -> Any:
    if not batch:
        return
    outcomes = actions.submit_responses(
        survey=survey, submissions=[s for _, s in batch], channel="import"
    )
    for (line, _submission), outcome in zip(batch, outcomes, strict=True):
        yield line, outcome
