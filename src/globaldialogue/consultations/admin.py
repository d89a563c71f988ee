from django import forms
from django.contrib import admin

from globaldialogue.consultations.models import Consultation
from globaldialogue.lib.admin_forms import LanguageListField, TranslatedAdmin


class ConsultationForm(forms.ModelForm):
    languages = LanguageListField(help_text="Language codes, the default first: en, fr, ar.")

    class Meta:
        model = Consultation
        fields = ["slug", "languages"]


@admin.register(Consultation)
class ConsultationAdmin(TranslatedAdmin):
    list_display = ["slug", "__str__", "created_at"]
    search_fields = ["slug"]
    base_form = ConsultationForm
    translated = ("title",)
