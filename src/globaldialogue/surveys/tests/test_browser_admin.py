"""Olga builds and publishes a three-question survey in English and French in the back
office, in real Chromium, counting what she clicks."""

import pytest

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.tests.editor import PARKS
from globaldialogue.testing import LAPTOP, accessibility_problems, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_olga_builds_and_publishes_a_bilingual_survey_in_few_clicks(desktop, live_server, olga):
    consultation = save_consultation(slug="city", title={"en": "City"}, languages=["en", "fr"])
    log_in(desktop, live_server.url, olga)
    clicks = 0

    def click(selector: str) -> None:
        nonlocal clicks
        clicks += 1
        desktop.click(selector)

    desktop.goto(f"{live_server.url}/admin/surveys/survey/add/")
    desktop.select_option("#id_consultation", str(consultation.pk))
    clicks += 1
    desktop.fill("#id_slug", "parks")
    desktop.fill("#id_languages", "en, fr")
    desktop.fill("#id_title__en", "Parks")
    desktop.fill("#id_title__fr", "Parcs")
    for n, (key, kind, en, fr, options_en, options_fr) in enumerate(PARKS):
        click("#questions-group .add-row a")
        desktop.fill(f"#id_questions-{n}-key", key)
        desktop.select_option(f"#id_questions-{n}-type", kind)
        clicks += 1
        desktop.fill(f"#id_questions-{n}-label__en", en)
        desktop.fill(f"#id_questions-{n}-label__fr", fr)
        desktop.fill(f"#id_questions-{n}-options__en", options_en)
        desktop.fill(f"#id_questions-{n}-options__fr", options_fr)
    questions = desktop.locator("#questions-group").bounding_box()
    assert questions and questions["x"] + questions["width"] <= 1280  # no sideways scrolling
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280
    click("input[name=_publish]")
    desktop.wait_for_selector(".messagelist")
    assert "published, version 1" in desktop.locator(".messagelist").inner_text()
    survey = Survey.objects.get(slug="parks")
    assert survey.status == Survey.Status.PUBLISHED and survey.questions.count() == 3
    assert survey.questions.get(key="wishes").options.count() == 3
    assert clicks / len(PARKS) < 10


def test_olga_edits_one_language_at_a_time(chromium, live_server, olga, un75):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    log_in(page, live_server.url, olga)
    page.goto(f"{live_server.url}/admin/surveys/survey/{un75.pk}/change/")
    every_language = page.evaluate("document.documentElement.scrollHeight")
    assert page.is_visible("#id_title__ar") and page.is_visible("#id_title__fr")
    page.get_by_role("button", name="(fr)").click()
    assert page.is_visible("#id_title__fr") and page.is_visible("#id_questions-0-label__fr")
    assert not page.is_visible("#id_title__ar") and page.is_visible("#id_slug")
    assert page.evaluate("document.documentElement.scrollHeight") < every_language / 2
    page.reload()  # the choice stays for the session
    assert not page.is_visible("#id_questions-0-label__en")
    assert accessibility_problems(page) == []
    context.close()
