"""The facilitator's rules, pure: queue and turns, moving on, talk time."""

from datetime import UTC, datetime, timedelta

from globaldialogue.dialogues import facilitator as f

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def test_the_first_hand_speaks_and_the_next_follows_when_time_is_up():
    state = f.start(f.RoomState(items=3), NOW)
    state = f.raise_hand(state, 1, NOW)
    state = f.raise_hand(state, 2, later(5))
    state = f.raise_hand(state, 1, later(6))  # already queued: no change
    assert state.queue == (1, 2) and state.turn_started_at == NOW
    assert f.tick(state, later(59)).speaker == 1
    after = f.tick(state, later(60))
    assert after.speaker == 2 and after.turn_started_at == later(60)


def test_lowering_a_hand_or_a_skip_passes_the_turn():
    state = f.raise_hand(f.raise_hand(f.RoomState(items=2), 1, NOW), 2, NOW)
    assert f.lower_hand(state, 2, later(1)).queue == (1,)  # waiting: just leaves the queue
    skipped = f.skip_speaker(state, later(10))
    assert skipped.speaker == 2 and skipped.turn_started_at == later(10)
    empty = f.skip_speaker(skipped, later(20))
    assert empty.speaker is None and empty.turn_started_at is None


def test_more_than_half_of_those_present_move_the_group_on():
    state = f.start(f.RoomState(items=2), NOW)
    state = f.raise_hand(state, 3, NOW)
    state = f.vote_to_advance(state, 1, item=1, present=4, now=later(1))
    state = f.vote_to_advance(state, 2, item=1, present=4, now=later(2))
    assert state.position == 1  # two of four is not more than half
    state = f.vote_to_advance(state, 3, item=1, present=4, now=later(3))
    assert state.position == 2 and state.item_started_at == later(3)
    assert state.advance_votes == frozenset() and state.queue == ()
    assert f.vote_to_advance(state, 1, item=2, present=1, now=later(4)).position == 2  # last


def test_a_vote_to_move_on_from_an_item_already_left_counts_for_nothing():
    """A click made just as the group moved on names the item it was made on."""
    state = f.start(f.RoomState(items=3), NOW)
    state = f.next_item(state, later(1))
    late = f.vote_to_advance(state, 1, item=1, present=2, now=later(2))
    assert late == state and late.advance_votes == frozenset()


def test_leaving_withdraws_the_vote_and_the_hand():
    state = f.raise_hand(f.RoomState(items=3), 1, NOW)
    state = f.vote_to_advance(state, 1, item=1, present=3, now=NOW)
    state = f.leave(state, 1, later(1))
    assert state.queue == () and state.advance_votes == frozenset()


def test_talk_time_adds_up_and_implausible_reports_are_ignored():
    state = f.report_talk(f.RoomState(items=1), 1, 4.5)
    state = f.report_talk(state, 1, 3)
    state = f.report_talk(state, 2, 500)  # more than one report can hold
    state = f.report_talk(state, 2, -1)
    assert state.talk == {1: 7.5}


def test_those_gone_for_a_while_leave_the_queue_and_the_vote():
    state = f.raise_hand(f.start(f.RoomState(items=3), NOW), 1, NOW)
    state = f.raise_hand(state, 2, NOW)
    state = f.vote_to_advance(state, 3, item=1, present=5, now=NOW)
    state = f.forget(state, {2, 3, 9}, later(1))
    assert state.queue == (1,) and state.advance_votes == frozenset()
    assert f.forget(state, set(), later(2)) == state
