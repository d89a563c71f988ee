"""One JSON log line and the Prometheus figures for every HTTP request, at the ASGI edge
(so group-committed submissions count too), with a request id: nginx's (X-Request-ID), or
made here. The id is answered in X-Request-ID and reaches every log line of the request,
and the log line of any task it queues (lib/jsonlog.py)."""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from globaldialogue.lib.logredact import redact
from globaldialogue.lib.metrics import LATENCY, REQUESTS

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("globaldialogue.requests")

# First path segment -> route group: bounded labels, whatever the slugs and tokens.
GROUPS = {
    "": "home",
    "s": "survey",
    "c": "conversation",
    "d": "dialogue",
    "r": "dashboard",
    "api": "api",
    "admin": "backoffice",
    "messaging": "messaging",
    "static": "static",
    "healthz": "health",
    "readyz": "health",
    "metrics": "metrics",
}
API_GROUPS = {"surveys", "conversations", "dialogues", "consultations", "sms", "odk"}

Scope = dict[str, Any]
Message = dict[str, Any]
App = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def route_group(path: str) -> str:
    parts = path.strip("/").split("/")
    group = GROUPS.get(parts[0], "other")
    if group == "api" and len(parts) > 1 and parts[1] in API_GROUPS:
        return f"api-{parts[1]}"
    return group


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if ACCEPTED_ID.match(text):
                return text
    return uuid.uuid4().hex


def with_request_log(app: App) -> App:
    async def logged(scope: Scope, receive: Any, send: Any) -> None:
        request_id = request_id_from(scope.get("headers", []))
        token = REQUEST_ID.set(request_id)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            _account(scope, status, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    return logged


def _account(scope: Scope, status: int, seconds: float) -> None:
    group = route_group(scope["path"])
    REQUESTS.labels(group, scope["method"], str(status)).inc()
    LATENCY.labels(group).observe(seconds)
    if group != "static":  # a page's CSS and scripts would bury the requests that matter
        log.info(
            "request",
            extra={
                "fields": {
                    "method": scope["method"],
                    "path": redact(scope["path"]),
                    "group": group,
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                }
            },
        )
