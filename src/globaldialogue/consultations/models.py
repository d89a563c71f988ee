from django.db import models
from django.utils import timezone

from globaldialogue.lib.translated import pick


class Consultation(models.Model):
    """A public consultation such as UN75: it holds surveys, conversations and dialogue
    events, and may have its own population figures for weighting."""

    slug = models.SlugField(unique=True)
    title = models.JSONField(default=dict, help_text="Title per language code.")
    languages = models.JSONField(
        default=list, help_text="Language codes offered, the first being the default."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title_in(self.languages[0] if self.languages else "en") or self.slug

    def title_in(self, language: str) -> str:
        return pick(self.title, language, self.languages)
