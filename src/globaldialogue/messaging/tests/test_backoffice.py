"""Olga connects a Twilio number to UN75 in the back office, gives its address to Twilio,
and reads the channel's figures once people have texted: messages by status, chats by where
they stand, how many were asked each step, and where they stopped."""

from typing import Any

import pytest
from django.test import Client

from globaldialogue.audit.models import Entry
from globaldialogue.messaging.models import Channel, RapidProFlow
from globaldialogue.messaging.tests.phones import TwilioPhone
from globaldialogue.surveys.models import Survey

pytestmark = pytest.mark.django_db


def channel_form(survey: Survey, **more: Any) -> dict[str, Any]:
    return {
        "survey": survey.pk,
        "provider": "twilio",
        "number": "+1 202 555 0175",
        "languages": '["en"]',
        "account": "AC123",
        "secret": "twilio-auth-token",
        "signing_secret": "",
        "api_url": "",
        "template": "",
        "reminder_minutes": "60",
        "expiry_hours": "24",
        "window_hours": "24",
        "is_active": "on",
        **more,
    }


def test_olga_connects_a_number_and_reads_its_figures(un75: Survey, olga_client: Client) -> None:
    refused = olga_client.post("/admin/messaging/channel/add/", channel_form(un75, secret=""))
    assert refused.status_code == 200
    assert "This provider signs its webhooks" in refused.content.decode()
    assert not Channel.objects.exists()
    added = olga_client.post("/admin/messaging/channel/add/", channel_form(un75))
    assert added.status_code == 302
    channel = Channel.objects.get()
    assert channel.number == "+12025550175" and channel.secret == "twilio-auth-token"
    assert Entry.objects.filter(action="add_channel").count() == 1
    url = f"/admin/messaging/channel/{channel.pk}/change/"
    page = olga_client.get(url).content.decode()
    assert f"/messaging/{channel.uuid}/receive" in page
    assert f"/messaging/{channel.uuid}/status" in page
    assert "twilio-auth-token" not in page  # written, never shown again
    # Kept when the box is left empty on a change.
    change = channel_form(un75, secret="", reminder_minutes="30")
    assert (
        olga_client.post(f"/admin/messaging/channel/{channel.pk}/change/", change).status_code
        == 302
    )
    channel.refresh_from_db()
    assert channel.reminder_minutes == 30 and channel.secret == "twilio-auth-token"
    # Amina finishes, Pierre stops at the second question, Li Wei is still at the first.
    amina = TwilioPhone(Client(), channel, "+962790123456")
    for text in ["Hi", "1", *["1"] * 5, "Words", "2", "1", "1", "2", "2", "2"]:
        amina.send(text)
    pierre = TwilioPhone(Client(), channel, "+33612345678")
    for text in ["Hi", "1", "1", "STOP"]:
        pierre.send(text)
    TwilioPhone(Client(), channel, "+8613812345678").send("Hi")
    page = olga_client.get(url).content.decode()
    assert "Chats: 1 consent, 1 done, 1 stopped" in page
    assert "Messages: 19 received, 0 queued, 32 sent" in page  # the replies, in parts
    assert "<tr><td>Consent</td><td>3</td><td>100%</td></tr>" in page
    assert "<tr><td>future_outlook</td><td>2</td><td>67%</td></tr>" in page
    assert "<tr><td>Finished</td><td>1</td><td>33%</td></tr>" in page
    assert "<tr><td>world_2045</td><td>1</td></tr>" in page.split("Where chats stopped")[1]


def test_olga_connects_a_ureport_flow_with_its_mapping(un75: Survey, olga_client: Client) -> None:
    form = {
        "survey": un75.pk,
        "flow_uuid": "5f3a2b9c-1d4e-4f60-8a7b-9c0d1e2f3a4b",
        "name": "U-Report Nigeria",
        "api_url": "https://rapidpro.example.org",
        "api_token": "",
        "language": "en",
        "mapping": '{"age": "age_group"}',
        "is_active": "on",
    }
    refused = olga_client.post("/admin/messaging/rapidproflow/add/", form)
    assert "Polling RapidPro needs an API token." in refused.content.decode()
    form.update(api_token="rp-token", mapping='{"age": "ages"}')
    refused = olga_client.post("/admin/messaging/rapidproflow/add/", form)
    assert "The survey has no question ages." in refused.content.decode()
    form.update(mapping='{"age": "age_group"}')
    assert olga_client.post("/admin/messaging/rapidproflow/add/", form).status_code == 302
    flow = RapidProFlow.objects.get()
    assert flow.mapping == {"age": "age_group"} and flow.api_token == "rp-token"
    assert Entry.objects.filter(action="connect_flow").count() == 1
    page = olga_client.get(f"/admin/messaging/rapidproflow/{flow.pk}/change/").content.decode()
    assert "/api/surveys/un75/rapidpro" in page and "rp-token" not in page
    assert "Last poll: not yet" in page
