"""The translators' queue in the back office: a conversation and a language, then the
oldest accepted statements without a person's translation into it, the original beside
each box, a machine's suggestion in it when there is one (a stored machine translation, or
the configured provider's answer, not stored until a person saves it)."""

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from globaldialogue.consultations import access as roles
from globaldialogue.consultations.permissions import Phase
from globaldialogue.deliberation import access, translation_actions
from globaldialogue.deliberation.models import Conversation, Statement
from globaldialogue.lib import machine_translation
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.languages import name_for_reader

QUEUE_LENGTH = 20  # statements per page of the queue
TEMPLATE = "admin/deliberation/statement/translation_queue.html"
ACTION = "statement.translate"


def translation_queue(model_admin: Any, request: HttpRequest) -> HttpResponse:
    conversations = _translatable(request)
    conversation = _chosen(conversations, request)
    language = request.GET.get("language", "")
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Translate statements",
        "choices": [(c, _counts(c)) for c in conversations] if conversation is None else [],
    }
    if conversation is None or language not in conversation.languages:
        return TemplateResponse(request, TEMPLATE, context)
    errors: dict[int, str] = {}
    if request.method == "POST":
        errors = _save(request, conversation, language)
        if not errors:
            return HttpResponseRedirect(_here(conversation, language), status=303)
    statements = access.translation_queue(conversation, language, limit=QUEUE_LENGTH)
    context.update(
        conversation=conversation,
        language=language,
        language_name=name_for_reader(language),
        rows=_rows(request, statements, language, errors),
        waiting=access.waiting_for_translation(conversation)[language],
    )
    return TemplateResponse(request, TEMPLATE, context)


def _translatable(request: HttpRequest) -> list[Conversation]:
    """The conversations whose statements the user may translate now."""
    ids = roles.consultation_ids(request.user, ACTION)
    found = Conversation.objects.select_related("consultation").order_by("slug")
    found = found if ids is None else found.filter(consultation_id__in=ids)
    return [c for c in found if roles.may(request.user, ACTION, c.consultation_id, Phase(c.status))]


def _chosen(conversations: list[Conversation], request: HttpRequest) -> Conversation | None:
    wanted = request.GET.get("conversation", "")
    return next((c for c in conversations if str(c.pk) == wanted), None)


def _counts(conversation: Conversation) -> list[tuple[str, str, int]]:
    waiting = access.waiting_for_translation(conversation)
    return [(code, name_for_reader(code), waiting[code]) for code in conversation.languages]


def _here(conversation: Conversation, language: str) -> str:
    query = urlencode({"conversation": conversation.pk, "language": language})
    return f"{_url()}?{query}"


def _url() -> str:
    return reverse("admin:deliberation_statement_translate")


def _save(request: HttpRequest, conversation: Conversation, language: str) -> dict[int, str]:
    """Every filled box at once, or none (each refusal is shown beside its box)."""
    typed = _typed(request)
    statements = Statement.objects.filter(conversation=conversation, pk__in=list(typed))
    if len(statements) != len(typed):
        raise PermissionDenied("A statement of another conversation was sent.")
    errors: dict[int, str] = {}
    with transaction.atomic():
        for statement in statements:
            try:
                translation_actions.translate_statement(
                    statement=statement,
                    language=language,
                    text=typed[statement.pk],
                    translator=request.user,  # type: ignore[arg-type]
                )
            except Refused as refused:
                errors[statement.pk] = refused.message
        if errors:
            transaction.set_rollback(True)
    if not errors and typed:
        messages.success(request, f"{len(typed)} translations saved.")
    return errors


def _typed(request: HttpRequest) -> dict[int, str]:
    """Statement id -> the text typed in its box, for the boxes not left empty."""
    typed = {}
    for name in request.POST:
        value = str(request.POST.get(name, ""))
        if name.startswith("text_") and name[5:].isdigit() and value.strip():
            typed[int(name[5:])] = value
    return typed


def _rows(
    request: HttpRequest, statements: list[Statement], language: str, errors: dict[int, str]
) -> list[dict[str, Any]]:
    suggested = _suggestions(request, [s for s in statements if not s.machine_text], language)  # type: ignore[attr-defined]
    rows = []
    for statement in statements:
        machine = statement.machine_text or suggested.get(statement.pk, "")  # type: ignore[attr-defined]
        rows.append(
            {
                "statement": statement,
                "original_name": name_for_reader(statement.language),
                "machine": machine,
                "text": request.POST.get(f"text_{statement.pk}", machine) if errors else machine,
                "error": errors.get(statement.pk, ""),
            }
        )
    return rows


def _suggestions(
    request: HttpRequest, statements: list[Statement], language: str
) -> dict[int, str]:
    """The provider's translations of `statements` (none without a provider, or if it
    fails: the page says so and the boxes stay empty)."""
    provider = machine_translation.configured()
    if provider is None or not statements:
        return {}
    by_source: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_source[statement.language].append(statement)
    found: dict[int, str] = {}
    try:
        for source, group in by_source.items():
            texts = machine_translation.translate_all(
                provider, [s.text for s in group], source=source, target=language
            )
            found.update({s.pk: text for s, text in zip(group, texts, strict=True)})
    except machine_translation.TranslationFailed:
        messages.warning(
            request, "The machine translation service did not answer; no suggestions this time."
        )
    return found
