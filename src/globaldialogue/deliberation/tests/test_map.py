"""The stored opinion map of a conversation, computed from votes cast through the actions."""

import numpy as np
from django.db.models import Count

from globaldialogue.deliberation import actions
from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.mapping import unpack_positions
from globaldialogue.deliberation.models import ConversationMap, Vote


def crowd(conversation, people=40, seed=3):
    """Two camps of people; statement 0 all agree with, statement 1 splits the camps."""
    rng = np.random.default_rng(seed)
    texts = ["We need clean water", "Cut military spending"] + [f"Idea {n}" for n in range(14)]
    statements = [
        actions.seed_statement(conversation=conversation, text=t, language="en") for t in texts
    ]
    stance = rng.choice([-1, 1], size=(2, len(statements)))
    stance[:, 0] = 1
    stance[:, 1] = [1, -1]
    for j in range(2, len(statements)):
        stance[1, j] = -stance[0, j]
    for person in range(people):
        participant = actions.join_conversation(conversation=conversation, token=f"p{person}")
        for j, statement in enumerate(statements):
            if j < 2 or rng.random() < 0.7:
                actions.cast_vote(
                    participant=participant, statement=statement, value=int(stance[person % 2, j])
                )
    return statements


def test_the_map_finds_the_camps_and_what_they_share(conversation):
    statements = crowd(conversation)
    stored = recompute_map(conversation=conversation)
    assert stored.k == 2
    assert [g["size"] for g in stored.summary["groups"]] == [20, 20]
    assert stored.summary["consensus"][0] == statements[0].pk
    assert stored.summary["bridging"][0][0] == statements[0].pk
    arrays = unpack_positions(stored.positions)
    assert len(arrays["participants"]) == 40 and arrays["positions"].shape == (40, 2)


def test_meta_and_rejected_statements_stay_out(conversation):
    statements = crowd(conversation)
    actions.moderate_statement(statement=statements[0], status="accepted", is_meta=True)
    actions.moderate_statement(statement=statements[1], status="rejected")
    stored = recompute_map(conversation=conversation)
    assert not {statements[0].pk, statements[1].pk} & set(stored.summary["statements"])


def test_groups_keep_their_numbers_from_one_map_to_the_next(conversation):
    crowd(conversation)
    first = unpack_positions(recompute_map(conversation=conversation).positions)
    second = unpack_positions(recompute_map(conversation=conversation).positions)
    assert np.array_equal(first["groups"], second["groups"])


def test_a_vote_queues_a_new_map_after_it_commits(conversation, django_capture_on_commit_callbacks):
    statement = actions.seed_statement(conversation=conversation, text="Peace", language="en")
    amina_participant = actions.join_conversation(conversation=conversation, token="amina")
    with django_capture_on_commit_callbacks(execute=True):
        actions.cast_vote(participant=amina_participant, statement=statement, value=1)
    assert ConversationMap.objects.get().votes == 1


def test_only_the_latest_maps_are_kept(conversation):
    crowd(conversation, people=10)
    for _ in range(5):
        recompute_map(conversation=conversation)
    assert ConversationMap.objects.count() == 3


def test_the_organizer_may_allow_more_groups(make_conversation):
    """Six planted opinion groups around a circle (each agrees with the statements near its
    own direction; 8% of votes flipped): the default maximum stops at five groups, and
    max_groups=8 finds all six, shown once six has been best four updates running (Pol.is'
    smoothing of k, opinion/polis.py)."""
    six = make_conversation(slug="six", topic={"en": "Six?"})
    statements = [
        actions.seed_statement(conversation=six, text=f"Statement {j}", language="en").pk
        for j in range(36)
    ]
    directions = np.arange(6) * np.pi / 3
    angles = np.arange(36) * np.pi / 18 + 0.05
    stance = np.sign(np.cos(directions[:, None] - angles[None, :])).astype(int)
    flips = np.where(np.random.default_rng(3).random((600, 36)) < 0.08, -1, 1)
    votes = [
        (f"person-{i}", statement, int(stance[i % 6, j] * flips[i, j]))
        for i in range(600)
        for j, statement in enumerate(statements)
    ]
    actions.cast_votes(conversation=six, votes=votes)
    assert recompute_map(conversation=six).k == 5
    actions.update_conversation(conversation=six, max_groups=8)
    assert [recompute_map(conversation=six).k for _update in range(4)] == [5, 5, 5, 6]


def test_only_what_every_group_agrees_with_is_shown_as_shared(crowded):
    """ "What nearly everyone agrees on" and "what bridges the groups" list only statements
    with enough votes that every group (or most people) agrees with (opinion.shared)."""
    from globaldialogue.deliberation.presenters import map_context
    from globaldialogue.opinion.shared import AGREED_BY_EACH_GROUP, MIN_GROUP_VOTES

    someone = actions.join_conversation(conversation=crowded, xid="someone")
    lonely = actions.add_statement(
        conversation=crowded, participant=someone, text="A thought nobody else saw", language="en"
    )
    actions.cast_vote(participant=someone, statement=lonely, value=-1)
    stored = recompute_map(conversation=crowded)
    shown = map_context(stored, list_length=50)
    stats = stored.summary["group_stats"]
    assert shown["consensus"], "the demo's crowd shares some statements"
    for statement in shown["consensus"]:
        for agree, _disagree, seen in stats[str(statement.id)]:
            assert seen >= MIN_GROUP_VOTES and agree / seen >= AGREED_BY_EACH_GROUP
    listed = {s.id for s in shown["consensus"]} | {s.id for s in shown["bridging"]}
    assert lonely.pk not in listed
    assert all(s.percent >= 50 for s in shown["bridging"])


def test_each_map_starts_from_the_last_ones_pol_is_clusters(crowded):
    """The stored map keeps where Pol.is' clustering stood (base clusters of everyone in the
    conversation, groupings per k, k smoothing), and the next update starts from it."""
    from globaldialogue.deliberation import mapping

    state = mapping.latest_state(crowded)
    voters = Vote.objects.filter(conversation=crowded).values("participant")
    active = voters.annotate(n=Count("id")).filter(n__gte=7).values_list("participant", flat=True)
    assert sorted(state.members) == sorted(active) and len(state.bases) == len(state.members)
    assert state.smoothed_k >= 2 and state.groupings
    again = actions.recompute_map(conversation=crowded)
    after = mapping.latest_state(crowded)
    assert after.last_k_count == state.last_k_count + (after.last_k == state.last_k)
    assert set(again.summary["polis"]["groupings"]) == {str(k) for k in after.groupings}
