"""Fixed-window rate limits in Django's cache (local memory embedded, Redis in production)."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def retry_after(scope: str, ident: str, limit: tuple[int, int]) -> int | None:
    """Count one hit; return seconds to wait when over the limit, else None. 0/N disables.

    A window opens at an address's first hit and lasts `seconds` (not aligned to the clock,
    so two hits a moment apart always share a window, and no burst doubles at a boundary).
    """
    allowed, seconds = limit
    if allowed == 0:
        return None
    key = f"ratelimit:{scope}:{ident}"
    now = time.time()
    if cache.add(key, 1, timeout=seconds):
        cache.set(f"{key}:start", now, timeout=seconds)
        return None
    try:
        hits = cache.incr(key)  # keeps the key's expiry, in local memory and in Redis
    except ValueError:  # the window closed between add and incr
        return None
    if hits <= allowed:
        return None
    start = cache.get(f"{key}:start", now)
    return max(1, math.ceil(start + seconds - now))


def client_ip(request: HttpRequest) -> str:
    return caller_address(
        str(request.META.get("REMOTE_ADDR", "")), request.META.get("HTTP_X_FORWARDED_FOR", "")
    )


def caller_address(remote: str, forwarded: str) -> str:
    """The caller's address; X-Forwarded-For is believed only for configured proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return remote
