"""The demo consultation (UN75) and its clearly labelled synthetic sample."""

import json
import random
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.surveys import actions
from globaldialogue.surveys.definition import Definition, QuestionDef, definition_for
from globaldialogue.surveys.models import Survey

DEFINITION_FILE = Path(__file__).parent / "data" / "un75.json"
# Open answers with five planted themes in the six UN languages, for the themes analysis.
ADVICE_FILE = Path(__file__).parent / "data" / "demo_advice.json"
ADVICE_SHARE = 0.4  # of respondents write advice
ADVICE_THEMES = {"climate": 5, "peace": 4, "inequality": 4, "health": 3, "voice": 2}
# Fixed, so re-running the demo makes the same ids and every synthetic response counts once.
SAMPLE_NAMESPACE = uuid.UUID("6f1d0c7e-75c0-4a75-9e75-000000000075")
# Rough shares of respondents, so breakdown pages have big and small (suppressed) groups.
COUNTRY_WEIGHTS = {
    "IN": 14,
    "CN": 12,
    "NG": 6,
    "US": 5,
    "BR": 4,
    "ID": 4,
    "PK": 3,
    "MX": 3,
    "BD": 3,
    "ET": 2,
    "EG": 2,
    "FR": 2,
    "RU": 2,
    "DE": 2,
    "KE": 2,
    "ES": 2,
    "AR": 1,
    "CO": 1,
    "MA": 1,
    "SA": 1,
    "UA": 1,
    "ZA": 1,
    "TR": 1,
    "PH": 1,
    "VN": 1,
    "JO": 0.3,
    "FJ": 0.1,
}


def load_demo_survey() -> Survey:
    data = json.loads(DEFINITION_FILE.read_text(encoding="utf-8"))
    meta = data["consultation"]
    consultation = save_consultation(
        slug=meta["slug"], title=meta["title"], languages=data["languages"]
    )
    existing = Survey.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing  # organizers may have edited it; re-running the demo keeps their work
    return actions.import_survey(consultation=consultation, slug=data["slug"], definition=data)


def load_synthetic_sample(
    survey: Survey,
    size: int,
    seed: int = 75,
    countries: dict[str, float] | None = None,
    batch_size: int = 500,
) -> int:
    """Submit `size` synthetic responses through the normal intake; returns how many are new."""
    assert survey.current_version is not None
    definition = definition_for(survey.current_version)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    weights = countries or COUNTRY_WEIGHTS
    created = 0
    for batch in _batches(_synthetic(definition, rng, size, weights), batch_size):
        outcomes = actions.submit_responses(
            survey=survey, submissions=batch, channel="synthetic", is_synthetic=True
        )
        created += sum(1 for outcome in outcomes if outcome.status == "created")
    return created


def _batches(items: Iterator[actions.Submission], size: int) -> Iterator[list[actions.Submission]]:
    batch: list[actions.Submission] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _synthetic(
    definition: Definition, rng: random.Random, size: int, countries: dict[str, float]
) -> Iterator[actions.Submission]:
    start = timezone.now() - timedelta(days=30)
    codes, weights = list(countries), list(countries.values())
    # Its own generator, so adding open answers left every other synthetic answer as it was.
    writer = _AdviceWriter(random.Random(7575))  # noqa: S311 - synthetic data
    for index in range(size):
        answers = {
            q.key: v
            for q in definition.questions
            if (v := _answer(q, rng, codes, weights)) is not None
        }
        language = rng.choice(definition.languages)
        if "advice" in definition.questions_by_key and (advice := writer.write(language)):
            answers["advice"] = advice
        yield actions.Submission(
            id=uuid.uuid5(SAMPLE_NAMESPACE, str(index)),
            language=language,
            answers=answers,
            submitted_at=start + timedelta(seconds=index * 30 * 86400 // max(size, 1)),
        )


def _answer(
    question: QuestionDef, rng: random.Random, codes: list[str], weights: list[float]
) -> Any:
    if rng.random() < 0.06:  # some people skip questions
        return None
    keys = [o.key for o in question.options if not o.is_other]
    if question.type == "country":
        return rng.choices(codes, weights=weights)[0]
    if question.type == "multiple":
        weights = [1 + (len(keys) - i) / 3 for i in range(len(keys))]
        picked = {rng.choices(keys, weights=weights)[0] for _ in range(question.max_choices or 2)}
        return sorted(picked)
    if question.type in ("single", "scale"):
        weights = [1 + (i % 3) for i in range(len(keys))]
        return rng.choices(keys, weights=weights)[0]
    return None  # free text is left empty in the synthetic sample


class _AdviceWriter:
    """Synthetic advice to the Secretary-General: mostly in the respondent's language."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.phrases = json.loads(ADVICE_FILE.read_text(encoding="utf-8"))["themes"]

    def write(self, language: str) -> str | None:
        if self.rng.random() >= ADVICE_SHARE:
            return None
        theme = self.rng.choices(list(ADVICE_THEMES), weights=list(ADVICE_THEMES.values()))[0]
        spoken = language if self.rng.random() < 0.85 else "en"
        return self.rng.choice(self.phrases[theme][spoken])
