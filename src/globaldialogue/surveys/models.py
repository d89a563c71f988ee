"""Surveys, their questions and options, frozen versions, and responses.

Organizers edit Question and Option rows. Publishing freezes them into a SurveyVersion whose
`definition` is what participants see and what responses are validated against; editing a
published survey freezes a new version, and every Response records the version it answered.
"""

from django.db import models
from django.utils import timezone

from globaldialogue.lib.translated import pick


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="surveys"
    )
    slug = models.SlugField(unique=True)
    title = models.JSONField(default=dict, help_text="Title per language code.")
    intro = models.JSONField(default=dict, blank=True, help_text="Introduction per language.")
    languages = models.JSONField(
        default=list, help_text="Language codes offered, the first being the default."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    odk_anonymous = models.BooleanField(
        "anonymous ODK submissions",
        default=True,
        help_text="Take ODK Collect and Enketo forms without an enumerator's account, limited "
        "per network as the web form is. Untick to take only forms sent with an enumerator's "
        "account (an API key with the “odk” scope).",
    )
    current_version = models.ForeignKey(
        "SurveyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    min_answers = models.PositiveSmallIntegerField(
        default=1,
        help_text="A response must answer at least this many questions (0: an empty one counts).",
    )
    calculations = models.JSONField(
        default=list,
        blank=True,
        help_text="Values other expressions read (XLSForm `calculate`): "
        '[{"key": ..., "expression": ...}], in order; not stored with responses.',
    )
    suppression_threshold = models.PositiveIntegerField(
        default=10, help_text="Public results hide cells counting fewer responses than this."
    )
    release_minutes = models.PositiveIntegerField(
        default=0,
        help_text=(
            "Public figures are updated once at least the threshold of new responses arrived, "
            "and no more often than every this many minutes (0: as soon as they have)."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title_in(self.default_language) or self.slug

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else "en"

    @property
    def phase(self) -> str:
        """draft, open (published) or closed: the back office's permission table's phases."""
        return "open" if self.status == self.Status.PUBLISHED else str(self.status)

    def title_in(self, language: str) -> str:
        return pick(self.title, language, self.languages)


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        SCALE = "scale", "Scale"
        TEXT = "text", "Free text"
        INTEGER = "integer", "Whole number"
        COUNTRY = "country", "Country"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=64, help_text="Stable name used in the API and exports.")
    position = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=12, choices=Type.choices)
    label = models.JSONField(default=dict, help_text="Question text per language.")
    hint = models.JSONField(default=dict, blank=True, help_text="Help text per language.")
    required = models.BooleanField(default=False)
    is_demographic = models.BooleanField(
        default=False, help_text="Shown under 'About you' and offered as a results breakdown."
    )
    max_choices = models.PositiveIntegerField(null=True, blank=True)
    max_length = models.PositiveIntegerField(null=True, blank=True, help_text="For free text.")
    min_value = models.IntegerField(null=True, blank=True)
    max_value = models.IntegerField(null=True, blank=True)
    shuffle = models.BooleanField(default=False, help_text="Shuffle options per respondent.")
    # XLSForm expressions (lib/expressions.py), checked when saved; empty: none.
    relevant = models.TextField(
        blank=True, help_text="Ask only when this holds (XLSForm `relevant`), e.g. ${age} >= 18."
    )
    constraint = models.TextField(
        blank=True, help_text="An answer must make this hold (XLSForm `constraint`), e.g. . <= 120."
    )
    constraint_message = models.JSONField(
        default=dict, blank=True, help_text="What to say when the constraint fails, per language."
    )
    required_when = models.TextField(
        blank=True, help_text="Required only when this holds (XLSForm `required` as a condition)."
    )
    choice_filter = models.TextField(
        blank=True,
        help_text="Options shown: those for which this holds (XLSForm `choice_filter`), "
        "reading the options' filter columns by name, e.g. region = ${region}.",
    )

    class Meta:
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    label = models.JSONField(default=dict, help_text="Option text per language.")
    is_other = models.BooleanField(
        default=False,
        help_text="Choosing it asks for free text ('Other, please say').",
    )
    filters = models.JSONField(
        default=dict, blank=True, help_text="Columns a choice filter reads: {name: value}."
    )

    class Meta:
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField(help_text="Frozen questions and options, as the API shows them.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} v{self.number}"


class Response(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", "Web form"
        API = "api", "API"
        PARTNER = "partner", "Partner batch"
        IMPORT = "import", "File import"
        ODK = "odk", "ODK Collect / Enketo (OpenRosa)"
        PAPER = "paper", "Paper form"
        SMS = "sms", "Text messages (SMS, WhatsApp)"
        RAPIDPRO = "rapidpro", "RapidPro flow"
        SYNTHETIC = "synthetic", "Synthetic sample"

    # Chosen by the client, so a retry of the same submission is recognised and counted once.
    id = models.UUIDField(primary_key=True)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=16)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    answers = models.JSONField(help_text="Canonical answers keyed by question key.")
    content_hash = models.CharField(max_length=64)
    receipt = models.CharField(max_length=11)
    submitted_at = models.DateTimeField(default=timezone.now)
    is_synthetic = models.BooleanField(default=False)
    api_key = models.ForeignKey(
        "accounts.ApiKey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the response has been added to the results roll-up (results.Tally).
    tallied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]
        indexes = [
            models.Index(fields=["survey", "submitted_at"], name="response_survey_time"),
            # The tally worker's queue, read in submitted_at order: only this index gives that
            # order, so the scan reads just untallied rows and stops after one batch, however
            # long the backlog (a bitmap scan, or the index above, would read all of it).
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(tallied_at__isnull=True),
                name="response_untallied_queue",
            ),
            # A respondent withdrawing with their receipt code (results/withdraw.py).
            models.Index(fields=["survey", "receipt"], name="response_receipt"),
        ]

    def __str__(self) -> str:
        return str(self.id)
