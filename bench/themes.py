"""Themes in 100,000 open answers in six languages (the four planted themes of
themes/tests/planted.py, each answer drawn from them with a random lead-in in its language,
so the true theme of every answer is known).

Ours (`themes.find_themes`: multilingual embeddings centred per language, k-means, the
number of themes chosen) against the usual fallback in the same run: TF-IDF + NMF per
language (4 topics each), which cannot see that answers in two languages say the same.
Agreement with the planted themes: adjusted Rand index (1 is perfect, 0 is chance).

    .venv/bin/python bench/themes.py [answers]
"""

import random
import sys

import numpy as np
from common import machine, save, timed
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from globaldialogue.themes.extract import find_themes
from globaldialogue.themes.tests.planted import PLANTED

LEAD_IN = {
    "en": ["", "I think: ", "For me, ", "Honestly, "],
    "fr": ["", "Je pense : ", "Pour moi, ", "Franchement, "],
    "es": ["", "Creo que: ", "Para mí, ", "Sinceramente, "],
    "ar": ["", "أعتقد: ", "بالنسبة لي، "],
    "zh": ["", "我认为：", "对我来说，"],
    "ru": ["", "Я думаю: ", "Для меня ", "Честно говоря, "],
}


def answers(n: int) -> tuple[list[str], list[str], list[str]]:
    rng = random.Random(3)
    pool = [
        (theme, language, text)
        for theme, by_language in PLANTED.items()
        for language, texts in by_language.items()
        for text in texts
    ]
    texts, languages, truth = [], [], []
    for _ in range(n):
        theme, language, text = rng.choice(pool)
        texts.append(rng.choice(LEAD_IN[language]) + text)
        languages.append(language)
        truth.append(theme)
    return texts, languages, truth


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
    baseline, baseline_s = timed(lambda: nmf_per_language(texts, languages))
    save(
        "themes",
        {
            "machine": machine(),
            "answers": n,
            "ours": {
                "seconds": round(ours_s, 1),
                "answers_per_second": round(n / ours_s),
                "themes": len(found.themes),
                "ari": round(adjusted_rand_score(truth, found.assigned), 3),
                "ari_with_language": round(adjusted_rand_score(languages, found.assigned), 3),
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
