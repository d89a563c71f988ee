"""Back office for surveys: every write (edits, publish, close, new versions) goes through
actions."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from globaldialogue.lib.admin_forms import (
    ActionAdmin,
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


def _record_edit(request: HttpRequest, edit: Callable[[], SurveyVersion | None]) -> None:
    """Run an edit action; say which version participants now see, or why not the edit."""
    try:
        version = edit()
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
        fields = ["consultation", "slug", "languages", "min_answers", "suppression_threshold"]


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

    def save_model(self, request: HttpRequest, obj: Survey, form: Any, change: bool) -> None:
        """Saved with its questions, in save_related."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        def save_rows() -> None:
            form.instance.save()
            admin.ModelAdmin.save_related(self, request, form, formsets, change)

        survey = form.instance
        _record_edit(request, lambda: actions.edit_survey(survey=survey, save_rows=save_rows))

    def delete_with_action(self, request: HttpRequest, obj: Survey) -> None:
        actions.delete_survey(survey=obj)

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

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        """Saved with its options, in save_related."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        def save_rows() -> None:
            form.instance.save()
            admin.ModelAdmin.save_related(self, request, form, formsets, change)

        survey = form.instance.survey
        _record_edit(request, lambda: actions.edit_survey(survey=survey, save_rows=save_rows))

    def delete_with_action(self, request: HttpRequest, obj: Question) -> None:
        _record_edit(request, lambda: actions.delete_question(question=obj))


@admin.register(Response)
class ResponseAdmin(ActionAdmin):
    """Read only: responses come in through the survey, the API and imports, never by hand,
    and are not deleted here (results.actions.delete_synthetic_responses removes a demo's)."""

    list_display = ["id", "survey", "language", "channel", "submitted_at", "is_synthetic"]
    list_filter = ["survey", "channel", "language", "is_synthetic"]
    search_fields = ["=id", "=receipt"]
    list_select_related = ["survey"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
