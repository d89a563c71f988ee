"""Olga connects a Twilio number to UN75 in real Chromium, on a laptop and on her phone, and
reads the channel's addresses and figures: each page without a serious accessibility
problem."""

import pytest
from django.test import Client

from globaldialogue.messaging.models import Channel
from globaldialogue.messaging.tests.phones import TwilioPhone
from globaldialogue.testing import LAPTOP, PHONE, accessibility_problems, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("screen", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_olga_connects_a_number_and_reads_its_figures(chromium, live_server, olga, un75, screen):
    context = chromium.new_context(viewport=screen)
    page = context.new_page()
    log_in(page, live_server.url, olga)
    page.goto(f"{live_server.url}/admin/messaging/channel/add/")
    page.select_option("#id_survey", str(un75.pk))
    page.select_option("#id_provider", "twilio")
    page.fill("#id_number", "+1 202 555 0175")
    page.fill("#id_languages", '["en", "fr"]')
    page.fill("#id_account", "AC123")
    page.fill("#id_secret", "twilio-auth-token")
    assert accessibility_problems(page) == []
    page.click("input[name=_continue]")
    page.locator(".field-figures").wait_for()
    channel = Channel.objects.get()
    TwilioPhone(Client(), channel, "+962790123456").send("Hi")
    page.reload()
    assert f"/messaging/{channel.uuid}/receive" in page.locator(".field-addresses").inner_text()
    assert "Chats: 1 language" in page.locator(".field-figures").inner_text()
    assert accessibility_problems(page) == []
    context.close()
