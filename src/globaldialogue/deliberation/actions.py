"""Every write to conversations: creating them, joining, statements, votes, moderation, the
stored opinion map, and the Pol.is import."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from globaldialogue.audit.actions import record
from globaldialogue.consultations.models import Consultation
from globaldialogue.deliberation import duplicates, mapping, meaning, polis, votestore
from globaldialogue.deliberation import text as statement_text
from globaldialogue.deliberation.hints import OFFER_DUPLICATE, held_for_moderator
from globaldialogue.deliberation.identity import participant_key
from globaldialogue.deliberation.live import publish_map
from globaldialogue.deliberation.models import (
    Conversation,
    ConversationMap,
    Participant,
    Statement,
    Vote,
    new_embed_secret,
)
from globaldialogue.deliberation.translation_actions import add_seed_translations, translation_due
from globaldialogue.lib.changes import assign
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.hooks import Hook
from globaldialogue.lib.metrics import MAP_SECONDS, VOTES
from globaldialogue.lib.scrub import scrub
from globaldialogue.opinion import compute_map

# Subscribed to by tasks.py (see apps.py): the map is recomputed, debounced.
map_due = Hook("deliberation: votes or statements changed a conversation (conversation id)")

FLOOD_STATEMENTS = 5  # a participant may add this many statements ...
FLOOD_WINDOW = timedelta(minutes=10)  # ... per this long


class Duplicate(Refused):
    """Someone already said (almost) this; the client may offer to vote on it instead."""

    def __init__(self, existing: Statement) -> None:
        super().__init__("duplicate", _("Someone already said almost this. Vote on it instead?"))
        self.existing = existing


def create_conversation(
    *,
    consultation: Consultation,
    slug: str,
    topic: dict[str, str],
    languages: list[str],
    description: dict[str, str] | None = None,
    moderation: str = Conversation.Moderation.POST,
    status: str = Conversation.Status.DRAFT,
) -> Conversation:
    """A new conversation: a draft (seen by organizers only) unless `status` says open."""
    return update_conversation(
        conversation=Conversation(),
        consultation=consultation,
        slug=slug,
        topic=topic,
        description=description or {},
        languages=languages,
        moderation=Conversation.Moderation(moderation),
        status=Conversation.Status(status),
    )


# What organizers set on a conversation in the back office.
CONVERSATION_FIELDS = (
    "consultation",
    "slug",
    "topic",
    "description",
    "languages",
    "moderation",
    "statement_max_length",
    "max_groups",
    "status",
    "blocked_words",
)


def update_conversation(*, conversation: Conversation, **changes: Any) -> Conversation:
    """An organizer's change (CONVERSATION_FIELDS); a new conversation from the back office
    is saved the same way."""
    changed = assign(conversation, changes, CONVERSATION_FIELDS)
    if not conversation.languages or not conversation.topic:
        raise ValueError("a conversation needs its languages and its topic")
    with transaction.atomic():
        new = conversation.pk is None
        conversation.save()
        action = "create_conversation" if new else "update_conversation"
        summary = {"changed": changed}
        record(
            action=action, obj=conversation, consultation=conversation.consultation, summary=summary
        )
    return conversation


def delete_conversation(*, conversation: Conversation) -> None:
    """Remove it with its statements, participants, votes and maps."""
    with transaction.atomic():
        record(
            action="delete_conversation", obj=conversation, consultation=conversation.consultation
        )
        conversation.delete()


def join_conversation(*, conversation: Conversation, token: str = "", xid: str = "") -> Participant:
    key = participant_key(token=token, xid=xid)
    try:
        with transaction.atomic():
            participant, _created = Participant.objects.get_or_create(
                conversation=conversation, key_hash=key
            )
    except IntegrityError:  # joined at the same moment from another request
        participant = Participant.objects.get(conversation=conversation, key_hash=key)
    return participant


def forget_participant(*, participant: Participant) -> dict[str, int]:
    """A participant's own deletion: their votes, their statements nobody else voted on, and
    themselves go; a statement others voted on keeps its text (their votes stand) without
    its author. The map is recomputed without them."""
    conversation = participant.conversation
    with transaction.atomic():
        votes, _ = Vote.objects.filter(participant=participant).delete()
        theirs = Statement.objects.filter(author=participant)
        voted_on = list(theirs.filter(votes__isnull=False).values_list("pk", flat=True))
        kept = Statement.objects.filter(pk__in=voted_on).update(author=None)
        deleted = theirs.delete()[1].get(Statement._meta.label, 0)  # those nobody voted on
        participant.delete()
        summary = {"votes": votes, "statements_deleted": deleted, "statements_kept": kept}
        record(action="forget_participant", consultation=conversation.consultation, summary=summary)
        map_due.fire(conversation.pk)
    return summary


def rotate_embed_secret(*, conversation: Conversation, overlap: bool = True) -> str:
    """A new secret for partners to sign ids with. With `overlap`, ids signed with the old
    one still count for settings.EMBED_SECRET_OVERLAP_HOURS while partners switch;
    without, they stop at once (a leaked secret lets anyone vote as any partner's user)."""
    hours = settings.EMBED_SECRET_OVERLAP_HOURS if overlap else 0
    with transaction.atomic():
        conversation.previous_embed_secret = conversation.embed_secret if hours else ""
        conversation.previous_secret_until = (
            timezone.now() + timedelta(hours=hours) if hours else None
        )
        conversation.embed_secret = new_embed_secret()
        conversation.save(
            update_fields=["embed_secret", "previous_embed_secret", "previous_secret_until"]
        )
        record(
            action="rotate_embed_secret",
            obj=conversation,
            consultation=conversation.consultation,
            summary={"old_secret_counts_hours": hours},
        )
    return conversation.embed_secret


def seed_statement(
    *,
    conversation: Conversation,
    text: str,
    language: str,
    translations: dict[str, str] | None = None,
) -> Statement:
    """An organizer's statement: accepted at once, shown first; `translations` are its
    texts in the conversation's other languages (language -> text)."""
    cleaned = _checked_text(conversation, text)
    with transaction.atomic():
        statement = Statement.objects.create(
            conversation=conversation,
            text=cleaned,
            normalized=statement_text.normalized(cleaned),
            language=language,
            status=Statement.Status.ACCEPTED,
            is_seed=True,
            meaning=_meaning(conversation, cleaned),
        )
        add_seed_translations(statement=statement, texts=translations or {})
        translation_due.fire(statement.pk)
    return statement


def add_statement(
    *,
    conversation: Conversation,
    participant: Participant,
    text: str,
    language: str,
    allow_duplicate: bool = False,
) -> Statement:
    if not conversation.is_open:
        raise Refused("closed", _("This conversation is closed."))
    # Everyone who votes reads it: personal data (an email, a phone number, a name the
    # author gave) is taken out before it is stored (docs/disclosure.md).
    cleaned = scrub(_checked_text(conversation, text))
    since = timezone.now() - FLOOD_WINDOW
    recent = Statement.objects.filter(author=participant, created_at__gte=since).count()
    if recent >= FLOOD_STATEMENTS:
        raise Refused("flood", _("You have added many statements just now; vote on some first."))
    key = statement_text.normalized(cleaned)
    vector = meaning.vectors([cleaned])[0] if meaning.wanted(conversation) else None
    if not allow_duplicate:
        existing = _said_already(conversation, key) or _meant_already(
            conversation, language, vector
        )
        if existing is not None:
            raise Duplicate(existing)
    held = conversation.moderation == Conversation.Moderation.PRE or held_for_moderator(
        cleaned, conversation.blocked_word_list
    )
    status = Statement.Status.PENDING if held else Statement.Status.ACCEPTED
    statement = Statement.objects.create(
        conversation=conversation,
        author=participant,
        text=cleaned,
        normalized=key,
        language=language,
        status=status,
        meaning=None if vector is None else meaning.stored(vector),
    )
    if status == Statement.Status.ACCEPTED:
        translation_due.fire(statement.pk)
    return statement


def _said_already(conversation: Conversation, key: str) -> Statement | None:
    """The same words (after normalising), or nearly the same (see hints.py)."""
    same = (
        Statement.objects.filter(conversation=conversation, normalized=key)
        .exclude(status=Statement.Status.REJECTED)
        .first()
    )
    if same is not None:
        return same
    close = duplicates.closest_statement(conversation, key, threshold=OFFER_DUPLICATE)
    return close[0] if close is not None else None


def _meant_already(
    conversation: Conversation, language: str, vector: NDArray[np.float32] | None
) -> Statement | None:
    """A statement in another language that means nearly the same (meaning.py)."""
    if vector is None:
        return None
    found = meaning.closest_in_other_languages(
        conversation, {0: (language, vector)}, threshold=meaning.OFFER
    )
    return found[0][0] if found else None


def _meaning(conversation: Conversation, text: str) -> bytes | None:
    return meaning.stored(meaning.vectors([text])[0]) if meaning.wanted(conversation) else None


def _checked_text(conversation: Conversation, text: str) -> str:
    cleaned = statement_text.clean(text)
    if not cleaned:
        raise Refused("empty", _("Write a statement first."))
    limit = conversation.statement_max_length
    if len(cleaned) > limit:
        message = _("Keep it to %(max)d characters; this has %(length)d.")
        raise Refused("too_long", message % {"max": limit, "length": len(cleaned)})
    return cleaned


def moderate_statement(
    *, statement: Statement, status: str, is_meta: bool | None = None
) -> Statement:
    before = statement.status
    statement.status = Statement.Status(status)
    fields = ["status"]
    if is_meta is not None:
        statement.is_meta = is_meta
        fields.append("is_meta")
    with transaction.atomic():
        statement.save(update_fields=fields)
        record(
            action="moderate_statement",
            obj=statement,
            consultation=statement.conversation.consultation,
            summary={"from": before, "to": statement.status, "meta": statement.is_meta},
        )
        if statement.status == Statement.Status.ACCEPTED and before != statement.status:
            translation_due.fire(statement.pk)
    conversation_id = statement.conversation_id
    map_due.fire(conversation_id)
    return statement


def cast_vote(*, participant: Participant, statement: Statement, value: int) -> Vote:
    """Record a vote; voting again on the same statement replaces the earlier vote."""
    conversation = participant.conversation
    if statement.conversation_id != conversation.pk:
        raise Refused("unknown_statement", _("There is no such statement here."))
    if statement.status != Statement.Status.ACCEPTED:
        raise Refused("not_votable", _("This statement is not open for votes."))
    if not isinstance(value, int) or isinstance(value, bool) or value not in (-1, 0, 1):
        raise Refused("invalid_vote", _("A vote is 1 (agree), 0 (pass) or -1 (disagree)."))
    if not conversation.is_open:
        raise Refused("closed", _("This conversation is closed."))
    for _attempt in range(2):  # a first vote racing the same first vote: the second updates
        try:
            with transaction.atomic():
                vote, _created = Vote.objects.update_or_create(
                    participant=participant,
                    statement=statement,
                    defaults={
                        "value": value,
                        "voted_at": timezone.now(),
                        "conversation": conversation,
                    },
                )
                map_due.fire(conversation.pk)
            VOTES.inc()
            return vote
        except IntegrityError:
            continue
    raise Refused("busy", _("Please try again."))


def cast_votes(
    *, conversation: Conversation, votes: Sequence[tuple[str, int, int]]
) -> set[tuple[str, int]]:
    """Many partners' votes in one transaction (the vote API's group commit): (xid,
    statement id, value) each; a repeated (xid, statement) keeps the last value. Votes on
    anything but an accepted statement of this conversation while it is open are left out,
    as may be a first vote racing another batch's for the same new participant (the vote
    endpoint explains or stores those one by one). Returns the (xid, statement) written."""
    if any(value not in (-1, 0, 1) for _xid, _statement, value in votes):
        raise ValueError("a vote is -1, 0 or 1")
    keys = {xid: participant_key(xid=xid) for xid, _statement, _value in votes}
    latest = {(keys[xid], statement): value for xid, statement, value in votes}
    with transaction.atomic():
        written = votestore.upsert_votes(
            conversation=conversation, latest=latest, now=timezone.now()
        )
        if written:
            map_due.fire(conversation.pk)
    VOTES.inc(len(written))
    xid_of = {key: xid for xid, key in keys.items()}
    return {(xid_of[key], statement) for key, statement in written}


# --- the opinion map ------------------------------------------------------------------------


@MAP_SECONDS.time()
def recompute_map(*, conversation: Conversation) -> ConversationMap:
    """Compute the map from the latest votes on accepted, non-meta statements and store it."""
    participants, statements, values = mapping.read_votes(conversation)
    previous = mapping.latest_groups(conversation)
    result = compute_map(
        participants,
        statements,
        values,
        previous=previous,
        state=mapping.latest_state(conversation),
        max_k=conversation.max_groups,
    )
    with transaction.atomic():
        stored = ConversationMap.objects.create(
            conversation=conversation,
            votes=result.votes,
            k=result.k,
            summary=mapping.summary(result),
            positions=mapping.pack_positions(result),
        )
        old = conversation.maps.order_by("-computed_at").values_list("pk", flat=True)[
            mapping.KEEP_MAPS :
        ]
        ConversationMap.objects.filter(pk__in=list(old)).delete()
        transaction.on_commit(lambda: publish_map(stored))
    return stored


# --- Pol.is import ---------------------------------------------------------------------------


def import_polis(
    *,
    export: polis.PolisExport,
    slug: str,
    consultation: Consultation,
    language: str,
    progress: polis.Progress = lambda n: None,
) -> Conversation:
    """A new conversation holding a Pol.is export's comments (as statements) and latest
    votes, in one transaction (a bad file stores nothing); rows are written in bulk."""
    if Conversation.objects.filter(slug=slug).exists():
        raise polis.PolisFormatError(
            f"A conversation {slug!r} exists already; import into a new one."
        )
    with transaction.atomic():
        conversation = create_conversation(
            consultation=consultation,
            slug=slug,
            topic={language: export.summary.get("topic") or slug},
            description={language: export.summary.get("conversation-description", "")},
            languages=[language],
            status=Conversation.Status.OPEN,
        )
        people = _import_participants(conversation, export)
        statements = _import_statements(conversation, export, people, language)
        _import_votes(conversation, export, people, statements, progress)
    return conversation


def _import_participants(conversation: Conversation, export: polis.PolisExport) -> dict[int, int]:
    """Pol.is participant id -> ours; each joined at their first vote or comment."""
    first: dict[int, int] = {}
    for voter, when in zip(export.voters.tolist(), export.times.tolist(), strict=True):
        first.setdefault(voter, when)
    for comment in export.comments:
        if comment.author is not None:
            when = int(comment.at.timestamp() * 1000)
            first[comment.author] = min(first.get(comment.author, when), when)
    keys = {pid: polis.polis_key(conversation.slug, pid) for pid in sorted(first)}
    joined = {keys[pid]: polis.millis_time(first[pid]) for pid in keys}
    ids = add_participants(conversation=conversation, joined=joined)
    return {pid: ids[key] for pid, key in keys.items()}


def _import_statements(
    conversation: Conversation, export: polis.PolisExport, people: dict[int, int], language: str
) -> dict[int, int]:
    unmoderated = (
        Statement.Status.PENDING
        if conversation.moderation == Conversation.Moderation.PRE
        else Statement.Status.ACCEPTED
    )
    status = {-1: Statement.Status.REJECTED, 0: unmoderated, 1: Statement.Status.ACCEPTED}
    comments = sorted(export.comments, key=lambda c: (c.at, c.id))
    created = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                author_id=people.get(c.author) if c.author is not None else None,
                text=c.text,
                normalized=statement_text.normalized(c.text),
                language=language,
                status=status[c.moderated],
                created_at=c.at,
            )
            for c in comments
        ],
        batch_size=polis.BATCH,
    )
    return {c.id: s.pk for c, s in zip(comments, created, strict=True)}


def _import_votes(
    conversation: Conversation,
    export: polis.PolisExport,
    people: dict[int, int],
    statements: dict[int, int],
    progress: polis.Progress,
) -> None:
    rows = zip(
        export.voters.tolist(),
        export.comment_ids.tolist(),
        export.values.tolist(),
        export.times.tolist(),
        strict=True,
    )
    votes = (
        (people[voter], statements[comment], value, polis.millis_time(when))
        for voter, comment, value, when in rows
    )
    add_votes(conversation=conversation, votes=votes, progress=progress)


# --- bulk writes: imports and the demo's crowd --------------------------------------------------


def add_participants(*, conversation: Conversation, joined: dict[str, datetime]) -> dict[str, int]:
    """New participants in bulk (keyed hash -> when they joined), in the caller's
    transaction. Returns keyed hash -> participant id."""
    keys = list(joined)
    created = Participant.objects.bulk_create(
        [Participant(conversation=conversation, key_hash=k, created_at=joined[k]) for k in keys],
        batch_size=polis.BATCH,
    )
    return {key: person.pk for key, person in zip(keys, created, strict=True)}


def add_votes(
    *,
    conversation: Conversation,
    votes: Iterable[tuple[int, int, int, datetime]],
    progress: polis.Progress = lambda n: None,
) -> None:
    """Votes in bulk (participant id, statement id, value, when), none cast before, in the
    caller's transaction; `progress` hears of each batch. No map is queued: the caller
    computes it (or not) when done."""
    batch: list[Vote] = []
    for participant, statement, value, when in votes:
        batch.append(
            Vote(
                conversation=conversation,
                participant_id=participant,
                statement_id=statement,
                value=value,
                voted_at=when,
            )
        )
        if len(batch) == polis.BATCH:
            Vote.objects.bulk_create(batch)
            progress(len(batch))
            batch = []
    Vote.objects.bulk_create(batch)
    progress(len(batch))
