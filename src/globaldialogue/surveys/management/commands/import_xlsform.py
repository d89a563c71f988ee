"""globaldialogue import-xlsform FORM.xlsx --consultation SLUG"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.surveys import actions
from globaldialogue.surveys.xlsform import XLSFormError, read_xlsform


class Command(BaseCommand):
    help = "Import an XLSForm (ODK / KoboToolbox) as a survey of a consultation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("form", type=Path)
        parser.add_argument("--consultation", required=True, help="Created if it does not exist.")
        parser.add_argument("--survey", default="", help="Survey slug (default: form_id).")
        parser.add_argument("--draft", action="store_true", help="Import without publishing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            definition = read_xlsform(options["form"])
        except XLSFormError as error:
            raise CommandError(str(error)) from None
        slug = options["survey"] or definition.pop("slug") or options["form"].stem
        consultation = save_consultation(
            slug=options["consultation"],
            title=definition["title"],
            languages=definition["languages"],
            replace=False,
        )
        try:
            survey = actions.import_survey(
                consultation=consultation,
                slug=slug,
                definition=definition,
                publish=not options["draft"],
            )
        except ValidationError as problems:
            raise CommandError("; ".join(problems.messages)) from None
        count = len(definition["questions"])
        self.stdout.write(
            f"Imported {slug}: {count} questions in {', '.join(survey.languages)}; "
            f"{survey.get_status_display().lower()}."
        )
