from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from globaldialogue.accounts import actions
from globaldialogue.accounts.models import ApiKey, Scope
from globaldialogue.lib.admin_forms import ActionAdmin


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
class ApiKeyAdmin(ActionAdmin):
    """Keys are made, renamed and revoked here; never deleted (a revoked key stays on record)."""

    form = ApiKeyForm
    list_display = ["name", "prefix", "consultation", "scope_list", "created_at", "revoked_at"]
    list_filter = ["consultation"]
    fields = ["name", "consultation", "scopes", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

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
        messages.warning(request, f"Copy this key now; it is not shown again: {secret}")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset.filter(revoked_at=None):
            actions.revoke_api_key(key=key)
        messages.success(request, "Revoked.")
