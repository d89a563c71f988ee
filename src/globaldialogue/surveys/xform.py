"""A survey version as an ODK XForm, for ODK Collect, KoboCollect and Enketo (OpenRosa).

Built with pyxform from the version's definition written out as an XLSForm (the sheets as
rows): every survey language as an itext translation named "Français (fr)", the same
questions, options, limits and logic as the web form (lib/expressions.py is the subset of
XPath both speak). The server still decides what a submission may hold (openrosa.py maps
it to answers checked like every channel's). An "other" option's text is a text question
`{key}__other`, asked only while "other" is chosen. Built once per version and process.
"""

import hashlib
from dataclasses import dataclass

from pyxform.xls2xform import convert

from globaldialogue.lib.countries import country_names
from globaldialogue.lib.languages import language_name
from globaldialogue.surveys.definition import Definition, OptionDef, QuestionDef
from globaldialogue.surveys.validation import DEFAULT_TEXT_LIMIT, OTHER_TEXT_LIMIT

OTHER_SUFFIX = "__other"
XFORM_TYPES = {"integer": "integer", "text": "text", "single": "select_one", "scale": "select_one"}
XFORM_TYPES |= {"multiple": "select_multiple", "country": "select_one"}


@dataclass(frozen=True)
class XForm:
    xml: str
    form_id: str
    version: str

    @property
    def md5(self) -> str:
        return "md5:" + hashlib.md5(self.xml.encode(), usedforsecurity=False).hexdigest()


_cache: dict[tuple[int, str], XForm] = {}


def xform_for(definition: Definition, form_id: str) -> XForm:
    key = (definition.version_id, form_id)
    if key not in _cache:
        _cache[key] = build_xform(definition, form_id)
    return _cache[key]


def build_xform(definition: Definition, form_id: str, validate: bool = False) -> XForm:
    """The XForm; `validate` runs ODK Validate (Java) on it, raising what it finds."""
    sheets = _Sheets(definition)
    version = str(definition.number)
    settings = {
        "form_id": form_id,
        "version": version,
        "form_title": definition.title_in(definition.languages[0]),
        "default_language": sheets.column_language(definition.languages[0]),
    }
    result = convert(
        {"survey": sheets.survey(), "choices": sheets.choices, "settings": [settings]},
        validate=validate,
    )
    return XForm(xml=result.xform, form_id=form_id, version=version)


class _Sheets:
    """The definition as XLSForm rows."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.choices: list[dict[str, str]] = []
        self.countries = False

    def column_language(self, code: str) -> str:
        return f"{language_name(code)} ({code})"

    def texts(self, column: str, texts: dict[str, str]) -> dict[str, str]:
        return {
            f"{column}::{self.column_language(code)}": texts[code]
            for code in self.definition.languages
            if texts.get(code)
        }

    def survey(self) -> list[dict[str, str]]:
        rows = [
            {"type": "calculate", "name": key, "calculation": expression}
            for key, expression in self.definition.calculations
        ]
        for question in self.definition.questions:
            rows += self.question(question)
        return rows

    def question(self, question: QuestionDef) -> list[dict[str, str]]:
        row = {"type": XFORM_TYPES[question.type], "name": question.key}
        if question.is_choice:
            row["type"] += " " + self.choice_list(question)
        row |= self.texts("label", question.label) | self.texts("hint", question.hint)
        row |= _logic(question) | self.texts("constraint_message", question.constraint_message)
        other = next((o for o in question.options if o.is_other), None)
        return [row, self.other_text(question, other)] if other else [row]

    def other_text(self, question: QuestionDef, other: OptionDef) -> dict[str, str]:
        return {
            "type": "text",
            "name": question.key + OTHER_SUFFIX,
            **self.texts("label", other.label),
            "relevant": f"selected(${{{question.key}}}, '{other.key}')",
            "required": "yes",
            "constraint": f"string-length(.) <= {OTHER_TEXT_LIMIT}",
        }

    def choice_list(self, question: QuestionDef) -> str:
        if question.type == "country":
            if not self.countries:
                self.countries = True
                self.choices += self.country_rows()
            return "countries"
        name = f"{question.key}_options"
        for option in question.options:
            self.choices.append(
                {"list_name": name, "name": option.key, **self.texts("label", option.label)}
                | option.filters
            )
        return name

    def country_rows(self) -> list[dict[str, str]]:
        names = {code: dict(country_names(code)) for code in self.definition.languages}
        first = self.definition.languages[0]
        return [
            {"list_name": "countries", "name": code}
            | self.texts("label", {lang: names[lang][code] for lang in names})
            for code, _name in country_names(first)
        ]


def _logic(question: QuestionDef) -> dict[str, str]:
    """The question's XLSForm columns of logic, its limits written as constraints."""
    row = {name: getattr(question, name) for name in ("relevant", "choice_filter")}
    row["required"] = "yes" if question.required else question.required_when
    terms = [f"({question.constraint})"] if question.constraint else []
    if question.min_value is not None:
        terms.append(f". >= {question.min_value}")
    if question.max_value is not None:
        terms.append(f". <= {question.max_value}")
    if question.type == "text":
        terms.append(f"string-length(.) <= {question.max_length or DEFAULT_TEXT_LIMIT}")
    if question.max_choices:
        terms.append(f"count-selected(.) <= {question.max_choices}")
    row["constraint"] = " and ".join(terms)
    return {name: value for name, value in row.items() if value}
