"""Background work for conversations: keep each opinion map current while votes arrive,
and translate accepted statements by machine where a provider is set."""

import logging

from django_tasks import task

from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.meaning import embed_missing
from globaldialogue.deliberation.models import Conversation, Statement
from globaldialogue.deliberation.translation_actions import machine_translate_statements
from globaldialogue.lib import machine_translation
from globaldialogue.lib.debounce import enqueue_debounced

# At most one map computation per conversation per this many seconds.
DEBOUNCE_SECONDS = 3
log = logging.getLogger(__name__)


@task()
def map_task(conversation_id: int) -> int:
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return 0
    # Statements older than meaning.py (or imported) get their vectors here, a batch a run.
    embed_missing(conversation)
    return recompute_map(conversation=conversation).votes


def request_map(conversation_id: int) -> None:
    """Called after votes or moderation commit: queue a recomputation unless one is due."""
    key = f"deliberation:map-requested:{conversation_id}"
    enqueue_debounced(map_task, key, DEBOUNCE_SECONDS, conversation_id)


@task()
def translate_task(statement_id: int) -> int:
    """Machine translations of a newly accepted statement into its conversation's other
    languages. A provider that fails leaves them to the translators' queue (logged)."""
    provider = machine_translation.configured()
    statement = Statement.objects.filter(pk=statement_id).select_related("conversation").first()
    if provider is None or statement is None:
        return 0
    try:
        return machine_translate_statements(statements=[statement], provider=provider)
    except machine_translation.TranslationFailed as failure:
        log.warning("machine translation of statement %s failed: %s", statement_id, failure)
        return 0


def request_translation(statement_id: int) -> None:
    """Called after a statement is accepted: machine translations, when a provider is set."""
    if machine_translation.configured() is not None:
        translate_task.enqueue(statement_id)
