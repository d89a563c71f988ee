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
