"""An organizer's changes applied to a model object, within the fields an action owns."""

from collections.abc import Sequence
from typing import Any


def assign(obj: Any, changes: dict[str, Any], allowed: Sequence[str]) -> list[str]:
    """Set each of `changes` on `obj`; a name outside `allowed` is a programming error.
    Returns the names whose value changed (for the audit trail)."""
    if unknown := set(changes) - set(allowed):
        what = type(obj).__name__
        raise TypeError(f"not a {what} field an action sets: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in changes.items():
        if getattr(obj, name, None) != value or obj.pk is None:
            changed.append(name)
        setattr(obj, name, value)
    return changed
