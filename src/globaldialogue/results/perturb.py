"""Small random changes to the counts of freely filtered dashboard views (the cell-key
method of the Australian Bureau of Statistics' TableBuilder), so that no one can work out a
small group by subtracting one view from another: each figure is changed by at most
MOST, and always the same way for the same responses.

Every count in the stored cell table (cell x question x option) gets a key in [0, 1), a
keyed hash of the cell, the column and the count, so it changes only when that count does.
A figure that sums cells takes the sum of their keys (mod 1) as its key, and the key picks
the change from NOISE. Over many figures the changes average zero; the same figure asked
again gets the same change, so asking many times does not wash the noise out. The keys
depend on a server secret: without it the change cannot be computed from a guessed count.

Pure NumPy (no Django), tested and benchmarked on its own.
"""

import hashlib
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

# Change -> probability: symmetric (mean 0), standard deviation 1.2, at most MOST.
NOISE = {-3: 0.03, -2: 0.08, -1: 0.17, 0: 0.44, 1: 0.17, 2: 0.08, 3: 0.03}
MOST = max(NOISE)
_CHANGES = np.array(sorted(NOISE), dtype=np.int64)
_BOUNDS = np.cumsum([NOISE[change] for change in sorted(NOISE)])[:-1]
_MIX1, _MIX2, _GOLDEN = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0x9E3779B97F4A7C15


def cell_keys(
    names: Sequence[str],
    columns: Sequence[tuple[str, str]],
    counts: NDArray[np.int64],
    *,
    secret: bytes,
) -> NDArray[np.float64]:
    """A key in [0, 1) per count (cells x columns), from the secret, cell, column and count."""
    rows = _hashes(names, secret)[:, None]
    across = _hashes([f"{q}\x1f{o}" for q, o in columns], secret)[None, :]
    with np.errstate(over="ignore"):
        mixed = rows ^ (across * np.uint64(_GOLDEN)) ^ (counts.astype(np.uint64) * np.uint64(_MIX1))
        return (_splitmix(mixed) >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def figure_key(keys: NDArray[np.float64]) -> float:
    """The key of a figure summing the counts whose keys are given."""
    return float(np.sum(keys) % 1.0)


def perturbed(count: int, key: float, *, floor: int = 1) -> int:
    """`count` changed as its key says, never below `floor` (a shown count stays shown)."""
    change = int(_CHANGES[int(np.searchsorted(_BOUNDS, key, side="right"))])
    return max(count + change, floor)


def _hashes(texts: Sequence[str], secret: bytes) -> NDArray[np.uint64]:
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(t.encode(), key=secret[:64], digest_size=8).digest())
            for t in texts
        ],
        dtype=np.uint64,
    )


def _splitmix(z: NDArray[np.uint64]) -> NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX2)
        return z ^ (z >> np.uint64(31))
