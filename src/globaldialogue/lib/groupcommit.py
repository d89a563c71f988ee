"""Group commit in front of Django's ASGI handler, for small, hot POST endpoints.

Requests to a route that arrive while a commit is in flight wait for the next one, which
stores them all in one transaction (the route's `store`, through the same actions as every
other channel); each request is answered only after its commit. A route answers only its
happy outcomes: anything `parse` or `store` leaves as None (bad JSON, invalid input, a
closed or unknown target, a rate limit, a large body, an error) is handed to the Django
endpoint with the body replayed, which answers it exactly as documented. The routes' writes
are idempotent, so trying here first is safe.

Why: Django's request machinery (middleware hopping between threads) costs milliseconds a
request; one transaction for many requests also saves a durable commit each.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from globaldialogue.lib.ratelimit import caller_address

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]
Reply = tuple[int, bytes] | None  # None: let the Django endpoint answer


@dataclass(frozen=True)
class Route:
    path: re.Pattern[str]  # with a `slug` group: requests are batched per slug
    parse: Callable[[bytes], Any]  # body -> item, or None to hand the request to Django
    store: Callable[[str, list[tuple[Any, str]]], list[Reply]]  # (slug, [(item, ip)])
    max_bytes: Callable[[], int]


def with_group_commit(django_app: ASGIApp, routes: Sequence[Route]) -> ASGIApp:
    batchers = [(route, GroupCommit(route.store)) for route in routes]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not settings.THREAD_POOL:
            return await django_app(scope, receive, send)
        if not _fast_path_fits(scope):
            return await django_app(scope, receive, send)
        for route, batcher in batchers:
            if match := route.path.match(scope.get("path", "")):
                return await _serve(route, batcher, match["slug"], django_app, scope, receive, send)
        return await django_app(scope, receive, send)

    return app


async def _serve(
    route: Route,
    batcher: "GroupCommit",
    slug: str,
    django_app: ASGIApp,
    scope: dict[str, Any],
    receive: Any,
    send: Any,
) -> None:
    body, complete = await _read_body(receive, route.max_bytes())
    reply = None
    if complete and (item := route.parse(body)) is not None:
        reply = await batcher.submit(slug, item, _client_ip(scope))
    if reply is None:
        return await django_app(scope, _replay(body, complete, receive), send)
    await _send_json(send, *reply)


class GroupCommit:
    def __init__(
        self,
        store: Callable[[str, list[tuple[Any, str]]], list[Reply]],
        max_rows: int = 500,
        max_flushes: int = 4,
    ) -> None:
        self.store = store
        self.max_rows, self.max_flushes = max_rows, max_flushes
        self.pending: dict[str, list[tuple[Any, str, asyncio.Future[Reply]]]] = {}
        self.in_flight = 0

    async def submit(self, slug: str, item: Any, ip: str) -> Reply:
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self.pending.setdefault(slug, []).append((item, ip, future))
        self._start_flushes()
        return await future

    def _start_flushes(self) -> None:
        while self.pending and self.in_flight < self.max_flushes:
            slug = next(iter(self.pending))
            items = self.pending[slug][: self.max_rows]
            del self.pending[slug][: self.max_rows]
            if not self.pending[slug]:
                del self.pending[slug]
            self.in_flight += 1
            asyncio.get_running_loop().create_task(self._flush(slug, items))

    async def _flush(self, slug: str, items: list[Any]) -> None:
        try:
            work = [(item, ip) for item, ip, _ in items]
            replies = await sync_to_async(self.store, thread_sensitive=False)(slug, work)
        except Exception:  # the Django endpoint answers each one, error included
            replies = [None] * len(items)
        finally:
            self.in_flight -= 1
        for (_, _, future), reply in zip(items, replies, strict=True):
            if not future.done():
                future.set_result(reply)
        self._start_flushes()


def _fast_path_fits(scope: dict[str, Any]) -> bool:
    """A JSON body for one of our hosts: anything else is Django's to answer (and to refuse,
    as it refuses a Host header that is not ours)."""
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    host = headers.get(b"host", b"").decode("latin-1")
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]  # as Django's own get_host() does
    domain, _port = split_domain_port(host)
    return content_type == b"application/json" and bool(domain) and validate_host(domain, allowed)


def _client_ip(scope: dict[str, Any]) -> str:
    headers = dict(scope.get("headers") or [])
    forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
    client = scope.get("client")
    return caller_address(str(client[0]) if client else "", forwarded)


async def _read_body(receive: Any, limit: int) -> tuple[bytes, bool]:
    """The body, and whether it is all there (False: larger than `limit`, stopped early)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > limit:
            return b"".join(chunks), False


def _replay(body: bytes, complete: bool, receive: Any) -> Any:
    """A `receive` that gives Django the body already read, then the rest of the stream."""
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return replay


async def _send_json(send: Any, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
