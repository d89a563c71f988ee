"""Olga prints UN75 forms and uploads what was typed from them, in real Chromium: on a
laptop, then on her phone, each page without a serious accessibility problem."""

import pytest

from globaldialogue.paper.serials import format_serial
from globaldialogue.paper.tests.helpers import as_csv
from globaldialogue.surveys.models import Response
from globaldialogue.testing import LAPTOP, PHONE, accessibility_problems, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("screen", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_olga_prints_forms_and_stores_the_typed_answers(
    chromium, live_server, olga, un75, screen, tmp_path
):
    context = chromium.new_context(viewport=screen, accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server.url, olga)
    page.goto(f"{live_server.url}/admin/paper/paperbatch/add/")
    page.select_option("#id_survey", str(un75.pk))
    page.fill("#id_language", "fr")
    page.fill("#id_count", "3")
    assert accessibility_problems(page) == []
    page.click("input[name=_save]")
    page.locator(".messagelist").wait_for()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Forms (PDF)").first.click()
    assert pdf.value.suggested_filename.endswith(".pdf")

    typed = tmp_path / "typed.csv"
    rows = [
        {"serial": format_serial(1), "language": "fr", "future_outlook": "better", "country": "SN"},
        {
            "serial": format_serial(2),
            "language": "fr",
            "future_outlook": "perhaps",
            "country": "SN",
        },
    ]
    typed.write_bytes(as_csv(rows))
    page.goto(f"{live_server.url}/admin/paper/paperupload/add/")
    page.select_option("#id_survey", str(un75.pk))
    page.fill("#id_language", "fr")
    page.set_input_files("#id_file", str(typed))
    assert accessibility_problems(page) == []
    page.click("input[type=submit]")
    page.locator("#paper-rows").wait_for()
    assert "“perhaps” is not one of the options." in page.locator("#paper-rows").inner_text()
    assert accessibility_problems(page) == []
    page.click("input[name=_store]")  # refused: a row has an error
    assert "1 rows have errors" in page.locator(".messagelist").inner_text()
    assert Response.objects.count() == 0
    page.check("#good_rows_only")
    page.click("input[name=_store]")
    assert "1 new responses stored" in page.locator(".messagelist").inner_text()
    assert Response.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"] + 1
    context.close()
