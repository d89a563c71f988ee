"""Dialogue fixtures. Personas: Olga organizes; Amina (Jordan, Arabic and English), Li Wei
(China, Chinese), Pierre (France, French and English) register."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from globaldialogue.consultations.models import Consultation
from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import Event

AGENDA = [
    {"title": {"en": "Welcome"}, "prompt": {"en": "Who are you?"}, "minutes": 5},
    {"title": {"en": "Priorities"}, "prompt": {"en": "What matters most?"}, "minutes": 30},
    {"title": {"en": "Report"}, "prompt": {"en": "What should the UN hear?"}, "minutes": 10},
]


@pytest.fixture
def youth_dialogue(db: Any) -> Event:
    consultation = Consultation.objects.create(slug="un75", title={"en": "UN75"}, languages=["en"])
    return actions.create_event(
        consultation=consultation,
        slug="youth-dialogue",
        title={"en": "Youth dialogue", "fr": "Dialogue des jeunes"},
        languages=["en", "fr", "ar", "zh-hans"],
        starts_at=timezone.now() + timedelta(days=7),
        time_zone="Africa/Nairobi",
        agenda=AGENDA,
        min_group_size=4,
        max_group_size=6,
        capacity=50,
        status=Event.Status.PUBLISHED,
    )


def amina(event: Event, **change: Any) -> dict[str, Any]:
    return {
        "event": event,
        "display_name": "Amina",
        "languages": ["ar", "en"],
        "country": "JO",
        "age_group": "18_29",
        "accepted_rules": True,
        **change,
    }


FOUR = ("Amina", "Li Wei", "Pierre", "Kofi")


def group_of_four(event: Event) -> dict[str, str]:
    """Amina, Li Wei, Pierre and Kofi register in English and are formed into one group;
    name -> personal link token."""
    tokens = {}
    for name in FOUR:
        _registration, tokens[name] = actions.register(
            **amina(event, display_name=name, languages=["en"])
        )
    actions.form_groups(event=event)
    return tokens
