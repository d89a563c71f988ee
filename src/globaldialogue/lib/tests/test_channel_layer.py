"""The Redis channel layer keeps a quiet channel open past its blocking wait: with redis-py 8's
default read timeout it crashed every idle WebSocket consumer after about five seconds."""

import asyncio

from channels_redis.core import RedisChannelLayer

from globaldialogue.lib.channel_layer import redis_layer
from globaldialogue.testing import run


def test_a_message_after_a_quiet_spell_arrives(redis_url):
    layer = RedisChannelLayer(**redis_layer(redis_url, prefix="gd-test-quiet")["CONFIG"])

    async def scenario() -> dict:
        channel = await layer.new_channel()

        async def later() -> None:
            await asyncio.sleep(layer.brpop_timeout + 1)  # one whole blocking wait goes by
            await layer.send(channel, {"type": "room.state"})

        sender = asyncio.create_task(later())
        message = await layer.receive(channel)
        await sender
        await layer.flush()
        return message

    assert run(scenario) == {"type": "room.state"}
