"""The demo conversation (UN75 priorities) and its clearly labelled synthetic crowd."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from globaldialogue.consultations.actions import save_consultation
from globaldialogue.deliberation import actions, identity
from globaldialogue.deliberation.models import Conversation, Participant, Statement
from globaldialogue.deliberation.translation_actions import (
    add_seed_translations,
    missing_languages,
)

DATA_FILE = Path(__file__).parent / "data" / "priorities.json"
CROWD_PREFIX = "demo-crowd-"  # the crowd's partner ids: synthetic, and recognisably so
GROUP_SHARES = [0.45, 0.35, 0.20]  # three planted opinion groups
# Chance of agree / disagree / pass when a group leans for (1), against (-1) or neither (0).
LEANING = {1: (0.8, 0.1, 0.1), -1: (0.1, 0.8, 0.1), 0: (0.4, 0.4, 0.2)}


def demo_data() -> dict[str, Any]:
    return dict(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def load_demo_conversation() -> Conversation:
    """The conversation and its seed statements in all six UN languages; an existing one
    only gets the seeds' translations it lacks (a demo made before they shipped)."""
    data = demo_data()
    existing = Conversation.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        _add_missing_translations(existing, data)
        return existing
    consultation = save_consultation(
        slug=data["consultation"], title={"en": "UN75"}, languages=["en"], replace=False
    )
    with transaction.atomic():
        conversation = actions.create_conversation(
            consultation=consultation,
            slug=data["slug"],
            topic=data["topic"],
            description=data["description"],
            languages=data["languages"],
            status=Conversation.Status.OPEN,
        )
        for seed in data["seeds"]:
            actions.seed_statement(
                conversation=conversation,
                text=seed["text"],
                language=seed["language"],
                translations=seed["translations"],
            )
    return conversation


def _add_missing_translations(conversation: Conversation, data: dict[str, Any]) -> None:
    seeds = {s.text: s for s in Statement.objects.filter(conversation=conversation, is_seed=True)}
    with transaction.atomic():
        for seed in data["seeds"]:
            statement = seeds.get(seed["text"])
            if statement is None:
                continue
            missing = set(missing_languages(statement))
            texts = {code: text for code, text in seed["translations"].items() if code in missing}
            add_seed_translations(statement=statement, texts=texts)


def load_synthetic_crowd(conversation: Conversation, size: int = 300, seed: int = 75) -> int:
    """`size` synthetic participants in three opinion groups voting on the seeds (about 60%
    of them each), over the last two weeks. Returns how many were new."""
    keys = [identity.participant_key(xid=f"{CROWD_PREFIX}{i}") for i in range(size)]
    known = set(
        Participant.objects.filter(conversation=conversation, key_hash__in=keys).values_list(
            "key_hash", flat=True
        )
    )
    new = [(i, key) for i, key in enumerate(keys) if key not in known]
    if not new:
        return 0
    leans = {s["text"]: s["lean"] for s in demo_data()["seeds"]}
    statements = list(
        Statement.objects.filter(conversation=conversation, is_seed=True).values_list("pk", "text")
    )
    rng = np.random.default_rng(seed)
    now = timezone.now()
    joined = {key: now - timedelta(days=14 * (size - i) / size) for i, key in new}
    with transaction.atomic():
        ids = actions.add_participants(conversation=conversation, joined=joined)
        votes = []
        for i, key in new:
            group = np.random.default_rng([seed, i]).choice(3, p=GROUP_SHARES)
            for pk, text in statements:
                if rng.random() > 0.6:
                    continue
                lean = leans.get(text, [0, 0, 0])[group]
                value = int(rng.choice([1, -1, 0], p=LEANING[lean]))
                when = joined[key] + timedelta(minutes=int(rng.integers(1, 30)))
                votes.append((ids[key], pk, value, when))
        actions.add_votes(conversation=conversation, votes=votes)
    return len(new)
