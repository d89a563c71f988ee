"""The providers behind one small interface: how each one's webhook is verified and read
(messages in, delivery statuses), how a reply is given, and how a message is sent.

Each follows its provider's documented API: Twilio's Messaging webhooks and REST API (the
request signature, TwiML replies), Africa's Talking's SMS callbacks and `version1/messaging`,
RapidPro's External channel as courier implements it (receive / sent / delivered / failed /
stopped, and a send URL), and the WhatsApp Cloud API (signed webhooks, `/messages`). None of
them can be reached from the test machines: the tests run local servers that implement these
documented APIs (tests/providers.py)."""

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import httpx
from django.http import HttpRequest, HttpResponse, JsonResponse

from globaldialogue.messaging.models import Channel, Provider

TIMEOUT = httpx.Timeout(15.0)


@dataclass(frozen=True)
class Inbound:
    sender: str  # as the provider gives it (normalised by the caller)
    text: str
    provider_id: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Status:
    provider_id: str
    status: str  # sent, delivered or failed
    error: str = ""


class Unreadable(Exception):
    """The webhook's request is not what the provider sends (400, said in one line)."""


class SendFailed(Exception):
    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Gateway:
    splits = True  # SMS: one message per part that fits; WhatsApp takes long texts
    replies_inline = False  # the reply goes in the webhook's answer (Twilio's TwiML)

    def verify(self, channel: Channel, request: HttpRequest) -> bool:
        raise NotImplementedError

    def inbound(self, request: HttpRequest) -> list[Inbound]:
        raise NotImplementedError

    def statuses(self, request: HttpRequest, kind: str) -> list[Status]:
        raise NotImplementedError

    def answer(self, replies: list[str]) -> HttpResponse:
        return JsonResponse({"message": "Accepted"})

    def send(
        self, channel: Channel, to: str, text: str, message_id: int, template: str = ""
    ) -> str:
        """Send one message; the provider's id for it. SendFailed(retry=...) when refused."""
        raise NotImplementedError


def _post(url: str, **options: Any) -> httpx.Response:
    try:
        response = httpx.post(url, timeout=TIMEOUT, **options)
    except httpx.HTTPError as problem:
        raise SendFailed(f"{type(problem).__name__}: {problem}"[:300], retry=True) from None
    if response.status_code == 429 or response.status_code >= 500:
        raise SendFailed(f"HTTP {response.status_code}", retry=True)
    return response


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


def _form(request: HttpRequest) -> Mapping[str, str]:
    return request.POST if request.method == "POST" else request.GET


# --- Twilio -------------------------------------------------------------------------------


class Twilio(Gateway):
    replies_inline = True

    def verify(self, channel: Channel, request: HttpRequest) -> bool:
        """X-Twilio-Signature: base64 HMAC-SHA1, under the auth token, of the full URL the
        webhook was called at followed by each POST parameter's name and value, sorted."""
        url = request.build_absolute_uri()
        signed = url + "".join(
            f"{k}{v}" for k in sorted(request.POST) for v in request.POST.getlist(k)
        )
        digest = hmac.new(channel.secret.encode(), signed.encode(), hashlib.sha1).digest()
        expected = base64.b64encode(digest).decode()
        return bool(channel.secret) and hmac.compare_digest(
            expected, request.headers.get("X-Twilio-Signature", "")
        )

    def inbound(self, request: HttpRequest) -> list[Inbound]:
        form = request.POST
        if not form.get("From") or "MessageSid" not in form:
            raise Unreadable("A Twilio message has From, Body and MessageSid.")
        return [Inbound(form["From"], form.get("Body", ""), form["MessageSid"], form.dict())]

    def statuses(self, request: HttpRequest, kind: str) -> list[Status]:
        form = request.POST
        if "MessageSid" not in form or "MessageStatus" not in form:
            raise Unreadable("A Twilio status callback has MessageSid and MessageStatus.")
        status = {
            "sent": "sent",
            "delivered": "delivered",
            "undelivered": "failed",
            "failed": "failed",
        }
        found = status.get(form["MessageStatus"])
        error = form.get("ErrorCode", "")
        return [Status(form["MessageSid"], found, error)] if found else []

    def answer(self, replies: list[str]) -> HttpResponse:
        messages = "".join(f"<Message>{escape(text)}</Message>" for text in replies)
        body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>'
        return HttpResponse(body, content_type="text/xml; charset=utf-8")

    def send(
        self, channel: Channel, to: str, text: str, message_id: int, template: str = ""
    ) -> str:
        base = (channel.api_url or "https://api.twilio.com").rstrip("/")
        response = _post(
            f"{base}/2010-04-01/Accounts/{channel.account}/Messages.json",
            auth=(channel.account, channel.secret),
            data={"To": to, "From": channel.number, "Body": text},
        )
        body = _json(response)
        if response.status_code not in (200, 201) or "sid" not in body:
            raise SendFailed(
                f"Twilio {response.status_code}: {body.get('message', '')}"[:300], retry=False
            )
        return str(body["sid"])


# --- Africa's Talking ---------------------------------------------------------------------


class AfricasTalking(Gateway):
    # Delivery report statuses; Sent, Submitted and Buffered are on their way.
    STATUSES = {"Success": "delivered", "Failed": "failed", "Rejected": "failed", "Sent": "sent"}
    ACCEPTED = (100, 101, 102)  # Processed, Sent, Queued
    RETRY = (500, 501, 502)  # the gateway's own failures

    def verify(self, channel: Channel, request: HttpRequest) -> bool:
        return True  # unsigned by design: the channel's unguessable address is the check

    def inbound(self, request: HttpRequest) -> list[Inbound]:
        form = request.POST
        if not form.get("from") or not form.get("id"):
            raise Unreadable("An Africa's Talking message has from, text and id.")
        return [Inbound(form["from"], form.get("text", ""), form["id"], form.dict())]

    def statuses(self, request: HttpRequest, kind: str) -> list[Status]:
        form = request.POST
        if not form.get("id") or not form.get("status"):
            raise Unreadable("An Africa's Talking delivery report has id and status.")
        found = self.STATUSES.get(form["status"])
        return [Status(form["id"], found, form.get("failureReason", ""))] if found else []

    def send(
        self, channel: Channel, to: str, text: str, message_id: int, template: str = ""
    ) -> str:
        base = (channel.api_url or "https://api.africastalking.com").rstrip("/")
        response = _post(
            f"{base}/version1/messaging",
            headers={"apiKey": channel.secret, "Accept": "application/json"},
            data={"username": channel.account, "to": to, "message": text, "from": channel.number},
        )
        recipients = (_json(response).get("SMSMessageData") or {}).get("Recipients") or [{}]
        first = recipients[0]
        code = first.get("statusCode")
        if response.status_code in (200, 201) and code in self.ACCEPTED and first.get("messageId"):
            return str(first["messageId"])
        said = (
            f"Africa's Talking {response.status_code}: {first.get('status', response.text[:100])}"
        )
        raise SendFailed(said[:300], retry=code in self.RETRY)


# --- RapidPro's External channel (courier) -------------------------------------------------


class External(Gateway):
    def verify(self, channel: Channel, request: HttpRequest) -> bool:
        """Optional: with a secret set, requests carry `Authorization: Token <secret>`."""
        if not channel.secret:
            return True
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Token {channel.secret}".encode())

    def inbound(self, request: HttpRequest) -> list[Inbound]:
        form = _form(request)
        sender = form.get("from") or form.get("sender")
        if not sender:
            raise Unreadable("must have one of 'sender' or 'from' set")
        return [Inbound(sender, form.get("text", ""), "", dict(form.items()))]

    def statuses(self, request: HttpRequest, kind: str) -> list[Status]:
        form = _form(request)
        if not form.get("id", "").isdigit():
            raise Unreadable("A status needs the message's id.")
        return [Status(form["id"], kind)]

    def send(
        self, channel: Channel, to: str, text: str, message_id: int, template: str = ""
    ) -> str:
        """courier's variables, form-encoded: id, text, to, to_no_plus, from, from_no_plus,
        channel. The message's own id comes back with its statuses."""
        if not channel.api_url:
            raise SendFailed("The channel has no send URL.", retry=False)
        form = {
            "id": str(message_id),
            "text": text,
            "to": to,
            "to_no_plus": to.removeprefix("+"),
            "from": channel.number,
            "from_no_plus": channel.number.removeprefix("+"),
            "channel": str(channel.uuid),
        }
        headers = {"Authorization": f"Token {channel.secret}"} if channel.secret else {}
        response = _post(channel.api_url, data=form, headers=headers)
        if response.status_code // 100 != 2:
            raise SendFailed(f"HTTP {response.status_code}", retry=False)
        return str(message_id)


# --- WhatsApp Cloud API --------------------------------------------------------------------


class WhatsApp(Gateway):
    splits = False
    STATUSES = {"sent": "sent", "delivered": "delivered", "read": "delivered", "failed": "failed"}

    def verify(self, channel: Channel, request: HttpRequest) -> bool:
        """X-Hub-Signature-256: "sha256=" and the HMAC-SHA256 of the body under the app secret."""
        digest = hmac.new(channel.signing_secret.encode(), request.body, hashlib.sha256).hexdigest()
        given = request.headers.get("X-Hub-Signature-256", "")
        return bool(channel.signing_secret) and hmac.compare_digest(f"sha256={digest}", given)

    def changes(self, request: HttpRequest) -> list[dict[str, Any]]:
        """The `value` of each change to messages (whatever else the body holds is skipped:
        it is signed by Meta, but read as anything may come)."""
        try:
            body = json.loads(request.body)
        except ValueError:
            raise Unreadable(
                "A WhatsApp webhook is a JSON object with entry[].changes[]."
            ) from None
        return [
            _dict(change.get("value"))
            for entry in _dicts(_dict(body).get("entry"))
            for change in _dicts(entry.get("changes"))
            if change.get("field") == "messages"
        ]

    def inbound(self, request: HttpRequest) -> list[Inbound]:
        found = [
            Inbound(str(m.get("from", "")), _whatsapp_text(m), str(m.get("id", "")), m)
            for value in self.changes(request)
            for m in _dicts(value.get("messages"))
        ]
        return [item for item in found if item.sender]

    def statuses(self, request: HttpRequest, kind: str) -> list[Status]:
        found = []
        for value in self.changes(request):
            for status in _dicts(value.get("statuses")):
                mapped = self.STATUSES.get(str(status.get("status", "")))
                errors = _dicts(status.get("errors")) or [{}]
                if mapped and status.get("id"):
                    found.append(Status(str(status["id"]), mapped, str(errors[0].get("title", ""))))
        return found

    def send(
        self, channel: Channel, to: str, text: str, message_id: int, template: str = ""
    ) -> str:
        base = (channel.api_url or "https://graph.facebook.com/v21.0").rstrip("/")
        body: dict[str, Any] = {"messaging_product": "whatsapp", "to": to.removeprefix("+")}
        if template:  # outside the 24-hour window only an approved template may be sent
            body |= {
                "type": "template",
                "template": {"name": channel.template, "language": {"code": template}},
            }
        else:
            body |= {"type": "text", "text": {"body": text}}
        response = _post(
            f"{base}/{channel.account}/messages",
            headers={"Authorization": f"Bearer {channel.secret}"},
            json=body,
        )
        found = _json(response)
        if response.status_code == 200 and found.get("messages"):
            return str(found["messages"][0].get("id", ""))
        error = (found.get("error") or {}).get("message", "")
        raise SendFailed(f"WhatsApp {response.status_code}: {error}"[:300], retry=False)


def _whatsapp_text(message: dict[str, Any]) -> str:
    """A text message's body, a quick-reply button's text, or an interactive reply's title."""
    kind = message.get("type")
    if kind == "text":
        return str(_dict(message.get("text")).get("body", ""))
    if kind == "button":
        return str(_dict(message.get("button")).get("text", ""))
    if kind == "interactive":
        reply = _dict(message.get("interactive"))
        chosen = _dict(reply.get("button_reply") or reply.get("list_reply"))
        return str(chosen.get("title", ""))
    return ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


GATEWAYS: dict[str, Gateway] = {
    Provider.TWILIO: Twilio(),
    Provider.AFRICASTALKING: AfricasTalking(),
    Provider.EXTERNAL: External(),
    Provider.WHATSAPP: WhatsApp(),
}


def gateway_for(channel: Channel) -> Gateway:
    return GATEWAYS[channel.provider]
