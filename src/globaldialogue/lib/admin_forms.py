"""The back office's base admin (ActionAdmin: writes through actions) and its forms for text
stored per language: one plain field per language, not raw JSON."""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html_join

from globaldialogue.lib.translated import normalize_language

LONG_FIELDS = {"intro", "hint"}


def default_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def languages_of(obj: Any) -> list[str]:
    """The languages an object (survey, event, ...) is offered in; the interface's six before
    it has any (an add form)."""
    return list(obj.languages) if obj is not None and obj.languages else default_languages()


def translated_form(
    base: type[forms.ModelForm], names: Sequence[str], languages: Sequence[str]
) -> type[forms.ModelForm]:
    """A subclass of `base` where each JSON field in `names` becomes one field per language."""
    attrs: dict[str, Any] = {"translated": tuple(names), "translated_languages": tuple(languages)}
    for name in names:
        for code in languages:
            widget = forms.Textarea(attrs={"rows": 2}) if name in LONG_FIELDS else None
            attrs[f"{name}__{code}"] = forms.CharField(
                label=f"{name.replace('_', ' ').capitalize()} ({code})",
                required=False,
                widget=widget,
                strip=True,
            )
    return type(f"Translated{base.__name__}", (TranslatedMixin, base), attrs)


ALL_LANGUAGES = "__all"  # a read-only page's name for a text field shown in every language


def all_texts(name: str) -> Callable[[Any], str]:
    """How a read-only page shows the JSON text field `name`: a line per language."""

    def show(obj: Any) -> str:
        texts = getattr(obj, name, None) or {}
        lines = ((code, code, text) for code, text in texts.items())
        return format_html_join("", '<div lang="{}" dir="auto">{}: {}</div>', lines) or "-"

    show.short_description = name.replace("_", " ").capitalize()  # type: ignore[attr-defined]
    return show


def shown_in_all_languages(name: str) -> Callable[[Any], str]:
    """For an admin's __getattr__: the display of "<field>__all", else AttributeError."""
    if not name.endswith(ALL_LANGUAGES) or name.startswith("_"):
        raise AttributeError(name)
    return all_texts(name.removesuffix(ALL_LANGUAGES))


def texts_only(base: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """`base` with every field but the per-language texts ("name__code") shown and kept as
    they are: a translator's form (a disabled field keeps its stored value, whatever is
    sent)."""

    def __init__(self: forms.BaseForm, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)
        for name, field in self.fields.items():
            if "__" not in name:
                field.disabled = True

    return type(f"TextsOnly{base.__name__}", (base,), {"__init__": __init__})


class TranslatedMixin(forms.ModelForm):
    translated: tuple[str, ...] = ()
    translated_languages: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.translated:
            stored = getattr(self.instance, name, None) or {}
            for code in self.translated_languages:
                self.fields[f"{name}__{code}"].initial = stored.get(code, "")

    def clean(self) -> dict[str, Any]:
        # Join the per-language fields first, so the form's own clean() sees the whole text.
        data = self.cleaned_data
        for name in self.translated:
            stored = dict(getattr(self.instance, name, None) or {})
            for code in self.translated_languages:
                text = data.get(f"{name}__{code}", "")
                if text:
                    stored[code] = text
                else:
                    stored.pop(code, None)
            data[name] = stored
            setattr(self.instance, name, stored)
        return super().clean() or data


class LanguageListField(forms.CharField):
    """Language codes typed as "en, fr, ar"; stored as a list, the first being the default."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        # A list when the field is disabled (the stored value, not typed text).
        text = ", ".join(value) if isinstance(value, list) else super().to_python(value) or ""
        codes = [normalize_language(part) for part in text.replace(";", ",").split(",")]
        return list(dict.fromkeys(code for code in codes if code))

    def validate(self, value: Any) -> None:
        if not value:
            raise forms.ValidationError("List at least one language code, e.g. en, fr, ar.")


class ActionAdmin(admin.ModelAdmin):
    """The base of every admin of ours: its writes call the app's actions (actions.py), as the
    views, the API and the CLI do, never the model directly. A subclass that edits saves in
    save_model (or save_related, with its inlines) through an action; one that allows deleting
    does it in delete_with_action. Without them nothing is saved or deleted from here."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        raise NotImplementedError(f"{type(self).__name__} must save through an action")

    def delete_with_action(self, request: Any, obj: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} deletes nothing")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        deletes = type(self).delete_with_action is not ActionAdmin.delete_with_action
        return deletes and super().has_delete_permission(request, obj)

    def delete_model(self, request: Any, obj: Any) -> None:
        self.delete_with_action(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:  # one action per object, which "delete selected" skips
            self.delete_with_action(request, obj)


class TranslatedAdmin(ActionAdmin):
    """An admin whose JSON text fields (`translated`) are edited one field per language."""

    base_form: type[forms.ModelForm] = forms.ModelForm
    translated: tuple[str, ...] = ()

    class Media:
        # Buttons that show one language's fields at a time (served by the web app).
        js = ["web/admin-languages.js"]

    def languages_for(self, obj: Any) -> list[str]:
        return languages_of(obj)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = translated_form(self.base_form, self.translated, self.languages_for(obj))
        # Read only (a role that may look, not change): no field to edit at all.
        kwargs["fields"] = [] if change and not self.has_change_permission(request, obj) else None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        fields = list(self.get_form(request, obj).base_fields)
        if obj is not None and not self.has_change_permission(request, obj):
            # Shown read only: the stored texts, all languages at once.
            texts = [name + ALL_LANGUAGES for name in self.translated]
            return [*texts, *(name for name in fields if "__" not in name)]
        return fields

    def __getattr__(self, name: str) -> Any:
        return shown_in_all_languages(name)
