"""Near-duplicates across languages: what the moderators' and authors' checks find.

The demo's 16 seed statements, each in the six UN languages (96 texts): a pair of texts
of one seed in two languages is a translation (240 pairs) that should be found; a pair of
two different seeds (4,320 pairs) should not. Peer: the character 3-grams (hints.py), the
only check before deliberation/meaning.py, on the same pairs. Then the cost of one check
against a conversation of 10,000 statements, each way.

    .venv/bin/python bench/duplicates.py
"""

import json
import time

import numpy as np
from common import ROOT, machine, save

from globaldialogue.deliberation.hints import _VECTORIZER
from globaldialogue.deliberation.hints import MEANING_NEAR as NEAR
from globaldialogue.deliberation.hints import MEANING_OFFER as OFFER
from globaldialogue.deliberation.text import normalized
from globaldialogue.themes.embed import use_encoder

THRESHOLDS = (0.55, NEAR, 0.65, OFFER, 0.75, 0.85)
STATEMENTS = 10_000


def seed_texts() -> tuple[list[str], np.ndarray, np.ndarray]:
    data = json.loads((ROOT / "src/globaldialogue/deliberation/data/priorities.json").read_text())
    texts, seeds, languages = [], [], []
    for number, seed in enumerate(data["seeds"]):
        for language, text in {seed["language"]: seed["text"], **seed["translations"]}.items():
            texts.append(text)
            seeds.append(number)
            languages.append(language)
    return texts, np.array(seeds), np.array(languages)


def found(scores: np.ndarray, seeds: np.ndarray, languages: np.ndarray) -> dict:
    translation = (seeds[:, None] == seeds[None, :]) & (languages[:, None] != languages[None, :])
    different = seeds[:, None] != seeds[None, :]
    return {
        str(threshold): {
            "translations_found": round(float((scores[translation] >= threshold).mean()), 3),
            "different_pairs_over": int((scores[different] >= threshold).sum() // 2),
        }
        for threshold in THRESHOLDS
    }


def check_cost(encoder) -> dict:
    rng = np.random.default_rng(0)
    words = [f"w{n}" for n in range(3000)]
    corpus = [" ".join(rng.choice(words, 12)) for _ in range(STATEMENTS)]
    grams = _VECTORIZER.transform(corpus)
    vectors = rng.standard_normal((STATEMENTS, 512)).astype(np.float16)
    encoder(["warm up"])
    text = "Every child should finish secondary school."
    start = time.perf_counter()
    for _ in range(20):
        (grams @ _VECTORIZER.transform([normalized(text)]).T).toarray()
    trigram = (time.perf_counter() - start) / 20
    start = time.perf_counter()
    for _ in range(20):
        vectors.astype(np.float32) @ encoder([text])[0]
    meaning = (time.perf_counter() - start) / 20
    return {
        "statements": STATEMENTS,
        "trigram_ms": round(1000 * trigram, 2),
        "meaning_ms": round(1000 * meaning, 2),
        "ratio": round(meaning / trigram, 1),
    }


if __name__ == "__main__":
    texts, seeds, languages = seed_texts()
    encoder = use_encoder(threads=1)
    embedded = encoder(texts)
    grams = _VECTORIZER.transform([normalized(t) for t in texts])
    save(
        "duplicates",
        {
            "machine": machine(),
            "texts": len(texts),
            "meaning": found(embedded @ embedded.T, seeds, languages),
            "trigrams": found((grams @ grams.T).toarray(), seeds, languages),
            "check": check_cost(encoder),
        },
    )
