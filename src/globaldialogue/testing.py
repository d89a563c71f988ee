"""Data for the test personas (see conftest.py), shared by tests across apps."""

import uuid
from pathlib import Path
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


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def accessibility_problems(page: Any) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations that axe-core finds on the page."""
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `npm ci` (make test does)")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
