"""Background work for dialogues: the media servers' rooms (janus.py, media.py for LiveKit)
and the registrants' emails (mail.py); each is harmless to run again."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from globaldialogue.audit.context import TASK, acting_as
from globaldialogue.dialogues import actions, janus, mail, media
from globaldialogue.dialogues.models import DialogueGroup, Event, Registration

# Janus keeps a group's room this long after the event ends (late talkers, the report).
ROOM_KEPT_AFTER_END = timedelta(hours=2)


@task()
def create_media_rooms(event_id: int) -> int:
    """Create the media server's room for each of the event's groups, sized for the group
    (and on Janus, with its members' tokens); their removal is planned after the end."""
    event = Event.objects.get(pk=event_id)
    groups = DialogueGroup.objects.filter(event=event).select_related("event", "room")
    provider = media.provider(event)
    if provider == "janus":
        _defer(destroy_media_rooms, event.ends_at + ROOM_KEPT_AFTER_END, event.pk)
        return janus.create_rooms(groups)
    if provider == "livekit":  # LiveKit closes empty rooms itself
        return media.create_rooms(media.room_specs(groups))
    return 0


@task()
def destroy_media_rooms(event_id: int) -> int:
    """Close the event's Janus rooms once it is over (planned again if it has moved)."""
    event = Event.objects.get(pk=event_id)
    if media.provider(event) != "janus":
        return 0
    if event.ends_at + ROOM_KEPT_AFTER_END > timezone.now():
        _defer(destroy_media_rooms, event.ends_at + ROOM_KEPT_AFTER_END, event.pk)
        return 0
    return janus.destroy_rooms(event.groups.values_list("pk", flat=True))


@task()
def remove_media_participant(group_id: int, member: int) -> bool:
    group = DialogueGroup.objects.select_related("event").get(pk=group_id)
    if media.provider(group.event) == "janus":
        return janus.remove_participant(group_id, member)
    return media.remove_participant(group_id, member)


@task()
def send_confirmation(registration_id: int) -> bool:
    registration = _with_email(registration_id)
    if registration is None:
        return False
    mail.send_confirmation(registration)
    return True


@task()
def send_reminder(registration_id: int, starts_at: str) -> str:
    """Sent once, if the address is still there and the event still on at the time it was
    planned for; if the event moved, planned again for the new time."""
    registration = _with_email(registration_id)
    if registration is None or registration.reminded_at is not None:
        return "skipped"
    event = registration.event
    if event.status != Event.Status.PUBLISHED or event.starts_at <= timezone.now():
        return "skipped"
    if event.starts_at.isoformat() != starts_at:
        schedule_reminder(registration)
        return "rescheduled"
    mail.send_reminder(registration)
    actions.note_reminded(registration=registration)
    return "sent"


@task()
def lapse_unconfirmed(registration_id: int) -> str:
    """REGISTRATION_LAPSE_HOURS after a sign-up with an address: dropped if unconfirmed."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        return "gone"
    return "lapsed" if actions.lapse_registration(registration=registration) else "kept"


@task()
def erase_email(registration_id: int) -> str:
    """REGISTRANT_EMAIL_DAYS after the event ends the address is erased (on the audit
    trail); planned at sign-up, and again if the event has moved since."""
    registration = _with_email(registration_id)
    if registration is None:
        return "gone"
    due = erase_time(registration.event)
    if due > timezone.now():
        _defer(erase_email, due, registration.pk)
        return "kept"
    with acting_as(TASK):
        actions.forget_email(registration=registration)
    return "erased"


def erase_time(event: Event) -> datetime:
    return event.ends_at + timedelta(days=settings.REGISTRANT_EMAIL_DAYS)


def welcome(registration: Registration) -> None:
    """After a registration with an email address: the request to confirm it now, its lapse
    and the address's erasure planned (the reminder waits for the confirmation)."""
    send_confirmation.enqueue(registration.pk)
    lapse_at = timezone.now() + timedelta(hours=settings.REGISTRATION_LAPSE_HOURS)
    _defer(lapse_unconfirmed, lapse_at, registration.pk)
    _defer(erase_email, erase_time(registration.event), registration.pk)


def _defer(job: Any, when: datetime, *args: Any) -> None:
    """Run `job` at `when` where the backend can wait (database, RQ); the immediate backend
    of tests cannot, and they call the task themselves."""
    if job.get_backend().supports_defer:
        job.using(run_after=when).enqueue(*args)


def schedule_reminder(registration: Registration) -> None:
    """Plan the reminder (mail.REMIND_BEFORE). Needs a backend that can defer tasks (the
    database and RQ backends can; the immediate one in tests cannot, so tests call it)."""
    event = registration.event
    when = mail.reminder_time(event.starts_at, timezone.now())
    if when is None or not send_reminder.get_backend().supports_defer:
        return
    send_reminder.using(run_after=when).enqueue(registration.pk, event.starts_at.isoformat())


def _with_email(registration_id: int) -> Registration | None:
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    return registration if registration is not None and registration.email else None
