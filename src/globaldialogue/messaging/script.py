"""The survey by text message, one turn at a time: what a chat asks, and what it makes of
the reply. Reads the survey's definition and the chat's state; stores nothing (actions.py
keeps the state and sends the replies).

A chat goes: a language (unless the number offers one), consent, then each question asked
(skip logic and choice filters as on every channel), one per message, with numbered options
in the chat's language. STOP ends it anywhere; BACK and SKIP where the question allows. An
answer is checked as it comes, with the same rules the store applies to the whole response.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from globaldialogue.lib.countries import country_names, find_country
from globaldialogue.lib.translated import normalize_language, pick
from globaldialogue.messaging import keywords
from globaldialogue.messaging.keywords import folded as _folded
from globaldialogue.surveys.definition import Definition, QuestionDef
from globaldialogue.surveys.logic import answer_values, asked_keys, offered_keys
from globaldialogue.surveys.validation import Invalid, clean_answer, validate_answers

NUMBERS = re.compile(r"[\s,;.]+")


@dataclass
class State:
    """What a chat remembers between messages (its model's fields of the same names)."""

    step: str = "language"
    language: str = ""
    question: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)


@dataclass
class Turn:
    replies: list[str]
    ended: str = ""  # "done" (all asked: store it) or "stopped"


class Script:
    def __init__(
        self,
        definition: Definition,
        languages: list[str],
        country: str = "",
        country_from_number: bool = False,
    ) -> None:
        self.definition = definition
        self.languages = [code for code in languages if code in definition.languages] or list(
            definition.languages
        )
        self.country = country  # from the sender's number: offered as the first answer
        # The country question answered from the number, not asked (asked when unknown).
        self.country_from_number = country_from_number and bool(country)

    # --- turns -------------------------------------------------------------------------

    def begin(self, state: State, text: str) -> Turn:
        """The first message of a chat: a language named in it is taken at once (STOP as
        a first message ends it, as anywhere)."""
        if keywords.meaning(text, "") == "stop":
            return self.reply(state, text)
        if len(self.languages) == 1 or (language := self._language_named(text)):
            state.language = self.languages[0] if len(self.languages) == 1 else language
            state.step = "consent"
        else:
            state.step = "language"
        return Turn([self.prompt(state)])

    def reply(self, state: State, text: str) -> Turn:
        with translation.override(state.language or self.languages[0]):
            word = keywords.meaning(text, state.language)
            if word == "stop":
                state.step = "stopped"
                return Turn(
                    [_("You will get no more messages. Nothing you answered is kept.")], "stopped"
                )
            if state.step == "language":
                return self._choose_language(state, text)
            if state.step == "consent":
                return self._consent(state, text, word)
            if word == "back" and state.asked:
                return self._back(state)
            if word == "skip" and state.step == "question":
                return self._skip(state)
            return self._answer(state, text)

    def prompt(self, state: State) -> str:
        """What the chat is waiting for, said again (after a pause, with a reminder)."""
        with translation.override(state.language or self.languages[0]):
            if state.step == "language":
                return self._language_menu()
            if state.step == "consent":
                return self._consent_text()
            if state.step == "other":
                return _("Please say what you mean by “other”.")
            return self._asking(state)

    # --- language and consent ----------------------------------------------------------

    def _language_menu(self) -> str:
        lines = [f"{n} {language_name(code)}" for n, code in enumerate(self.languages, 1)]
        return "\n".join([*lines, f"(1-{len(self.languages)})"])

    def _language_named(self, text: str) -> str:
        wanted = _folded(text)
        for n, code in enumerate(self.languages, 1):
            if wanted in (str(n), _folded(code), _folded(language_name(code))):
                return code
        return ""

    def _choose_language(self, state: State, text: str) -> Turn:
        state.language = self._language_named(text)
        if not state.language:
            return Turn([self._language_menu()])
        state.step = "consent"
        return Turn([self.prompt(state)])

    def _consent_text(self) -> str:
        title = self.definition.title_in(translation.get_language() or "")
        count = len(self.definition.questions)
        said = ngettext(
            "%(title)s: %(count)d question. Your number is not kept with your answers.",
            "%(title)s: %(count)d questions. Your number is not kept with your answers.",
            count,
        ) % {"title": title, "count": count}
        start = _("Reply 1 to begin, or %(stop)s to stop at any time.") % {
            "stop": self._word("stop")
        }
        return f"{said} {start}"

    def _consent(self, state: State, text: str, word: str) -> Turn:
        if word != "yes" and _folded(text) != "1":
            return Turn([self._consent_text()])
        return self._ask_after(state, None)

    # --- questions ---------------------------------------------------------------------

    def _question(self, state: State) -> QuestionDef:
        return self.definition.questions_by_key[state.question]

    def _asking(self, state: State) -> str:
        """The question asked now, its options numbered as the answers so far let through."""
        question = self._question(state)
        return self.question_text(question, self._choices(question, state.answers))

    def question_text(self, question: QuestionDef, choices: list[tuple[str, str]]) -> str:
        """A question as a message: its text, the numbered `choices`, how to answer."""
        language = translation.get_language() or ""
        lines = [pick(question.label, language, self.definition.languages)]
        lines += [f"{n} {label}" for n, (_key, label) in enumerate(choices, 1)]
        lines.append(self._how_to_answer(question, len(choices)))
        return "\n".join(line for line in lines if line)

    def _how_to_answer(self, question: QuestionDef, count: int) -> str:
        if question.type == "country":
            said = (
                _("Reply 1, or your country's name.")
                if self.country
                else _("Reply with your country's name.")
            )
        elif question.type == "multiple":
            said = _("Reply with one or more numbers, e.g. 1 3.")
        elif question.is_choice:
            said = _("Reply with a number from 1 to %(count)d.") % {"count": count}
        elif question.type == "integer":
            said = _("Reply with a number.")
        else:
            said = _("Reply in your own words.")
        if not question.required and not question.required_when:
            said += " " + _("%(skip)s to skip.") % {"skip": self._word("skip")}
        return said

    def _choices(self, question: QuestionDef, answers: dict[str, Any]) -> list[tuple[str, str]]:
        """(option key, label) as numbered in the message: the options its choice filter lets
        through; a country question offers the number's country."""
        language = translation.get_language() or ""
        if question.type == "country":
            names = dict(country_names(language))
            return [(self.country, names[self.country])] if self.country in names else []
        offered = (
            offered_keys(question, answer_values(self.definition, answers))
            if question.choice_filter
            else None
        )
        return [
            (o.key, pick(o.label, language, self.definition.languages))
            for o in question.options
            if offered is None or o.key in offered
        ]

    def _answer(self, state: State, text: str) -> Turn:
        question = self._question(state)
        try:
            value = self._read(state, question, text)
        except Invalid as invalid:
            return Turn([invalid.error.message, self.prompt(state)])
        if state.step == "other":
            return self._checked(state, question, value)
        other = _chosen_other(question, value)
        if other:
            state.step = "other"
            state.answers[question.key] = value
            return Turn([_("Please say what you mean by “other”.")])
        return self._checked(state, question, value)

    def _read(self, state: State, question: QuestionDef, text: str) -> Any:
        if state.step == "other":
            return _with_other_text(question, state.answers.get(question.key), text)
        if question.type == "country":
            return self._country(text)
        if question.type == "multiple":
            return [
                self._option(state, question, part) for part in NUMBERS.split(text.strip()) if part
            ]
        if question.is_choice:
            return self._option(state, question, text)
        return text

    def _option(self, state: State, question: QuestionDef, text: str) -> str:
        choices = self._choices(question, state.answers)
        wanted = _folded(text)
        for n, (key, label) in enumerate(choices, 1):
            if wanted in (str(n), _folded(label), _folded(key)):
                return key
        raise Invalid(
            "unknown_option",
            _("Reply with a number from 1 to %(count)d.") % {"count": len(choices)},
        )

    def _country(self, text: str) -> str:
        if _folded(text) == "1" and self.country:
            return self.country
        found = find_country(text, [translation.get_language() or "en"])
        if found is None:
            raise Invalid("unknown_option", _("We did not find that country. Reply with its name."))
        return found

    def _checked(self, state: State, question: QuestionDef, value: Any) -> Turn:
        """The answer against the survey's rules, as the store will check the whole response."""
        try:
            cleaned = clean_answer(question, value)
        except Invalid as invalid:
            return Turn([invalid.error.message, self.prompt(state)])
        answers = {**state.answers, question.key: cleaned}
        _kept, errors = validate_answers(self.definition, answers)
        if question.key in errors:
            state.step = "question"
            return Turn([errors[question.key][0].message, self.prompt(state)])
        state.answers = answers
        return self._ask_after(state, question.key)

    def _skip(self, state: State) -> Turn:
        question = self._question(state)
        if question.required or question.required_when:
            return Turn([_("This question needs an answer."), self.prompt(state)])
        state.answers.pop(question.key, None)
        return self._ask_after(state, question.key)

    def _back(self, state: State) -> Turn:
        """To the question asked before this one (its answer given again)."""
        if state.step == "other" or state.question not in state.asked:
            previous = state.question
        else:
            previous = state.asked[max(state.asked.index(state.question) - 1, 0)]
        state.step, state.question = "question", previous
        return Turn([self.prompt(state)])

    def _ask_after(self, state: State, key: str | None) -> Turn:
        """The next question asked given the answers so far; the end when there is none."""
        keys = [q.key for q in self.definition.questions]
        later = keys[keys.index(key) + 1 :] if key else keys
        asked = asked_keys(self.definition, state.answers)
        following = next((k for k in later if k in asked), None)
        # Answers to questions the new answers no longer ask are dropped (as on the web).
        state.answers = {k: v for k, v in state.answers.items() if k in asked}
        if following is None:
            state.step, state.question = "done", ""
            return Turn([], "done")
        question = self.definition.questions_by_key[following]
        if question.type == "country" and self.country_from_number:
            state.answers[following] = self.country
            return self._ask_after(state, following)
        state.step, state.question = "question", following
        if following not in state.asked:
            state.asked.append(following)
        return Turn([self.prompt(state)])

    def _word(self, meaning: str) -> str:
        return keywords.word_for(meaning, translation.get_language() or "")


def language_name(code: str) -> str:
    """A language's name in itself ("Français"): the site's own names, else CLDR's."""
    code = normalize_language(code)
    if code in (named := dict(settings.LANGUAGES)):
        return named[code]
    try:
        name = Locale.parse(normalize_language(code).replace("-", "_")).get_display_name()
    except (UnknownLocaleError, ValueError):
        return code
    return (name or code)[:1].upper() + (name or code)[1:]


def _chosen_other(question: QuestionDef, value: Any) -> bool:
    chosen = value if isinstance(value, list) else [value]
    return any(
        isinstance(key, str) and (o := question.options_by_key.get(key)) is not None and o.is_other
        for key in chosen
    )


def _with_other_text(question: QuestionDef, value: Any, text: str) -> Any:
    """The answer with its "other" option's words put in (one option, or one in a list)."""
    if isinstance(value, list):
        return [_with_other_text(question, item, text) for item in value]
    option = question.options_by_key.get(value) if isinstance(value, str) else None
    return {"option": value, "text": text} if option is not None and option.is_other else value
