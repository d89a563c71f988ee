"""Olga creates events and forms groups; people register (actions)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from globaldialogue.dialogues import actions, room_actions, tokens
from globaldialogue.dialogues.models import DialogueGroup, Event, Registration
from globaldialogue.dialogues.tests.events import AGENDA
from globaldialogue.lib.errors import Refused
from globaldialogue.personas import registration_form


def test_an_event_keeps_its_agenda_in_order(youth_dialogue):
    assert [item.minutes for item in youth_dialogue.agenda.all()] == [5, 30, 10]
    assert youth_dialogue.minutes == 45
    assert youth_dialogue.ends_at - youth_dialogue.starts_at == timedelta(minutes=45)


@pytest.mark.parametrize(
    "change",
    [
        {"min_group_size": 3},
        {"min_group_size": 8, "max_group_size": 6},
        {"max_group_size": 13},
        {"time_zone": "Mars/Olympus"},
        {"starts_at": timezone.now().replace(tzinfo=None)},
        {"agenda": []},
        {"registration": Event.Registration.INVITATION},
    ],
)
def test_bad_events_are_refused(youth_dialogue, change):
    arguments = {
        "consultation": youth_dialogue.consultation,
        "slug": "another",
        "title": {"en": "Another"},
        "languages": ["en"],
        "starts_at": timezone.now() + timedelta(days=1),
        "time_zone": "UTC",
        "agenda": AGENDA,
        **change,
    }
    with pytest.raises(Exception):  # noqa: B017 - ValueError or ZoneInfoNotFoundError
        actions.create_event(**arguments)
    assert Event.objects.count() == 1


def test_amina_registers_and_gets_a_personal_link(youth_dialogue):
    registration, token = actions.register(
        **registration_form(youth_dialogue, email=" amina@example.org ")
    )
    assert registration.languages == ["ar", "en"] and registration.email == "amina@example.org"
    assert (
        registration.token_hash == tokens.token_hash(token) and token not in registration.token_hash
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"display_name": "   "}, "name"),
        ({"languages": ["sw"]}, "languages"),
        ({"country": "XX"}, "country"),
        ({"age_group": "old"}, "age_group"),
        ({"email": "not-an-address"}, "email"),
        ({"accepted_rules": False}, "rules"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_stored(youth_dialogue, change, code):
    with pytest.raises(Refused) as refused:
        actions.register(**registration_form(youth_dialogue, **change))
    assert refused.value.code == code and not Registration.objects.exists()


def test_the_refusal_speaks_the_participants_language(youth_dialogue):
    with override("fr"), pytest.raises(Refused) as refused:
        actions.register(**registration_form(youth_dialogue, accepted_rules=False))
    assert "règles" in refused.value.message


def test_a_full_draft_started_or_invitation_only_event_refuses(youth_dialogue):
    youth_dialogue.capacity = 1
    youth_dialogue.save(update_fields=["capacity"])
    actions.register(**registration_form(youth_dialogue))
    with pytest.raises(Refused, match="full"):
        actions.register(**registration_form(youth_dialogue, display_name="Li Wei"))
    youth_dialogue.status = Event.Status.DRAFT
    youth_dialogue.save(update_fields=["status"])
    with pytest.raises(Refused) as refused:
        actions.register(**registration_form(youth_dialogue))
    assert refused.value.code == "closed"
    youth_dialogue.status = Event.Status.PUBLISHED
    youth_dialogue.capacity = 10
    youth_dialogue.registration = Event.Registration.INVITATION
    youth_dialogue.invitation_code = "secret-code"
    youth_dialogue.save()
    with pytest.raises(Refused) as refused:
        actions.register(**registration_form(youth_dialogue, invitation_code="guess"))
    assert refused.value.code == "invitation"
    actions.register(**registration_form(youth_dialogue, invitation_code="secret-code"))
    youth_dialogue.starts_at = timezone.now() - timedelta(minutes=1)
    youth_dialogue.save(update_fields=["starts_at"])
    with pytest.raises(Refused) as refused:
        actions.register(**registration_form(youth_dialogue, invitation_code="secret-code"))
    assert refused.value.code == "started"


def test_groups_are_formed_and_stored_and_formed_again(youth_dialogue):
    countries = ["JO", "CN", "FR", "KE", "BR", "IN", "US"]
    for n in range(15):
        actions.register(
            **registration_form(
                youth_dialogue,
                display_name=f"Person {n}",
                languages=["en"] if n % 3 else ["en", "fr"],
                country=countries[n % 7],
                age_group=["16_30", "31_45", "46_60"][n % 3],
            )
        )
    actions.register(
        **registration_form(
            youth_dialogue, display_name="Li Wei", languages=["zh-hans"], country="CN"
        )
    )
    result = actions.form_groups(event=youth_dialogue)
    groups = list(DialogueGroup.objects.filter(event=youth_dialogue))
    assert [g.number for g in groups] == list(range(1, len(result.groups) + 1))
    for group in groups:
        members = list(group.members.all())
        assert 4 <= len(members) <= 6 and all(group.language in m.languages for m in members)
    lonely = Registration.objects.get(display_name="Li Wei")
    assert lonely.group is None and "zh-hans" in lonely.unplaced_reason
    again = actions.form_groups(event=youth_dialogue)  # replaces, same input, same groups
    assert again == result and DialogueGroup.objects.count() == len(groups)


def test_an_email_is_deleted_on_request(youth_dialogue):
    registration, _token = actions.register(
        **registration_form(youth_dialogue, email="a@example.org")
    )
    actions.forget_email(registration=registration)
    registration.refresh_from_db()
    assert registration.email == ""


def test_a_group_files_its_report_and_may_correct_it(youth_dialogue):
    for n in range(4):
        actions.register(
            **registration_form(youth_dialogue, display_name=f"P{n}", languages=["en"])
        )
    actions.form_groups(event=youth_dialogue)
    group = DialogueGroup.objects.get()
    member = group.members.first()
    report = room_actions.file_report(
        group=group,
        registration=member,
        summaries={"1": "We met.", "2": "  Water and   schools. "},
        ideas=[{"text": "Free schools", "agreement": "most"}, {"text": " ", "agreement": "few"}],
        message="Listen to young people.",
    )
    assert report.summaries == {"1": "We met.", "2": "Water and schools."}
    assert report.ideas == [{"text": "Free schools", "agreement": "most"}]
    again = room_actions.file_report(
        group=group, registration=member, summaries={}, ideas=[], message="Act now."
    )
    assert again.pk == report.pk and again.message == "Act now."


def test_sending_only_a_message_keeps_what_the_group_filed_and_every_version(youth_dialogue):
    """Amina files the full report; Li Wei's form had only the closing message: empty
    fields never erase filled ones, and each sending is kept as a version."""
    for n in range(4):
        actions.register(
            **registration_form(youth_dialogue, display_name=f"P{n}", languages=["en"])
        )
    actions.form_groups(event=youth_dialogue)
    group = DialogueGroup.objects.get()
    amina_registration, li_wei_registration = group.members.all()[:2]
    room_actions.file_report(
        group=group,
        registration=amina_registration,
        summaries={"1": "We met.", "2": "Water and schools."},
        ideas=[{"text": "Free schools", "agreement": "most"}],
        message="Listen to young people.",
    )
    report = room_actions.file_report(
        group=group,
        registration=li_wei_registration,
        summaries={"1": "", "2": "  ", "3": "Tell the UN: schools."},
        ideas=[{"text": " ", "agreement": "most"}],
        message="Act now.",
    )
    assert report.summaries == {
        "1": "We met.",
        "2": "Water and schools.",
        "3": "Tell the UN: schools.",
    }
    assert report.ideas == [{"text": "Free schools", "agreement": "most"}]
    assert report.message == "Act now." and report.filed_by == li_wei_registration
    versions = list(report.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].message == "Listen to young people."
    assert versions[0].filed_by == amina_registration and versions[0].summaries["2"]
    # A later sending with no message keeps the filed one.
    kept = room_actions.file_report(
        group=group, registration=amina_registration, summaries={}, ideas=[], message=""
    )
    assert kept.message == "Act now." and kept.versions.count() == 3


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"summaries": {"9": "No such item"}}, "summaries"),
        ({"ideas": [{"text": "x", "agreement": "all"}]}, "ideas"),
        ({"message": "   "}, "message"),  # nothing filed yet: the message is needed
        ({"message": "x" * 2001}, "message"),
    ],
)
def test_a_bad_report_is_refused(youth_dialogue, change, code):
    for n in range(4):
        actions.register(
            **registration_form(youth_dialogue, display_name=f"P{n}", languages=["en"])
        )
    actions.form_groups(event=youth_dialogue)
    group = DialogueGroup.objects.get()
    arguments = {
        "group": group,
        "registration": group.members.first(),
        "summaries": {},
        "ideas": [],
        "message": "Our message",
        **change,
    }
    with pytest.raises(Refused) as refused:
        room_actions.file_report(**arguments)
    assert refused.value.code == code
