"""Fixed-window rate limits in Django's cache (local memory embedded, Redis in production)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def retry_after(scope: str, ident: str, limit: tuple[int, int]) -> int | None:
    """Count one hit; return seconds to wait when over the limit, else None. 0/N disables."""
    allowed, seconds = limit
    if allowed == 0:
        return None
    now = time.time()
    key = f"ratelimit:{scope}:{ident}:{int(now // seconds)}"
    if cache.add(key, 1, timeout=seconds + 1):
        return None
    try:
        hits = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        return None
    if hits <= allowed:
        return None
    return max(1, int(seconds - now % seconds))


def client_ip(request: HttpRequest) -> str:
    """The caller's address; X-Forwarded-For is believed only for configured proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
