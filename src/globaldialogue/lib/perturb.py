"""Small random changes to every published count (the cell-key method of the Australian
Bureau of Statistics), so that no one can work out a small group by subtracting one
published figure from another: each count is changed by at most MOST, and always the same
way for the same responses, on every page and under every filter.

Every response has a record key, a number in [0, KEY_RANGE) fixed by its id (record_key).
Every counter of the roll-up keeps, beside its count, the sum of its responses' record keys
modulo KEY_RANGE; a figure summing counters sums their keys the same way. So a figure's key
depends only on which responses it counts, however it was put together (a region, or its
countries one by one). The change is drawn from NOISE by a keyed hash of the figure's key,
its count and a server secret: the same figure asked again gets the same change, so asking
many times does not wash the noise out, and without the secret it cannot be computed.

Pure NumPy (no Django), tested and benchmarked on its own.
"""

import hashlib
import uuid

import numpy as np
from numpy.typing import NDArray

# Change -> probability: symmetric (mean 0), standard deviation 1.2, at most MOST.
NOISE = {-3: 0.03, -2: 0.08, -1: 0.17, 0: 0.44, 1: 0.17, 2: 0.08, 3: 0.03}
MOST = max(NOISE)
KEY_RANGE = 1 << 32
_CHANGES = np.array(sorted(NOISE), dtype=np.int64)
_BOUNDS = np.cumsum([NOISE[change] for change in sorted(NOISE)])[:-1]
_MIX1, _MIX2, _GOLDEN = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0x9E3779B97F4A7C15


def record_key(response_id: uuid.UUID) -> int:
    """A response's record key: uniform in [0, KEY_RANGE), fixed by its id."""
    digest = hashlib.blake2b(response_id.bytes, digest_size=4, person=b"gd-record-key")
    return int.from_bytes(digest.digest())


def figure_key(keys: NDArray[np.int64] | list[int]) -> int:
    """The key of a figure summing counters whose keys are given."""
    return int(np.sum(np.asarray(keys, dtype=np.int64) % KEY_RANGE)) % KEY_RANGE


def changes(
    counts: NDArray[np.int64], keys: NDArray[np.int64], *, secret: bytes
) -> NDArray[np.int64]:
    """The change to each count (arrays of the same shape), from its key and the secret.
    An empty figure (count 0) is never changed: it counts no one."""
    salt = np.uint64(int.from_bytes(hashlib.blake2b(secret, digest_size=8).digest()))
    with np.errstate(over="ignore"):
        mixed = (keys.astype(np.uint64) * np.uint64(_GOLDEN)) ^ salt
        mixed ^= counts.astype(np.uint64) * np.uint64(_MIX1)
        uniform = (_splitmix(mixed) >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    drawn = _CHANGES[np.searchsorted(_BOUNDS, uniform, side="right")]
    return np.where(counts > 0, drawn, 0)


def change(count: int, key: int, *, secret: bytes) -> int:
    """changes() for one figure."""
    return int(changes(np.array([count]), np.array([key]), secret=secret)[0])


def _splitmix(z: NDArray[np.uint64]) -> NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX2)
        return z ^ (z >> np.uint64(31))
