"""Amina reads the UN75 dashboard on her phone in Arabic, filters it to her region without
JavaScript, and switches to counted figures; Olga checks it on a desktop in English. Both
pages pass axe-core (WCAG 2.2 AA: no serious or critical violation)."""

import pytest

from globaldialogue.results.actions import tally_all
from globaldialogue.results.tests.helpers import run_queued_reports
from globaldialogue.surveys.demo import load_synthetic_sample
from globaldialogue.testing import PHONE, accessibility_problems


@pytest.fixture
def sampled(un75):
    load_synthetic_sample(un75, 300)
    tally_all()
    return un75


@pytest.fixture
def amina_page(chromium):
    """A phone with JavaScript off: the dashboard is plain HTML and a GET form."""

    context = chromium.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_amina_filters_the_dashboard_on_her_phone_without_javascript(
    amina_page, live_server, sampled
):
    amina_page.goto(f"{live_server.url}/r/un75/?lang=ar")
    assert amina_page.locator("html").get_attribute("dir") == "rtl"
    assert amina_page.locator("svg.chart").count() >= 6
    width = amina_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    amina_page.select_option("#f-region", "Western Africa")
    amina_page.check("input[name=view][value=counted]")
    amina_page.locator("form.filters button").click()
    amina_page.wait_for_url("**region=Western+Africa**")
    assert "view=counted" in amina_page.url
    assert amina_page.locator("#f-region").input_value() == "Western Africa"
    amina_page.locator("details summary").first.click()
    assert amina_page.locator("details table").first.is_visible()


def test_the_dashboard_is_accessible_on_phone_and_desktop(phone, desktop, live_server, sampled):
    for page, query in ((phone, "lang=ar"), (desktop, "lang=en&gender=female")):
        page.goto(f"{live_server.url}/r/un75/?{query}")
        assert accessibility_problems(page) == [], query


def test_amina_waits_for_the_report_without_javascript(
    amina_page, phone, live_server, sampled, settings, tmp_path
):
    """Reports made by a worker: without JavaScript Amina checks again by a link; with it,
    the page tells her when the report is ready, without reloading. Both read well."""
    from django.core.cache import cache

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATA_DIR = tmp_path  # no report made yet
    cache.clear()
    amina_page.goto(f"{live_server.url}/r/un75/?lang=ar")
    amina_page.get_by_role("link", name="تنزيل التقرير (PDF)").click()
    amina_page.wait_for_url("**/report.pdf?lang=ar")
    assert amina_page.get_by_role("heading", name="يجري إعداد التقرير").is_visible()
    amina_page.get_by_role("link", name="تحقّق مجددًا").click()
    amina_page.wait_for_url("**waiting=1")
    assert amina_page.get_by_role("heading", name="يجري إعداد التقرير").is_visible()

    phone.goto(f"{live_server.url}/r/un75/report.pdf?lang=ar")
    assert accessibility_problems(phone) == []
    run_queued_reports()
    ready = phone.get_by_role("status").get_by_role("link", name="تنزيل التقرير (PDF)")
    ready.wait_for(timeout=15000)
    assert not phone.locator("#check-again").is_visible()
    assert phone.get_by_role("heading", name="التقرير جاهز").is_visible()  # heading too
    assert phone.title().startswith("التقرير جاهز")
    amina_page.reload()
    assert amina_page.get_by_role("heading", name="التقرير جاهز").is_visible()
