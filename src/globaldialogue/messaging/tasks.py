"""Background work for text messages: sending (with retries), and following up chats gone
silent (one reminder, then the end), which plans itself again while chats are open."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from globaldialogue.audit.context import TASK, acting_as
from globaldialogue.lib.debounce import enqueue_debounced
from globaldialogue.messaging import actions, rapidpro_actions
from globaldialogue.messaging.models import Chat, Message, RapidProFlow

FOLLOW_UP_EVERY = 60  # seconds between two looks at silent chats, while any is open
POLL_EVERY = 300  # seconds between two polls of RapidPro's runs, while any flow is connected


@task()
def send_text(message_id: int, sealed_address: str) -> str:
    """Send a queued message; a passing refusal is tried again later (30 s, 1, 2, 4 min)."""
    message = Message.objects.select_related("channel", "chat").filter(pk=message_id).first()
    if message is None or message.status != Message.Status.QUEUED:
        return "gone"
    if actions.send_message(message=message, sealed_address=sealed_address):
        return message.status
    if send_text.get_backend().supports_defer:
        later = timezone.now() + timedelta(seconds=30 * 2 ** (message.attempts - 1))
        send_text.using(run_after=later).enqueue(message_id, sealed_address)
    else:  # the immediate backend of tests: try again now
        return str(send_text.call(message_id, sealed_address))
    return "retrying"


@task()
def follow_up_chats() -> str:
    with acting_as(TASK):
        reminded, ended = actions.follow_up_chats()
    if Chat.objects.filter(ended_at=None).exists():
        plan_follow_up()
    return f"{reminded} reminded, {ended} ended"


def send_queued(message_ids: list[int], sealed_address: str) -> None:
    for message_id in message_ids:
        send_text.enqueue(message_id, sealed_address)


def plan_follow_up() -> None:
    """Look at silent chats within a minute (once, however many messages ask for it)."""
    enqueue_debounced(follow_up_chats, "messaging:follow-up", FOLLOW_UP_EVERY)


@task()
def poll_rapidpro_flows() -> str:
    """Poll each connected flow's runs (what its webhook missed); planned again after."""
    flows = RapidProFlow.objects.filter(is_active=True).exclude(api_url="").select_related("survey")
    done = {}
    with acting_as(TASK):
        for flow in flows:
            done[str(flow.flow_uuid)] = rapidpro_actions.poll_flow(flow=flow)
    if flows.exists():
        plan_polls()
    return str(done)


def plan_polls(*_args: object) -> None:
    enqueue_debounced(poll_rapidpro_flows, "messaging:poll-rapidpro", POLL_EVERY)


def plan_background() -> None:
    """At a worker's start: what was planned before it stopped (chats still open, flows)."""
    plan_follow_up()
    plan_polls()
