"""Which statement comes next (deliberation.routing and GET .../next-statement)."""

from collections import Counter
from urllib.parse import urlencode

import numpy as np
from django.test import Client

from globaldialogue.deliberation import actions
from globaldialogue.deliberation.models import Conversation
from globaldialogue.deliberation.routing import next_statement, priorities
from globaldialogue.deliberation.tests.partner import as_partner


def next_for(person: str) -> dict:
    query = urlencode(as_partner(person))
    return Client().get(f"/api/conversations/priorities/next-statement?{query}").json()


def test_new_statements_and_agreed_ones_rank_higher():
    fresh, seen_a_lot, passed_a_lot = priorities(
        np.array([[0, 0, 0, 0.0], [50, 40, 100, 0.0], [5, 5, 100, 0.0]])
    )
    assert fresh > seen_a_lot > passed_a_lot


def test_seeds_come_first_in_order_then_others(conversation):
    first = actions.seed_statement(conversation=conversation, text="First seed", language="en")
    second = actions.seed_statement(conversation=conversation, text="Second seed", language="en")
    amina_participant = actions.join_conversation(conversation=conversation, xid="amina")
    other = actions.add_statement(
        conversation=conversation,
        participant=amina_participant,
        text="A participant's idea",
        language="en",
    )
    assert next_for("amina")["statement"]["id"] == first.pk
    actions.cast_vote(participant=amina_participant, statement=first, value=1)
    assert next_for("amina")["statement"]["id"] == second.pk
    actions.cast_vote(participant=amina_participant, statement=second, value=0)
    assert next_for("amina")["statement"] == {
        "id": other.pk,
        "text": "A participant's idea",
        "language": "en",
        "original_language": "en",
        "original_text": "A participant's idea",
        "machine_translated": False,
        "seed": False,
    }
    actions.cast_vote(participant=amina_participant, statement=other, value=-1)
    assert next_for("amina") == {"statement": None}


def test_someone_new_starts_with_the_first_seed(conversation):
    first = actions.seed_statement(conversation=conversation, text="Seed", language="en")
    assert next_for("newcomer")["statement"]["id"] == first.pk


def test_pending_and_rejected_statements_are_never_shown(conversation):
    conversation.moderation = Conversation.Moderation.PRE
    conversation.save(update_fields=["moderation"])
    amina_participant = actions.join_conversation(conversation=conversation, xid="amina")
    actions.add_statement(
        conversation=conversation, participant=amina_participant, text="Pending", language="en"
    )
    assert next_for("amina") == {"statement": None}


def test_a_fresh_statement_gets_seen_among_well_voted_ones(conversation):
    authors = [
        actions.join_conversation(conversation=conversation, xid=f"author{n}") for n in range(10)
    ]
    old = [
        actions.add_statement(
            conversation=conversation,
            participant=authors[n],
            text=f"Old idea {n}",
            language="en",
            allow_duplicate=True,  # they are near-duplicates of each other, on purpose
        )
        for n in range(9)
    ]
    fresh = actions.add_statement(
        conversation=conversation, participant=authors[9], text="Fresh idea", language="en"
    )
    stats = {str(s.pk): [30, 30, 80, 0.1] for s in old}  # fresh is not in the map yet
    rng = np.random.default_rng(0)
    picks = Counter(next_statement(conversation, None, stats, rng).pk for _ in range(300))
    assert picks[fresh.pk] > 300 / 10 * 5  # far more often than a tenth of the time
