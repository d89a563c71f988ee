"""The stored opinion map shown to people: the SVG map, the groups and the statement lists.

Used by the participant page ("where you stand") and the report page; both read the last
stored map and never compute one.
"""

import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from globaldialogue.deliberation.mapping import unpack_positions
from globaldialogue.deliberation.models import ConversationMap, Participant
from globaldialogue.deliberation.published import Figures, PublishedMap, published_map
from globaldialogue.deliberation.translated import shown_texts
from globaldialogue.lib.translated import ShownText
from globaldialogue.opinion import shared
from globaldialogue.opinion.map import MIN_VOTES

# Distinct on white with at least 3:1 contrast (WCAG 1.4.11); groups also carry letters.
GROUP_COLOURS = [
    "#0b4f8a",
    "#b3541e",
    "#2e7d32",
    "#8e24aa",
    "#c62828",
    "#00838f",
    "#6d4c41",
    "#37474f",
]
UNCLUSTERED_COLOUR = "#767676"
MAP_POINTS = 800  # at most this many dots are drawn: enough to see the shape, small on 2G
LIST_LENGTH = 5  # statements per list on the participant page


@dataclass(frozen=True)
class ShownStatement:
    id: int
    shown: ShownText  # in the reader's language where it can be (translated.py)
    percent: int | None  # agree % (or disagree %, for a group's "disagree" statements), as
    # published (None: hidden, published.py)
    direction: str = "agree"

    @property
    def text(self) -> str:
        return self.shown.text

    @property
    def language(self) -> str:
        return self.shown.language


def group_letter(group: int) -> str:
    letters = string.ascii_uppercase
    return letters[group] if group < len(letters) else f"{letters[group % 26]}{group // 26}"


def group_colour(group: int) -> str:
    return GROUP_COLOURS[group % len(GROUP_COLOURS)] if group >= 0 else UNCLUSTERED_COLOUR


def map_context(
    stored: ConversationMap | None,
    participant: Participant | None = None,
    *,
    list_length: int = LIST_LENGTH,
    languages: Sequence[str] = (),
) -> dict[str, Any]:
    """Everything the map templates print; `{"empty": True}` before the first map. Every
    figure is as published (published.py): None where the disclosure policy hides it.
    Statements are in the first of the reader's `languages` they can be."""
    if stored is None or not len(stored.summary.get("statements", ())):
        return {"empty": True}
    arrays = unpack_positions(stored.positions)
    summary = stored.summary
    public = published_map(stored)
    texts = statement_texts(summary, languages)
    yours = _your_index(arrays, participant)
    your_group = int(arrays["groups"][yours]) if yours is not None else -1
    groups = [
        _group(
            g, row, summary, public, texts, your_group, list_length if g["id"] == your_group else 3
        )
        for row, g in enumerate(summary["groups"])
    ]
    return {
        "empty": False,
        "computed_at": stored.computed_at,
        "votes": public.votes,
        "participants": public.participants,
        "threshold": public.threshold,
        "groups": groups,
        "your_group": next((g for g in groups if g["id"] == your_group), None),
        "placed": yours is not None,
        "votes_needed": votes_needed(participant, len(summary["statements"])),
        "consensus": _listed(_agreed_by_all(summary), public, texts, list_length),
        "bridging": _listed(_bridging(summary), public, texts, list_length),
        "svg": svg_points(arrays, yours),
    }


def votes_needed(participant: Participant | None, statements: int) -> int:
    """How many more votes place someone on the map (Pol.is' rule, opinion.MIN_VOTES)."""
    had = participant.votes.count() if participant is not None else 0
    return max(min(MIN_VOTES, statements) - had, 0)


def _agreed_by_all(summary: dict[str, Any]) -> list[int]:
    """The consensus ranking, kept to what every group agrees with (opinion.shared)."""
    rows = summary.get("group_stats", {})
    return [s for s in summary["consensus"] if shared.agreed_by_every_group(rows.get(str(s), []))]


def _bridging(summary: dict[str, Any]) -> list[int]:
    """The bridging ranking, kept to statements with votes enough and most agreeing."""
    stats = summary.get("statement_stats", {})
    return [
        s
        for s, score in summary["bridging"]
        if str(s) in stats and shared.bridges(score, *stats[str(s)][:3])
    ]


def statement_texts(summary: dict[str, Any], languages: Sequence[str] = ()) -> dict[int, ShownText]:
    """The accepted statements a map summary lists, as a reader of `languages` sees them."""
    wanted = set(summary["consensus"]) | {s for s, _ in summary["bridging"]}
    wanted |= {r["statement"] for reps in summary["repness"].values() for r in reps}
    return shown_texts(wanted, languages)


def _your_index(arrays: dict[str, np.ndarray], participant: Participant | None) -> int | None:
    if participant is None:
        return None
    found = (arrays["participants"] == participant.pk).nonzero()[0]
    return int(found[0]) if len(found) else None


def _group(
    group: dict[str, Any],
    row: int,
    summary: dict[str, Any],
    public: PublishedMap,
    texts: dict[int, ShownText],
    your_group: int,
    length: int,
) -> dict[str, Any]:
    reps = public_repness(summary, public, row, texts)
    shown = [ShownStatement(r["statement"], texts[r["statement"]], **_said(r)) for r in reps]
    return {
        "id": group["id"],
        "letter": group_letter(group["id"]),
        "colour": group_colour(group["id"]),
        "size": public.sizes.get(group["id"]),
        "is_yours": group["id"] == your_group,
        "statements": shown[:length],
    }


def _listed(
    ids: list[int], public: PublishedMap, texts: dict[int, ShownText], length: int
) -> list[ShownStatement]:
    return [
        ShownStatement(pk, texts[pk], percent=public.statement(pk).everyone.percent("agree"))
        for pk in ids
        if pk in texts  # else rejected since the map was computed
    ][:length]


def public_repness(
    summary: dict[str, Any],
    public: PublishedMap,
    row: int,
    texts: dict[int, ShownText] | None = None,
) -> list[dict[str, Any]]:
    """The representative statements (best first) of the map's `row`-th group, with the
    group's counts as published, not the exact ones the ranking was computed from."""
    found = []
    for r in summary["repness"].get(str(summary["groups"][row]["id"]), []):
        if texts is not None and r["statement"] not in texts:
            continue
        figures = public.statement(r["statement"])
        counts = figures.groups[row] if row < len(figures.groups) else Figures()
        found.append(
            {
                "statement": r["statement"],
                "direction": r["direction"],
                "agree": counts.agree,
                "disagree": counts.disagree,
                "seen": counts.seen,
                "percent": counts.percent(r["direction"]),
            }
        )
    return found


def _said(repness: dict[str, Any]) -> dict[str, Any]:
    return {"percent": repness["percent"], "direction": repness["direction"]}


def svg_points(arrays: dict[str, np.ndarray], yours: int | None) -> dict[str, Any]:
    """Dots per group as one SVG path each (a few bytes a dot), in a 0..100 box."""
    positions = arrays["positions"].astype(float)
    groups = arrays["groups"]
    low, high = np.percentile(positions, [1, 99], axis=0) if len(positions) else (0, 1)
    span = np.where(high - low > 1e-9, high - low, 1.0)
    scaled = np.clip(5 + 90 * (positions - low) / span, 2, 98)
    shown = np.unique(np.linspace(0, len(scaled) - 1, min(len(scaled), MAP_POINTS)).astype(int))
    paths = []
    for group in sorted({int(g) for g in groups[shown]}):
        members = shown[groups[shown] == group]
        dots = "".join(f"M{x:.1f} {y:.1f}h0" for x, y in scaled[members])
        paths.append({"group": group, "colour": group_colour(group), "d": dots})
    labels = [
        {
            "letter": group_letter(group),
            "colour": group_colour(group),
            "x": round(float(scaled[groups == group, 0].mean()), 1),
            "y": round(float(scaled[groups == group, 1].mean()), 1),
        }
        for group in sorted({int(g) for g in groups if g >= 0})
    ]
    you = None
    if yours is not None:  # kept off the edge, so the ring and its label stay readable
        x, y = np.clip(scaled[yours], 8, 92)
        you = {"x": round(float(x), 1), "y": round(float(y), 1)}
    return {"paths": paths, "labels": labels, "you": you}
