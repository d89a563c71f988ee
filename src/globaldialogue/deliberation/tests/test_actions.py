"""Joining, statements, votes and moderation (deliberation actions)."""

import pytest

from globaldialogue.deliberation import actions
from globaldialogue.deliberation.models import Conversation, Participant, Statement, Vote


@pytest.fixture
def bilingual(make_conversation) -> Conversation:
    """A conversation in English and Arabic, with no statements yet."""
    return make_conversation(
        languages=["en", "ar"],
        topic={"en": "What should the UN focus on?", "ar": "على ماذا يجب أن تركز الأمم المتحدة؟"},
    )


@pytest.fixture
def amina_participant(bilingual) -> Participant:
    return actions.join_conversation(conversation=bilingual, token="amina-cookie")


@pytest.fixture
def seed(bilingual) -> Statement:
    return actions.seed_statement(
        conversation=bilingual, text="Climate action first.", language="en"
    )


def test_the_same_token_is_the_same_participant_and_is_not_stored(bilingual, amina_participant):
    again = actions.join_conversation(conversation=bilingual, token="amina-cookie")
    assert again == amina_participant
    assert "amina-cookie" not in amina_participant.key_hash
    partner = actions.join_conversation(conversation=bilingual, xid="ureport:42")
    assert partner != amina_participant and "ureport" not in partner.key_hash


def test_seed_statements_are_accepted(seed):
    assert seed.status == Statement.Status.ACCEPTED and seed.is_seed


def test_statements_are_shown_at_once_under_post_moderation(bilingual, amina_participant):
    statement = actions.add_statement(
        conversation=bilingual,
        participant=amina_participant,
        text="  More   money for schools ",
        language="en",
    )
    assert (statement.text, statement.status) == (
        "More money for schools",
        Statement.Status.ACCEPTED,
    )


def test_an_insult_waits_for_a_moderator_even_under_post_moderation(bilingual, amina_participant):
    insult = actions.add_statement(
        conversation=bilingual, participant=amina_participant, text="يا حمار", language="ar"
    )
    assert insult.status == Statement.Status.PENDING
    bilingual.blocked_words = "acme party"
    bilingual.save(update_fields=["blocked_words"])
    advert = actions.add_statement(
        conversation=bilingual,
        participant=amina_participant,
        text="Vote for ACME Party!",
        language="en",
    )
    assert advert.status == Statement.Status.PENDING


def test_statements_wait_under_pre_moderation(bilingual, amina_participant):
    bilingual.moderation = Conversation.Moderation.PRE
    bilingual.save(update_fields=["moderation"])
    statement = actions.add_statement(
        conversation=bilingual, participant=amina_participant, text="Fund vaccines", language="en"
    )
    assert statement.status == Statement.Status.PENDING
    with pytest.raises(actions.Refused, match="not open for votes"):
        actions.cast_vote(participant=amina_participant, statement=statement, value=1)
    actions.moderate_statement(statement=statement, status="accepted")
    assert actions.cast_vote(participant=amina_participant, statement=statement, value=1).value == 1


def test_a_near_duplicate_is_offered_instead(bilingual, amina_participant, seed):
    with pytest.raises(actions.Duplicate) as duplicate:
        actions.add_statement(
            conversation=bilingual,
            participant=amina_participant,
            text="climate ACTION first",
            language="en",
        )
    assert duplicate.value.existing == seed
    kept = actions.add_statement(
        conversation=bilingual,
        participant=amina_participant,
        text="climate ACTION first",
        language="en",
        allow_duplicate=True,
    )
    assert kept.pk != seed.pk


@pytest.mark.parametrize(("text", "code"), [("   ", "empty"), ("x" * 281, "too_long")])
def test_bad_statements_are_refused_and_not_stored(bilingual, amina_participant, text, code):
    with pytest.raises(actions.Refused) as refused:
        actions.add_statement(
            conversation=bilingual, participant=amina_participant, text=text, language="en"
        )
    assert refused.value.code == code
    assert not Statement.objects.exists()


def test_a_flood_from_one_participant_is_slowed(bilingual, amina_participant):
    ideas = ["Plant trees", "Fund clinics", "Teach coding", "Protect oceans", "Free buses"]
    for idea in ideas[: actions.FLOOD_STATEMENTS]:
        actions.add_statement(
            conversation=bilingual, participant=amina_participant, text=idea, language="en"
        )
    with pytest.raises(actions.Refused) as refused:
        actions.add_statement(
            conversation=bilingual, participant=amina_participant, text="One more", language="en"
        )
    assert refused.value.code == "flood"


def test_a_near_duplicate_is_offered_across_punctuation_case_and_small_edits(
    bilingual, amina_participant
):
    seed = actions.seed_statement(
        conversation=bilingual,
        text="Access to clean water is a human right that must come before profit.",
        language="en",
    )
    with pytest.raises(actions.Duplicate) as duplicate:
        actions.add_statement(
            conversation=bilingual,
            participant=amina_participant,
            text="ACCESS to clean water is a human right, which must come before profits!",
            language="en",
        )
    assert duplicate.value.existing == seed
    different = actions.add_statement(
        conversation=bilingual,
        participant=amina_participant,
        text="Water should be free",
        language="en",
    )
    assert different.pk != seed.pk


def test_a_rejected_statement_is_no_reason_to_refuse(bilingual, amina_participant):
    spam = actions.seed_statement(conversation=bilingual, text="Visit my shop today", language="en")
    actions.moderate_statement(statement=spam, status="rejected")
    again = actions.add_statement(
        conversation=bilingual,
        participant=amina_participant,
        text="Visit my shop today!",
        language="en",
    )
    assert again.status == "accepted"


def test_a_new_vote_replaces_the_old_one(amina_participant, seed):
    actions.cast_vote(participant=amina_participant, statement=seed, value=1)
    actions.cast_vote(participant=amina_participant, statement=seed, value=-1)
    actions.cast_vote(participant=amina_participant, statement=seed, value=-1)
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]


@pytest.mark.parametrize("value", [2, -2, True, "1", None])
def test_a_vote_must_be_minus_one_zero_or_one(amina_participant, seed, value):
    with pytest.raises(actions.Refused) as refused:
        actions.cast_vote(participant=amina_participant, statement=seed, value=value)
    assert refused.value.code == "invalid_vote"
    assert not Vote.objects.exists()


def test_votes_on_another_conversations_or_rejected_statements_are_refused(
    bilingual, amina_participant, seed, make_conversation
):
    other = make_conversation(slug="other")
    foreign = actions.seed_statement(conversation=other, text="Elsewhere", language="en")
    with pytest.raises(actions.Refused, match="no such statement"):
        actions.cast_vote(participant=amina_participant, statement=foreign, value=1)
    actions.moderate_statement(statement=seed, status="rejected")
    with pytest.raises(actions.Refused, match="not open for votes"):
        actions.cast_vote(participant=amina_participant, statement=seed, value=1)


def test_a_closed_conversation_takes_nothing(bilingual, amina_participant, seed):
    bilingual.status = "closed"
    bilingual.save(update_fields=["status"])
    with pytest.raises(actions.Refused, match="closed"):
        actions.add_statement(
            conversation=bilingual, participant=amina_participant, text="Late idea", language="en"
        )
    with pytest.raises(actions.Refused, match="closed"):
        actions.cast_vote(participant=amina_participant, statement=seed, value=1)


def test_meta_statements_are_marked_by_moderators(seed):
    actions.moderate_statement(statement=seed, status="accepted", is_meta=True)
    seed.refresh_from_db()
    assert seed.is_meta


def test_a_participant_deletes_their_votes_and_statements(bilingual, amina_participant, seed):
    """Amina deletes what she did: her votes and her statements go; a statement others
    voted on keeps its text (their votes stand) but no longer names her."""
    alone = actions.add_statement(
        conversation=bilingual, participant=amina_participant, text="Solo idea", language="en"
    )
    shared = actions.add_statement(
        conversation=bilingual, participant=amina_participant, text="Shared idea", language="en"
    )
    actions.cast_vote(participant=amina_participant, statement=seed, value=1)
    pierre = actions.join_conversation(conversation=bilingual, token="pierre-cookie")
    actions.cast_vote(participant=pierre, statement=shared, value=1)
    done = actions.forget_participant(participant=amina_participant)
    assert done == {"votes": 1, "statements_deleted": 1, "statements_kept": 1}
    assert not Statement.objects.filter(pk=alone.pk).exists()
    shared.refresh_from_db()
    assert shared.author is None and shared.votes.count() == 1
    assert not Participant.objects.filter(pk=amina_participant.pk).exists()
    assert Vote.objects.filter(statement=seed).count() == 0
