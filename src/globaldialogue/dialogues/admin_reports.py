"""Back office: the groups' reports. They are the groups' words: organizers correct them
(a mistake, or words that identify someone) through room_actions.edit_report, which keeps
the text it replaces as a version."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.permissions import Phase
from globaldialogue.dialogues import room_actions
from globaldialogue.dialogues.models import REPORT_AGREEMENT, GroupReport
from globaldialogue.lib.errors import Refused


class ReportForm(forms.ModelForm):
    """A summary box per agenda item, the ideas one per line ("most: text"), the message."""

    ideas_text = forms.CharField(
        label="Ideas",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"One per line, starting with how many agreed ({', '.join(REPORT_AGREEMENT)}):"
        " most: Free schools",
    )

    class Meta:
        model = GroupReport
        fields = ["message"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        report = self.instance
        for item in report.group.event.agenda.all() if report.pk else ():
            self.fields[f"summary_{item.position}"] = forms.CharField(
                label=f"Summary of {item}",
                required=False,
                initial=report.summaries.get(str(item.position), ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        lines = [f"{idea['agreement']}: {idea['text']}" for idea in report.ideas]
        self.fields["ideas_text"].initial = "\n".join(lines)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:  # the same checks edit_report makes, shown beside the form
            room_actions.check_report(
                group=self.instance.group,
                summaries=self.summaries(),
                ideas=self.ideas(),
                message=data.get("message", ""),
            )
        except Refused as refused:
            raise forms.ValidationError(refused.message) from None
        return data

    def summaries(self) -> dict[str, str]:
        return {
            name.removeprefix("summary_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("summary_") and value.strip()
        }

    def ideas(self) -> list[dict[str, str]]:
        ideas = []
        for line in self.cleaned_data.get("ideas_text", "").splitlines():
            agreement, _, text = line.partition(":")
            if line.strip():
                ideas.append({"agreement": agreement.strip().lower(), "text": text.strip()})
        return ideas


@admin.register(GroupReport)
class GroupReportAdmin(RoleAdmin):
    form = ReportForm
    subject = "groupreport"
    consultation_path = "group__event__consultation"
    list_display = ["group", "event", "filed_at", "message"]
    list_filter = ["group__event"]
    list_select_related = ["group__event"]
    readonly_fields = ["group", "filed_by", "filed_at", "versions"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        form = self.get_form(request, obj)(instance=obj)
        summaries = [name for name in form.fields if name.startswith("summary_")]
        return ["group", *summaries, "ideas_text", "message", "filed_by", "filed_at", "versions"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any
    ) -> Any:
        kw["fields"] = ["message"]  # the rest are the form's own fields
        return super().get_form(request, obj, change, **kw)

    def phase_of(self, obj: GroupReport) -> Phase:
        return Phase(obj.group.event.phase)

    @admin.display(description="Event")
    def event(self, report: GroupReport) -> str:
        return report.group.event.slug

    @admin.display(description="Earlier versions")
    def versions(self, report: GroupReport) -> str:
        kept = report.versions.order_by("-number")
        return (
            "; ".join(
                f"{v.number}: {v.filed_at:%Y-%m-%d %H:%M} "
                f"{'by an organizer' if v.edited_by_id else 'by the group'}"
                for v in kept
            )
            or "-"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: GroupReport, form: Any, change: bool) -> None:
        room_actions.edit_report(
            report=obj,
            user=request.user,
            summaries=form.summaries(),
            ideas=form.ideas(),
            message=form.cleaned_data["message"],
        )
