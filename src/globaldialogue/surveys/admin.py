"""Back office for surveys: every write (edits, publish, close, new versions) goes through
actions."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from globaldialogue.consultations.admin_roles import RoleAdmin, RoleInline
from globaldialogue.consultations.permissions import Phase
from globaldialogue.lib.admin_forms import (
    LanguageListField,
    TranslatedAdmin,
    languages_of,
    translated_form,
)
from globaldialogue.lib.expressions import ExpressionError, parse
from globaldialogue.surveys import actions
from globaldialogue.surveys.definition import QUESTION_EXPRESSIONS
from globaldialogue.surveys.models import Option, Question, Response, Survey, SurveyVersion
from globaldialogue.surveys.snapshot import build_definition, check_definition

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
        fields = [
            "consultation",
            "slug",
            "languages",
            "min_answers",
            "suppression_threshold",
            "release_minutes",
            "odk_anonymous",
        ]


class OptionLinesMixin(forms.ModelForm):
    """A question's options typed on the survey's page: one line per option, a box per
    language, in the same order (saved by actions.set_question_options)."""

    option_languages: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = list(self.instance.options.all()) if self.instance.pk else []
        for code in self.option_languages:
            lines = [option.label.get(code, "") for option in options]
            self.fields[f"options__{code}"].initial = "\n".join(lines)

    def option_lines(self) -> dict[str, list[str]]:
        """Per language, a line per option; a blank line is an option not labelled in that
        language (its place kept), trailing blank lines are nothing."""
        typed = {
            code: self.cleaned_data.get(f"options__{code}") or "" for code in self.option_languages
        }
        return {code: _lines(text) for code, text in typed.items()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            actions.check_option_labels(self.option_lines())
        except ValidationError as invalid:
            raise forms.ValidationError(invalid.messages) from None
        return data


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def question_row_form(languages: list[str]) -> type[forms.ModelForm]:
    base = translated_form(forms.ModelForm, ["label"], languages)
    attrs: dict[str, Any] = {"option_languages": tuple(languages)}
    for code in languages:
        attrs[f"options__{code}"] = forms.CharField(
            label=f"Options ({code})",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "cols": 24}),
            help_text="One per line.",
        )
    return type("QuestionRowForm", (OptionLinesMixin, base), attrs)


def _save_rows(model_admin: Any, request: Any, form: Any, formsets: Any, change: bool) -> None:
    """What Django's admin itself writes for this form (the object, then its inlines): run
    inside actions.edit_survey, so the edit is one transaction with its new version."""
    form.instance.save()
    admin.ModelAdmin.save_related(model_admin, request, form, formsets, change)


def _typed_options(row: Any) -> bool:
    """A kept question row whose options were typed on the survey's page (left empty, the
    options stay as they are: they may be edited on the question's own page)."""
    if not isinstance(row, OptionLinesMixin) or not row.cleaned_data:
        return False
    return not row.cleaned_data.get("DELETE") and any(row.option_lines().values())


def _adds_options(row: Any) -> bool:
    """Whether typed option lines would make options (a translator only relabels them)."""
    have = row.instance.options.count()
    return any(len(lines) > have for lines in row.option_lines().values())


def _row_fields(languages: list[str]) -> list[str]:
    texts = [f"{name}__{code}" for name in ("label", "options") for code in languages]
    return [*QUESTION_FIELDS, *texts]


class QuestionInline(RoleInline, admin.StackedInline):
    """The survey's questions on its own page: labels and options in every language."""

    model = Question
    extra = 0
    show_change_link = True

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["form"] = question_row_form(languages_of(obj))
        kwargs["fields"] = _row_fields(languages_of(obj))
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return _row_fields(languages_of(obj))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """What every question needs on view; the rest folded, as most keep its defaults."""
        if not self.has_change_permission(request, obj):
            return super().get_fieldsets(request, obj)  # read only: the texts as stored
        texts = _row_fields(languages_of(obj))[len(QUESTION_FIELDS) :]
        settings = [
            ("required", "is_demographic", "shuffle"),
            ("max_choices", "max_length"),
            ("min_value", "max_value"),
        ]
        return [
            (None, {"fields": [("key", "type", "position"), *texts]}),
            ("Settings", {"classes": ["collapse"], "fields": settings}),
        ]


class VersionInline(RoleInline, admin.TabularInline):
    model = SurveyVersion
    fields = ["number", "created_at"]
    readonly_fields = ["number", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Survey)
class SurveyAdmin(RoleAdmin, TranslatedAdmin):
    list_display = ["slug", "__str__", "consultation", "status", "current_version"]
    list_filter = ["status", "consultation"]
    search_fields = ["slug"]
    readonly_fields = ["status", "current_version", "checklist", "preview"]
    change_form_template = "admin/surveys/survey/change_form.html"  # + "Save and publish"
    inlines = [QuestionInline, VersionInline]
    actions = ["publish", "close"]
    base_form = SurveyForm
    translated = ("title", "intro")
    subject = "survey"

    def phase_of(self, obj: Survey) -> Phase:
        return Phase(obj.phase)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            *super().get_fields(request, obj),
            "status",
            "current_version",
            "checklist",
            "preview",
        ]

    def save_model(self, request: HttpRequest, obj: Survey, form: Any, change: bool) -> None:
        """Saved with its questions, in save_related."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        survey = form.instance
        translating = self.only_translates(request, survey)

        def save_rows() -> None:
            _save_rows(self, request, form, formsets, change)
            for row in (f for formset in formsets for f in formset.forms):
                if _typed_options(row) and not (translating and _adds_options(row)):
                    actions.set_question_options(question=row.instance, labels=row.option_lines())

        _record_edit(request, lambda: actions.edit_survey(survey=survey, save_rows=save_rows))
        if "_publish" in request.POST:
            if self.may(request, "publish", survey):
                self._publish(request, survey)
            else:
                messages.warning(request, "Saved, not published: your role does not allow it.")

    def delete_with_action(self, request: HttpRequest, obj: Survey) -> None:
        actions.delete_survey(survey=obj)

    @admin.display(description="Ready to publish?")
    def checklist(self, survey: Survey) -> str:
        if not survey.pk:
            return "Save it first."
        problems = check_definition(build_definition(survey))
        return "; ".join(problems) if problems else "Ready to publish."

    @admin.display(description="Preview")
    def preview(self, survey: Survey) -> str:
        if not survey.pk:
            return "-"
        url = f"{reverse('surveys:survey', args=[survey.slug])}?lang={languages_of(survey)[0]}"
        return format_html('<a href="{}" target="_blank">See it as a participant</a>', url)

    def _publish(self, request: HttpRequest, survey: Survey) -> None:
        try:
            version = actions.publish_survey(survey=survey)
        except ValidationError as problems:
            messages.error(request, f"{survey}: {'; '.join(problems.messages)}")
            return
        messages.success(request, f"{survey}: published, version {version.number}.")

    @admin.action(description="Publish (open to participants)", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Survey]) -> None:
        for survey in queryset:
            self._publish(request, survey)

    @admin.action(description="Close (stop accepting responses)", permissions=["close"])
    def close(self, request: HttpRequest, queryset: QuerySet[Survey]) -> None:
        for survey in queryset:
            actions.close_survey(survey=survey)
        messages.success(request, "Closed.")


class OptionInline(RoleInline, admin.TabularInline):
    model = Option
    extra = 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        languages = languages_of(obj.survey if obj else None)
        kwargs["form"] = translated_form(forms.ModelForm, ["label"], languages)
        kwargs["fields"] = ["key", "position", "is_other", *(f"label__{c}" for c in languages)]
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        languages = languages_of(obj.survey if obj else None)
        return ["key", "position", "is_other", *(f"label__{c}" for c in languages)]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["survey", *QUESTION_FIELDS, *QUESTION_EXPRESSIONS]

    def clean(self) -> dict[str, Any]:
        """Each expression readable, said at its field (which questions it reads is checked
        with the whole survey, when it is published)."""
        data = super().clean() or {}
        options = self.instance.options.all() if self.instance.pk else []
        columns = frozenset({"name"}).union(*(option.filters for option in options))
        for name in QUESTION_EXPRESSIONS:
            try:
                parse(data.get(name) or "0", columns if name == "choice_filter" else frozenset())
            except ExpressionError as error:
                self.add_error(name, str(error))
        return data


@admin.register(Question)
class QuestionAdmin(RoleAdmin, TranslatedAdmin):
    list_display = ["key", "survey", "position", "type", "required", "is_demographic"]
    list_filter = ["survey", "type"]
    inlines = [OptionInline]
    base_form = QuestionForm
    translated = ("label", "hint", "constraint_message")
    subject = "survey"  # a question is part of its survey's definition
    consultation_path = "survey__consultation"

    def phase_of(self, obj: Question) -> Phase:
        return Phase(obj.survey.phase)

    def languages_for(self, obj: Any) -> list[str]:
        return languages_of(obj.survey if obj is not None else None)

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        """Saved with its options, in save_related."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        def save_rows() -> None:
            _save_rows(self, request, form, formsets, change)

        survey = form.instance.survey
        _record_edit(request, lambda: actions.edit_survey(survey=survey, save_rows=save_rows))

    def delete_with_action(self, request: HttpRequest, obj: Question) -> None:
        _record_edit(request, lambda: actions.delete_question(question=obj))


@admin.register(Response)
class ResponseAdmin(RoleAdmin):
    """Read only: responses come in through the survey, the API and imports, never by hand,
    and are not deleted here (results.actions.delete_synthetic_responses removes a demo's)."""

    list_display = ["id", "survey", "language", "channel", "submitted_at", "is_synthetic"]
    list_filter = ["survey", "channel", "language", "is_synthetic"]
    search_fields = ["=id", "=receipt"]
    list_select_related = ["survey"]
    show_full_result_count = False
    subject = "response"
    consultation_path = "survey__consultation"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
