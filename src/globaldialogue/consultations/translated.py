"""Translatable texts (quotes, dialogue reports) in the reader's language: the first of
the reader's languages a text was written or translated in, else as written, saying so."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from globaldialogue.consultations.models import TextTranslation, text_digest
from globaldialogue.lib.translated import ShownText, choose

# text digest -> language -> (translated text, by a machine unreviewed)
Translations = dict[str, dict[str, tuple[str, bool]]]


def translations_of(
    consultation_id: int, languages: Sequence[str], kinds: Iterable[str] = ()
) -> Translations:
    """Every translation into `languages` of the consultation's texts (of `kinds`, or all),
    in one query: for a page that shows many."""
    rows = TextTranslation.objects.filter(
        original__consultation_id=consultation_id, language__in=list(languages)
    )
    if kinds:
        rows = rows.filter(original__kind__in=list(kinds))
    found: Translations = defaultdict(dict)
    for key, language, text, reviewed in rows.values_list(
        "original__digest", "language", "text", "reviewed"
    ):
        found[key][language] = (text, not reviewed)
    return found


def shown(
    translations: Translations, language: str, text: str, languages: Sequence[str]
) -> ShownText:
    """`text` (written in `language`) as a reader of `languages` sees it."""
    return choose(text, language, languages, translations.get(text_digest(language, text), {}))


def shown_texts(
    consultation_id: int, texts: Sequence[tuple[str, str]], languages: Sequence[str]
) -> list[ShownText]:
    """Each (language, text) as a reader of `languages` sees it."""
    found = translations_of(consultation_id, languages)
    return [shown(found, language, text, languages) for language, text in texts]
