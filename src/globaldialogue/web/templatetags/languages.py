"""{% load languages %}: a language's name in the reader's interface language."""

from django import template

from globaldialogue.lib.languages import name_for_reader

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return name_for_reader(str(code))
