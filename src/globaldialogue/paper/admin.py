"""Paper forms in the back office. Printed batches: choose a survey, a language and how many
forms; the next serial numbers are taken and the PDF and the typing template are a click
away. Uploads: a CSV or XLSX of typed-in forms is kept and previewed row by row (new, same
as stored, changed, errors); nothing is stored until the organizer says so on the preview,
and changed answers replace stored ones only if the upload said to."""

import csv
import io
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.permissions import Phase
from globaldialogue.lib.csvsafe import safe_row
from globaldialogue.paper import access, actions
from globaldialogue.paper.checking import BadColumns
from globaldialogue.paper.models import PaperBatch, PaperUpload
from globaldialogue.paper.printing import forms_pdf, template_rows
from globaldialogue.paper.reading import Unreadable
from globaldialogue.surveys.access import open_surveys_for
from globaldialogue.surveys.actions import SurveyClosed
from globaldialogue.surveys.models import Survey

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class _PaperAdmin(RoleAdmin):
    consultation_path = "survey__consultation"

    def phase_of(self, obj: Any) -> Phase:
        return Phase(obj.survey.phase)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing here is edited: it is printed, stored or discarded

    def _object(self, request: HttpRequest, pk: str, verb: str) -> Any:
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.may(request, verb, obj):
            raise PermissionDenied(f"Your role does not allow this {self.subject} here, or now.")
        return obj


class BatchForm(forms.ModelForm):
    class Meta:
        model = PaperBatch
        fields = ["survey", "language", "count"]
        help_texts = {
            "language": "The language of the printed forms: one of the survey's.",
            "count": f"How many forms (1 to {actions.MAX_FORMS}); each has its own serial.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        survey, language, count = data.get("survey"), data.get("language"), data.get("count")
        if survey and language and count is not None:
            problem = actions.printing_problem(survey=survey, language=language, count=count)
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(PaperBatch)
class PaperBatchAdmin(_PaperAdmin):
    subject = "paperbatch"
    form = BatchForm
    list_display = ["survey", "language", "serials", "count", "created_at", "downloads"]
    list_filter = ["survey"]
    readonly_fields = ["survey", "language", "serials", "count", "printed_by", "downloads"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["survey", "language", "count"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "survey":
            kwargs["queryset"] = open_surveys_for(request.user, "paperbatch.change")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: PaperBatch, form: Any, change: bool) -> None:
        batch = actions.print_batch(
            survey=obj.survey, language=obj.language, count=obj.count, user=request.user
        )
        obj.pk, obj.first, obj.version_id, obj.created_at = (
            batch.pk,
            batch.first,
            batch.version_id,
            batch.created_at,
        )

    @admin.display(description="Download")
    def downloads(self, batch: PaperBatch) -> str:
        pdf = reverse("admin:paper_paperbatch_pdf", args=[batch.pk])
        sheet = reverse("admin:paper_paperbatch_template", args=[batch.pk])
        return format_html(
            '<a href="{}">Forms (PDF)</a> · <a href="{}">Typing template (CSV)</a>', pdf, sheet
        )

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/forms.pdf", wrap(partial(batch_pdf, self)), name="paper_paperbatch_pdf"),
            path(
                "<int:pk>/template.csv",
                wrap(partial(batch_template, self)),
                name="paper_paperbatch_template",
            ),
            *super().get_urls(),
        ]


def batch_pdf(model_admin: PaperBatchAdmin, request: HttpRequest, pk: str) -> HttpResponse:
    batch = model_admin._object(request, pk, "view")
    response = HttpResponse(forms_pdf(batch), content_type="application/pdf")
    name = f"{batch.survey.slug}-{batch.language}-{batch.first}-{batch.last}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def batch_template(model_admin: PaperBatchAdmin, request: HttpRequest, pk: str) -> HttpResponse:
    batch = model_admin._object(request, pk, "view")
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheets then read the file as UTF-8
    csv.writer(out).writerows(safe_row(row) for row in template_rows(batch))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{batch.survey.slug}-{batch.language}-{batch.first}-{batch.last}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class UploadForm(forms.Form):
    survey = forms.ModelChoiceField(queryset=Survey.objects.none())
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX: a row per form, with its serial.")
    language = forms.CharField(
        max_length=16, help_text="The forms' language, for rows without a language column."
    )
    replace = forms.BooleanField(
        required=False,
        label="Corrections: typed answers replace those stored under the same serial",
        help_text="Leave unticked for new forms: rows already stored with other answers are "
        "then shown and kept as they were.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = open_surveys_for(user, "paperupload.change")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        survey, language = data.get("survey"), (data.get("language") or "").strip()
        if survey and language and language not in survey.languages:
            offered = ", ".join(survey.languages)
            self.add_error("language", f"The survey is offered in {offered}, not in “{language}”.")
        return data

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB: upload it in parts.")
        return upload


@admin.register(PaperUpload)
class PaperUploadAdmin(_PaperAdmin):
    subject = "paperupload"
    list_display = ["name", "survey", "status", "outcome", "uploaded_by", "created_at"]
    list_filter = ["status", "survey"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raise PermissionDenied("Uploads are kept and stored through their own pages.")

    @admin.display(description="Rows")
    def outcome(self, upload: PaperUpload) -> str:
        return ", ".join(f"{n} {status}" for status, n in sorted(upload.summary.items()))

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> Any:
        if not self.has_add_permission(request):
            raise PermissionDenied("Your role does not allow uploading paper forms.")
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            upload = _receive(request, form)
            if upload is not None:
                url = reverse("admin:paper_paperupload_change", args=[upload.pk])
                return HttpResponseRedirect(url, status=303)
        return self._page(request, "admin/paper/upload.html", {"form": form}, "Upload paper forms")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        upload = self._object(request, object_id, "view")
        if request.method == "POST":
            return _decide(self, request, upload)
        context = {"upload": upload, "rows": access.upload_rows(upload)}
        context["may_store"] = self.may(request, "change", upload)
        return self._page(request, "admin/paper/preview.html", context, str(upload))

    def _page(self, request: HttpRequest, template: str, context: dict, title: str) -> Any:
        full = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **context,
        }
        return TemplateResponse(request, template, full)


def _receive(request: HttpRequest, form: UploadForm) -> PaperUpload | None:
    survey, file = form.cleaned_data["survey"], form.cleaned_data["file"]
    try:
        upload, _rows = actions.receive_upload(
            survey=survey,
            name=file.name,
            data=file.read(),
            language=form.cleaned_data["language"].strip(),
            replace=form.cleaned_data["replace"],
            user=request.user,
        )
    except (Unreadable, BadColumns) as refused:
        form.add_error("file", str(refused))
        return None
    return upload


def _decide(model_admin: PaperUploadAdmin, request: HttpRequest, upload: PaperUpload) -> Any:
    if not model_admin.may(request, "change", upload):
        raise PermissionDenied("Your role does not allow storing paper forms here, or now.")
    try:
        if "_discard" in request.POST:
            actions.discard_upload(upload=upload)
            messages.success(request, f"{upload.name} was discarded; nothing of it was stored.")
        else:
            good_only = request.POST.get("good_rows_only") == "on"
            stored = actions.store_upload(upload=upload, good_rows_only=good_only)
            messages.success(request, f"{upload.name}: {_said(stored)}.")
    except (actions.Refused, Unreadable, BadColumns, SurveyClosed) as refused:
        messages.error(request, getattr(refused, "message", str(refused)))
    url = reverse("admin:paper_paperupload_change", args=[upload.pk])
    return HttpResponseRedirect(url, status=303)


def _said(stored: dict[str, int]) -> str:
    words = {
        "created": "new responses stored",
        "duplicate": "already stored, counted once",
        "corrected": "corrected",
        "kept": "changed but kept as stored (not a correction upload)",
        "conflict": "stored meanwhile with other answers, left as they were",
        "error": "rows with errors left out",
    }
    return "; ".join(f"{stored[k]} {v}" for k, v in words.items() if stored.get(k))
