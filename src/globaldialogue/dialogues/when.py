"""An event's times as people read them: in the event's own time zone, in the active
language's format, with UTC beside it; the same on every page, in every email and (as UTC)
in the calendar file. Formatted here, in Python: a template's date filter would first turn
the time back into the site's time zone (UTC), which is how the wrong hour once showed."""

import zoneinfo
from datetime import UTC, datetime

from django.utils.formats import date_format


def local(moment: datetime, time_zone: str) -> datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone))


def when(moment: datetime, time_zone: str) -> str:
    """E.g. "Dec. 10, 2030, 3 p.m. (Africa/Nairobi) · Dec. 10, 2030, noon UTC": both in the
    active language's one format."""
    shown = date_format(local(moment, time_zone), "DATETIME_FORMAT")
    utc = date_format(moment.astimezone(UTC), "DATETIME_FORMAT")
    return f"{shown} ({time_zone}) · {utc} UTC"


def day(moment: datetime, time_zone: str) -> str:
    """The date alone, as the event's time zone has it."""
    return date_format(local(moment, time_zone), "DATE_FORMAT")
