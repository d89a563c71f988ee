"""The test personas, said once (DEVELOPERS.md, "Tests").

A persona's name in a test is always her Person below (AMINA). What a test makes for her is
named after her and what it is: `amina_client` (a Django test Client), `amina_page` (a
browser page), `amina_participant` (her Participant in a conversation), `amina_registration`
(her Registration for an event). Olga organizes (`olga`, a User, and `olga_client`) and Pat
runs a partner platform (`pat_key`, her API key): fixtures in conftest.py.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Person:
    name: str
    country: str  # ISO 3166-1 alpha-2
    languages: tuple[str, ...]  # spoken, the first being the one she uses here
    age_group: str  # as a dialogue registration asks it
    email: str


AMINA = Person("Amina", "JO", ("ar", "en"), "16_30", "amina@example.org")
LI_WEI = Person("Li Wei", "CN", ("zh-hans", "en"), "31_45", "liwei@example.org")
PIERRE = Person("Pierre", "FR", ("fr", "en"), "16_30", "pierre@example.org")
KOFI = Person("Kofi", "GH", ("en",), "46_60", "kofi@example.org")


def registration_form(event: Any, person: Person = AMINA, **change: Any) -> dict[str, Any]:
    """What `person` fills in to register for `event` (dialogues.actions.register's
    arguments), with `change` on top; no email unless given."""
    return {
        "event": event,
        "display_name": person.name,
        "languages": list(person.languages),
        "country": person.country,
        "age_group": person.age_group,
        "accepted_rules": True,
        **change,
    }
