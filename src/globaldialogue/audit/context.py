"""Who is acting, for the audit trail: set once where a request, a command or a task
begins, read by audit.actions.record wherever the write happens (pure: no Django).

A context variable, not an argument through every action: the same action serves the back
office, the API, the command line and tasks, and only their entry points know who acts.
Values follow the code into threads started by asgiref (sync_to_async copies them).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str  # user | key | participant | command | task | anonymous
    id: str = ""
    label: str = ""


NOBODY = Actor("anonymous")
TASK = Actor("task", "", "background task")
_current: ContextVar[Actor] = ContextVar("globaldialogue_actor", default=NOBODY)


def current_actor() -> Actor:
    return _current.get()


def set_actor(actor: Actor) -> None:
    """For an entry point that owns its whole context (a command's process)."""
    _current.set(actor)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


# Roles live above this app (consultations): it tells us how to name a user's, at start-up.
ROLE_OF_KIND = {"key": "partner", "participant": "participant", "command": "operator"}
_roles_of_user: list[Callable[[str, str], str]] = []


def name_user_roles_with(resolver: Callable[[str, str], str]) -> None:
    """Register how to name a user's roles in a consultation: (user id, slug) -> words."""
    _roles_of_user[:] = [resolver]


def role_of(actor: Actor, consultation_slug: str) -> str:
    """The role `actor` acted in, in words, for the audit trail."""
    if actor.kind == "user" and _roles_of_user:
        return _roles_of_user[0](actor.id, consultation_slug)
    return ROLE_OF_KIND.get(actor.kind, "")
