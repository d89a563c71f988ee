"""The one disclosure policy: how every public count is published, whatever it counts
(survey results, breakdowns, the dashboard under any filters, the PDF report, themes, the
open dataset's summaries, conversation maps and reports, dialogue results). docs/disclosure.md
explains it; in short:

- a count from 1 to threshold - 1 is hidden (None); zero is shown, it counts no one;
- in a table shown with its margins, further cells are hidden so that no hidden one can be
  worked out by subtraction (lib.suppression), decided on the exact counts, the same on
  every page that shows the cell;
- every other count is changed a little by its cell key (lib.perturb), the same for the same
  records everywhere, never below the threshold;
- a survey's figures move in releases (results.releases), never response by response.

Each thing published under the policy (a survey, a conversation, a dialogue event) has a
secret of its own, so two of them draw unrelated changes.
"""

import hashlib
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from numpy.typing import NDArray

from globaldialogue.lib import perturb

THRESHOLD = 10  # k where no organizer set one (surveys and conversations have their own)


@dataclass(frozen=True)
class Policy:
    threshold: int
    secret: bytes

    def count(self, count: int, key: int) -> int | None:
        """`count` as published: None from 1 to threshold - 1, else changed by its key."""
        if count <= 0:
            return 0
        if count < self.threshold:
            return None
        return max(count + perturb.change(count, key, secret=self.secret), self.threshold)

    def shown(self, count: int, key: int) -> int:
        """A count already judged shown (by suppression), as published."""
        published = self.count(count, key)
        assert published is not None, "a count under the threshold cannot be shown"
        return published

    def cells(self, counts: NDArray[np.int64], keys: NDArray[np.int64]) -> NDArray[np.int64]:
        """Every count of a cell table changed by its key, small ones too, none below zero:
        what weighted estimates are computed from, so they disclose no exact count."""
        return np.maximum(counts + perturb.changes(counts, keys, secret=self.secret), 0)


def policy(scope: str, threshold: int) -> Policy:
    """The policy of one thing published (`scope` names it, e.g. "conversation|12")."""
    seed = f"{settings.DISCLOSURE_SECRET}|{scope}"
    return Policy(threshold, hashlib.sha256(seed.encode()).digest())
