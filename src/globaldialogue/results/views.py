"""The public results page of a survey. Readable without JS; a small script refreshes it."""

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from globaldialogue.consultations import access as consultation_access
from globaldialogue.lib import perturb
from globaldialogue.lib.languages import choose_language, is_bidi, page_frame, ui_language
from globaldialogue.results import dashboard, published, report, tasks
from globaldialogue.results.api import cached_results
from globaldialogue.surveys import access
from globaldialogue.surveys.definition import definition_for
from globaldialogue.surveys.presenters import page_context

# A page lists the largest groups; the API and exports have them all.
PAGE_GROUPS = 30
REPORT_RETRY_SECONDS = 5  # how often the page saying the report is being made checks again
FILTER_LABELS = {
    "region": _("Region"),
    "country": _("Country"),
    "age_group": _("Age group"),
    "gender": _("Gender"),
    "education": _("Education"),
}


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
        "tables": (tables := _cross_tables(results.get("breakdown"))),
        "weighted_tables": any(
            cell["weighted"] for table in tables for row in table["rows"] for cell in row["cells"]
        ),
        "hidden_groups": max(0, len(results.get("breakdown", {}).get("groups", ())) - PAGE_GROUPS),
        "refresh_ms": settings.RESULTS_REFRESH_SECONDS * 1000,
        "perturbed_most": perturb.MOST,
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
    counts = table["counts"][index] or [None] * len(table["options"])
    answered = table["answered"][index]
    weighted = table.get("weighted")  # none where the cells do not hold the breakdown
    estimates = (weighted[index] if weighted else None) or [None] * len(counts)
    cells = [
        {
            "option": option["key"],
            "count": count,
            "percent": round(100 * count / answered) if count is not None and answered else None,
            "weighted": _percents(estimate),
        }
        for option, count, estimate in zip(table["options"], counts, estimates, strict=True)
    ]
    return {"group": group, "answered": answered, "cells": cells}


def _percents(estimate: list[float | None] | None) -> dict[str, int | None] | None:
    """[share, low, high] as whole percentages for a table cell."""
    if estimate is None:
        return None
    share, low, high = (None if value is None else round(100 * value) for value in estimate)
    return {"share": share, "low": low, "high": high}


@require_GET
def dashboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A consultation's results on one page, filtered and switched by a plain GET form;
    with format=json, the same figures as data (dashboard.as_json)."""
    consultation = consultation_access.public_consultation(slug)
    language = choose_language(request, consultation.languages)
    surveys = access.public_surveys(consultation)
    survey = next((s for s in surveys if s.slug == request.GET.get("survey")), None)
    survey = survey or (surveys[0] if surveys else None)
    rtl = is_bidi(language)
    context: dict[str, Any] = {
        **page_frame(
            request.path, consultation.title_in(language), language, consultation.languages
        ),
        "consultation": consultation,
        "surveys": surveys,
        "survey": survey,
        "conversations": dashboard.conversations_for(consultation, language),
        "events": dashboard.events_for(consultation, language),
    }
    status = 200
    if survey is not None:
        context.update(_survey_context(request, survey, language, rtl))
        status = 400 if context["selection"].problems else 200
    with translation.override(ui_language(language)):
        if request.GET.get("format") == "json":
            return JsonResponse(dashboard.as_json(context, language), status=status)
        return render(request, "results/dashboard.html", context, status=status)


def _survey_context(request: HttpRequest, survey: Any, language: str, rtl: bool) -> dict[str, Any]:
    view = dashboard.survey_view(survey, request.GET, language=language, rtl=rtl)
    return {
        "selection": view.selection,
        "figures": view.figures,
        "open_data": published.latest(survey),
        "filters": [
            {
                "key": key,
                "label": FILTER_LABELS[key],
                "options": options,
                "value": view.selection.chosen.get(key, ""),
            }
            for key, options in view.choices.items()
        ],
        "themes": view.themes,
        "themes_follow": view.themes_follow,
        "threshold": survey.suppression_threshold,
        "perturbed_most": perturb.MOST,
    }


@require_GET
def report_download(request: HttpRequest, slug: str) -> HttpResponse | FileResponse:
    """The consultation's PDF report in the reader's language, made in the background once
    per change: the earlier one meanwhile, or a page saying it is being made."""
    consultation = consultation_access.public_consultation(slug)
    language = choose_language(request, consultation.languages)
    path = report.current_path(consultation, language)
    if not path.exists():
        tasks.request_report(consultation.pk, language, path.name)
    if not path.exists():  # made already where tasks run at once
        path = report.earlier_pdf(consultation, language) or path
    waiting = "waiting" in request.GET  # the pending page reloading: no download loop
    if waiting or not path.exists():
        return _report_pending(request, consultation, language, ready=path.exists())
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{consultation.slug}-report-{language}.pdf",
        content_type="application/pdf",
    )


def _report_pending(
    request: HttpRequest, consultation: Any, language: str, *, ready: bool
) -> HttpResponse:
    """While the report is made: a page to check again (by a link, or by itself with
    results/report.js: no reload, no auto-refresh, which WCAG rules out), then its link."""
    context = {
        **page_frame(
            request.path, consultation.title_in(language), language, consultation.languages
        ),
        "consultation": consultation,
        "ready": ready,
        "retry_seconds": REPORT_RETRY_SECONDS,
    }
    with translation.override(ui_language(language)):
        response = render(
            request, "results/report_pending.html", context, status=200 if ready else 202
        )
    if not ready:
        response["Retry-After"] = str(REPORT_RETRY_SECONDS)
    return response


@require_GET
def open_data_download(request: HttpRequest, slug: str, kind: str) -> FileResponse:
    """The survey's latest public dataset: csv, parquet or its codebook."""
    survey = access.public_survey(slug, request.user)
    analysis = published.latest(survey)
    files = published.paths(analysis) if analysis else {}
    if kind not in files or not files[kind].exists():
        raise Http404("No public dataset yet; it is written in the background.")
    suffix = "codebook.csv" if kind == "codebook" else kind
    return FileResponse(
        files[kind].open("rb"),
        as_attachment=True,
        filename=f"{survey.slug}-public.{suffix}",
        content_type=published.FORMATS.get(kind, "text/csv; charset=utf-8"),
    )
