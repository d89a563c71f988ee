"""Small-cell suppression for public results (pure).

Primary: a count from 1 to threshold-1 is hidden. Complementary: where the hidden cells of a
set that adds up to a shown total could be worked out by subtraction (exactly one hidden),
the next smallest non-zero cell is hidden too. Zero is shown: it discloses no one.
"""

from collections.abc import Mapping


def suppress(counts: Mapping[str, int], threshold: int, *, additive: bool) -> dict[str, int | None]:
    """Counts with hidden cells as None. `additive`: the cells sum to a total that is shown."""
    shown: dict[str, int | None] = {
        key: (None if 0 < count < threshold else count) for key, count in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if additive and len(hidden) == 1:
        candidates = [key for key, value in shown.items() if value]
        if candidates:
            shown[min(candidates, key=lambda key: counts[key])] = None
    return shown
