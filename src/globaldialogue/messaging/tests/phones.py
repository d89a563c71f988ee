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
