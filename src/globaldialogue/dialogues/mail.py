"""Emails to registrants who gave an address: a confirmation with their personal link and a
calendar file, and a reminder before the start (both sent by tasks.py, in the language of
the page they signed up on).

Personal links are random tokens of which only a keyed hash is kept, so an email cannot
repeat the one shown at sign-up. It carries an email link instead: the registration's id,
signed (django.core.signing), which access.personal_registration accepts the same way.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from globaldialogue.dialogues import when
from globaldialogue.dialogues.calendar import ics
from globaldialogue.dialogues.models import Event, Registration
from globaldialogue.lib.languages import ui_language
from globaldialogue.lib.metrics import EMAILS
from globaldialogue.lib.translated import pick

EMAIL_LINK_SALT = "globaldialogue.dialogues.email-link"
EMAIL_LINK_DAYS = 60
# Reminders: a day before; for those who sign up later, an hour before; else none.
REMIND_BEFORE = (timedelta(hours=24), timedelta(hours=1))


def email_link(registration: Registration) -> str:
    """A token for the registrant's personal pages, for emails (EMAIL_LINK_DAYS valid)."""
    return signing.dumps({"r": registration.pk, "e": registration.event_id}, salt=EMAIL_LINK_SALT)


def email_link_registration(event: Event, token: str) -> int | None:
    """The registration an email link names, if it is genuine, fresh and for this event."""
    try:
        data = signing.loads(token, salt=EMAIL_LINK_SALT, max_age=EMAIL_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return int(data["r"]) if data.get("e") == event.pk else None


def reminder_time(starts_at: datetime, now: datetime) -> datetime | None:
    return next((starts_at - ahead for ahead in REMIND_BEFORE if starts_at - ahead > now), None)


def calendar_for(registration: Registration, language: str, personal_url: str) -> str:
    """The event as a calendar file for one registrant (one UID per registration, so a
    second import updates the first)."""
    event = registration.event
    return ics(
        uid=f"{event.slug}-{registration.pk}@globaldialogue",
        starts=event.starts_at,
        ends=event.ends_at,
        title=event.title_in(language),
        description=pick(event.description, language, event.languages) + "\n\n" + personal_url,
        url=personal_url,
    )


def send_confirmation(registration: Registration) -> None:
    """The request to confirm the address: it names the event and links to the personal page
    (where "Confirm my place" is), and carries nothing the registrant typed: whoever signs
    up an address that is not theirs cannot put words in our email to it."""
    language, context = _context(registration)
    with translation.override(ui_language(language)):
        subject = _("Confirm your place: %(title)s") % {"title": context["title"]}
        context["lapse_hours"] = settings.REGISTRATION_LAPSE_HOURS
        body = render_to_string("dialogues/email/confirmation.txt", context)
        _send(_message(registration, subject, body))


def send_reminder(registration: Registration) -> None:
    language, context = _context(registration)
    with translation.override(ui_language(language)):
        subject = _("Reminder: %(title)s") % {"title": context["title"]}
        body = render_to_string("dialogues/email/reminder.txt", context)
        _send(_message(registration, subject, body))


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:
        EMAILS.labels("failed").inc()
        raise
    EMAILS.labels("sent").inc()


def _message(registration: Registration, subject: str, body: str) -> EmailMessage:
    return EmailMessage(subject=subject, body=body, to=[registration.email])


def _context(registration: Registration) -> tuple[str, dict[str, object]]:
    event = registration.event
    language = registration.language or event.languages[0]
    token = email_link(registration)
    personal = reverse("dialogues:personal", args=[event.slug, token])
    lobby = reverse("dialogues:lobby", args=[event.slug, token])
    with translation.override(ui_language(language)):
        start = when.when(event.starts_at, event.time_zone)
    return language, {
        "name": registration.display_name,
        "title": event.title_in(language),
        "when": start,
        "minutes": event.minutes,
        "personal_url": f"{settings.SITE_URL}{personal}?lang={language}",
        "lobby_url": f"{settings.SITE_URL}{lobby}?lang={language}",
    }
