"""globaldialogue export-polis --conversation SLUG --output DIR (the Pol.is export format)"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from globaldialogue.deliberation.models import Conversation, Vote
from globaldialogue.deliberation.polis import write_export


class Command(BaseCommand):
    help = (
        "Write a conversation as a Pol.is export folder: comments.csv, votes.csv, "
        "participants-votes.csv (with our group ids) and summary.csv."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--conversation", required=True)
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        conversation = Conversation.objects.filter(slug=options["conversation"]).first()
        if conversation is None:
            raise CommandError(f"No conversation {options['conversation']!r}.")
        folder = Path(options["output"])
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty; choose a new folder.")
        total = Vote.objects.filter(conversation=conversation).count()
        with tqdm(total=total, unit="votes", disable=None) as bar:
            write_export(conversation, folder, progress=bar.update)
        self.stdout.write(f"Wrote {total} votes of /c/{conversation.slug}/ to {folder}/")
