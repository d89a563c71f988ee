"""Live map updates over WebSockets (Channels).

A page connects to /ws/c/{slug}/ and gets `{"type": "map", "id", "votes", "grouped", "k"}`
at once and again whenever a newer map is stored; it fetches the map it does not show yet.
Getting the news from the worker that computed the map to the web processes holding the
sockets:

- With Redis (production) the channel layer is shared: the worker publishes after commit.
- Embedded (in-memory layer, worker in another process) each web process watches the
  database instead: one query per conversation with open pages every WATCH_SECONDS, however
  many pages are open.
"""

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import InMemoryChannelLayer, get_channel_layer

from globaldialogue.deliberation.models import Conversation, ConversationMap
from globaldialogue.deliberation.published import published_map
from globaldialogue.lib.metrics import WEBSOCKETS
from globaldialogue.lib.sync import off_loop

logger = logging.getLogger(__name__)
WATCH_SECONDS = 2.0
_listeners: dict[int, int] = {}  # conversation id -> open sockets in this process
_watchers: dict[int, "asyncio.Task[None]"] = {}


def group_name(conversation_id: int) -> str:
    return f"conversation-{conversation_id}"


def map_event(stored: ConversationMap | None) -> dict[str, Any]:
    if stored is None:
        return {"type": "map", "id": 0, "votes": 0, "grouped": 0, "k": 0}
    public = published_map(stored)  # counts as the pages show them
    return {
        "type": "map",
        "id": stored.pk,
        "votes": public.votes,
        "grouped": public.grouped,
        "k": stored.k,
    }


def shared_layer() -> bool:
    return not isinstance(get_channel_layer(), InMemoryChannelLayer)


def publish_map(stored: ConversationMap) -> None:
    """Tell every open page of the conversation about a new map (shared layer only; the
    in-memory layer is served by the watchers)."""
    layer = get_channel_layer()
    if layer is None or not shared_layer():
        return
    event = {"type": "map.stored", "map": map_event(stored)}
    send = async_to_sync(layer.group_send)
    try:
        off_loop(send, group_name(stored.conversation_id), event)
    except Exception:  # the map is stored; open pages catch up when they reconnect
        logger.warning("Could not announce map %s", stored.pk, exc_info=True)


def _latest_event(conversation_id: int) -> dict[str, Any]:
    """The latest map's event (reads the database: call it off the event loop)."""
    stored = (
        ConversationMap.objects.filter(conversation_id=conversation_id)
        .select_related("conversation")
        .order_by("-computed_at")
        .defer("positions")
        .first()
    )
    return map_event(stored)


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    conversation_id = 0

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        found = await database_sync_to_async(
            lambda: (
                Conversation.objects.exclude(status=Conversation.Status.DRAFT)
                .filter(slug=slug)
                .values_list("pk", flat=True)
                .first()
            )
        )()
        if found is None:
            await self.close(code=4404)
            return
        self.conversation_id = found
        await self.channel_layer.group_add(group_name(found), self.channel_name)
        await self.accept()
        WEBSOCKETS.labels("conversation").inc()
        _listeners[found] = _listeners.get(found, 0) + 1
        if not shared_layer():
            _watch(found)
        await self.send_json(await database_sync_to_async(_latest_event)(found))

    async def disconnect(self, code: int) -> None:
        if not self.conversation_id:
            return
        WEBSOCKETS.labels("conversation").dec()
        _listeners[self.conversation_id] = _listeners.get(self.conversation_id, 1) - 1
        await self.channel_layer.group_discard(group_name(self.conversation_id), self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Clients only listen; anything they send is ignored."""

    async def map_stored(self, event: dict[str, Any]) -> None:
        await self.send_json(event["map"])


def _watch(conversation_id: int) -> None:
    task = _watchers.get(conversation_id)
    if task is None or task.done():
        _watchers[conversation_id] = asyncio.get_running_loop().create_task(
            _watch_database(conversation_id)
        )


def _latest_id(conversation_id: int) -> int:
    found = (
        ConversationMap.objects.filter(conversation_id=conversation_id)
        .order_by("-computed_at")
        .values_list("pk", flat=True)
        .first()
    )
    return int(found or 0)


async def _watch_database(conversation_id: int) -> None:
    """Poll the latest map's id (a tiny indexed query); read the map only when it changed."""
    latest_id = database_sync_to_async(_latest_id)
    shown = await latest_id(conversation_id)
    layer = get_channel_layer()
    while _listeners.get(conversation_id, 0) > 0:
        await asyncio.sleep(WATCH_SECONDS)
        current = await latest_id(conversation_id)
        if current and current != shown:
            shown = current
            found = await database_sync_to_async(_latest_event)(conversation_id)
            event = {"type": "map.stored", "map": found}
            await layer.group_send(group_name(conversation_id), event)
    _watchers.pop(conversation_id, None)
