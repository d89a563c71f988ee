"""Back office for analyses: see their progress, find themes again, and rename, merge and hide
themes. Every change goes through results.actions."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from globaldialogue.consultations.admin_roles import RoleAdmin, RoleInline
from globaldialogue.lib.admin_forms import TranslatedAdmin
from globaldialogue.results import actions
from globaldialogue.results.models import Analysis, PopulationMargins, Quote, Release, Theme
from globaldialogue.results.queries import live_total


class ThemeInline(RoleInline, admin.TabularInline):
    model = Theme
    fk_name = "analysis"
    fields = ["position", "label", "size", "hidden", "merged_into"]
    readonly_fields = ["position", "label", "size", "hidden", "merged_into"]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Theme]:
        return super().get_queryset(request).filter(parent=None).select_related("merged_into")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Theme")
    def label(self, theme: Theme) -> str:
        return str(theme)


ANALYSIS_FIELDS = ["survey", "kind", "question", "status", "percent_done", "answers"]


@admin.register(Analysis)
class AnalysisAdmin(RoleAdmin):
    list_display = [*ANALYSIS_FIELDS, "finished_at"]
    list_filter = ["kind", "status"]
    # Everything is shown, nothing edited: runs are queued and written by actions.
    readonly_fields = [*ANALYSIS_FIELDS, "error", "requested_at", "started_at", "finished_at"]
    fields = list(readonly_fields)
    inlines = [ThemeInline]
    actions = ["run_again"]
    subject = "analysis"
    consultation_path = "survey__consultation"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # analyses are queued by the action below or when answers arrive

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Done")
    def percent_done(self, analysis: Analysis) -> str:
        return f"{analysis.progress:.0%}"

    @admin.action(description="Run again with the answers so far", permissions=["run"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[Analysis]) -> None:
        for analysis in queryset.select_related("survey__current_version"):
            if analysis.kind == Analysis.Kind.OPEN_DATA:
                actions.request_open_data(survey=analysis.survey)
            else:
                actions.request_themes(survey=analysis.survey, question=analysis.question)
        self.message_user(request, "Queued; the page shows progress when you reload it.")


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["hidden", "merged_into"]


@admin.register(Theme)
class ThemeAdmin(RoleAdmin, TranslatedAdmin):
    base_form = ThemeForm
    translated = ("name",)
    list_display = ["__str__", "analysis", "size", "hidden", "merged_into"]
    list_filter = ["hidden", "analysis__survey"]
    readonly_fields = ["analysis", "size", "keyword_list", "quote_list"]
    actions = ["merge", "hide", "show"]
    subject = "theme"
    consultation_path = "analysis__survey__consultation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Theme]:
        return super().get_queryset(request).filter(parent=None).select_related("merged_into")

    def languages_for(self, obj: Any) -> list[str]:
        return list(obj.analysis.survey.languages) if obj else super().languages_for(obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_fields(request, obj), *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        theme = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if db_field.name == "merged_into" and theme and field is not None:
            siblings = Theme.objects.filter(
                analysis__themes=theme, parent=None, merged_into=None
            ).exclude(pk=theme)
            field.queryset = siblings
        return field

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Theme, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actions.rename_theme(theme=obj, name=data["name"])
        actions.set_theme_hidden(theme=obj, hidden=data["hidden"])
        if data["merged_into"] is None:
            actions.separate_theme(theme=obj)
        else:
            actions.merge_themes(into=data["merged_into"], themes=[obj])

    @admin.display(description="Keywords")
    def keyword_list(self, theme: Theme) -> str:
        return format_html_join(
            "\n", "<p>{}: {}</p>", ((k, ", ".join(v)) for k, v in theme.keywords.items())
        )

    @admin.display(description="Quotes")
    def quote_list(self, theme: Theme) -> str:
        return format_html_join(
            "\n", "<p>{}: “{}”</p>", ((k, q) for k, qs in theme.quotes.items() for q in qs)
        )

    @admin.action(description="Merge the selected themes into the largest", permissions=["change"])
    def merge(self, request: HttpRequest, queryset: QuerySet[Theme]) -> None:
        themes = sorted(queryset, key=lambda theme: -theme.size)
        try:
            actions.merge_themes(into=themes[0], themes=themes[1:])
        except ValidationError as problem:
            self.message_user(request, "; ".join(problem.messages), messages.ERROR)
            return
        self.message_user(request, f"Merged {len(themes) - 1} themes into “{themes[0]}”.")

    @admin.action(
        description="Hide the selected themes from public results", permissions=["change"]
    )
    def hide(self, request: HttpRequest, queryset: QuerySet[Theme]) -> None:
        for theme in queryset:
            actions.set_theme_hidden(theme=theme, hidden=True)

    @admin.action(description="Show the selected themes in public results", permissions=["change"])
    def show(self, request: HttpRequest, queryset: QuerySet[Theme]) -> None:
        for theme in queryset:
            actions.set_theme_hidden(theme=theme, hidden=False)


class MarginsForm(forms.ModelForm):
    file = forms.FileField(
        help_text="CSV: country, sex, age, population (rows of education: country, "
        "education, population). See docs/weighting.md."
    )

    class Meta:
        model = PopulationMargins
        fields = ["consultation", "name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        try:
            data["text"] = upload.read().decode("utf-8-sig")
            actions.read_margins(data["text"])
        except UnicodeDecodeError:
            self.add_error("file", "Save the file as UTF-8 CSV.")
        except ValidationError as refused:
            self.add_error("file", refused.messages)
        return data


@admin.register(PopulationMargins)
class PopulationMarginsAdmin(RoleAdmin):
    """Upload a consultation's own population figures; its surveys are weighted to them."""

    form = MarginsForm
    list_display = ["consultation", "name", "countries", "uploaded_at"]
    readonly_fields = ["summary", "uploaded_at"]
    subject = "populationmargins"

    @admin.display(description="Countries")
    def countries(self, margins: PopulationMargins) -> int:
        return int(margins.summary.get("countries", 0))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data  # the file was read and checked in MarginsForm.clean
        saved = actions.upload_margins(
            consultation=data["consultation"], name=data["name"], text=data["text"]
        )
        obj.pk = saved.pk

    def delete_with_action(self, request: HttpRequest, obj: PopulationMargins) -> None:
        actions.remove_margins(consultation=obj.consultation)


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["text", "status"]


@admin.register(Quote)
class QuoteAdmin(RoleAdmin):
    """The review queue: no quote is published before an organizer approves it, perhaps
    edited to take out what could name someone (results.actions.review_quote, audited)."""

    form = QuoteForm
    list_display = ["__str__", "language", "question", "survey", "status"]
    list_filter = ["status", "language", "survey"]
    search_fields = ["text"]
    readonly_fields = ["survey", "question", "language", "found", "found_at", "reviewed_at"]
    actions = ["approve", "drop"]
    subject = "quote"
    consultation_path = "survey__consultation"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*self.readonly_fields, "text", "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # quotes are found by analyses

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may(request, "review", obj)

    def save_model(self, request: HttpRequest, obj: Quote, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actions.review_quote(quote=obj, status=data["status"], text=data["text"])

    @admin.action(description="Approve the selected quotes as they are", permissions=["review"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Quote]) -> None:
        for quote in queryset.select_related("survey__consultation"):
            actions.review_quote(quote=quote, status=Quote.Status.APPROVED)

    @admin.action(description="Drop the selected quotes", permissions=["review"])
    def drop(self, request: HttpRequest, queryset: QuerySet[Quote]) -> None:
        for quote in queryset.select_related("survey__consultation"):
            actions.review_quote(quote=quote, status=Quote.Status.DROPPED)


@admin.register(Release)
class ReleaseAdmin(RoleAdmin):
    """When each survey's public figures moved, and the exact counts they were made from
    (never public: docs/disclosure.md)."""

    list_display = ["survey", "number", "responses", "tallied", "published_at", "counted_now"]
    list_filter = ["survey"]
    readonly_fields = ["survey", "number", "responses", "tallied", "published_at"]
    fields = list(readonly_fields)
    subject = "release"
    consultation_path = "survey__consultation"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Responses now (exact, not public)")
    def counted_now(self, release: Release) -> int:
        return live_total(release.survey)
