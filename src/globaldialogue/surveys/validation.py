"""Checks answers against a survey definition and puts them in canonical form.

Used alike by the web form, the JSON API, partner batches and file imports, so every channel
accepts and rejects the same things. Messages are in the active language (gettext).

Canonical answers, keyed by question key (unanswered questions are left out):
- single, scale, country: the option key, or {"option": KEY, "text": "..."} for an "other" option
- multiple: a list of those, sorted by option key
- text: the text, NFC-normalised and stripped; integer: an int
"""

import hashlib
import json
import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from globaldialogue.lib.countries import country_codes
from globaldialogue.lib.errors import Errors, FieldError
from globaldialogue.surveys.definition import Definition, QuestionDef
from globaldialogue.surveys.logic import apply_logic

DEFAULT_TEXT_LIMIT = 2000
OTHER_TEXT_LIMIT = 200
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Invalid(Exception):
    def __init__(self, code: str, message: str) -> None:
        self.error = FieldError(code, message)


def validate_answers(definition: Definition, answers: Any) -> tuple[dict[str, Any], Errors]:
    """Return (canonical answers, errors per question key). Errors empty means valid."""
    if not isinstance(answers, dict):
        return {}, {"answers": [FieldError("invalid", _("Answers must be an object."))]}
    errors: Errors = {}
    for key in answers:
        if key not in definition.questions_by_key:
            errors[str(key)] = [FieldError("unknown_question", _("There is no such question."))]
    canonical: dict[str, Any] = {}
    for question in definition.questions:
        try:
            value = clean_answer(question, answers.get(question.key))
        except Invalid as invalid:
            errors[question.key] = [invalid.error]
            continue
        if value is not None:
            canonical[question.key] = value
    # Skip logic, conditions, constraints and choice filters; `required` too, which only
    # holds for a question that is asked.
    canonical = apply_logic(definition, canonical, errors)
    if not errors and len(canonical) < definition.min_answers:
        errors["answers"] = [too_few(definition.min_answers)]
    return canonical, errors


def too_few(count: int) -> FieldError:
    message = ngettext(
        "Answer at least one question before sending.",
        "Answer at least %(count)s questions before sending.",
        count,
    )
    return FieldError("too_few_answers", message % {"count": count})


def clean_answer(question: QuestionDef, value: Any) -> Any:
    if _is_empty(value):
        return None
    if question.type == "multiple":
        return _clean_multiple(question, value)
    if question.is_choice:
        return _clean_choice(question, value)
    if question.type == "integer":
        return _clean_integer(question, value)
    return _clean_text(value, question.max_length or DEFAULT_TEXT_LIMIT)


def _is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def _clean_choice(question: QuestionDef, value: Any) -> str | dict[str, str]:
    if isinstance(value, dict):
        return _clean_other(question, value)
    if not isinstance(value, str):
        raise Invalid("invalid_choice", _("Choose one of the options."))
    if question.type == "country":
        code = value.strip().upper()
        if code not in country_codes():
            raise Invalid("unknown_option", _("Choose a country from the list."))
        return code
    option = question.options_by_key.get(value)
    if option is None:
        raise Invalid(
            "unknown_option", _("“%(value)s” is not one of the options.") % {"value": value[:40]}
        )
    if option.is_other:
        raise Invalid("other_text_required", _("Please say what you mean by “other”."))
    return value


def _clean_other(question: QuestionDef, value: dict[str, Any]) -> dict[str, str]:
    key = value.get("option")
    option = question.options_by_key.get(key) if isinstance(key, str) else None
    if option is None or not option.is_other or set(value) - {"option", "text"}:
        raise Invalid("invalid_choice", _("Choose one of the options."))
    text = value.get("text")
    if _is_empty(text):
        raise Invalid("other_text_required", _("Please say what you mean by “other”."))
    return {"option": option.key, "text": _clean_text(text, OTHER_TEXT_LIMIT)}


def _clean_multiple(question: QuestionDef, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid("invalid_choice", _("Choose from the options."))
    chosen = [_clean_choice(question, item) for item in value if not _is_empty(item)]
    keys = [item if isinstance(item, str) else item["option"] for item in chosen]
    if len(set(keys)) != len(keys):
        raise Invalid("duplicate_choice", _("Each option can be chosen only once."))
    limit = question.max_choices
    if limit and len(chosen) > limit:
        message = ngettext(
            "Choose at most %(max)d option.", "Choose at most %(max)d options.", limit
        )
        raise Invalid("too_many_choices", message % {"max": limit})
    return sorted(chosen, key=lambda item: item if isinstance(item, str) else item["option"])


def _clean_integer(question: QuestionDef, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Invalid("invalid_integer", _("Enter a whole number."))
    try:
        number = int(value.strip()) if isinstance(value, str) else value
    except ValueError:
        raise Invalid("invalid_integer", _("Enter a whole number.")) from None
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise Invalid("out_of_range", _range_message(low, high))
    return number


def _range_message(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("Enter a number from %(min)d to %(max)d.") % {"min": low, "max": high}
    if low is not None:
        return _("Enter a number of at least %(min)d.") % {"min": low}
    return _("Enter a number of at most %(max)d.") % {"max": high}


def _clean_text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise Invalid("invalid_text", _("Answer with text."))
    text = CONTROL_CHARS.sub("", unicodedata.normalize("NFC", value)).strip()
    if len(text) > limit:
        message = _("Keep it to %(max)d characters; this has %(length)d.")
        raise Invalid("too_long", message % {"max": limit, "length": len(text)})
    return text


def content_hash(language: str, answers: dict[str, Any]) -> str:
    """What makes two submissions 'the same': language and canonical answers."""
    payload = json.dumps([language, answers], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
