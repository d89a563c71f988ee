"""The translators' queue in the back office, one page for every kind of text others read:
choose where (a conversation, a consultation) and the language to translate into, then the
oldest texts without a person's translation into it, the original beside each box, a
machine's suggestion in it when there is one (a stored machine translation, or the
configured provider's answer, not stored until a person saves it). All boxes are saved, or
none. An app supplies a Queue (deliberation: statements; consultations: quotes and dialogue
reports); the page and its template are the same."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from globaldialogue.lib import machine_translation
from globaldialogue.lib.errors import Refused
from globaldialogue.lib.languages import name_for_reader

QUEUE_LENGTH = 20  # texts per page of the queue
TEMPLATE = "admin/translation_queue.html"


@dataclass(frozen=True)
class Waiting:
    """A text waiting for a person's translation."""

    pk: int
    language: str
    text: str
    detail: str  # what it is and when it came, for the help line
    machine: str = ""  # a stored machine translation into the queue's language


class Queue:
    """Where texts wait (`Scope`: anything with a pk and a str) and how they are saved."""

    title = "Translate"
    url_name = ""  # the admin URL name of the page
    scope_name = "place"  # what a scope is, for the page: "conversation", "consultation"

    def scopes(self, request: HttpRequest) -> list[Any]:
        raise NotImplementedError

    def languages(self, scope: Any) -> list[str]:
        raise NotImplementedError

    def waiting(self, scope: Any) -> dict[str, int]:
        raise NotImplementedError

    def oldest(self, scope: Any, language: str, limit: int) -> list[Waiting]:
        raise NotImplementedError

    def save(self, scope: Any, typed: dict[int, str], language: str, user: Any) -> dict[int, str]:
        """Store every typed text (pk -> text) or raise PermissionDenied for a pk outside
        `scope`; return pk -> the refusal's message for those refused."""
        raise NotImplementedError


def queue_page(queue: Queue, model_admin: Any, request: HttpRequest) -> HttpResponse:
    scopes = queue.scopes(request)
    scope = next((s for s in scopes if str(s.pk) == request.GET.get("scope", "")), None)
    language = request.GET.get("language", "")
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": queue.title,
        "scope_name": queue.scope_name,
        "url": reverse(queue.url_name),
        "choices": [(s, _counts(queue, s)) for s in scopes] if scope is None else [],
    }
    if scope is None or language not in queue.languages(scope):
        return TemplateResponse(request, TEMPLATE, context)
    errors: dict[int, str] = {}
    if request.method == "POST":
        errors = _save(queue, request, scope, language)
        if not errors:
            return HttpResponseRedirect(_here(queue, scope, language), status=303)
    waiting = queue.oldest(scope, language, QUEUE_LENGTH)
    context.update(
        scope=scope,
        language=language,
        language_name=name_for_reader(language),
        rows=_rows(request, waiting, language, errors),
        waiting=queue.waiting(scope)[language],
    )
    return TemplateResponse(request, TEMPLATE, context)


def each_refused(save: Any, items: Sequence[tuple[int, Any]]) -> dict[int, str]:
    """Call save(item) for each (pk, item) in one transaction, rolled back if any is
    refused: pk -> the refusal's message."""
    errors: dict[int, str] = {}
    with transaction.atomic():
        for pk, item in items:
            try:
                save(item)
            except Refused as refused:
                errors[pk] = refused.message
        if errors:
            transaction.set_rollback(True)
    return errors


def _counts(queue: Queue, scope: Any) -> list[tuple[str, str, int]]:
    waiting = queue.waiting(scope)
    return [(code, name_for_reader(code), waiting[code]) for code in queue.languages(scope)]


def _here(queue: Queue, scope: Any, language: str) -> str:
    return f"{reverse(queue.url_name)}?{urlencode({'scope': scope.pk, 'language': language})}"


def _save(queue: Queue, request: HttpRequest, scope: Any, language: str) -> dict[int, str]:
    typed = _typed(request)
    errors = queue.save(scope, typed, language, request.user)
    if not errors and typed:
        messages.success(request, f"{len(typed)} translations saved.")
    return errors


def _typed(request: HttpRequest) -> dict[int, str]:
    """Text id -> the text typed in its box, for the boxes not left empty."""
    typed = {}
    for name in request.POST:
        value = str(request.POST.get(name, ""))
        if name.startswith("text_") and name[5:].isdigit() and value.strip():
            typed[int(name[5:])] = value
    return typed


def _rows(
    request: HttpRequest, waiting: list[Waiting], language: str, errors: dict[int, str]
) -> list[dict[str, Any]]:
    suggested = _suggestions(request, [w for w in waiting if not w.machine], language)
    rows = []
    for item in waiting:
        machine = item.machine or suggested.get(item.pk, "")
        rows.append(
            {
                "item": item,
                "original_name": name_for_reader(item.language),
                "machine": machine,
                "text": request.POST.get(f"text_{item.pk}", machine) if errors else machine,
                "error": errors.get(item.pk, ""),
            }
        )
    return rows


def _suggestions(request: HttpRequest, waiting: list[Waiting], language: str) -> dict[int, str]:
    """The provider's translations (none without a provider, or if it fails: the page says
    so and the boxes stay empty)."""
    provider = machine_translation.configured()
    if provider is None or not waiting:
        return {}
    by_source: dict[str, list[Waiting]] = defaultdict(list)
    for item in waiting:
        by_source[item.language].append(item)
    found: dict[int, str] = {}
    try:
        for source, group in by_source.items():
            texts = machine_translation.translate_all(
                provider, [w.text for w in group], source=source, target=language
            )
            found.update({w.pk: text for w, text in zip(group, texts, strict=True)})
    except machine_translation.TranslationFailed:
        messages.warning(
            request, "The machine translation service did not answer; no suggestions this time."
        )
    return found
