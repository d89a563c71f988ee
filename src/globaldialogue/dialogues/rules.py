"""The rules an event must keep, checked in one place for the API, the back office and the
demo (actions.create_event and update_event raise; the admin form shows them per field)."""

import zoneinfo
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from globaldialogue.dialogues import media
from globaldialogue.dialogues.models import GROUP_SIZE_RANGE, Event

MESH_TOO_SMALL = (
    f"Peer-to-peer rooms hold up to {media.MESH_LIMIT} people; larger groups need a media "
    "server (Video: Janus)."
)
LOBBY_OPENS = timedelta(minutes=30)  # before the start
LOBBY_PRESENT = timedelta(seconds=60)  # a lobby page checks in every 10 s


# The event's fields the rules look at (event_problems also takes its agenda).
RULE_FIELDS = (
    "title",
    "languages",
    "starts_at",
    "time_zone",
    "min_group_size",
    "max_group_size",
    "registration",
    "invitation_code",
    "media",
)


class EventInvalid(ValueError):
    """The event breaks a rule; `problems` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def event_problems(
    *,
    title: dict[str, str] | None = None,
    languages: Sequence[str] | None = None,
    starts_at: datetime | None = None,
    time_zone: str | None = None,
    min_group_size: int | None = None,
    max_group_size: int | None = None,
    registration: str | None = None,
    invitation_code: str | None = None,
    media: str | None = None,
    agenda: Sequence[Any] | None = None,
) -> dict[str, str]:
    """What is wrong with an event with these fields, by field (empty when nothing is). A
    field left out (None) is not checked: a form checks what it holds."""
    problems: dict[str, str] = {}
    for field, given in (("languages", languages), ("title", title), ("agenda", agenda)):
        if given is not None and not given:
            problems[field] = f"an event needs its {field}"
    provider = (media or settings.ROOM_MEDIA) if media is not None else None
    if provider is not None and (why := _media_problem(provider)):
        problems["media"] = why
    if min_group_size is not None and max_group_size is not None:
        problems.update(_group_size_problems(min_group_size, max_group_size, provider))
    if starts_at is not None and timezone.is_naive(starts_at):
        problems["starts_at"] = "starts_at must carry its time zone"
    if time_zone is not None and not known_zone(time_zone):
        problems["time_zone"] = f"Unknown time zone: {time_zone}"
    if registration == Event.Registration.INVITATION and invitation_code == "":
        problems["invitation_code"] = "an invitation-only event needs an invitation code"
    return problems


def _media_problem(provider: str) -> str:
    if provider not in Event.Media.values:
        return f"Unknown video provider: {provider}"
    return media.unavailable(provider)


def _group_size_problems(low: int, high: int, provider: str | None) -> dict[str, str]:
    least, most = GROUP_SIZE_RANGE
    if not least <= low <= high <= most:
        field = "max_group_size" if least <= low <= most and low > high else "min_group_size"
        return {field: f"group sizes must satisfy {least} <= min <= max <= {most}"}
    if high > media.largest_group(provider or settings.ROOM_MEDIA):
        return {"max_group_size": MESH_TOO_SMALL}
    return {}


def known_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, LookupError):  # zoneinfo raises LookupError subclasses
        return False
    return True


def check_event(**fields: Any) -> None:
    """Raise EventInvalid unless the event keeps every rule (fields as event_problems)."""
    if problems := event_problems(**fields):
        raise EventInvalid(problems)
