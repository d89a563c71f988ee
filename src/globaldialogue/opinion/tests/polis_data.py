"""The four real Pol.is conversations (CC BY 4.0; see tests/data/polis-opendata/README.md)."""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parents[4] / "tests" / "data" / "polis-opendata"
CONVERSATIONS = sorted(p.name for p in DATA.iterdir() if p.is_dir()) if DATA.exists() else []


@dataclass(frozen=True)
class Conversation:
    participants: np.ndarray
    statements: np.ndarray
    values: np.ndarray
    moderated_out: list[int]
    polis_groups: dict[int, int]  # participant -> Pol.is' own group
    history: tuple[np.ndarray, np.ndarray, np.ndarray]  # every vote, in time order


def load(name: str) -> Conversation:
    folder = DATA / name
    with (folder / "votes.csv").open(newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: int(r["timestamp"]))
    latest = {(int(r["voter-id"]), int(r["comment-id"])): int(r["vote"]) for r in rows}
    history = tuple(
        np.array([int(r[column]) for r in rows], dtype=np.int64)
        for column in ("voter-id", "comment-id", "vote")
    )
    keys = np.array(list(latest), dtype=np.int64).reshape(-1, 2)
    with (folder / "comments.csv").open(newline="") as handle:
        out = [int(r["comment-id"]) for r in csv.DictReader(handle) if r["moderated"] == "-1"]
    with (folder / "participants-votes.csv").open(newline="") as handle:
        groups = {
            int(r["participant"]): int(r["group-id"])
            for r in csv.DictReader(handle)
            if r["group-id"] not in ("", None)
        }
    values = np.array(list(latest.values()))
    return Conversation(keys[:, 0], keys[:, 1], values, out, groups, history)  # type: ignore[arg-type]


def in_conversation_votes(conversation: Conversation) -> int:
    """Pol.is' in-conversation threshold as its export shows it: 7 votes, but the export
    of scoop-hivemind groups every participant (some with one vote), as Pol.is did when it
    put everyone in the conversation."""
    everyone = set(conversation.participants.tolist())
    return 1 if everyone <= set(conversation.polis_groups) else 7


def replayed(conversation: Conversation, **options: Any) -> Any:
    """The map after replaying the conversation's votes in time order (opinion.replay)."""
    from globaldialogue.opinion.replay import replay_map

    return replay_map(
        *conversation.history,
        excluded_statements=conversation.moderated_out,
        min_votes=in_conversation_votes(conversation),
        **options,
    )
