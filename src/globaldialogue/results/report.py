"""The consultation report as a PDF: headline findings, a chart and table per question,
themes with quotes, discussions and dialogues, and the methods (weighting, margins of error,
suppression, themes), in one language. The figures are the dashboard's, unfiltered and
weighted where the survey can be; WeasyPrint lays out the same HTML and SVG (Pango shapes
Arabic and Chinese).

Reports are kept in DATA_DIR/reports, named after what they were made from, so a download
costs one layout per change of the results, not one per visitor."""

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from globaldialogue.consultations.models import Consultation
from globaldialogue.deliberation.models import ConversationMap
from globaldialogue.dialogues.models import Event, GroupReport
from globaldialogue.lib import perturb
from globaldialogue.lib.languages import is_bidi, language_name, ui_language
from globaldialogue.results import dashboard
from globaldialogue.results.models import Analysis, Snapshot, Theme
from globaldialogue.surveys.access import public_surveys
from globaldialogue.surveys.models import Survey
from globaldialogue.weighting.raking import DEFAULT_CAP

QUOTES_PER_THEME = 3


def report_context(consultation: Consultation, language: str) -> dict[str, Any]:
    surveys = [
        _survey_section(survey, language, is_bidi(language))
        for survey in public_surveys(consultation)
    ]
    return {
        "consultation": consultation,
        "title": consultation.title_in(language),
        "language": language,
        "language_name": language_name(language),
        "direction": "rtl" if is_bidi(language) else "ltr",
        "made_at": timezone.now(),
        "surveys": surveys,
        "conversations": dashboard.conversations_for(consultation, language),
        "events": dashboard.events_for(consultation, language),
        "trim_cap": DEFAULT_CAP,
        "perturbed_most": perturb.MOST,
    }


def _survey_section(survey: Survey, language: str, rtl: bool) -> dict[str, Any]:
    # Unfiltered and weighted; the dashboard's filter questions (who answered) are left out
    # of the figures, as they are not findings.
    view = dashboard.survey_view(survey, None, language=language, rtl=rtl)
    figures, themes = view.figures, view.themes
    for question in themes:
        for theme in question["themes"]:
            theme["quotes"] = theme["quotes"][:QUOTES_PER_THEME]
    return {
        "survey": survey,
        "title": survey.title_in(language),
        "figures": figures,
        "findings": [found for q in figures["questions"] if (found := _finding(q))],
        "themes": themes,
        "threshold": survey.suppression_threshold,
        "synthetic": _synthetic(survey),
    }


def _finding(question: dict[str, Any]) -> dict[str, Any] | None:
    """The most chosen answer of a question, weighted where it can be."""
    rows = [row for row in question["rows"] if (row["weighted"] or row["share"]) is not None]
    if not rows:
        return None
    top = max(
        rows, key=lambda row: row["weighted"] if row["weighted"] is not None else row["share"]
    )
    return {"question": question["label"], **top}


def _synthetic(survey: Survey) -> int:
    snapshot = Snapshot.objects.filter(survey=survey, by="").values_list("data", flat=True).first()
    return int(snapshot.get("synthetic", 0)) if snapshot else 0


def report_html(consultation: Consultation, language: str) -> str:
    """The report's page, as the PDF is printed from it."""
    with translation.override(ui_language(language)):
        return render_to_string("results/report.html", report_context(consultation, language))


def render_pdf(consultation: Consultation, language: str) -> bytes:
    from weasyprint import HTML  # loads Pango: only where a report is made

    return bytes(HTML(string=report_html(consultation, language)).write_pdf())


def current_path(consultation: Consultation, language: str) -> Path:
    """Where the report for the results as they are now is, once made."""
    return _folder() / f"{consultation.slug}-{language}-{_stamp(consultation)}.pdf"


def earlier_pdf(consultation: Consultation, language: str) -> Path | None:
    """The report made before the results last changed, if any: given while the new one is
    made (a minute's difference matters less than a reader kept waiting)."""
    made = sorted(
        _folder().glob(f"{consultation.slug}-{language}-*.pdf"), key=lambda p: p.stat().st_mtime
    )
    return made[-1] if made else None


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "reports"


def stored_pdf(consultation: Consultation, language: str) -> Path:
    """The report for the results as they are now: made once, then read from disk."""
    folder = _folder()
    path = current_path(consultation, language)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(render_pdf(consultation, language))
        partial.replace(path)  # whole or not at all, for a visitor downloading meanwhile
        for old in folder.glob(f"{consultation.slug}-{language}-*.pdf"):
            if old != path:  # kept until now: visitors were given it meanwhile
                old.unlink(missing_ok=True)
    return path


def _stamp(consultation: Consultation) -> str:
    """Changes whenever anything the report shows does."""
    latest = [
        Snapshot.objects.filter(survey__consultation=consultation).aggregate(t=Max("computed_at")),
        Analysis.objects.filter(survey__consultation=consultation).aggregate(t=Max("finished_at")),
        ConversationMap.objects.filter(conversation__consultation=consultation).aggregate(
            t=Max("computed_at")
        ),
        GroupReport.objects.filter(group__event__consultation=consultation).aggregate(
            t=Max("filed_at")
        ),
    ]
    public = Event.objects.filter(consultation=consultation, reports_public=True)
    edits = Theme.objects.filter(analysis__survey__consultation=consultation, parent=None)
    parts = [
        *(str(row["t"]) for row in latest),
        str(sorted(public.values_list("pk", flat=True))),
        str(sorted(edits.values_list("pk", "name", "hidden", "merged_into"))),
        version("globaldialogue"),  # a new release may lay reports out differently
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
