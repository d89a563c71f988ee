"""The frozen form of a survey version, as typed objects.

A SurveyVersion never changes once written, so its parsed Definition is cached in process
memory by version id: intake validates against it without touching the database.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from globaldialogue.lib.expressions import Node, parse
from globaldialogue.lib.translated import pick

CHOICE_TYPES = frozenset({"single", "multiple", "scale", "country"})

# A question's fields beyond its key, type and options, spelled once for the definition JSON
# (read here, written by snapshot.py) and the Question model (written by actions.py):
# text per language ({code: text}), and settings as (JSON name, model field, when absent).
QUESTION_TEXTS = ("label", "hint", "constraint_message")
# XLSForm expressions (lib/expressions.py); "" when there is none, and left out of the JSON.
QUESTION_EXPRESSIONS = ("relevant", "constraint", "required_when", "choice_filter")
NO: frozenset[str] = frozenset()
QUESTION_SETTINGS: tuple[tuple[str, str, Any], ...] = (
    ("required", "required", False),
    ("demographic", "is_demographic", False),
    ("max_choices", "max_choices", None),
    ("max_length", "max_length", None),
    ("min_value", "min_value", None),
    ("max_value", "max_value", None),
    ("shuffle", "shuffle", False),
    *((name, name, "") for name in QUESTION_EXPRESSIONS),
)


@dataclass(frozen=True)
class OptionDef:
    key: str
    label: dict[str, str]
    is_other: bool = False
    filters: dict[str, str] = field(default_factory=dict)  # what a choice filter reads

    @cached_property
    def columns(self) -> dict[str, str]:
        """What a choice filter reads of this option."""
        return {"name": self.key, **self.filters}


@dataclass(frozen=True)
class QuestionDef:
    key: str
    type: str
    label: dict[str, str]
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = False
    demographic: bool = False
    max_choices: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    shuffle: bool = False
    options: tuple[OptionDef, ...] = ()
    constraint_message: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    required_when: str = ""
    choice_filter: str = ""

    @cached_property
    def options_by_key(self) -> dict[str, OptionDef]:
        return {option.key: option for option in self.options}

    @cached_property
    def logic(self) -> dict[str, Node]:
        """Its expressions, parsed (checked when the survey was saved), by name."""
        return {
            name: parse(getattr(self, name), self.filter_columns if name == "choice_filter" else NO)
            for name in QUESTION_EXPRESSIONS
            if getattr(self, name)
        }

    @cached_property
    def filter_columns(self) -> frozenset[str]:
        """What a choice filter reads bare: `name` (the option's key) and its filter columns."""
        return frozenset({"name"}).union(*(option.filters for option in self.options))

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES


@dataclass(frozen=True)
class Definition:
    version_id: int
    number: int
    title: dict[str, str]
    intro: dict[str, str]
    languages: tuple[str, ...]
    questions: tuple[QuestionDef, ...]
    min_answers: int = 1  # fewer answered questions and a response is refused
    calculations: tuple[tuple[str, str], ...] = ()  # (key, expression), in order

    @cached_property
    def has_logic(self) -> bool:
        """Whether any expression is to be evaluated (most surveys have none)."""
        return bool(self.calculations) or any(q.logic for q in self.questions)

    @cached_property
    def calculated(self) -> tuple[tuple[str, Node], ...]:
        return tuple((key, parse(expression)) for key, expression in self.calculations)

    @cached_property
    def questions_by_key(self) -> dict[str, QuestionDef]:
        return {question.key: question for question in self.questions}

    def title_in(self, language: str) -> str:
        return pick(self.title, language, self.languages)

    @property
    def breakdowns(self) -> list[QuestionDef]:
        """Demographic questions with fixed options: what results can be broken down by."""
        return [q for q in self.questions if q.demographic and q.type in ("single", "country")]


def parse_definition(version_id: int, number: int, data: dict[str, Any]) -> Definition:
    questions = tuple(_parse_question(item) for item in data["questions"])
    return Definition(
        version_id=version_id,
        number=number,
        title=data.get("title", {}),
        intro=data.get("intro", {}),
        languages=tuple(data.get("languages", ())),
        questions=questions,
        min_answers=int(data.get("min_answers", 1)),
        calculations=tuple((c["key"], c["expression"]) for c in data.get("calculations", ())),
    )


def _parse_question(item: dict[str, Any]) -> QuestionDef:
    options = tuple(
        OptionDef(
            key=o["key"],
            label=o.get("label", {}),
            is_other=o.get("other", False),
            filters=o.get("filters", {}),
        )
        for o in item.get("options", ())
    )
    return QuestionDef(
        key=item["key"],
        type=item["type"],
        **{name: item.get(name, {}) for name in QUESTION_TEXTS},
        **{name: item.get(name, absent) for name, _field, absent in QUESTION_SETTINGS},
        options=options,
    )


_cache: dict[tuple[int, Any], Definition] = {}


def definition_for(version: Any) -> Definition:
    """The parsed definition of a SurveyVersion, cached for the life of the process.

    Keyed by id and creation time: a row's id alone can come back after a rolled-back
    transaction (as in tests), its creation time with it cannot.
    """
    key = (version.pk, version.created_at)
    cached = _cache.get(key)
    if cached is None:
        cached = parse_definition(version.pk, version.number, version.definition)
        _cache[key] = cached
    return cached
