"""The only way to fetch a consultation and what it holds for the public. Missing: 404."""

from django.http import Http404

from globaldialogue.consultations.models import Consultation
from globaldialogue.surveys.models import Survey


def public_consultation(slug: str) -> Consultation:
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise Http404("No such consultation")
    return consultation


def public_surveys(consultation: Consultation) -> list[Survey]:
    """Its open and closed surveys (not drafts), oldest first."""
    surveys = Survey.objects.filter(consultation=consultation, current_version__isnull=False)
    surveys = surveys.exclude(status=Survey.Status.DRAFT).select_related("current_version")
    return list(surveys.order_by("pk"))
