"""JSON from outside, with a depth limit: no answer, vote or event needs more than a few
levels, and a body nested a hundred thousand deep would otherwise crash the decoder
(RecursionError) instead of being refused as invalid."""

import json
from typing import Any

MAX_DEPTH = 32


def loads(body: bytes | str) -> Any:
    """Like json.loads; ValueError for invalid JSON and for nesting deeper than MAX_DEPTH."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise ValueError("The JSON is nested too deeply.") from None
    if _depth(data) > MAX_DEPTH:
        raise ValueError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
    return data


def _depth(data: Any) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:  # deeper is too deep already: no need to look further
                children = value.values() if isinstance(value, dict) else value
                stack.extend((child, depth + 1) for child in children)
    return deepest
