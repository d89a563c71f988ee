"""globaldialogue export-responses --survey SLUG --format csv|parquet --output PATH [--public]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from globaldialogue.surveys import access, actions
from globaldialogue.surveys.exports import analyst_layout, write_codebook, write_export
from globaldialogue.surveys.opendata import public_layout


class Command(BaseCommand):
    help = (
        "Export a survey's responses as CSV or Parquet, with a codebook beside them: every "
        "answer for analysts, or with --public the anonymised open dataset."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--survey", required=True)
        parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--include-synthetic",
            action="store_true",
            help="Also export the demo's synthetic responses.",
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="The public dataset: no ids, times or open text; quasi-identifiers "
            "generalised until each combination is shared by the survey's threshold of rows.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        survey = access.published_survey(options["survey"])
        if survey is None:
            raise CommandError(f"No published survey {options['survey']!r}.")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No folder {output.parent} to write the export in.")
        synthetic = options["include_synthetic"]
        if options["public"]:  # the operator publishes it: every response so far
            layout = public_layout(survey, include_synthetic=synthetic, cut=None)
        else:
            layout = analyst_layout(survey, include_synthetic=synthetic)
        with tqdm(total=layout.total, unit="responses", disable=None) as bar:
            write_export(output, layout, options["format"], bar.update)
        codebook = output.with_name(output.stem + ".codebook.csv")
        write_codebook(codebook, survey, layout)
        actions.note_export(
            survey=survey, public=options["public"], rows=layout.total, output=str(output)
        )
        self.stdout.write(
            f"Wrote {layout.total} responses to {output} and the codebook to {codebook}."
        )
        if layout.left_out:
            self.stdout.write(
                f"Left out {layout.left_out} responses that no group of "
                f"{survey.suppression_threshold} could hide."
            )
