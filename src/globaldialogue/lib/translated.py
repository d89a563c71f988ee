"""Translated text stored as data: a dict from language code to text; and ShownText, what
others wrote as one reader sees it (web/_text.html prints it).

Survey content (titles, questions, options) is data, not gettext: organizers write it per
language. A lookup falls back to the survey's first language, then to any text at all.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

LANGUAGE_ALIASES = {
    "zh": "zh-hans",
    "zh-cn": "zh-hans",
    "zh-sg": "zh-hans",
    "zh-hans-cn": "zh-hans",
    "zh-tw": "zh-hant",
    "zh-hk": "zh-hant",
}


def normalize_language(code: str) -> str:
    """Lower-case BCP 47 with hyphens, with Chinese variants mapped to Django's codes."""
    code = code.strip().replace("_", "-").lower()
    return LANGUAGE_ALIASES.get(code, code)


def pick(text: Mapping[str, str] | None, language: str, fallbacks: Sequence[str] = ()) -> str:
    if not text:
        return ""
    for code in (language, *fallbacks):
        if text.get(code):
            return text[code]
    return next((value for value in text.values() if value), "")


@dataclass(frozen=True)
class ShownText:
    """Words someone wrote, in the reader's language where a translation exists."""

    text: str
    language: str  # of `text`
    original_language: str
    original_text: str
    machine: bool = False  # a machine's translation that no person has reviewed

    @property
    def translated(self) -> bool:
        return self.language != self.original_language

    @property
    def machine_translated(self) -> bool:
        return self.machine

    def as_dict(self) -> dict[str, str | bool]:
        """As the API and templates take it (web/_text.html reads both)."""
        return {
            "text": self.text,
            "language": self.language,
            "original_language": self.original_language,
            "original_text": self.original_text,
            "machine_translated": self.machine,
            "translated": self.translated,
        }


def choose(
    text: str, language: str, languages: Sequence[str], translations: Mapping[str, tuple[str, bool]]
) -> ShownText:
    """`text` (written in `language`) for a reader of `languages`, best first: the first of
    them it was written or translated in (`translations`: language -> (text, by a machine
    unreviewed)), else as written."""
    for wanted in languages:
        if wanted == language:
            break
        if wanted in translations:
            translated, machine = translations[wanted]
            return ShownText(translated, wanted, language, text, machine)
    return ShownText(text, language, language, text)
