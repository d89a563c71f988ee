"""The only way to fetch a survey for someone. Missing and forbidden look the same: 404."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from globaldialogue.accounts.models import ApiKey
from globaldialogue.surveys.models import Survey


def public_survey(slug: str, user: AbstractBaseUser | AnonymousUser | None = None) -> Survey:
    """A published or closed survey; drafts only for staff who preview them."""
    survey = (
        Survey.objects.select_related("current_version", "consultation").filter(slug=slug).first()
    )
    if survey is None or survey.current_version is None:
        raise Http404("No such survey")
    if survey.status == Survey.Status.DRAFT and not getattr(user, "is_staff", False):
        raise Http404("No such survey")
    return survey


def partner_survey(slug: str, key: ApiKey) -> Survey:
    """A public survey that the partner's key may submit to (its consultation, if it has one)."""
    survey = public_survey(slug)
    if key.consultation_id is not None and survey.consultation_id != key.consultation_id:
        raise Http404("No such survey")
    return survey
