"""globaldialogue restore DIR: a backup, checked first, into an empty database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from globaldialogue.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `globaldialogue backup` into an empty database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(options["source"])
        except BackupError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"Restored the backup made {manifest['made_at']}.")
