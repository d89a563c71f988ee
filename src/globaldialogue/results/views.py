"""The public results page of a survey. Readable without JS; a small script refreshes it."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from globaldialogue.lib.languages import choose_language, is_bidi, language_name, ui_language
from globaldialogue.results.api import cached_results
from globaldialogue.surveys import access
from globaldialogue.surveys.definition import definition_for


@require_GET
def survey_results_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = access.public_survey(slug, request.user)
    assert survey.current_version is not None
    language = choose_language(request, survey.languages)
    by = request.GET.get("by", "")
    if by and by not in {q.key for q in definition_for(survey.current_version).breakdowns}:
        raise Http404("No such breakdown")
    context = {
        "survey": survey,
        "title": survey.title_in(language),
        "language": language,
        "direction": "rtl" if is_bidi(language) else "ltr",
        "languages": [(code, language_name(code)) for code in survey.languages],
        "path": request.path,
        "by": by,
        "results": cached_results(survey, language=language, by=by),
        "refresh_ms": settings.RESULTS_REFRESH_SECONDS * 1000,
    }
    with translation.override(ui_language(language)):
        return render(request, "results/survey.html", context)
