"""Weighted shares with 95% intervals that allow for the weighting (Kish's design effect).

Opt-in samples have no sampling design: the intervals are model-based (they assume that,
within the weighting cells, those who answered are like those who did not), as AAPOR asks
such figures to be labelled. Below MIN_EFFECTIVE_N no interval is given.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Z95 = 1.959963984540054
MIN_EFFECTIVE_N = 30


@dataclass(frozen=True)
class Share:
    share: float  # weighted
    unweighted: float
    n: int  # responses counted
    effective_n: float  # Kish
    low: float | None  # 95% interval, None when effective_n < MIN_EFFECTIVE_N
    high: float | None


def kish(weights: NDArray[np.float64]) -> tuple[float, float]:
    """(effective sample size, design effect) of a set of weights."""
    total, squares = float(weights.sum()), float(np.square(weights).sum())
    if squares == 0:
        return 0.0, 1.0
    effective = total * total / squares
    return effective, len(weights) / effective


def estimate_share(chosen: NDArray[np.bool_], weights: NDArray[np.float64]) -> Share:
    """The share of responses (among those given) that chose something: weighted, with a
    Wilson interval on the effective sample size."""
    n = len(weights)
    if n == 0:
        return Share(0.0, 0.0, 0, 0.0, None, None)
    share = float(weights[chosen].sum() / weights.sum())
    effective, _deff = kish(weights)
    low = high = None
    if effective >= MIN_EFFECTIVE_N:
        low, high = wilson(share, effective)
    return Share(share, float(chosen.mean()), n, effective, low, high)


def wilson(share: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval (sensible near 0 and 1, unlike share +- z * se)."""
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    spread = z / (1 + z * z / n) * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(0.0, centre - spread), min(1.0, centre + spread)


def bootstrap_interval(
    chosen: NDArray[np.bool_],
    reweigh: Callable[[NDArray[np.int64]], NDArray[np.float64]],
    *,
    runs: int = 200,
    seed: int = 0,
) -> tuple[float, float]:
    """A check on the Kish interval: resample the responses with replacement, weigh each
    resample again (`reweigh(rows)` rakes the chosen rows), and take the 2.5th and 97.5th
    percentiles of the weighted share. Slow (a raking per run): for reports, not pages."""
    rng = np.random.default_rng(seed)
    n = len(chosen)
    shares = np.empty(runs)
    for run in range(runs):
        rows = rng.integers(0, n, n)
        weights = reweigh(rows)
        shares[run] = weights[chosen[rows]].sum() / weights.sum()
    low, high = np.percentile(shares, [2.5, 97.5])
    return float(low), float(high)
