from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from globaldialogue.accounts import actions
from globaldialogue.accounts.models import ApiKey
from globaldialogue.lib.admin_forms import ActionAdmin


@admin.register(ApiKey)
class ApiKeyAdmin(ActionAdmin):
    """Keys are made, renamed and revoked here; never deleted (a revoked key stays on record)."""

    list_display = ["name", "prefix", "consultation", "created_at", "revoked_at"]
    list_filter = ["consultation"]
    fields = ["name", "consultation", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            actions.update_api_key(key=obj, name=obj.name, consultation=obj.consultation)
            return
        key, secret = actions.create_api_key(name=obj.name, consultation=obj.consultation)
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
        obj._state.adding = False
        messages.warning(request, f"Copy this key now; it is not shown again: {secret}")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset.filter(revoked_at=None):
            actions.revoke_api_key(key=key)
        messages.success(request, "Revoked.")
