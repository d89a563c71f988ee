"""The participant page's form: turn POSTed fields into API-shaped answers, and back.

Field names: the question key; "<key>__other" for the text of an "other" option.
"""

from typing import Any

from django.http import QueryDict

from globaldialogue.surveys.definition import Definition, QuestionDef

OTHER_SUFFIX = "__other"


def answers_from_post(definition: Definition, data: QueryDict) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in definition.questions:
        value = _field_value(question, data)
        if value not in (None, "", []):
            answers[question.key] = value
    return answers


def _field_value(question: QuestionDef, data: QueryDict) -> Any:
    if question.type == "multiple":
        chosen = data.getlist(question.key)
        return [
            _with_other(question, key, data) for key in _add_typed_other(question, chosen, data)
        ]
    if question.is_choice:
        key = data.get(question.key, "") or _typed_other_key(question, data)
        return _with_other(question, key, data) if key else ""
    return data.get(question.key, "")


def _other_key(question: QuestionDef) -> str:
    return next((o.key for o in question.options if o.is_other), "")


def _typed_other_key(question: QuestionDef, data: QueryDict) -> str:
    # Typing in the "other" box without ticking it still means "other" (no JS to tick it).
    key = _other_key(question)
    return key if key and data.get(question.key + OTHER_SUFFIX, "").strip() else ""


def _add_typed_other(question: QuestionDef, chosen: list[str], data: QueryDict) -> list[str]:
    key = _typed_other_key(question, data)
    return [*chosen, key] if key and key not in chosen else chosen


def _with_other(question: QuestionDef, key: str, data: QueryDict) -> Any:
    option = question.options_by_key.get(key)
    if option is not None and option.is_other:
        return {"option": key, "text": data.get(question.key + OTHER_SUFFIX, "")}
    return key


def selected_keys(value: Any) -> tuple[set[str], str]:
    """From an API-shaped answer: the chosen option keys and any "other" text."""
    items = value if isinstance(value, list) else [value]
    keys, other = set(), ""
    for item in items:
        if isinstance(item, dict):
            keys.add(str(item.get("option", "")))
            other = str(item.get("text", ""))
        elif item not in (None, ""):
            keys.add(str(item))
    return keys, other
