"""Background work for conversations: keep each opinion map current while votes arrive."""

from django_tasks import task

from globaldialogue.deliberation.actions import recompute_map
from globaldialogue.deliberation.models import Conversation
from globaldialogue.lib.debounce import enqueue_debounced

# At most one map computation per conversation per this many seconds.
DEBOUNCE_SECONDS = 3


@task()
def map_task(conversation_id: int) -> int:
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return 0
    return recompute_map(conversation=conversation).votes


def request_map(conversation_id: int) -> None:
    """Called after votes or moderation commit: queue a recomputation unless one is due."""
    key = f"deliberation:map-requested:{conversation_id}"
    enqueue_debounced(map_task, key, DEBOUNCE_SECONDS, conversation_id)
