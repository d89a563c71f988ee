from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from globaldialogue.accounts import actions
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.consultations import access
from globaldialogue.consultations.admin_roles import RoleAdmin


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Within the key's consultation, or every consultation if none is chosen.",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "consultation", "scopes"]


@admin.register(ApiKey)
class ApiKeyAdmin(RoleAdmin):
    """Keys are made, renamed and revoked here; never deleted (a revoked key stays on record).
    A key for every consultation is the operators' to make."""

    form = ApiKeyForm
    list_display = ["name", "prefix", "consultation", "scope_list", "created_at", "revoked_at"]
    list_filter = ["consultation"]
    fields = ["name", "consultation", "scopes", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = ["revoke"]
    subject = "apikey"

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if "consultation" in form.base_fields and not access.is_operator(request.user):
            form.base_fields["consultation"].required = True
            form.base_fields["consultation"].empty_label = None
        return form

    @admin.display(description="May")
    def scope_list(self, key: ApiKey) -> str:
        return ", ".join(key.scopes) or "-"

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        scopes = form.cleaned_data["scopes"]
        if change:
            actions.update_api_key(
                key=obj, name=obj.name, consultation=obj.consultation, scopes=scopes
            )
            return
        key, secret = actions.create_api_key(
            name=obj.name, consultation=obj.consultation, scopes=scopes
        )
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
        obj._state.adding = False
        request.new_key_secret = secret  # type: ignore[attr-defined]  # for response_add

    def response_add(self, request: HttpRequest, obj: ApiKey, post_url_continue: Any = None) -> Any:
        """The new key on this page, once: not in a message, which would carry it in a
        cookie, and not cached."""
        secret = getattr(request, "new_key_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "key": obj, "secret": secret}
        context["title"] = "Copy the new key now"
        response = TemplateResponse(request, "admin/accounts/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset.filter(revoked_at=None):
            actions.revoke_api_key(key=key)
        messages.success(request, "Revoked.")
