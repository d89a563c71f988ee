from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from globaldialogue.consultations.models import Consultation
from globaldialogue.lib.admin_forms import LanguageListField, default_languages, translated_form


class ConsultationForm(forms.ModelForm):
    languages = LanguageListField(help_text="Language codes, the default first: en, fr, ar.")

    class Meta:
        model = Consultation
        fields = ["slug", "languages"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["slug", "__str__", "created_at"]
    search_fields = ["slug"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        languages = obj.languages if obj and obj.languages else default_languages()
        kwargs["form"] = translated_form(ConsultationForm, ["title"], languages)
        kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return list(self.get_form(request, obj).base_fields)
