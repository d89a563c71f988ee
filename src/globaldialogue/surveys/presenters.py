"""A survey version shown in one language: for the API and for the participant page."""

import functools
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from globaldialogue.lib.countries import country_names
from globaldialogue.lib.languages import page_frame
from globaldialogue.lib.translated import pick
from globaldialogue.surveys.definition import (
    QUESTION_EXPRESSIONS,
    Definition,
    QuestionDef,
    definition_for,
)
from globaldialogue.surveys.models import Survey
from globaldialogue.surveys.validation import DEFAULT_TEXT_LIMIT


@dataclass(frozen=True)
class ShownOption:
    key: str
    label: str
    is_other: bool = False
    filters: dict[str, str] = field(default_factory=dict)  # what a choice filter reads

    @property
    def columns_json(self) -> str:
        """What the page's choice filter reads of this option (logic.js), as JSON."""
        return json.dumps({"name": self.key, **self.filters}) if self.filters else ""


def shown_options(
    question: QuestionDef, language: str, fallbacks: tuple[str, ...], seed: uuid.UUID | None = None
) -> list[ShownOption]:
    """Options in `language`; shuffled per respondent when asked, with "other" kept last."""
    if question.type == "country":
        return [ShownOption(code, name) for code, name in country_names(language)]
    options = [
        ShownOption(o.key, pick(o.label, language, fallbacks), o.is_other, o.filters)
        for o in question.options
    ]
    if question.shuffle and seed is not None:
        # Seeded by the response id, so a page shown again after an error keeps its order.
        movable = [o for o in options if not o.is_other]
        random.Random(seed.int).shuffle(movable)  # noqa: S311 - ordering, not security
        options = movable + [o for o in options if o.is_other]
    return options


def country_options(language: str, chosen: set[str] | frozenset[str]) -> SafeString:
    """The country list's <option>s, made once per language and process (249 of them were
    a third of the survey page's rendering time), with the chosen ones selected."""
    html = _country_options(language)
    for key in chosen:
        html = html.replace(
            f'<option value="{escape(key)}">', f'<option value="{escape(key)}" selected>'
        )
    return mark_safe(html)  # noqa: S308 - built from escaped names and codes only


@functools.cache
def _country_options(language: str) -> str:
    return "".join(
        f'<option value="{escape(code)}">{escape(name)}</option>'
        for code, name in country_names(language)
    )


def definition_json(survey: Survey, language: str) -> dict[str, Any]:
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    return {
        "slug": survey.slug,
        "status": survey.status,
        "version": definition.number,
        "language": language,
        "languages": list(definition.languages),
        "title": definition.title_in(language),
        "intro": pick(definition.intro, language, definition.languages),
        "questions": [_question_json(q, definition, language) for q in definition.questions],
        # XLSForm expressions (docs/surveys.md "Logic"); values other expressions read.
        "calculations": [{"key": k, "expression": e} for k, e in definition.calculations],
    }


def _question_json(question: QuestionDef, definition: Definition, language: str) -> dict[str, Any]:
    options = shown_options(question, language, definition.languages)
    data: dict[str, Any] = {
        "key": question.key,
        "type": question.type,
        "label": pick(question.label, language, definition.languages),
        "hint": pick(question.hint, language, definition.languages),
        "required": question.required,
        "demographic": question.demographic,
        "max_choices": question.max_choices,
        "shuffle": question.shuffle,
        "options": [_option_json(o) for o in options],
        **{name: getattr(question, name) for name in QUESTION_EXPRESSIONS},
        "constraint_message": pick(question.constraint_message, language, definition.languages),
    }
    if question.type == "text":
        data["max_length"] = question.max_length or DEFAULT_TEXT_LIMIT
    if question.type == "integer":
        data.update(min_value=question.min_value, max_value=question.max_value)
    return data


def _option_json(option: ShownOption) -> dict[str, Any]:
    data: dict[str, Any] = {"key": option.key, "label": option.label, "other": option.is_other}
    return data | ({"filters": option.filters} if option.filters else {})


def page_context(request: Any, survey: Survey, language: str) -> dict[str, Any]:
    """What base.html needs on a survey's pages: title, direction, the language switcher."""
    frame = page_frame(request.path, survey.title_in(language), language, survey.languages)
    return {"survey": survey, **frame}
