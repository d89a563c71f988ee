"""Background work for dialogues: the LiveKit provider's server calls (media.py) and the
registrants' emails (mail.py); each is harmless to run again."""

from django.utils import timezone
from django_tasks import task

from globaldialogue.dialogues import actions, mail, media
from globaldialogue.dialogues.models import DialogueGroup, Event, Registration


@task()
def create_media_rooms(event_id: int) -> int:
    """Create a LiveKit room for each of the event's groups, sized for the group."""
    groups = DialogueGroup.objects.filter(event_id=event_id).select_related("event")
    return media.create_rooms(media.room_specs(groups))


@task()
def remove_media_participant(group_id: int, member: int) -> bool:
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


def welcome(registration: Registration) -> None:
    """After a registration with an email address: the confirmation now, the reminder
    planned."""
    send_confirmation.enqueue(registration.pk)
    schedule_reminder(registration)


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
