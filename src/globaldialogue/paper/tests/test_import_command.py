"""globaldialogue import-responses: typed-in paper forms from the shell, through the same
checks as the back office's uploads: nothing twice, errors stop the file unless the good
rows are asked for, corrections only with --replace."""

import csv
import io
import uuid

import pytest
from django.core.management import CommandError, call_command

from globaldialogue.paper.actions import print_batch
from globaldialogue.paper.serials import format_serial
from globaldialogue.surveys.models import Response, Survey


def quietly(*args, **options):
    call_command(*args, **options, stdout=io.StringIO(), stderr=io.StringIO())


def paper_file(tmp_path, rows):
    """Printed forms typed in: a row per form, each with its serial."""
    batch = print_batch(survey=Survey.objects.get(slug="un75"), language="fr", count=len(rows))
    path = tmp_path / "paper.csv"
    header = [
        "serial",
        "language",
        "future_outlook",
        "trends",
        "world_2045__other_text",
        "country",
        "age_group",
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, row in enumerate(rows, start=batch.first):
            writer.writerow([format_serial(number), *row])
    return path


def test_paper_forms_with_errors_store_nothing_unless_asked(un75, tmp_path):
    path = paper_file(
        tmp_path,
        [
            ["ar", "better", "climate; health", "", "EG", "16_30"],
            ["ar", "perhaps", "climate", "", "EG", "16_30"],
            ["ru", "worse", "armed_conflict", "", "RU", "over_75"],
        ],
    )
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 rows have errors"):
        call_command(
            "import_responses", str(path), survey="un75", stdout=io.StringIO(), stderr=errors
        )
    # The operator running the command reads the errors, in the interface's default language.
    assert "row 3: future_outlook: “perhaps” is not one of the options." in errors.getvalue()
    assert not Response.objects.exists()
    quietly("import_responses", str(path), survey="un75", good_rows_only=True)
    stored = Response.objects.all()
    assert sorted(r.answers["trends"] for r in stored) == [
        ["armed_conflict"],
        ["climate", "health"],
    ]
    assert {r.channel for r in stored} == {"paper"}


def test_importing_the_same_file_twice_counts_once(un75, tmp_path):
    path = paper_file(tmp_path, [["fr", "same", "corruption", "", "FR", "31_45"]])
    call_command("import_responses", str(path), survey="un75", stdout=io.StringIO())
    report = io.StringIO()
    call_command("import_responses", str(path), survey="un75", stdout=report)
    assert Response.objects.count() == 1
    assert report.getvalue().startswith("0 created, 1 duplicate")


def test_a_corrected_file_replaces_answers_only_when_it_says_so(un75, tmp_path):
    path = paper_file(tmp_path, [["fr", "same", "corruption", "", "FR", "31_45"]])
    call_command("import_responses", str(path), survey="un75", stdout=io.StringIO())
    path.write_text(path.read_text().replace(",same,", ",worse,"))
    report = io.StringIO()
    call_command("import_responses", str(path), survey="un75", stdout=report)
    assert "1 kept" in report.getvalue()
    assert Response.objects.get().answers["future_outlook"] == "same"
    call_command("import_responses", str(path), survey="un75", replace=True, stdout=report)
    assert Response.objects.get().answers["future_outlook"] == "worse"


def test_a_bad_timestamp_is_a_row_error(un75, tmp_path):
    path = tmp_path / "times.csv"
    first, second = uuid.uuid4(), uuid.uuid4()
    path.write_text(
        "id,language,submitted_at,future_outlook\n"
        f"{first},en,yesterday,better\n{second},en,2020-09-21T10:00:00,worse\n"
    )
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_responses", str(path), survey="un75", stdout=io.StringIO(), stderr=errors
        )
    assert "row 2: submitted_at: Give the time as ISO 8601" in errors.getvalue()
    quietly("import_responses", str(path), survey="un75", good_rows_only=True)
    assert Response.objects.get().submitted_at.isoformat() == "2020-09-21T10:00:00+00:00"
