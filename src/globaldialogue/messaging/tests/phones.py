"""Phones texting a survey through a Twilio-compatible webhook, as Twilio calls it: a form
POST signed as Twilio documents (X-Twilio-Signature), read back from its TwiML answer."""

import base64
import hashlib
import hmac
import itertools
from typing import Any

from defusedxml import ElementTree as ET
from django.test import Client

from globaldialogue.messaging.models import Channel

_sids = itertools.count()


def twilio_signature(token: str, url: str, form: dict[str, str]) -> str:
    signed = url + "".join(key + form[key] for key in sorted(form))
    return base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


class TwilioPhone:
    def __init__(self, client: Client, channel: Channel, number: str) -> None:
        self.client, self.channel, self.number = client, channel, number
        self.path = f"/messaging/{channel.uuid}/receive"
        self.last_form: dict[str, str] = {}

    def send(self, text: str, sid: str = "") -> list[str]:
        """Text `text`; the replies in the webhook's answer."""
        form = {
            "MessageSid": sid or f"SM{next(_sids):032x}",
            "AccountSid": self.channel.account,
            "From": self.number,
            "To": self.channel.number,
            "Body": text,
            "NumMedia": "0",
        }
        self.last_form = form
        return self.post(form)

    def said(self, text: str) -> str:
        """Text `text`; the replies joined (a long one comes in parts)."""
        return "\n".join(self.send(text))

    def resend(self) -> list[str]:
        """Twilio calling again with the same message (its webhook timed out)."""
        return self.post(self.last_form)

    def post(self, form: dict[str, str], signature: str | None = None) -> list[str]:
        response = self.raw(form, signature)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/xml")
        return [m.text or "" for m in ET.fromstring(response.content).iter("Message")]

    def raw(self, form: dict[str, str], signature: str | None = None) -> Any:
        url = "http://testserver" + self.path
        if signature is None:
            signature = twilio_signature(self.channel.secret, url, form)
        return self.client.post(self.path, form, HTTP_X_TWILIO_SIGNATURE=signature)


class GatewayPhone:
    """A phone on a gateway that answers through its own API afterwards (Africa's Talking,
    External, WhatsApp): what it posts as its provider documents, the replies read from the
    local provider server (tests/providers.py) once the worker has sent them."""

    def __init__(self, client: Client, channel: Channel, number: str, provider: Any, commit: Any):
        self.client, self.channel, self.number = client, channel, number
        self.provider, self.commit = provider, commit
        self.path = f"/messaging/{channel.uuid}/receive"
        self.count = 0

    def send(self, text: str, message_id: str = "") -> list[str]:
        before = len(self.provider.sent)
        self.count += 1
        with self.commit(execute=True):
            response = self.post(text, message_id or f"{self.number}-{self.count}")
        assert response.status_code == 200, response.content
        return [sent.text for sent in self.provider.sent[before:]]

    def post(self, text: str, message_id: str) -> Any:
        provider = self.channel.provider
        if provider == "africastalking":
            form = {
                "from": self.number,
                "to": self.channel.number,
                "text": text,
                "id": message_id,
                "date": "2026-12-04 10:00:00",
                "linkId": message_id,
            }
            return self.client.post(self.path, form)
        if provider == "external":
            headers = (
                {"HTTP_AUTHORIZATION": f"Token {self.channel.secret}"}
                if self.channel.secret
                else {}
            )
            return self.client.post(self.path, {"from": self.number, "text": text}, **headers)
        return self.client.post(
            self.path,
            whatsapp_body(self.channel, self.number, text, message_id),
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=whatsapp_signature(
                self.channel, whatsapp_body(self.channel, self.number, text, message_id)
            ),
        )


def whatsapp_body(channel: Channel, number: str, text: str, message_id: str) -> bytes:
    """A WhatsApp Cloud API webhook with one text message, as Meta posts it."""
    import json

    value = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": channel.number.removeprefix("+"),
            "phone_number_id": channel.account,
        },
        "contacts": [{"profile": {"name": "Kofi"}, "wa_id": number.removeprefix("+")}],
        "messages": [
            {
                "from": number.removeprefix("+"),
                "id": message_id,
                "timestamp": "1764842400",
                "type": "text",
                "text": {"body": text},
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA-ID", "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(body).encode()


def whatsapp_signature(channel: Channel, body: bytes) -> str:
    return "sha256=" + hmac.new(channel.signing_secret.encode(), body, hashlib.sha256).hexdigest()
