from django.db import models
from django.utils import timezone

from globaldialogue.consultations.ages import AGE_BANDS
from globaldialogue.lib.translated import pick


class Consultation(models.Model):
    """A public consultation such as UN75: it holds surveys, conversations and dialogue
    events, and may have its own population figures for weighting."""

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
