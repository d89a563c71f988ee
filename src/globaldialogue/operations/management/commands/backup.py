"""globaldialogue backup --output DIR: the database and the data folder's files, checksummed."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from globaldialogue.operations.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and the data folder into DIR, with a manifest of checksums."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", required=True, type=Path, help="An empty or new folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = make_backup(options["output"])
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        files = len(manifest["checksums"])
        self.stdout.write(f"Backed up to {options['output']}: {files} files, checksummed.")
