"""Every write to consultations."""

from typing import Any

from django.db import transaction

from globaldialogue.audit.actions import record
from globaldialogue.consultations.models import Consultation


def save_consultation(
    *, slug: str, title: dict[str, str], languages: list[str], replace: bool = True
) -> Consultation:
    """Create the consultation, or (with `replace`) update its title and languages."""
    defaults: dict[str, Any] = {"title": title, "languages": languages}
    if replace:
        consultation, _ = Consultation.objects.update_or_create(slug=slug, defaults=defaults)
    else:
        consultation, _ = Consultation.objects.get_or_create(slug=slug, defaults=defaults)
    return consultation


def update_consultation(
    *,
    consultation: Consultation,
    slug: str,
    title: dict[str, str],
    languages: list[str],
    age_bands: list[dict[str, Any]] | None = None,
) -> Consultation:
    """An organizer's change in the back office (a new one is saved the same way)."""
    consultation.slug, consultation.title, consultation.languages = slug, title, languages
    if age_bands is not None:
        consultation.age_bands = age_bands
    with transaction.atomic():
        action = "create_consultation" if consultation.pk is None else "update_consultation"
        consultation.save()
        summary = {"languages": languages, "age_bands": age_bands is not None}
        record(action=action, obj=consultation, consultation=consultation, summary=summary)
    return consultation


def delete_consultation(*, consultation: Consultation) -> None:
    """Remove it with everything it holds (conversations, events, surveys without
    responses); one whose surveys have responses cannot be deleted (they are protected)."""
    with transaction.atomic():
        record(action="delete_consultation", obj=consultation, consultation=consultation)
        consultation.delete()
