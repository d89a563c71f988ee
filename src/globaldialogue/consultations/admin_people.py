"""Who holds which role (granted and revoked by owners) and the audit trail (read by those
who run a consultation), in the back office."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from globaldialogue.audit.models import Entry
from globaldialogue.consultations import access, actions
from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.models import Consultation, Membership
from globaldialogue.consultations.permissions import OWNER, RUNS, Phase, Role


class MembershipForm(forms.ModelForm):
    username = forms.CharField(help_text="The person's user name (operators make accounts).")

    class Meta:
        model = Membership
        fields = ["role", "organization", "consultation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("organization")) == bool(data.get("consultation")):
            raise forms.ValidationError("Choose an organization or a consultation, not both.")
        users = get_user_model().objects
        data["user"] = users.filter(username=data.get("username", "")).first()
        if data["user"] is None:
            self.add_error("username", "No one has this user name.")
        return data


@admin.register(Membership)
class MembershipAdmin(RoleAdmin):
    """Roles are granted and revoked, never edited: revoke and grant another."""

    form = MembershipForm
    list_display = ["user", "role", "organization", "consultation", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    subject = "membership"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        queryset = admin.ModelAdmin.get_queryset(self, request).select_related("user")
        ids = access.consultation_ids(request.user, "membership.view")
        if ids is None:
            return queryset
        run = access.organizations_run_by(request.user, RUNS)
        return queryset.filter(Q(consultation__in=ids) | Q(organization__in=run))

    def may(self, request: HttpRequest, verb: str, obj: Any = None) -> bool:
        if obj is None or obj.consultation_id is not None:
            return super().may(request, verb, obj)
        roles = (OWNER,) if verb != "view" else RUNS  # on an organization: its own owners
        return (
            access.organizations_run_by(request.user, roles).filter(pk=obj.organization_id).exists()
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return (
            self.may(request, "change")
            or access.organizations_run_by(request.user, (OWNER,)).exists()
        )

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "organization":
            kwargs["queryset"] = access.organizations_run_by(request.user, (OWNER,))
        if db_field.name == "consultation":
            kwargs["queryset"] = access.consultations_for(request.user, "membership.change")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        data = form.cleaned_data
        granted = actions.grant_role(
            user=data["user"],
            role=Role(data["role"]),
            organization=data.get("organization"),
            consultation=data.get("consultation"),
        )
        obj.pk, obj.user, obj._state.adding = granted.pk, granted.user, False

    def delete_with_action(self, request: HttpRequest, obj: Membership) -> None:
        actions.revoke_role(membership=obj)


@admin.register(Entry)
class EntryAdmin(RoleAdmin):
    """The audit trail, read only, newest first: a consultation's for those who run it."""

    list_display = ["at", "actor", "actor_kind", "role", "action", "object", "consultation"]
    list_filter = ["action", "actor_kind", "consultation"]
    search_fields = ["actor", "object", "action"]
    date_hierarchy = "at"
    subject = "entry"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        ids = access.consultation_ids(request.user, "entry.view")
        if ids is None:
            return queryset
        slugs = Consultation.objects.filter(pk__in=ids).values_list("slug", flat=True)
        return queryset.filter(consultation__in=list(slugs))

    def may(self, request: HttpRequest, verb: str, obj: Any = None) -> bool:
        if obj is None:
            return super().may(request, verb)
        consultation = Consultation.objects.filter(slug=obj.consultation).first()
        cid = consultation.pk if consultation else None
        return access.may(request.user, f"entry.{verb}", cid, Phase.OPEN)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
