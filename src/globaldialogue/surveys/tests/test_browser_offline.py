"""The survey without a connection, in real Chromium: Pierre opens it, loses the network,
answers and sends; the answers wait on his phone, and go (once) when he is back online."""

import time

import pytest

from globaldialogue.surveys.models import Response
from globaldialogue.testing import PHONE, accessibility_problems, fill_core, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_pierre_answers_offline_and_his_answers_count_once_back_online(chromium, live_server, un75):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    url = f"{live_server.url}/s/un75/?lang=fr"
    page.goto(url)
    # The worker keeps this page and its "saved" page for when the network goes.
    wait_until(
        page, "u => caches.match(u).then(Boolean)", f"{live_server.url}/s/un75/saved?lang=fr"
    )
    context.set_offline(True)
    page.reload()  # the page still opens, from the phone
    assert page.locator("h1").inner_text() == un75.title["fr"]
    fill_core(page, "FR")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Enregistré sur ce téléphone"
    assert Response.objects.count() == 0
    assert accessibility_problems(page) == []
    # A second person answers on the same phone, still offline: a response of their own.
    page.goto(url)
    fill_core(page, "BE")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Enregistré sur ce téléphone"
    context.set_offline(False)
    page.goto(url)  # the next visit sends what waited
    assert responses_reach(2) == 2
    assert sorted(r.answers["country"] for r in Response.objects.all()) == ["BE", "FR"]
    page.goto(url)  # and nothing again: both left the phone
    assert responses_reach(3, seconds=3) == 2
    context.close()


def responses_reach(count, seconds=30):
    """The number of responses stored once it reaches `count`, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while Response.objects.count() < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return Response.objects.count()
