"""The only way to fetch a consultation for the public. Missing: 404."""

from django.http import Http404

from globaldialogue.consultations.models import Consultation


def public_consultation(slug: str) -> Consultation:
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise Http404("No such consultation")
    return consultation
