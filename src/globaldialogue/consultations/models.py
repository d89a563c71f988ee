import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.utils import timezone

from globaldialogue.consultations.ages import AGE_BANDS
from globaldialogue.consultations.permissions import Role
from globaldialogue.lib.translated import pick


class Organization(models.Model):
    """Who runs consultations: a UN office, a city, an NGO. Roles held on it hold on each
    of its consultations."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """A public consultation such as UN75: it holds surveys, conversations and dialogue
    events, and may have its own population figures for weighting."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="consultations"
    )
    slug = models.SlugField(unique=True)
    title = models.JSONField(default=dict, help_text="Title per language code.")
    languages = models.JSONField(
        default=list, help_text="Language codes offered, the first being the default."
    )
    age_bands = models.JSONField(
        default=list,
        blank=True,
        help_text='Age groups: [{"key": "16_30", "label": {"en": "16–30"}}, ...]; empty: the '
        "platform's (under 16, 16–30, 31–45, 46–60, 61–75, over 75).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title_in(self.languages[0] if self.languages else "en") or self.slug

    def title_in(self, language: str) -> str:
        return pick(self.title, language, self.languages)

    def age_groups_in(self, language: str) -> list[tuple[str, str]]:
        """(key, label in `language`) for each age group, youngest first."""
        return [
            (band["key"], pick(band["label"], language, self.languages))
            for band in self.age_bands or AGE_BANDS
        ]

    def age_keys(self) -> set[str]:
        return {band["key"] for band in self.age_bands or AGE_BANDS}


class Membership(models.Model):
    """A person's role on an organization (and so on all its consultations) or on one
    consultation. What each role may do is consultations.permissions.TABLE."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=True, consultation__isnull=False)
                | models.Q(organization__isnull=False, consultation__isnull=True),
                name="membership_on_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(organization__isnull=False),
                name="one_role_once_per_organization",
            ),
            models.UniqueConstraint(
                fields=["user", "consultation", "role"],
                condition=models.Q(consultation__isnull=False),
                name="one_role_once_per_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display().split(':')[0]} of {self.on}"

    @property
    def on(self) -> "Organization | Consultation":
        return self.organization or self.consultation  # type: ignore[return-value]


def text_digest(language: str, text: str) -> str:
    """What identifies a translatable text in its consultation: its language and words."""
    return hashlib.sha256(f"{language}\n{text.strip()}".encode()).hexdigest()


class TranslatableText(models.Model):
    """Words someone wrote that others read, other than statements (those have their own,
    deliberation.StatementTranslation): a published quote from an open answer, or an idea,
    summary or message from a dialogue group's report. Kept once per consultation by its
    language and words (`digest`), with the languages its readers want it in."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote from an open answer"
        IDEA = "idea", "Idea in a group's report"
        SUMMARY = "summary", "Summary in a group's report"
        MESSAGE = "message", "Message in a group's report"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=16)
    text = models.TextField()
    digest = models.CharField(max_length=64, editable=False)
    # ",fr,ar,": a plain string, so "wanted in fr" is one LIKE on SQLite and PostgreSQL alike.
    wanted = models.CharField(max_length=400, default=",", help_text="The languages wanted.")
    offered_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["offered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "digest"], name="text_offered_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}): {self.text[:60]}"

    @property
    def languages(self) -> list[str]:
        return [code for code in self.wanted.split(",") if code]

    def want(self, languages: Sequence[str]) -> bool:
        """Add `languages` (but its own) to those wanted; whether any was new."""
        more = [code for code in languages if code != self.language and code not in self.languages]
        self.wanted = ",".join(["", *self.languages, *more, ""])
        return bool(more)


class TextTranslation(models.Model):
    """A TranslatableText in another language; a machine's stays labelled as such until a
    person reviews it in the translation queue."""

    class Source(models.TextChoices):
        PERSON = "person", "Translated by a person"
        MACHINE = "machine", "Machine translation"

    original = models.ForeignKey(
        TranslatableText, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(max_length=16)
    text = models.TextField()
    source = models.CharField(max_length=10, choices=Source.choices)
    provider = models.CharField(max_length=32, blank=True, help_text="The machine's name.")
    reviewed = models.BooleanField(default=False, help_text="A person wrote or read it.")
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["original", "language"]
        constraints = [
            models.UniqueConstraint(fields=["original", "language"], name="text_translation_once")
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.text[:60]}"
