"""The only way to fetch a survey for someone. Missing and forbidden look the same: 404."""

import time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from globaldialogue.accounts.access import may_enter, require_scope
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.consultations.access import consultation_ids, may
from globaldialogue.consultations.models import Consultation
from globaldialogue.consultations.permissions import Phase
from globaldialogue.surveys.definition import Definition, definition_for
from globaldialogue.surveys.models import Survey, SurveyVersion


def public_survey(slug: str, user: AbstractBaseUser | AnonymousUser | None = None) -> Survey:
    """A published or closed survey; a draft only for whoever may see it in the back office
    (its consultation's roles, signed in with both factors), to preview it."""
    survey = (
        Survey.objects.select_related("current_version", "consultation").filter(slug=slug).first()
    )
    if survey is None or survey.current_version is None:
        raise Http404("No such survey")
    if survey.status == Survey.Status.DRAFT and not _previews(user, survey):
        raise Http404("No such survey")
    return survey


def _previews(user: AbstractBaseUser | AnonymousUser | None, survey: Survey) -> bool:
    if user is None or not user.is_authenticated or not may_enter(user):
        return False
    return may(user, "survey.view", survey.consultation_id, Phase.DRAFT)


def open_surveys_for(user: Any, action: str, *, drafts: bool = False) -> QuerySet[Survey]:
    """Open surveys (and drafts, if asked) of the consultations where `user` may do `action`
    (a form's choices)."""
    statuses = [Survey.Status.PUBLISHED, *([Survey.Status.DRAFT] if drafts else [])]
    found = Survey.objects.filter(status__in=statuses).order_by("slug")
    ids = consultation_ids(user, action)
    return found if ids is None else found.filter(consultation_id__in=ids)


def listed_surveys() -> list[Survey]:
    """What the home page lists: every survey that is open or closed, not drafts."""
    surveys = Survey.objects.exclude(status=Survey.Status.DRAFT).select_related("consultation")
    return list(surveys.exclude(current_version=None))


def public_surveys(consultation: Consultation) -> list[Survey]:
    """A consultation's open and closed surveys (not drafts), oldest first."""
    surveys = Survey.objects.filter(consultation=consultation, current_version__isnull=False)
    surveys = surveys.exclude(status=Survey.Status.DRAFT).select_related("current_version")
    return list(surveys.order_by("pk"))


# Intake looks the survey up on every submission; a second's reuse saves a query and the
# definition's JSON each time. Changes (closing, a new version) reach other processes within
# INTAKE_TTL; actions forget the entry at once in the process that made them.
INTAKE_TTL = 1.0
_intake: dict[str, tuple[float, Survey]] = {}


def intake_survey(slug: str) -> Survey:
    """public_survey() for submissions: without its big text fields, reused for a second."""
    now = time.monotonic()
    cached = _intake.get(slug)
    if cached is not None and cached[0] > now:
        return cached[1]
    survey = (
        Survey.objects.select_related("current_version")
        .defer("title", "intro", "current_version__definition")
        .filter(slug=slug)
        .first()
    )
    if survey is None or survey.current_version is None or survey.status == Survey.Status.DRAFT:
        raise Http404("No such survey")
    _intake[slug] = (now + INTAKE_TTL, survey)
    return survey


def published_survey(slug: str) -> Survey | None:
    """For operators (the command line): a survey that has a version, whatever its status."""
    return (
        Survey.objects.select_related("current_version")
        .filter(slug=slug, current_version__isnull=False)
        .first()
    )


def forget_survey(slug: str | None = None) -> None:
    """Drop cached lookups (all of them without a slug), e.g. after the survey changed."""
    if slug is None:
        _intake.clear()
    else:
        _intake.pop(slug, None)


def partner_intake_survey(slug: str, key: ApiKey) -> Survey:
    survey = intake_survey(slug)
    if key.consultation_id is not None and survey.consultation_id != key.consultation_id:
        raise Http404("No such survey")
    require_scope(key, Scope.RESPONSES, survey.consultation_id)
    return survey


def answered_definition(survey: Survey, number: int | None) -> Definition:
    """The definition a submission answers: its version's if it names one the survey has
    (offline forms answer an older one for a while), else the current one."""
    assert survey.current_version is not None
    current = definition_for(survey.current_version)
    if number is None or number == current.number:
        return current
    version = SurveyVersion.objects.filter(survey=survey, number=number).first()
    return definition_for(version) if version is not None else current
