from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from globaldialogue.consultations import access, actions
from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.models import Consultation, Organization
from globaldialogue.consultations.permissions import RUNS
from globaldialogue.lib.admin_forms import ActionAdmin, LanguageListField, TranslatedAdmin


class ConsultationForm(forms.ModelForm):
    languages = LanguageListField(help_text="Language codes, the default first: en, fr, ar.")

    class Meta:
        model = Consultation
        fields = ["organization", "slug", "languages", "age_bands"]

    def clean_age_bands(self) -> list[dict[str, Any]]:
        bands = self.cleaned_data.get("age_bands") or []
        shaped = isinstance(bands, list) and all(
            isinstance(b, dict)
            and str(b.get("key", "")).strip()
            and isinstance(b.get("label"), dict)
            for b in bands
        )
        if not shaped:
            raise forms.ValidationError(
                'Write the age groups as [{"key": "16_30", "label": {"en": "16–30"}}, ...], '
                "or leave it empty for the platform's."
            )
        return list(bands)


@admin.register(Consultation)
class ConsultationAdmin(RoleAdmin, TranslatedAdmin):
    list_display = ["slug", "__str__", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["slug"]
    base_form = ConsultationForm
    translated = ("title",)
    subject = "consultation"
    consultation_path = "pk"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """New consultations come from those who run an organization."""
        return access.organizations_run_by(request.user, RUNS).exists()

    def may_save(self, request: HttpRequest, obj: Consultation, change: bool) -> bool:
        if change:
            return super().may_save(request, obj, change)
        running = access.organizations_run_by(request.user, RUNS)
        return running.filter(pk=obj.organization_id).exists()

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "organization":
            kwargs["queryset"] = access.organizations_run_by(request.user, RUNS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "organization" in form.base_fields:
            form.base_fields["organization"].disabled = not access.is_operator(
                request.user
            )  # moving it is the operator's
        return form

    def save_model(self, request: HttpRequest, obj: Consultation, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actions.update_consultation(
            consultation=obj,
            slug=data["slug"],
            title=data["title"],
            languages=data["languages"],
            age_bands=data["age_bands"],
            organization=data["organization"],
        )

    def delete_with_action(self, request: HttpRequest, obj: Consultation) -> None:
        actions.delete_consultation(consultation=obj)


@admin.register(Organization)
class OrganizationAdmin(ActionAdmin):
    """Organizations are made by operators; their owners then grant roles (Memberships)."""

    list_display = ["name", "slug", "created_at"]
    fields = ["slug", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["slug"] if obj is not None else []  # the slug names it: renaming keeps it

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_operator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.is_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_operator(request.user)

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        saved = actions.save_organization(slug=obj.slug, name=obj.name)
        obj.pk, obj._state.adding = saved.pk, False


# Registers their admins.
from globaldialogue.consultations import admin_people, admin_translation  # noqa: E402, F401
