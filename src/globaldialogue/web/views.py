"""The site shell: the home page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from globaldialogue.deliberation.access import listed_conversations
from globaldialogue.lib.languages import choose_language, page_frame, remember_language
from globaldialogue.surveys.access import listed_surveys
from globaldialogue.surveys.models import Survey


def home(request: HttpRequest) -> HttpResponse:
    """What the site is and what to do here (answer, discuss, meet), in the visitor's
    language, with the language switcher."""
    offered = [code for code, _name in settings.LANGUAGES]
    language = choose_language(request, offered)
    items = [
        (s, s.title_in(language), s.status == Survey.Status.PUBLISHED) for s in listed_surveys()
    ]
    conversations = [(c, c.topic_in(language)) for c in listed_conversations()]
    with translation.override(language):
        frame = page_frame(request.path, "Global Dialogue", language, offered)
        context = {**frame, "items": items, "conversations": conversations}
        response = render(request, "web/home.html", context)
    remember_language(request, response, language)
    return response
