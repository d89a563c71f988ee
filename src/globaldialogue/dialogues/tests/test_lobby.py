"""The lobby and the start: people check in during the half hour before; at the start the
groups are re-formed with those present, late arrivals join a group with room (or open a
new one), and rooms open only once the groups are settled. Personas: Amina hosts; the
others are named after their country."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from globaldialogue.dialogues import actions, room_actions
from globaldialogue.dialogues.models import DialogueGroup, Registration
from globaldialogue.personas import registration_form

PEOPLE = ["Amina", "Ghana", "Peru", "Chile", "India", "Japan", "Kenya"]


@pytest.fixture
def seven(youth_dialogue):
    """Seven registrants in English, groups formed beforehand, Amina hosting group 1."""
    tokens = {}
    for name in PEOPLE:
        _registration, tokens[name] = actions.register(
            **registration_form(youth_dialogue, display_name=name, languages=["en"])
        )
    actions.form_groups(event=youth_dialogue)
    host = Registration.objects.get(display_name="Amina")
    actions.set_host(group=host.group, registration=host)
    return tokens


def _lobby(token: str, status: bool = False):
    suffix = "?part=status" if status else "?lang=en"
    return Client().get(f"/d/youth-dialogue/you/{token}/lobby/{suffix}")


def _open_lobby(event) -> None:
    actions.reschedule_event(event=event, starts_at=timezone.now() + timedelta(minutes=10))


def _start(event) -> None:
    actions.reschedule_event(event=event, starts_at=timezone.now() - timedelta(seconds=1))


def test_the_lobby_opens_half_an_hour_before(youth_dialogue, seven):
    page = _lobby(seven["Amina"]).content.decode()
    assert "The lobby opens 30 minutes before the start" in page
    assert Registration.objects.get(display_name="Amina").lobby_seen_at is None
    room = Client().get(f"/d/youth-dialogue/you/{seven['Amina']}/room/?lang=en")
    assert room.status_code == 303 and "/lobby/" in room["Location"]  # not before the start
    _open_lobby(youth_dialogue)
    personal = Client().get(f"/d/youth-dialogue/you/{seven['Amina']}/?lang=en").content.decode()
    assert "Enter the lobby" in personal and "yours may still change" in personal
    page = _lobby(seven["Amina"]).content.decode()
    assert "People in the lobby:" in page and 'id="here">1<' in page and "Check again" in page
    _lobby(seven["Ghana"])
    assert _lobby(seven["Amina"], status=True).json() == {"ready": False, "here": 2}


def test_groups_are_re_formed_at_the_start_with_those_present(youth_dialogue, seven):
    _open_lobby(youth_dialogue)
    present = ["Amina", "Ghana", "Peru", "Chile", "India"]
    for name in present:
        _lobby(seven[name])
    _start(youth_dialogue)
    response = _lobby(seven["Peru"])  # the first check-in after the start settles the groups
    assert response.status_code == 303 and response["Location"].endswith("/room/?lang=en")
    group = DialogueGroup.objects.get(event=youth_dialogue)
    members = set(group.members.values_list("display_name", flat=True))
    assert members == set(present)
    assert group.host.display_name == "Amina"  # the organizers' host stays host
    absent = Registration.objects.get(display_name="Japan")
    assert absent.group is None and absent.unplaced_reason == actions.NOT_ARRIVED
    youth_dialogue.refresh_from_db()
    assert youth_dialogue.lobby_closed_at is not None
    assert actions.start_event(event=youth_dialogue) is False  # once only
    ready = _lobby(seven["Amina"], status=True).json()
    assert ready == {"ready": True, "room": f"/d/youth-dialogue/you/{seven['Amina']}/room/?lang=en"}
    assert Client().get(ready["room"]).status_code == 200


def test_late_arrivals_join_a_group_with_room_then_open_a_new_one(youth_dialogue, seven):
    _open_lobby(youth_dialogue)
    for name in ["Amina", "Ghana", "Peru", "Chile", "India"]:
        _lobby(seven[name])
    _start(youth_dialogue)
    _lobby(seven["Amina"])
    late = Client().get(f"/d/youth-dialogue/you/{seven['Japan']}/room/?lang=en")
    assert late.status_code == 303 and "/lobby/" in late["Location"]  # through the lobby
    assert _lobby(seven["Japan"]).status_code == 303  # joins group 1: 6 of at most 6
    assert Registration.objects.get(display_name="Japan").group.number == 1
    assert _lobby(seven["Kenya"]).status_code == 303  # group 1 is full: a new group
    kenya = Registration.objects.get(display_name="Kenya")
    assert kenya.group.number == 2 and kenya.group.language == "en"
    assert kenya.unplaced_reason == ""


def test_without_anyone_in_the_lobby_the_groups_stay_as_formed(youth_dialogue, seven):
    before = dict(Registration.objects.values_list("display_name", "group__number"))
    _start(youth_dialogue)
    placed = next(name for name, number in before.items() if number is not None)
    room = Client().get(f"/d/youth-dialogue/you/{seven[placed]}/room/?lang=en")
    assert room.status_code == 200  # the room page settled the groups itself
    assert dict(Registration.objects.values_list("display_name", "group__number")) == before


def test_an_organizer_can_start_early(youth_dialogue, seven):
    assert actions.start_event(event=youth_dialogue) is False  # not yet
    assert actions.start_event(event=youth_dialogue, early=True) is True
    placed = Registration.objects.exclude(group=None).values_list("display_name", flat=True)
    assert Client().get(f"/d/youth-dialogue/you/{seven[placed[0]]}/room/").status_code == 200


def test_lobby_of_a_cancelled_event_says_so(youth_dialogue, seven):
    _open_lobby(youth_dialogue)
    youth_dialogue.status = "cancelled"
    youth_dialogue.save(update_fields=["status"])
    assert "has been cancelled" in _lobby(seven["Amina"]).content.decode()
    assert Registration.objects.get(display_name="Amina").lobby_seen_at is None


def test_someone_present_who_shares_no_language_is_told_why(youth_dialogue, seven):
    _registration, token = actions.register(
        **registration_form(
            youth_dialogue, display_name="Russia", languages=["zh-hans"], country="RU"
        )
    )
    _open_lobby(youth_dialogue)
    for name in ["Amina", "Ghana", "Peru", "Chile"]:
        _lobby(seven[name])
    _lobby(token)
    _start(youth_dialogue)
    page = _lobby(token)
    assert page.status_code == 200  # no group of one: the reason instead
    assert "Too few registrants share a language with you" in page.content.decode()
    assert Registration.objects.get(display_name="Russia").group is None


def test_the_room_form_shows_what_the_group_already_filed(youth_dialogue, seven):
    """The report is one shared draft: a member who opens the room finds it filled in, and
    is told that sending again keeps what she leaves empty."""
    _start(youth_dialogue)
    amina_registration = Registration.objects.get(display_name="Amina")
    actions.start_event(event=youth_dialogue)
    amina_registration.refresh_from_db()
    room_actions.file_report(
        group=amina_registration.group,
        registration=amina_registration,
        summaries={"2": "Water & schools"},
        ideas=[{"text": "Free schools", "agreement": "some"}],
        message="Listen to young people.",
    )
    room = Client().get(f"/d/youth-dialogue/you/{seven['Amina']}/room/?lang=en")
    html = room.content.decode()
    summary = '<textarea id="summary-2" name="summary-2" rows="2" maxlength="1000">'
    assert summary + "Water &amp; schools</textarea>" in html
    assert 'name="idea" maxlength="300" value="Free schools"' in html
    assert '<option value="some" selected>' in html
    assert ">Listen to young people.</textarea>" in html
    assert "Sent by Amina" in html and "fields left empty keep what was sent" in html


def test_the_rooms_agenda_is_in_each_participants_language(youth_dialogue, seven):
    """The room's state carries the group's language; the page gives the script the
    agenda in the reader's own, which it shows instead."""
    agenda = [
        {"title": {"en": "Welcome", "fr": "Bienvenue"}, "minutes": 5},
        {"title": {"en": "Priorities", "fr": "Priorités"}, "minutes": 30},
    ]
    actions.update_event(event=youth_dialogue, agenda=agenda)
    _start(youth_dialogue)
    actions.start_event(event=youth_dialogue)
    html = Client().get(f"/d/youth-dialogue/you/{seven['Amina']}/room/?lang=fr").content.decode()
    script = html[html.index('<script id="room-agenda"') :]
    assert '"title": "Bienvenue"' in script[: script.index("</script>")]
