"""Background work for conversations: keep each opinion map current while votes arrive."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from globaldialogue.deliberation.mapping import recompute_map
from globaldialogue.deliberation.models import Conversation

# At most one map computation per conversation per this many seconds.
DEBOUNCE_SECONDS = 3


@task()
def map_task(conversation_id: int) -> int:
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return 0
    return recompute_map(conversation=conversation).votes


def request_map(conversation_id: int) -> None:
    """Called after votes or moderation commit: queue a recomputation unless one is due.

    As for tallies, the job runs after the debounce window closes, so everything committed
    inside the window is in the map it computes.
    """
    if not cache.add(f"deliberation:map-requested:{conversation_id}", 1, DEBOUNCE_SECONDS):
        return
    if map_task.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=DEBOUNCE_SECONDS + 0.5)
        map_task.using(run_after=run_after).enqueue(conversation_id)
    else:
        map_task.enqueue(conversation_id)
