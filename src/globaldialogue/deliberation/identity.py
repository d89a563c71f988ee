"""Who a participant of a conversation is: a partner's external id (`xid`) or an anonymous
random token kept in a signed cookie. Only a keyed hash of either is ever stored.

An xid counts only when proven: signed by the partner (`xid_sig`, the hex HMAC-SHA256 of
"{conversation slug}:{xid}" under the conversation's embed secret), or sent by a partner
key with the deliberation scope (api.py). Anyone may otherwise claim any id and vote as
someone else (docs/embedding.md).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from globaldialogue.deliberation.models import Conversation
from globaldialogue.lib.errors import Refused

COOKIE = "gd_participant"
COOKIE_SALT = "globaldialogue.deliberation.participant"
COOKIE_AGE = 365 * 24 * 3600


def participant_key(*, token: str = "", xid: str = "") -> str:
    """A keyed hash of the anonymous token or the partner's external id: never stored raw."""
    if bool(token) == bool(xid):
        raise ValueError("give exactly one of token and xid")
    raw = f"token:{token}" if token else f"xid:{xid}"
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


def xid_signature(conversation: Conversation, xid: str, secret: str = "") -> str:
    """What the partner sends as `xid_sig` with `xid` (docs/embedding.md)."""
    message = f"{conversation.slug}:{xid}".encode()
    key = secret or conversation.embed_secret
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def signed_xid(conversation: Conversation, xid: str, signature: str) -> bool:
    """Signed with the secret, or with the one before while its overlap lasts."""
    if not xid:
        return False
    secrets_now = [conversation.embed_secret]
    until = conversation.previous_secret_until
    if conversation.previous_embed_secret and until and timezone.now() < until:
        secrets_now.append(conversation.previous_embed_secret)
    given = signature.lower()
    return any(
        hmac.compare_digest(xid_signature(conversation, xid, secret), given)
        for secret in secrets_now
    )


class Unproven(Refused):
    def __init__(self) -> None:
        super().__init__(
            "unproven",
            _(
                "This link does not prove who you are. Open the conversation again from the "
                "site that sent you here, or without the id in the address."
            ),
        )


@dataclass(frozen=True)
class Identity:
    xid: str = ""
    xid_sig: str = ""
    token: str = ""
    is_new: bool = False  # a token made for this request: set the cookie on the reply


def identity_of(request: HttpRequest, conversation: Conversation) -> Identity:
    """Who is voting: the partner's signed `xid` if the page was opened with one (Unproven
    if its signature is wrong), else the token in the signed cookie, else a new token (to be
    remembered on the reply)."""
    xid = str(request.POST.get("xid") or request.GET.get("xid") or "")[:200]
    if xid:
        signature = str(request.POST.get("xid_sig") or request.GET.get("xid_sig") or "")[:128]
        if not signed_xid(conversation, xid, signature):
            raise Unproven()
        return Identity(xid=xid, xid_sig=signature)
    token = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    if token:
        return Identity(token=token)
    return Identity(token=secrets.token_urlsafe(18), is_new=True)


def remember(request: HttpRequest, response: HttpResponse, identity: Identity) -> HttpResponse:
    if identity.is_new:
        # Lax: a cross-site form cannot vote with someone's cookie (the forms are CSRF-exempt
        # so that cookieless phones and partner embeds with an xid still work).
        response.set_signed_cookie(
            COOKIE,
            identity.token,
            salt=COOKIE_SALT,
            max_age=COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response
