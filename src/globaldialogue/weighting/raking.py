"""Raking (iterative proportional fitting): weights that make the sample's shares match the
population's on each margin at once, e.g. country x age group and country x gender.

Every margin is a vector of category codes (one per response, -1 for "not known") and the
population share of each category. Within-country raking for every country at once is the
same computation with joint codes (country * n_age + age): no loop over countries. A joint
margin is fitted within each country (conditional shares), so people whose age is unknown
count for their country without pulling the others' country shares.

Weight trimming caps weights at `cap` times the mean and rakes again, a few rounds, so that a
handful of respondents in a thin cell cannot carry a country.
"""

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Codes = NDArray[np.int64]


DEFAULT_CAP = 5.0  # trimming: no weight above this many times the mean


@dataclass(frozen=True)
class Margin:
    """A margin: each response's category (-1: unknown, left out of this margin) and the
    population share of each category (summing to 1)."""

    name: str
    codes: Codes
    shares: NDArray[np.float64]
    # For joint margins (country x age): each category's outer group (its country). Such a
    # margin is fitted within each group (the age groups of each country, leaving each
    # country's total to the country margin, which must be given too), and an empty
    # category's people are spread over its own group.
    groups: Codes | None = None


@dataclass(frozen=True)
class RakeResult:
    weights: NDArray[np.float64]  # mean 1 over the responses
    iterations: int
    converged: bool
    max_error: float  # largest gap between weighted and target share, any margin
    empty: dict[str, list[int]] = field(default_factory=dict)  # margin -> empty categories
    # Entries whose weight hit the cap (in the last trimming round).
    trimmed_entries: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def trimmed(self) -> int:
        return len(self.trimmed_entries)


def rake(
    margins: list[Margin],
    *,
    base: NDArray[np.float64] | None = None,
    cap: float | None = DEFAULT_CAP,
    tolerance: float = 1e-6,
    max_iterations: int = 200,
    trim_rounds: int = 5,
    sizes: NDArray[np.float64] | None = None,
) -> RakeResult:
    """Weights (mean 1) whose weighted shares match every margin. Categories with a target
    but no respondent cannot be matched: they are reported in `empty` and their population
    is spread over the rest of their group (Margin.groups), or of the margin. With a `cap`,
    weights above cap x mean are trimmed and the sample raked again, `trim_rounds` times at
    most; the result is then trimmed and meets the margins within `max_error`. `sizes`:
    when each entry stands for that many responses (cells of a roll-up, `base` their
    counts), weights are the cells' masses and the cap applies to each response's share."""
    n = len(margins[0].codes) if margins else 0
    weights = np.ones(n) if base is None else np.asarray(base, dtype=float).copy()
    if n == 0:
        return RakeResult(weights, 0, True, 0.0)
    targets, empty = reachable_targets(margins)
    iterations, converged = 0, False
    trimmed_entries = np.zeros(0, np.int64)
    for _round in range(trim_rounds if cap else 1):
        weights, used, error = _fit(margins, targets, weights, tolerance, max_iterations)
        iterations, converged = iterations + used, error <= tolerance
        per, limit = _per_response(weights, sizes)
        if not cap or not (over := per > cap * limit).any():
            break
        # Trim, then rake again; the last round ends trimmed, margins met nearly.
        trimmed_entries = np.flatnonzero(over)
        weights = _trim(weights, cap, sizes)
    error = max(
        _gap(m, _within(t, m.groups), weights) for m, t in zip(margins, targets, strict=True)
    )
    return RakeResult(
        weights=weights / weights.mean(),
        iterations=iterations,
        converged=converged,
        max_error=float(error),
        empty=empty,
        trimmed_entries=trimmed_entries,
    )


def _per_response(
    weights: NDArray[np.float64], sizes: NDArray[np.float64] | None
) -> tuple[NDArray[np.float64], float]:
    """Each response's weight and their mean (entries are responses unless `sizes`)."""
    if sizes is None:
        return weights, float(weights.mean())
    per = np.divide(weights, sizes, out=np.zeros_like(weights), where=sizes > 0)
    return per, float(weights.sum() / sizes.sum())


def _trim(
    weights: NDArray[np.float64], cap: float, sizes: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Each response's weight at most `cap` times their mean (trimming lowers the mean: a
    few passes)."""
    scale = np.ones_like(weights) if sizes is None else sizes
    for _ in range(50):
        _per, mean = _per_response(weights, sizes)
        trimmed = np.minimum(weights, cap * mean * scale)
        if np.allclose(trimmed, weights):
            break
        weights = trimmed
    return weights


def reachable_targets(margins: list[Margin]) -> tuple[list[NDArray[np.float64]], dict]:
    targets, empty = [], {}
    for margin in margins:
        present = np.bincount(margin.codes[margin.codes >= 0], minlength=len(margin.shares)) > 0
        missing = np.flatnonzero(~present & (margin.shares > 0))
        if missing.size:
            empty[margin.name] = missing.tolist()
        targets.append(_spread(margin.shares, present, margin.groups))
    return targets, empty


def _spread(
    shares: NDArray[np.float64], present: NDArray[np.bool_], groups: Codes | None
) -> NDArray[np.float64]:
    """Targets without empty categories: within a group first, then over everything."""
    kept = np.where(present, shares, 0.0)
    if groups is not None:
        wanted = np.bincount(groups, weights=shares)
        held = np.bincount(groups, weights=kept, minlength=len(wanted))
        scale = np.divide(wanted, held, out=np.zeros_like(wanted), where=held > 0)
        kept = kept * scale[groups]
    total = kept.sum()
    return kept / total if total > 0 else kept


def _fit(
    margins: list[Margin],
    targets: list[NDArray[np.float64]],
    weights: NDArray[np.float64],
    tolerance: float,
    max_iterations: int,
) -> tuple[NDArray[np.float64], int, float]:
    """Rake until a whole pass changes no category's weight by more than `tolerance`
    (relative), then measure the largest share gap."""
    known = [_known(margin.codes) for margin in margins]
    within = [_within(t, m.groups) for m, t in zip(margins, targets, strict=True)]
    weights = weights.copy()
    used = 0
    while used < max_iterations:
        used += 1
        change = max(
            _adjust(index, codes, target, margin.groups, weights)
            for (index, codes), target, margin in zip(known, within, margins, strict=True)
        )
        if change <= tolerance:
            break
    error = max(_gap(m, t, weights) for m, t in zip(margins, within, strict=True))
    return weights, used, error


def _within(target: NDArray[np.float64], groups: Codes | None) -> NDArray[np.float64]:
    """Targets as shares of their group (unchanged for a margin without groups)."""
    if groups is None:
        return target
    sums = np.bincount(groups, weights=target)
    return np.divide(target, sums[groups], out=np.zeros_like(target), where=sums[groups] > 0)


def _category_totals(
    codes: Codes, weights: NDArray[np.float64], target: NDArray[np.float64], groups: Codes | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each category's weight, and the weight it should have: its target share of the
    margin's (or, with groups, of its group's) known weight."""
    totals = np.bincount(codes, weights=weights, minlength=len(target)).astype(float)
    if groups is None:
        return totals, target * totals.sum()
    return totals, target * np.bincount(groups, weights=totals)[groups]


def _known(codes: Codes) -> tuple[NDArray[np.int64] | None, Codes]:
    """The responses known on a margin (None: all of them) and their categories."""
    mask = codes >= 0
    return (None, codes) if mask.all() else (np.flatnonzero(mask), codes[mask])


def _adjust(
    index: NDArray[np.int64] | None,
    codes: Codes,
    target: NDArray[np.float64],
    groups: Codes | None,
    weights: NDArray[np.float64],
) -> float:
    """Scale, in place, each category's weights to what it should hold; returns the
    largest relative change."""
    known = weights if index is None else weights[index]
    totals, wanted = _category_totals(codes, known, target, groups)
    factors = np.divide(wanted, totals, out=np.ones_like(totals), where=totals > 0)
    if index is None:
        weights *= factors[codes]
    else:
        weights[index] = known * factors[codes]
    return float(np.abs(factors[totals > 0] - 1).max(initial=0.0))


def _gap(margin: Margin, target: NDArray[np.float64], weights: NDArray[np.float64]) -> float:
    """The largest gap between a category's share (of its group, for a margin with groups)
    and its target."""
    index, codes = _known(margin.codes)
    known = weights if index is None else weights[index]
    totals = np.bincount(codes, weights=known, minlength=len(target))
    if margin.groups is None:
        whole = np.full_like(totals, totals.sum())
    else:
        whole = np.bincount(margin.groups, weights=totals)[margin.groups]
    present = whole > 0
    return float(np.abs(totals[present] / whole[present] - target[present]).max(initial=0.0))


def joint(outer: Codes, inner: Codes, inner_size: int) -> Codes:
    """Codes of the pairs (outer, inner), e.g. country x age group; -1 if either is."""
    return np.where((outer >= 0) & (inner >= 0), outer * inner_size + inner, -1)


def collapse(
    margin: Margin, *, min_count: int = 5, sizes: NDArray[np.float64] | None = None
) -> Margin:
    """Merge thin categories of a joint margin within their group (e.g. the age groups of a
    country with few responses), so the fit exists and no weight balloons. Rules, in order,
    per group: a category with fewer than `min_count` responses joins its next neighbour
    (the previous one for the last), repeated until every remaining category has
    `min_count` or the group is one category. Without groups the margin is returned.
    `sizes`: how many responses each entry stands for (when entries are cells of counts)."""
    if margin.groups is None:
        return margin
    known = margin.codes >= 0
    weights = None if sizes is None else sizes[known]
    counts = np.bincount(margin.codes[known], weights=weights, minlength=len(margin.shares))
    merged = np.arange(len(margin.shares))
    for group in np.unique(margin.groups):
        members = np.flatnonzero(margin.groups == group)
        _merge_thin(members, counts, merged, min_count)
    labels, mapping = np.unique(merged, return_inverse=True)
    codes = np.where(margin.codes >= 0, mapping[np.maximum(margin.codes, 0)], -1)
    shares = np.bincount(mapping, weights=margin.shares, minlength=len(labels)).astype(float)
    groups = np.zeros(len(labels), dtype=np.int64)
    groups[mapping] = margin.groups
    return Margin(margin.name, codes, shares, groups)


def _merge_thin(members: Codes, counts: Codes, merged: Codes, min_count: int) -> None:
    """Within one group: point each thin category at a neighbour (in `merged`)."""
    blocks = [[int(m)] for m in members]
    while len(blocks) > 1:
        sizes = [int(counts[block].sum()) for block in blocks]
        thin = next((i for i, size in enumerate(sizes) if size < min_count), None)
        if thin is None:
            break
        into = thin + 1 if thin + 1 < len(blocks) else thin - 1
        low, high = sorted((thin, into))
        blocks[low : high + 1] = [blocks[low] + blocks[high]]
    for block in blocks:
        merged[block] = block[0]
