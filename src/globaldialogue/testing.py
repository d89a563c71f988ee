"""Data for the test personas (see conftest.py), shared by tests across apps."""

import uuid
from typing import Any


def answers_pierre() -> dict[str, Any]:
    return {
        "future_outlook": "better",
        "world_2045": ["less_conflict", {"option": "other", "text": "La paix partout"}],
        "cooperation": "essential",
        "covid_views": "more",
        "advice": "Écoutez les jeunes.",
        "age_group": "16_30",
        "gender": "male",
        "country": "FR",
    }


def payload(
    answers: dict[str, Any] | None = None,
    language: str = "fr",
    response_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    return {
        "id": str(response_id or uuid.uuid4()),
        "language": language,
        "answers": answers_pierre() if answers is None else answers,
    }
