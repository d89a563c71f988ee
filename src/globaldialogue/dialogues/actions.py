"""Every write to dialogue events: creating them, registering, forming groups."""

import hashlib
import hmac
import secrets
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from globaldialogue.accounts.models import ApiKey
from globaldialogue.consultations.models import Consultation
from globaldialogue.dialogues import facilitator, media, tasks
from globaldialogue.dialogues.models import (
    AgendaItem,
    DialogueGroup,
    Event,
    GroupReport,
    Registration,
    Room,
)
from globaldialogue.grouping import Group, Grouping, place_late
from globaldialogue.grouping import form_groups as form_balanced_groups
from globaldialogue.lib.countries import country_codes
from globaldialogue.lib.refused import Refused
from globaldialogue.lib.translated import normalize_language

GROUP_SIZE_RANGE = (4, 12)
MESH_TOO_SMALL = (
    f"Peer-to-peer rooms hold up to {media.MESH_LIMIT} people; larger groups need the "
    "LiveKit provider (GLOBALDIALOGUE_ROOM_MEDIA=livekit)."
)


def create_event(
    *,
    consultation: Consultation,
    slug: str,
    title: dict[str, str],
    languages: list[str],
    starts_at: datetime,
    time_zone: str,
    agenda: Sequence[dict[str, Any]],
    min_group_size: int = 4,
    max_group_size: int = 6,
    capacity: int = 200,
    registration: str = Event.Registration.OPEN,
    invitation_code: str = "",
    description: dict[str, str] | None = None,
    status: str = Event.Status.DRAFT,
    partner: ApiKey | None = None,
) -> Event:
    """`agenda`: items with `title` and `prompt` ({language: text}) and `minutes`."""
    low, high = GROUP_SIZE_RANGE
    if not low <= min_group_size <= max_group_size <= high:
        raise ValueError(f"group sizes must satisfy {low} <= min <= max <= {high}")
    if max_group_size > media.largest_group():
        raise ValueError(MESH_TOO_SMALL)
    if not languages or not title or not agenda:
        raise ValueError("an event needs languages, a title and an agenda")
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must carry its time zone")
    zoneinfo.ZoneInfo(time_zone)  # raises for an unknown zone
    if registration == Event.Registration.INVITATION and not invitation_code:
        raise ValueError("an invitation-only event needs an invitation code")
    with transaction.atomic():
        event = Event.objects.create(
            consultation=consultation,
            slug=slug,
            title=title,
            description=description or {},
            languages=languages,
            starts_at=starts_at,
            time_zone=time_zone,
            min_group_size=min_group_size,
            max_group_size=max_group_size,
            capacity=capacity,
            registration=Event.Registration(registration),
            invitation_code=invitation_code,
            status=Event.Status(status),
            partner=partner,
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    event=event,
                    position=position,
                    title=item["title"],
                    prompt=item.get("prompt", {}),
                    minutes=int(item["minutes"]),
                )
                for position, item in enumerate(agenda, start=1)
            ]
        )
    return event


def token_hash(token: str) -> str:
    """A keyed hash of a personal link's token: the token itself is never stored."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"registration:{token}".encode(), hashlib.sha256
    ).hexdigest()


def register(
    *,
    event: Event,
    display_name: str,
    languages: Sequence[str],
    country: str,
    age_group: str,
    accepted_rules: bool,
    email: str = "",
    invitation_code: str = "",
    language: str = "",
    is_synthetic: bool = False,
) -> tuple[Registration, str]:
    """A participant's registration and the token of their personal link. With an email
    address: a confirmation now and a reminder before the start (tasks.py), in `language`."""
    name = " ".join(display_name.split())[:60]
    spoken = list(dict.fromkeys(normalize_language(code) for code in languages if code))
    _check_open(event, invitation_code)
    _check_person(event, name, spoken, country, age_group, email, accepted_rules)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        # Lock the event row so two last registrations cannot both take the last place.
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.registrations.count() >= locked.capacity:
            raise Refused("full", _("This event is full."))
        registration = Registration.objects.create(
            event=locked,
            display_name=name,
            languages=spoken,
            country=country.upper(),
            age_group=age_group,
            email=email.strip(),
            language=normalize_language(language) if language in event.languages else "",
            token_hash=token_hash(token),
            accepted_rules_at=timezone.now(),
            is_synthetic=is_synthetic,
        )
        if registration.email:
            transaction.on_commit(lambda: _send_emails(registration))
    return registration, token


def _send_emails(registration: Registration) -> None:
    tasks.send_confirmation.enqueue(registration.pk)
    tasks.schedule_reminder(registration)


def _check_open(event: Event, invitation_code: str) -> None:
    if event.status != Event.Status.PUBLISHED:
        raise Refused("closed", _("Registration for this event is not open."))
    if event.starts_at <= timezone.now():
        raise Refused("started", _("This event has already started."))
    if event.registration == Event.Registration.INVITATION and not hmac.compare_digest(
        invitation_code.encode(), event.invitation_code.encode()
    ):
        raise Refused("invitation", _("This event is by invitation; use the link you were sent."))


def _check_person(
    event: Event,
    name: str,
    spoken: list[str],
    country: str,
    age_group: str,
    email: str,
    accepted_rules: bool,
) -> None:
    if not name:
        raise Refused("name", _("Tell us what to call you."))
    if not set(spoken) & set(event.languages):
        raise Refused("languages", _("Choose at least one of the languages this event is held in."))
    if country.upper() not in country_codes():
        raise Refused("country", _("Choose your country."))
    if age_group not in Registration.AgeGroup.values:
        raise Refused("age_group", _("Choose your age group."))
    if email:
        try:
            validate_email(email.strip())
        except ValidationError:
            raise Refused("email", _("Enter a valid email address, or leave it empty.")) from None
    if not accepted_rules:
        raise Refused("rules", _("Please accept the dialogue rules to take part."))


def form_groups(*, event: Event) -> Grouping:
    """(Re)form the event's groups from its registrations, in one transaction: groups share a
    language, sizes within the event's limits, countries and age groups mixed (grouping/)."""
    with transaction.atomic():
        return _regroup(event, list(event.registrations.all()), absent=[])


def _regroup(event: Event, placed: list[Registration], absent: list[Registration]) -> Grouping:
    """Replace the event's groups with balanced groups of `placed`; `absent` are left out
    (not in the lobby). Hosts the organizers chose stay hosts, one to a group."""
    hosts = set(event.groups.exclude(host=None).values_list("host_id", flat=True))
    low, high = group_sizes(event)
    result = form_balanced_groups(
        grouping_people(placed), min_size=low, max_size=high, seed=event.pk
    )
    event.groups.all().delete()
    groups = DialogueGroup.objects.bulk_create(
        [
            DialogueGroup(event=event, number=number, language=group.language)
            for number, group in enumerate(result.groups, start=1)
        ]
    )
    group_of = {m: g for g, group in zip(groups, result.groups, strict=True) for m in group.members}
    for registration in placed:
        registration.group = group_of.get(registration.pk)
        registration.unplaced_reason = result.unplaced.get(registration.pk, "")
    for registration in absent:
        registration.group, registration.unplaced_reason = None, NOT_ARRIVED
    Registration.objects.bulk_update(
        [*placed, *absent], ["group", "unplaced_reason"], batch_size=1000
    )
    for group, formed in zip(groups, result.groups, strict=True):
        group.host_id = next((m for m in formed.members if m in hosts), None)
    DialogueGroup.objects.bulk_update(groups, ["host"], batch_size=1000)
    _after_groups_change(event)
    return result


def _after_groups_change(event: Event) -> None:
    if media.provider() == "livekit":
        transaction.on_commit(lambda: tasks.create_media_rooms.enqueue(event.pk))


# --- the lobby and the start ---------------------------------------------------------------

LOBBY_OPENS = timedelta(minutes=30)  # before the start
LOBBY_PRESENT = timedelta(seconds=60)  # a lobby page checks in every 10 s
NOT_ARRIVED = "not in the lobby when the groups were formed"


def lobby_open(event: Event) -> bool:
    return timezone.now() >= event.starts_at - LOBBY_OPENS


def enter_lobby(*, registration: Registration) -> None:
    """The registrant's lobby page is open (called at each check-in)."""
    if not lobby_open(registration.event):
        raise Refused("lobby", _("The lobby opens 30 minutes before the start."))
    Registration.objects.filter(pk=registration.pk).update(lobby_seen_at=timezone.now())


def start_event(*, event: Event, early: bool = False) -> bool:
    """Settle the groups at the start, once: re-formed from those in the lobby if anyone
    came through it, else as formed before (or from every registrant if none were).
    Called by whichever lobby page checks in first after the start, or by an organizer
    (`early`). True if this call settled them."""
    now = timezone.now()
    if event.lobby_closed_at is not None or (now < event.starts_at and not early):
        return False
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.lobby_closed_at is not None:
            return False
        registrations = list(locked.registrations.all())
        here = {
            r.pk
            for r in registrations
            if r.lobby_seen_at and now - r.lobby_seen_at <= LOBBY_PRESENT
        }
        if here:
            placed = [r for r in registrations if r.pk in here]
            _regroup(locked, placed, absent=[r for r in registrations if r.pk not in here])
        elif not locked.groups.exists():
            _regroup(locked, registrations, absent=[])
        locked.lobby_closed_at = now
        locked.save(update_fields=["lobby_closed_at"])
    event.lobby_closed_at = now
    return True


def join_late(*, registration: Registration) -> DialogueGroup:
    """After the start, someone without a group joins the smallest group with room in one of
    their languages, or opens a new one that the next late arrivals fill (grouping/)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        member = Registration.objects.select_related("group").get(pk=registration.pk)
        if member.group is not None:
            return member.group
        groups = {g.pk: g for g in event.groups.all()}
        members: dict[int, list[int]] = {pk: [] for pk in groups}
        for group_id, pk in Registration.objects.filter(group__event=event).values_list(
            "group_id", "pk"
        ):
            members[group_id].append(pk)
        grouping = Grouping([Group(members[pk], groups[pk].language) for pk in groups])
        person = grouping_people([member])[0]
        chosen = place_late(grouping, person, max_size=group_sizes(event)[1])
        if chosen is None:
            group = _new_group(event, member)
        else:
            pairs = zip(groups.values(), grouping.groups, strict=True)
            group = next(g for g, formed in pairs if formed is chosen)
        member.group, member.unplaced_reason = group, ""
        member.save(update_fields=["group", "unplaced_reason"])
    return group


def _new_group(event: Event, member: Registration) -> DialogueGroup:
    language = next(code for code in member.languages if code in event.languages)
    last = event.groups.order_by("-number").values_list("number", flat=True).first() or 0
    group = DialogueGroup.objects.create(event=event, number=last + 1, language=language)
    _after_groups_change(event)
    return group


def group_sizes(event: Event) -> tuple[int, int]:
    """The event's group sizes, within what the configured media can hold (an event made
    for LiveKit still gets usable groups if the server later runs on the mesh)."""
    high = min(event.max_group_size, media.largest_group())
    return min(event.min_group_size, high), high


def set_host(*, group: DialogueGroup, registration: Registration) -> DialogueGroup:
    """Trust a member of the group with the host's controls."""
    if registration.group_id != group.pk:
        raise ValueError("the host must be a member of the group")
    group.host = registration
    group.save(update_fields=["host"])
    return group


def reschedule_event(*, event: Event, starts_at: datetime) -> Event:
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must carry its time zone")
    event.starts_at = starts_at
    event.save(update_fields=["starts_at"])
    return event


def grouping_people(registrations: Iterable[Registration]) -> list[dict[str, Any]]:
    """Registrations as grouping/ takes people."""
    return [
        {"id": r.pk, "languages": r.languages, "country": r.country, "age_group": r.age_group}
        for r in registrations
    ]


def publish_reports(*, event: Event, public: bool = True) -> Event:
    """Show (or hide again) the groups' reports at /d/{slug}/results and in the API."""
    event.reports_public = public
    event.save(update_fields=["reports_public"])
    return event


def forget_email(*, registration: Registration) -> Registration:
    """On request: the address is deleted; the registration stays."""
    registration.email = ""
    registration.save(update_fields=["email"])
    return registration


# --- rooms ---------------------------------------------------------------------------------

ROOM_SALT = "globaldialogue.dialogues.room"
REPORT_AGREEMENT = ("most", "some", "few")


def room_token(*, registration: Registration) -> str:
    """A signed token to join the room of the registration's group; access.room_member
    accepts it for ROOM_TOKEN_HOURS."""
    if registration.group_id is None:
        raise ValueError("only a registrant placed in a group has a room")
    return signing.dumps({"r": registration.pk, "g": registration.group_id}, salt=ROOM_SALT)


def change_room(
    *,
    group: DialogueGroup,
    change: Callable[[facilitator.RoomState, datetime], facilitator.RoomState],
) -> Room:
    """Apply one facilitator rule to the room, under a row lock (two people acting at once
    are applied one after the other), and end a turn whose time is up."""
    now = timezone.now()
    items = group.event.agenda.count()
    with transaction.atomic():
        room = _locked_room(group)
        state = room_state(room, items)
        changed = facilitator.tick(change(state, now), now)
        if changed != state:
            _store_state(room, changed, now)
    return room


def remove_from_room(*, group: DialogueGroup, member: int) -> Room:
    """The host removes someone: out of the queue, and their token no longer opens the room."""
    now = timezone.now()
    with transaction.atomic():
        room = _locked_room(group)
        state = facilitator.leave(room_state(room, group.event.agenda.count()), member, now)
        room.removed = sorted({*room.removed, member})
        _store_state(room, state, now, extra=["removed"])
        if media.provider() == "livekit":  # our socket is closed; LiveKit's must be too
            transaction.on_commit(lambda: tasks.remove_media_participant.enqueue(group.pk, member))
    return room


def _locked_room(group: DialogueGroup) -> Room:
    try:
        with transaction.atomic():
            Room.objects.get_or_create(group=group)
    except IntegrityError:  # created at the same moment by someone else
        pass
    return Room.objects.select_for_update().get(group=group)


def room_state(room: Room, items: int) -> facilitator.RoomState:
    return facilitator.RoomState(
        items=items,
        position=room.position,
        item_started_at=room.item_started_at,
        queue=tuple(room.queue),
        turn_started_at=room.turn_started_at,
        advance_votes=frozenset(room.advance_votes),
        talk={int(member): seconds for member, seconds in room.talk.items()},
    )


def _store_state(
    room: Room, state: facilitator.RoomState, now: datetime, extra: Sequence[str] = ()
) -> None:
    room.position, room.item_started_at = state.position, state.item_started_at
    room.queue, room.turn_started_at = list(state.queue), state.turn_started_at
    room.advance_votes = sorted(state.advance_votes)
    room.talk = {str(member): seconds for member, seconds in state.talk.items()}
    room.version += 1
    room.updated_at = now
    fields = ["position", "item_started_at", "queue", "turn_started_at", "advance_votes"]
    room.save(update_fields=[*fields, "talk", "version", "updated_at", *extra])


def file_report(
    *,
    group: DialogueGroup,
    registration: Registration,
    summaries: dict[str, str],
    ideas: Sequence[dict[str, str]],
    message: str,
) -> GroupReport:
    """The group's report (filing again replaces it). Summaries by agenda position."""
    positions = {str(p) for p in group.event.agenda.values_list("position", flat=True)}
    cleaned = {k: " ".join(str(v).split())[:1000] for k, v in summaries.items() if str(v).strip()}
    if set(cleaned) - positions:
        raise Refused("summaries", _("A summary belongs to an agenda item of this dialogue."))
    kept = [
        {
            "text": " ".join(str(idea.get("text", "")).split())[:300],
            "agreement": idea.get("agreement"),
        }
        for idea in ideas
        if str(idea.get("text", "")).strip()
    ]
    if len(kept) > 20 or any(idea["agreement"] not in REPORT_AGREEMENT for idea in kept):
        raise Refused("ideas", _("List up to 20 ideas, each with how much the group agreed."))
    text = message.strip()
    if not text or len(text) > 2000:
        raise Refused("message", _("Write the group's message (up to 2,000 characters)."))
    report, _created = GroupReport.objects.update_or_create(
        group=group,
        defaults={
            "summaries": cleaned,
            "ideas": kept,
            "message": text,
            "filed_by": registration,
            "filed_at": timezone.now(),
        },
    )
    return report


def note_reminded(*, registration: Registration) -> None:
    """The reminder went out: it is not sent again."""
    Registration.objects.filter(pk=registration.pk).update(reminded_at=timezone.now())


def note_joined(*, registration: Registration) -> None:
    """The registrant is in their room (first time only): attendance for the organizers."""
    Registration.objects.filter(pk=registration.pk, joined_at__isnull=True).update(
        joined_at=timezone.now()
    )


def take_media_event(*, kind: str, room: str, identity: str) -> str:
    """A LiveKit webhook, already verified: attendance on joining, and a member the host
    removed is sent out again if they come back with an old token. Returns what was done."""
    group = media.group_id(room)
    if kind != "participant_joined" or group is None or not identity.isdigit():
        return "ignored"
    member = Registration.objects.filter(pk=int(identity), group_id=group).first()
    if member is None:
        return "unknown"
    note_joined(registration=member)
    removed = Room.objects.filter(group_id=group).values_list("removed", flat=True).first()
    if member.pk in (removed or []):
        transaction.on_commit(lambda: tasks.remove_media_participant.enqueue(group, member.pk))
        return "removed"
    return "joined"
