"""The flat column layout of response files, shared by export and import so they round-trip.

Per question: single, scale, country, integer, text -> one column named by the key;
multiple -> one 0/1 column per option, `<key>__<option>`; an "other" option adds
`<key>__other_text` with the typed text.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from globaldialogue.lib.csvsafe import restore_cell
from globaldialogue.surveys.definition import Definition, QuestionDef

META_COLUMNS = ("id", "submitted_at", "language", "channel", "version")


@dataclass(frozen=True)
class Column:
    name: str
    question: QuestionDef
    option: str = ""  # for a multiple-choice flag column
    is_other_text: bool = False

    @property
    def kind(self) -> str:
        if self.is_other_text or self.question.type == "text":
            return "text"
        if self.option or self.question.type == "integer":
            return "integer"
        return "choice"


def answer_columns(definition: Definition) -> list[Column]:
    columns: list[Column] = []
    for question in definition.questions:
        columns += list(_question_columns(question))
    return columns


def _question_columns(question: QuestionDef) -> Iterator[Column]:
    if question.type == "multiple":
        for option in question.options:
            yield Column(f"{question.key}__{option.key}", question, option=option.key)
    else:
        yield Column(question.key, question)
    if any(option.is_other for option in question.options):
        yield Column(f"{question.key}__other_text", question, is_other_text=True)


def flatten(columns: list[Column], answers: dict[str, Any]) -> list[Any]:
    """One response's answers as cells, aligned with `columns`."""
    return [_cell(column, answers.get(column.question.key)) for column in columns]


def _cell(column: Column, value: Any) -> Any:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if column.is_other_text:
        return next((i["text"] for i in items if isinstance(i, dict)), None)
    if column.option:
        keys = {i["option"] if isinstance(i, dict) else i for i in items}
        return int(column.option in keys)
    if isinstance(value, dict):
        return value["option"]
    return value


def unflatten(columns: list[Column], row: dict[str, str]) -> dict[str, Any]:
    """API-shaped answers from one row of text cells (empty cells are unanswered; a cell
    our export defused for spreadsheets is read back as it was written)."""
    row = {name: restore_cell(cell) if cell else cell for name, cell in row.items()}
    answers: dict[str, Any] = {}
    for question in {column.question.key: column.question for column in columns}.values():
        value = _answer(question, row)
        if value not in (None, "", []):
            answers[question.key] = value
    return answers


def _answer(question: QuestionDef, row: dict[str, str]) -> Any:
    other = (row.get(f"{question.key}__other_text") or "").strip()
    if question.type == "multiple":
        chosen = [o.key for o in question.options if _truthy(row.get(f"{question.key}__{o.key}"))]
        # Paper data entry may list the keys in one cell instead: "climate; health".
        chosen += [k for k in (row.get(question.key) or "").replace(";", " ").split() if k]
        return [_with_other(question, key, other) for key in dict.fromkeys(chosen)]
    value = (row.get(question.key) or "").strip()
    return _with_other(question, value, other) if question.is_choice and value else value


def _with_other(question: QuestionDef, key: str, text: str) -> Any:
    option = question.options_by_key.get(key)
    return {"option": key, "text": text} if option is not None and option.is_other else key


def _truthy(cell: str | None) -> bool:
    return (cell or "").strip().lower() in {"1", "yes", "true", "x"}
