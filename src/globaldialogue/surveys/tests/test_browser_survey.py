"""The survey in real Chromium: Amina on a phone in Arabic, Li Wei in Chinese, keyboard only,
and without JavaScript."""

import re

import pytest

from globaldialogue.surveys.models import Response
from globaldialogue.testing import accessibility_problems, fill_core

pytestmark = pytest.mark.django_db(transaction=True)


def test_amina_answers_in_arabic_on_her_phone(phone, live_server, un75):
    phone.context.set_extra_http_headers({"Accept-Language": "ar"})
    phone.goto(f"{live_server.url}/s/un75/")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.locator("h1").inner_text() == un75.title["ar"]
    # Right to left: the radio sits at the right edge of its option on a phone.
    box = phone.locator("label.opt").first.bounding_box()
    radio = phone.locator("label.opt input").first.bounding_box()
    assert radio["x"] > box["x"] + box["width"] / 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_problems(phone) == []
    fill_core(phone, "JO")
    phone.fill("textarea[name=advice]", "استمعوا إلى الشباب")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(r"/s/un75/thanks/"))
    assert "شكرًا لك" in phone.locator("h1").inner_text()
    receipt = phone.locator("#receipt").inner_text()
    assert Response.objects.get(receipt=receipt).answers["country"] == "JO"
    assert accessibility_problems(phone) == []


def test_li_wei_answers_in_chinese_and_fixes_an_error(desktop, live_server, un75):
    desktop.goto(f"{live_server.url}/s/un75/?lang=zh-hans")
    assert desktop.get_attribute("html", "lang") == "zh-hans"
    fill_core(desktop, "CN")
    for trend in ("health", "corruption"):
        desktop.check(f"input[name=trends][value={trend}]")
    # Three ticked, "choose up to 3": the other boxes wait until one is unticked.
    assert desktop.is_disabled("input[name=trends][value=terrorism]")
    desktop.uncheck("input[name=trends][value=corruption]")
    assert desktop.is_enabled("input[name=trends][value=terrorism]")
    desktop.check("input[name=world_2045][value=other]")  # and says nothing more
    desktop.click("button[type=submit]")
    assert desktop.locator("#errors").is_visible()
    assert "请说明“其他”指的是什么。" in desktop.locator("#e-world_2045").inner_text()
    assert accessibility_problems(desktop) == []
    desktop.fill("input[name=world_2045__other]", "和平")
    desktop.click("button[type=submit]")
    desktop.wait_for_url(re.compile(r"/s/un75/thanks/"))
    assert "谢谢" in desktop.locator("h1").inner_text()
    assert Response.objects.get().language == "zh-hans"


def test_the_form_works_by_keyboard_alone(desktop, live_server, un75):
    desktop.goto(f"{live_server.url}/s/un75/?lang=en")

    def tab_to(selector: str) -> None:
        for _ in range(400):
            desktop.keyboard.press("Tab")
            if desktop.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("input[name=future_outlook]")
    desktop.keyboard.press("Space")
    tab_to("input[name=world_2045]")
    desktop.keyboard.press("Space")
    tab_to("button[type=submit]")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"/s/un75/thanks/"))
    answers = Response.objects.get().answers
    assert "future_outlook" in answers and len(answers["world_2045"]) == 1


def test_it_works_without_javascript(chromium, live_server, un75):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/s/un75/?lang=fr")
    fill_core(page, "FR")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/s/un75/thanks/"))
    assert "Merci" in page.locator("h1").inner_text()
    page.goto(f"{live_server.url}/s/un75/results?lang=fr")
    # Figures move in releases of at least ten new responses (results.releases).
    assert page.locator("[data-total]").inner_text() == "–"
    context.close()
