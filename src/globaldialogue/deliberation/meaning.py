"""Near-duplicates across languages: statements that mean the same in another language,
found with the multilingual sentence encoder the themes analysis uses (themes.embed).

Character 3-grams (duplicates.py) find the same words; they cannot see that "Clean water
for everyone." and "L'eau potable pour tous." say one thing. Each statement keeps its unit
vector (`Statement.meaning`, float16): made when it is added or seeded, and by the map's
background job for statements older than this (deliberation.tasks). Each process keeps the
vectors of its most recent CONVERSATIONS and reads only what is new.

Thresholds (hints.py), measured on the demo's 16 seeds in the six UN languages (4,320
pairs of different seeds, bench/duplicates.py): at OFFER (0.70) 80% of translations are
found and no two different seeds; at NEAR (0.60) 97% and one pair of two seeds on climate.
"""

import threading
from collections import OrderedDict
from functools import cache
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Q
from numpy.typing import NDArray

from globaldialogue.deliberation.hints import MEANING_NEAR, MEANING_OFFER
from globaldialogue.deliberation.models import Conversation, Statement

OFFER, NEAR = MEANING_OFFER, MEANING_NEAR
CONVERSATIONS = 16
BACKFILL = 500  # statements embedded per background run
_DTYPE = np.float16
_indexes: "OrderedDict[int, _Index]" = OrderedDict()
_lock = threading.Lock()
_encoding = threading.Lock()


def enabled() -> bool:
    """Whether statements are compared by meaning here (setting, and the encoder installed)."""
    from globaldialogue.themes.embed import use_available

    return bool(settings.MEANING_DUPLICATES) and use_available()


def wanted(conversation: Conversation) -> bool:
    """Whether to compare this conversation's statements by meaning: in one language,
    3-grams do (and no process loads the encoder for it)."""
    return len(conversation.languages) > 1 and enabled()


@cache
def _encoder() -> Any:
    from globaldialogue.themes.embed import use_encoder

    return use_encoder(threads=1)  # loaded once a process: about 2 s and 170 MB


def vectors(texts: list[str]) -> NDArray[np.float32]:
    with _encoding:  # one model a process, shared by the request threads: one text at a time
        return np.asarray(_encoder()(texts), dtype=np.float32)


def stored(vector: NDArray[np.float32]) -> bytes:
    return vector.astype(_DTYPE).tobytes()


def vector_of(stored: Any) -> NDArray[np.float32]:
    return np.frombuffer(bytes(stored), dtype=_DTYPE).astype(np.float32)


def embed_missing(conversation: Conversation, *, limit: int = BACKFILL) -> int:
    """Vectors for up to `limit` statements of the conversation that lack one."""
    if not wanted(conversation):
        return 0
    missing = list(
        Statement.objects.filter(conversation=conversation, meaning__isnull=True)
        .exclude(status=Statement.Status.REJECTED)
        .order_by("pk")[:limit]
    )
    if not missing:
        return 0
    for statement, vector in zip(missing, vectors([s.text for s in missing]), strict=True):
        statement.meaning = stored(vector)
    Statement.objects.bulk_update(missing, ["meaning"])
    return len(missing)


class _Index:
    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.languages = np.zeros(0, dtype=object)
        self.matrix = np.zeros((0, 512), dtype=_DTYPE)
        self.last_id = 0

    def add(self, rows: list[tuple[int, str, Any]]) -> None:
        if not rows:
            return
        self.ids = np.concatenate([self.ids, [pk for pk, _l, _v in rows]])
        self.languages = np.concatenate([self.languages, [lang for _p, lang, _v in rows]])
        found = np.stack([np.frombuffer(bytes(v), dtype=_DTYPE) for _p, _l, v in rows])
        self.matrix = np.vstack([self.matrix, found])
        self.last_id = max(self.last_id, int(self.ids.max()))


def _index(conversation_id: int) -> _Index:
    embedded = Statement.objects.filter(conversation_id=conversation_id, meaning__isnull=False)
    with _lock:
        index = _indexes.pop(conversation_id, None) or _Index()
        counted = embedded.aggregate(
            every=Count("pk"), newer=Count("pk", filter=Q(pk__gt=index.last_id))
        )
        if len(index.ids) + counted["newer"] != counted["every"]:
            index = _Index()  # older statements were embedded since: read them all again
        _indexes[conversation_id] = index
        while len(_indexes) > CONVERSATIONS:
            _indexes.popitem(last=False)
        newer = embedded.filter(pk__gt=index.last_id).order_by("pk")
        index.add(list(newer.values_list("pk", "language", "meaning")))
        return index


def closest_in_other_languages(
    conversation: Conversation,
    items: dict[int, tuple[str, NDArray[np.float32]]],
    *,
    threshold: float,
) -> dict[int, tuple[Statement, float]]:
    """For texts (key -> (language, vector)): the statement of another language that means
    most nearly the same, not rejected and not the text itself, where close enough."""
    index = _index(conversation.pk)
    if not len(index.ids) or not items:
        return {}
    rejected = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.REJECTED
    ).values_list("pk", flat=True)
    shut = np.isin(index.ids, np.fromiter(rejected, dtype=np.int64))
    every = index.matrix.astype(np.float32)
    matches: dict[int, tuple[int, float]] = {}
    for key, (language, vector) in items.items():
        scores = every @ vector
        scores[shut | (index.languages == language) | (index.ids == key)] = -1
        best = int(np.argmax(scores))
        if scores[best] >= threshold:
            matches[key] = (int(index.ids[best]), float(scores[best]))
    statements = Statement.objects.in_bulk([pk for pk, _score in matches.values()])
    return {
        key: (statements[pk], score) for key, (pk, score) in matches.items() if pk in statements
    }


def forget_indexes() -> None:
    """Tests: start from empty indexes (ids are reused across test databases)."""
    with _lock:
        _indexes.clear()
