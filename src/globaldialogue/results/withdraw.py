"""/s/{slug}/withdraw/: a respondent takes their answers back with the receipt code the
thank-you page gave them (results.actions.withdraw_response). Plain forms, no JavaScript,
no account: the code is the proof. Guessing codes is throttled per network."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from globaldialogue.lib.languages import choose_language, ui_language
from globaldialogue.lib.origin import same_origin
from globaldialogue.lib.ratelimit import client_ip, retry_after
from globaldialogue.results.actions import withdraw_response
from globaldialogue.surveys import access
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.presenters import page_context


@csrf_exempt  # the receipt code is the proof; other sites' posts are refused below
@require_http_methods(["GET", "POST"])
def withdraw_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = access.public_survey(slug)
    language = choose_language(request, survey.languages)
    with translation.override(ui_language(language)):
        if request.method == "GET":
            return _page(request, survey, language, {})
        if not same_origin(request):
            error = _("This form was sent from another site.")
            return _page(request, survey, language, {"error": error}, 403)
        if retry_after("withdraw-ip", client_ip(request), settings.RATE_WITHDRAW_PER_IP):
            error = _("Too many attempts from your network; try again later.")
            return _page(request, survey, language, {"error": error}, 429)
        receipt = str(request.POST.get("receipt", ""))[:40]
        if not withdraw_response(survey=survey, receipt=receipt):
            error = _("No response has this code. Check it and try again.")
            return _page(request, survey, language, {"error": error, "receipt": receipt}, 404)
        return _page(request, survey, language, {"done": True})


def _page(
    request: HttpRequest, survey: Survey, language: str, extra: dict, status: int = 200
) -> HttpResponse:
    context = {**page_context(request, survey, language), "language": language, **extra}
    return render(request, "results/withdraw.html", context, status=status)
