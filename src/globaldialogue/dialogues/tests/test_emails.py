"""Emails for registrants who give an address: Pierre signs up on the French page and gets
a confirmation in French with his personal link and a calendar file, then a reminder before
the start; nothing once he has deleted his address."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from globaldialogue.dialogues import actions, mail, tasks
from globaldialogue.dialogues.models import Registration
from globaldialogue.personas import registration_form


def _pierre(event, **change):
    person = {"display_name": "Pierre", "languages": ["fr"], "country": "FR"}
    return registration_form(
        event, **{**person, "email": "pierre@example.org", "language": "fr", **change}
    )


def test_the_confirmation_is_in_his_language_with_his_link(
    youth_dialogue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration, _token = actions.register(**_pierre(youth_dialogue))
    [message] = mailoutbox
    assert message.to == ["pierre@example.org"]
    assert message.subject == "Confirmez votre place : Dialogue des jeunes"
    assert message.body.startswith("Bonjour,") and "Africa/Nairobi" in message.body
    link = next(line for line in message.body.splitlines() if "/you/" in line)
    assert link.startswith("http://127.0.0.1:8000/d/youth-dialogue/you/")
    page = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and "Pierre" in page.content.decode()
    assert "Confirmer ma place" in page.content.decode()
    # The calendar file waits on the personal page: no attachment to an unconfirmed address.
    assert message.attachments == []
    calendar = Client().get(f"/d/youth-dialogue/you/{mail.email_link(registration)}/event.ics")
    assert f"UID:youth-dialogue-{registration.pk}@globaldialogue" in calendar.content.decode()


def test_no_email_no_messages(youth_dialogue, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.register(**_pierre(youth_dialogue, email=""))
    assert mailoutbox == []


def test_an_email_link_opens_only_its_own_event(youth_dialogue):
    registration, _token = actions.register(**_pierre(youth_dialogue))
    token = mail.email_link(registration)
    assert Client().get(f"/d/youth-dialogue/you/{token}/").status_code == 200
    assert Client().get(f"/d/youth-dialogue/you/{token}x/").status_code == 404
    youth_dialogue.pk += 1000  # the same signed id for another event is not accepted
    assert mail.email_link_registration(youth_dialogue, token) is None


def test_reminders_go_a_day_before_or_else_an_hour_before():
    start = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    assert mail.reminder_time(start, start - timedelta(days=3)) == start - timedelta(hours=24)
    assert mail.reminder_time(start, start - timedelta(hours=5)) == start - timedelta(hours=1)
    assert mail.reminder_time(start, start - timedelta(minutes=30)) is None


def test_the_reminder_is_planned_in_the_task_queue(youth_dialogue, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    registration, _token = actions.register(**_pierre(youth_dialogue))
    tasks.schedule_reminder(registration)
    planned = DBTaskResult.objects.get(task_path__endswith="send_reminder")
    assert planned.run_after == youth_dialogue.starts_at - timedelta(hours=24)
    assert planned.args_kwargs["args"] == [registration.pk, youth_dialogue.starts_at.isoformat()]


def test_the_reminder_is_sent_once_and_only_if_still_wanted(youth_dialogue, mailoutbox):
    registration, _token = actions.register(**_pierre(youth_dialogue))
    planned_for = youth_dialogue.starts_at.isoformat()
    assert tasks.send_reminder.call(registration.pk, planned_for) == "sent"
    [message] = mailoutbox
    assert message.subject == "Rappel : Dialogue des jeunes" and "/lobby/" in message.body
    assert tasks.send_reminder.call(registration.pk, planned_for) == "skipped"  # once
    other, _token = actions.register(**_pierre(youth_dialogue, display_name="Li Wei"))
    actions.reschedule_event(event=youth_dialogue, starts_at=timezone.now() + timedelta(days=2))
    assert tasks.send_reminder.call(other.pk, planned_for) == "rescheduled"
    actions.forget_email(registration=other)
    assert tasks.send_reminder.call(other.pk, planned_for) == "skipped"
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("status", ["cancelled"])
def test_no_reminder_for_a_cancelled_event(youth_dialogue, mailoutbox, status):
    registration, _token = actions.register(**_pierre(youth_dialogue))
    youth_dialogue.status = status
    youth_dialogue.save(update_fields=["status"])
    assert tasks.send_reminder.call(registration.pk, youth_dialogue.starts_at.isoformat()) == (
        "skipped"
    )
    assert Registration.objects.get().reminded_at is None and mailoutbox == []


def test_links_in_emails_lead_to_where_the_site_is_served(
    start_server, youth_dialogue, server_data_dir
):
    """No GLOBALDIALOGUE_SITE_URL set: `serve` makes the links from its own address, for
    its web process and its worker alike (the worker sends the email)."""
    import email
    import time

    import httpx

    server = start_server(worker=True)
    form = {
        "display_name": "Pierre Serveur",
        "languages": ["fr"],
        "country": "FR",
        "age_group": "31_45",
        "email": "pierre.serveur@example.org",
        "accept_rules": "yes",
        "language": "fr",
    }
    assert httpx.post(f"{server.url}/d/youth-dialogue/", data=form).status_code == 303
    deadline, bodies = time.monotonic() + 30, []
    while time.monotonic() < deadline and not bodies:
        for path in (server_data_dir / "mail").glob("*.log"):
            message = email.message_from_bytes(path.read_bytes())
            part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
            text = part.get_payload(decode=True).decode()
            if message["To"] == "pierre.serveur@example.org":
                bodies.append(text)
        time.sleep(0.3)
    assert bodies and f"{server.url}/d/youth-dialogue/you/" in bodies[0]
