"""globaldialogue import-responses FILE --survey SLUG: typed-in paper forms or an export's
rows, from the shell (the back office's paper uploads do the same with a preview)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from globaldialogue.paper import actions
from globaldialogue.paper.checking import BadColumns, check_rows
from globaldialogue.paper.reading import Unreadable, read_rows
from globaldialogue.surveys import access

MAX_ROWS = 200_000  # larger files are split, or sent through the API's batches
SAID = ("created", "duplicate", "corrected", "kept", "conflict", "error")


class Command(BaseCommand):
    help = (
        "Import responses from a CSV or XLSX file: rows of printed forms with their serial, or "
        "an export's rows with their id. Importing a file again counts nothing twice; rows "
        "stored with other answers are kept unless --replace says they are corrections."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--survey", required=True)
        parser.add_argument("--language", default="", help="For rows without a language column.")
        parser.add_argument(
            "--replace", action="store_true", help="Typed answers correct the stored ones."
        )
        parser.add_argument(
            "--good-rows-only",
            action="store_true",
            help="Store the rows without errors when others have some (else nothing is stored).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        survey = access.published_survey(options["survey"])
        if survey is None:
            raise CommandError(f"No published survey {options['survey']!r}.")
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            rows = read_rows(path.name, path.read_bytes(), limit=MAX_ROWS)
            for item in check_rows(survey, rows, options["language"]):
                for error in item.errors:
                    self.stderr.write(f"row {item.line}: {error}")
            summary = actions.import_rows(
                survey=survey,
                name=path.name,
                rows=rows,
                language=options["language"],
                replace=options["replace"],
                good_rows_only=options["good_rows_only"],
            )
        except (Unreadable, BadColumns) as refused:
            raise CommandError(str(refused)) from None
        except actions.Refused as refused:
            raise CommandError(refused.message) from None
        said = (f"{summary.get(status, 0)} {status}" for status in SAID)
        self.stdout.write(", ".join(said))
