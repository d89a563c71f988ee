"""Files the public downloads: a survey's anonymised open dataset (surveys.opendata) as CSV
and Parquet with its codebook, written by a background analysis into DATA_DIR/opendata and
served from there until the next one replaces them. A file holds the responses of the
latest release (results.releases), so it moves in releases too."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from globaldialogue.results.models import Analysis
from globaldialogue.results.releases import last_release
from globaldialogue.surveys.exports import write_codebook, write_export
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.opendata import public_layout

FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


def folder() -> Path:
    return Path(settings.DATA_DIR) / "opendata"


def paths(analysis: Analysis) -> dict[str, Path]:
    """The files of one run: csv, parquet and codebook."""
    stem = folder() / f"{analysis.survey.slug}-public-{analysis.pk}"
    return {
        "csv": stem.with_suffix(".csv"),
        "parquet": stem.with_suffix(".parquet"),
        "codebook": stem.with_name(stem.name + ".codebook.csv"),
    }


def write_open_data(analysis: Analysis, progress: Callable[[float], None]) -> int:
    """Write the public dataset's files for `analysis`; returns the responses it holds
    (the answers counted for deciding when to write it again)."""
    survey = analysis.survey
    release = last_release(survey)
    # Before the first release nothing is public: a file with no rows.
    cut = release.published_at if release else datetime.min.replace(tzinfo=UTC)
    layout = public_layout(survey, include_synthetic=True, cut=cut)
    folder().mkdir(parents=True, exist_ok=True)
    done = [0]

    def advance(rows: int) -> None:  # the CSV, Parquet's staged CSV, then its conversion
        done[0] += rows
        progress(done[0] / max(3 * layout.total, 1))

    files = paths(analysis)
    for kind in ("csv", "parquet"):
        partial = files[kind].with_suffix(".part")
        write_export(partial, layout, kind, advance)
        if kind == "parquet":
            advance(layout.total)
        partial.replace(files[kind])  # whole or not at all for a download meanwhile
    write_codebook(files["codebook"], survey, layout)
    return layout.total + layout.left_out


def latest(survey: Survey) -> Analysis | None:
    return (
        Analysis.objects.filter(
            survey=survey, kind=Analysis.Kind.OPEN_DATA, status=Analysis.Status.DONE
        )
        .select_related("survey")
        .order_by("-finished_at")
        .first()
    )


def remove_files(analyses: Iterable[Analysis]) -> None:
    for analysis in analyses:
        for path in paths(analysis).values():
            path.unlink(missing_ok=True)
