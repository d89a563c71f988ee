"""The public results page of a survey. Readable without JS; a small script refreshes it."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from globaldialogue.lib.languages import choose_language, ui_language
from globaldialogue.results.api import cached_results
from globaldialogue.surveys import access
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.presenters import page_context

# A page lists the largest groups; the API and exports have them all.
PAGE_GROUPS = 30


@require_GET
def survey_results_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = access.public_survey(slug, request.user)
    assert survey.current_version is not None
    language = choose_language(request, survey.languages)
    by = request.GET.get("by", "")
    if by and by not in {q.key for q in definition_for(survey.current_version).breakdowns}:
        raise Http404("No such breakdown")
    results = cached_results(survey, language=language, by=by)
    context = {
        **page_context(request, survey, language),
        "by": by,
        "results": results,
        "tables": _cross_tables(results.get("breakdown")),
        "hidden_groups": max(0, len(results.get("breakdown", {}).get("groups", ())) - PAGE_GROUPS),
        "refresh_ms": settings.RESULTS_REFRESH_SECONDS * 1000,
    }
    with translation.override(ui_language(language)):
        return render(request, "results/survey.html", context)


def _cross_tables(breakdown: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The API's cross-tables as rows a template can print: one per shown group."""
    if not breakdown:
        return []
    groups = breakdown["groups"][:PAGE_GROUPS]
    return [
        {
            "key": table["key"],
            "label": table["label"],
            "options": table["options"],
            "rows": [_row(table, index, group) for index, group in enumerate(groups)],
        }
        for table in breakdown["questions"]
    ]


def _row(table: dict[str, Any], index: int, group: dict[str, Any]) -> dict[str, Any]:
    counts = table["counts"][index]
    answered = table["answered"][index]
    cells = [
        {
            "option": option["key"],
            "count": count,
            "percent": round(100 * count / answered) if count is not None and answered else None,
        }
        for option, count in zip(
            table["options"], counts or [None] * len(table["options"]), strict=True
        )
    ]
    return {"group": group, "answered": answered, "cells": cells}
