"""`globaldialogue report --consultation SLUG --format pdf --output FILE [--language CODE]`"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from globaldialogue.consultations.models import Consultation
from globaldialogue.lib.translated import normalize_language
from globaldialogue.results.report import render_pdf


class Command(BaseCommand):
    help = (
        "Write a consultation's report: headline findings, charts, themes with quotes, "
        "discussions, dialogues and methods, in one language."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--consultation", required=True, help="The consultation's slug.")
        parser.add_argument("--format", choices=["pdf"], default="pdf")
        parser.add_argument("--output", required=True, type=Path, help="The file to write.")
        parser.add_argument(
            "--language", default="", help="Language code; default the consultation's first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = Consultation.objects.filter(slug=options["consultation"]).first()
        if consultation is None:
            known = ", ".join(Consultation.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No consultation {options['consultation']!r} (known: {known}).")
        language = normalize_language(options["language"]) or consultation.languages[0]
        if language not in consultation.languages:
            offered = ", ".join(consultation.languages)
            raise CommandError(f"The consultation is in {offered}, not {language!r}.")
        output = Path(options["output"])  # call_command passes it as given
        if not output.parent.is_dir():
            raise CommandError(f"No folder {output.parent} to write the report in.")
        output.write_bytes(render_pdf(consultation, language))
        self.stdout.write(f"Wrote {output} ({output.stat().st_size // 1024} KB, {language}).")
