"""The site shell: the home page and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_from_request

from globaldialogue.deliberation.access import listed_conversations
from globaldialogue.lib.languages import is_bidi
from globaldialogue.surveys.access import listed_surveys
from globaldialogue.surveys.models import Survey


def home(request: HttpRequest) -> HttpResponse:
    """The list of surveys and conversations, in the visitor's interface language."""
    language = get_language_from_request(request)
    items = [
        (s, s.title_in(language), s.status == Survey.Status.PUBLISHED) for s in listed_surveys()
    ]
    conversations = [(c, c.topic_in(language)) for c in listed_conversations()]
    with translation.override(language):
        return render(
            request,
            "web/home.html",
            {
                "items": items,
                "conversations": conversations,
                "language": language,
                "path": request.path,
                "direction": "rtl" if is_bidi(language) else "ltr",
            },
        )


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})
