"""Load the demo consultation. Safe to run again: nothing is loaded twice."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from globaldialogue.accounts.actions import ensure_organizer
from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.demo import load_demo_conversation, load_synthetic_crowd
from globaldialogue.dialogues.demo import load_demo_events
from globaldialogue.lib.env import SETTINGS_FILE
from globaldialogue.results.actions import refresh_analyses, tally_all
from globaldialogue.surveys.demo import load_demo_survey, load_synthetic_sample

DEMO_USERNAME = "organizer"


class Command(BaseCommand):
    help = (
        "Migrate, then load the UN75 demo survey and conversation, with a synthetic sample "
        "of responses and a synthetic crowd of voters."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-sample", action="store_true", help="Skip the synthetic sample.")
        parser.add_argument("--sample-size", type=int, default=3000)
        parser.add_argument("--crowd-size", type=int, default=300)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        survey = load_demo_survey()
        self.stdout.write(f"Demo survey: /s/{survey.slug}/ (results: /s/{survey.slug}/results)")
        if not options["no_sample"]:
            created = load_synthetic_sample(survey, options["sample_size"])
            tally_all()
            self.stdout.write(f"Synthetic sample: {created} new responses (flagged synthetic).")
            if refresh_analyses(survey_ids={survey.pk}):
                self.stdout.write("Themes in the open answers and the public dataset: queued.")
        self._conversation(crowd=0 if options["no_sample"] else options["crowd_size"])
        links = settings.DATA_DIR / "demo-room-links.txt"
        for event in load_demo_events(links_file=links):
            results = f" (what the groups said: /d/{event.slug}/results)"
            self.stdout.write(
                f"Demo dialogue event: /d/{event.slug}/{results if event.reports_public else ''}"
            )
        if links.exists():
            self.stdout.write("Live demo room (open each link in its own browser window):")
            self.stdout.write(links.read_text().rstrip())
        self._organizer()
        self._settings_file()

    def _conversation(self, crowd: int) -> None:
        conversation = load_demo_conversation()
        self.stdout.write(f"Demo conversation: /c/{conversation.slug}/")
        if crowd and load_synthetic_crowd(conversation, crowd):
            self.stdout.write(f"Synthetic crowd: {crowd} voters (partner ids demo-crowd-N).")
        if not conversation.maps.exists() or crowd:
            recompute_map(conversation=conversation)

    def _organizer(self) -> None:
        """An organizer account for the back office, its password kept in the data folder."""
        path = settings.DATA_DIR / "demo-organizer-password.txt"
        _user, password = ensure_organizer(username=DEMO_USERNAME)
        if password is not None:
            path.write_text(password + "\n")
            path.chmod(0o600)
        if path.exists():
            password = path.read_text().strip()
            self.stdout.write(f"Back office: /admin/ as {DEMO_USERNAME} / {password}")

    def _settings_file(self) -> None:
        """Debug on for every later command run with this data folder (cli.py reads it), so
        the README's commands work after `make demo` as they are typed."""
        path = settings.DATA_DIR / SETTINGS_FILE
        if settings.DEBUG and not path.exists():
            path.write_text(
                "# Written by `globaldialogue demo`: the demo's settings, read by every\n"
                "# `globaldialogue` command run with this data folder (the environment wins).\n"
                "# Delete this file before running for real.\n"
                "GLOBALDIALOGUE_DEBUG=1\n"
            )
