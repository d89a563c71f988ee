"""The translators' queue for what else others read (lib.translation_queue's page): a
consultation and a language, then the oldest published quotes and dialogue report texts
without a person's translation; and the back office list of those texts."""

from functools import partial
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.html import format_html_join

from globaldialogue.consultations import access, translation_actions
from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.models import Consultation, TranslatableText
from globaldialogue.lib.translation_queue import Queue, Waiting, each_refused, queue_page

ACTION = "translatabletext.translate"


class TextQueue(Queue):
    title = "Translate quotes and dialogue reports"
    url_name = "admin:consultations_translatabletext_translate"
    scope_name = "consultation"

    def scopes(self, request: HttpRequest) -> list[Consultation]:
        """The consultations whose texts the user may translate."""
        ids = access.consultation_ids(request.user, ACTION)
        found = Consultation.objects.order_by("slug")
        return list(found if ids is None else found.filter(pk__in=ids))

    def languages(self, scope: Consultation) -> list[str]:
        return access.text_languages(scope)

    def waiting(self, scope: Consultation) -> dict[str, int]:
        return access.texts_waiting(scope)

    def oldest(self, scope: Consultation, language: str, limit: int) -> list[Waiting]:
        return [
            Waiting(t.pk, t.language, t.text, _detail(t), t.machine_text)  # type: ignore[attr-defined]
            for t in access.text_queue(scope, language, limit=limit)
        ]

    def save(
        self, scope: Consultation, typed: dict[int, str], language: str, user: Any
    ) -> dict[int, str]:
        texts = TranslatableText.objects.filter(consultation=scope, pk__in=list(typed))
        if len(texts) != len(typed):
            raise PermissionDenied("A text of another consultation was sent.")
        return each_refused(
            lambda original: translation_actions.translate_text(
                original=original, language=language, text=typed[original.pk], translator=user
            ),
            [(t.pk, t) for t in texts],
        )


def _detail(text: TranslatableText) -> str:
    return f"{text.get_kind_display()} · {text.offered_at:%Y-%m-%d}"


@admin.register(TranslatableText)
class TranslatableTextAdmin(RoleAdmin):
    subject = "translatabletext"
    list_display = ["text", "kind", "language", "into", "offered_at"]
    list_filter = ["kind", "language", "consultation"]
    search_fields = ["text"]
    fields = readonly_fields = ("consultation", "kind", "language", "text", "into", "translations")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # offered by the actions that publish them

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # translated in the queue

    def only_translates(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Into")
    def into(self, text: TranslatableText) -> str:
        return ", ".join(text.languages)

    @admin.display(description="Translations")
    def translations(self, text: TranslatableText) -> str:
        rows = text.translations.all()
        lines = ((t.language, t.language, t.text, t.get_source_display()) for t in rows)
        return format_html_join("", '<div lang="{}" dir="auto">{}: {} ({})</div>', lines) or "-"

    def get_urls(self) -> list[Any]:
        queue = self.admin_site.admin_view(partial(translation_queue, self))
        found = path("translate/", queue, name="consultations_translatabletext_translate")
        return [found, *super().get_urls()]


def translation_queue(model_admin: Any, request: HttpRequest) -> HttpResponse:
    return queue_page(TextQueue(), model_admin, request)
