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


def load(name: str) -> Conversation:
    folder = DATA / name
    with (folder / "votes.csv").open(newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: int(r["timestamp"]))
    latest = {(int(r["voter-id"]), int(r["comment-id"])): int(r["vote"]) for r in rows}
    keys = np.array(list(latest), dtype=np.int64).reshape(-1, 2)
    with (folder / "comments.csv").open(newline="") as handle:
        out = [int(r["comment-id"]) for r in csv.DictReader(handle) if r["moderated"] == "-1"]
    with (folder / "participants-votes.csv").open(newline="") as handle:
        groups = {
            int(r["participant"]): int(r["group-id"])
            for r in csv.DictReader(handle)
            if r["group-id"] not in ("", None)
        }
    return Conversation(keys[:, 0], keys[:, 1], np.array(list(latest.values())), out, groups)


def mapped(conversation: Conversation) -> Any:
    """compute_map on a loaded conversation, moderated-out statements excluded."""
    from globaldialogue.opinion import compute_map

    return compute_map(
        conversation.participants,
        conversation.statements,
        conversation.values,
        excluded_statements=conversation.moderated_out,
    )
