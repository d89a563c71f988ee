"""Read an XLSForm (the ODK / KoboToolbox standard) into our survey definition.

Supported: select_one, select_multiple (with `or_other`), integer, text, notes (skipped),
groups (flattened), metadata fields (skipped); labels and hints per language from
`label::Language (code)` columns; `required`; constraints of the common shapes
(`. >= 0 and . <= 120`, `string-length(.) <= 280`, `count-selected(.) <= 3`);
`parameters` randomize=true; an optional `demographic` column (yes) for breakdown questions.
Anything else is refused with the sheet row, so nothing is half-imported.
"""

import re
from pathlib import Path
from typing import Any

from babel import Locale
from pyxform.xls2json_backends import xlsx_to_dict

from globaldialogue.lib.translated import normalize_language

SKIPPED_TYPES = {
    "note",
    "begin_group",
    "end_group",
    "begin group",
    "end group",
    "calculate",
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "audit",
    "subscriberid",
    "simserial",
    "begin_repeat",
    "end_repeat",
}
TYPES = {
    "select_one": "single",
    "select_multiple": "multiple",
    "integer": "integer",
    "text": "text",
}
YES = {"yes", "true", "true()", "1"}
LANGUAGE_COLUMN = re.compile(r"^(label|hint)(?:::(.+?))?(?:\s*\(([A-Za-z-_]+)\))?$")
NUMBER_BOUND = re.compile(r"\.\s*(>=|<=|>|<)\s*(-?\d+)")
LENGTH_BOUND = re.compile(r"string-length\(\s*\.\s*\)\s*(<=|<)\s*(\d+)")
COUNT_BOUND = re.compile(r"count-selected\(\s*\.\s*\)\s*(<=|<)\s*(\d+)")


class XLSFormError(ValueError):
    """The form cannot be imported; the message names the sheet and row."""


def read_xlsform(path: Path) -> dict[str, Any]:
    """The definition (our JSON shape) of an XLSForm workbook, plus `slug` from form_id."""
    try:
        book = xlsx_to_dict(str(path))
    except Exception as error:
        raise XLSFormError(f"{path.name} is not a readable .xlsx workbook: {error}") from error
    settings = (book.get("settings") or [{}])[0]
    default = _language_code(settings.get("default_language", "")) or "en"
    survey_rows = book.get("survey") or []
    if not survey_rows:
        raise XLSFormError("The workbook has no 'survey' sheet, or it is empty.")
    choices = _choice_lists(book.get("choices") or [], default)
    questions = [
        q
        for n, row in enumerate(survey_rows, start=2)
        if (q := _question(row, n, choices, default)) is not None
    ]
    languages = _languages(survey_rows, book.get("choices") or [], default)
    title = settings.get("form_title") or settings.get("form_id") or path.stem
    return {
        "slug": settings.get("form_id", ""),
        "title": dict.fromkeys(languages, title),
        "intro": {},
        "languages": languages,
        "questions": questions,
    }


def _question(
    row: dict[str, str], number: int, choices: dict[str, list[dict[str, Any]]], default: str
) -> dict[str, Any] | None:
    kind, _, rest = (row.get("type") or "").strip().partition(" ")
    if not kind or kind in SKIPPED_TYPES or f"{kind} {rest}".strip() in SKIPPED_TYPES:
        return None
    if kind not in TYPES:
        raise XLSFormError(f"survey row {number}: type '{kind}' is not supported")
    name = (row.get("name") or "").strip()
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,63}", name):
        raise XLSFormError(f"survey row {number}: name '{name}' is not a valid key")
    question: dict[str, Any] = {
        "key": name,
        "type": TYPES[kind],
        "label": _texts(row, "label", default),
        "hint": _texts(row, "hint", default),
        "required": (row.get("required") or "").strip().lower() in YES,
        "demographic": (row.get("demographic") or "").strip().lower() in YES,
        "shuffle": "randomize=true" in (row.get("parameters") or "").replace(" ", "").lower(),
    }
    if kind.startswith("select"):
        question["options"] = _options(rest, number, choices, default)
    question.update(_bounds(row.get("constraint") or "", question["type"]))
    return question


def _options(
    rest: str, number: int, choices: dict[str, list[dict[str, Any]]], default: str
) -> list[dict[str, Any]]:
    list_name, _, extra = rest.strip().partition(" ")
    if list_name not in choices:
        raise XLSFormError(f"survey row {number}: no choices named '{list_name}'")
    options = list(choices[list_name])
    if extra.strip() == "or_other":
        options.append({"key": "other", "label": {default: "Other"}, "other": True})
    return options


def _choice_lists(rows: list[dict[str, str]], default: str) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for number, row in enumerate(rows, start=2):
        list_name = (row.get("list_name") or row.get("list name") or "").strip()
        name = (row.get("name") or "").strip()
        if not list_name:
            continue
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
            raise XLSFormError(f"choices row {number}: name '{name}' is not a valid key")
        lists.setdefault(list_name, []).append(
            {"key": name, "label": _texts(row, "label", default), "other": False}
        )
    return lists


def _texts(row: dict[str, str], kind: str, default: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for column, value in row.items():
        match = LANGUAGE_COLUMN.match(column.strip())
        if match and match.group(1) == kind and value and value.strip():
            code = _column_language(match.group(2), match.group(3)) or default
            texts[code] = value.strip()
    return texts


def _languages(
    survey: list[dict[str, str]], choices: list[dict[str, str]], default: str
) -> list[str]:
    found: dict[str, None] = {default: None}
    for row in [*survey, *choices]:
        for column in row:
            match = LANGUAGE_COLUMN.match(column.strip())
            if match and match.group(1) == "label":
                found[_column_language(match.group(2), match.group(3)) or default] = None
    return list(found)


def _column_language(name: str | None, code: str | None) -> str:
    return _language_code(code or name or "")


def _language_code(text: str) -> str:
    """'fr', 'French (fr)', 'Chinese' or 'zh' -> a language code; '' when unknown."""
    text = text.strip()
    if match := re.search(r"\(([A-Za-z-_]+)\)\s*$", text):
        return normalize_language(match.group(1))
    if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*", text):
        return normalize_language(text)
    names = {str(name).lower(): code for code, name in Locale("en").languages.items()}
    code = names.get(text.lower(), "")
    return normalize_language(code) if code else ""


def _bounds(constraint: str, kind: str) -> dict[str, int]:
    bounds: dict[str, int] = {}
    if kind == "integer":
        for op, number in NUMBER_BOUND.findall(constraint):
            value = int(number)
            if op in (">=", ">"):
                bounds["min_value"] = value + (op == ">")
            else:
                bounds["max_value"] = value - (op == "<")
    for pattern, name in ((LENGTH_BOUND, "max_length"), (COUNT_BOUND, "max_choices")):
        if match := pattern.search(constraint):
            bounds[name] = int(match.group(2)) - (match.group(1) == "<")
    return bounds
