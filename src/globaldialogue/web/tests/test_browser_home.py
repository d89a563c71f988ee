"""The home page in real Chromium: Amina, on her phone in Arabic, finds what to do."""

import re

import pytest

from globaldialogue.testing import accessibility_problems

pytestmark = pytest.mark.django_db(transaction=True)


def test_amina_starts_from_the_home_page_on_her_phone(phone, live_server, un75):
    phone.goto(f"{live_server.url}/?lang=ar")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert accessibility_problems(phone) == []
    phone.click("a.button")
    phone.wait_for_url(re.compile(r"/s/un75/\?lang=ar$"))
    assert phone.locator("h1").inner_text() == un75.title["ar"]
