"""The survey without a connection, in real Chromium: Pierre opens it, loses the network,
answers and sends; the answers wait on his phone, and go (once) when he is back online."""

import time

import pytest
from django.utils import translation
from django.utils.translation import gettext

from globaldialogue.surveys.actions import Submission, submit_response
from globaldialogue.surveys.models import Response
from globaldialogue.surveys.tests.test_xlsform_logic import import_youth
from globaldialogue.testing import PHONE, accessibility_problems, fill_core, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def opened_then_offline(chromium, live_server, slug):
    """Pierre's phone: the survey opened in French once online, then the network gone."""
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    url = f"{live_server.url}/s/{slug}/?lang=fr"
    page.goto(url)
    # The worker keeps this page and its "saved" page for when the network goes.
    saved = f"{live_server.url}/s/{slug}/saved?lang=fr"
    wait_until(page, "u => caches.match(u).then(Boolean)", saved)
    context.set_offline(True)
    return context, page, url


def test_pierre_answers_offline_and_his_answers_count_once_back_online(chromium, live_server, un75):
    context, page, url = opened_then_offline(chromium, live_server, "un75")
    page.reload()  # the page still opens, from the phone
    assert page.locator("h1").inner_text() == un75.title["fr"]
    fill_core(page, "FR")
    page.click("button[type=submit]")
    page.locator("h1", has_text="Enregistré sur ce téléphone").wait_for()
    assert Response.objects.count() == 0
    assert accessibility_problems(page) == []
    # A second person answers on the same phone, still offline: a response of their own.
    page.goto(url)
    fill_core(page, "BE")
    page.click("button[type=submit]")
    page.locator("h1", has_text="Enregistré sur ce téléphone").wait_for()
    context.set_offline(False)
    page.goto(url)  # the next visit sends what waited
    assert responses_reach(2) == 2
    assert sorted(r.answers["country"] for r in Response.objects.all()) == ["BE", "FR"]
    page.goto(url)  # and nothing again: both left the phone
    assert responses_reach(3, seconds=3) == 2
    context.close()


@pytest.fixture
def youth_form(transactional_db, tmp_path):
    import_youth(tmp_path)


def responses_reach(count, seconds=30):
    """The number of responses stored once it reaches `count`, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while Response.objects.count() < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return Response.objects.count()


def test_answers_the_server_would_refuse_do_not_wait_on_the_phone(
    chromium, live_server, youth_form
):
    context, page, url = opened_then_offline(chromium, live_server, "city_priorities")
    page.check("input[name=region][value=west]")
    page.click("button[type=submit]")  # the age, required, is empty
    with translation.override("fr"):
        needed = gettext("This question needs an answer.")
    assert page.locator("#q-age .err-required").inner_text() == needed
    assert page.evaluate("document.activeElement.name") == "age"
    assert accessibility_problems(page) == []
    page.fill("input[name=age]", "16")
    assert page.locator("#q-age .err-required").count() == 0  # gone once answered
    page.check("input[name=studies][value=yes]")
    page.fill("textarea[name=school]", "Lycée 4")  # letters only
    page.click("button[type=submit]")
    assert page.evaluate("document.activeElement.name") == "school"
    page.fill("textarea[name=school]", "Jules Verne")
    page.click("button[type=submit]")
    page.locator("h1", has_text="Enregistré sur ce téléphone").wait_for()
    context.set_offline(False)
    page.goto(url)
    assert responses_reach(1) == 1
    assert Response.objects.get().answers == {
        "age": 16,
        "studies": "yes",
        "school": "Jules Verne",
        "region": "west",
    }
    context.close()


def test_answers_refused_after_waiting_stay_on_the_phone_until_corrected(
    chromium, live_server, un75
):
    context, page, url = opened_then_offline(chromium, live_server, "un75")
    page.reload()
    fill_core(page, "FR")
    page.check("input[name=world_2045][value=other]")  # "other", without saying what
    page.click("button[type=submit]")
    page.locator("h1", has_text="Enregistré sur ce téléphone").wait_for()
    context.set_offline(False)
    page.goto(url)  # sent, and refused: the server wants the "other" said
    notice = page.locator("#refused")
    notice.wait_for(state="visible")
    assert Response.objects.count() == 0
    assert accessibility_problems(page) == []
    notice.locator("a").click()  # the server's page, from the phone: why, and the answers
    assert page.locator("#errors").inner_text().count("«") >= 1
    assert page.locator("input[name=world_2045][value=other]").is_checked()
    assert page.locator("#refused").is_hidden()  # this page is the one it offered
    page.fill("input[name=world_2045__other]", "Des villes plus vertes")
    page.click("button[type=submit]")
    assert responses_reach(1) == 1
    assert {"option": "other", "text": "Des villes plus vertes"} in (
        Response.objects.get().answers["world_2045"]
    )
    page.goto(url)  # nothing waits any more
    page.wait_for_timeout(1000)
    assert page.locator("#refused").is_hidden() and Response.objects.count() == 1
    context.close()


def test_answers_stored_meanwhile_with_others_are_shown_once_then_leave_the_phone(
    chromium, live_server, un75
):
    context, page, url = opened_then_offline(chromium, live_server, "un75")
    response_id = page.locator("input[name=response_id]").input_value()
    fill_core(page, "FR")
    page.click("button[type=submit]")
    page.locator("h1", has_text="Enregistré sur ce téléphone").wait_for()
    # Meanwhile other answers arrived under the same id (the form sent from elsewhere).
    other = Submission(id=response_id, language="fr", answers={"future_outlook": "worse"})
    submit_response(survey=un75, submission=other, channel="web")
    context.set_offline(False)
    page.goto(url)
    page.locator("#refused").wait_for(state="visible")
    page.locator("#refused a").click()  # the server's page: already sent; nothing to resend
    page.locator("h1").wait_for()
    assert page.locator("form[method=post]").count() == 0
    page.goto(url)
    page.wait_for_timeout(1000)
    assert page.locator("#refused").is_hidden()
    assert Response.objects.get().answers == {"future_outlook": "worse"}
    context.close()
