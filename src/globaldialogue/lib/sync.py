"""Calling blocking code from places that may run on an event loop's thread."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def off_loop(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)`, in a thread of its own when this thread runs an event loop (which
    async_to_sync and asyncio.run refuse; Playwright's sync API in tests runs one)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a worker, or a request thread
        return function(*args)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()
