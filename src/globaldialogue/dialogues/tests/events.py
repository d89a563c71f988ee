"""Dialogue events and people for the tests: the agenda, and four personas in one group."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import Event
from globaldialogue.personas import AMINA, KOFI, LI_WEI, PIERRE, registration_form

AGENDA = [
    {"title": {"en": "Welcome"}, "prompt": {"en": "Who are you?"}, "minutes": 5},
    {"title": {"en": "Priorities"}, "prompt": {"en": "What matters most?"}, "minutes": 30},
    {"title": {"en": "Report"}, "prompt": {"en": "What should the UN hear?"}, "minutes": 10},
]
FOUR = (AMINA, LI_WEI, PIERRE, KOFI)


def group_of_four(event: Event) -> dict[str, str]:
    """Amina, Li Wei, Pierre and Kofi register in English and are formed into one group;
    name -> personal link token."""
    tokens = {}
    for person in FOUR:
        _registration, tokens[person.name] = actions.register(
            **registration_form(event, person, languages=["en"])
        )
    actions.form_groups(event=event)
    return tokens


def youth_event(consultation: Any, languages: list[str], title: dict[str, str]) -> Event:
    """A published dialogue event a week from now, groups of four to six, no one yet."""
    return actions.create_event(
        consultation=consultation,
        slug="youth-dialogue",
        title=title,
        languages=languages,
        starts_at=timezone.now() + timedelta(days=7),
        time_zone="Africa/Nairobi",
        agenda=AGENDA,
        min_group_size=4,
        max_group_size=6,
        capacity=50,
        status=Event.Status.PUBLISHED,
    )
