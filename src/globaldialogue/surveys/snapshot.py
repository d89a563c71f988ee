"""Build a survey's frozen definition from its edited rows, and check it can be published."""

from typing import Any

from globaldialogue.surveys.definition import QUESTION_SETTINGS, QUESTION_TEXTS
from globaldialogue.surveys.models import Question, Survey


def build_definition(survey: Survey) -> dict[str, Any]:
    questions = survey.questions.prefetch_related("options").order_by("position", "id")
    return {
        "title": survey.title,
        "intro": survey.intro,
        "languages": list(survey.languages),
        "min_answers": survey.min_answers,
        "questions": [_question(q) for q in questions],
    }


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"key": question.key, "type": question.type}
    data.update({name: getattr(question, name) for name in QUESTION_TEXTS})
    for name, model_field, absent in QUESTION_SETTINGS:
        value = getattr(question, model_field)
        if value is not None or absent is not None:  # limits not set are left out
            data[name] = value
    data["options"] = [
        {"key": o.key, "label": o.label, "other": o.is_other} for o in question.options.all()
    ]
    return data


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
    return problems


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
