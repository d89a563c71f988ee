"""Conversations: people write short statements and vote agree / disagree / pass on others'."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from globaldialogue.lib.translated import pick


def new_embed_secret() -> str:
    return secrets.token_hex(32)


class Conversation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not public)"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed (results only)"

    class Moderation(models.TextChoices):
        PRE = "pre", "Pre-moderation (new statements hidden until accepted)"
        POST = "post", "Post-moderation (shown at once, removed if rejected)"

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="conversations"
    )
    slug = models.SlugField(unique=True)
    topic = models.JSONField(default=dict, help_text="The question, per language.")
    description = models.JSONField(default=dict, blank=True)
    languages = models.JSONField(default=list, help_text="Interface languages, default first.")
    moderation = models.CharField(max_length=8, choices=Moderation.choices, default=Moderation.POST)
    statement_max_length = models.PositiveIntegerField(default=280)
    suppression_threshold = models.PositiveIntegerField(
        default=10,
        validators=[MinValueValidator(2)],
        help_text="Public figures hide counts of fewer people than this (docs/disclosure.md).",
    )
    max_groups = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(26)],
        help_text="The opinion map finds 2 up to this many groups (lettered A to Z).",
    )
    status = models.CharField(
        max_length=8,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="A draft is seen by organizers only; open takes statements and votes; "
        "closed shows its results.",
    )
    blocked_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line; a statement containing one waits for a "
        "moderator, as one with a common insult does, even under post-moderation.",
    )
    embed_secret = models.CharField(
        max_length=64,
        default=new_embed_secret,
        editable=False,
        help_text="Partners sign their participants' ids with it (docs/embedding.md).",
    )
    previous_embed_secret = models.CharField(max_length=64, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Ids signed with the secret before the last one count until then.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.topic_in(self.languages[0] if self.languages else "en") or self.slug

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def topic_in(self, language: str) -> str:
        return pick(self.topic, language, self.languages)

    @property
    def blocked_word_list(self) -> list[str]:
        return [line.strip() for line in self.blocked_words.splitlines() if line.strip()]


class Participant(models.Model):
    """Someone taking part, known only by a hash of their anonymous token or partner xid."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "key_hash"], name="participant_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    normalized = models.TextField(editable=False, help_text="For finding near-duplicates.")
    # Its unit vector from the multilingual sentence encoder (512 float16), for finding
    # statements that mean the same in another language (meaning.py).
    meaning = models.BinaryField(null=True, blank=True, editable=False)
    language = models.CharField(max_length=16)
    status = models.CharField(max_length=10, choices=Status.choices)
    is_seed = models.BooleanField(default=False, help_text="Written by the organizers.")
    is_meta = models.BooleanField(
        default=False, help_text="About the conversation itself; kept out of the opinion map."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["conversation", "created_at", "id"]
        indexes = [models.Index(fields=["conversation", "status"], name="statement_status")]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, "Agree"
        PASS = 0, "Pass"
        DISAGREE = -1, "Disagree"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value.choices)
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_once"),
        ]
        indexes = [models.Index(fields=["conversation", "voted_at"], name="vote_time")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.get_value_display()} {self.statement_id}"


class ConversationMap(models.Model):
    """An opinion map as computed from `votes` votes; pages read the latest one.

    `summary` holds groups, representative statements, consensus and bridging (JSON);
    `positions` holds every participant's id, group and position as compact arrays
    (numpy .npz), which at a million participants is megabytes, not hundreds of them.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="maps")
    computed_at = models.DateTimeField(default=timezone.now)
    votes = models.PositiveIntegerField()
    k = models.PositiveSmallIntegerField()
    summary = models.JSONField()
    positions = models.BinaryField()

    class Meta:
        ordering = ["conversation", "-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.conversation.slug}: {self.votes} votes, {self.k} groups"


class StatementTranslation(models.Model):
    """A statement in another language of its conversation, with who or what wrote it.

    A machine translation stays labelled as such until a person reviews it (saving it in
    the translation queue, changed or not, makes it reviewed).
    """

    class Source(models.TextChoices):
        ORGANIZER = "organizer", "Written by the organizers with the statement"
        PERSON = "person", "Translated by a person"
        MACHINE = "machine", "Machine translation"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=16)
    text = models.TextField()
    source = models.CharField(max_length=10, choices=Source.choices)
    provider = models.CharField(max_length=32, blank=True, help_text="The machine's name.")
    reviewed = models.BooleanField(
        default=False, help_text="A person wrote or read it (always, but for a machine's)."
    )
    translator = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who wrote or last reviewed it in the back office.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["statement", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="statement_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.text[:60]}"

    @property
    def is_machine(self) -> bool:
        """Shown as a machine translation: a machine wrote it and no person has reviewed it."""
        return not self.reviewed
