"""Moderation hints (pure: no Django): near-duplicate statements, and signs of spam or abuse.

Similarity is the cosine between character 3-gram counts of the normalised texts (case,
accents, punctuation and spacing already removed), so it works the same for languages
written without spaces, survives small edits and word order changes, and needs no model.
"""

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from globaldialogue.deliberation.insults import has_insult
from globaldialogue.lib import scrub

NEAR_DUPLICATE = 0.75  # cosine at or above this: a possible duplicate, for moderators
OFFER_DUPLICATE = 0.85  # ... and this close: offered to the author to vote on instead
# The same meaning in another language, by the sentence encoder's cosine (meaning.py;
# measured on the demo's seeds: bench/duplicates.py).
MEANING_NEAR = 0.60  # a hint for moderators
MEANING_OFFER = 0.70  # offered to the author to vote on instead
_VECTORIZER = HashingVectorizer(
    analyzer="char_wb", ngram_range=(3, 3), n_features=2**20, alternate_sign=False, norm="l2"
)

REPEATED_CHARACTER = re.compile(r"(.)\1{5,}")
HELD = frozenset({"insult", "blocked word"})  # signals that hold a statement for a moderator


class SimilarityIndex:
    """Vectors of a growing list of statements, added once each (vectorising is the slow
    part: about 60 us a statement), to find the closest to a new text."""

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = sparse.csr_matrix((0, _VECTORIZER.n_features))
        self.last_id = 0

    def add(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        if not ids:
            return
        self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int64)])
        self.matrix = sparse.vstack([self.matrix, _VECTORIZER.transform(texts)], format="csr")
        self.last_id = max(self.last_id, int(max(ids)))

    def closest(self, text: str, excluded: Sequence[int] = ()) -> tuple[int, float] | None:
        """The id and score of the most similar statement not in `excluded`."""
        if not len(self.ids):
            return None
        scores = (self.matrix @ _VECTORIZER.transform([text]).T).toarray().ravel()
        scores[np.isin(self.ids, np.asarray(excluded, dtype=np.int64))] = -1
        best = int(np.argmax(scores))
        return (int(self.ids[best]), float(scores[best])) if scores[best] > 0 else None


def spam_signals(text: str, blocked_words: Sequence[str] = ()) -> list[str]:
    """Short reasons a moderator should look twice at `text` (empty: nothing noticed)."""
    signals = []
    # Participants' statements are scrubbed before they are stored (actions.add_statement):
    # what was taken out is marked, and still worth a second look.
    if scrub.URL.search(text) or "[link]" in text:
        signals.append("link")
    if (
        scrub.EMAIL.search(text)
        or scrub.PHONE.search(text)
        or "[email]" in text
        or "[phone]" in text
    ):
        signals.append("contact details")
    if REPEATED_CHARACTER.search(text):
        signals.append("repeated characters")
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        signals.append("shouting")
    words = re.findall(r"\w+", text.casefold())
    if len(words) >= 6 and len(set(words)) / len(words) < 0.4:
        signals.append("repeated words")
    if has_insult(text):
        signals.append("insult")
    lowered = text.casefold()
    if any(word and word.casefold() in lowered for word in blocked_words):
        signals.append("blocked word")
    return signals


def held_for_moderator(text: str, blocked_words: Sequence[str] = ()) -> bool:
    """Whether `text` waits for a moderator even where statements are shown at once."""
    return not HELD.isdisjoint(spam_signals(text, blocked_words))
