"""Back office: dialogue events with their agenda, registrations, and the groups formed."""

import zoneinfo
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from globaldialogue.consultations.admin_roles import RoleAdmin, RoleInline
from globaldialogue.consultations.permissions import Phase
from globaldialogue.dialogues import actions, rules, when
from globaldialogue.dialogues.admin_reports import GroupReportAdmin  # noqa: F401  registers
from globaldialogue.dialogues.models import (
    AgendaItem,
    DialogueGroup,
    Event,
    Registration,
    event_counts,
)
from globaldialogue.dialogues.reports import report_rows, reports_csv, reports_json
from globaldialogue.grouping import diversity, random_grouping
from globaldialogue.lib.admin_forms import (
    LanguageListField,
    TranslatedAdmin,
    languages_of,
    translated_form,
)


class EventForm(forms.ModelForm):
    languages = LanguageListField(help_text="Language codes, the default first: en, fr, ar.")

    class Meta:
        model = Event
        # The action's fields; title and description are edited per language (TranslatedAdmin).
        fields = [f for f in actions.EVENT_FIELDS if f not in ("title", "description")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "starts_at" not in self.fields:
            return  # read only (a role that may look, not change)
        self.fields["starts_at"].help_text = "In the event's own time zone (below)."
        if self.instance.pk:  # shown as the event's zone has it, not as UTC
            start = when.local(self.instance.starts_at, self.instance.time_zone)
            self.initial["starts_at"] = start.replace(tzinfo=None)

    def clean(self) -> dict[str, Any]:
        """The event rules (rules.py), each shown beside its field; the agenda's by
        AgendaFormSet. The title is here already (TranslatedMixin.clean joins it first)."""
        cleaned = super().clean() or {}
        _in_event_zone(cleaned)
        # A field missing here (invalid, or not on the form) has its own error, or none.
        fields = {name: cleaned.get(name) for name in rules.RULE_FIELDS}
        for field, problem in rules.event_problems(**fields).items():
            self.add_error(field if field in self.fields else None, problem)
        return cleaned


def _in_event_zone(cleaned: dict[str, Any]) -> None:
    """The start as typed is a time in the event's zone; the form read it in the site's."""
    start, zone = cleaned.get("starts_at"), cleaned.get("time_zone")
    if start is None or not zone or not rules.known_zone(zone):
        return
    typed = timezone.make_naive(start, timezone.get_current_timezone())
    cleaned["starts_at"] = timezone.make_aware(typed, zoneinfo.ZoneInfo(zone))


class AgendaFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        items = agenda_items(self)
        if not items:
            raise forms.ValidationError("An event needs its agenda: add at least one item.")
        if not all(item["title"] for item in items):
            raise forms.ValidationError("Give each agenda item a title in at least one language.")


def agenda_items(formset: Any) -> list[dict[str, Any]]:
    """The agenda as the inline holds it, in its order, without the items marked deleted."""
    kept = [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    kept.sort(key=lambda item: item.get("position") or 0)
    return [{"title": i["title"], "prompt": i.get("prompt"), "minutes": i["minutes"]} for i in kept]


class AgendaInline(RoleInline, admin.StackedInline):
    """The agenda, each item's title and prompt as one plain field per event language."""

    model = AgendaItem
    formset = AgendaFormSet
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        languages = languages_of(obj)
        kwargs["form"] = translated_form(forms.ModelForm, ["title", "prompt"], languages)
        kwargs["fields"] = self._fields(languages)
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._fields(languages_of(obj))

    @staticmethod
    def _fields(languages: list[str]) -> list[str]:
        texts = [f"{name}__{code}" for code in languages for name in ("title", "prompt")]
        return ["position", "minutes", *texts]


@admin.register(Event)
class EventAdmin(RoleAdmin, TranslatedAdmin):
    # The report-back rate comes before the counts: on a laptop beside the menu and the
    # filters, the last columns are scrolled out of view. The slug is searched, not shown.
    list_display = [
        "__str__",
        "starts_at",
        "status",
        "report_back",
        "registered",
        "groups_formed",
        "joined",
    ]
    list_filter = ["status", "registration", "consultation", "partner"]
    search_fields = ["slug"]
    base_form = EventForm
    translated = ("title", "description")
    inlines = [AgendaInline]
    actions = ["form_groups", "start_now", "export_reports_csv", "export_reports_json"]
    subject = "event"

    def phase_of(self, obj: Event) -> Phase:
        return Phase(obj.phase)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).annotate(**event_counts())

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        """Saved with its agenda, in save_related."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The event and its agenda in one action (the rules checked once, in rules.py)."""
        agenda = next(agenda_items(f) for f in formsets if isinstance(f, AgendaFormSet))
        changes = {name: form.cleaned_data[name] for name in actions.EVENT_FIELDS}
        actions.update_event(event=form.instance, agenda=agenda, **changes)

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, dict[str, list[str]]]]:
        # The agenda was saved by the action, not by its formset: log the event's fields.
        return super().construct_change_message(request, form, [], add)

    def delete_with_action(self, request: HttpRequest, obj: Event) -> None:
        actions.delete_event(event=obj)

    @admin.display(description="Registered", ordering="registered_total")
    def registered(self, event: Any) -> int:
        return int(event.registered_total)

    @admin.display(description="Groups", ordering="groups_total")
    def groups_formed(self, event: Any) -> int:
        return int(event.groups_total)

    @admin.display(description="Joined a room", ordering="joined_total")
    def joined(self, event: Any) -> int:
        return int(event.joined_total)

    @admin.display(description="Reports back")
    def report_back(self, event: Any) -> str:
        """UN75 had one report for every three dialogues: this is the number to watch."""
        groups, reports = int(event.groups_total), int(event.reports_total)
        return f"{reports} of {groups} ({round(100 * reports / groups)}%)" if groups else "-"

    @admin.action(description="Export the groups' reports (CSV)", permissions=["export_reports"])
    def export_reports_csv(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        return _download(reports_csv(report_rows(queryset)), "reports.csv", "text/csv")

    @admin.action(description="Export the groups' reports (JSON)", permissions=["export_reports"])
    def export_reports_json(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        return _download(reports_json(report_rows(queryset)), "reports.json", "application/json")

    @admin.action(
        description="Start now: settle the groups with those in the lobby", permissions=["start"]
    )
    def start_now(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset:
            if actions.start_event(event=event, early=True):
                messages.info(request, f"Groups of {event.slug} settled; rooms are open.")
            else:
                messages.warning(request, f"Groups of {event.slug} were already settled.")

    @admin.action(description="Form groups from the registrations", permissions=["form_groups"])
    def form_groups(self, request: HttpRequest, queryset: QuerySet[Event]) -> Any:
        """Asks first where groups exist (forming them again replaces them)."""
        counted: Any = queryset.annotate(**event_counts())
        formed = [event for event in counted if event.groups_total]
        if formed and request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Form the groups again?",
                "formed": formed,
                "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/dialogues/form_groups_confirm.html", context)
        for event in queryset:
            result = actions.form_groups(event=event)
            messages.info(request, _formation_summary(event, result))
        return None


def _download(body: str, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _formation_summary(event: Event, result: Any) -> str:
    """What the organizer needs to judge the groups, in plain words: how many, who was left
    out (with a link to them), and how mixed they are against a random draw."""
    people = actions.grouping_people(event.seated())
    ours = diversity(result, people)
    low, high = actions.group_sizes(event)
    chance = diversity(random_grouping(people, min_size=low, max_size=high, seed=event.pk), people)
    left = len(result.unplaced)
    placed = "everyone has a group. "
    if left:
        url = reverse("admin:dialogues_registration_changelist")
        query = f"?event__id__exact={event.pk}&group__isnull=True"
        who = "1 person" if left == 1 else f"{left} people"
        placed = format_html('<a href="{}">{} could not be placed</a>. ', url + query, who)
    return format_html(
        "{}: {} groups formed from {} people; {}{} countries per group on average and {} age "
        "groups (a random draw would give {} and {}).",
        event,
        len(result.groups),
        len(people),
        placed,
        ours["countries"],
        ours["age_groups"],
        chance["countries"],
        chance["age_groups"],
    )


class MemberInline(RoleInline, admin.TabularInline):
    model = Registration
    fields = ["display_name", "languages", "country", "age_group"]
    readonly_fields = ["display_name", "languages", "country", "age_group"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # shown only: members come from forming the groups


@admin.register(DialogueGroup)
class DialogueGroupAdmin(RoleAdmin):
    list_display = ["__str__", "event", "language", "size", "countries", "age_groups"]
    list_filter = ["event", "language"]
    inlines = [MemberInline]
    fields = ["event", "number", "language", "host"]
    readonly_fields = ["event", "number", "language"]  # groups come from "Form groups"
    subject = "dialoguegroup"
    consultation_path = "event__consultation"

    def phase_of(self, obj: DialogueGroup) -> Phase:
        return Phase(obj.event.phase)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: DialogueGroup, form: Any, change: bool) -> None:
        """Only the host is chosen here, and only among the group's members."""
        try:
            actions.set_host(group=obj, registration=obj.host)
        except ValueError:
            messages.error(request, "The host must be a member of this group.")

    def get_queryset(self, request: HttpRequest) -> QuerySet[DialogueGroup]:
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .annotate(
                size_total=Count("members"),
                countries_total=Count("members__country", distinct=True),
                ages_total=Count("members__age_group", distinct=True),
            )
        )

    @admin.display(description="Members", ordering="size_total")
    def size(self, group: Any) -> int:
        return int(group.size_total)

    @admin.display(description="Countries", ordering="countries_total")
    def countries(self, group: Any) -> int:
        return int(group.countries_total)

    @admin.display(description="Age groups", ordering="ages_total")
    def age_groups(self, group: Any) -> int:
        return int(group.ages_total)


@admin.register(Registration)
class RegistrationAdmin(RoleAdmin):
    """Email addresses are shown here only (organizers); `forget_email` deletes one, and a
    registration is deleted on request. What people registered with is not edited here."""

    list_display = ["display_name", "event", "country", "age_group", "group", "is_synthetic"]
    list_filter = ["event", "age_group", "is_synthetic"]
    search_fields = ["display_name", "email"]
    list_select_related = ["event", "group"]
    readonly_fields = ["token_hash", "accepted_rules_at", "group", "unplaced_reason"]
    actions = ["forget_email"]
    subject = "registration"
    consultation_path = "event__consultation"

    def phase_of(self, obj: Registration) -> Phase:
        return Phase(obj.event.phase)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people register themselves, or a partner's system does

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_with_action(self, request: HttpRequest, obj: Registration) -> None:
        actions.delete_registration(registration=obj)

    @admin.action(description="Delete the email address (on request)", permissions=["forget_email"])
    def forget_email(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        for registration in queryset:
            actions.forget_email(registration=registration)
        messages.success(request, f"{queryset.count()} email addresses deleted.")
