from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from globaldialogue.consultations import actions
from globaldialogue.consultations.models import Consultation
from globaldialogue.lib.admin_forms import LanguageListField, TranslatedAdmin


class ConsultationForm(forms.ModelForm):
    languages = LanguageListField(help_text="Language codes, the default first: en, fr, ar.")

    class Meta:
        model = Consultation
        fields = ["slug", "languages", "age_bands"]

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
class ConsultationAdmin(TranslatedAdmin):
    list_display = ["slug", "__str__", "created_at"]
    search_fields = ["slug"]
    base_form = ConsultationForm
    translated = ("title",)

    def save_model(self, request: HttpRequest, obj: Consultation, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actions.update_consultation(
            consultation=obj,
            slug=data["slug"],
            title=data["title"],
            languages=data["languages"],
            age_bands=data["age_bands"],
        )

    def delete_with_action(self, request: HttpRequest, obj: Consultation) -> None:
        actions.delete_consultation(consultation=obj)
