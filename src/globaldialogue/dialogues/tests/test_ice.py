"""TURN credentials: each room join gets coturn's REST-API form (username `<expiry>:<member>`,
password HMAC-SHA1 of it under the shared secret), STUN on the same server, and the
transport policy, in the room WebSocket's welcome message."""

import base64
import hashlib
import hmac
import time

import pytest

from globaldialogue.asgi import application
from globaldialogue.dialogues import actions, ice, tokens
from globaldialogue.dialogues.models import Registration
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.testing import WebsocketCommunicator, run

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://testserver")]
TCP = "turn:turn.example.org:3478?transport=tcp"


@pytest.fixture
def turn(settings):
    settings.TURN_URLS = ["turn:turn.example.org:3478", TCP, "turns:turn.example.org:5349"]
    settings.TURN_SECRET = "coturn-static-auth-secret"
    settings.TURN_CREDENTIAL_HOURS = 6
    settings.ICE_TRANSPORT_POLICY = "relay"
    return settings


def test_credentials_are_coturns_rest_form_and_expire(turn):
    config = ice.ice_configuration(42, now=1_000_000)
    stun, relay = config["iceServers"]
    assert stun == {"urls": ["stun:turn.example.org:3478"]}  # once, and none for turns:
    assert relay["urls"] == turn.TURN_URLS
    assert relay["username"] == f"{1_000_000 + 6 * 3600}:42"
    digest = hmac.new(b"coturn-static-auth-secret", relay["username"].encode(), hashlib.sha1)
    assert relay["credential"] == base64.b64encode(digest.digest()).decode()
    assert config["iceTransportPolicy"] == "relay"


def test_without_turn_only_the_configured_servers_are_given(settings):
    settings.ROOM_ICE_SERVERS = [{"urls": "stun:stun.example.org:3478"}]
    assert ice.ice_configuration(42) == {
        "iceServers": [{"urls": "stun:stun.example.org:3478"}],
        "iceTransportPolicy": "all",
    }


def test_each_member_gets_their_own_credentials_when_they_join(turn, youth_dialogue):
    group_of_four(youth_dialogue)
    amina = Registration.objects.get(display_name="Amina")
    token = tokens.room_token(registration=amina)

    async def scenario() -> dict:
        client = WebsocketCommunicator(application, "/ws/room/", ORIGIN, query=f"token={token}")
        assert (await client.connect())[0]
        welcome = await client.until(lambda m: m["type"] == "welcome")
        await client.disconnect()
        return welcome

    welcome = run(scenario)
    relay = welcome["iceServers"][-1]
    expiry, member = relay["username"].split(":")
    assert member == str(amina.pk) and int(expiry) > time.time() + 5 * 3600
    assert welcome["iceTransportPolicy"] == "relay"


def test_relay_only_without_turn_will_not_start(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "GLOBALDIALOGUE_ICE_TRANSPORT_POLICY": "relay", "SECRET_KEY": "x" * 50}
    env.update(GLOBALDIALOGUE_DATA_DIR=str(tmp_path))
    env.pop("GLOBALDIALOGUE_TURN_URLS", None)
    result = subprocess.run(
        [sys.executable, "-m", "globaldialogue", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "relay needs TURN_URLS" in result.stderr


def test_an_event_started_cannot_change_its_video(youth_dialogue):
    group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    with pytest.raises(ValueError, match="can no longer change"):
        actions.update_event(event=youth_dialogue, media="mesh")
