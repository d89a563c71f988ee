"""Every write of statements' translations: the organizers' (with a seed), a translator's
(in the back office queue) and a machine's (in the background, when a provider is set)."""

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from globaldialogue.audit.actions import record
from globaldialogue.deliberation import text as statement_text
from globaldialogue.deliberation.models import Statement, StatementTranslation
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.hooks import Hook
from globaldialogue.lib.machine_translation import Provider, translate_missing

# Subscribed to by tasks.py: a statement others will read was accepted (statement id).
translation_due = Hook("deliberation: a statement was accepted (statement id)")

LENGTH_ALLOWANCE = 2  # a translation may run this many times the statement length limit


def translate_statement(
    *,
    statement: Statement,
    language: str,
    text: str,
    translator: User | None = None,
    source: str = StatementTranslation.Source.PERSON,
) -> StatementTranslation:
    """A person's translation (or review of a machine's): replaces what was there."""
    cleaned = _checked(statement, language, text)
    with transaction.atomic():
        translation, created = StatementTranslation.objects.update_or_create(
            statement=statement,
            language=language,
            defaults={
                "text": cleaned,
                "source": StatementTranslation.Source(source),
                "provider": "",
                "reviewed": True,
                "translator": translator,
                "updated_at": timezone.now(),
            },
        )
        record(
            action="translate_statement",
            obj=statement,
            consultation=statement.conversation.consultation,
            summary={"language": language, "new": created, "source": source},
        )
    return translation


def add_seed_translations(*, statement: Statement, texts: dict[str, str]) -> None:
    """The organizers' own texts of a seed statement, in its conversation's languages (in
    the caller's transaction); an empty text is skipped."""
    for language, text in texts.items():
        if text.strip() and language != statement.language:
            translate_statement(
                statement=statement,
                language=language,
                text=text,
                source=StatementTranslation.Source.ORGANIZER,
            )


def missing_languages(statement: Statement) -> list[str]:
    """The conversation's languages the statement is neither written nor translated in."""
    have = set(statement.translations.values_list("language", flat=True)) | {statement.language}
    return [code for code in statement.conversation.languages if code not in have]


def machine_translate_statements(*, statements: Sequence[Statement], provider: Provider) -> int:
    """Machine translations of accepted `statements` into each language of their
    conversation they lack; never over a person's. One request per (source, target) pair
    and BATCH texts. Raises TranslationFailed (nothing of that pair is stored)."""
    accepted = [s for s in statements if s.status == Statement.Status.ACCEPTED]
    made = 0
    for target, group, texts in translate_missing(provider, accepted, missing_languages):
        made += _store_machine(group, target, texts, provider.name)
    return made


def _store_machine(
    statements: list[Statement], language: str, texts: list[str], provider: str
) -> int:
    rows = [
        StatementTranslation(
            statement=statement,
            language=language,
            text=text[: statement.conversation.statement_max_length * LENGTH_ALLOWANCE],
            source=StatementTranslation.Source.MACHINE,
            provider=provider,
            reviewed=False,
        )
        for statement, text in zip(statements, texts, strict=True)
    ]
    with transaction.atomic():
        # A person's translation saved meanwhile wins: conflicts are left as they are.
        StatementTranslation.objects.bulk_create(rows, ignore_conflicts=True)
        record(
            action="machine_translate_statements",
            consultation=statements[0].conversation.consultation,
            summary={"language": language, "statements": len(rows), "provider": provider},
        )
    return len(rows)


def _checked(statement: Statement, language: str, text: str) -> str:
    conversation = statement.conversation
    if language not in conversation.languages:
        raise Refused("language", _("This conversation is not offered in that language."))
    if language == statement.language:
        raise Refused("language", _("This statement was written in that language."))
    cleaned = statement_text.clean(text)
    if not cleaned:
        raise Refused("empty", _("Write the translation first."))
    limit = conversation.statement_max_length * LENGTH_ALLOWANCE
    if len(cleaned) > limit:
        message = _("Keep it to %(max)d characters; this has %(length)d.")
        raise Refused("too_long", message % {"max": limit, "length": len(cleaned)})
    return cleaned
