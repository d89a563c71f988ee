"""For load balancers and monitoring: liveness, readiness and Prometheus metrics."""

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from globaldialogue.operations.health import readiness
from globaldialogue.operations.metrics import exposition

LOOPBACK = {"127.0.0.1", "::1"}


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers (no store is asked: a database outage must not get every web
    process restarted)."""
    return JsonResponse({"ok": True, "pid": os.getpid()})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Whether to send this process traffic: 200, or 503 naming the check that failed."""
    checks = readiness()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text for this host's processes. Only to this machine (the connection's own
    address, not a forwarded one: nginx does not pass /metrics on) or the metrics token;
    anyone else is told nothing is here."""
    if not _may_scrape(request):
        raise Http404
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)


def _may_scrape(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    forwarded = request.headers.get("X-Forwarded-For") or request.headers.get("X-Real-IP")
    return request.META.get("REMOTE_ADDR") in LOOPBACK and not forwarded
