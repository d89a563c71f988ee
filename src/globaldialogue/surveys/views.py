"""The participant's pages: the survey form and the thank-you page. Both work without JS."""

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from globaldialogue.lib.errors import Errors
from globaldialogue.lib.languages import (
    choose_language,
    is_bidi,
    page_language,
    remember_language,
    ui_language,
)
from globaldialogue.lib.ratelimit import client_ip, retry_after
from globaldialogue.lib.translated import pick
from globaldialogue.surveys import access, actions
from globaldialogue.surveys.definition import Definition, definition_for
from globaldialogue.surveys.forms import answers_from_post, selected_keys
from globaldialogue.surveys.logic import asked_keys, page_calculations, page_logic
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.presenters import country_options, page_context, shown_options
from globaldialogue.surveys.validation import DEFAULT_TEXT_LIMIT


# Anonymous and idempotent by response id: a forged cross-site POST could only submit a
# survey, which anyone can do directly; CSRF cookies would break cookieless phones.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = access.public_survey(slug, request.user)
    language = page_language(request, survey.languages)
    with translation.override(ui_language(language)):
        if survey.status == Survey.Status.CLOSED:
            return _render(
                request,
                "surveys/closed.html",
                survey,
                language,
                status=409 if request.method == "POST" else 200,
            )
        if request.method == "POST":
            return _submit(request, survey, language)
        response = _form(request, survey, language, response_id=uuid.uuid4())
    remember_language(request, response, language)
    return response


def _submit(request: HttpRequest, survey: Survey, language: str) -> HttpResponse:
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    answers = answers_from_post(definition, request.POST)
    raw_id = request.POST.get("response_id", "")
    if wait := retry_after("submit-ip", client_ip(request), settings.RATE_SUBMIT_PER_IP):
        response = _render(request, "surveys/busy.html", survey, language, status=429)
        response["Retry-After"] = str(wait)
        return response
    submission = actions.Submission(id=raw_id, language=language, answers=answers)
    try:
        outcome = actions.submit_response(survey=survey, submission=submission, channel="web")
    except actions.SurveyClosed:
        return _render(request, "surveys/closed.html", survey, language, status=409)
    if outcome.status == "invalid":
        return _form(request, survey, language, _parse_uuid(raw_id), answers, outcome.errors)
    if outcome.status == "conflict":
        return _render(request, "surveys/already_sent.html", survey, language, status=409)
    # Redirect after POST: refreshing the thank-you page never submits again.
    thanks = reverse("surveys:thanks", args=[survey.slug])
    return HttpResponseRedirect(f"{thanks}?receipt={outcome.receipt}&lang={language}", status=303)


def _parse_uuid(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return uuid.uuid4()


def _form(
    request: HttpRequest,
    survey: Survey,
    language: str,
    response_id: uuid.UUID,
    answers: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> HttpResponse:
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    answers, errors = answers or {}, errors or {}
    # A page sent back after an error hides what is not asked (the page's script does the
    # same as one answers); the first shows all, for those without JavaScript.
    asked = asked_keys(definition, answers) if errors else set(definition.questions_by_key)
    questions = [
        _question_context(q, definition.languages, language, response_id, answers, errors)
        | _logic_context(q, definition, language, asked)
        for q in definition.questions
    ]
    context = {
        "has_logic": definition.has_logic,
        "calculations": page_calculations(definition) if definition.calculations else "",
        "intro": pick(definition.intro, language, definition.languages),
        "main_questions": [q for q in questions if not q["demographic"]],
        "about_questions": [q for q in questions if q["demographic"]],
        "response_id": response_id,
        "error_count": len(errors),
        "form_errors": [
            *errors.get("id", []),
            *errors.get("language", []),
            *errors.get("answers", []),
        ],
    }
    return _render(
        request, "surveys/survey.html", survey, language, context, status=422 if errors else 200
    )


def _question_context(
    question: Any,
    fallbacks: tuple[str, ...],
    language: str,
    seed: uuid.UUID,
    answers: dict[str, Any],
    errors: Errors,
) -> dict[str, Any]:
    chosen, other_text = selected_keys(answers.get(question.key))
    return {
        "key": question.key,
        "type": question.type,
        "label": pick(question.label, language, fallbacks),
        "hint": pick(question.hint, language, fallbacks),
        "required": question.required,
        "demographic": question.demographic,
        "max_choices": question.max_choices,
        "max_length": question.max_length or DEFAULT_TEXT_LIMIT,
        "min_value": question.min_value,
        "max_value": question.max_value,
        "options": (
            shown_options(question, language, fallbacks, seed)
            if question.is_choice and question.type != "country"
            else []
        ),
        "country_options": (
            country_options(language, set(chosen)) if question.type == "country" else ""
        ),
        "chosen": chosen,
        "other_text": other_text,
        "value": answers.get(question.key, "") if not question.is_choice else "",
        "errors": errors.get(question.key, []),
    }


def _logic_context(
    question: Any, definition: Definition, language: str, asked: set[str]
) -> dict[str, Any]:
    return {
        "logic": page_logic(question, language, definition.languages),
        "required_when": "required_when" in question.logic,
        "asked": question.key in asked,
    }


@require_GET
def thanks_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = access.public_survey(slug, request.user)
    language = choose_language(request, survey.languages)
    receipt = request.GET.get("receipt", "")[:11]
    with translation.override(ui_language(language)):
        return _render(request, "surveys/thanks.html", survey, language, {"receipt": receipt})


@require_GET
def saved_page(request: HttpRequest, slug: str) -> HttpResponse:
    """What the service worker shows when answers were sent offline (it keeps a copy)."""
    survey = access.public_survey(slug, request.user)
    language = choose_language(request, survey.languages)
    with translation.override(ui_language(language)):
        return _render(request, "surveys/saved.html", survey, language)


@require_GET
def service_worker(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey's offline worker (templates/surveys/sw.js); its scope is the survey."""
    access.public_survey(slug, request.user)
    response = render(request, "surveys/sw.js", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # a new worker reaches phones on their next visit
    return response


@require_GET
def manifest(request: HttpRequest, slug: str) -> JsonResponse:
    """So a phone can keep the survey on its home screen and open it offline."""
    survey = access.public_survey(slug, request.user)
    language = choose_language(request, survey.languages)
    start = reverse("surveys:survey", args=[slug]) + f"?lang={language}"
    data = {
        "name": survey.title_in(language),
        "short_name": survey.title_in(language)[:30],
        "lang": language,
        "dir": "rtl" if is_bidi(language) else "ltr",
        "start_url": start,
        "scope": reverse("surveys:survey", args=[slug]),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def _render(
    request: HttpRequest,
    template: str,
    survey: Survey,
    language: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    base = page_context(request, survey, language)
    return render(request, template, {**base, **(context or {})}, status=status)
