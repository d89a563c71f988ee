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
