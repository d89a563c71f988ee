"""The one write of the audit trail: record(), called by other apps' actions inside their
own transaction, so an entry exists exactly when the change it describes was committed."""

from typing import Any

from globaldialogue.audit.context import Actor, current_actor, role_of
from globaldialogue.audit.models import Entry


def record(
    *,
    action: str,
    obj: Any = None,
    consultation: Any = None,
    summary: dict[str, Any] | None = None,
    actor: Actor | None = None,
) -> Entry:
    """Append that `action` (verb_noun, as the action function is named) was done to `obj`
    in `consultation` (an object with a slug, or a slug), by `actor` or whoever the entry
    point said is acting (audit.context)."""
    who = actor or current_actor()
    slug = _slug(consultation)[:50]
    return Entry.objects.create(
        actor_kind=who.kind,
        actor_id=who.id[:64],
        actor=who.label[:200],
        role=role_of(who, slug)[:32],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object=str(obj)[:200] if obj is not None else "",
        consultation=slug,
        summary=_plain(summary or {}),
    )


def _slug(consultation: Any) -> str:
    if consultation is None:
        return ""
    return consultation if isinstance(consultation, str) else str(consultation.slug)


def _plain(summary: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: dates, decimals and model objects as text."""
    return {
        str(key): value
        if isinstance(value, str | int | float | bool | list | dict) or value is None
        else str(value)
        for key, value in summary.items()
    }
