"""Every write to dialogue events: creating and changing them, registering, forming groups,
the lobby and the start. Rooms' writes are in room_actions.py."""

import hmac
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from globaldialogue.accounts.models import ApiKey
from globaldialogue.audit.actions import record
from globaldialogue.consultations.models import Consultation, TranslatableText
from globaldialogue.consultations.translation_actions import offer_texts
from globaldialogue.dialogues import media
from globaldialogue.dialogues.models import (
    AgendaItem,
    DialogueGroup,
    Event,
    GroupReport,
    Registration,
)
from globaldialogue.dialogues.rules import (
    LOBBY_OPENS,
    LOBBY_PRESENT,
    RULE_FIELDS,
    EventInvalid,
    check_event,
)
from globaldialogue.dialogues.tokens import new_token, token_hash
from globaldialogue.grouping import Group, Grouping, place_late
from globaldialogue.grouping import form_groups as form_balanced_groups
from globaldialogue.lib.changes import assign
from globaldialogue.lib.countries import country_codes
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.hooks import Hook
from globaldialogue.lib.ratelimit import retry_after
from globaldialogue.lib.scrub import scrub
from globaldialogue.lib.translated import normalize_language

# Subscribed to by tasks.py (see apps.py); fired after commit.
# A web address, a domain or an email address, as mail programs would turn them into links.
LINK_LIKE = re.compile(r"https?:|www\.|@|[\w-]\.[A-Za-z]{2,}\b")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # nothing a name needs, and PostgreSQL refuses NUL
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
email_confirmed = Hook("dialogues: a registrant confirmed their address (registration)")
registered = Hook("dialogues: someone registered with an email address (registration)")
groups_changed = Hook("dialogues: an event's groups changed on a media server (event id)")

NOT_ARRIVED = "not in the lobby when the groups were formed"

# The fields of an event that its organizers set (the agenda apart).
EVENT_FIELDS = (
    "consultation",
    "slug",
    "title",
    "description",
    "languages",
    "starts_at",
    "time_zone",
    "min_group_size",
    "max_group_size",
    "media",
    "capacity",
    "registration",
    "invitation_code",
    "status",
    "reports_public",
    "report_hours",
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
    media: str = "",
    capacity: int = 200,
    registration: str = Event.Registration.OPEN,
    invitation_code: str = "",
    description: dict[str, str] | None = None,
    status: str = Event.Status.DRAFT,
    reports_public: bool = False,
    report_hours: int = 48,
    partner: ApiKey | None = None,
) -> Event:
    """`agenda`: items with `title` and `prompt` ({language: text}) and `minutes`. Raises
    rules.EventInvalid if the event breaks a rule."""
    return update_event(
        event=Event(partner=partner),
        agenda=agenda,
        consultation=consultation,
        slug=slug,
        title=title,
        description=description or {},
        languages=languages,
        starts_at=starts_at,
        time_zone=time_zone,
        min_group_size=min_group_size,
        max_group_size=max_group_size,
        media=Event.Media(media),
        capacity=capacity,
        registration=Event.Registration(registration),
        invitation_code=invitation_code,
        status=Event.Status(status),
        reports_public=reports_public,
        report_hours=report_hours,
    )


def update_event(
    *, event: Event, agenda: Sequence[dict[str, Any]] | None = None, **changes: Any
) -> Event:
    """Change an event's fields (EVENT_FIELDS) and, if given, replace its agenda, in one
    transaction (a new event is saved the same way: the back office's form holds one before
    it is saved). Raises rules.EventInvalid if it would break a rule."""
    started = event.pk is not None and event.lobby_closed_at is not None
    changed = assign(event, changes, EVENT_FIELDS)
    if started and "media" in changed:  # the groups' rooms are open on the old one
        raise EventInvalid({"media": "The event has started: its video can no longer change."})
    present = list(agenda) if agenda is not None else _stored_agenda(event)
    check_event(**{name: getattr(event, name) for name in RULE_FIELDS}, agenda=present)
    with transaction.atomic():
        action = "create_event" if event.pk is None else "update_event"
        event.save()
        if agenda is not None:
            _replace_agenda(event, list(agenda))
        summary = {"changed": changed, "agenda": agenda is not None}
        record(action=action, obj=event, consultation=event.consultation, summary=summary)
        if "media" in changed and event.groups.exists():  # groups formed early: rooms now
            _after_groups_change(event)
    return event


def _stored_agenda(event: Event) -> list[AgendaItem]:
    return list(event.agenda.all()) if event.pk else []


def delete_event(*, event: Event) -> None:
    """Remove it with its agenda, registrations, groups, rooms and reports."""
    with transaction.atomic():
        record(action="delete_event", obj=event, consultation=event.consultation)
        event.delete()


def _replace_agenda(event: Event, agenda: Sequence[dict[str, Any]]) -> None:
    event.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            event=event,
            position=position,
            title=item["title"],
            prompt=item.get("prompt") or {},
            minutes=int(item["minutes"]),
        )
        for position, item in enumerate(agenda, start=1)
    )


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
    name = " ".join(CONTROL.sub("", display_name).split())[:60]
    codes = (normalize_language(code) for code in languages if code)
    spoken = list(dict.fromkeys(code for code in codes if LANGUAGE_CODE.fullmatch(code)))
    _check_open(event, invitation_code)
    _check_person(event, name, spoken, country, age_group, email, accepted_rules)
    address = email.strip().lower()
    if address and retry_after("register-email", address, settings.RATE_REGISTER_PER_EMAIL):
        raise Refused("too_many", _("This address was signed up too often just now; try later."))
    token = new_token()
    with transaction.atomic():
        # Lock the event row so two last registrations cannot both take the last place.
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.seated().count() >= locked.capacity:
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
            registered.fire(registration)
    return registration, token


def confirm_email(*, registration: Registration) -> Registration:
    """The registrant confirmed their address from our email: their place now counts, if
    one is left (Refused "full" otherwise). Their reminder is planned (hook)."""
    if registration.email_confirmed_at is not None:
        return registration
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        if locked.seated().count() >= locked.capacity:
            raise Refused("full", _("This event filled up before you confirmed; it is full."))
        registration.email_confirmed_at = timezone.now()
        registration.save(update_fields=["email_confirmed_at"])
        email_confirmed.fire(registration)
    return registration


def lapse_registration(*, registration: Registration) -> bool:
    """An unconfirmed sign-up is dropped when its time is up; True if it was."""
    if not registration.email or registration.email_confirmed_at is not None:
        return False
    registration.delete()
    return True


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
    if LINK_LIKE.search(name):  # it would reach other members, and our emails' readers
        raise Refused("name", _("A name cannot hold a web or email address."))
    if not set(spoken) & set(event.languages):
        raise Refused("languages", _("Choose at least one of the languages this event is held in."))
    if country.upper() not in country_codes():
        raise Refused("country", _("Choose your country."))
    if age_group not in event.consultation.age_keys():
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
        result = _regroup(event, list(event.seated()), absent=[])
        summary = {"groups": len(result.groups), "unplaced": len(result.unplaced)}
        record(action="form_groups", obj=event, consultation=event.consultation, summary=summary)
        return result


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
    if media.has_media_server(event):
        groups_changed.fire(event.pk)


ROOMS_REFRESHED_EVERY = 60  # seconds


def refresh_media_rooms(*, event: Event) -> bool:
    """A room page of the event was opened: make sure its rooms are on the media server
    (Janus forgets them when it restarts), at most once a minute. Creating is harmless
    when they are there. Returns whether a refresh was asked for."""
    if not media.has_media_server(event):
        return False
    if not cache.add(f"media-rooms-refreshed:{event.pk}", True, ROOMS_REFRESHED_EVERY):
        return False
    groups_changed.fire(event.pk)
    return True


# --- the lobby and the start ---------------------------------------------------------------


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
        registrations = list(locked.seated())
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
        summary = {"early": early, "in_lobby": len(here)}
        record(action="start_event", obj=locked, consultation=locked.consultation, summary=summary)
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
    high = min(event.max_group_size, media.largest_group(media.provider(event)))
    return min(event.min_group_size, high), high


def set_host(*, group: DialogueGroup, registration: Registration | None) -> DialogueGroup:
    """Trust a member of the group with the host's controls (None: no host)."""
    if registration is not None and registration.group_id != group.pk:
        raise ValueError("the host must be a member of the group")
    with transaction.atomic():
        group.host = registration
        group.save(update_fields=["host"])
        summary = {"host": registration.pk if registration else None}
        event = group.event
        record(action="set_host", obj=group, consultation=event.consultation, summary=summary)
    return group


def reschedule_event(*, event: Event, starts_at: datetime) -> Event:
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must carry its time zone")
    with transaction.atomic():
        event.starts_at = starts_at
        event.save(update_fields=["starts_at"])
        summary = {"starts_at": starts_at.isoformat()}
        record(
            action="reschedule_event", obj=event, consultation=event.consultation, summary=summary
        )
    return event


def grouping_people(registrations: Iterable[Registration]) -> list[dict[str, Any]]:
    """Registrations as grouping/ takes people."""
    return [
        {"id": r.pk, "languages": r.languages, "country": r.country, "age_group": r.age_group}
        for r in registrations
    ]


def publish_reports(*, event: Event, public: bool = True) -> Event:
    """Show (or hide again) the groups' reports at /d/{slug}/results and in the API; once
    shown, their words are offered for translation."""
    with transaction.atomic():
        event.reports_public = public
        event.save(update_fields=["reports_public"])
        if public:
            for report in GroupReport.objects.filter(group__event=event).select_related("group"):
                offer_report_texts(report)
        summary = {"public": public}
        record(
            action="publish_reports", obj=event, consultation=event.consultation, summary=summary
        )
    return event


def offer_report_texts(report: GroupReport) -> None:
    """The report's words as they are published (scrubbed), offered to translators and the
    machine (when the reports are published, and when an organizer edits one after)."""
    group = report.group
    said = {
        TranslatableText.Kind.SUMMARY: list(report.summaries.values()),
        TranslatableText.Kind.IDEA: [idea["text"] for idea in report.ideas],
        TranslatableText.Kind.MESSAGE: [report.message],
    }
    for kind, texts in said.items():
        offer_texts(
            consultation=group.event.consultation,
            kind=kind,
            texts=[(group.language, scrub(text)) for text in texts],
            languages=group.event.languages,
        )


def delete_registration(*, registration: Registration) -> None:
    """On request: the registration goes, and with it the person's place in a group."""
    with transaction.atomic():
        record(
            action="delete_registration",
            obj=registration,
            consultation=registration.event.consultation,
        )
        registration.delete()


def forget_email(*, registration: Registration) -> Registration:
    """On request: the address is deleted; the registration stays."""
    with transaction.atomic():
        registration.email = ""
        registration.save(update_fields=["email"])
        record(
            action="forget_email", obj=registration, consultation=registration.event.consultation
        )
    return registration


def note_reminded(*, registration: Registration) -> None:
    """The reminder went out: it is not sent again."""
    Registration.objects.filter(pk=registration.pk).update(reminded_at=timezone.now())
