"""Language identification of 100,000 short open answers (the six UN languages).

Answers are drawn from the hand-labelled set in themes/tests/test_language.py (one to eight
words; two in three of one or two words, as in a one-minute survey), so accuracy is known.
Ours (`themes.LanguageIdentifier`: fastText lite for all, Lingua for the unsure) against,
in the same run: fastText lite alone, and Lingua alone (restricted to the six languages).

    .venv/bin/python bench/language.py [answers]
"""

import random
import sys

from common import machine, save, timed

from globaldialogue.themes import LanguageIdentifier
from globaldialogue.themes.tests.test_language import ANSWERS, UN


def main(n: int) -> None:
    rng = random.Random(1)
    sample = [rng.choice(ANSWERS) for _ in range(n)]
    texts = [text for text, _language in sample]
    identifier = LanguageIdentifier(UN)
    identifier.identify(texts[:100])  # load the models first

    def accuracy(found: list) -> float:
        right = sum(f == language for f, (_t, language) in zip(found, sample, strict=True))
        return round(right / n, 4)

    ours, ours_s = timed(lambda: [g.language for g in identifier.identify(texts)])
    fast, fast_s = timed(lambda: [identifier.fast_guess(t).language for t in texts])
    lingua, lingua_s = timed(
        lambda: [
            language.iso_code_639_1.name.lower() if language else None
            for language in identifier.lingua.detect_languages_in_parallel_of(texts)
        ]
    )
    save(
        "language",
        {
            "machine": machine(),
            "answers": n,
            "ours": {
                "seconds": round(ours_s, 2),
                "per_second": round(n / ours_s),
                "accuracy": accuracy(ours),
            },
            "fasttext_alone": {
                "seconds": round(fast_s, 2),
                "per_second": round(n / fast_s),
                "accuracy": accuracy(fast),
            },
            "lingua_alone": {
                "seconds": round(lingua_s, 2),
                "per_second": round(n / lingua_s),
                "accuracy": accuracy(lingua),
            },
        },
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
