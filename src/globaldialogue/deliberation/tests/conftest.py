"""Conversation fixtures. Personas: Amina (Arabic, phone), Pierre (French), Pat's partner
platform (embeds the page with an `xid`), Olga the organizer, and a synthetic crowd."""

from typing import Any

import pytest

from globaldialogue.deliberation.actions import recompute_map
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
    recompute_map(conversation=priorities)
    return priorities
