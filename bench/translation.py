"""Why translations matter: one conversation among three language communities (Arabic,
Chinese, French) whose three opinion groups cut across the languages.

Each person belongs to a language community and, independently, to an opinion group.
Each community writes its own statements; each statement is agreed with by some opinion
groups and rejected by the others; a person votes their group's way (a tenth of votes
flipped, a sixth passed) on the statements they are shown:

- translated: statements come to everyone, in their language (as with translations); each
  person votes on 60% of all statements;
- untranslated: each community sees only its own statements (as without translations);
  each person votes on 60% of theirs.

Same people, same opinions, same statements; the platform's map (the Pol.is pipeline,
updated as the votes arrive, person after person: opinion/replay.py) and our earlier
k-means pipeline (one computation); how the groups found agree (ARI) with the planted
opinions and with the languages. Three seeds.

    .venv/bin/python bench/translation.py
"""

import numpy as np
from common import machine, save
from sklearn.metrics import adjusted_rand_score

from globaldialogue.opinion import compute_map
from globaldialogue.opinion.replay import replay_map

LANGUAGES = ("ar", "zh-hans", "fr")
PEOPLE_PER_LANGUAGE = 400
STATEMENTS_PER_LANGUAGE = 20
OPINIONS = 3


def conversation(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    people = PEOPLE_PER_LANGUAGE * len(LANGUAGES)
    language = np.repeat(np.arange(len(LANGUAGES)), PEOPLE_PER_LANGUAGE)
    opinion = rng.integers(0, OPINIONS, people)
    statements = STATEMENTS_PER_LANGUAGE * len(LANGUAGES)
    written_in = np.repeat(np.arange(len(LANGUAGES)), STATEMENTS_PER_LANGUAGE)
    # Each statement: agreed by one or two opinion groups, rejected by the rest.
    stance = np.where(rng.random((OPINIONS, statements)) < 0.5, 1, -1)
    stance[:, stance.sum(axis=0) == OPINIONS] *= np.array([[1], [-1], [1]])
    stance[:, stance.sum(axis=0) == -OPINIONS] *= np.array([[1], [-1], [1]])
    return {
        "language": language,
        "opinion": opinion,
        "written_in": written_in,
        "stance": stance,
    }


def votes(world: dict[str, np.ndarray], translated: bool, seed: int):
    rng = np.random.default_rng(seed + 100)
    people, statements = len(world["language"]), len(world["written_in"])
    shown = np.ones((people, statements), dtype=bool)
    if not translated:
        shown = world["language"][:, None] == world["written_in"][None, :]
    chosen = shown & (rng.random((people, statements)) < 0.6)
    rows, cols = np.nonzero(chosen)
    values = world["stance"][world["opinion"][rows], cols]
    values = values * np.where(rng.random(len(rows)) < 0.1, -1, 1)
    values[rng.random(len(rows)) < 1 / 6] = 0
    return rows, cols, values


def agreement(result, truth: np.ndarray) -> float:
    placed = result.groups >= 0
    people = result.participants[placed]
    return round(float(adjusted_rand_score(truth[people], result.groups[placed])), 3)


def measure(seed: int) -> dict:
    world = conversation(seed)
    found = {}
    for translated in (True, False):
        rows, cols, values = votes(world, translated, seed)
        for pipeline in ("polis", "kmeans"):
            if pipeline == "polis":  # as votes arrive, person after person, 100 updates
                result = replay_map(rows, cols, values)
            else:
                result = compute_map(rows, cols, values, pipeline=pipeline)
            found[f"{'translated' if translated else 'untranslated'}_{pipeline}"] = {
                "k": result.k,
                "ari_with_opinions": agreement(result, world["opinion"]),
                "ari_with_languages": agreement(result, world["language"]),
            }
    return found


if __name__ == "__main__":
    save(
        "translation",
        {
            "machine": machine(),
            "people": PEOPLE_PER_LANGUAGE * len(LANGUAGES),
            "statements": STATEMENTS_PER_LANGUAGE * len(LANGUAGES),
            "seeds": {seed: measure(seed) for seed in (0, 1, 2)},
        },
    )
