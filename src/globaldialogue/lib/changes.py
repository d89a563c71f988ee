"""An organizer's changes applied to a model object, within the fields an action owns."""

from collections.abc import Sequence
from typing import Any


def assign(obj: Any, changes: dict[str, Any], allowed: Sequence[str]) -> None:
    """Set each of `changes` on `obj`; a name outside `allowed` is a programming error."""
    if unknown := set(changes) - set(allowed):
        what = type(obj).__name__
        raise TypeError(f"not a {what} field an action sets: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(obj, name, value)
