"""The translators' queue for statements (lib.translation_queue's page): a conversation
and a language, then the oldest accepted statements without a person's translation."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from globaldialogue.consultations import access as roles
from globaldialogue.consultations.permissions import Phase
from globaldialogue.deliberation import access, translation_actions
from globaldialogue.deliberation.models import Conversation, Statement
from globaldialogue.lib.translation_queue import Queue, Waiting, each_refused, queue_page

ACTION = "statement.translate"


class StatementQueue(Queue):
    title = "Translate statements"
    url_name = "admin:deliberation_statement_translate"
    scope_name = "conversation"

    def scopes(self, request: HttpRequest) -> list[Conversation]:
        """The conversations whose statements the user may translate now."""
        ids = roles.consultation_ids(request.user, ACTION)
        found = Conversation.objects.select_related("consultation").order_by("slug")
        found = found if ids is None else found.filter(consultation_id__in=ids)
        return [
            c for c in found if roles.may(request.user, ACTION, c.consultation_id, Phase(c.status))
        ]

    def languages(self, scope: Conversation) -> list[str]:
        return list(scope.languages)

    def waiting(self, scope: Conversation) -> dict[str, int]:
        return access.waiting_for_translation(scope)

    def oldest(self, scope: Conversation, language: str, limit: int) -> list[Waiting]:
        return [
            Waiting(
                s.pk,
                s.language,
                s.text,
                f"{'seed · ' if s.is_seed else ''}{s.created_at:%Y-%m-%d %H:%M}",
                s.machine_text,  # type: ignore[attr-defined]
            )
            for s in access.translation_queue(scope, language, limit=limit)
        ]

    def save(
        self, scope: Conversation, typed: dict[int, str], language: str, user: Any
    ) -> dict[int, str]:
        statements = Statement.objects.filter(conversation=scope, pk__in=list(typed))
        if len(statements) != len(typed):
            raise PermissionDenied("A statement of another conversation was sent.")
        return each_refused(
            lambda statement: translation_actions.translate_statement(
                statement=statement, language=language, text=typed[statement.pk], translator=user
            ),
            [(s.pk, s) for s in statements],
        )


def translation_queue(model_admin: Any, request: HttpRequest) -> HttpResponse:
    return queue_page(StatementQueue(), model_admin, request)
