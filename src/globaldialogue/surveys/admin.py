"""Back office for surveys. Writes with rules (publish, close, new versions) go through actions."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from globaldialogue.lib.admin_forms import (
    LanguageListField,
    TranslatedAdmin,
    default_languages,
    translated_form,
)
from globaldialogue.surveys import actions
from globaldialogue.surveys.models import Option, Question, Response, Survey, SurveyVersion

QUESTION_FIELDS = [
    "key",
    "position",
    "type",
    "required",
    "is_demographic",
    "max_choices",
    "max_length",
    "min_value",
    "max_value",
    "shuffle",
]


def _languages(survey: Survey | None) -> list[str]:
    return list(survey.languages) if survey and survey.languages else default_languages()


def _record_edit(request: HttpRequest, survey: Survey) -> None:
    try:
        version = actions.record_survey_edit(survey=survey)
    except ValidationError as problems:
        messages.error(
            request,
            "Saved, but participants still see the last published version "
            f"until this is fixed: {'; '.join(problems.messages)}",
        )
        return
    if version is not None:
        messages.info(request, f"Participants now see version {version.number}.")


class SurveyForm(forms.ModelForm):
    languages = LanguageListField(help_text="Language codes, the default first: en, fr, ar.")

    class Meta:
        model = Survey
        fields = ["consultation", "slug", "languages", "suppression_threshold"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["form"] = translated_form(forms.ModelForm, ["label"], _languages(obj))
        kwargs["fields"] = [*QUESTION_FIELDS, *(f"label__{c}" for c in _languages(obj))]
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*QUESTION_FIELDS, *(f"label__{c}" for c in _languages(obj))]


class VersionInline(admin.TabularInline):
    model = SurveyVersion
    fields = ["number", "created_at"]
    readonly_fields = ["number", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Survey)
class SurveyAdmin(TranslatedAdmin):
    list_display = ["slug", "__str__", "consultation", "status", "current_version"]
    list_filter = ["status", "consultation"]
    search_fields = ["slug"]
    readonly_fields = ["status", "current_version"]
    inlines = [QuestionInline, VersionInline]
    actions = ["publish", "close"]
    base_form = SurveyForm
    translated = ("title", "intro")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_fields(request, obj), "status", "current_version"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _record_edit(request, form.instance)

    @admin.action(description="Publish (open to participants)")
    def publish(self, request: HttpRequest, queryset: QuerySet[Survey]) -> None:
        for survey in queryset:
            try:
                version = actions.publish_survey(survey=survey)
            except ValidationError as problems:
                messages.error(request, f"{survey}: {'; '.join(problems.messages)}")
                continue
            messages.success(request, f"{survey}: published, version {version.number}.")

    @admin.action(description="Close (stop accepting responses)")
    def close(self, request: HttpRequest, queryset: QuerySet[Survey]) -> None:
        for survey in queryset:
            actions.close_survey(survey=survey)
        messages.success(request, "Closed.")


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        languages = _languages(obj.survey if obj else None)
        kwargs["form"] = translated_form(forms.ModelForm, ["label"], languages)
        kwargs["fields"] = ["key", "position", "is_other", *(f"label__{c}" for c in languages)]
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        languages = _languages(obj.survey if obj else None)
        return ["key", "position", "is_other", *(f"label__{c}" for c in languages)]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["survey", *QUESTION_FIELDS]


@admin.register(Question)
class QuestionAdmin(TranslatedAdmin):
    list_display = ["key", "survey", "position", "type", "required", "is_demographic"]
    list_filter = ["survey", "type"]
    inlines = [OptionInline]
    base_form = QuestionForm
    translated = ("label", "hint")

    def languages_for(self, obj: Any) -> list[str]:
        return _languages(obj.survey if obj is not None else None)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _record_edit(request, form.instance.survey)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read only: responses come in through the survey, the API and imports, never by hand."""

    list_display = ["id", "survey", "language", "channel", "submitted_at", "is_synthetic"]
    list_filter = ["survey", "channel", "language", "is_synthetic"]
    search_fields = ["=id", "=receipt"]
    list_select_related = ["survey"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
