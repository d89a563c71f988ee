from collections.abc import Callable

from django.db import models
from django.utils import timezone

# (language, a quote as found) -> the text to show, or None where it may not be shown
Publish = Callable[[str, str], str | None]


def as_found(language: str, text: str) -> str:
    """The back office shows quotes as the analysis found them."""
    return text


class Tally(models.Model):
    """One counter of the results roll-up, advanced by the tally worker.

    question="" and option="" count responses; option="" counts those who answered the
    question; otherwise those who chose the option. dimension="" is the whole survey; else the
    key of a breakdown question, with value the option chosen there ("" when unanswered).
    """

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=64, blank=True)
    option = models.CharField(max_length=64, blank=True)
    dimension = models.CharField(max_length=64, blank=True)
    value = models.CharField(max_length=64, blank=True)
    is_synthetic = models.BooleanField(default=False)
    count = models.BigIntegerField(default=0)
    # The sum of the counted responses' record keys, modulo lib.perturb.KEY_RANGE: what
    # the published count's small change is drawn from.
    cell_key = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "dimension", "value", "question", "option", "is_synthetic"],
                name="tally_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}/{self.option} [{self.dimension}={self.value}]: {self.count}"


class Snapshot(models.Model):
    """A survey's results for one breakdown as of the last tally run: counted and suppressed,
    keyed by question and option keys, not yet labelled (results.queries.compute_results)."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    by = models.CharField(max_length=64, blank=True)
    data = models.JSONField()
    # by="*cells": the counts per cell as NumPy arrays (results.cells.CellTable), for the
    # weighting and the dashboard's filters.
    arrays = models.BinaryField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "by"], name="snapshot_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.by or 'all'} at {self.computed_at:%Y-%m-%d %H:%M:%S}"


class Release(models.Model):
    """One publication of a survey's public figures (its Snapshots): made only once the
    survey's threshold of responses arrived since the one before (results.releases), so no
    single response can be told apart by comparing two."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    tallied = models.BigIntegerField(help_text="Responses ever tallied when it was made.")
    responses = models.BigIntegerField(help_text="Exact responses counted (back office only).")
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="release_number_unique")
        ]
        ordering = ["survey", "-number"]

    def __str__(self) -> str:
        return f"Release {self.number} ({self.responses} responses)"


class Analysis(models.Model):
    """One run of a slow analysis of a survey (themes in a question's open answers, the
    public dataset), done by a background task that reports its progress here; the latest
    finished run is shown."""

    class Kind(models.TextChoices):
        THEMES = "themes", "Themes in open answers"
        OPEN_DATA = "open_data", "Public dataset"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.THEMES)
    question = models.CharField(
        max_length=64, blank=True, help_text="Key of the question analysed (themes)."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0, help_text="Share done, 0 to 1.")
    answers = models.PositiveIntegerField(default=0, help_text="Answers analysed.")
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "analyses"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["survey", "kind", "question", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.question} ({self.get_status_display()})"


class Theme(models.Model):
    """A theme (or, with a parent, a sub-theme) found in open answers. Organizers rename,
    merge and hide themes; a later run of the analysis carries that over (results.opentext)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="sub_themes"
    )
    position = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(help_text="Answers in the theme.")
    name = models.JSONField(
        default=dict, blank=True, help_text="Name per language; empty: its keywords."
    )
    keywords = models.JSONField(default=dict, blank=True, help_text="Language -> words.")
    quotes = models.JSONField(default=dict, blank=True, help_text="Language -> answers.")
    claims = models.JSONField(
        default=list,
        blank=True,
        help_text="What was said most: text, language, count, the same in other languages.",
    )
    groups = models.JSONField(
        default=dict, blank=True, help_text="Breakdown question -> option -> answers."
    )
    keys = models.JSONField(
        default=dict,
        blank=True,
        help_text='Like groups, the sums of the answers\' record keys; "" -> "": all of them.',
    )
    centre = models.JSONField(default=list, blank=True)
    hidden = models.BooleanField(default=False, help_text="Left out of public results.")
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        help_text="Counted as part of this theme in public results.",
    )

    class Meta:
        ordering = ["analysis", "parent_id", "position"]

    def __str__(self) -> str:
        return self.name_in("en") or f"Theme {self.position + 1}"

    NAME_LENGTH = 80  # an answer naming a theme is cut at a word before this

    def name_in(self, language: str) -> str:
        return self.name_for(language)[0]

    def name_for(self, language: str, *, quotable: Publish | None = as_found) -> tuple[str, str]:
        """(name, the language it is in) for a reader of `language`: the organizer's name in
        it, else the answer nearest the theme's centre said in it (only where the theme may
        be quoted, as `quotable` publishes it: public pages, only once approved), else its
        keywords there; only when nothing was said in it, the organizer's name or one in
        another language (the page says which)."""
        if text := self.name.get(language):
            return text, language
        if said := self._said_in(language, quotable):
            return said, language
        if self.name:
            code = next(iter(self.name))
            return self.name[code], code
        spoken = [*self.quotes, *self.keywords]
        code = next((c for c in spoken if self._said_in(c, quotable)), language)
        return self._said_in(code, quotable) or f"{self.position + 1}", code

    def _said_in(self, language: str, quotable: Publish | None) -> str:
        quotes = self.quotes.get(language, [])[:1] if quotable else []
        if quotable and quotes and (said := quotable(language, quotes[0])):
            return _shortened(said, self.NAME_LENGTH)
        return ", ".join(self.keywords.get(language, [])[:3])


class Quote(models.Model):
    """A quote or a "what was said most" from open answers, as an analysis found it (with
    personal data scrubbed: lib/scrub.py), published only once an organizer approved it,
    perhaps edited. The same text found again by a later analysis is the same quote, so a
    review holds across runs."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        DROPPED = "dropped", "Dropped"

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=64)
    language = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, editable=False)
    found = models.TextField(editable=False, help_text="As the analysis found it.")
    text = models.TextField(help_text="As published: edit it to take out anything personal.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    found_at = models.DateTimeField(default=timezone.now, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question", "digest"], name="quote_found_once"
            )
        ]
        indexes = [models.Index(fields=["survey", "question", "status"])]
        ordering = ["status", "-found_at"]

    def __str__(self) -> str:
        return _shortened(self.text, 60)


class PopulationMargins(models.Model):
    """An organizer's own population figures for a consultation (a CSV, kept as uploaded):
    its surveys are weighted to them instead of the world's (WPP 2019). See
    docs/weighting.md for the file's columns."""

    consultation = models.OneToOneField(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="margins"
    )
    name = models.CharField(
        max_length=200, help_text="Where the figures come from, e.g. “City census 2021”."
    )
    source = models.TextField(help_text="The CSV as uploaded.")
    summary = models.JSONField(default=dict, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "population margins"
        verbose_name_plural = "population margins"

    def __str__(self) -> str:
        return f"{self.name} ({self.consultation})"


def _shortened(text: str, length: int) -> str:
    """`text`, cut at the last word that fits within `length` (with an ellipsis)."""
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
