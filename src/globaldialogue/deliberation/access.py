"""The only way to fetch conversations and statements for someone. Missing or hidden: 404."""

from django.db.models import Case, QuerySet, When
from django.http import Http404

from globaldialogue.consultations.models import Consultation
from globaldialogue.deliberation.identity import participant_key
from globaldialogue.deliberation.models import (
    Conversation,
    ConversationMap,
    Participant,
    Statement,
    StatementTranslation,
)


def _public() -> QuerySet[Conversation]:
    """Open and closed conversations: a draft is the organizers' until they open it."""
    return Conversation.objects.exclude(status=Conversation.Status.DRAFT)


def public_conversation(slug: str) -> Conversation:
    conversation = _public().filter(slug=slug).first()
    if conversation is None:
        raise Http404("No such conversation")
    return conversation


def listed_conversations() -> list[Conversation]:
    """Conversations for the home page: open ones first, then closed ones (their reports)."""
    open_first = Case(When(status=Conversation.Status.OPEN, then=0), default=1)
    return list(_public().order_by(open_first, "-created_at")[:50])


def consultation_conversations(consultation: Consultation) -> list[Conversation]:
    """A consultation's public conversations, oldest first (its dashboard and report)."""
    return list(_public().filter(consultation=consultation).order_by("pk"))


def conversation_statement(conversation: Conversation, statement_id: int) -> Statement:
    """A statement of this conversation that the public may see (not rejected or pending)."""
    statement = Statement.objects.filter(
        conversation=conversation, pk=statement_id, status=Statement.Status.ACCEPTED
    ).first()
    if statement is None:
        raise Http404("No such statement")
    return statement


def accepted_statement_ids(conversation: Conversation, *, after: int, limit: int) -> list[int]:
    """A page of the conversation's accepted statements, by id (the public statement list)."""
    rows = Statement.objects.filter(
        conversation=conversation, status=Statement.Status.ACCEPTED, pk__gt=after
    )
    return list(rows.order_by("pk").values_list("pk", flat=True)[:limit])


def seed_ids(conversation: Conversation, ids: list[int]) -> set[int]:
    seeds = Statement.objects.filter(conversation=conversation, pk__in=ids, is_seed=True)
    return set(seeds.values_list("pk", flat=True))


def unvoted_count(conversation: Conversation, participant: Participant | None) -> int:
    """How many accepted statements the participant has not voted on yet."""
    unvoted = Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)
    if participant is not None:
        unvoted = unvoted.exclude(votes__participant=participant)
    return unvoted.count()


def translation_queue(conversation: Conversation, language: str, *, limit: int) -> list[Statement]:
    """Accepted statements still waiting for a person's translation into `language`
    (none yet, or only a machine's), oldest first; each with `machine_text` ("" or the
    machine's unreviewed translation)."""
    waiting = _untranslated(conversation, language).order_by("created_at", "pk")
    found = list(waiting[:limit])
    machine = StatementTranslation.objects.filter(
        statement__in=found, language=language, reviewed=False
    )
    texts = dict(machine.values_list("statement_id", "text"))
    for statement in found:
        statement.machine_text = texts.get(statement.pk, "")  # type: ignore[attr-defined]
    return found


def waiting_for_translation(conversation: Conversation) -> dict[str, int]:
    """Per language of the conversation: how many accepted statements wait for a person."""
    return {code: _untranslated(conversation, code).count() for code in conversation.languages}


def _untranslated(conversation: Conversation, language: str) -> QuerySet[Statement]:
    done = StatementTranslation.objects.filter(
        statement__conversation=conversation, language=language, reviewed=True
    )
    accepted = Statement.objects.filter(conversation=conversation, status=Statement.Status.ACCEPTED)
    return accepted.exclude(language=language).exclude(pk__in=done.values("statement_id"))


def latest_map(conversation: Conversation) -> ConversationMap | None:
    return conversation.maps.order_by("-computed_at").first()


def known_participant(
    conversation: Conversation, xid: str = "", *, token: str = ""
) -> Participant | None:
    """The participant a client's id (or page cookie token) names, if they have taken part.
    Reads never create one."""
    if not xid and not token:
        return None
    key = participant_key(xid=xid) if xid else participant_key(token=token)
    return Participant.objects.filter(conversation=conversation, key_hash=key).first()
