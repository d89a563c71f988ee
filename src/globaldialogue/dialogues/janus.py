"""The Janus media provider's server side: each dialogue group's video room on a Janus
server of our own (deploy/janus/), through Janus' HTTP API and its video-room plugin.

Who may do what:
- Janus accepts only requests carrying a token we signed (`signed_token`: expiry, the
  plugins allowed, HMAC-SHA1 under its token_auth_secret): browsers get one per room page.
- Only we create and destroy rooms (the plugin's admin_key). A group's room is private,
  its id the group's id, its `allowed` list one token per member (`member_token`): Janus
  turns away anyone else. Removing a member takes their token off the list and kicks them.
- Each member joins as participant id = their registration's id, which is how kicks and
  Janus' talking events name them (a member could claim another's id; Janus refuses a
  second holder of one id, and the members are all people the organizers placed).
"""

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from globaldialogue.dialogues.models import DialogueGroup

VIDEOROOM = "janus.plugin.videoroom"
TOKEN_HOURS = 12  # a browser's token: past the end of any dialogue
SERVER_TOKEN_SECONDS = 120  # our own calls
TIMEOUT = 10
# The plugin's codes for a room already there and one not there (both harmless to us).
ROOM_EXISTS, NO_SUCH_ROOM, NO_SUCH_FEED = 427, 426, 428
VIDEO_BITRATE = 256_000  # per publisher: a phone uplink carries it with audio


PLUGIN_EVENT = 64  # Janus' event type for what a plugin reports


@dataclass(frozen=True)
class Talking:
    room: int
    member: int
    talking: bool  # started (True) or stopped
    at: float  # seconds since the epoch


def talking_events(body: Any) -> list[Talking]:
    """The talking and stopped-talking events in a batch from Janus' event handler (one
    event or a list); anything else is skipped. ValueError if it is not events at all."""
    events = body if isinstance(body, list) else [body]
    found = []
    for event in events:
        if not isinstance(event, dict):
            raise ValueError("not a Janus event")
        data = (event.get("event") or {}).get("data") or {}
        kind = data.get("videoroom") if isinstance(data, dict) else None
        if event.get("type") != PLUGIN_EVENT or kind not in ("talking", "stopped-talking"):
            continue
        room, member, at = (_id(data.get("room")), _id(data.get("id")), _id(event.get("timestamp")))
        if room and member and at:
            found.append(Talking(room, member, kind == "talking", at / 1_000_000))
    return found


def _id(value: Any) -> int:
    """A positive integer a database column can hold, else 0."""
    return value if isinstance(value, int) and 0 < value < 2**63 else 0


def events_authorized(authorization: str, secret: str) -> bool:
    """Basic authentication as Janus' event handler sends it (backend_user/backend_pwd)."""
    expected = base64.b64encode(f"janus:{secret}".encode()).decode()
    return hmac.compare_digest(authorization.encode(), f"Basic {expected}".encode())


class JanusError(Exception):
    """Janus refused a request or could not be reached."""


def signed_token(*, seconds: int, now: float | None = None) -> str:
    """A core token for Janus' signed-token authentication: `expiry,janus,plugin:signature`."""
    expiry = int(time.time() if now is None else now) + seconds
    data = f"{expiry},janus,{VIDEOROOM}"
    digest = hmac.new(settings.JANUS_TOKEN_SECRET.encode(), data.encode(), hashlib.sha1)
    return f"{data}:{base64.b64encode(digest.digest()).decode()}"


def _derived(purpose: str, *parts: int) -> str:
    """A secret for one room or member, derived from our SECRET_KEY: nothing to store."""
    message = ":".join([purpose, *map(str, parts)]).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def member_token(group_id: int, member: int) -> str:
    return _derived("janus-member", group_id, member)


def room_secret(group_id: int) -> str:
    return _derived("janus-room", group_id)


def client_settings(group: DialogueGroup, member: int) -> dict[str, Any]:
    """What a member's room page needs to join the group's room."""
    return {
        "provider": "janus",
        "url": settings.JANUS_URL,
        "token": signed_token(seconds=TOKEN_HOURS * 3600),
        "room": group.pk,
        "roomToken": member_token(group.pk, member),
    }


def create_rooms(groups: Iterable[DialogueGroup]) -> int:
    """Create each group's room, or bring an existing one's list of members up to date.
    Returns how many rooms there are."""
    done = 0
    with Session() as session:
        for group in groups:
            removed = _removed(group)
            members = set(group.members.values_list("pk", flat=True))
            session.create_room(
                group,
                [member_token(group.pk, m) for m in sorted(members - removed)],
                [member_token(group.pk, m) for m in sorted(removed)],
            )
            done += 1
    return done


def destroy_rooms(group_ids: Iterable[int]) -> int:
    """Destroy the groups' rooms (everyone still in them is disconnected)."""
    with Session() as session:
        return sum(session.destroy_room(group_id) for group_id in group_ids)


def remove_participant(group_id: int, member: int) -> bool:
    """Take a removed member's token off the room's list and disconnect them. False if they
    were not in the room."""
    with Session() as session:
        return session.remove(group_id, member)


def _removed(group: DialogueGroup) -> set[int]:
    room = getattr(group, "room", None)
    return set(room.removed) if room is not None else set()


class Session:
    """One Janus session with a video-room handle, for a few requests from this server."""

    def __init__(self) -> None:
        self.client = httpx.Client(base_url=settings.JANUS_API_URL, timeout=TIMEOUT)
        self.token = signed_token(seconds=SERVER_TOKEN_SECONDS)
        self.path = ""

    def __enter__(self) -> "Session":
        session = self._janus("", {"janus": "create"})["data"]["id"]
        handle = self._janus(f"/{session}", {"janus": "attach", "plugin": VIDEOROOM})
        self.path = f"/{session}/{handle['data']['id']}"
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.path:
                self._janus(self.path.rsplit("/", 1)[0], {"janus": "destroy"})
        except JanusError:
            pass  # Janus drops an idle session by itself (session_timeout)
        finally:
            self.client.close()

    def create_room(self, group: DialogueGroup, tokens: list[str], gone: list[str]) -> None:
        room = {
            "room": group.pk,
            "description": f"{group.event.slug} group {group.number}",
            "secret": room_secret(group.pk),
            "is_private": True,
            "allowed": tokens,
            "publishers": group.event.max_group_size,
            "bitrate": VIDEO_BITRATE,
            "audiolevel_event": True,  # who is talking: to the members and to our events
            "audio_active_packets": 50,  # a second of audio at 20 ms per packet
            "audio_level_average": 40,
            "notify_joining": True,
        }
        answer = self.request({"request": "create", "admin_key": settings.JANUS_ADMIN_KEY, **room})
        if answer.get("error_code") != ROOM_EXISTS:
            _check(answer)
            return
        for action, listed in (("add", tokens), ("remove", gone)):
            if listed:
                _check(self.allowed(group.pk, action, listed))

    def allowed(self, group_id: int, action: str, tokens: list[str]) -> dict[str, Any]:
        body = {"request": "allowed", "room": group_id, "secret": room_secret(group_id)}
        return self.request({**body, "action": action, "allowed": tokens})

    def destroy_room(self, group_id: int) -> bool:
        body = {"request": "destroy", "room": group_id, "secret": room_secret(group_id)}
        answer = self.request(body)
        if answer.get("error_code") == NO_SUCH_ROOM:
            return False
        _check(answer)
        return True

    def remove(self, group_id: int, member: int) -> bool:
        answer = self.allowed(group_id, "remove", [member_token(group_id, member)])
        if answer.get("error_code") == NO_SUCH_ROOM:
            return False
        _check(answer)
        body = {"request": "kick", "room": group_id, "secret": room_secret(group_id)}
        answer = self.request({**body, "id": member})
        if answer.get("error_code") == NO_SUCH_FEED:
            return False
        _check(answer)
        return True

    def participants(self, group_id: int) -> list[dict[str, Any]]:
        answer = _check(self.request({"request": "listparticipants", "room": group_id}))
        return list(answer.get("participants", []))

    def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """A synchronous video-room request; its answer (with `error_code` when refused)."""
        reply = self._janus(self.path, {"janus": "message", "body": body})
        return dict(reply.get("plugindata", {}).get("data", {}))

    def _janus(self, path: str, message: dict[str, Any]) -> dict[str, Any]:
        message = {**message, "transaction": secrets.token_hex(8), "token": self.token}
        try:
            reply = self.client.post(f"{path}", json=message).json()
        except (httpx.HTTPError, ValueError) as error:
            raise JanusError(f"Janus cannot be reached: {error}") from error
        if reply.get("janus") == "error":
            raise JanusError(reply.get("error", {}).get("reason", "refused"))
        return dict(reply)


def _check(answer: dict[str, Any]) -> dict[str, Any]:
    if "error_code" in answer:
        raise JanusError(f"{answer['error_code']}: {answer.get('error', '')}")
    return answer
