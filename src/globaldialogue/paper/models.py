"""Paper forms: the batches printed (each a range of serial numbers of one survey) and the
files of typed-in answers uploaded from them, kept as uploaded: the preview reads the file
kept here, and storing reads it again."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from globaldialogue.paper.serials import format_serial


class PaperBatch(models.Model):
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="paper_batches"
    )
    version = models.ForeignKey(
        "surveys.SurveyVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The questions as printed: typed answers are checked against them.",
    )
    language = models.CharField(max_length=16)
    # Random: the batch's response ids cannot be guessed from the serials printed.
    namespace = models.UUIDField(default=uuid.uuid4, editable=False)
    first = models.PositiveIntegerField(help_text="The first serial number of the batch.")
    count = models.PositiveIntegerField()
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "printed batch"
        verbose_name_plural = "printed batches"
        constraints = [
            models.UniqueConstraint(fields=["survey", "first"], name="paperbatch_range_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} {self.serials} ({self.language})"

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    @property
    def serials(self) -> str:
        return f"{format_serial(self.first)} to {format_serial(self.last)}"


class PaperUpload(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, nothing stored"
        STORED = "stored", "Stored"
        DISCARDED = "discarded", "Discarded"

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="paper_uploads"
    )
    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=16, help_text="For rows without a language.")
    replace = models.BooleanField(
        default=False, help_text="Typed answers replace those stored under the same serial."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, help_text="Rows per outcome, as last read.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    stored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "paper upload"

    def __str__(self) -> str:
        return f"{self.name} ({self.survey.slug})"
