"""The Redis channel layer's settings, one definition for settings.py and the tests."""

from typing import Any

# channels_redis waits for a message with a blocking BZPOPMIN of 5 s (its brpop_timeout).
# redis-py 8 gives every read a 5 s timeout by default, so the read of an idle channel and
# its timeout race: a quiet WebSocket consumer would crash with "Timeout reading from ...".
# Reads may take longer than the blocking wait, yet a dead Redis is still noticed.
READ_TIMEOUT = 15


def redis_layer(url: str, **config: Any) -> dict[str, Any]:
    """CHANNEL_LAYERS["default"] on the Redis at `url`; `config` adds e.g. a key prefix."""
    host = {"address": url, "socket_timeout": READ_TIMEOUT}
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [host], **config},
    }
