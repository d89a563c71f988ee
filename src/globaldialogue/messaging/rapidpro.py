"""RapidPro runs read as survey responses. A run comes two ways: the body of the flow's
webhook (RapidPro's default body: contact, flow, path, results, run, input, channel; each
result {name, value, category, input, ...} under its key) and an item of the `runs` API
(`values` under each result's key, `exited_on`, `exit_type`, `modified_on`).

Each mapped result becomes an answer: a choice by the result's category or value matched
to an option's key, its label in any of the survey's languages, or its number; several
choices from numbers or keys in the value ("1 3", "a, c"); a country by code or name; a
whole number; text as given. A result matching nothing is left out and noted."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from globaldialogue.lib.countries import find_country
from globaldialogue.messaging.keywords import folded
from globaldialogue.surveys.definition import Definition, QuestionDef

# Response ids of RapidPro runs: uuid5 of this and the run's uuid, so the webhook and the
# poller store a run once between them.
RESPONSE_NAMESPACE = uuid.UUID("6d1f0b52-8a43-5c7e-b1d9-2e4f6a8c0b13")
SEPARATORS = re.compile(r"[\s,;]+")
PERSONAL = {"name", "urn", "urns", "fields"}  # of a contact: never kept


class Unreadable(ValueError):
    """Not a run RapidPro would send (said in one sentence)."""


@dataclass(frozen=True)
class Run:
    run_uuid: uuid.UUID
    flow_uuid: str
    values: dict[str, dict[str, Any]]  # result key -> {value, category, input, name}
    modified_on: datetime | None = None

    @property
    def response_id(self) -> uuid.UUID:
        return uuid.uuid5(RESPONSE_NAMESPACE, str(self.run_uuid))


def run_from_webhook(body: Any) -> Run:
    """A run from the webhook's body (the flow calls it at its end)."""
    if not isinstance(body, dict):
        raise Unreadable("The body is a JSON object: RapidPro's default webhook body.")
    run, flow, results = body.get("run"), body.get("flow"), body.get("results")
    run_id = run.get("uuid") if isinstance(run, dict) else run
    if not isinstance(flow, dict) or not isinstance(results, dict):
        raise Unreadable("The body needs `flow` and `results` (RapidPro's default body).")
    return Run(_uuid(run_id, "run.uuid"), str(flow.get("uuid", "")), _values(results))


def run_from_api(item: Any) -> Run:
    """A run from RapidPro's runs API."""
    if not isinstance(item, dict) or not isinstance(item.get("values", {}), dict):
        raise Unreadable("A run of the runs API is an object with `uuid` and `values`.")
    flow = item.get("flow") or {}
    return Run(
        _uuid(item.get("uuid"), "uuid"),
        str(flow.get("uuid", "")) if isinstance(flow, dict) else "",
        _values(item.get("values") or {}),
        parse_time(item.get("modified_on")),
    )


def _uuid(raw: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise Unreadable(f"The run's `{name}` is not a UUID.") from None


def _values(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(key): value for key, value in results.items() if isinstance(value, dict)}


def parse_time(raw: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return None


def result_key(name: str) -> str:
    """A name as RapidPro keys its result: lower case, anything else an underscore."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def answers_of(
    definition: Definition, run: Run, mapping: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """The run's answers by question key, and the result keys that matched nothing."""
    by_result = {result_key(q.key): q for q in definition.questions}
    by_result.update(
        {
            result_key(k): definition.questions_by_key[v]
            for k, v in mapping.items()
            if v in definition.questions_by_key
        }
    )
    answers: dict[str, Any] = {}
    unread: list[str] = []
    for key, result in run.values.items():
        question = by_result.get(result_key(key))
        if question is None:
            continue  # not a survey question: the flow's own
        value = read_result(definition, question, result)
        if value is None:
            unread.append(key)
        else:
            answers[question.key] = value
    return answers, unread


def read_result(definition: Definition, question: QuestionDef, result: dict[str, Any]) -> Any:
    """The answer a result gives to `question` (None when it matches nothing)."""
    value = str(result.get("value") or "").strip()
    category = str(result.get("category") or "").strip()
    if question.type == "text":
        return value or None
    if question.type == "integer":
        return _number(value)
    if question.type == "country":
        return find_country(value, definition.languages) or find_country(
            category, definition.languages
        )
    if question.type == "multiple":
        return _several(definition, question, value, category)
    return _one(definition, question, category, value)


def _one(definition: Definition, question: QuestionDef, *candidates: str) -> Any:
    for candidate in candidates:
        key = _option(definition, question, candidate)
        if key is not None:
            option = question.options_by_key[key]
            text = candidates[-1]
            return {"option": key, "text": text} if option.is_other and text else key
    return None


def _several(definition: Definition, question: QuestionDef, value: str, category: str) -> Any:
    parts = [p for p in SEPARATORS.split(value) if p]
    keys = [_option(definition, question, part) for part in parts]
    if parts and all(key is not None for key in keys):
        return sorted({key for key in keys if key is not None})
    single = _one(definition, question, category, value)
    return [single] if single is not None else None


def _option(definition: Definition, question: QuestionDef, text: str) -> str | None:
    wanted = folded(text)
    if not wanted:
        return None
    for n, option in enumerate(question.options, 1):
        labels = [folded(option.label.get(code, "")) for code in definition.languages]
        if wanted in (str(n), folded(option.key), *labels):
            return option.key
    return None


def _number(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def kept(payload: dict[str, Any]) -> dict[str, Any]:
    """A run as kept for audit: without the contact's name and addresses (URNs), which
    RapidPro sends unless the partner's workspace is anonymised."""
    copy = dict(payload)
    if isinstance(copy.get("contact"), dict):
        copy["contact"] = {k: v for k, v in copy["contact"].items() if k not in PERSONAL}
    if isinstance(copy.get("input"), dict):
        copy["input"] = {k: v for k, v in copy["input"].items() if k not in PERSONAL}
    return copy
