"""Every write to consultations."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from globaldialogue.audit.actions import record
from globaldialogue.consultations.models import Consultation, Membership, Organization
from globaldialogue.consultations.permissions import Role

HOME = ("global-dialogue", "Global Dialogue")  # the organization of the demo and of imports


def save_organization(*, slug: str, name: str) -> Organization:
    """Create the organization, or rename it."""
    with transaction.atomic():
        organization, created = Organization.objects.update_or_create(
            slug=slug, defaults={"name": name}
        )
        action = "create_organization" if created else "rename_organization"
        record(action=action, obj=organization, summary={"name": name})
    return organization


def home_organization() -> Organization:
    """The operator's own organization, made on first use."""
    organization = Organization.objects.filter(slug=HOME[0]).first()
    return organization or save_organization(slug=HOME[0], name=HOME[1])


def save_consultation(
    *,
    slug: str,
    title: dict[str, str],
    languages: list[str],
    replace: bool = True,
    organization: Organization | None = None,
) -> Consultation:
    """Create the consultation (in `organization`, else the operator's own), or (with
    `replace`) update its title and languages."""
    defaults: dict[str, Any] = {"title": title, "languages": languages}
    if organization is not None or not Consultation.objects.filter(slug=slug).exists():
        defaults["organization"] = organization or home_organization()
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
    organization: Organization | None = None,
) -> Consultation:
    """An organizer's change in the back office (a new one is saved the same way, in
    `organization`)."""
    consultation.slug, consultation.title, consultation.languages = slug, title, languages
    if organization is not None:
        consultation.organization = organization
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


def grant_role(
    *,
    user: User,
    role: Role,
    organization: Organization | None = None,
    consultation: Consultation | None = None,
) -> Membership:
    """Give `user` a role on an organization or on one consultation (exactly one of them);
    they may then sign in to the back office. Granting a role held already changes nothing."""
    if (organization is None) == (consultation is None):
        raise ValueError("A role is held on an organization or on a consultation.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organization=organization, consultation=consultation, role=role
        )
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if created:
            _record_role("grant_role", membership)
    return membership


def revoke_role(*, membership: Membership) -> None:
    with transaction.atomic():
        _record_role("revoke_role", membership)
        membership.delete()


def _record_role(action: str, membership: Membership) -> None:
    summary = {"user": membership.user.get_username(), "role": membership.role}
    summary["on"] = str(membership.on)
    record(action=action, obj=membership, consultation=membership.consultation, summary=summary)
