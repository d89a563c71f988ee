"""Reading the audit trail (the back office and `globaldialogue audit-log`)."""

from datetime import datetime

from django.db.models import QuerySet

from globaldialogue.audit.models import Entry


def entries(*, consultation: str = "", since: datetime | None = None) -> QuerySet[Entry]:
    """Oldest first, as a log is read; a consultation's own entries, or all."""
    found = Entry.objects.order_by("at", "id")
    if consultation:
        found = found.filter(consultation=consultation)
    if since is not None:
        found = found.filter(at__gte=since)
    return found
