"""Where a room's audio and video travel: the event's choice (Event.media), else the
server's default (settings.ROOM_MEDIA).

mesh: every browser sends its camera to every other (static dialogues/room.js), with
signalling over our WebSocket (room.py). It needs nothing but this server and works for up
to MESH_LIMIT people: each one sends n-1 streams and decodes n-1 (docs/benchmarks.md).

janus: a Janus server of our own forwards the media (janus.py, room-janus.js): each browser
sends one stream and Janus measures who is talking.

livekit (untested against a real LiveKit server, which cannot run in our CI): a LiveKit
server forwards the media. We create its rooms, sign each member's join token (identity and
grants from the registration) and take its webhooks. The facilitator, chat and host controls
stay on our WebSocket whatever the provider: one set of rules, whichever way the video goes.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from livekit import api as livekit

from globaldialogue.dialogues import janus
from globaldialogue.dialogues.models import DialogueGroup, Event, Registration
from globaldialogue.lib.sync import off_loop

MESH_LIMIT = 6
LARGEST_GROUP = 12
# Long enough to join; once in, LiveKit refreshes the token itself. Short, so that someone
# the host removed cannot come back with an old page (and webhooks remove them again).
JOIN_TOKEN_MINUTES = 15
EMPTY_ROOM_SECONDS = 15 * 60  # LiveKit closes a room left empty this long
ROOM_PREFIX = "gd-group-"

T = TypeVar("T")


class InvalidWebhook(Exception):
    """A webhook whose signature or body hash does not check out."""


def provider(event: Event) -> str:
    return event.media or str(settings.ROOM_MEDIA)


def largest_group(name: str) -> int:
    """The largest group a provider can hold."""
    return MESH_LIMIT if name == "mesh" else LARGEST_GROUP


def unavailable(name: str) -> str:
    """Why this server cannot use the provider (empty when it can)."""
    if name == "janus" and not (settings.JANUS_URL and settings.JANUS_TOKEN_SECRET):
        return "This server has no Janus media server (GLOBALDIALOGUE_JANUS_URL and secrets)."
    if name == "livekit" and not (settings.LIVEKIT_URL and settings.LIVEKIT_API_SECRET):
        return "This server has no LiveKit media server (LIVEKIT_URL, LIVEKIT_API_SECRET)."
    return ""


def measures_talk(event: Event) -> bool:
    """Whether the media server measures who talks (Janus); else browsers report it."""
    return provider(event) == "janus"


def has_media_server(event: Event) -> bool:
    """Rooms on a media server: created and destroyed through its API, members removed."""
    return provider(event) != "mesh"


def room_name(group: DialogueGroup) -> str:
    return f"{ROOM_PREFIX}{group.pk}"


def group_id(name: str) -> int | None:
    """The group a LiveKit room name stands for (None for rooms that are not ours)."""
    number = name.removeprefix(ROOM_PREFIX)
    return int(number) if name.startswith(ROOM_PREFIX) and number.isdigit() else None


def client_settings(registration: Registration) -> dict[str, Any]:
    """What the room page tells the browser about the media (ICE servers come with the room
    WebSocket's welcome: ice.py)."""
    group = registration.group
    assert group is not None
    name = provider(group.event)
    common = {"audioOnlyBelow": settings.ROOM_AUDIO_ONLY_BELOW_KBPS * 1000}
    if name == "mesh":
        return {"provider": "mesh", **common}
    if name == "janus":
        return {**janus.client_settings(group, registration.pk), **common}
    return {
        **common,
        "provider": "livekit",
        "url": settings.LIVEKIT_URL,
        "token": join_token(registration),
    }


def join_token(registration: Registration) -> str:
    """A LiveKit access token for the registration's group room: identity is the
    registration's id (what our room state and webhooks use), name its display name."""
    group = registration.group
    if group is None:
        raise ValueError("only a registrant placed in a group has a room")
    grants = livekit.VideoGrants(
        room_join=True,
        room=room_name(group),
        can_publish=True,
        can_subscribe=True,
        can_publish_data=False,  # chat goes through our server: rate-limited and escaped
        can_update_own_metadata=False,
    )
    metadata = {"group": group.pk, "host": group.host_id == registration.pk}
    return (
        livekit.AccessToken(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
        .with_identity(str(registration.pk))
        .with_name(registration.display_name)
        .with_metadata(json.dumps(metadata))
        .with_ttl(timedelta(minutes=JOIN_TOKEN_MINUTES))
        .with_grants(grants)
        .to_jwt()
    )


@dataclass(frozen=True)
class RoomSpec:
    name: str
    max_participants: int
    metadata: str


def room_specs(groups: Iterable[DialogueGroup]) -> list[RoomSpec]:
    return [
        RoomSpec(
            name=room_name(group),
            max_participants=group.event.max_group_size,
            metadata=json.dumps({"event": group.event.slug, "group": group.number}),
        )
        for group in groups
    ]


def create_rooms(specs: list[RoomSpec]) -> int:
    """Create the LiveKit rooms (creating an existing one is harmless). Returns how many."""

    async def create(client: livekit.LiveKitAPI) -> int:
        for spec in specs:
            request = livekit.CreateRoomRequest(
                name=spec.name,
                empty_timeout=EMPTY_ROOM_SECONDS,
                max_participants=spec.max_participants,
                metadata=spec.metadata,
            )
            await client.room.create_room(request)
        return len(specs)

    return _with_client(create)


def remove_participant(group_id: int, member: int) -> bool:
    """Disconnect someone the host removed. False if they were not in the LiveKit room."""

    async def remove(client: livekit.LiveKitAPI) -> bool:
        request = livekit.RoomParticipantIdentity(
            room=f"{ROOM_PREFIX}{group_id}", identity=str(member)
        )
        try:
            await client.room.remove_participant(request)
        except livekit.TwirpError as error:
            if error.code == livekit.TwirpErrorCode.NOT_FOUND:
                return False
            raise
        return True

    return _with_client(remove)


def receive_webhook(body: str, authorization: str) -> Any:
    """The LiveKit webhook event in a request, after checking that LiveKit signed it (a JWT
    with our API secret carrying the body's SHA-256)."""
    receiver = livekit.WebhookReceiver(
        livekit.TokenVerifier(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
    )
    token = authorization.removeprefix("Bearer ").strip()
    try:
        return receiver.receive(body, token)
    except Exception as error:  # the SDK raises bare Exceptions and PyJWT's errors
        raise InvalidWebhook(str(error)) from error


def _with_client(work: Callable[[livekit.LiveKitAPI], Awaitable[T]]) -> T:
    async def run() -> T:
        client = livekit.LiveKitAPI(
            settings.LIVEKIT_API_URL,
            settings.LIVEKIT_API_KEY,
            settings.LIVEKIT_API_SECRET,
            failover=False,  # one server we name; no region discovery
        )
        try:
            return await work(client)
        finally:
            await client.aclose()

    return off_loop(asyncio.run, run())
