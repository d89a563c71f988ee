"""The permission table in the back office: every admin of a consultation's things mixes in
RoleAdmin, so what a person sees (querysets), may open, change, add and delete, and which
actions they may run on which objects, is what consultations.permissions.TABLE says for
their roles and the object's phase. Django's per-model permissions play no part.

Each admin names its `subject` (the table's rows "<subject>.<verb>"), the ORM path from its
model to the consultation, and how to read an object's phase. Every admin action declares
the verbs it needs (`@admin.action(permissions=[...])`): it is offered to those who may do
it somewhere, and runs only on the selected objects they may do it to.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from globaldialogue.consultations import access
from globaldialogue.consultations.permissions import TABLE, Phase
from globaldialogue.lib.admin_forms import (
    ALL_LANGUAGES,
    ActionAdmin,
    shown_in_all_languages,
    texts_only,
)


class RoleAdmin(ActionAdmin):
    subject: str = ""
    consultation_path: str = "consultation"  # e.g. "survey__consultation"; "pk" for itself

    def phase_of(self, obj: Any) -> Phase:
        """The phase of the object acted on (override where it has one)."""
        return Phase.OPEN

    def consultation_id_of(self, obj: Any) -> int | None:
        *hops, last = self.consultation_path.split("__")
        for hop in hops:
            obj = getattr(obj, hop)
        return obj.pk if last == "pk" else getattr(obj, f"{last}_id")

    def may(self, request: HttpRequest, verb: str, obj: Any = None) -> bool:
        """Whether the user may do `verb` to `obj`, or (without one) to something somewhere."""
        action = f"{self.subject}.{verb}"
        if access.is_operator(request.user):
            return True
        if obj is None:
            return access.may_somewhere(request.user, action)
        phase = self.phase_of(obj)
        return access.may(request.user, action, self.consultation_id_of(obj), phase)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        ids = access.consultation_ids(request.user, f"{self.subject}.view")
        return (
            queryset if ids is None else queryset.filter(**{self.consultation_path + "__in": ids})
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.may(request, "view")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "view", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "change", obj) or self.only_translates(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        deletes = type(self).delete_with_action is not ActionAdmin.delete_with_action
        return deletes and self.may(request, "delete", obj)

    def may_save(self, request: HttpRequest, obj: Any, change: bool) -> bool:
        """Whether the object as the form left it may be saved (a new one: made where it
        is, in its phase)."""
        return (
            self.has_change_permission(request, obj) if change else self.may(request, "change", obj)
        )

    def save_form(self, request: Any, form: Any, change: bool) -> Any:
        """The last check before any write: the object's consultation and phase as chosen
        on the form (a form's choices are not a guard: a request can send any id)."""
        obj = super().save_form(request, form, change)
        if not self.may_save(request, obj, change):
            raise PermissionDenied(
                f"Your role does not allow this {self.subject} here, or not now."
            )
        return obj

    def only_translates(self, request: HttpRequest, obj: Any) -> bool:
        """Whether the user may change only the texts of `obj` (a translator)."""
        if f"{self.subject}.translate" not in TABLE or obj is None:
            return False
        return not self.may(request, "change", obj) and self.may(request, "translate", obj)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return texts_only(form) if self.only_translates(request, obj) else form

    def __getattr__(self, name: str) -> Any:
        """has_<verb>_permission for each verb an action declares (Django asks for these)."""
        verb = name.removeprefix("has_").removesuffix("_permission")
        if name.startswith("has_") and name.endswith("_permission") and verb:
            return lambda request: self.may(request, verb)
        return super().__getattr__(name)  # type: ignore[misc]  # TranslatedAdmin's, or none

    def get_action(self, action: Any) -> Any:
        found = super().get_action(action)
        if found is None:
            return None
        function, name, description = found
        verbs = getattr(function, "allowed_permissions", ())
        return _on_permitted(function, verbs), name, description

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        """A new object goes only where the user may make it."""
        if db_field.name == "consultation" and db_field.related_model._meta.label_lower == (
            "consultations.consultation"
        ):
            verbs = [v for v in ("change", "translate") if f"{self.subject}.{v}" in TABLE]
            actions = [f"{self.subject}.{verb}" for verb in verbs]
            kwargs["queryset"] = access.consultations_for(request.user, *actions)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _on_permitted(function: Callable[..., Any], verbs: tuple[str, ...]) -> Callable[..., Any]:
    """The action, run only on the selected objects whose phase and consultation let the
    user do every one of `verbs`; it says how many it left out."""

    @functools.wraps(function)
    def guarded(model_admin: RoleAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if access.is_operator(request.user):
            return function(model_admin, request, queryset)
        chosen = list(queryset)
        allowed = [o.pk for o in chosen if all(model_admin.may(request, v, o) for v in verbs)]
        if len(allowed) < len(chosen):
            messages.warning(request, _left_out(len(chosen) - len(allowed)))
        if not allowed:
            return None
        return function(model_admin, request, queryset.filter(pk__in=allowed))

    return guarded


def _left_out(count: int) -> str:
    things = "item was" if count == 1 else "items were"
    return f"{count} selected {things} left out: your role does not allow this there, or not now."


class RoleInline(admin.options.InlineModelAdmin):
    """An inline follows its page: seen by who may see the object, changed by who may change
    it (a translator changes the texts of existing rows only)."""

    def _parent(self) -> RoleAdmin:
        parent = self.admin_site._registry[self.parent_model]
        assert isinstance(parent, RoleAdmin)
        return parent

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent().may(request, "view", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent().may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.can_delete and self._parent().may(request, "change", obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """Read only: each text as stored, all languages at once (the per-language boxes
        are form fields, which a page that only shows has none of)."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        shown: list[str] = []
        for _name, options in fieldsets:
            for entry in options["fields"]:
                for name in entry if isinstance(entry, list | tuple) else [entry]:
                    stored = name.split("__")[0]
                    if stored != name:  # a text per language: all of them, at once
                        stored += ALL_LANGUAGES
                    if stored not in shown and _stored_field(self.model, stored):
                        shown.append(stored)
        return [(None, {"fields": shown})]

    def __getattr__(self, name: str) -> Any:
        return shown_in_all_languages(name)

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        if self._parent().only_translates(request, obj):
            formset.form = texts_only(formset.form)  # type: ignore[assignment]
        return formset


def _stored_field(model: Any, name: str) -> bool:
    try:
        return bool(model._meta.get_field(name.removesuffix(ALL_LANGUAGES)).concrete)
    except FieldDoesNotExist:
        return False
