"""Every write of translatable texts and their translations: offered when published (an
approved quote, a filed group report), translated by a person in the back office queue or
by a machine in the background when a provider is set. Statements have their own
(deliberation.translation_actions); the queue page and the providers are the same."""

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from globaldialogue.audit.actions import record
from globaldialogue.consultations.models import (
    Consultation,
    TextTranslation,
    TranslatableText,
    text_digest,
)
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.hooks import Hook
from globaldialogue.lib.machine_translation import Provider, translate_missing

# Subscribed to by tasks.py: texts were offered for translation (their ids).
text_translation_due = Hook("consultations: texts were offered for translation (ids)")

MOST_CHARACTERS = 4000  # a translation may run to this, or twice its original's length


def offer_texts(
    *,
    consultation: Consultation,
    kind: str,
    texts: Iterable[tuple[str, str]],
    languages: Sequence[str],
) -> list[TranslatableText]:
    """(language, text) pairs others will read, offered for translation into `languages`
    (added to those already wanted). Offering the same words again changes nothing else."""
    wanted = {text_digest(language, text): (language, text.strip()) for language, text in texts}
    offered = []
    with transaction.atomic():
        for key, (language, text) in wanted.items():
            if text:
                said = {"kind": TranslatableText.Kind(kind), "language": language, "text": text}
                found, _created = TranslatableText.objects.get_or_create(
                    consultation=consultation, digest=key, defaults=said
                )
                if found.want(languages):
                    found.save(update_fields=["wanted"])
                offered.append(found)
        if offered:
            text_translation_due.fire([text.pk for text in offered])
    return offered


def translate_text(
    *, original: TranslatableText, language: str, text: str, translator: User | None = None
) -> TextTranslation:
    """A person's translation (or review of a machine's): replaces what was there."""
    cleaned = _checked(original, language, text)
    with transaction.atomic():
        translation, created = TextTranslation.objects.update_or_create(
            original=original,
            language=language,
            defaults={
                "text": cleaned,
                "source": TextTranslation.Source.PERSON,
                "provider": "",
                "reviewed": True,
                "translator": translator,
                "updated_at": timezone.now(),
            },
        )
        record(
            action="translate_text",
            obj=original,
            consultation=original.consultation,
            summary={"language": language, "new": created, "kind": original.kind},
        )
    return translation


def missing_languages(original: TranslatableText) -> list[str]:
    have = set(original.translations.values_list("language", flat=True)) | {original.language}
    return [code for code in original.languages if code not in have]


def machine_translate_texts(*, texts: Sequence[TranslatableText], provider: Provider) -> int:
    """Machine translations of `texts` into each wanted language they lack; never over a
    person's. Raises TranslationFailed (nothing of that language pair is stored)."""
    made = 0
    for target, group, found in translate_missing(provider, texts, missing_languages):
        made += _store_machine(group, target, found, provider.name)
    return made


def _store_machine(
    originals: list[TranslatableText], language: str, texts: list[str], provider: str
) -> int:
    rows = [
        TextTranslation(
            original=original,
            language=language,
            text=text[: _longest(original)],
            source=TextTranslation.Source.MACHINE,
            provider=provider,
        )
        for original, text in zip(originals, texts, strict=True)
    ]
    with transaction.atomic():
        # A person's translation saved meanwhile wins: conflicts are left as they are.
        TextTranslation.objects.bulk_create(rows, ignore_conflicts=True)
        record(
            action="machine_translate_texts",
            consultation=originals[0].consultation,
            summary={"language": language, "texts": len(rows), "provider": provider},
        )
    return len(rows)


def _longest(original: TranslatableText) -> int:
    return max(MOST_CHARACTERS, 2 * len(original.text))


def _checked(original: TranslatableText, language: str, text: str) -> str:
    if language not in original.languages:
        raise Refused("language", _("This text is not offered in that language."))
    if language == original.language:
        raise Refused("language", _("This text was written in that language."))
    cleaned = " ".join(text.split())
    if not cleaned:
        raise Refused("empty", _("Write the translation first."))
    if len(cleaned) > _longest(original):
        message = _("Keep it to %(max)d characters; this has %(length)d.")
        raise Refused("too_long", message % {"max": _longest(original), "length": len(cleaned)})
    return cleaned
