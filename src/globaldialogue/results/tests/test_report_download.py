"""The dashboard's report download where reports are made by the background worker: a page
saying it is being made (checked again by a link without JavaScript), one job however often
it is asked for, and the earlier report given while a new one is made."""

from django.test import Client
from django_tasks_db.models import DBTaskResult

from globaldialogue.results import report
from globaldialogue.results.actions import tally_all
from globaldialogue.results.tests.helpers import run_queued_reports, submit_advice


def test_the_first_reader_waits_on_a_page_that_reloads_until_the_report_is_ready(
    queued_reports,
):
    waiting = Client().get("/r/un75/report.pdf?lang=fr")
    assert waiting.status_code == 202 and waiting["Retry-After"] == "5"
    page = waiting.content.decode()
    assert "Le rapport est en cours de préparation" in page
    assert "Vérifier à nouveau" in page and "waiting=1" in page
    Client().get("/r/un75/report.pdf?lang=fr&waiting=1")  # asked again: still one job
    assert DBTaskResult.objects.filter(task_path__endswith="report_task").count() == 1

    run_queued_reports()
    ready = Client().get("/r/un75/report.pdf?lang=fr&waiting=1")
    assert ready.status_code == 200 and "Vérifier à nouveau" not in ready.content.decode()
    assert "Télécharger le rapport (PDF)" in ready.content.decode()
    download = Client().get("/r/un75/report.pdf?lang=fr")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_earlier_report_is_given_while_the_new_one_is_made(queued_reports):
    Client().get("/r/un75/report.pdf?lang=en")
    run_queued_reports()
    first = report.current_path(queued_reports, "en")
    # New results: a release, once the threshold of new responses arrived.
    submit_advice(queued_reports.surveys.get(), ["More parks"] * 10, country="FR")
    tally_all()
    assert not report.current_path(queued_reports, "en").exists()

    meanwhile = Client().get("/r/un75/report.pdf?lang=en")
    assert b"".join(meanwhile.streaming_content) == first.read_bytes()
    run_queued_reports()
    newer = report.current_path(queued_reports, "en")
    assert newer.exists() and newer != first and not first.exists()  # the old one is gone
