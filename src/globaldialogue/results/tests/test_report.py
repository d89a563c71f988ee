"""The consultation report: `globaldialogue report` and the dashboard's download both give a
PDF that renders (pages counted, text read back with pypdf) with the findings, the
methods, themes with quotes and the discussions, in the language asked for."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pypdf import PdfReader

from globaldialogue.results import actions
from globaldialogue.results.actions import tally_all
from globaldialogue.results.models import Analysis
from globaldialogue.results.tests.helpers import SECRET
from globaldialogue.surveys.demo import load_synthetic_sample


def pdf_text(path):
    """The number of pages and the text of every page, whitespace collapsed."""
    reader = PdfReader(path)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.fixture
def reported(answered, django_capture_on_commit_callbacks):
    """The answered survey with a synthetic sample, counted, its advice's themes found."""
    load_synthetic_sample(answered, 200)
    tally_all()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_themes(survey=answered, question="advice")
    assert Analysis.objects.get().status == Analysis.Status.DONE
    return answered


def test_the_report_command_writes_a_pdf_with_findings_themes_and_methods(reported, tmp_path):
    output = tmp_path / "un75.pdf"
    out = io.StringIO()
    call_command(
        "report", consultation="un75", format="pdf", output=str(output), language="en", stdout=out
    )
    assert f"Wrote {output}" in out.getvalue()
    pages, text = pdf_text(output)
    assert pages >= 3
    assert "UN75: The Future We Want" in text and "Headline findings" in text
    assert "Most chosen:" in text and "95% range" in text
    assert "Themes in open answers" in text and "“" in text  # a quote
    assert SECRET not in text  # no quote from a group too small to hide in
    assert "Methods" in text and "Effective sample size" in text and "Wilson" in text


def test_the_report_in_french(reported, tmp_path):
    output = tmp_path / "un75-fr.pdf"
    call_command("report", consultation="un75", output=str(output), language="fr")
    _pages, text = pdf_text(output)
    assert "Principaux résultats" in text and "Méthodes" in text


def test_the_dashboard_downloads_the_report_and_keeps_it(reported, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    response = Client().get("/r/un75/report.pdf?lang=es")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "un75-report-es.pdf" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    (kept,) = (tmp_path / "reports").glob("un75-es-*.pdf")
    assert kept.read_bytes() == body
    again = Client().get("/r/un75/report.pdf?lang=es")
    assert b"".join(again.streaming_content) == body  # not made twice
    assert kept.stat().st_mtime == next((tmp_path / "reports").glob("*.pdf")).stat().st_mtime


def test_bad_report_requests_say_what_is_wrong(un75, tmp_path):
    with pytest.raises(CommandError, match="No consultation 'nowhere'"):
        call_command("report", consultation="nowhere", output=str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="not 'de'"):
        call_command("report", consultation="un75", output=str(tmp_path / "x.pdf"), language="de")
    with pytest.raises(CommandError, match="No folder"):
        call_command("report", consultation="un75", output=str(tmp_path / "no" / "x.pdf"))
    assert not list(tmp_path.iterdir())
