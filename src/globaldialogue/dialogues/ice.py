"""How a participant's browser reaches the others (or the media server): the ICE servers
and policy each room join is given (room.py's welcome message, RTCConfiguration form).

With a TURN server of our own (coturn, settings.TURN_URLS) every join gets credentials of
coturn's REST-API form, valid TURN_CREDENTIAL_HOURS: username `<expiry>:<member>`, password
the base64 HMAC-SHA1 of the username under coturn's static-auth-secret. Nothing is stored:
coturn checks the signature and the expiry itself, and a copied password stops working.
"""

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings


def ice_configuration(member: int, *, now: float | None = None) -> dict[str, Any]:
    """The RTCConfiguration fields for `member`'s connections."""
    servers: list[dict[str, Any]] = list(settings.ROOM_ICE_SERVERS)
    if settings.TURN_URLS:
        expiry = int(time.time() if now is None else now) + settings.TURN_CREDENTIAL_HOURS * 3600
        username = f"{expiry}:{member}"
        stun = stun_urls(settings.TURN_URLS)
        servers = [*([{"urls": stun}] if stun else []), *servers]
        servers.append(
            {
                "urls": list(settings.TURN_URLS),
                "username": username,
                "credential": turn_password(username, settings.TURN_SECRET),
            }
        )
    return {"iceServers": servers, "iceTransportPolicy": settings.ICE_TRANSPORT_POLICY}


def turn_password(username: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def stun_urls(turn_urls: list[str]) -> list[str]:
    """STUN on each plain TURN server named (coturn answers both on the same port); browsers
    have no STUN over TLS, so `turns:` servers give none."""
    found: list[str] = []
    for url in turn_urls:
        if not url.startswith("turn:"):
            continue
        host_port = urlsplit(url).path.split("?")[0]  # turn:host:port?transport=tcp
        if f"stun:{host_port}" not in found:
            found.append(f"stun:{host_port}")
    return found
