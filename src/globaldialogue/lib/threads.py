"""Running blocking work from async views without serialising it on one thread."""

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

P = ParamSpec("P")
T = TypeVar("T")


async def in_thread(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `function` in the thread pool, where many can wait on the database at once.

    Django's default for sync code under ASGI is one thread per process, which would make
    every submission wait for the one before it. Connections opened here are closed (returned
    to the pool) after each call, as at the end of a request.
    """
    if not settings.THREAD_POOL:
        return await sync_to_async(function, thread_sensitive=True)(*args, **kwargs)
    return await sync_to_async(_with_fresh_connections, thread_sensitive=False)(
        function, *args, **kwargs
    )


def _with_fresh_connections(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    close_old_connections()
    try:
        return function(*args, **kwargs)
    finally:
        close_old_connections()
