"""Text-message channels of a survey (SMS gateways, WhatsApp), the chats held through them
and every message in and out. A sender is known only by a keyed hash of their number; the
number itself is kept sealed while their chat is open (replies, the one reminder) and
erased when it ends."""

import uuid

from django.db import models
from django.utils import timezone


class Provider(models.TextChoices):
    TWILIO = "twilio", "Twilio (or a Twilio-compatible gateway)"
    AFRICASTALKING = "africastalking", "Africa's Talking"
    EXTERNAL = "external", "External API (RapidPro/courier's shape)"
    WHATSAPP = "whatsapp", "WhatsApp Cloud API"


class Channel(models.Model):
    """One number (or WhatsApp sender) taking one survey by text message."""

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="text_channels"
    )
    # In the webhook's address: unguessable, so a provider's URL names one channel only.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.CharField(max_length=16, choices=Provider.choices)
    number = models.CharField(
        max_length=32, help_text="The number people text (E.164), or WhatsApp's sender number."
    )
    languages = models.JSONField(
        default=list,
        blank=True,
        help_text="Languages offered on this number, in order (empty: all of the survey's). "
        "With one, no language is asked.",
    )
    account = models.CharField(
        max_length=100,
        blank=True,
        help_text="Twilio: account SID. Africa's Talking: username. WhatsApp: phone number id.",
    )
    secret = models.CharField(
        max_length=200,
        blank=True,
        help_text="Twilio: auth token. Africa's Talking: API key. WhatsApp: access token. "
        "External: the token its requests carry.",
    )
    signing_secret = models.CharField(
        max_length=200,
        blank=True,
        help_text="WhatsApp: the app secret its webhooks are signed with.",
    )
    api_url = models.URLField(
        blank=True, help_text="Where messages are sent (empty: the provider's own address)."
    )
    reminder_minutes = models.PositiveIntegerField(
        default=60, help_text="One reminder after this much silence in an open chat (0: none)."
    )
    expiry_hours = models.PositiveIntegerField(
        default=24, help_text="A chat silent this long ends; what was answered is kept."
    )
    window_hours = models.PositiveIntegerField(
        default=24, help_text="WhatsApp: free text only this long after the person's last message."
    )
    template = models.CharField(
        max_length=100,
        blank=True,
        help_text="WhatsApp: the approved template that re-opens a chat.",
    )
    repeat = models.BooleanField(
        default=False,
        help_text="A number may answer again after finishing (else once per version).",
    )
    country_from_number = models.BooleanField(
        default=False,
        help_text="Answer the survey's country question from the number's prefix instead of "
        "asking it (asked when the prefix names no single country).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "text channel"
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="channel_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.number}"


class Chat(models.Model):
    """One sender's way through the survey on a channel (one per round)."""

    class Step(models.TextChoices):
        LANGUAGE = "language", "Choosing a language"
        CONSENT = "consent", "Asked to take part"
        QUESTION = "question", "Answering"
        OTHER = "other", "Saying what “other” means"
        DONE = "done", "Finished"
        STOPPED = "stopped", "Stopped (STOP)"
        EXPIRED = "expired", "Went silent"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="chats")
    sender = models.CharField(max_length=64, help_text="Keyed hash of the number.")
    round = models.PositiveIntegerField(default=0)
    sealed_address = models.TextField(blank=True, help_text="The number, sealed; open chats only.")
    country = models.CharField(max_length=2, blank=True, help_text="From the number's prefix.")
    language = models.CharField(max_length=16, blank=True)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.LANGUAGE)
    question = models.CharField(max_length=64, blank=True, help_text="The question asked now.")
    answers = models.JSONField(default=dict, blank=True)
    asked = models.JSONField(
        default=list, blank=True, help_text="Questions asked, in order (BACK)."
    )
    version = models.ForeignKey(
        "surveys.SurveyVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )
    response_id = models.UUIDField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_in_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "sender", "round"], name="chat_round_once")
        ]
        indexes = [
            # Open chats waiting for their reminder or their end (the follow-up sweep).
            models.Index(
                fields=["last_in_at"], condition=models.Q(ended_at__isnull=True), name="chat_open"
            ),
        ]

    def __str__(self) -> str:
        return f"chat {self.pk} ({self.get_step_display()})"


class Message(models.Model):
    class Direction(models.TextChoices):
        IN = "in", "In"
        OUT = "out", "Out"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    chat = models.ForeignKey(Chat, on_delete=models.SET_NULL, null=True, related_name="messages")
    # What an outbound message answers: a resent inbound message gets the same replies.
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    # The provider's id: an inbound message resent by its gateway is recognised by it.
    provider_id = models.CharField(max_length=100, blank=True)
    text = models.TextField(blank=True)
    step = models.CharField(max_length=64, blank=True, help_text="The question it answers or asks.")
    status = models.CharField(max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="What the provider sent.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "direction", "provider_id"],
                condition=~models.Q(provider_id=""),
                name="message_provider_id_once",
            )
        ]
        indexes = [models.Index(fields=["channel", "direction", "status"], name="message_status")]

    def __str__(self) -> str:
        return f"{self.direction} {self.pk}: {self.text[:40]}"


class RapidProFlow(models.Model):
    """A partner's RapidPro flow whose results come into a survey: by its webhook (the flow
    calls /api/surveys/<slug>/rapidpro at its end) and by polling RapidPro's runs, which
    fills what the webhook missed (RapidPro never retries a webhook)."""

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="rapidpro_flows"
    )
    flow_uuid = models.UUIDField(help_text="The flow's UUID in RapidPro.")
    name = models.CharField(max_length=200, blank=True)
    api_url = models.URLField(
        blank=True,
        help_text="The RapidPro server, e.g. https://app.rapidpro.io (empty: no polling).",
    )
    api_token = models.CharField(max_length=200, blank=True, help_text="A RapidPro API token.")
    language = models.CharField(
        max_length=16, help_text="The language the flow's contacts answer in (one of the survey's)."
    )
    mapping = models.JSONField(
        default=dict,
        blank=True,
        help_text='Result key -> question key, e.g. {"colour": "favourite_colour"}. A result '
        "named like a question's key maps to it without being listed.",
    )
    # The modified_on of the newest run taken in by polling: the next poll asks for runs
    # modified after it (RapidPro's `after`).
    cursor = models.DateTimeField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    poll_error = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "RapidPro flow"
        constraints = [
            models.UniqueConstraint(fields=["survey", "flow_uuid"], name="rapidpro_flow_once")
        ]

    def __str__(self) -> str:
        return self.name or str(self.flow_uuid)


class RapidProRun(models.Model):
    """One run of a flow as it came in (kept for audit), and what became of it."""

    class Via(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        POLL = "poll", "Polling runs"

    flow = models.ForeignKey(RapidProFlow, on_delete=models.CASCADE, related_name="runs")
    run_uuid = models.UUIDField()
    via = models.CharField(max_length=8, choices=Via.choices)
    outcome = models.CharField(max_length=12, help_text="created, duplicate, conflict or invalid")
    response_id = models.UUIDField(null=True, blank=True)
    unread = models.JSONField(default=list, blank=True, help_text="Results that matched nothing.")
    payload = models.JSONField(default=dict, help_text="The run as RapidPro sent it.")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flow", "run_uuid"], name="rapidpro_run_once")
        ]

    def __str__(self) -> str:
        return f"run {self.run_uuid}: {self.outcome}"
