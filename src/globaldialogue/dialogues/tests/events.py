"""Dialogue events and people for the tests: the agenda, and four personas in one group."""

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
