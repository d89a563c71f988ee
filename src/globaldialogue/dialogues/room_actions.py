"""Every write to a dialogue group's room: the facilitator's rules applied under a row lock,
removals by the host, attendance, and the group's report."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from globaldialogue.audit.actions import record
from globaldialogue.audit.context import Actor
from globaldialogue.dialogues import facilitator, media
from globaldialogue.dialogues.actions import offer_report_texts
from globaldialogue.dialogues.models import (
    REPORT_AGREEMENT,
    DialogueGroup,
    Event,
    GroupReport,
    GroupReportVersion,
    Registration,
    Room,
)
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.hooks import Hook

# Subscribed to in apps.py. A media server must close a removed member's session (tasks.py); a filed
# report fills every open form in the room (room.py).
member_removed = Hook("dialogues: the host removed a member on a media server (group, member)")
MESSAGE_MAX = 2000  # characters in a group's message to the organizers
report_filed = Hook("dialogues: a group's report was filed (report)")


def change_room(
    *,
    group: DialogueGroup,
    change: Callable[[facilitator.RoomState, datetime], facilitator.RoomState],
) -> Room:
    """Apply one facilitator rule to the room, under a row lock (two people acting at once
    are applied one after the other), and end a turn whose time is up."""
    now = timezone.now()
    items = group.event.agenda.count()
    with transaction.atomic():
        room = _locked_room(group)
        state = room_state(room, items)
        changed = facilitator.tick(change(state, now), now)
        if changed != state:
            _store_state(room, changed, now)
    return room


def remove_from_room(*, group: DialogueGroup, member: int, by: Registration | None = None) -> Room:
    """The host (`by`) removes someone: out of the queue, and their token no longer opens
    the room."""
    now = timezone.now()
    with transaction.atomic():
        room = _locked_room(group)
        state = facilitator.leave(room_state(room, group.event.agenda.count()), member, now)
        room.removed = sorted({*room.removed, member})
        _store_state(room, state, now, extra=["removed"])
        record(
            action="remove_from_room",
            obj=group,
            consultation=group.event.consultation,
            summary={"member": member},
            actor=participant(by) if by is not None else None,
        )
        if media.has_media_server(group.event):  # our socket is closed; the server's too
            member_removed.fire(group.pk, member)
    return room


def _locked_room(group: DialogueGroup) -> Room:
    try:
        with transaction.atomic():
            Room.objects.get_or_create(group=group)
    except IntegrityError:  # created at the same moment by someone else
        pass
    return Room.objects.select_for_update().get(group=group)


def room_state(room: Room, items: int) -> facilitator.RoomState:
    return facilitator.RoomState(
        items=items,
        position=room.position,
        item_started_at=room.item_started_at,
        queue=tuple(room.queue),
        turn_started_at=room.turn_started_at,
        advance_votes=frozenset(room.advance_votes),
        talk={int(member): seconds for member, seconds in room.talk.items()},
    )


def _store_state(
    room: Room, state: facilitator.RoomState, now: datetime, extra: Sequence[str] = ()
) -> None:
    room.position, room.item_started_at = state.position, state.item_started_at
    room.queue, room.turn_started_at = list(state.queue), state.turn_started_at
    room.advance_votes = sorted(state.advance_votes)
    room.talk = {str(member): seconds for member, seconds in state.talk.items()}
    room.version += 1
    room.updated_at = now
    fields = ["position", "item_started_at", "queue", "turn_started_at", "advance_votes"]
    room.save(update_fields=[*fields, "talk", "version", "updated_at", *extra])


def file_report(
    *,
    group: DialogueGroup,
    registration: Registration,
    summaries: dict[str, str],
    ideas: Sequence[dict[str, str]],
    message: str,
) -> GroupReport:
    """The group's one shared report, summaries by agenda position. Filing again updates it
    field by field: an empty summary, idea list or message keeps what was filed (it never
    erases it), and every filing is kept as a version. Refused to a member the host removed,
    once the reports are published (then organizers edit: edit_report) and after the
    event's report window."""
    cleaned = _clean_summaries(group, summaries)
    kept = _clean_ideas(ideas)
    text = message.strip()
    with transaction.atomic():
        report = _locked_report(group)
        _check_may_file(group, registration)
        if not (text or report.message) or len(text) > MESSAGE_MAX:
            raise _message_refused()
        report.summaries = {**report.summaries, **cleaned}
        report.ideas = kept or report.ideas
        report.message = text or report.message
        report.filed_by, report.filed_at = registration, timezone.now()
        report.save()
        _keep_version(report)
        record(
            action="file_report",
            obj=report,
            consultation=group.event.consultation,
            actor=participant(registration),
        )
        report_filed.fire(report)
    return report


def edit_report(
    *,
    report: GroupReport,
    user: Any,
    summaries: dict[str, str],
    ideas: Sequence[dict[str, str]],
    message: str,
) -> GroupReport:
    """An organizer's change to a group's report (a correction, or words that identify
    someone taken out): the report becomes exactly this, the text it replaces is kept as
    the previous version."""
    cleaned, kept, text = check_report(
        group=report.group, summaries=summaries, ideas=ideas, message=message
    )
    with transaction.atomic():
        report = _locked_report(report.group)
        before = {"summaries": report.summaries, "ideas": report.ideas, "message": report.message}
        report.summaries, report.ideas, report.message = cleaned, kept, text
        report.save(update_fields=["summaries", "ideas", "message"])
        _keep_version(report, edited_by=user)
        if report.group.event.reports_public:  # published: readers want the new words
            offer_report_texts(report)
        record(
            action="edit_report",
            obj=report,
            consultation=report.group.event.consultation,
            summary={"before": before},
        )
        report_filed.fire(report)
    return report


def check_report(
    *,
    group: DialogueGroup,
    summaries: dict[str, str],
    ideas: Sequence[dict[str, str]],
    message: str,
) -> tuple[dict[str, str], list[dict[str, Any]], str]:
    """A whole report as edit_report stores it (cleaned), or Refused saying what is wrong."""
    text = message.strip()
    if not text or len(text) > MESSAGE_MAX:
        raise _message_refused()
    return _clean_summaries(group, summaries), _clean_ideas(ideas), text


def participant(registration: Registration) -> Actor:
    """A registrant as the audit trail names them (by registration, never by email)."""
    return Actor("participant", str(registration.pk), registration.display_name)


def _message_refused() -> Refused:
    return Refused("message", _("Write the group's message (up to 2,000 characters)."))


def _check_may_file(group: DialogueGroup, registration: Registration) -> None:
    event = Event.objects.get(pk=group.event_id)  # as it is now, not as the caller loaded it
    removed = Room.objects.filter(group=group).values_list("removed", flat=True).first()
    if registration.pk in (removed or []):
        raise Refused("removed", _("You were removed from this group's room."))
    if event.reports_public:
        raise Refused(
            "reports_published", _("The reports are published; only the organizers change them.")
        )
    if timezone.now() > event.reports_close_at:
        raise Refused("report_closed", _("The time to send or correct the report has passed."))


def _locked_report(group: DialogueGroup) -> GroupReport:
    """The group's report row, locked: two members sending at once are applied in turn."""
    try:
        with transaction.atomic():
            GroupReport.objects.get_or_create(group=group, defaults={"message": ""})
    except IntegrityError:  # made at the same moment by another member
        pass
    return GroupReport.objects.select_for_update().get(group=group)


def _clean_summaries(group: DialogueGroup, summaries: dict[str, str]) -> dict[str, str]:
    positions = {str(p) for p in group.event.agenda.values_list("position", flat=True)}
    cleaned = {k: " ".join(str(v).split())[:1000] for k, v in summaries.items() if str(v).strip()}
    if set(cleaned) - positions:
        raise Refused("summaries", _("A summary belongs to an agenda item of this dialogue."))
    return cleaned


def _clean_ideas(ideas: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    kept = [
        {
            "text": " ".join(str(idea.get("text", "")).split())[:300],
            "agreement": idea.get("agreement"),
        }
        for idea in ideas
        if str(idea.get("text", "")).strip()
    ]
    if len(kept) > 20 or any(idea["agreement"] not in REPORT_AGREEMENT for idea in kept):
        raise Refused("ideas", _("List up to 20 ideas, each with how much the group agreed."))
    return kept


def _keep_version(report: GroupReport, edited_by: Any = None) -> None:
    number = report.versions.count() + 1  # under the report's row lock
    GroupReportVersion.objects.create(
        report=report,
        number=number,
        summaries=report.summaries,
        ideas=report.ideas,
        message=report.message,
        filed_by=report.filed_by,
        filed_at=report.filed_at if edited_by is None else timezone.now(),
        edited_by=edited_by,
    )


def note_joined(*, registration: Registration) -> None:
    """The registrant is in their room (first time only): attendance for the organizers."""
    Registration.objects.filter(pk=registration.pk, joined_at__isnull=True).update(
        joined_at=timezone.now()
    )


def take_media_event(*, kind: str, room: str, identity: str) -> str:
    """A LiveKit webhook, already verified: attendance on joining, and a member the host
    removed is sent out again if they come back with an old token. Returns what was done."""
    group = media.group_id(room)
    if kind != "participant_joined" or group is None or not identity.isdigit():
        return "ignored"
    member = Registration.objects.filter(pk=int(identity), group_id=group).first()
    if member is None:
        return "unknown"
    note_joined(registration=member)
    removed = Room.objects.filter(group_id=group).values_list("removed", flat=True).first()
    if member.pk in (removed or []):
        member_removed.fire(group, member.pk)
        return "removed"
    return "joined"


TALKING_KEY = "janus-talking:{group}:{member}"
LONGEST_TURN = 3600.0  # seconds: a "stopped talking" longer after its start is not believed


def take_talking(*, group_id: int, member: int, talking: bool, at: float) -> float:
    """Janus says `member` started (or stopped) talking at `at` (seconds since the epoch):
    the time between the two is added to their talk time. Returns the seconds added."""
    key = TALKING_KEY.format(group=group_id, member=member)
    if talking:
        cache.set(key, at, timeout=int(LONGEST_TURN))
        return 0.0
    started = cache.get(key)
    cache.delete(key)
    group = DialogueGroup.objects.select_related("event").filter(pk=group_id).first()
    if started is None or group is None or not 0 < at - started <= LONGEST_TURN:
        return 0.0
    if not Registration.objects.filter(pk=member, group_id=group_id).exists():
        return 0.0
    seconds = round(at - started, 1)
    change_room(
        group=group,
        change=lambda state, now: facilitator.report_talk(
            state, member, seconds, limit=LONGEST_TURN
        ),
    )
    return seconds
