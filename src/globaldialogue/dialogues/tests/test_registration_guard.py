"""Registration against bots: a place given with an email address counts once the address
is confirmed from the email itself; unconfirmed places lapse; sign-ups are limited per
address and per network; a name cannot carry a link into our emails; addresses are erased
a while after the event, on the audit trail."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from globaldialogue.audit.models import Entry
from globaldialogue.dialogues import actions, mail, tasks
from globaldialogue.dialogues.models import Registration
from globaldialogue.lib.errors import Refused
from globaldialogue.personas import KOFI, PIERRE, registration_form


def with_email(event, person=PIERRE, **change):
    return registration_form(event, person, email=f"{person.name.lower()}@example.org", **change)


def confirm_url(registration) -> str:
    return f"/d/youth-dialogue/you/{mail.email_link(registration)}/confirm"


def test_a_place_with_an_email_counts_once_confirmed_from_the_email(youth_dialogue):
    youth_dialogue.capacity = 1
    youth_dialogue.save(update_fields=["capacity"])
    pierre, pierres_token = actions.register(**with_email(youth_dialogue))
    kofi, _ = actions.register(**with_email(youth_dialogue, KOFI))  # not yet counted: room
    assert youth_dialogue.seated().count() == 0
    page = Client().get(f"/d/youth-dialogue/you/{pierres_token}/").content.decode()
    assert "We sent you an email" in page and "/confirm" not in page  # no button here
    from_email = Client().get(f"/d/youth-dialogue/you/{mail.email_link(pierre)}/").content
    assert b"/confirm" in from_email
    # The link from the sign-up page cannot confirm: only the one in the email can.
    assert Client().post(f"/d/youth-dialogue/you/{pierres_token}/confirm").status_code == 403
    assert Client().post(confirm_url(pierre)).status_code == 303
    assert list(youth_dialogue.seated()) == [pierre]
    full = Client().post(confirm_url(kofi))
    assert (
        full.status_code == 409 and Registration.objects.get(pk=kofi.pk).email_confirmed_at is None
    )


def test_the_confirmation_email_asks_to_confirm_and_carries_no_registrant_text(
    youth_dialogue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pierre, _ = actions.register(**with_email(youth_dialogue, display_name="Pierre D."))
    [message] = mailoutbox
    assert "Pierre" not in message.body and "Pierre" not in message.subject
    assert mail.email_link(pierre) in message.body and "/confirm" not in message.body
    with pytest.raises(Refused) as refused:
        actions.register(**with_email(youth_dialogue, KOFI, display_name="Win at evil.example"))
    assert refused.value.code == "name"


def test_unconfirmed_places_lapse(youth_dialogue):
    pierre, _ = actions.register(**with_email(youth_dialogue))
    kofi, _ = actions.register(**registration_form(youth_dialogue, KOFI))  # no email: seated
    assert tasks.lapse_unconfirmed.call(pierre.pk) == "lapsed"
    assert tasks.lapse_unconfirmed.call(kofi.pk) == "kept"
    assert list(Registration.objects.all()) == [kofi]


@override_settings(RATE_REGISTER_PER_EMAIL=(2, 3600), RATE_REGISTER_PER_IP=(3, 3600))
def test_sign_ups_are_limited_per_address_and_per_network(youth_dialogue):
    for _ in range(2):
        actions.register(**with_email(youth_dialogue))
    with pytest.raises(Refused) as refused:
        actions.register(**with_email(youth_dialogue))
    assert refused.value.code == "too_many"
    form = {
        "display_name": "Bot",
        "languages": "en",
        "country": "KE",
        "age_group": KOFI.age_group,
        "accept_rules": "yes",
    }
    codes = [Client().post("/d/youth-dialogue/?lang=en", form).status_code for _ in range(4)]
    assert codes[-1] == 429 and Registration.objects.filter(display_name="Bot").count() <= 3


def test_addresses_are_erased_a_while_after_the_event_and_it_is_on_record(youth_dialogue):
    pierre, _ = actions.register(**with_email(youth_dialogue))
    assert tasks.erase_email.call(pierre.pk) == "kept"  # the event has not even started
    ended = timezone.now() - timedelta(days=91) - timedelta(minutes=youth_dialogue.minutes)
    actions.reschedule_event(event=youth_dialogue, starts_at=ended)
    assert tasks.erase_email.call(pierre.pk) == "erased"
    assert Registration.objects.get(pk=pierre.pk).email == ""
    assert Entry.objects.filter(action="forget_email", actor_kind="task").exists()


def test_control_characters_never_reach_the_database(youth_dialogue):
    """A NUL in a form field would make PostgreSQL fail: names and languages are cleaned."""
    registration, _ = actions.register(
        **registration_form(
            youth_dialogue, KOFI, display_name="Ko\x00fi\x07", languages=["en", "x\x00y"]
        )
    )
    assert (registration.display_name, registration.languages) == ("Kofi", ["en"])
