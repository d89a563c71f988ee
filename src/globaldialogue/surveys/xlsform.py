"""Read an XLSForm (the ODK / KoboToolbox standard) into our survey definition.

Supported: select_one, select_multiple (with `or_other`), integer, text, calculate, notes
(skipped), groups (flattened: a group's `relevant` joins each of its questions'), metadata
fields (skipped); labels, hints and constraint messages per language from
`label::Language (code)` columns; the logic (lib/expressions.py): `relevant`, `constraint`,
`required` (yes, or a condition), `calculation`, `choice_filter` with the choices' extra
columns; `parameters` randomize=true; an optional `demographic` column (yes) for breakdown
questions. Constraints of the common shapes (`. >= 0 and . <= 120`, `string-length(.) <=
280`, `count-selected(.) <= 3`) become the question's limits, which the page shows. Shown
only (ignored here): appearance, required_message, media and guidance. Anything else, and
repeats, is refused with its sheet, row and column, so nothing is half-imported or dropped.
"""

import re
from pathlib import Path
from typing import Any

from babel import Locale
from pyxform.xls2json_backends import xlsx_to_dict

from globaldialogue.lib.expressions import ExpressionError, parse, references
from globaldialogue.lib.translated import normalize_language

SKIPPED_TYPES = {
    "note",
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "audit",
    "subscriberid",
    "simserial",
}
GROUP_STARTS = {"begin_group", "begin group"}
GROUP_ENDS = {"end_group", "end group"}
REPEATS = {"begin_repeat", "begin repeat", "end_repeat", "end repeat"}
# Columns that change only how a question looks, or what it says when left empty.
SHOWN_ONLY = re.compile(
    r"^(appearance|required_message|guidance_hint|image|audio|video|big-image|media::.*"
    r"|(required_message|guidance_hint|image|audio|video|big-image)::.*)$"
)
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "calculation"}
SURVEY_COLUMNS |= {"choice_filter", "parameters", "demographic"}
CHOICE_COLUMNS = {"list_name", "list name", "name"}
TYPES = {
    "select_one": "single",
    "select_multiple": "multiple",
    "integer": "integer",
    "text": "text",
}
YES = {"yes", "true", "true()", "1"}
LANGUAGE_COLUMN = re.compile(
    r"^(label|hint|constraint_message)(?:::(.+?))?(?:\s*\(([A-Za-z-_]+)\))?$"
)
NO = {"", "no", "false", "false()", "0"}
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
    form = _Form(choices, default)
    for number, row in enumerate(survey_rows, start=2):
        form.read(row, number)
    form.check_references()
    languages = _languages(survey_rows, book.get("choices") or [], default)
    title = settings.get("form_title") or settings.get("form_id") or path.stem
    return {
        "slug": settings.get("form_id", ""),
        "title": dict.fromkeys(languages, title),
        "intro": {},
        "languages": languages,
        "questions": form.questions,
        **({"calculations": form.calculations} if form.calculations else {}),
    }


def _refuse(number: int, column: str, message: str) -> XLSFormError:
    return XLSFormError(f"survey row {number}, column '{column}': {message}")


class _Form:
    """The survey sheet read row by row: questions, calculations, and the groups open."""

    def __init__(self, choices: dict[str, list[dict[str, Any]]], default: str) -> None:
        self.choices, self.default = choices, default
        self.questions: list[dict[str, Any]] = []
        self.calculations: list[dict[str, str]] = []
        self.groups: list[str] = []  # each open group's `relevant` ("" for none)
        self.read_at: list[tuple[int, str, str, frozenset[str]]] = []  # to check references

    def read(self, row: dict[str, str], number: int) -> None:
        kind, _, rest = (row.get("type") or "").strip().partition(" ")
        _check_columns(row, number)
        if kind in REPEATS or f"{kind} {rest}".strip() in REPEATS:
            raise _refuse(number, "type", "repeats are not supported")
        if kind in GROUP_STARTS or f"{kind} {rest}".strip() in GROUP_STARTS:
            self.groups.append(self.expression(row, "relevant", number))
        elif kind in GROUP_ENDS or f"{kind} {rest}".strip() in GROUP_ENDS:
            self.groups = self.groups[:-1]
        elif kind == "calculate":
            key = _key(row, number)
            text = self.expression(row, "calculation", number)
            self.calculations.append({"key": key, "expression": text or "''"})
        elif kind and kind not in SKIPPED_TYPES and f"{kind} {rest}".strip() not in SKIPPED_TYPES:
            self.questions.append(self.question(row, number, kind, rest))

    def question(self, row: dict[str, str], number: int, kind: str, rest: str) -> dict[str, Any]:
        if kind not in TYPES:
            raise _refuse(number, "type", f"'{kind}' is not supported")
        question: dict[str, Any] = {
            "key": _key(row, number),
            "type": TYPES[kind],
            "label": _texts(row, "label", self.default),
            "hint": _texts(row, "hint", self.default),
            "demographic": (row.get("demographic") or "").strip().lower() in YES,
            "shuffle": "randomize=true" in (row.get("parameters") or "").replace(" ", "").lower(),
        }
        if kind.startswith("select"):
            question["options"] = _options(rest, number, self.choices, self.default)
        question.update(self.logic(row, number, question))
        return question

    def logic(self, row: dict[str, str], number: int, question: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        relevant = [
            f"({text})" for text in (*self.groups, self.expression(row, "relevant", number)) if text
        ]
        if relevant:
            found["relevant"] = " and ".join(relevant) if len(relevant) > 1 else relevant[0][1:-1]
        required = (row.get("required") or "").strip()
        if required.lower() in YES:
            found["required"] = True
        elif required.lower() not in NO:
            found["required_when"] = self.expression(row, "required", number)
        constraint = self.expression(row, "constraint", number)
        message = _texts(row, "constraint_message", self.default)
        # A common shape becomes the question's limits, said in our words; with a message of
        # its author's, it stays an expression so that the message is the one shown.
        bounds = None if message else _bounds(constraint, question["type"])
        if constraint and bounds is None:
            found["constraint"] = constraint
        found.update(bounds or {})
        if message:
            found["constraint_message"] = message
        columns = frozenset({"name"}).union(
            *(o.get("filters", {}) for o in question.get("options", ()))
        )
        if text := self.expression(row, "choice_filter", number, columns):
            found["choice_filter"] = text
        return found

    def expression(
        self, row: dict[str, str], column: str, number: int, columns: frozenset[str] = frozenset()
    ) -> str:
        """A cell's expression, checked readable; "" for none."""
        text = str(row.get(column) or "").strip()
        if not text:
            return ""
        try:
            parse(text, columns)
        except ExpressionError as error:
            raise _refuse(number, column, str(error)) from None
        self.read_at.append((number, column, text, columns))
        return text

    def check_references(self) -> None:
        known = {q["key"] for q in self.questions} | {c["key"] for c in self.calculations}
        for number, column, text, columns in self.read_at:
            if unknown := sorted(references(parse(text, columns)) - known):
                names = ", ".join(f"${{{name}}}" for name in unknown)
                raise _refuse(number, column, f"{names}: no such question")


def _check_columns(row: dict[str, str], number: int) -> None:
    for column, value in row.items():
        name = column.strip()
        if not str(value or "").strip() or name in SURVEY_COLUMNS or SHOWN_ONLY.match(name):
            continue
        if not LANGUAGE_COLUMN.match(name):
            raise _refuse(number, name, "this column is not supported")


def _key(row: dict[str, str], number: int) -> str:
    name = (row.get("name") or "").strip()
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,63}", name):
        raise _refuse(number, "name", f"name '{name}' is not a valid key")
    return name


def _options(
    rest: str, number: int, choices: dict[str, list[dict[str, Any]]], default: str
) -> list[dict[str, Any]]:
    list_name, _, extra = rest.strip().partition(" ")
    if list_name not in choices:
        raise _refuse(number, "type", f"no choices named '{list_name}'")
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
        option = {"key": name, "label": _texts(row, "label", default), "other": False}
        if filters := _filters(row):
            option["filters"] = filters
        lists.setdefault(list_name, []).append(option)
    return lists


def _filters(row: dict[str, str]) -> dict[str, str]:
    """A choice's extra columns, which a choice filter reads by name."""
    return {
        column.strip(): str(value).strip()
        for column, value in row.items()
        if column.strip() not in CHOICE_COLUMNS
        and not LANGUAGE_COLUMN.match(column.strip())
        and not SHOWN_ONLY.match(column.strip())
        and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", column.strip())
        and str(value or "").strip()
    }


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


def _bounds(constraint: str, kind: str) -> dict[str, int] | None:
    """The limits a constraint of the common shapes sets (terms joined by `and`), which the
    page shows as the input's own; None when it is anything else (kept as the expression)."""
    bounds: dict[str, int] = {}
    for term in re.split(r"\s+and\s+", constraint) if constraint else []:
        if kind == "integer" and (match := NUMBER_BOUND.fullmatch(term.strip())):
            op, value = match.group(1), int(match.group(2))
            name = "min_value" if op in (">=", ">") else "max_value"
            if name in bounds:
                return None
            bounds[name] = value + (op == ">") if op in (">=", ">") else value - (op == "<")
            continue
        for pattern, name, kinds in (
            (LENGTH_BOUND, "max_length", ("text",)),
            (COUNT_BOUND, "max_choices", ("multiple",)),
        ):
            if kind in kinds and (match := pattern.fullmatch(term.strip())):
                bounds[name] = int(match.group(2)) - (match.group(1) == "<")
                break
        else:
            return None
    return bounds
