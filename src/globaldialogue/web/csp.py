"""Content-Security-Policy on every response: scripts and styles only from this site or with
the request's nonce, so that text someone manages to slip into a page cannot run.

Participant pages inline their stylesheet and two small scripts (one request on 2G): those
carry the nonce (`{{ csp_nonce }}`). A few elements are sized by a `style` attribute (bars,
map dots): `style-src-attr 'unsafe-inline'` allows attributes only, which run nothing. The
back office is Django's admin, whose change lists inline a <style>: there styles may be
inline, scripts still may not. Frames: none, unless a view says which partner sites may
frame it (`response.frame_ancestors`, deliberation's embeddable pages).
"""

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware


@sync_and_async_middleware
def csp_middleware(get_response: Callable[[HttpRequest], Any]) -> Callable[..., Any]:
    if iscoroutinefunction(get_response):

        async def on_loop(request: HttpRequest) -> HttpResponse:
            request.csp_nonce = secrets.token_urlsafe(16)  # type: ignore[attr-defined]
            return _with_policy(request, await get_response(request))

        return on_loop

    def middleware(request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)  # type: ignore[attr-defined]
        return _with_policy(request, get_response(request))

    return middleware


def _with_policy(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if "Content-Security-Policy" not in response:
        response["Content-Security-Policy"] = policy(request, response)
    return response


def policy(request: HttpRequest, response: HttpResponse) -> str:
    nonce = f"'nonce-{request.csp_nonce}'"  # type: ignore[attr-defined]
    back_office = request.path.startswith("/admin/")
    styles = "'self' 'unsafe-inline'" if back_office else f"'self' {nonce}"
    frames = getattr(response, "frame_ancestors", "'none'")
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' {nonce}",
        "style-src": styles,
        "style-src-attr": "'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "media-src": "'self' blob:",
        "connect-src": " ".join(["'self'", *_media_servers()]),
        "font-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": frames,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _media_servers() -> list[str]:
    """The media servers (Janus, LiveKit) the rooms' browsers talk to, where configured: by
    origin, since a source with a path would admit that one path and not those below it."""
    urls = (getattr(settings, name, "") or "" for name in ("JANUS_URL", "LIVEKIT_URL"))
    return [f"{part.scheme}://{part.netloc}" for url in urls if url and (part := urlsplit(url))]


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Template context: the nonce inline scripts and styles carry."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
