"""Background work for dialogues: the LiveKit provider's server calls (media.py), which may
be slow or fail and are retried by running again; both are harmless to repeat."""

from django_tasks import task

from globaldialogue.dialogues import media
from globaldialogue.dialogues.models import DialogueGroup


@task()
def create_media_rooms(event_id: int) -> int:
    """Create a LiveKit room for each of the event's groups, sized for the group."""
    groups = DialogueGroup.objects.filter(event_id=event_id).select_related("event")
    return media.create_rooms(media.room_specs(groups))


@task()
def remove_media_participant(group_id: int, member: int) -> bool:
    return media.remove_participant(group_id, member)
