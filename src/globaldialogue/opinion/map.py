"""compute_map: from resolved votes to the opinion map."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from globaldialogue.opinion import bridging, groups, pca, polis, statements
from globaldialogue.opinion.votes import Votes, build_votes

MIN_VOTES = 7  # Pol.is: fewer votes than this (or than all statements) leave one unclustered


@dataclass(frozen=True)
class Repness:
    """Why a statement represents a group."""

    statement: int
    direction: str  # "agree" or "disagree": what the group does more than everyone else
    rate: float  # the group's smoothed agree (or disagree) rate
    ratio: float  # that rate over everyone else's
    z: float  # one-proportion z of the rate against 1/2
    ratio_z: float  # two-proportion z of the group against everyone else
    agree: int
    disagree: int
    seen: int


@dataclass(frozen=True)
class OpinionMap:
    participants: np.ndarray  # ids
    groups: np.ndarray  # group per participant, aligned with `participants`; -1 unclustered
    positions: np.ndarray  # n x 2
    statements: np.ndarray  # ids of the statements in the map
    components: np.ndarray  # 2 x statements
    repness: dict[int, list[Repness]]  # group -> its representative statements, best first
    consensus: list[int]  # statement ids, most shared agreement first
    consensus_disagree: list[int]  # statement ids, most shared rejection first
    bridging: dict[int, float]  # statement id -> bridging score
    group_votes: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    votes: int = 0  # how many votes the map was computed from
    # Per statement, aligned with `statements`: everyone's agree / disagree / seen counts and
    # the statement's distance from the centre of the map (how much it divides).
    statement_votes: dict[str, np.ndarray] = field(default_factory=dict)
    extremity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Which participants each count above counts, as sums of their ids (statements.id_sums):
    # "agree", "disagree", "seen" as (groups + 1) x statements, groups in `group_ids` order
    # and everyone last; "members" per group, everyone last.
    id_sums: dict[str, np.ndarray] = field(default_factory=dict)
    # What the next update starts from (pipeline "polis"): clusters, groupings, k smoothing.
    polis_state: polis.PolisState | None = None

    @property
    def k(self) -> int:
        return len(self.group_ids)

    @property
    def group_ids(self) -> list[int]:
        return sorted({int(g) for g in self.groups if g >= 0})

    def group_of(self) -> dict[int, int]:
        """participant id -> group, for `previous=` in the next computation."""
        return {
            int(p): int(g) for p, g in zip(self.participants, self.groups, strict=True) if g >= 0
        }


def compute_map(
    participant_ids: Any,
    statement_ids: Any,
    values: Any,
    *,
    excluded_statements: Sequence[int] = (),
    previous: OpinionMap | Mapping[int, int] | None = None,
    state: polis.PolisState | None = None,
    pipeline: str = "polis",
    seed: int = 0,
    max_k: int = 5,
    min_votes: int = MIN_VOTES,
) -> OpinionMap:
    """The opinion map of a conversation from its latest vote per (participant, statement).

    `values`: -1 disagree, 0 pass, 1 agree. Groups as Pol.is finds them (polis.py),
    starting from the last update's `state`; `pipeline="kmeans"` instead runs groups.py
    (k-means++ base clusters, no history; docs/benchmarks.md compares them). With
    `previous`, groups keep the numbers of the previous map's groups they overlap most
    (`previous` may also be just that map's participant id -> group). Deterministic.
    """
    votes = build_votes(
        np.asarray(participant_ids),
        np.asarray(statement_ids),
        np.asarray(values),
        np.asarray(excluded_statements, dtype=np.int64),
    )
    comps, centred = pca.components(votes, seed)
    where = pca.positions(votes, comps, centred)
    labels, next_state = _groups(votes, where, state, pipeline, seed, max(2, max_k), min_votes)
    if previous is not None:
        old = previous.group_of() if isinstance(previous, OpinionMap) else previous
        labels = groups.match_previous(labels, votes.participants, dict(old))
    group_ids = np.unique(labels[labels >= 0])
    matrices = (votes.agree, votes.disagree, votes.seen)
    counts = statements.group_counts(labels, *matrices, group_ids)
    sums, members = statements.id_sums(labels, votes.participants, matrices, group_ids)
    return OpinionMap(
        participants=votes.participants,
        groups=labels,
        positions=where,
        statements=votes.statements,
        components=comps,
        repness=_repness(counts, group_ids, votes.statements),
        consensus=_ranked(statements.consensus(counts)[0], votes.statements),
        consensus_disagree=_ranked(statements.consensus(counts)[1], votes.statements),
        bridging=_bridging(votes, comps, centred, seed),
        group_votes={
            int(g): {
                "agree": counts.agree[i],
                "disagree": counts.disagree[i],
                "seen": counts.seen[i],
            }
            for i, g in enumerate(group_ids)
        },
        votes=votes.count,
        statement_votes={
            name: np.asarray(matrix.sum(axis=0)).ravel().astype(np.int64)
            for name, matrix in (
                ("agree", votes.agree),
                ("disagree", votes.disagree),
                ("seen", votes.seen),
            )
        },
        extremity=np.linalg.norm(comps, axis=0),
        id_sums={"agree": sums[0], "disagree": sums[1], "seen": sums[2], "members": members},
        polis_state=next_state,
    )


def _groups(
    votes: Votes,
    where: np.ndarray,
    state: polis.PolisState | None,
    pipeline: str,
    seed: int,
    max_k: int,
    min_votes: int,
) -> tuple[np.ndarray, polis.PolisState | None]:
    seen_counts = np.asarray(votes.seen.sum(axis=1)).ravel()
    if pipeline == "kmeans":
        mask = groups.eligible(seen_counts, votes.shape[1], min_votes)
        return groups.find_groups(where, mask, max_k=max_k, seed=seed), None
    if pipeline != "polis":
        raise ValueError(f"unknown pipeline {pipeline!r}")
    labels, found = polis.find_groups(
        votes.participants,
        where,
        seen_counts,  # Pol.is counts votes cast, which hidden columns of zeros are not
        votes.shape[1] + votes.hidden,
        state or polis.PolisState(),
        max_k=max_k,
        min_votes=min_votes,
    )
    return groups.number_by_size(labels), found


def _repness(
    counts: statements.GroupCounts, group_ids: np.ndarray, statement_ids: np.ndarray
) -> dict[int, list[Repness]]:
    if len(group_ids) < 2:
        return {}
    stats = statements.representativeness(counts)
    result: dict[int, list[Repness]] = {}
    for row, group in enumerate(group_ids):
        result[int(group)] = [
            Repness(
                statement=int(statement_ids[index]),
                direction=side,
                rate=float(stats[f"{side}_rate"][row, index]),
                ratio=float(stats[f"{side}_ratio"][row, index]),
                z=float(stats[f"{side}_z"][row, index]),
                ratio_z=float(stats[f"{side}_ratio_z"][row, index]),
                agree=int(counts.agree[row, index]),
                disagree=int(counts.disagree[row, index]),
                seen=int(counts.seen[row, index]),
            )
            for index, side in statements.top_statements(stats, row)
        ]
    return result


def _ranked(scores: np.ndarray, statement_ids: np.ndarray) -> list[int]:
    order = np.lexsort((statement_ids, -scores))
    return [int(statement_ids[i]) for i in order]


def _bridging(votes: Any, comps: np.ndarray, centred: Any, seed: int) -> dict[int, float]:
    """Community Notes' scores (bridging.py) for the statements it would score: agree is
    helpful, disagree not helpful, a pass no rating."""
    codes = votes.coded.data
    rated = votes.view((codes != 2).astype(np.float64))
    projection = np.asarray(centred @ comps[0]).ravel()
    sigma = float(np.linalg.norm(projection))
    start = None
    if sigma > 0:  # the rank-1 approximation, its scale split between the two sides
        start = projection / np.sqrt(sigma), comps[0] * np.sqrt(sigma)
    scores = bridging.bridging_scores(rated, votes.agree, seed, start)
    return {
        int(s): float(score)
        for s, score in zip(votes.statements, scores, strict=True)
        if not np.isnan(score)
    }
