"""The actor of a request: the signed-in organizer, else anonymous (partner keys and
participants are named where they are proven: accounts.access, the room's actions)."""

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware

from globaldialogue.audit.context import NOBODY, Actor, acting_as


@sync_and_async_middleware
def actor_middleware(get_response: Callable[[HttpRequest], Any]) -> Callable[..., Any]:
    if iscoroutinefunction(get_response):

        async def middleware(request: HttpRequest) -> HttpResponse:
            user = await request.auser()
            with acting_as(_actor(user)):
                response: Awaitable[HttpResponse] = get_response(request)
                return await response

        return middleware

    def sync_middleware(request: HttpRequest) -> HttpResponse:
        with acting_as(_actor(getattr(request, "user", None))):
            result: HttpResponse = get_response(request)
            return result

    return sync_middleware


def _actor(user: Any) -> Actor:
    if user is not None and user.is_authenticated:
        return Actor("user", str(user.pk), user.get_username())
    return NOBODY
