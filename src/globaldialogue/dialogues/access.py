"""The only way to fetch events and registrations for a visitor. Missing or hidden: 404."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from globaldialogue.accounts.access import require_scope
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.consultations.models import Consultation
from globaldialogue.dialogues.mail import email_link_registration
from globaldialogue.dialogues.models import Event, Registration, Room
from globaldialogue.dialogues.rules import LOBBY_PRESENT
from globaldialogue.dialogues.tokens import room_token_data, token_hash

LISTED_AFTER_START = timedelta(hours=12)  # a running event stays in the list for its lobby


def public_event(slug: str) -> Event:
    """A published or cancelled event (cancelled ones say so); drafts are not public."""
    event = Event.objects.filter(slug=slug).exclude(status=Event.Status.DRAFT).first()
    if event is None:
        raise Http404("No such event")
    return event


def reported_event(slug: str, key: ApiKey | None = None) -> Event:
    """An event whose groups' reports the organizers made public, or (for a partner key
    with the `reports` scope in its consultation) whose groups have reported so far."""
    event = public_event(slug)
    early = key is not None and key.allows(Scope.REPORTS, event.consultation_id)
    if not (event.reports_public or early):
        raise Http404("The reports of this event are not public")
    return event


def reported_events(consultation: Consultation | None = None) -> list[Event]:
    """Events with public reports (of one consultation, if given), latest first."""
    published = Event.objects.filter(status=Event.Status.PUBLISHED, reports_public=True)
    if consultation is not None:
        published = published.filter(consultation=consultation)
    return list(published.prefetch_related("agenda").order_by("-starts_at", "slug")[:100])


def listed_events() -> list[Event]:
    """Published events that have not long started, soonest first."""
    since = timezone.now() - LISTED_AFTER_START
    return list(
        Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gte=since)
        .prefetch_related("agenda")
        .order_by("starts_at", "slug")[:100]
    )


def from_email(event: Event, token: str) -> bool:
    """Whether a personal link is the one our email carried (mail.email_link), which only the
    address's owner can have, rather than the one shown at sign-up."""
    return email_link_registration(event, token) is not None


def personal_registration(event: Event, token: str) -> Registration:
    """The registration a personal link names (the link is the only key to it): the token
    shown at sign-up, or the signed one in emails (mail.email_link)."""
    found = Registration.objects.filter(event=event).select_related("group")
    registration = found.filter(token_hash=token_hash(token)).first()
    if registration is None and (pk := email_link_registration(event, token)) is not None:
        registration = found.filter(pk=pk).first()
    if registration is None:
        raise Http404("No such registration")
    return registration


def room_member(token: str) -> Registration | None:
    """Whom a room token admits: a registrant of that group, not removed by its host, with a
    token signed by us in the last tokens.ROOM_TOKEN_HOURS. None otherwise."""
    ids = room_token_data(token)
    if ids is None:
        return None
    member = (
        Registration.objects.filter(pk=ids[0], group_id=ids[1])
        .select_related("group__event", "group__room")
        .first()
    )
    if member is None or member.group is None:
        return None
    room = getattr(member.group, "room", None)
    return None if room is not None and member.pk in room.removed else member


def removed_from_room(registration: Registration) -> bool:
    removed = Room.objects.filter(group_id=registration.group_id).values_list("removed", flat=True)
    return registration.pk in (removed.first() or [])


def in_lobby(event: Event) -> int:
    """How many registrants' lobby pages checked in lately."""
    since = timezone.now() - LOBBY_PRESENT
    return event.registrations.filter(lobby_seen_at__gte=since).count()


def partner_consultation(key: ApiKey, slug: str) -> Consultation:
    """A consultation a partner's key may add events to (the key's own, or any if unbound)."""
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None or key.consultation_id not in (None, consultation.pk):
        raise Http404("No such consultation for this key")
    require_scope(key, Scope.EVENTS, consultation.pk)
    return consultation


def partner_event(key: ApiKey, slug: str) -> Event:
    """An event the partner registered."""
    event = Event.objects.filter(slug=slug, partner=key).first()
    if event is None:
        raise Http404("No such event of this partner")
    return event
