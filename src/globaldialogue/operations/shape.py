"""Refuse to serve in a shape that would silently break: several web processes, or web
processes on several hosts, with nothing shared between them but the database."""

from django.conf import settings
from django.db import DatabaseError

from globaldialogue.operations.access import other_web_hosts

WHAT_BREAKS = (
    "each process would keep its own rate limits (every limit multiplied by the number of "
    "processes), its own cache, and its own WebSocket groups (people in one dialogue room, "
    "or on one conversation page, would not see one another). Set REDIS_URL to a Redis "
    "server all web processes share (docs/deploy.md), or run one web process."
)


def unsafe_shape(*, web_processes: int) -> str | None:
    """Why serving this way would break, or None. Redis shares the cache, rate limits and
    channel layer; without it only one web process on one host is safe."""
    if settings.REDIS_URL:
        return None
    if web_processes > 1:
        return f"--workers {web_processes} without REDIS_URL: {WHAT_BREAKS}"
    if hosts := _other_hosts():
        return f"web processes on {', '.join(sorted(hosts))} share this database: {WHAT_BREAKS}"
    return None


def _other_hosts() -> set[str]:
    try:
        return other_web_hosts()
    except DatabaseError:  # not migrated yet: nobody else has served from it
        return set()
