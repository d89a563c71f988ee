"""Who a participant of a conversation is: a partner's external id (`xid`) or an anonymous
random token kept in a signed cookie. Only a keyed hash of either is ever stored."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "gd_participant"
COOKIE_SALT = "globaldialogue.deliberation.participant"
COOKIE_AGE = 365 * 24 * 3600


def participant_key(*, token: str = "", xid: str = "") -> str:
    """A keyed hash of the anonymous token or the partner's external id: never stored raw."""
    if bool(token) == bool(xid):
        raise ValueError("give exactly one of token and xid")
    raw = f"token:{token}" if token else f"xid:{xid}"
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Identity:
    xid: str = ""
    token: str = ""
    is_new: bool = False  # a token made for this request: set the cookie on the reply


def identity_of(request: HttpRequest) -> Identity:
    """Who is voting: the partner's `xid` if the page was opened with one, else the token in
    the signed cookie, else a new token (to be remembered on the reply)."""
    xid = str(request.POST.get("xid") or request.GET.get("xid") or "")[:200]
    if xid:
        return Identity(xid=xid)
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
