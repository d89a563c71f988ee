"""Hooks: a moment in one module that modules above it act on, after the write commits.

A lower module (an app's actions, say) declares a Hook and fires it; the module that reacts
(another app, or the same app's tasks) subscribes to it in its AppConfig.ready(). So the
lower module never imports the upper one, and every subscription is listed in one place per
app (its apps.py). Unlike Django signals, a hook is a plain object named where it is fired,
carries no business rules, and only ever runs its receivers after the transaction commits.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction


class Hook:
    def __init__(self, name: str) -> None:
        self.name = name
        self.receivers: list[Callable[..., Any]] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self.receivers)} receivers>"

    def subscribe(self, receiver: Callable[..., Any]) -> None:
        """Call `receiver` each time the hook fires (once, however often subscribed)."""
        if receiver not in self.receivers:
            self.receivers.append(receiver)

    def fire(self, *args: Any) -> None:
        """Call every receiver with `args` once the current transaction commits (at once
        outside a transaction); nothing runs for a write that was rolled back."""
        for receiver in list(self.receivers):
            transaction.on_commit(partial(receiver, *args))
