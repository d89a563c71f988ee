"""The audit trail in the back office: read only, newest first."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from globaldialogue.audit.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "actor_kind", "action", "object", "consultation"]
    list_filter = ["action", "actor_kind", "consultation"]
    search_fields = ["actor", "object", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
