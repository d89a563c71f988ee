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
