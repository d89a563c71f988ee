"""The public dataset (export-responses --public) and the two export paths: no ids, times
or open text; every released combination of quasi-identifiers shared by the threshold of
rows; Parquet the same as CSV; and on PostgreSQL the database's COPY path writes exactly
what the Python path writes."""

import csv
import io
from collections import Counter

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from globaldialogue.surveys import actions
from globaldialogue.surveys.anonymise import RELEASED
from globaldialogue.surveys.demo import load_synthetic_sample
from globaldialogue.surveys.exports import analyst_layout, write_export
from globaldialogue.surveys.opendata import public_layout
from globaldialogue.testing import answers_pierre, payload

LONER = "Fiji should lead the world on ocean protection"


@pytest.fixture
def sampled(un75):
    load_synthetic_sample(un75, 300)
    loner = {**answers_pierre(), "country": "FJ", "advice": LONER, "education": "tertiary"}
    pierres = [actions.Submission(**payload(answers_pierre(), "fr")) for _ in range(12)]
    actions.submit_responses(
        survey=un75,
        submissions=[actions.Submission(**payload(loner, "en")), *pierres],
        channel="api",
    )
    return un75


def export(tmp_path, name, **options):
    out = tmp_path / name
    text = io.StringIO()
    call_command(
        "export_responses",
        survey="un75",
        output=str(out),
        include_synthetic=True,
        stdout=text,
        **options,
    )
    return out, text.getvalue()


def read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_public_dataset_has_no_ids_days_order_or_open_text(sampled, tmp_path):
    out, said = export(tmp_path, "public.csv", public=True)
    rows = read(out)
    assert list(rows[0])[: len(RELEASED)] == list(RELEASED)
    assert list(RELEASED[-4:]) == ["language", "channel", "version", "period"]
    for absent in ("id", "row", "date", "submitted_at", "advice"):
        assert absent not in rows[0]
    assert not any(name.endswith("__other_text") for name in rows[0])
    assert {len(row["period"]) for row in rows} <= {0, 7, 8}  # 2026-W48, 2026-11 or ""
    assert LONER not in out.read_text(encoding="utf-8")
    assert f"Wrote {len(rows)} responses" in said
    codebook = {r["column"]: r for r in read(tmp_path / "public.codebook.csv")}
    assert "region" in codebook and "advice" not in codebook
    assert "ISO week" in codebook["period"]["values"]
    assert "random order" in codebook[""]["values"] and codebook[""]["type"] == "about"


def test_rows_follow_no_order_of_submission(sampled, tmp_path):
    first = read(export(tmp_path, "one.csv", public=True)[0])
    second = read(export(tmp_path, "two.csv", public=True)[0])
    assert first != second and sorted(map(str, first)) == sorted(map(str, second))


def test_every_released_combination_is_shared_by_ten_rows(sampled, tmp_path):
    out, said = export(tmp_path, "public.csv", public=True)
    rows = read(out)
    # Every column the file has that someone could know from outside, day and channel too.
    combinations = Counter(tuple(row[key] for key in RELEASED) for row in rows)
    assert min(combinations.values()) >= sampled.suppression_threshold
    assert not any(row["country"] == "FJ" for row in rows)  # alone in the data
    left_out = 313 - len(rows)
    assert left_out < sampled.suppression_threshold
    assert (f"Left out {left_out} responses" in said) == bool(left_out)
    assert any(row["country"] == "" and row["region"] for row in rows)  # generalised
    pierres = [
        r for r in rows if (r["country"], r["gender"], r["language"]) == ("FR", "male", "fr")
    ]
    assert len(pierres) >= 12  # twelve alike: released as given


def test_public_parquet_matches_public_csv(sampled, tmp_path):
    csv_rows = read(export(tmp_path, "public.csv", public=True)[0])
    table = pq.read_table(export(tmp_path, "public.parquet", public=True, format="parquet")[0])
    assert table.num_rows == len(csv_rows)
    assert table.schema.field("version").type == "string"  # generalised: "" or a number
    as_text = [
        {k: "" if v is None else str(v) for k, v in row.items()} for row in table.to_pylist()
    ]
    assert sorted(map(str, as_text)) == sorted(map(str, csv_rows))


@pytest.mark.parametrize("make", [analyst_layout, public_layout])
def test_the_file_holds_exactly_the_rows_python_makes(sampled, tmp_path, make):
    """On PostgreSQL the rows come from COPY; they must equal the Python path's, cell by
    cell (on SQLite both sides are the Python path)."""
    layout = make(
        sampled, include_synthetic=True, **({"cut": None} if make is public_layout else {})
    )
    out = tmp_path / "rows.csv"
    write_export(out, layout, "csv", lambda n: None)
    with out.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == layout.header
    expected = [["" if cell is None else str(cell) for cell in row] for row in layout.rows()]
    if make is public_layout:  # rows in random order, each time another
        written[1:], expected = sorted(written[1:]), sorted(expected)
    assert written[1:] == expected


def test_progress_is_told_while_the_database_streams_the_rows(sampled, tmp_path, monkeypatch):
    """On PostgreSQL the connection is busy until COPY ends, yet progress is told as rows
    arrive, on another connection (a background analysis writes it to the database)."""
    from django.db import connection

    from globaldialogue.surveys import copyout
    from globaldialogue.surveys.models import Survey

    monkeypatch.setattr(copyout, "PROGRESS_SECONDS", 0.0)
    told = []

    def progress(rows):
        Survey.objects.exists()  # the database can be asked meanwhile
        told.append(rows)

    layout = analyst_layout(sampled, include_synthetic=True)
    write_export(tmp_path / "rows.csv", layout, "csv", progress)
    assert sum(told) == layout.total
    if connection.vendor == "postgresql":
        assert len(told) >= 2  # not all at the end
