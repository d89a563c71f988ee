"""Olga runs paper forms for UN75 from the back office: prints a batch (serial numbers,
PDF, typing template), uploads the typed-in forms, previews them, stores them; uploading the
same file again moves no count, and typed answers replace stored ones only in an upload
that says it corrects them, each correction in the audit trail."""

import io

import pytest
from django.db.models import Sum
from openpyxl import Workbook
from pypdf import PdfReader

from globaldialogue.audit.models import Entry
from globaldialogue.paper.models import PaperUpload
from globaldialogue.paper.serials import format_serial
from globaldialogue.paper.tests.helpers import (
    as_csv,
    decide,
    last_batch,
    last_upload,
    print_forms,
    template,
    upload,
)
from globaldialogue.results.actions import tally_all
from globaldialogue.results.models import Tally
from globaldialogue.results.queries import live_total
from globaldialogue.surveys.models import Response


def filled(olga_client, un75, count=3):
    """A batch printed and its template filled in as a clerk would type the forms."""
    assert print_forms(olga_client, un75, count=count).status_code == 302
    rows = template(olga_client, last_batch())
    answers = ["better", "same", "worse", "better", "same"]
    for row, outlook in zip(rows, answers, strict=False):
        row.update(future_outlook=outlook, trends="climate; health", country="FR")
    return rows


def counted(survey, question, option):
    tally_all()
    found = Tally.objects.filter(survey=survey, question=question, option=option, dimension="")
    return found.aggregate(n=Sum("count"))["n"] or 0


def test_printing_takes_the_next_serial_numbers_and_makes_a_form_each(olga_client, un75):
    print_forms(olga_client, un75, count=3)
    first = last_batch()
    print_forms(olga_client, un75, language="ar", count=2)
    second = last_batch()
    assert (first.first, first.count, second.first, second.count) == (1, 3, 4, 2)
    pdf = olga_client.get(f"/admin/paper/paperbatch/{second.pk}/forms.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert len(pages) >= 2
    assert format_serial(4) in pages[0] and format_serial(5) in " ".join(pages[1:])
    assert "future_outlook" in pages[0]  # the question's column, for the typist
    rows = template(olga_client, first)
    assert [r["serial"] for r in rows] == [format_serial(n) for n in (1, 2, 3)]
    assert {r["language"] for r in rows} == {"fr"}
    assert Entry.objects.filter(action="print_batch").count() == 2


def test_a_draft_or_a_language_the_survey_lacks_prints_nothing(olga_client, un75):
    page = print_forms(olga_client, un75, language="de")
    assert page.status_code == 200 and "not in “de”" in page.content.decode()
    assert last_batch() is None


def test_an_upload_is_previewed_then_stored_and_again_moves_nothing(olga_client, un75):
    data = as_csv(filled(olga_client, un75))
    page = upload(olga_client, un75, data)
    assert page.status_code == 303
    preview = olga_client.get(page["Location"]).content.decode()
    assert "3 new forms" in preview
    assert Response.objects.count() == 0  # previewed, nothing stored
    done = decide(olga_client, last_upload()).content.decode()
    assert "3 new responses stored" in done
    assert live_total(un75) == 3 and counted(un75, "future_outlook", "better") == 1
    assert {r.channel for r in Response.objects.all()} == {"paper"}

    upload(olga_client, un75, data, name="typed-again.csv")
    assert (
        "3 already stored with the same answers"
        in olga_client.get(f"/admin/paper/paperupload/{last_upload().pk}/change/").content.decode()
    )
    assert "3 already stored, counted once" in decide(olga_client, last_upload()).content.decode()
    assert Response.objects.count() == 3 and live_total(un75) == 3


def test_rows_with_errors_store_nothing_unless_only_the_good_ones_are_asked(olga_client, un75):
    rows = filled(olga_client, un75)
    rows[0]["future_outlook"] = "perhaps"
    good = format_serial(2)
    rows[1]["serial"] = good[:-1] + str((int(good[-1]) + 1) % 10)  # a mistyped check digit
    rows.append({**rows[2]})  # the same form typed twice
    rows.append({**rows[2], "serial": format_serial(900)})  # never printed
    upload(olga_client, un75, as_csv(rows))
    preview = olga_client.get(f"/admin/paper/paperupload/{last_upload().pk}/change/")
    text = preview.content.decode()
    assert "“perhaps” is not one of the options." in text
    assert "its check digit does not match" in text
    assert f"{format_serial(3)} is also on line 4" in text
    assert f"{format_serial(900)} was not printed for this survey" in text
    refused = decide(olga_client, last_upload()).content.decode()
    assert "4 rows have errors" in refused and Response.objects.count() == 0
    stored = decide(olga_client, last_upload(), good_rows_only="on").content.decode()
    assert "1 new responses stored" in stored and "4 rows with errors left out" in stored
    assert Response.objects.count() == 1


def test_changed_answers_replace_stored_ones_only_in_a_correction_upload(olga_client, un75):
    rows = filled(olga_client, un75)
    upload(olga_client, un75, as_csv(rows))
    decide(olga_client, last_upload())
    assert counted(un75, "future_outlook", "better") == 1
    rows[0]["future_outlook"] = "worse"  # the clerk misread the first form

    upload(olga_client, un75, as_csv(rows))
    kept = decide(olga_client, last_upload()).content.decode()
    assert "1 changed but kept as stored" in kept
    assert counted(un75, "future_outlook", "better") == 1

    upload(olga_client, un75, as_csv(rows), replace=True)
    preview = olga_client.get(f"/admin/paper/paperupload/{last_upload().pk}/change/")
    assert "1 already stored with other answers: the typed answers replace them" in (
        preview.content.decode()
    )
    assert "1 corrected" in decide(olga_client, last_upload()).content.decode()
    assert counted(un75, "future_outlook", "better") == 0
    assert counted(un75, "future_outlook", "worse") == 2
    assert live_total(un75) == 3
    entry = Entry.objects.get(action="correct_response")
    assert entry.actor == "olga" and entry.consultation == un75.consultation.slug


def test_an_xlsx_file_uploads_as_its_csv_does(olga_client, un75):
    rows = filled(olga_client, un75, count=2)
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    upload(olga_client, un75, out.getvalue(), name="typed.xlsx")
    assert "2 new responses stored" in decide(olga_client, last_upload()).content.decode()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"serial,future_outlok\n000001-5,better\n", "columns that are not questions"),
        (b"future_outlook\nbetter\n", "no “serial” column"),
        (b"serial,future_outlook\n", "no rows of answers"),
        ("serial,future_outlook\n1,é\n".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(olga_client, un75, data, said):
    page = upload(olga_client, un75, data)
    assert page.status_code == 200 and said in page.content.decode()
    assert not PaperUpload.objects.exists()


def test_a_language_the_survey_lacks_is_refused_on_the_upload_page(olga_client, un75):
    page = upload(olga_client, un75, as_csv(filled(olga_client, un75)), language="de")
    assert page.status_code == 200 and "not in “de”" in page.content.decode()
    assert not PaperUpload.objects.exists()


def test_a_discarded_upload_keeps_nothing(olga_client, un75):
    upload(olga_client, un75, as_csv(filled(olga_client, un75)))
    decide(olga_client, last_upload(), "_discard")
    assert last_upload().status == "discarded" and bytes(last_upload().content) == b""
    assert "already stored or discarded" in decide(olga_client, last_upload()).content.decode()
    assert Response.objects.count() == 0
