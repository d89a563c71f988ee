"""globaldialogue import-polis DIR --conversation SLUG (a Pol.is export folder)"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from sklearn.metrics import adjusted_rand_score
from tqdm import tqdm

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.deliberation.actions import import_polis, recompute_map
from globaldialogue.deliberation.mapping import unpack_positions
from globaldialogue.deliberation.polis import (
    PolisFormatError,
    polis_key,
    read_export,
)

IMPORTS_CONSULTATION = "imports"


class Command(BaseCommand):
    help = (
        "Import a Pol.is export folder (comments.csv, votes.csv, optional "
        "participants-votes.csv and summary.csv) into a new conversation, then map it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--conversation", required=True, help="Slug of the new conversation.")
        parser.add_argument("--consultation", default=IMPORTS_CONSULTATION)
        parser.add_argument("--language", default="en", help="Language of the statements.")
        parser.add_argument("--no-map", action="store_true", help="Do not compute the map now.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            export = read_export(Path(options["folder"]))
        except (PolisFormatError, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        consultation = save_consultation(
            slug=options["consultation"],
            title={"en": "Imported conversations"},
            languages=["en"],
            replace=False,
        )
        with tqdm(total=len(export.voters), unit="votes", disable=None) as bar:
            try:
                conversation = import_polis(
                    export=export,
                    slug=options["conversation"],
                    consultation=consultation,
                    language=options["language"],
                    progress=bar.update,
                )
            except PolisFormatError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"Imported {len(export.comments)} statements and {len(export.voters)} votes "
            f"into /c/{conversation.slug}/"
        )
        if not options["no_map"]:
            self._map(conversation, export.groups)

    def _map(self, conversation: Any, polis_groups: dict[int, int]) -> None:
        stored = recompute_map(conversation=conversation)
        self.stdout.write(f"Opinion map: {stored.k} groups from {stored.votes} votes.")
        if polis_groups:
            score = adjusted_rand_score(*_paired(conversation, stored, polis_groups))
            self.stdout.write(f"Agreement with Pol.is' groups (adjusted Rand index): {score:.2f}")


def _paired(conversation: Any, stored: Any, polis_groups: dict[int, int]) -> tuple[list, list]:
    arrays = unpack_positions(stored.positions)
    ours = {int(p): int(g) for p, g in zip(arrays["participants"], arrays["groups"], strict=True)}
    pk_by_key = dict(conversation.participants.values_list("key_hash", "pk"))
    mine, theirs = [], []
    for polis_id, group in polis_groups.items():
        pk = pk_by_key.get(polis_key(conversation.slug, polis_id))
        if pk is not None and ours.get(pk, -1) >= 0:
            mine.append(ours[pk])
            theirs.append(group)
    return mine, theirs
