"""Group commit for `POST /api/surveys/{slug}/responses`, in front of Django's ASGI handler.

Submissions that arrive while a commit is in flight wait for the next one, which stores them
all in one transaction (one multi-row insert) through the same action as every other
channel; each request is answered only after its commit. Only the two happy outcomes are
answered here (201 created, 200 identical retry). Anything else (bad JSON, invalid answers,
a conflict, a closed or unknown survey, a rate limit, a large body) is handed to the Django
endpoint with the body replayed, which answers it exactly as documented; intake is
idempotent, so trying here first is safe.
"""

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http import Http404

from globaldialogue.lib.ratelimit import caller_address, retry_after
from globaldialogue.surveys import access, actions

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]
PATH = re.compile(r"^/api/surveys/(?P<slug>[-a-zA-Z0-9_]+)/responses$")
Reply = tuple[int, bytes] | None  # None: let the Django endpoint answer


def with_group_commit(django_app: ASGIApp) -> ASGIApp:
    batcher = GroupCommit()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        match = PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] != "POST" or not settings.THREAD_POOL:
            return await django_app(scope, receive, send)
        body, complete = await _read_body(receive, settings.SINGLE_RESPONSE_MAX_BYTES)
        reply = None
        if complete and (submission := _submission(body)) is not None:
            reply = await batcher.submit(match["slug"], submission, _client_ip(scope))
        if reply is None:
            return await django_app(scope, _replay(body, complete, receive), send)
        await _send_json(send, *reply)

    return app


class GroupCommit:
    def __init__(self, max_rows: int = 500, max_flushes: int = 4) -> None:
        self.max_rows, self.max_flushes = max_rows, max_flushes
        self.pending: dict[str, list[tuple[actions.Submission, str, asyncio.Future[Reply]]]] = {}
        self.in_flight = 0

    async def submit(self, slug: str, submission: actions.Submission, ip: str) -> Reply:
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self.pending.setdefault(slug, []).append((submission, ip, future))
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
            work = [(submission, ip) for submission, ip, _ in items]
            replies = await sync_to_async(_store, thread_sensitive=False)(slug, work)
        except Exception:  # the Django endpoint answers each one, error included
            replies = [None] * len(items)
        finally:
            self.in_flight -= 1
        for (_, _, future), reply in zip(items, replies, strict=True):
            if not future.done():
                future.set_result(reply)
        self._start_flushes()


def _store(slug: str, work: list[tuple[actions.Submission, str]]) -> list[Reply]:
    close_old_connections()
    try:
        survey = access.intake_survey(slug)
        allowed = [
            i
            for i, (_, ip) in enumerate(work)
            if not retry_after("submit-ip", ip, settings.RATE_SUBMIT_PER_IP)
        ]
        outcomes = actions.submit_responses(
            survey=survey, submissions=[work[i][0] for i in allowed], channel="api"
        )
    except (Http404, actions.SurveyClosed):
        return [None] * len(work)
    finally:
        close_old_connections()
    replies: list[Reply] = [None] * len(work)
    for index, outcome in zip(allowed, outcomes, strict=True):
        replies[index] = _reply(outcome)
    return replies


def _reply(outcome: actions.Outcome) -> Reply:
    if outcome.status not in ("created", "duplicate"):
        return None
    body = json.dumps({"id": outcome.id, "receipt": outcome.receipt}).encode()
    return (201 if outcome.status == "created" else 200), body


def _submission(body: bytes) -> actions.Submission | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"id", "language", "answers"}:
        return None
    if not (
        isinstance(data["id"], str)
        and isinstance(data["language"], str)
        and isinstance(data["answers"], dict)
    ):
        return None
    return actions.Submission(id=data["id"], language=data["language"], answers=data["answers"])


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
