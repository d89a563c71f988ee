"""Two-factor sign-in to the back office: by default (outside the demo) a password alone
opens nothing; Orla, an organizer, sets up her authenticator app right after her password
and from then on signs in with its code; with the requirement off (the demo), a password
is enough until someone sets an app up."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from globaldialogue.audit.models import Entry
from globaldialogue.consultations import actions
from globaldialogue.consultations.permissions import Role
from globaldialogue.testing import PHONE, accessibility_problems, current_code

PASSWORD = "a long organizer passphrase"


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    # django-otp waits longer after each wrong code (1 s, 2 s, 4 s...): here the right
    # code comes at once after a wrong one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def orla(un75) -> User:
    person = User.objects.create_user("orla", "orla@example.org", PASSWORD)
    actions.grant_role(user=person, role=Role.ORGANIZER, consultation=un75.consultation)
    return person


def sign_in(client: Client, code: str = "") -> object:
    form = {"username": "orla", "password": PASSWORD, "code": code, "next": "/admin/"}
    return client.post("/admin/login/?next=/admin/", form)


def test_a_password_alone_opens_nothing_and_leads_to_setting_up_an_app(orla, settings):
    settings.REQUIRE_TWO_FACTOR = True
    client = Client()
    assert sign_in(client).url == "/admin/two-factor/"
    assert client.get("/admin/surveys/survey/").status_code == 302  # to the sign-in page
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=orla, confirmed=False)
    wrong = client.post("/admin/two-factor/", {"code": "000000"})
    assert "not the current one" in wrong.content.decode()
    done = client.post("/admin/two-factor/", {"code": current_code(device)})
    assert done.status_code == 302 and done.url == "/admin/"
    assert client.get("/admin/surveys/survey/").status_code == 200
    entry = Entry.objects.get(action="enable_two_factor")
    assert (entry.actor, entry.summary) == ("orla", {"user": "orla"})


def test_with_an_app_set_up_the_code_is_asked_every_time(orla, settings):
    settings.REQUIRE_TWO_FACTOR = False  # once set up, asked even where not required
    client = Client()
    sign_in(client)
    client.post("/admin/two-factor/", {"code": "1"})
    device = TOTPDevice.objects.get(user=orla)
    client.post("/admin/two-factor/", {"code": current_code(device)})
    client.post("/admin/logout/")
    again = Client()
    refused = sign_in(again)
    assert refused.status_code == 200
    assert "Enter the current code from your authenticator app" in refused.content.decode()
    assert again.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.last_t = -1  # a new 30-second step, as if time had passed (a code counts once)
    device.save()
    assert sign_in(again, current_code(device)).status_code == 302
    assert again.get("/admin/").status_code == 200


def test_in_the_demo_a_password_is_enough_until_an_app_is_set_up(orla, settings):
    settings.REQUIRE_TWO_FACTOR = False
    client = Client()
    assert sign_in(client).url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_orla_sets_up_her_app_on_her_phone(chromium, live_server, settings, un75):
    settings.REQUIRE_TWO_FACTOR = True
    person = User.objects.create_user("orla", "orla@example.org", PASSWORD)
    actions.grant_role(user=person, role=Role.ORGANIZER, consultation=un75.consultation)
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "orla")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/two-factor/")
    assert page.locator(".two-factor-qr svg").is_visible()
    assert accessibility_problems(page) == []
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    page.fill("#id_code", current_code(device))
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
    device.refresh_from_db()
    device.last_t = -1  # the next 30-second step, as if time had passed (a code counts once)
    device.save()
    context = chromium.new_context(viewport=PHONE)  # another day: password, then the code
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    assert accessibility_problems(page) == []
    page.fill("#id_username", "orla")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_code", current_code(device))
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    context.close()
