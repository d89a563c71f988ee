"""Django's own middleware, with hooks that run on the event loop under ASGI.

Django's MiddlewareMixin cannot know whether a hook blocks, so under ASGI it runs each
`process_request` and `process_response` in a thread (sync_to_async): about fifteen thread
hops per page, serialised on one thread per process. These hooks do no I/O (headers,
cookies, lazy objects, a URL resolve, gzip), so here they run on the loop and a page costs
one hop, for its view. The exceptions keep their thread: a session that must be saved
(a database write), and the CSRF check, which reads a posted form.
Under WSGI (the test client) nothing changes.
"""

from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponse
from django.middleware import clickjacking, common, csrf, gzip, locale, security


class OnLoop:
    """For a MiddlewareMixin subclass whose hooks never block."""

    get_response: Any

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            response = self.process_response(request, response)
        return response


class SecurityMiddleware(OnLoop, security.SecurityMiddleware):
    pass


class GZipMiddleware(OnLoop, gzip.GZipMiddleware):
    pass


class LocaleMiddleware(OnLoop, locale.LocaleMiddleware):
    pass


class CommonMiddleware(OnLoop, common.CommonMiddleware):
    pass


class AuthenticationMiddleware(OnLoop, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(OnLoop, messages.MessageMiddleware):
    pass


class XFrameOptionsMiddleware(OnLoop, clickjacking.XFrameOptionsMiddleware):
    pass


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class CsrfViewMiddleware(OnLoop, csrf.CsrfViewMiddleware):
    """Cookies are set and read on the loop; the check of a POST, which reads its form,
    goes to a thread. (Under WSGI, Django's own process_view, as it is.)"""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        if self.async_mode:  # Django adapts process_view by whether it is a coroutine
            self.process_view = self._process_view_on_loop  # type: ignore[method-assign,assignment]

    async def _process_view_on_loop(
        self, request: HttpRequest, callback: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        check = super().process_view
        if request.method in SAFE_METHODS:
            return check(request, callback, args, kwargs)
        return await sync_to_async(check)(request, callback, args, kwargs)


class SessionMiddleware(OnLoop, sessions.SessionMiddleware):
    """Saving a changed session writes to the database: that response goes to a thread."""

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        self.process_request(request)
        response = await self.get_response(request)
        session = request.session
        if session.modified or settings.SESSION_SAVE_EVERY_REQUEST:
            return await sync_to_async(self.process_response)(request, response)
        return self.process_response(request, response)
