"""Back office: conversations, and the moderation queue of statements."""

from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.permissions import Phase
from globaldialogue.deliberation import access, actions
from globaldialogue.deliberation.admin_translation import translation_queue
from globaldialogue.deliberation.identity import xid_signature
from globaldialogue.deliberation.models import Conversation, Statement
from globaldialogue.deliberation.moderation import attach_hints
from globaldialogue.lib.admin_forms import LanguageListField, TranslatedAdmin, default_languages


class ConversationForm(forms.ModelForm):
    languages = LanguageListField(help_text="Language codes, the default first: en, fr, ar.")

    class Meta:
        model = Conversation
        # The action's fields; topic and description are edited per language (TranslatedAdmin).
        fields = [f for f in actions.CONVERSATION_FIELDS if f not in ("topic", "description")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("topic") == {}:  # joined from its languages by TranslatedMixin.clean
            self.add_error(None, "Write the topic in at least one language.")
        return cleaned


@admin.register(Conversation)
class ConversationAdmin(RoleAdmin, TranslatedAdmin):
    list_display = ["slug", "__str__", "consultation", "moderation", "status"]
    list_filter = ["status", "moderation", "consultation"]
    search_fields = ["slug"]
    base_form = ConversationForm
    translated = ("topic", "description")
    readonly_fields = ["embedding", "translation"]
    actions = ["rotate_embed_secret", "replace_leaked_secret"]
    subject = "conversation"

    def phase_of(self, obj: Conversation) -> Phase:
        return Phase(obj.status)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is None:
            return fields
        return [*fields, *(f for f in ("embedding", "translation") if f not in fields)]

    @admin.display(description="Translation queue")
    def translation(self, conversation: Conversation) -> str:
        """Per language, how many accepted statements wait for a person's translation."""
        url = reverse("admin:deliberation_statement_translate")
        waiting = access.waiting_for_translation(conversation)
        return format_html_join(
            " · ",
            '<a href="{}?scope={}&amp;language={}">{}: {} waiting</a>',
            ((url, conversation.pk, code, code, n) for code, n in waiting.items()),
        )

    @admin.display(description="Embedding for partners")
    def embedding(self, conversation: Conversation) -> str:
        """The secret partners sign ids with, and a signed link to try (docs/embedding.md)."""
        example = xid_signature(conversation, "example-42")
        link = f"/c/{conversation.slug}/?xid=example-42&xid_sig={example}"
        return format_html(
            "Secret: <code>{}</code><br>A partner's link for its user <code>example-42</code>: "
            '<a href="{}">{}</a><br>xid_sig = hex HMAC-SHA256 of "{}:" + xid under the secret. '
            'To change the secret, use an action "Make new embed secrets".',
            conversation.embed_secret,
            link,
            link,
            conversation.slug,
        )

    @admin.action(
        description="Make new embed secrets (the old ones count a while more)",
        permissions=["rotate_secret"],
    )
    def rotate_embed_secret(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> None:
        for conversation in queryset:
            actions.rotate_embed_secret(conversation=conversation)
        hours = settings.EMBED_SECRET_OVERLAP_HOURS
        messages.success(
            request,
            f"New secrets made; give them to the partners who embed. Ids signed with the old "
            f"ones count for {hours} hours more.",
        )

    @admin.action(
        description="Make new embed secrets and stop the old ones now (a leaked secret)",
        permissions=["rotate_secret"],
    )
    def replace_leaked_secret(self, request: HttpRequest, queryset: QuerySet[Conversation]) -> None:
        for conversation in queryset:
            actions.rotate_embed_secret(conversation=conversation, overlap=False)
        messages.success(request, "New secrets made; ids signed with the old ones count no more.")

    def save_model(self, request: HttpRequest, obj: Conversation, form: Any, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in actions.CONVERSATION_FIELDS}
        actions.update_conversation(conversation=obj, **changes)

    def delete_with_action(self, request: HttpRequest, obj: Conversation) -> None:
        actions.delete_conversation(conversation=obj)


class SeedFormBase(forms.ModelForm):
    """A seed statement, and its text in each other language the conversation offers."""

    class Meta:
        model = Statement
        fields = ["conversation", "text", "language"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        conversation, language = cleaned.get("conversation"), cleaned.get("language")
        texts = {
            name.removeprefix(TRANSLATION): text
            for name, text in cleaned.items()
            if name.startswith(TRANSLATION) and text
        }
        for code in texts:
            if conversation is not None and code not in conversation.languages:
                self.add_error(TRANSLATION + code, "The conversation is not in this language.")
            if code == language:
                self.add_error(TRANSLATION + code, "This is the statement's own language.")
        cleaned["translations"] = texts
        return cleaned


TRANSLATION = "translation__"  # the seed form's field per language: translation__fr
SeedForm = type(
    "SeedForm",
    (SeedFormBase,),
    {
        TRANSLATION + code: forms.CharField(
            label=f"In {code}",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, "lang": code, "dir": "auto"}),
            help_text="Enter the seed in every language of the conversation; those left "
            "empty go to the translators' queue.",
        )
        for code in default_languages()
    },
)


@admin.register(Statement)
class StatementAdmin(RoleAdmin):
    """The moderation queue: filter by status, then accept, reject or mark as meta. Adding
    here writes a seed statement; statements are rejected, never deleted."""

    list_display = [
        "text",
        "hints",
        "conversation",
        "status",
        "is_meta",
        "is_seed",
        "votes_count",
        "created_at",
    ]
    list_filter = ["status", "is_meta", "is_seed", "conversation"]
    ordering = ["-created_at"]  # what came in last is what waits for a moderator
    search_fields = ["text"]
    list_select_related = ["conversation"]
    actions = ["accept", "reject", "mark_meta"]
    form = SeedForm
    readonly_fields = ["translations"]
    subject = "statement"
    consultation_path = "conversation__consultation"

    def phase_of(self, obj: Statement) -> Phase:
        return Phase(obj.conversation.status)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Statement]:
        return super().get_queryset(request).annotate(votes_total=Count("votes"))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Adding: the seed in each language. Viewing: its translations as stored."""
        fields = super().get_fields(request, obj)
        if obj is None:
            return [f for f in fields if f != "translations"]
        return [f for f in fields if not str(f).startswith(TRANSLATION)]

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        # The page's rows, evaluated once here and reused by the template.
        attach_hints(list(changelist.result_list))
        return changelist

    @admin.display(description="Hints")
    def hints(self, statement: Any) -> str:
        """Possible duplicates, spam and abuse signs, floods (moderation.py)."""
        return "; ".join(getattr(statement, "moderation_hints", ())) or "-"

    @admin.display(description="Votes", ordering="votes_total")
    def votes_count(self, statement: Any) -> int:
        return int(statement.votes_total)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Statements are participants' words: moderators accept or reject, never edit.
        return obj is None and self.may(request, "change")

    def get_urls(self) -> list[Any]:
        queue = self.admin_site.admin_view(partial(translation_queue, self))
        found = path("translate/", queue, name="deliberation_statement_translate")
        return [found, *super().get_urls()]

    @admin.display(description="Translations")
    def translations(self, statement: Statement) -> str:
        rows = statement.translations.all()
        lines = ((t.language, t.language, t.text, t.get_source_display()) for t in rows)
        return format_html_join("", '<div lang="{}" dir="auto">{}: {} ({})</div>', lines) or "-"

    def save_model(self, request: HttpRequest, obj: Statement, form: Any, change: bool) -> None:
        """Adding here writes a seed statement (the organizers' own)."""
        try:
            seed = actions.seed_statement(
                conversation=obj.conversation,
                text=obj.text,
                language=obj.language,
                translations=form.cleaned_data.get("translations", {}),
            )
        except actions.Refused as refused:
            messages.error(request, refused.message)
            return
        obj.pk, obj.status, obj.is_seed, obj.normalized = (
            seed.pk,
            seed.status,
            True,
            seed.normalized,
        )
        obj._state.adding = False

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Statement], **change: Any) -> None:
        for statement in queryset:
            actions.moderate_statement(statement=statement, **change)
        messages.success(request, f"{queryset.count()} statements updated.")

    @admin.action(description="Accept (show and open for votes)", permissions=["moderate"])
    def accept(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._moderate(request, queryset, status=Statement.Status.ACCEPTED)

    @admin.action(description="Reject (hide)", permissions=["moderate"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._moderate(request, queryset, status=Statement.Status.REJECTED)

    @admin.action(
        description="Mark as meta (kept out of the opinion map)", permissions=["moderate"]
    )
    def mark_meta(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._moderate(request, queryset, status=Statement.Status.ACCEPTED, is_meta=True)
