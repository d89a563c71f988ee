"""Background work for consultations: machine translations of texts offered for
translation (quotes, dialogue reports), when a provider is set."""

import logging

from django_tasks import task

from globaldialogue.consultations.models import TranslatableText
from globaldialogue.consultations.translation_actions import machine_translate_texts
from globaldialogue.lib import machine_translation

log = logging.getLogger(__name__)


@task()
def translate_texts_task(text_ids: list[int]) -> int:
    """A provider that fails leaves the texts to the translators' queue (logged)."""
    provider = machine_translation.configured()
    texts = list(TranslatableText.objects.filter(pk__in=text_ids).select_related("consultation"))
    if provider is None or not texts:
        return 0
    try:
        return machine_translate_texts(texts=texts, provider=provider)
    except machine_translation.TranslationFailed as failure:
        log.warning("machine translation of texts %s failed: %s", text_ids, failure)
        return 0


def request_text_translation(text_ids: list[int]) -> None:
    if machine_translation.configured() is not None:
        translate_texts_task.enqueue(text_ids)
