"""The gateways that answer through their own API: Kofi texts through Africa's Talking,
Sofia through a RapidPro-style External channel, Ravi on WhatsApp. Each request is made as
the provider documents it, and the replies arrive at a local server implementing the
provider's sending API (tests/providers.py)."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from globaldialogue.messaging import actions
from globaldialogue.messaging.models import Chat, Message
from globaldialogue.messaging.tests.phones import GatewayPhone, whatsapp_signature
from globaldialogue.messaging.tests.providers import Provider
from globaldialogue.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db

KOFI = "+233241234567"  # Ghana
SOFIA = "+5491123456789"  # Argentina
RAVI = "+919812345678"  # India


@pytest.fixture
def provider() -> Any:
    server = Provider().start()
    yield server
    server.stop()


def channel(survey: Survey, provider: Provider, kind: str, **more: Any) -> Any:
    return actions.add_channel(
        survey=survey,
        provider=kind,
        number={"africastalking": "+254711082000", "external": "+12025550111"}.get(
            kind, "+15550001234"
        ),
        account=provider.account,
        secret=provider.secret,
        api_url=provider.url + ("/external/send" if kind == "external" else ""),
        **more,
    )


def test_kofi_texts_through_africas_talking_in_english_only(
    un75: Survey, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    gateway = channel(un75, provider, "africastalking", languages=["en"])
    kofi = GatewayPhone(Client(), gateway, KOFI, provider, django_capture_on_commit_callbacks)
    [consent] = kofi.send("Hi")  # one language on this number: none asked
    assert consent.startswith("The Future We Want, the UN We Need: 11 questions.")
    assert provider.sent[0].to == KOFI and provider.sent[0].body["from"] == "+254711082000"
    assert "".join(kofi.send("1")).startswith("In 2045")
    assert kofi.send("1", message_id="ATXid-same")[0].startswith("What would you most")
    assert kofi.send("1", message_id="ATXid-same") == []  # the callback again: nothing new
    assert Chat.objects.get().question == "world_2045"
    # Africa's Talking's delivery report for the first reply.
    first = Message.objects.filter(direction="out").order_by("pk").first()
    assert first is not None and first.provider_id.startswith("ATXid_")
    report = {
        "id": first.provider_id,
        "status": "Success",
        "phoneNumber": KOFI,
        "networkCode": "62001",
    }
    assert Client().post(f"/messaging/{gateway.uuid}/status", report).status_code == 200
    first.refresh_from_db()
    assert first.status == "delivered"
    assert (
        Client().post(f"/messaging/{gateway.uuid}/status", {"status": "Success"}).status_code == 400
    )


def test_sofia_texts_through_an_external_channel_shaped_like_courier(
    un75: Survey, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    gateway = channel(un75, provider, "external", languages=["es", "en"])
    sofia = GatewayPhone(Client(), gateway, SOFIA, provider, django_capture_on_commit_callbacks)
    assert sofia.send("hola") == ["1 Español\n2 English\n(1-2)"]
    consent = " ".join(sofia.send("1"))
    assert "ALTO" in consent  # her stop word in Spanish
    sent = provider.sent[-1].body
    assert (
        sent["to"] == SOFIA and sent["to_no_plus"] == SOFIA[1:] and sent["from"] == "+12025550111"
    )
    assert sent["channel"] == str(gateway.uuid)
    message = Message.objects.get(pk=int(sent["id"]))
    base = f"/messaging/{gateway.uuid}"
    token = {"HTTP_AUTHORIZATION": f"Token {provider.secret}"}
    assert Client().get(f"{base}/delivered", {"id": sent["id"]}, **token).status_code == 200
    message.refresh_from_db()
    assert message.status == "delivered"
    assert Client().post(f"{base}/receive", {"text": "1"}, **token).content == (
        b"must have one of 'sender' or 'from' set"
    )
    assert Client().post(f"{base}/receive", {"from": SOFIA, "text": "1"}).status_code == 403
    # The operator's network says she opted out: her chat ends, nothing kept.
    assert Client().post(f"{base}/stopped", {"from": SOFIA}, **token).status_code == 200
    assert Chat.objects.get().step == "stopped" and Response.objects.count() == 0


def test_ravi_answers_on_whatsapp_within_its_window_and_a_template_reopens_it(
    un75: Survey, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    gateway = channel(
        un75,
        provider,
        "whatsapp",
        languages=["en"],
        signing_secret="app-secret",
        template="un75_resume",
    )
    base = f"/messaging/{gateway.uuid}/receive"
    check = {
        "hub.mode": "subscribe",
        "hub.verify_token": str(gateway.uuid),
        "hub.challenge": "1158201444",
    }
    assert Client().get(base, check).content == b"1158201444"
    assert Client().get(base, dict(check, **{"hub.verify_token": "guess"})).status_code == 403
    ravi = GatewayPhone(Client(), gateway, RAVI, provider, django_capture_on_commit_callbacks)
    ravi.send("Hello")
    [question] = ravi.send("1")  # WhatsApp takes a long text whole
    assert question.startswith("In 2045") and "\n3 Worse off\n" in question
    assert provider.sent[-1].body["to"] == RAVI[1:] and provider.sent[-1].body["type"] == "text"
    # Meta's status webhook, signed like its messages.
    sent = Message.objects.filter(direction="out").order_by("pk").last()
    assert sent is not None and sent.provider_id.startswith("wamid.")
    status = {
        "entry": [
            {
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "statuses": [
                                {"id": sent.provider_id, "status": "read", "recipient_id": RAVI[1:]}
                            ]
                        },
                    }
                ]
            }
        ]
    }
    body = json.dumps(status).encode()
    signed = {"HTTP_X_HUB_SIGNATURE_256": whatsapp_signature(gateway, body)}
    assert Client().post(base, body, content_type="application/json", **signed).status_code == 200
    sent.refresh_from_db()
    assert sent.status == "delivered"
    forged = {"HTTP_X_HUB_SIGNATURE_256": "sha256=" + "0" * 64}
    assert Client().post(base, body, content_type="application/json", **forged).status_code == 403
    # Silent past WhatsApp's 24 hours: the reminder goes as the approved template.
    gateway.reminder_minutes, gateway.expiry_hours = 26 * 60, 72
    gateway.save()
    Chat.objects.update(last_in_at=timezone.now() - timedelta(hours=26))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.follow_up_chats() == (1, 0)
    assert RAVI[1:] not in str(list(Message.objects.values_list("payload", flat=True)))
    template = provider.sent[-1].body
    assert template["type"] == "template"
    assert template["template"] == {"name": "un75_resume", "language": {"code": "en"}}


@pytest.mark.parametrize(
    "body",
    [
        b"[1]",
        b'{"entry": [{"changes": [{"field": "messages", "value": [1]}]}]}',
        b'{"entry": [{"changes": [{"field": "messages", "value": {"messages": '
        b'[1, {"from": "9198", "type": "text", "text": "x"}]}}]}]}',
    ],
)
def test_a_signed_whatsapp_body_of_an_odd_shape_takes_nothing_and_breaks_nothing(
    un75: Survey, provider: Provider, body: bytes
) -> None:
    gateway = channel(un75, provider, "whatsapp", signing_secret="app-secret")
    signed = {"HTTP_X_HUB_SIGNATURE_256": whatsapp_signature(gateway, body)}
    answer = Client().post(
        f"/messaging/{gateway.uuid}/receive", body, content_type="application/json", **signed
    )
    assert answer.status_code == 200
    assert Chat.objects.filter(step="done").count() == 0
