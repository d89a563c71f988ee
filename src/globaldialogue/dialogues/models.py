"""Video dialogue events: an agenda, registrations, and the small groups people meet in."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from globaldialogue.lib.translated import pick

GROUP_SIZE_RANGE = (4, 12)  # people in a dialogue group, whatever the media
GROUP_SIZES = [MinValueValidator(GROUP_SIZE_RANGE[0]), MaxValueValidator(GROUP_SIZE_RANGE[1])]


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not listed)"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    class Registration(models.TextChoices):
        OPEN = "open", "Open to anyone"
        INVITATION = "invitation", "By invitation (link with a code)"

    class Media(models.TextChoices):
        DEFAULT = "", "This server's default (GLOBALDIALOGUE_ROOM_MEDIA)"
        MESH = "mesh", "Peer to peer (groups up to 6, nothing else to run)"
        JANUS = "janus", "Janus media server (groups up to 12)"
        LIVEKIT = "livekit", "LiveKit media server (groups up to 12; untested against a real one)"

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="dialogue_events"
    )
    slug = models.SlugField(unique=True)
    title = models.JSONField(default=dict, help_text="Per language.")
    description = models.JSONField(default=dict, blank=True)
    languages = models.JSONField(default=list, help_text="Languages offered, default first.")
    starts_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC", help_text="IANA name.")
    min_group_size = models.PositiveSmallIntegerField(default=4, validators=GROUP_SIZES)
    max_group_size = models.PositiveSmallIntegerField(
        default=6,
        validators=GROUP_SIZES,
        help_text="Above 6 the rooms need a media server (Video: Janus or LiveKit).",
    )
    media = models.CharField(
        "video",
        max_length=8,
        choices=Media.choices,
        blank=True,
        default="",
        help_text="How the groups' audio and video travel. Change it before the event starts.",
    )
    capacity = models.PositiveIntegerField(default=200)
    registration = models.CharField(
        max_length=12, choices=Registration.choices, default=Registration.OPEN
    )
    invitation_code = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    partner = models.ForeignKey(
        "accounts.ApiKey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="dialogue_events",
        help_text="The partner system that registered the event through the API, if any.",
    )
    reports_public = models.BooleanField(
        default=False,
        help_text="Show the groups' reports at /d/{slug}/results (no names). Once shown, "
        "only organizers change them.",
    )
    report_hours = models.PositiveSmallIntegerField(
        default=48,
        help_text="Members may file and correct their group's report until this many hours "
        "after the event ends.",
    )
    lobby_closed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the groups were settled at the start, with those in the lobby.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "slug"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_listing")]

    def __str__(self) -> str:
        return self.title_in(self.languages[0] if self.languages else "en") or self.slug

    def title_in(self, language: str) -> str:
        return pick(self.title, language, self.languages)

    def seated(self) -> "models.QuerySet[Any]":  # of Registration (shadowed by the choices)
        """Registrations that hold a place: without an email address, or with a confirmed
        one (an unconfirmed sign-up holds none, and lapses)."""
        confirmed = models.Q(email="") | models.Q(email_confirmed_at__isnull=False)
        return self.registrations.filter(confirmed)

    def agenda_in(self, language: str) -> list[dict[str, Any]]:
        """The agenda's items in `language` (or the event's nearest): position, title,
        prompt and minutes."""
        return [
            {
                "position": item.position,
                "title": pick(item.title, language, self.languages),
                "prompt": pick(item.prompt, language, self.languages),
                "minutes": item.minutes,
            }
            for item in self.agenda.all()
        ]

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.agenda.all())

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def phase(self) -> str:
        """draft until published; closed once cancelled or over; else open (the phase the
        back office's permission table speaks of)."""
        if self.status == self.Status.DRAFT:
            return "draft"
        end = self.ends_at if self.pk else self.starts_at  # unsaved: no agenda to sum yet
        over = self.status == self.Status.CANCELLED or end < timezone.now()
        return "closed" if over else "open"

    @property
    def reports_close_at(self) -> datetime:
        return self.ends_at + timedelta(hours=self.report_hours)


def event_counts() -> dict[str, models.Count]:
    """What organizers and partners follow per event, as annotations or aggregates."""
    return {
        "registered_total": models.Count("registrations", distinct=True),
        "groups_total": models.Count("groups", distinct=True),
        "reports_total": models.Count("groups__report", distinct=True),
        "joined_total": models.Count(
            "registrations", filter=models.Q(registrations__joined_at__isnull=False), distinct=True
        ),
    }


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.JSONField(default=dict)
    prompt = models.JSONField(default=dict, blank=True, help_text="The question to discuss.")
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(180)]
    )

    class Meta:
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {pick(self.title, 'en', list(self.title))}"


class DialogueGroup(models.Model):
    """A small group of registrants who meet in one room; formed by actions.form_groups."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField()
    language = models.CharField(max_length=16)
    host = models.ForeignKey(
        "Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="May skip a speaker, move the group on, ask to mute, remove someone.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="group_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event.slug} group {self.number} ({self.language})"


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    display_name = models.CharField(max_length=60)
    languages = models.JSONField(help_text="Languages the person can talk in.")
    country = models.CharField(max_length=2)
    age_group = models.CharField(
        max_length=16, help_text="A key of the consultation's age groups (Consultation.age_bands)."
    )
    email = models.EmailField(blank=True, help_text="For the reminder; organizers only.")
    language = models.CharField(
        max_length=16, blank=True, help_text="The page's language at sign-up; emails use it."
    )
    email_confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="A place given with an address counts once it is confirmed from the email.",
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    accepted_rules_at = models.DateTimeField()
    group = models.ForeignKey(
        DialogueGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    unplaced_reason = models.CharField(max_length=200, blank=True)
    lobby_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from their lobby page."
    )
    joined_at = models.DateTimeField(
        null=True, blank=True, help_text="When they first joined their group's room."
    )
    is_synthetic = models.BooleanField(default=False, help_text="Made up by the demo.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["event", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.event.slug})"


class Room(models.Model):
    """The facilitator's state of a group's room (see facilitator.py), kept on the server so
    everyone, and anyone who reloads, sees the same agenda position, queue and timers."""

    group = models.OneToOneField(DialogueGroup, on_delete=models.CASCADE, related_name="room")
    position = models.PositiveSmallIntegerField(default=1)
    item_started_at = models.DateTimeField(null=True, blank=True)
    queue = models.JSONField(default=list)
    turn_started_at = models.DateTimeField(null=True, blank=True)
    advance_votes = models.JSONField(default=list)
    talk = models.JSONField(default=dict, help_text="Registration id -> seconds spoken.")
    removed = models.JSONField(default=list, help_text="Registrations the host removed.")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"room of {self.group}"


# How much of a group agreed with an idea in its report, most first.
REPORT_AGREEMENT = ("most", "some", "few")


class GroupReport(models.Model):
    """What a group sends the organizers, filled in together in the room's last item."""

    group = models.OneToOneField(DialogueGroup, on_delete=models.CASCADE, related_name="report")
    summaries = models.JSONField(default=dict, help_text="Agenda position -> a short summary.")
    ideas = models.JSONField(
        default=list, help_text="[{text, agreement: most | some | few}] in the group's words."
    )
    message = models.TextField(help_text="The group's message to the organizers.")
    filed_by = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"report of {self.group}"


class GroupReportVersion(models.Model):
    """The group's report as one filing left it: earlier ones are kept, never overwritten."""

    report = models.ForeignKey(GroupReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summaries = models.JSONField(default=dict)
    ideas = models.JSONField(default=list)
    message = models.TextField()
    filed_by = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organizer who changed the report, if not its group.",
    )

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"
