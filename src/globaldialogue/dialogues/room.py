"""A group's room over one WebSocket per participant (Channels): WebRTC signalling for the
peer-to-peer mesh, the facilitator's state, chat, host controls.

Connect to /ws/room/?token=... (a room token from tokens.room_token; access.room_member
says whom it admits). Client -> server messages, each at most MAX_MESSAGE bytes:

    {"type": "signal", "to": member, "data": {...}}   relayed as {"type": "signal", "from"}
    {"type": "hand", "raised": true | false}
    {"type": "advance", "item": position}              a vote to move on from that item
    {"type": "talk", "seconds": 0 < s <= 10}           my own talk time since last report
                                                       (ignored where Janus measures it)
    {"type": "tick"}                                   my countdown ran out; also "I'm here"
    {"type": "chat", "text": "..."}                    at most 500 characters, rate-limited
    {"type": "media", "video": b, "audio": b, "audioOnly": b}   what I send now
    host only: {"type": "skip"}, {"type": "next"}, {"type": "mute", "who": member},
               {"type": "remove", "who": member}

Server -> client: {"type": "welcome", "you", "peers", "iceServers", "iceTransportPolicy"} on
connect (ice.py: TURN credentials for this member); {"type": "state", ...}
after every change (with `here`, the members who have the room open); {"type": "joined" |
"left", "member"}; {"type": "signal", "from", "data"}; {"type": "media", "member", "video",
"audio", "audioOnly"} (and every member's last in the welcome's "media"); {"type": "chat",
"from", "name", "text"}; {"type": "report", "summaries", "ideas", "message", "by"} when a
member files the group's report; {"type": "mute-request"}; {"type": "removed"}. Presence (who
is connected now) is kept in the cache; a member who drops out keeps their place in the queue
until gone for PRESENT_FOR seconds (a reload is not leaving).
"""

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.utils import timezone

from globaldialogue.dialogues import access, facilitator, ice, media, room_actions
from globaldialogue.dialogues.models import DialogueGroup, GroupReport, Registration, Room
from globaldialogue.lib.metrics import WEBSOCKETS
from globaldialogue.lib.ratelimit import retry_after
from globaldialogue.lib.sync import off_loop

MAX_MESSAGE = 64 * 1024  # an SDP offer with many candidates fits; nothing bigger is needed
# Messages of each kind a participant may send per so many seconds; the rest are dropped
# (a page sends far fewer: a talk report every 3 s, a tick every 10 s, a burst of signals
# when calls are set up).
MESSAGE_LIMITS = {
    "chat": (5, 10),
    "signal": (300, 10),
    "hand": (10, 10),
    "advance": (10, 10),
    "talk": (6, 10),
    "tick": (10, 10),
    "host": (20, 10),
    "media": (20, 10),
}
MEDIA_FLAGS = ("video", "audio", "audioOnly")
HOST_KINDS = {"skip", "next", "mute", "remove"}
TALK_CLOCK_SECONDS = 6 * 3600  # longer than any dialogue
logger = logging.getLogger(__name__)
PRESENT_FOR = 30  # seconds since a participant's last message that they count as present


def _talk_clock_starts(member: int) -> None:
    """On joining: talk reports count from now (a rejoin does not reset a running clock)."""
    cache.add(f"room-talk-at:{member}", time.time(), timeout=TALK_CLOCK_SECONDS)


def _talk_since_last(member: int, seconds: float) -> float:
    """A talk report counts no more seconds than passed since the member's last one (on any
    of their connections) or since they joined: a page cannot claim 500 seconds in one."""
    key, now = f"room-talk-at:{member}", time.time()
    last = cache.get(key, now)
    cache.set(key, now, timeout=TALK_CLOCK_SECONDS)
    return round(max(0.0, min(seconds, now - last)), 1)


def room_group(group_id: int) -> str:
    return f"room-{group_id}"


def member_group(group_id: int, member: int) -> str:
    return f"room-{group_id}-member-{member}"


def publish_report(report: GroupReport) -> None:
    """Everyone with the room open gets the group's report as filed (room.js fills the
    fields they have not changed). Needs the web process's channel layer: filed through a
    view under ASGI, or Redis."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": "report",
        "summaries": report.summaries,
        "ideas": report.ideas,
        "message": report.message,
        "by": report.filed_by.display_name if report.filed_by else "",
    }
    event = {"type": "room.send", "message": message}
    try:
        off_loop(async_to_sync(layer.group_send), room_group(report.group_id), event)
    except Exception:  # filed and kept: open pages see it when they reload
        logger.warning("Could not announce report of group %s", report.group_id, exc_info=True)


class RoomConsumer(AsyncWebsocketConsumer):
    member: Registration | None = None
    members: frozenset[int] = frozenset()

    async def connect(self) -> None:
        token = _query(self.scope).get("token", "")
        self.member = await database_sync_to_async(access.room_member)(token)
        if self.member is None:
            await self.close(code=4403)
            return
        group = self.member.group
        assert group is not None
        self.group_id, self.me = group.pk, self.member.pk
        # The group's members, read once: every ICE candidate is relayed, so no query each.
        self.members = await database_sync_to_async(_members)(self.group_id)
        self.measured = await database_sync_to_async(_talk_measured)(self.group_id)
        await database_sync_to_async(room_actions.note_joined)(registration=self.member)
        _talk_clock_starts(self.me)
        await self.channel_layer.group_add(room_group(self.group_id), self.channel_name)
        await self.channel_layer.group_add(member_group(self.group_id, self.me), self.channel_name)
        await self.accept()
        WEBSOCKETS.labels("room").inc()
        peers = _present(self.group_id, self.me, here=True)
        _seen(self.group_id, self.me)
        welcome = {
            "type": "welcome",
            "you": self.me,
            "peers": peers,
            "media": _sending(self.group_id, self.members),
        }
        await self.send_json({**welcome, **ice.ice_configuration(self.me)})
        await self._broadcast({"type": "joined", "member": self.me})
        await self._change(lambda state, now: facilitator.start(state, now))

    async def disconnect(self, code: int) -> None:
        if self.member is None:
            return
        WEBSOCKETS.labels("room").dec()
        # Not leaving the queue yet: a reload or a short drop keeps one's place; those gone
        # for PRESENT_FOR seconds are dropped at the next tick (facilitator.forget).
        _present(self.group_id, self.me, here=False)
        await self._broadcast({"type": "left", "member": self.me})
        await self.channel_layer.group_discard(room_group(self.group_id), self.channel_name)
        await self.channel_layer.group_discard(
            member_group(self.group_id, self.me), self.channel_name
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.member is None or not text_data or len(text_data.encode()) > MAX_MESSAGE:
            return  # nothing else is ever sent; oversized messages are dropped, not parsed
        try:
            message = json.loads(text_data)
        except ValueError:
            return
        if isinstance(message, dict):
            _present(self.group_id, self.me, here=True)
            _seen(self.group_id, self.me)
            await self._handle(message)

    async def _handle(self, message: dict[str, Any]) -> None:
        kind, me = message.get("type"), self.me
        limited = "host" if kind in HOST_KINDS else kind
        # The cache answers in microseconds (local memory) or one Redis round trip: called
        # here, as for chat before, rather than through a thread for every message.
        if limited in MESSAGE_LIMITS and retry_after(
            f"room-{limited}", str(me), MESSAGE_LIMITS[str(limited)]
        ):
            return
        if kind == "signal":
            await self._relay(message)
        elif kind == "hand":
            raised = message.get("raised") is True
            rule = facilitator.raise_hand if raised else facilitator.lower_hand
            await self._change(lambda state, now: rule(state, me, now))
        elif kind == "advance" and isinstance(item := message.get("item"), int):
            present = len(_present(self.group_id, me, here=True)) + 1
            await self._change(
                lambda state, now: facilitator.vote_to_advance(
                    state, me, item=item, present=present, now=now
                )
            )
        elif (
            kind == "talk" and isinstance(message.get("seconds"), int | float) and not self.measured
        ):
            seconds = _talk_since_last(me, float(message["seconds"]))
            await self._change(lambda state, now: facilitator.report_talk(state, me, seconds))
        elif kind == "tick":
            gone = _gone(self.group_id) - {me}
            await self._change(lambda state, now: facilitator.forget(state, gone, now))
        elif kind == "chat":
            await self._chat(message.get("text"))
        elif kind == "media":
            flags = {flag: message.get(flag) is True for flag in MEDIA_FLAGS}
            _remember_sending(self.group_id, me, flags)
            await self._broadcast({"type": "media", "member": me, **flags})
        elif kind in HOST_KINDS:
            await self._host(kind, message.get("who"))

    async def _relay(self, message: dict[str, Any]) -> None:
        to, data = message.get("to"), message.get("data")
        if not isinstance(to, int) or not isinstance(data, dict) or to == self.me:
            return
        if to not in self.members:
            return
        event = {"type": "room.send", "message": {"type": "signal", "from": self.me, "data": data}}
        await self.channel_layer.group_send(member_group(self.group_id, to), event)

    async def _chat(self, text: Any) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        assert self.member is not None
        name = self.member.display_name
        chat = {"type": "chat", "from": self.me, "name": name, "text": text.strip()[:500]}
        await self._broadcast(chat)

    async def _host(self, kind: str, who: Any) -> None:
        if not await database_sync_to_async(_is_host)(self.group_id, self.me):
            return  # a participant cannot act as host
        if kind == "skip":
            await self._change(lambda state, now: facilitator.skip_speaker(state, now))
        elif kind == "next":
            await self._change(lambda state, now: facilitator.next_item(state, now))
        elif isinstance(who, int) and who != self.me:
            await self._host_action(kind, who)

    async def _host_action(self, kind: str, who: int) -> None:
        if who not in self.members:
            return
        if kind == "remove":
            group = await database_sync_to_async(_group)(self.group_id)
            room = await database_sync_to_async(room_actions.remove_from_room)(
                group=group, member=who, by=self.member
            )
            await self._send_state(room)
        notice = {"type": "mute-request"} if kind == "mute" else {"type": "removed"}
        event = {"type": "room.send", "message": notice}
        await self.channel_layer.group_send(member_group(self.group_id, who), event)

    async def _change(self, change: Any) -> None:
        group = await database_sync_to_async(_group)(self.group_id)
        room = await database_sync_to_async(room_actions.change_room)(group=group, change=change)
        await self._send_state(room)

    async def _send_state(self, room: Room) -> None:
        state = await database_sync_to_async(room_view)(room)
        await self._broadcast(state)

    async def _broadcast(self, message: dict[str, Any]) -> None:
        event = {"type": "room.send", "message": message}
        await self.channel_layer.group_send(room_group(self.group_id), event)

    async def room_send(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])
        if event["message"].get("type") == "removed":
            await self.close(code=4403)

    async def send_json(self, message: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(message))


def _query(scope: dict[str, Any]) -> dict[str, str]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return {key: values[0] for key, values in parse_qs(raw).items() if values}


def _presence_key(group_id: int) -> str:
    return f"room-presence:{group_id}"


def _presence(group_id: int) -> dict[int, float]:
    """Who has the room open now: member -> last sign."""
    now = time.time()
    seen: dict[int, float] = cache.get(_presence_key(group_id)) or {}
    return {m: t for m, t in seen.items() if now - t < PRESENT_FOR}


def _present(group_id: int, member: int, *, here: bool) -> list[int]:
    """Mark `member` present (or gone) and return the others present now."""
    now = time.time()
    seen = _presence(group_id)
    if here:
        seen[member] = now
    else:
        seen.pop(member, None)
    cache.set(_presence_key(group_id), seen, PRESENT_FOR * 4)
    return sorted(m for m in seen if m != member)


def _seen(group_id: int, member: int) -> None:
    """A sign of life, kept through disconnections (unlike presence)."""
    key = f"room-seen:{group_id}"
    seen: dict[int, float] = cache.get(key) or {}
    seen[member] = time.time()
    cache.set(key, seen, 24 * 3600)


def _sending_key(group_id: int, member: int) -> str:
    return f"room-sending:{group_id}:{member}"


def _sending(group_id: int, members: frozenset[int]) -> dict[str, dict[str, bool]]:
    """What each member last said they send (camera off, audio only): for newcomers' tiles.
    One key per member: two members changing at once cannot overwrite each other."""
    found = cache.get_many([_sending_key(group_id, m) for m in members])
    return {key.rsplit(":", 1)[1]: flags for key, flags in found.items()}


def _remember_sending(group_id: int, member: int, flags: dict[str, bool]) -> None:
    cache.set(_sending_key(group_id, member), flags, 24 * 3600)


def _gone(group_id: int) -> set[int]:
    """Members with no sign of life for PRESENT_FOR seconds."""
    seen: dict[int, float] = cache.get(f"room-seen:{group_id}") or {}
    return {m for m, t in seen.items() if time.time() - t >= PRESENT_FOR}


def _group(group_id: int) -> DialogueGroup:
    return DialogueGroup.objects.select_related("event").get(pk=group_id)


def _members(group_id: int) -> frozenset[int]:
    return frozenset(Registration.objects.filter(group_id=group_id).values_list("pk", flat=True))


def _talk_measured(group_id: int) -> bool:
    return media.measures_talk(_group(group_id).event)


def _is_host(group_id: int, member: int) -> bool:
    return DialogueGroup.objects.filter(pk=group_id, host_id=member).exists()


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def room_view(room: Room) -> dict[str, Any]:
    """The room as every participant's page shows it (plain JSON types only: with Redis the
    channel layer serialises every message)."""
    group = DialogueGroup.objects.select_related("event").get(pk=room.group_id)
    event = group.event
    language = group.language
    members = dict(group.members.values_list("pk", "display_name"))
    return {
        "type": "state",
        "version": room.version,
        "server_time": timezone.now().isoformat(),
        "position": room.position,
        "agenda": event.agenda_in(language),
        "item_started_at": _iso(room.item_started_at),
        "queue": room.queue,
        "turn_started_at": _iso(room.turn_started_at),
        "turn_seconds": facilitator.TURN_SECONDS,
        "advance_votes": len(room.advance_votes),
        "talk": room.talk,
        "talk_measured": media.measures_talk(event),
        "members": {str(pk): name for pk, name in members.items() if pk not in room.removed},
        "here": sorted(m for m in _presence(group.pk) if m in members and m not in room.removed),
        "host": group.host_id,
    }
