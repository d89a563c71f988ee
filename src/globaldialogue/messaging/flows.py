"""A survey as RapidPro flows (one per language), in RapidPro's export format, so a partner
starts from our questions and posts its runs back to us.

Each question is a node that sends it (options numbered, as our own text chats do) and waits
for the reply; its result is named by the question's key, so it maps to the question without
a mapping. A choice is recognised by its number or its words, anything else asks again; a
question that may be skipped takes SKIP. The last node calls our webhook with RapidPro's
default body and the partner's key (a global named `globaldialogue_key`), then thanks.
Skip logic and "other, please say" are left to our intake: the flow asks every question.
Node and category UUIDs are derived from the survey, so a new export updates the same flow.
"""

import json
import uuid
from typing import Any

from babel.core import get_global
from django.utils import translation
from django.utils.translation import gettext as _

from globaldialogue.lib.translated import pick
from globaldialogue.messaging import keywords
from globaldialogue.messaging.script import Script
from globaldialogue.surveys.definition import Definition, QuestionDef

SPEC_VERSION = "13.1.0"
NAMESPACE = uuid.UUID("2b8e4c1a-7d3f-5e9b-a6c2-0f1d3e5a7b9c")
CATEGORY_NAME_LIMIT = 36  # goflow's
# ISO 639-3 terminology codes where Babel's aliases also list other ones.
ISO_639_3 = {"en": "eng", "fr": "fra", "es": "spa", "ru": "rus", "ar": "ara", "zh": "zho"}
BIBLIOGRAPHIC = {
    "fre",
    "chi",
    "ger",
    "dut",
    "gre",
    "per",
    "rum",
    "slo",
    "alb",
    "arm",
    "baq",
    "bur",
    "cze",
    "geo",
    "ice",
    "mac",
    "mao",
    "may",
    "tib",
    "wel",
}
# The webhook's body: RapidPro's default (contact, flow, path, results, run, input, channel).
BODY = (
    '@(json(object("contact", object("uuid", contact.uuid, "name", contact.name, "urn", '
    'contact.urn), "flow", run.flow, "path", run.path, "results", foreach_value(results, '
    'extract_object, "value", "category", "name", "input"), "run", object("uuid", run.uuid, '
    '"created_on", run.created_on), "input", input, "channel", default(input.channel, null))))'
)


def language_3(code: str) -> str:
    """A language's ISO 639-3 code, as RapidPro names languages."""
    base = code.split("-")[0].lower()
    if base in ISO_639_3:
        return ISO_639_3[base]
    aliases = sorted(
        k for k, v in get_global("language_aliases").items() if v == base and len(k) == 3
    )
    return next((a for a in aliases if a not in BIBLIOGRAPHIC), "und")


def export(
    definition: Definition, slug: str, languages: list[str], webhook: str, site: str
) -> dict[str, Any]:
    """RapidPro's export file: its flows (one per language) and nothing else."""
    flows = [flow_definition(definition, slug, language, webhook) for language in languages]
    return {
        "version": "13",
        "site": site,
        "flows": flows,
        "campaigns": [],
        "triggers": [],
        "fields": [],
        "groups": [],
    }


def flow_definition(
    definition: Definition, slug: str, language: str, webhook: str
) -> dict[str, Any]:
    made = _Ids(f"{slug}/{definition.number}/{language}")
    keys = [q.key for q in definition.questions]
    following = [made(f"node/{key}") for key in keys[1:]] + [made("node/end")]
    with translation.override(language):
        script = Script(definition, [language])
        nodes = [
            _QuestionNode(script, made, q).build(then)
            for q, then in zip(definition.questions, following, strict=True)
        ]
        nodes.append(_end_node(made, webhook))
    return {
        "uuid": str(made("flow")),
        "name": f"{definition.title_in(language)} ({language})"[:64],
        "spec_version": SPEC_VERSION,
        "language": language_3(language),
        "type": "messaging",
        "revision": definition.number,
        "expire_after_minutes": 10080,
        "localization": {},
        "nodes": nodes,
    }


class _Ids:
    """UUIDs derived from the survey and a path in the flow: the same on every export."""

    def __init__(self, root: str) -> None:
        self.root = root

    def __call__(self, path: str) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"{self.root}/{path}")


class _QuestionNode:
    """One question: it is sent, the reply waited for and sorted into categories."""

    def __init__(self, script: Script, made: _Ids, question: QuestionDef) -> None:
        self.script, self.question = script, question
        self.made = lambda path: str(made(f"{question.key}/{path}"))
        self.id = str(made(f"node/{question.key}"))
        self.categories: list[dict[str, Any]] = []
        self.cases: list[dict[str, Any]] = []
        self.exits: list[dict[str, Any]] = []

    def build(self, following: uuid.UUID) -> dict[str, Any]:
        then = str(following)
        question = self.question
        if not question.required and not question.required_when:
            skip = keywords.word_for("skip", translation.get_language() or "").lower()
            self.case("has_any_word", [" ".join({"skip", skip})], self.category("Skipped", then))
        one_of = question.is_choice and question.type not in ("multiple", "country")
        for n, (key, label) in enumerate(self.choices() if one_of else [], 1):
            answered = self.category(self.name_for(key, label, n), then)
            self.case("has_number_eq", [str(n)], answered)
            self.case("has_phrase", [label], answered)
        if question.type in ("text", "integer", "multiple", "country"):
            test, name = (
                ("has_number", "Has Number")
                if question.type == "integer"
                else ("has_text", "Has Text")
            )
            self.case(test, [], self.category(name, then))
        again = self.category("Other", self.id)  # anything else: asked again
        return {
            "uuid": self.id,
            "actions": [
                {
                    "type": "send_msg",
                    "uuid": self.made("send"),
                    "text": self.script.question_text(question, self.choices()),
                    "quick_replies": [],
                }
            ],
            "router": {
                "type": "switch",
                "wait": {"type": "msg"},
                "result_name": question.key,
                "categories": self.categories,
                "operand": "@input.text",
                "cases": self.cases,
                "default_category_uuid": again,
            },
            "exits": self.exits,
        }

    def choices(self) -> list[tuple[str, str]]:
        """Every option but "other, please say" (the flow asks no follow-up), by its label."""
        language = translation.get_language() or ""
        languages = self.script.definition.languages
        options = [o for o in self.question.options if not o.is_other]
        return [(o.key, pick(o.label, language, languages)) for o in options]

    def category(self, name: str, destination: str) -> str:
        exit_id, category_id = self.made(f"exit/{name}"), self.made(f"category/{name}")
        self.exits.append({"uuid": exit_id, "destination_uuid": destination})
        self.categories.append({"uuid": category_id, "name": name, "exit_uuid": exit_id})
        return category_id

    def case(self, test: str, arguments: list[str], category: str) -> None:
        uid = self.made(f"case/{len(self.cases)}")
        self.cases.append(
            {"uuid": uid, "type": test, "arguments": arguments, "category_uuid": category}
        )

    def name_for(self, key: str, label: str, n: int) -> str:
        """The option's label where it fits goflow's limit and is not taken, else its key, else
        its number (each maps back to the option)."""
        taken = {c["name"].casefold() for c in self.categories} | {"other", "skipped"}
        for name in (label, key, str(n)):
            if 0 < len(name) <= CATEGORY_NAME_LIMIT and name.casefold() not in taken:
                return name
        return str(n)


def _end_node(made: _Ids, webhook: str) -> dict[str, Any]:
    headers = {
        "Content-Type": "application/json",
        "Authorization": "Bearer @globals.globaldialogue_key",
    }
    # The receipt as our webhook answered it.
    thanks = _("Thank you! Your answers are saved. Your receipt: %(receipt)s") % {
        "receipt": "@webhook.json.receipt"
    }
    return {
        "uuid": str(made("node/end")),
        "actions": [
            {
                "type": "call_webhook",
                "uuid": str(made("end/webhook")),
                "method": "POST",
                "url": webhook,
                "headers": headers,
                "body": BODY,
            },
            {
                "type": "send_msg",
                "uuid": str(made("end/thanks")),
                "text": thanks,
                "quick_replies": [],
            },
        ],
        "exits": [{"uuid": str(made("end/exit")), "destination_uuid": None}],
    }


def dumps(export: dict[str, Any]) -> str:
    return json.dumps(export, ensure_ascii=False, indent=2) + "\n"
