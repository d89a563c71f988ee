"""The Redis channel layer's settings, one definition for settings.py and the tests."""

from typing import Any

# channels_redis waits for a message with a blocking BZPOPMIN of 5 s (its brpop_timeout).
# redis-py 8 gives every read a 5 s timeout by default, so the read of an idle channel and
# its timeout race: a quiet WebSocket consumer would crash with "Timeout reading from ...".
# No read timeout at all, as redis-py 7 had and channels_redis is built for: with one, a
# consumer cancelled as its read timed out had the cancellation turned into a timeout that
# redis-py retried, and went on waiting for messages forever (seen once in CI with 15 s).
READ_TIMEOUT = None


def redis_layer(url: str, **config: Any) -> dict[str, Any]:
    """CHANNEL_LAYERS["default"] on the Redis at `url`; `config` adds e.g. a key prefix."""
    host: dict[str, Any] = {"address": url, "socket_timeout": READ_TIMEOUT}
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [host], **config},
    }
