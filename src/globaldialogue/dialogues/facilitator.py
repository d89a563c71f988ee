"""The automated facilitator's rules (pure: no Django): agenda position, speaking queue with
a turn limit, votes to move on, talk time. The room's state lives in the database
(models.Room); actions load it, apply one of these transitions, and save it, so every
participant (and a participant who reloads) sees the same room.

- Raising a hand joins the queue; the first in the queue speaks for at most TURN_SECONDS,
  then the next one does (the host may skip). Lowering a hand leaves the queue.
- Moving on: more than half of those present vote for it, or the host decides. Votes reset
  with each new agenda item; the last item has nowhere to move on to.
- Talk time: each browser measures its own microphone and reports seconds spoken (at most
  MAX_REPORT a time); the room adds them up for the balance bar and the nudges.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

TURN_SECONDS = 60
MAX_REPORT = 10.0  # seconds of talk one report may add (reports come every few seconds)


@dataclass(frozen=True)
class RoomState:
    items: int  # agenda items (positions 1..items)
    position: int = 1
    item_started_at: datetime | None = None
    queue: tuple[int, ...] = ()  # registration ids; the first is speaking
    turn_started_at: datetime | None = None
    advance_votes: frozenset[int] = frozenset()
    talk: dict[int, float] = field(default_factory=dict)

    @property
    def speaker(self) -> int | None:
        return self.queue[0] if self.queue else None

    @property
    def is_last_item(self) -> bool:
        return self.position >= self.items


def start(state: RoomState, now: datetime) -> RoomState:
    """The first person in opens the room: the agenda clock starts."""
    return state if state.item_started_at else replace(state, item_started_at=now)


def raise_hand(state: RoomState, member: int, now: datetime) -> RoomState:
    if member in state.queue:
        return state
    state = replace(state, queue=(*state.queue, member))
    return replace(state, turn_started_at=now) if state.speaker == member else state


def lower_hand(state: RoomState, member: int, now: datetime) -> RoomState:
    if member not in state.queue:
        return state
    was_speaking = state.speaker == member
    state = replace(state, queue=tuple(m for m in state.queue if m != member))
    return _next_turn(state, now) if was_speaking else state


def skip_speaker(state: RoomState, now: datetime) -> RoomState:
    """The host ends the current turn."""
    return lower_hand(state, state.speaker, now) if state.speaker is not None else state


def tick(state: RoomState, now: datetime) -> RoomState:
    """End the turn whose time is up (called whenever anything happens in the room, and
    by clients when their countdown reaches zero)."""
    started = state.turn_started_at
    if state.speaker is not None and started and now - started >= timedelta(seconds=TURN_SECONDS):
        return skip_speaker(state, now)
    return state


def vote_to_advance(
    state: RoomState, member: int, *, item: int, present: int, now: datetime
) -> RoomState:
    """`member` votes to leave agenda item `item`; a vote for an item the group has already
    left (a click as the group moved on) counts for nothing."""
    if state.is_last_item or item != state.position:
        return state
    state = replace(state, advance_votes=state.advance_votes | {member})
    return next_item(state, now) if len(state.advance_votes) * 2 > max(present, 1) else state


def next_item(state: RoomState, now: datetime) -> RoomState:
    """Move to the next agenda item (the group voted, or the host decided)."""
    if state.is_last_item:
        return state
    return replace(
        state,
        position=state.position + 1,
        item_started_at=now,
        advance_votes=frozenset(),
        queue=(),
        turn_started_at=None,
    )


def report_talk(
    state: RoomState, member: int, seconds: float, *, limit: float = MAX_REPORT
) -> RoomState:
    """Add talk time: a browser's report (at most MAX_REPORT seconds at once) or a stretch
    the media server measured (`limit` its longest)."""
    if not 0 < seconds <= limit:
        return state
    talk = dict(state.talk)
    talk[member] = round(talk.get(member, 0.0) + seconds, 1)
    return replace(state, talk=talk)


def leave(state: RoomState, member: int, now: datetime) -> RoomState:
    """Someone left (or was removed): out of the queue, their vote withdrawn."""
    state = lower_hand(state, member, now)
    return replace(state, advance_votes=state.advance_votes - {member})


def forget(state: RoomState, gone: Iterable[int], now: datetime) -> RoomState:
    """Those gone for a while (not a reload or a short drop) leave the queue and the vote."""
    for member in gone:
        if member in state.queue or member in state.advance_votes:
            state = leave(state, member, now)
    return state


def _next_turn(state: RoomState, now: datetime) -> RoomState:
    return replace(state, turn_started_at=now if state.queue else None)
