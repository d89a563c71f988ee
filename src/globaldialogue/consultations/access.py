"""Fetching consultations: for the public (missing: 404), and for the back office, where what
a person may see and do follows their roles (consultations.permissions.TABLE)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from globaldialogue.consultations.models import (
    Consultation,
    Membership,
    Organization,
    TextTranslation,
    TranslatableText,
)
from globaldialogue.consultations.permissions import Phase, Role, allows, roles_for


def public_consultation(slug: str) -> Consultation:
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise Http404("No such consultation")
    return consultation


def is_operator(user: Any) -> bool:
    """Operators (superusers) run the platform: the permission table does not bind them."""
    return bool(user.is_active and user.is_superuser)


def role_map(user: Any) -> dict[int, frozenset[Role]]:
    """Consultation id -> the user's roles on it (held on it or on its organization); read
    once per request (kept on the user object, which lives as long as the request)."""
    cached: dict[int, frozenset[Role]] | None = getattr(user, "_roles_by_consultation", None)
    if cached is None:
        cached = _read_roles(user) if user.is_authenticated and user.is_active else {}
        user._roles_by_consultation = cached
    return cached


def _read_roles(user: Any) -> dict[int, frozenset[Role]]:
    held: dict[int, set[str]] = {}
    by_organization: dict[int, set[str]] = {}
    for membership in Membership.objects.filter(user=user):
        if membership.organization_id is not None:
            by_organization.setdefault(membership.organization_id, set()).add(membership.role)
        else:
            held.setdefault(membership.consultation_id, set()).add(membership.role)  # type: ignore[arg-type]
    pairs = Consultation.objects.filter(organization__in=by_organization)
    for consultation_id, organization_id in pairs.values_list("id", "organization_id"):
        held.setdefault(consultation_id, set()).update(by_organization[organization_id])
    return {cid: frozenset(Role(role) for role in roles) for cid, roles in held.items()}


def may(user: Any, action: str, consultation_id: int | None, phase: Phase) -> bool:
    """Whether `user` may do `action` to an object in `phase` of that consultation."""
    if is_operator(user):
        return True
    roles = role_map(user).get(consultation_id, frozenset()) if consultation_id else frozenset()
    return allows(roles, action, phase)


def consultation_ids(user: Any, action: str) -> set[int] | None:
    """The consultations where `user` may do `action` in some phase (None: all of them)."""
    if is_operator(user):
        return None
    wanted = roles_for(action)
    return {cid for cid, roles in role_map(user).items() if roles & wanted}


def may_somewhere(user: Any, action: str) -> bool:
    ids = consultation_ids(user, action)
    return ids is None or bool(ids)


def organizations_run_by(user: Any, roles: tuple[Role, ...]) -> Any:
    """The organizations on which `user` holds one of `roles` itself (all, for operators)."""
    if is_operator(user):
        return Organization.objects.all()
    held = Organization.objects.filter(memberships__user=user, memberships__role__in=roles)
    return held.distinct()  # once, though held in two of the roles


def consultations_for(user: Any, *actions: str) -> Any:
    """The consultations where `user` may do one of `actions`, as a queryset (choices)."""
    everything = Consultation.objects.all()
    if is_operator(user):
        return everything
    ids = set().union(*(consultation_ids(user, action) or () for action in actions))
    return everything.filter(pk__in=ids)


def roles_in_words(user_id: str, consultation_slug: str) -> str:
    """For the audit trail: the roles a user acted in, e.g. "organizer" or "operator"."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id.isdigit() else None
    if user is None:
        return ""
    consultation = Consultation.objects.filter(slug=consultation_slug).first()
    roles = role_map(user).get(consultation.pk, frozenset()) if consultation else frozenset()
    words = sorted(role.value for role in roles)
    return ", ".join(["operator", *words] if is_operator(user) else words)


# --- texts waiting for translators (consultations.admin_translation) --------------------------


def text_queue(consultation: Consultation, language: str, *, limit: int) -> list[TranslatableText]:
    """Texts still waiting for a person's translation into `language` (none yet, or only a
    machine's), oldest first; each with `machine_text` ("" or the machine's)."""
    found = list(_untranslated(consultation, language).order_by("offered_at", "pk")[:limit])
    machine = TextTranslation.objects.filter(original__in=found, language=language, reviewed=False)
    texts = dict(machine.values_list("original_id", "text"))
    for text in found:
        text.machine_text = texts.get(text.pk, "")  # type: ignore[attr-defined]
    return found


def text_languages(consultation: Consultation) -> list[str]:
    """The consultation's languages, and any other its texts are wanted in."""
    offered = TranslatableText.objects.filter(consultation=consultation)
    wanted = offered.values_list("wanted", flat=True).distinct()
    more = (code for codes in wanted for code in codes.split(",") if code)
    return list(dict.fromkeys([*consultation.languages, *more]))


def texts_waiting(consultation: Consultation) -> dict[str, int]:
    """Per language: how many texts wait for a person's translation into it."""
    return {
        code: _untranslated(consultation, code).count() for code in text_languages(consultation)
    }


def _untranslated(consultation: Consultation, language: str) -> QuerySet[TranslatableText]:
    done = TextTranslation.objects.filter(
        original__consultation=consultation, language=language, reviewed=True
    )
    offered = TranslatableText.objects.filter(
        consultation=consultation, wanted__contains=f",{language},"
    )
    return offered.exclude(pk__in=done.values("original_id"))
