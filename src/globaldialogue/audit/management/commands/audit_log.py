"""globaldialogue audit-log [--consultation SLUG] [--since ISO-DATE] [--format jsonl|csv]"""

import contextlib
import csv
import json
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from globaldialogue.audit.access import entries
from globaldialogue.lib import csvsafe

COLUMNS = ["at", "actor", "actor_kind", "role", "action", "object", "consultation", "summary"]


class Command(BaseCommand):
    help = "Print the audit trail, oldest first: one JSON object (or CSV row) per entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--consultation", default="", help="Only this consultation's.")
        parser.add_argument("--since", default="", help="From this date or time (ISO 8601).")
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    def handle(self, *args: Any, **options: Any) -> None:
        with contextlib.suppress(BrokenPipeError):  # `| head`: the reader has what it wanted
            self._print(options)

    def _print(self, options: dict[str, Any]) -> None:
        since = _since(options["since"]) if options["since"] else None
        found = entries(consultation=options["consultation"], since=since).iterator(2000)
        if options["format"] == "jsonl":
            for entry in found:
                self.stdout.write(json.dumps(entry.as_dict(), ensure_ascii=False))
            return
        writer = csvsafe.SafeWriter(
            csv.DictWriter(
                self.stdout, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n"
            )
        )
        writer.writeheader()
        for entry in found:
            row = entry.as_dict()
            writer.writerow({**row, "summary": json.dumps(row["summary"], ensure_ascii=False)})


def _since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since: not an ISO 8601 date or time: {text!r}") from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
