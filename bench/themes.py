"""Themes in open answers in six languages, built from the four planted themes of
themes/tests/planted.py as people type on phones (one or two of a theme's sentences, a
lead-in and a tail in the answer's language, slips of the thumb, lower case, exclamation
marks: most answers distinct, and the true theme of every answer known).

Ours (`themes.find_themes`: distinct answers embedded once in a process per core,
multilingual embeddings centred per language, k-means started from a Ward hierarchy of
distinct answers that also chooses the number of themes, learnt on a sample) against the
usual fallback in the same run: TF-IDF + NMF per language (4 topics each), which cannot see
that answers in two languages say the same. Agreement with the planted themes: adjusted
Rand index (1 is perfect, 0 is chance).

    .venv/bin/python bench/themes.py [answers]      (100,000 by default; the issue's 1000000)
"""

import random
import resource
import sys

import numpy as np
from common import machine, save, timed
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from globaldialogue.themes.embed import embed
from globaldialogue.themes.extract import find_themes
from globaldialogue.themes.tests.planted import PLANTED

LEAD_IN = {
    "en": ["", "I think: ", "For me, ", "Honestly, ", "We need: "],
    "fr": ["", "Je pense : ", "Pour moi, ", "Franchement, ", "Il faut : "],
    "es": ["", "Creo que: ", "Para mí, ", "Sinceramente, ", "Necesitamos: "],
    "ar": ["", "أعتقد: ", "بالنسبة لي، ", "نحتاج إلى: "],
    "zh": ["", "我认为：", "对我来说，", "我们需要："],
    "ru": ["", "Я думаю: ", "Для меня ", "Честно говоря, ", "Нужно: "],
}
EMBEDDING_SAMPLE = 40_000
AND = {"en": " and ", "fr": " et ", "es": " y ", "ar": " و", "zh": "，", "ru": " и "}
TAIL = {
    "en": ["", "", " for my children", " in my country", " everywhere", " by 2045", " please"],
    "fr": ["", "", " pour mes enfants", " dans mon pays", " partout", " d'ici 2045"],
    "es": ["", "", " para mis hijos", " en mi país", " en todas partes", " para 2045"],
    "ar": ["", "", " لأطفالي", " في بلدي", " في كل مكان", " بحلول 2045"],
    "zh": ["", "", "，为了我的孩子", "，在我的国家", "，在世界各地", "，到2045年"],
    "ru": ["", "", " для моих детей", " в моей стране", " везде", " к 2045 году"],
}


def answers(n: int) -> tuple[list[str], list[str], list[str]]:
    """Answers as people type them on phones: one or two of a theme's sentences, a lead-in
    and a tail, sometimes a slip of the thumb, in lower case or with an exclamation mark;
    nearly all different from each other (the share of distinct answers is reported)."""
    rng = random.Random(3)
    themes = sorted(PLANTED)
    texts, languages, truth = [], [], []
    for _ in range(n):
        theme = rng.choice(themes)
        language = rng.choice(sorted(PLANTED[theme]))
        said = rng.sample(PLANTED[theme][language], rng.choice((1, 1, 2)))
        text = rng.choice(LEAD_IN[language]) + AND[language].join(said) + rng.choice(TAIL[language])
        texts.append(_typed(text, rng))
        languages.append(language)
        truth.append(theme)
    return texts, languages, truth


def _typed(text: str, rng: random.Random) -> str:
    for chance in (0.8, 0.5):  # slips: a letter doubled or dropped
        if rng.random() < chance:
            at = rng.randrange(len(text))
            text = text[:at] + text[at] * rng.choice((0, 2)) + text[at + 1 :]
    if rng.random() < 0.2:
        text = text.lower()
    return text + rng.choice(("", "", ".", "!", "!!"))


def nmf_per_language(texts: list[str], languages: list[str]) -> list[str]:
    labels = [""] * len(texts)
    for language in sorted(set(languages)):
        rows = [i for i, code in enumerate(languages) if code == language]
        analyzer = {"analyzer": "char", "ngram_range": (2, 3)} if language == "zh" else {}
        matrix = TfidfVectorizer(sublinear_tf=True, **analyzer).fit_transform(
            [texts[i] for i in rows]
        )
        topics = NMF(4, random_state=0, max_iter=400).fit_transform(matrix).argmax(axis=1)
        for i, topic in zip(rows, topics, strict=True):
            labels[i] = f"{language}-{topic}"
    return labels


def main(n: int) -> None:
    texts, languages, truth = answers(n)
    found, ours_s = timed(lambda: find_themes(texts, languages))
    # Before the baseline runs. (The embedding workers' own peak cannot be read apart: a
    # spawned child's counts start from its parent's size at the fork before exec.)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    baseline, baseline_s = timed(lambda: nmf_per_language(texts, languages))
    sample = texts[:EMBEDDING_SAMPLE]
    _, workers_s = timed(lambda: embed(sample, processes=2))
    _, one_process_s = timed(lambda: embed(sample, processes=1))
    save(
        "themes",
        {
            "machine": machine(),
            "answers": n,
            "ours": {
                "seconds": round(ours_s, 1),
                "answers_per_second": round(n / ours_s),
                "distinct_answers": len(set(texts)),
                "peak_memory_mb": peak_mb,
                "themes": len(found.themes),
                "ari": round(adjusted_rand_score(truth, found.assigned), 3),
                "ari_with_language": round(adjusted_rand_score(languages, found.assigned), 3),
            },
            # Embedding alone, same answers: a single-threaded worker per core against one
            # process with two BLAS threads (what the encoder does by itself).
            "embedding_answers_per_second": {
                "answers": len(sample),
                "two_workers": round(len(sample) / workers_s),
                "one_process_two_threads": round(len(sample) / one_process_s),
            },
            "tfidf_nmf_per_language": {
                "seconds": round(baseline_s, 1),
                "topics": len(set(baseline)),
                "ari": round(adjusted_rand_score(truth, baseline), 3),
                "ari_within_languages": round(
                    float(
                        np.mean(
                            [
                                adjusted_rand_score(
                                    [
                                        t
                                        for t, code in zip(truth, languages, strict=True)
                                        if code == lang
                                    ],
                                    [
                                        b
                                        for b, code in zip(baseline, languages, strict=True)
                                        if code == lang
                                    ],
                                )
                                for lang in sorted(set(languages))
                            ]
                        )
                    ),
                    3,
                ),
            },
        },
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
