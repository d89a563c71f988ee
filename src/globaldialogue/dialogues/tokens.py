"""The tokens that open a registrant's pages: the personal link's (stored only as a keyed
hash) and the signed room token. Reads (access.py) and writes (actions.py) both need them."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing

from globaldialogue.dialogues.models import Registration

ROOM_SALT = "globaldialogue.dialogues.room"
ROOM_TOKEN_HOURS = 12


def new_token() -> str:
    """The secret part of a personal link, shown once at sign-up."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """A keyed hash of a personal link's token: the token itself is never stored."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"registration:{token}".encode(), hashlib.sha256
    ).hexdigest()


def room_token(*, registration: Registration) -> str:
    """A signed token to join the room of the registration's group, good for
    ROOM_TOKEN_HOURS (access.room_member reads it)."""
    if registration.group_id is None:
        raise ValueError("only a registrant placed in a group has a room")
    return signing.dumps({"r": registration.pk, "g": registration.group_id}, salt=ROOM_SALT)


def room_token_data(token: str) -> tuple[int, int] | None:
    """(registration id, group id) from a room token signed by us in the last
    ROOM_TOKEN_HOURS; None otherwise."""
    try:
        data = signing.loads(token, salt=ROOM_SALT, max_age=ROOM_TOKEN_HOURS * 3600)
    except signing.BadSignature:
        return None
    registration, group = data.get("r"), data.get("g")
    return (
        (registration, group) if isinstance(registration, int) and isinstance(group, int) else None
    )
