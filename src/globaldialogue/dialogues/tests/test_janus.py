"""The Janus provider against a real Janus (deploy/janus/): an organizer puts an event on
Janus; its groups' rooms are created with the members' tokens, admit only members, take a
removed member off at once and are destroyed after the event; Janus' talking events add to
the talk balance. The browser side is in test_browser_media.py."""

import base64
import secrets
from datetime import timedelta

import httpx
import pytest

from globaldialogue.dialogues import actions, janus, mail, room_actions, tasks
from globaldialogue.dialogues.models import DialogueGroup, Registration, Room
from globaldialogue.dialogues.tests.events import group_of_four

pytestmark = pytest.mark.django_db(transaction=True)
UNAUTHORIZED = 433  # the video-room plugin's code for a token not on the room's list


@pytest.fixture
def on_janus(start_janus, settings, youth_dialogue, django_capture_on_commit_callbacks):
    """Youth dialogue on Janus, groups of up to 8; Amina, Li Wei, Pierre and Kofi in one."""
    server = start_janus()
    server.configure(settings)
    actions.update_event(event=youth_dialogue, media="janus", max_group_size=8)
    with django_capture_on_commit_callbacks(execute=True):  # the rooms are made after commit
        group_of_four(youth_dialogue)
    return server


class Browser:
    """What a member's browser does with Janus' HTTP API, without the media."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        session = self.send(url, {"janus": "create"})["data"]["id"]
        self.session = f"{url}/{session}"
        attach = {"janus": "attach", "plugin": janus.VIDEOROOM}
        self.handle = f"{self.session}/{self.send(self.session, attach)['data']['id']}"

    def send(self, url: str, message: dict) -> dict:
        body = {**message, "transaction": secrets.token_hex(6), "token": self.token}
        return dict(httpx.post(url, json=body, timeout=10).json())

    def join(self, room: int, member: int, room_token: str) -> dict:
        body = {"request": "join", "ptype": "publisher", "room": room, "id": member}
        self.send(self.handle, {"janus": "message", "body": {**body, "token": room_token}})
        for _ in range(20):  # the answer comes as an event: long-poll the session
            reply = httpx.get(self.session, params={"maxev": 1, "token": self.token}, timeout=40)
            data = reply.json().get("plugindata", {}).get("data", {})
            if data:
                return dict(data)
        raise AssertionError("no answer from the video room")


def _people() -> dict[str, Registration]:
    return {r.display_name: r for r in Registration.objects.all()}


def test_a_group_room_admits_its_members_and_no_one_else(on_janus):
    group, people = DialogueGroup.objects.get(), _people()
    token = janus.signed_token(seconds=60)
    amina = Browser(on_janus.url, token).join(
        group.pk, people["Amina"].pk, janus.member_token(group.pk, people["Amina"].pk)
    )
    assert amina["videoroom"] == "joined" and amina["id"] == people["Amina"].pk
    stranger = Browser(on_janus.url, token).join(group.pk, 999_999, "a-guessed-token")
    assert stranger.get("error_code") == UNAUTHORIZED
    # Another group's member token does not open this room either.
    other = janus.member_token(group.pk + 1, people["Li Wei"].pk)
    assert Browser(on_janus.url, token).join(group.pk, 5, other).get("error_code") == UNAUTHORIZED
    with janus.Session() as session:
        assert [p["id"] for p in session.participants(group.pk)] == [people["Amina"].pk]


def test_janus_refuses_requests_without_our_signature(on_janus):
    for token in ("", "1,janus,janus.plugin.videoroom:forged", janus.signed_token(seconds=-10)):
        reply = httpx.post(
            on_janus.url, json={"janus": "create", "transaction": "t", "token": token}
        )
        assert reply.json()["janus"] == "error"


def test_a_removed_member_is_kicked_and_cannot_come_back(
    on_janus, django_capture_on_commit_callbacks
):
    group, people = DialogueGroup.objects.get(), _people()
    pierre, token = people["Pierre"], janus.signed_token(seconds=60)
    pierre_token = janus.member_token(group.pk, pierre.pk)
    assert Browser(on_janus.url, token).join(group.pk, pierre.pk, pierre_token)["id"] == pierre.pk
    with django_capture_on_commit_callbacks(execute=True):
        room_actions.remove_from_room(group=group, member=pierre.pk)
    with janus.Session() as session:
        assert session.participants(group.pk) == []
    again = Browser(on_janus.url, token).join(group.pk, pierre.pk, pierre_token)
    assert again.get("error_code") == UNAUTHORIZED
    # Forming the rooms again (the groups changed) does not let him back in.
    tasks.create_media_rooms.call(group.event_id)
    again = Browser(on_janus.url, token).join(group.pk, pierre.pk, pierre_token)
    assert again.get("error_code") == UNAUTHORIZED


def test_rooms_are_destroyed_once_the_event_is_over(on_janus, youth_dialogue):
    group = DialogueGroup.objects.get()
    assert tasks.destroy_media_rooms.call(youth_dialogue.pk) == 0  # not yet: a week to go
    youth_dialogue.starts_at -= timedelta(days=8)
    youth_dialogue.save(update_fields=["starts_at"])
    assert tasks.destroy_media_rooms.call(youth_dialogue.pk) == 1
    token, amina = janus.signed_token(seconds=60), _people()["Amina"]
    gone = Browser(on_janus.url, token).join(
        group.pk, amina.pk, janus.member_token(group.pk, amina.pk)
    )
    assert gone.get("error_code") == janus.NO_SUCH_ROOM


def test_talking_events_add_to_the_talk_balance(on_janus, client, settings):
    group, li_wei = DialogueGroup.objects.get(), _people()["Li Wei"]
    start = 1_800_000_000_000_000  # Janus' timestamps are microseconds
    events = [
        _talking(group.pk, li_wei.pk, "talking", start),
        {"type": 1, "timestamp": start, "event": {"name": "created"}},  # not ours: skipped
        _talking(group.pk, li_wei.pk, "stopped-talking", start + 12_500_000),
    ]
    password = base64.b64encode(f"janus:{settings.JANUS_EVENTS_SECRET}".encode()).decode()
    headers = {"Authorization": f"Basic {password}"}
    for event in events:  # Janus sends batches; one at a time is the hard case
        response = client.post("/d/janus/events", event, "application/json", headers=headers)
        assert response.status_code == 204
    assert Room.objects.get(group=group).talk == {str(li_wei.pk): 12.5}
    wrong = {"Authorization": "Basic " + base64.b64encode(b"janus:guess").decode()}
    assert (
        client.post("/d/janus/events", events, "application/json", headers=wrong).status_code == 401
    )
    bad = client.post("/d/janus/events", "[1, 2]", "application/json", headers=headers)
    assert bad.status_code == 400
    huge = _talking(2**80, li_wei.pk, "stopped-talking", start)  # no such id in any database
    response = client.post("/d/janus/events", huge, "application/json", headers=headers)
    assert response.status_code == 204


def _talking(room: int, member: int, kind: str, at: int) -> dict:
    data = {"videoroom": kind, "room": room, "id": member, "audio-level-dBov-avg": 30}
    return {"type": 64, "timestamp": at, "event": {"plugin": janus.VIDEOROOM, "data": data}}


def test_switching_formed_groups_to_janus_creates_their_rooms(
    start_janus, settings, youth_dialogue, django_capture_on_commit_callbacks
):
    server = start_janus()
    server.configure(settings)
    group_of_four(youth_dialogue)  # formed on the mesh, a week ahead
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_event(event=youth_dialogue, media="janus")
    group, amina = DialogueGroup.objects.get(), _people()["Amina"]
    joined = Browser(server.url, janus.signed_token(seconds=60)).join(
        group.pk, amina.pk, janus.member_token(group.pk, amina.pk)
    )
    assert joined["videoroom"] == "joined"


def test_rooms_janus_forgot_are_made_again_when_a_member_opens_the_room(on_janus, client):
    """Janus keeps rooms in memory: after a restart, the first room page opened (at most
    once a minute) has them created again."""
    group, amina = DialogueGroup.objects.get(), _people()["Amina"]
    actions.start_event(event=group.event, early=True)
    with janus.Session() as session:
        assert session.destroy_room(group.pk)  # as a restart would
    link = f"/d/youth-dialogue/you/{mail.email_link(amina)}/room/?lang=en"
    assert client.get(link).status_code == 200
    joined = Browser(on_janus.url, janus.signed_token(seconds=60)).join(
        group.pk, amina.pk, janus.member_token(group.pk, amina.pk)
    )
    assert joined["videoroom"] == "joined"
    assert actions.refresh_media_rooms(event=group.event) is False  # not again this minute
