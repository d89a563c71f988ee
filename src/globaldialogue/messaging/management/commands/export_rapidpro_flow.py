"""globaldialogue export-rapidpro-flow --survey SLUG [--language CODE]... --output FILE"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from globaldialogue.messaging import flowcheck, flows
from globaldialogue.messaging.access import rapidpro_webhook_url
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Write the survey as RapidPro flows (one per language) in RapidPro's export format, "
        "checked against its schema: import it in RapidPro, set the global "
        "`globaldialogue_key` to your partner key, and the runs come back by the webhook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", required=True, help="The survey's slug.")
        parser.add_argument("--language", action="append", default=[], help="Repeat; default: all.")
        parser.add_argument("--output", required=True, help="The JSON file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        survey = Survey.objects.filter(slug=options["survey"]).first()
        if survey is None or survey.current_version is None:
            raise CommandError(f"No published survey {options['survey']!r}.")
        languages = options["language"] or list(survey.languages)
        unknown = set(languages) - set(survey.languages)
        if unknown:
            raise CommandError(f"The survey is offered in {', '.join(survey.languages)}.")
        webhook = rapidpro_webhook_url(survey)
        definition = definition_for(survey.current_version)
        export = flows.export(definition, survey.slug, languages, webhook, settings.SITE_URL)
        if problems := flowcheck.problems(export):
            raise CommandError("The flow would not import: " + "; ".join(problems[:5]))
        Path(options["output"]).write_text(flows.dumps(export), encoding="utf-8")
        self.stdout.write(
            f"Wrote {len(languages)} flow(s) to {options['output']}; webhook {webhook}"
        )
