"""Dialogue fixtures. Personas (globaldialogue/personas.py): Olga organizes; Amina, Li Wei,
Pierre and Kofi register."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import Event
from globaldialogue.dialogues.tests.events import AGENDA


@pytest.fixture
def youth_dialogue(db: Any) -> Event:
    consultation = save_consultation(slug="un75", title={"en": "UN75"}, languages=["en"])
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
