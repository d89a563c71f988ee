"""A printed batch as a PDF: one form per serial number, in the batch's language, with the
questions of the version it was printed from. Each option's code is printed small beside its
box: the typing template's cells take those codes. WeasyPrint lays it out (Pango shapes
Arabic and Chinese), as it does the results report."""

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from globaldialogue.lib.languages import is_bidi, ui_language
from globaldialogue.lib.translated import pick
from globaldialogue.paper.models import PaperBatch
from globaldialogue.paper.serials import format_serial
from globaldialogue.surveys.columns import answer_columns
from globaldialogue.surveys.definition import QuestionDef, definition_for
from globaldialogue.surveys.presenters import ShownOption, shown_options


@dataclass(frozen=True)
class PrintedQuestion:
    number: int
    key: str
    type: str
    label: str
    hint: str
    options: list[ShownOption]
    conditional: bool


def forms_html(batch: PaperBatch) -> str:
    definition = definition_for(batch.version)
    language = batch.language
    fallbacks = definition.languages
    questions = [
        PrintedQuestion(
            number,
            q.key,
            q.type,
            pick(q.label, language, fallbacks),
            pick(q.hint, language, fallbacks),
            _options(q, language, fallbacks),
            bool(q.relevant),
        )
        for number, q in enumerate(definition.questions, start=1)
    ]
    context = {
        "title": pick(definition.title, language, fallbacks),
        "intro": pick(definition.intro, language, fallbacks),
        "language": language,
        "direction": "rtl" if is_bidi(language) else "ltr",
        "questions": questions,
        "serials": [format_serial(n) for n in range(batch.first, batch.last + 1)],
    }
    with translation.override(ui_language(language)):
        return render_to_string("paper/forms.html", context)


def _options(question: QuestionDef, language: str, fallbacks: Any) -> list[ShownOption]:
    # A country is written in, not chosen from 249 boxes; it is typed as its ISO code.
    return [] if question.type == "country" else shown_options(question, language, fallbacks)


def forms_pdf(batch: PaperBatch) -> bytes:
    from weasyprint import HTML  # loads Pango: only where forms are printed

    return bytes(HTML(string=forms_html(batch)).write_pdf())


def template_rows(batch: PaperBatch) -> list[list[str]]:
    """The typing template of a batch: the header, then a row per serial with its language."""
    names = [c.name for c in answer_columns(definition_for(batch.version))]
    header = ["serial", "language", "submitted_at", *names]
    blank = [""] * (len(names) + 1)
    return [header] + [
        [format_serial(n), batch.language, *blank] for n in range(batch.first, batch.last + 1)
    ]
