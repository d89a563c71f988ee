"""Olga follows her events in the back office on a laptop screen, in real Chromium."""

import pytest

from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.testing import LAPTOP, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_report_back_rate_is_in_view_on_a_laptop(chromium, live_server, olga, youth_dialogue):
    group_of_four(youth_dialogue)
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    log_in(page, live_server.url, olga)
    page.goto(f"{live_server.url}/admin/dialogues/event/")
    column = page.locator("th.column-report_back").bounding_box()
    table = page.locator("#changelist .results").bounding_box()  # scrolls what overflows
    assert column and table and column["x"] + column["width"] <= table["x"] + table["width"]
    assert page.locator("td.field-report_back").first.inner_text() == "0 of 1 (0%)"
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    context.close()
