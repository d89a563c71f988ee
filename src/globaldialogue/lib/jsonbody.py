"""JSON from outside, with a depth limit: no answer, vote or event needs more than a few
levels, and a body nested a hundred thousand deep would otherwise crash the decoder
(RecursionError) instead of being refused as invalid. NUL characters are refused too:
no text of ours holds one, and PostgreSQL cannot store or even compare one."""

import json
from typing import Any

MAX_DEPTH = 32


def loads(body: bytes | str) -> Any:
    """Like json.loads; ValueError for invalid JSON, nesting deeper than MAX_DEPTH, or a
    NUL character in any key or text."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise ValueError("The JSON is nested too deeply.") from None
    _check(data)
    return data


def _check(data: Any) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("The JSON holds a NUL character (\\u0000), which no text may hold.")
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ValueError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
