"""Every write to consultations."""

from typing import Any

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
    consultation.save()
    return consultation


def delete_consultation(*, consultation: Consultation) -> None:
    """Remove it with everything it holds (conversations, events, surveys without
    responses); one whose surveys have responses cannot be deleted (they are protected)."""
    consultation.delete()
