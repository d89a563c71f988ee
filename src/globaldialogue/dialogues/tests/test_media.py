"""The LiveKit provider: join tokens (checked with PyJWT), rooms created through the Twirp
API (against a local fake), webhooks with good and tampered signatures, and the mesh limit.
Personas: Amina hosts, Pierre and Li Wei take part."""

import base64
import hashlib
import json
import os
import subprocess
import sys
import time

import jwt
import pytest
from django.urls import reverse
from google.protobuf.json_format import MessageToJson
from livekit import api as livekit

from globaldialogue.dialogues import actions, media, room_actions
from globaldialogue.dialogues.admin import EventForm
from globaldialogue.dialogues.models import DialogueGroup, Registration
from globaldialogue.dialogues.tests.events import AGENDA, group_of_four
from globaldialogue.dialogues.tests.livekit_fake import FakeLiveKit

KEY, SECRET = "gd-test-key", "a-test-secret-long-enough-for-hs256-keys"
WEBHOOK = reverse("dialogues:livekit_webhook")


@pytest.fixture
def livekit_settings(settings):
    settings.ROOM_MEDIA = "livekit"
    settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET = KEY, SECRET
    settings.LIVEKIT_URL = settings.LIVEKIT_API_URL = "ws://127.0.0.1:9"
    return settings


@pytest.fixture
def fake_livekit(livekit_settings):
    with FakeLiveKit(KEY, SECRET) as fake:
        livekit_settings.LIVEKIT_API_URL = fake.url
        yield fake


def _group_of_four(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        group_of_four(event)
    group = DialogueGroup.objects.get(event=event)
    actions.set_host(group=group, registration=Registration.objects.get(display_name="Amina"))
    return group, {r.display_name: r for r in Registration.objects.filter(event=event)}


def test_join_token_names_the_member_and_their_room_only(
    livekit_settings, youth_dialogue, django_capture_on_commit_callbacks
):
    group, people = _group_of_four(youth_dialogue, django_capture_on_commit_callbacks)
    token = media.join_token(people["Amina"])
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == KEY
    assert claims["sub"] == str(people["Amina"].pk) and claims["name"] == "Amina"
    assert json.loads(claims["metadata"]) == {"group": group.pk, "host": True}
    grants = claims["video"]
    assert grants["room"] == f"gd-group-{group.pk}" and grants["roomJoin"] is True
    assert grants["canPublish"] is True and grants["canSubscribe"] is True
    assert grants["canPublishData"] is False  # chat goes through our server
    assert not grants.get("roomAdmin") and not grants.get("roomCreate")
    assert 14 * 60 < claims["exp"] - time.time() <= media.JOIN_TOKEN_MINUTES * 60
    verified = livekit.TokenVerifier(KEY, SECRET).verify(token)
    assert verified.identity == str(people["Amina"].pk)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-of-a-decent-length-too", algorithms=["HS256"])
    pierre_metadata = json.loads(
        jwt.decode(media.join_token(people["Pierre"]), SECRET, ["HS256"])["metadata"]
    )
    assert pierre_metadata["host"] is False


def test_room_page_gives_the_browser_a_livekit_token(
    client, livekit_settings, youth_dialogue, django_capture_on_commit_callbacks
):
    token = group_of_four(youth_dialogue)["Amina"]
    actions.start_event(event=youth_dialogue, early=True)
    page = client.get(f"/d/youth-dialogue/you/{token}/room/?lang=en").content.decode()
    assert "vendor/livekit-client/livekit-client.umd.js" in page
    assert '"provider": "livekit"' in page and '"url": "ws://127.0.0.1:9"' in page


def test_mesh_rooms_load_no_media_server_client(client, youth_dialogue):
    token = group_of_four(youth_dialogue)["Amina"]
    actions.start_event(event=youth_dialogue, early=True)
    page = client.get(f"/d/youth-dialogue/you/{token}/room/?lang=en").content.decode()
    assert "livekit" not in page and "janus" not in page
    assert '"provider": "mesh"' in page


def test_forming_groups_creates_their_livekit_rooms(
    fake_livekit, youth_dialogue, django_capture_on_commit_callbacks
):
    group, _people = _group_of_four(youth_dialogue, django_capture_on_commit_callbacks)
    assert fake_livekit.methods() == ["CreateRoom"]
    _method, request, claims = fake_livekit.calls[0]
    assert request.name == f"gd-group-{group.pk}"
    assert request.max_participants == youth_dialogue.max_group_size
    assert request.empty_timeout == media.EMPTY_ROOM_SECONDS
    assert json.loads(request.metadata) == {"event": "youth-dialogue", "group": 1}
    assert claims["video"]["roomCreate"] is True


def test_host_removal_disconnects_the_member_from_livekit(
    fake_livekit, youth_dialogue, django_capture_on_commit_callbacks
):
    group, people = _group_of_four(youth_dialogue, django_capture_on_commit_callbacks)
    pierre_id = str(people["Pierre"].pk)
    fake_livekit.participants.add((f"gd-group-{group.pk}", pierre_id))
    with django_capture_on_commit_callbacks(execute=True):
        room_actions.remove_from_room(group=group, member=people["Pierre"].pk)
    method, request, _claims = fake_livekit.calls[-1]
    assert method == "RemoveParticipant" and request.identity == pierre_id
    assert fake_livekit.participants == set()
    # Gone already: LiveKit says not found, which is not an error.
    assert media.remove_participant(group.pk, people["Pierre"].pk) is False


def _signed(body: str, secret: str = SECRET) -> str:
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return livekit.AccessToken(KEY, secret).with_sha256(digest).to_jwt()


def _notice(kind: str, room: str, identity: str) -> str:
    event = livekit.WebhookEvent(event=kind)
    event.room.name, event.participant.identity = room, identity
    return MessageToJson(event)


def _post(client, body: str, authorization: str):
    return client.post(
        WEBHOOK, body, content_type="application/webhook+json", HTTP_AUTHORIZATION=authorization
    )


def test_a_signed_webhook_records_who_joined(
    client, fake_livekit, youth_dialogue, django_capture_on_commit_callbacks
):
    group, people = _group_of_four(youth_dialogue, django_capture_on_commit_callbacks)
    body = _notice("participant_joined", f"gd-group-{group.pk}", str(people["Li Wei"].pk))
    response = _post(client, body, _signed(body))
    assert response.status_code == 200 and response.json() == {"outcome": "joined"}
    assert Registration.objects.get(display_name="Li Wei").joined_at is not None
    assert Registration.objects.get(display_name="Pierre").joined_at is None
    other = _notice("room_finished", f"gd-group-{group.pk}", "")
    assert _post(client, other, _signed(other)).json() == {"outcome": "ignored"}


def test_tampered_or_forged_webhooks_are_refused(
    client, fake_livekit, youth_dialogue, django_capture_on_commit_callbacks
):
    group, people = _group_of_four(youth_dialogue, django_capture_on_commit_callbacks)
    body = _notice("participant_joined", f"gd-group-{group.pk}", str(people["Li Wei"].pk))
    tampered = body.replace(str(people["Li Wei"].pk), str(people["Pierre"].pk))
    assert _post(client, tampered, _signed(body)).status_code == 401
    forged = _signed(body, secret="not-our-secret-but-long-enough-for-hs256")
    assert _post(client, body, forged).status_code == 401
    assert _post(client, body, "").status_code == 401
    assert not Registration.objects.filter(joined_at__isnull=False).exists()


def test_a_removed_member_who_comes_back_is_removed_again(
    client, fake_livekit, youth_dialogue, django_capture_on_commit_callbacks
):
    group, people = _group_of_four(youth_dialogue, django_capture_on_commit_callbacks)
    pierre_id = str(people["Pierre"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        room_actions.remove_from_room(group=group, member=people["Pierre"].pk)
    fake_livekit.participants.add((f"gd-group-{group.pk}", pierre_id))  # with an old token
    body = _notice("participant_joined", f"gd-group-{group.pk}", pierre_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, body, _signed(body)).json() == {"outcome": "removed"}
    assert fake_livekit.participants == set()


def test_the_webhook_is_not_there_without_livekit(client, youth_dialogue):
    body = _notice("participant_joined", "gd-group-1", "1")
    assert _post(client, body, _signed(body)).status_code == 404


def test_groups_above_the_mesh_limit_need_livekit(settings, youth_dialogue):
    event = {
        "consultation": youth_dialogue.consultation,
        "title": {"en": "Big groups"},
        "languages": ["en"],
        "starts_at": youth_dialogue.starts_at,
        "time_zone": "UTC",
        "agenda": AGENDA,
        "max_group_size": 8,
    }
    with pytest.raises(ValueError, match="larger groups need a media server"):
        actions.create_event(slug="big", **event)
    form = EventForm(data={"min_group_size": 4, "max_group_size": 8})
    assert "Janus" in str(form.errors["max_group_size"])
    settings.ROOM_MEDIA = "livekit"
    settings.LIVEKIT_URL, settings.LIVEKIT_API_SECRET = "wss://lk.example", "s" * 32
    big = actions.create_event(slug="big", **event)
    assert actions.group_sizes(big) == (4, 8)
    assert "max_group_size" not in EventForm(data={"min_group_size": 4, "max_group_size": 8}).errors
    settings.ROOM_MEDIA = "mesh"  # the server moved back to the mesh: groups still fit it
    assert actions.group_sizes(big) == (4, 6)


def test_livekit_without_credentials_will_not_start(tmp_path):
    env = {**os.environ, "GLOBALDIALOGUE_ROOM_MEDIA": "livekit", "LIVEKIT_URL": "wss://lk.example"}
    env.update(GLOBALDIALOGUE_DATA_DIR=str(tmp_path), SECRET_KEY="x" * 50)
    env.pop("LIVEKIT_API_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "globaldialogue", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "the LiveKit provider needs LIVEKIT_URL, _API_KEY and _API_SECRET" in result.stderr
