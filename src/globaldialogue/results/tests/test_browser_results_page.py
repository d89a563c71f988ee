"""The public results page in real Chromium: it counts up while open, and a breakdown page
refreshes its cells, with no serious accessibility problem."""

import re

import pytest
from django.test import override_settings

from globaldialogue.results.actions import tally_all
from globaldialogue.results.queries import survey_results
from globaldialogue.surveys import actions
from globaldialogue.testing import accessibility_problems, fill_core, payload

pytestmark = pytest.mark.django_db(transaction=True)


def published(un75, by=""):
    return survey_results(un75, language="en", by=by)


@override_settings(RESULTS_REFRESH_SECONDS=1, RESULTS_CACHE_SECONDS=0)
def test_the_results_page_counts_up_while_open(desktop, chromium, live_server, un75):
    desktop.goto(f"{live_server.url}/s/un75/results?lang=ar")
    assert desktop.locator("[data-total]").inner_text() == "–"  # nothing released yet
    assert accessibility_problems(desktop) == []
    context = chromium.new_context()
    other = context.new_page()
    other.goto(f"{live_server.url}/s/un75/?lang=ar")
    fill_core(other, "EG")
    other.click("button[type=submit]")
    other.wait_for_url(re.compile(r"/s/un75/thanks/"))
    context.close()
    subs = [actions.Submission(**payload()) for _ in range(9)]
    actions.submit_responses(survey=un75, submissions=subs, channel="api")
    tally_all()  # ten new responses: a release
    total = published(un75)["total"]
    desktop.wait_for_function(
        f"() => document.querySelector('[data-total]').textContent === '{total}'", timeout=10000
    )
    assert desktop.url.endswith("/s/un75/results?lang=ar")  # no reload happened


def male_better(un75):
    """The published count of men who think people will be better off."""
    breakdown = published(un75, "gender")["breakdown"]
    table = next(t for t in breakdown["questions"] if t["key"] == "future_outlook")
    row = [group["key"] for group in breakdown["groups"]].index("male")
    column = [option["key"] for option in table["options"]].index("better")
    return table["counts"][row][column]


def test_a_breakdown_page_is_accessible_and_refreshes_its_cells(
    desktop, live_server, un75, settings
):
    settings.RESULTS_REFRESH_SECONDS = 1
    settings.RESULTS_CACHE_SECONDS = 0
    subs = [actions.Submission(**payload()) for _ in range(12)]
    actions.submit_responses(survey=un75, submissions=subs, channel="api")
    tally_all()
    desktop.goto(f"{live_server.url}/s/un75/results?lang=ru&by=gender")
    cell = desktop.locator('[data-cell="future_outlook:male:better"]')
    assert str(male_better(un75)) in cell.inner_text()
    assert accessibility_problems(desktop) == []
    more = [actions.Submission(**payload()) for _ in range(10)]
    actions.submit_responses(survey=un75, submissions=more, channel="api")
    tally_all()
    now = male_better(un75)
    desktop.wait_for_function(
        "() => document.querySelector('[data-cell=\"future_outlook:male:better\"]')"
        f".textContent.includes('{now}')",
        timeout=30000,  # a bound, not a measure: loaded CI machines are slow
    )


def test_answers_read_on_a_phone_not_one_word_a_line(phone, live_server, un75, settings):
    subs = [actions.Submission(**payload()) for _ in range(40)]
    actions.submit_responses(survey=un75, submissions=subs, channel="api")
    tally_all()
    phone.set_viewport_size({"width": 360, "height": 780})
    phone.goto(f"{live_server.url}/s/un75/results?lang=ru")
    table = phone.locator("table").first.bounding_box()
    label = phone.locator("table tbody td").first.bounding_box()
    assert label["width"] >= 0.4 * table["width"]
    assert table["width"] <= 360
    assert accessibility_problems(phone) == []
