"""The live channel of a conversation page: the latest map on connect, news of newer maps
from the database watcher (embedded) and from the worker through Redis (production)."""

import pytest
from django.test import override_settings

from globaldialogue.asgi import application
from globaldialogue.deliberation import live
from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.demo import load_synthetic_crowd
from globaldialogue.deliberation.published import published_map
from globaldialogue.lib.channel_layer import redis_layer
from globaldialogue.lib.perturb import MOST
from globaldialogue.testing import WebsocketCommunicator, run

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://testserver")]


def socket(slug: str = "un75-priorities") -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/c/{slug}/", headers=ORIGIN)


def test_a_page_gets_the_latest_map_on_connect(crowded):
    stored = crowded.maps.latest()

    async def scenario() -> dict:
        communicator = socket()
        connected, _ = await communicator.connect()
        assert connected
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    message = run(scenario)
    public = published_map(stored)  # what the pages show, not the exact counts
    assert message == {
        "type": "map",
        "id": stored.pk,
        "votes": public.votes,
        "grouped": public.grouped,
        "k": stored.k,
    }
    assert abs(message["votes"] - stored.votes) <= MOST


def test_an_unknown_conversation_is_refused(db):
    async def scenario() -> bool:
        connected, _ = await socket("nothing-here").connect()
        return connected

    assert not run(scenario)


def test_a_page_from_another_site_is_refused(crowded):
    async def scenario() -> bool:
        communicator = WebsocketCommunicator(
            application, "/ws/c/un75-priorities/", headers=[(b"origin", b"https://evil.example")]
        )
        connected, _ = await communicator.connect()
        return connected

    assert not run(scenario)


def test_the_watcher_announces_a_map_stored_by_another_process(crowded, monkeypatch):
    monkeypatch.setattr(live, "WATCH_SECONDS", 0.1)

    async def scenario() -> tuple[dict, dict]:
        from channels.db import database_sync_to_async

        communicator = socket()
        await communicator.connect()
        first = await communicator.receive_json_from(timeout=5)
        # As if the worker process stored it: nothing is published in this process.
        await database_sync_to_async(_new_map)(crowded)
        second = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return first, second

    first, second = run(scenario)
    assert second["id"] == crowded.maps.latest().pk != first["id"]
    assert second["votes"] > first["votes"]


def _new_map(conversation) -> None:
    load_synthetic_crowd(conversation, 150)
    recompute_map(conversation=conversation)


def test_through_redis_the_worker_publishes_after_commit(crowded, redis_url, monkeypatch):
    monkeypatch.setattr(live, "_watchers", {})
    layers = {"default": redis_layer(redis_url, prefix="gd-test-live")}
    with override_settings(CHANNEL_LAYERS=layers):
        assert live.shared_layer()

        async def scenario() -> dict:
            from channels.db import database_sync_to_async

            communicator = socket()
            await communicator.connect()
            await communicator.receive_json_from(timeout=5)
            await database_sync_to_async(_new_map)(crowded)
            message = await communicator.receive_json_from(timeout=5)
            await communicator.disconnect()
            return message

        message = run(scenario)
    assert message["id"] == crowded.maps.latest().pk
    assert not live._watchers  # with a shared layer nothing polls the database
