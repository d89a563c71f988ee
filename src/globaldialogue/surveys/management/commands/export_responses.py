"""globaldialogue export-responses --survey SLUG --format csv|parquet --output PATH"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from globaldialogue.surveys import access
from globaldialogue.surveys.exports import (
    count_rows,
    export_rows,
    write_codebook,
    write_csv,
    write_parquet,
)


class Command(BaseCommand):
    help = "Export a survey's responses as CSV or Parquet, with a codebook beside them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--survey", required=True)
        parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--include-synthetic",
            action="store_true",
            help="Also export the demo's synthetic responses.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        survey = access.published_survey(options["survey"])
        if survey is None:
            raise CommandError(f"No published survey {options['survey']!r}.")
        output = Path(options["output"])
        synthetic = options["include_synthetic"]
        header, rows = export_rows(survey, include_synthetic=synthetic)
        total = count_rows(survey, include_synthetic=synthetic)
        with tqdm(total=total, unit="responses", disable=None) as bar:
            if options["format"] == "csv":
                write_csv(output, header, rows, bar.update)
            else:
                write_parquet(output, header, rows, bar.update, survey)
        codebook = output.with_name(output.stem + ".codebook.csv")
        write_codebook(codebook, survey)
        self.stdout.write(f"Wrote {total} responses to {output} and the codebook to {codebook}.")
