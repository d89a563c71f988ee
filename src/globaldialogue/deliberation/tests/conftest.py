"""Conversation fixtures, built through the actions. Personas (globaldialogue/personas.py):
Amina (Arabic, phone), Pierre (French), Pat's partner platform (embeds the page with an
`xid`), Olga the organizer, and a synthetic crowd."""

from collections.abc import Callable
from typing import Any

import pytest

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.deliberation import actions
from globaldialogue.deliberation.demo import load_demo_conversation, load_synthetic_crowd
from globaldialogue.deliberation.models import Conversation


@pytest.fixture
def priorities(db: Any) -> Conversation:
    """The demo conversation: six languages, sixteen seed statements, no votes yet."""
    return load_demo_conversation()


@pytest.fixture
def crowded(priorities: Conversation) -> Conversation:
    """The demo conversation with its synthetic crowd of 120 voters and a map."""
    load_synthetic_crowd(priorities, 120)
    actions.recompute_map(conversation=priorities)
    return priorities


@pytest.fixture
def make_conversation(db: Any) -> Callable[..., Conversation]:
    """Makes a conversation of UN75 with no statements: English, "Priorities?", unless told."""

    def make(slug: str = "priorities", **fields: Any) -> Conversation:
        consultation = save_consultation(
            slug="un75", title={"en": "UN75"}, languages=["en"], replace=False
        )
        fields = {"languages": ["en"], "topic": {"en": "Priorities?"}, "status": "open", **fields}
        return actions.create_conversation(consultation=consultation, slug=slug, **fields)

    return make


@pytest.fixture
def conversation(make_conversation: Callable[..., Conversation]) -> Conversation:
    """An English conversation "priorities" with no statements yet."""
    return make_conversation()
