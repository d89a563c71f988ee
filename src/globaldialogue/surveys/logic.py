"""A survey's XLSForm logic applied to one response's cleaned answers, alike for every
channel (web form, API, batches, files, OpenRosa): questions whose `relevant` does not hold
are not asked, so their answers are dropped (as ODK clears them) and they are not required;
`required_when` makes a question required only while it holds; a `constraint` must hold for
an answer; a chosen option must pass the question's `choice_filter`. The web page evaluates
the same parsed expressions in the browser (templates/surveys/logic.js); this decides.
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from globaldialogue.lib.errors import Errors, FieldError
from globaldialogue.lib.expressions import evaluate, holds, to_string
from globaldialogue.lib.translated import pick
from globaldialogue.surveys.definition import Definition, QuestionDef


def xforms_value(value: Any) -> str:
    """A canonical answer as XForms holds it: an option's key, keys separated by spaces, the
    number or text; "" when unanswered."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(xforms_value(item) for item in value)
    if isinstance(value, dict):  # an "other" option with its text
        return str(value["option"])
    return str(value)


def answer_values(definition: Definition, answers: dict[str, Any]) -> dict[str, str]:
    """What expressions read: each answer as XForms holds it, and the calculations."""
    values = {key: xforms_value(value) for key, value in answers.items()}
    for key, tree in definition.calculated:
        values[key] = to_string(evaluate(tree, values))
    return values


def apply_logic(definition: Definition, answers: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """The answers kept (those of questions asked); adds to `errors` what is required and
    missing, or breaks a constraint or a choice filter, and takes away those of questions not
    asked (an unreadable answer to a question not asked is dropped like any other)."""
    kept = dict(answers)
    for question, asked, values in _walk(definition, kept):
        if not asked:
            errors.pop(question.key, None)
        elif question.key not in errors and (
            problem := _problem(definition, question, kept.get(question.key), values)
        ):
            errors[question.key] = [problem]
    return kept


def asked_keys(definition: Definition, answers: dict[str, Any]) -> set[str]:
    """The questions asked, given these answers."""
    return {question.key for question, asked, _values in _walk(definition, dict(answers)) if asked}


def _walk(
    definition: Definition, kept: dict[str, Any]
) -> Iterator[tuple[QuestionDef, bool, dict[str, str]]]:
    """Each question in order, whether it is asked, and what expressions read at that point;
    answers to questions not asked are taken out of `kept` as it goes, as ODK clears them."""
    values = answer_values(definition, kept) if definition.has_logic else {}
    for question in definition.questions:
        asked = holds(question.logic.get("relevant"), values)
        if not asked and kept.pop(question.key, None) is not None:
            values = answer_values(definition, kept)
        yield question, asked, values


def _problem(
    definition: Definition, question: QuestionDef, value: Any, values: dict[str, str]
) -> FieldError | None:
    if value is None:
        if is_required(question, values):
            return FieldError("required", _("This question needs an answer."))
        return None
    if "choice_filter" in question.logic and not _offered(question, value, values):
        return FieldError("unknown_option", _("That option is not offered for your answers."))
    if not holds(question.logic.get("constraint"), values, values.get(question.key, "")):
        message = pick(question.constraint_message, get_language() or "", definition.languages)
        return FieldError("constraint", message or _("This answer is not accepted."))
    return None


def is_required(question: QuestionDef, values: dict[str, str]) -> bool:
    if "required_when" in question.logic:
        return holds(question.logic["required_when"], values)
    return question.required


def offered_keys(question: QuestionDef, values: dict[str, str]) -> set[str]:
    """The option keys a question's choice filter lets through for these answers."""
    tree = question.logic.get("choice_filter")
    return {o.key for o in question.options if holds(tree, values, "", o.columns)}


def _offered(question: QuestionDef, value: Any, values: dict[str, str]) -> bool:
    return set(xforms_value(value).split()) <= offered_keys(question, values)


def page_logic(question: QuestionDef, language: str, languages: Sequence[str]) -> str:
    """What the page's script (logic.js) needs to ask a question as the server will decide:
    its parsed expressions, and the constraint's message in the page's language; "" if none."""
    if not question.logic:
        return ""
    data: dict[str, Any] = dict(question.logic)
    if "constraint" in data:
        message = pick(question.constraint_message, language, languages)
        data["message"] = message or _("This answer is not accepted.")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def page_calculations(definition: Definition) -> str:
    return json.dumps([[key, tree] for key, tree in definition.calculated], separators=(",", ":"))
