"""A sender's number: its E.164 form, the keyed hash that stands for it, its country from
the prefix, and the sealed copy an open chat keeps to reply and remind."""

import base64
import hashlib
import hmac
from typing import Any

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def normalize(raw: str, channel_number: str = "") -> str:
    """E.164 when the number reads as one (a national number takes the channel number's
    country); else the address as given (a WhatsApp id, a short code)."""
    text = raw.strip().removeprefix("tel:").removeprefix("whatsapp:")
    region = _region(channel_number)
    try:
        number = phonenumbers.parse(text if text.startswith("+") or region else "+" + text, region)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def country_of(number: str) -> str:
    """The ISO country of an E.164 number ("" when the prefix is shared or unknown)."""
    region = _region(number)
    return region if region and region != "001" else ""


def _region(number: str) -> str | None:
    if not number.startswith("+"):
        return None
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(number)) or None
    except phonenumbers.NumberParseException:
        return None


def sender_hash(number: str) -> str:
    """What stands for the number anywhere it is kept: HMAC-SHA256 under a key derived from
    SECRET_KEY, so the hash cannot be looked up in a table of all numbers without it."""
    return hmac.new(_key(b"sender"), number.encode(), hashlib.sha256).hexdigest()


def seal(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:  # SECRET_KEY changed since: the chat can no longer be written to
        return ""


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key(b"seal")))


def _key(purpose: bytes) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"globaldialogue.messaging." + purpose, hashlib.sha256
    ).digest()


def scrub(payload: Any, raw: str, number: str) -> Any:
    """A provider's payload as kept for audit: the sender's number, in any form it takes
    there (as sent, E.164, without its plus), replaced by its keyed hash."""
    forms = sorted(
        {f for f in (raw.strip(), number, number.removeprefix("+")) if len(f) > 3},
        key=len,
        reverse=True,
    )
    stand_in = "sender:" + sender_hash(number)[:16]

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for form in forms:
                value = value.replace(form, stand_in)
            return value
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    return clean(payload)
