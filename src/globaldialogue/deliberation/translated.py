"""Statements in the reader's language: which text to show, and which statements a reader
can read at all (routing shows those first).

A reader has languages, best first: the page's, then those their browser asks for that the
conversation offers (lib.languages.reader_languages). A statement is shown in the first of
them it was written or translated in, else as written, saying so.
"""

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet

from globaldialogue.deliberation.models import Conversation, Statement, StatementTranslation
from globaldialogue.lib.translated import ShownText, choose


def shown_texts(statement_ids: Iterable[int], languages: Sequence[str]) -> dict[int, ShownText]:
    """The accepted statements among `statement_ids`, each as the reader sees it. Two
    queries, whatever the number."""
    rows = Statement.objects.filter(pk__in=list(statement_ids), status=Statement.Status.ACCEPTED)
    originals = {pk: (text, lang) for pk, text, lang in rows.values_list("pk", "text", "language")}
    translations = _translations(
        StatementTranslation.objects.filter(statement_id__in=list(originals)), languages
    )
    return {
        pk: shown_text(text, language, languages, translations, pk)
        for pk, (text, language) in originals.items()
    }


def conversation_translations(
    conversation: Conversation, languages: Sequence[str]
) -> dict[tuple[int, str], tuple[str, bool]]:
    """(statement id, language) -> (text, by a machine unreviewed), for shown_text: every
    translation of the conversation into `languages`, in one query."""
    found = StatementTranslation.objects.filter(statement__conversation=conversation)
    return _translations(found, languages)


def _translations(
    found: QuerySet[StatementTranslation], languages: Sequence[str]
) -> dict[tuple[int, str], tuple[str, bool]]:
    rows = found.filter(language__in=list(languages)).values_list(
        "statement_id", "language", "text", "reviewed"
    )
    return {(pk, lang): (text, not reviewed) for pk, lang, text, reviewed in rows}


def shown_text(
    text: str,
    language: str,
    languages: Sequence[str],
    translations: dict[tuple[int, str], tuple[str, bool]],
    pk: int,
) -> ShownText:
    """Statement `pk` (`text` in `language`) for a reader of `languages`."""
    own = {wanted: translations[pk, wanted] for wanted in languages if (pk, wanted) in translations}
    return choose(text, language, languages, own)


def statement_shown(statement: Statement, languages: Sequence[str]) -> ShownText:
    """One statement (the voting card's), in one query."""
    translations = _translations(statement.translations.all(), languages)
    return shown_text(statement.text, statement.language, languages, translations, statement.pk)


def readable(statements: QuerySet[Statement], languages: Sequence[str]) -> QuerySet[Statement]:
    """Those written in, or translated into, one of `languages`."""
    translated = StatementTranslation.objects.filter(language__in=list(languages))
    return statements.filter(
        Q(language__in=list(languages)) | Q(pk__in=translated.values("statement_id"))
    )
