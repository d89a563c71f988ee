"""Build a survey's frozen definition from its edited rows, and check it can be published."""

from typing import Any

from globaldialogue.lib.expressions import ExpressionError, parse, references
from globaldialogue.surveys.definition import (
    QUESTION_EXPRESSIONS,
    QUESTION_SETTINGS,
    QUESTION_TEXTS,
    parse_definition,
)
from globaldialogue.surveys.models import Question, Survey


def build_definition(survey: Survey) -> dict[str, Any]:
    questions = survey.questions.prefetch_related("options").order_by("position", "id")
    return {
        "title": survey.title,
        "intro": survey.intro,
        "languages": list(survey.languages),
        "min_answers": survey.min_answers,
        "questions": [_question(q) for q in questions],
        **({"calculations": survey.calculations} if survey.calculations else {}),
    }


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"key": question.key, "type": question.type}
    data.update({name: getattr(question, name) for name in QUESTION_TEXTS})
    for name, model_field, absent in QUESTION_SETTINGS:
        value = getattr(question, model_field)
        if value not in (None, "") or absent not in (None, ""):  # unset limits, logic left out
            data[name] = value
    if not question.constraint_message:
        del data["constraint_message"]
    data["options"] = [_option(o) for o in question.options.all()]
    return data


def _option(option: Any) -> dict[str, Any]:
    data = {"key": option.key, "label": option.label, "other": option.is_other}
    return data | ({"filters": option.filters} if option.filters else {})


def check_definition(definition: dict[str, Any]) -> list[str]:
    """Problems that would stop participants answering; empty when it can be published."""
    problems: list[str] = []
    languages = definition["languages"]
    if not languages:
        problems.append("List at least one language code, the default first.")
    elif not definition["title"].get(languages[0]):
        problems.append(f"Give the survey a title in {languages[0]}.")
    if not definition.get("questions"):
        problems.append("Add at least one question.")
    for question in definition["questions"]:
        problems += _question_problems(question, languages[:1])
    return problems + logic_problems(definition)


def logic_problems(definition: dict[str, Any]) -> list[str]:
    """Expressions that cannot be read, or read questions the survey does not have."""
    parsed = parse_definition(0, 0, definition)
    known = {q.key for q in parsed.questions} | {key for key, _e in parsed.calculations}
    found: list[tuple[str, str, frozenset[str]]] = [
        (f"Calculation {key}", e, frozenset()) for key, e in parsed.calculations
    ]
    for q in parsed.questions:
        found += [
            (f"Question {q.key}, {name}", getattr(q, name), _columns(q, name))
            for name in QUESTION_EXPRESSIONS
            if getattr(q, name)
        ]
    return [
        problem
        for where, text, columns in found
        if (problem := _check(where, text, columns, known))
    ]


def _columns(question: Any, name: str) -> frozenset[str]:
    return question.filter_columns if name == "choice_filter" else frozenset()


def _check(where: str, text: str, columns: frozenset[str], known: set[str]) -> str:
    try:
        unknown = sorted(references(parse(text, columns)) - known)
    except ExpressionError as error:
        return f"{where}: {error}"
    return f"{where}: there is no question {', '.join(unknown)}" if unknown else ""


def _question_problems(question: dict[str, Any], default: list[str]) -> list[str]:
    key = question["key"]
    problems = [
        f"Question {key}: write its text in {code}."
        for code in default
        if not question["label"].get(code)
    ]
    needs_options = question["type"] in ("single", "multiple", "scale")
    if needs_options and not question.get("options"):
        problems.append(f"Question {key}: add its options.")
    if not needs_options and question.get("options"):
        problems.append(f"Question {key}: a {question['type']} question has no options.")
    if question.get("max_choices") and question["type"] != "multiple":
        problems.append(f"Question {key}: only multiple-choice questions take a maximum.")
    return problems
