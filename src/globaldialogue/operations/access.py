"""Reads of the operations app: which processes are alive, by their heartbeats."""

import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from globaldialogue.operations.models import Heartbeat


def dead_before() -> datetime:
    """A process whose last beat is older than this is taken for dead."""
    return timezone.now() - timedelta(seconds=settings.WORKER_DEAD_SECONDS)


def alive_names(kind: str) -> set[str]:
    beats = Heartbeat.objects.filter(kind=kind, beat_at__gte=dead_before())
    return set(beats.values_list("name", flat=True))


def other_web_hosts() -> set[str]:
    """Hosts other than this one whose web processes beat in this database."""
    beats = Heartbeat.objects.filter(kind=Heartbeat.Kind.WEB, beat_at__gte=dead_before())
    return set(beats.exclude(host=socket.gethostname()).values_list("host", flat=True))
