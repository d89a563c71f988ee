"""Choosing a page's language among those a survey, conversation or event offers."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language, get_language_info, to_locale
from django.utils.translation.trans_real import parse_accept_lang_header

from globaldialogue.lib.translated import normalize_language

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
UI_LANGUAGES = {code for code, _ in settings.LANGUAGES}
ACCEPT_LANGUAGES = 4  # of the browser's list: enough for the multilingual, bounded for bots


def choose_language(request: HttpRequest, offered: Sequence[str]) -> str:
    """?lang= (the switcher), then the language cookie, then Accept-Language, then default."""
    candidates = [request.GET.get("lang", ""), request.COOKIES.get(LANGUAGE_COOKIE, "")]
    candidates += [
        code
        for code, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:500])
    ]
    for raw in candidates:
        if match := match_language(raw, offered):
            return match
    return offered[0] if offered else settings.LANGUAGE_CODE


def page_language(request: HttpRequest, offered: Sequence[str]) -> str:
    """A posted form's own `language` (the page it was sent from), else choose_language."""
    posted = request.POST.get("language", "") if request.method == "POST" else ""
    return str(posted) if posted in offered else choose_language(request, offered)


def reader_languages(request: HttpRequest, page_language: str, offered: Sequence[str]) -> list[str]:
    """The page's language, then the browser's others among `offered`, best first."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:500]
    asked = [code for code, _q in parse_accept_lang_header(header)][:ACCEPT_LANGUAGES]
    matched = (match_language(code, offered) for code in asked)
    return list(dict.fromkeys([page_language, *(code for code in matched if code)]))


def remember_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """A language picked with the switcher (?lang=) is kept in the cookie for a year."""
    if request.GET.get("lang") == language:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")


def match_language(raw: str, offered: Sequence[str]) -> str:
    """The offered code a requested one (fr-CA, zh-CN) stands for, or ""."""
    if not raw or raw == "*":
        return ""
    code = normalize_language(raw)
    if code in offered:
        return code
    base = code.split("-")[0]
    if base == "zh" and "zh-hans" in offered:
        return "zh-hans"
    return next((o for o in offered if o.split("-")[0] == base), "")


def ui_language(code: str) -> str:
    """The interface language for content in `code`: itself if translated, else English."""
    return code if code in UI_LANGUAGES else settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        from babel import Locale

        try:
            return str(Locale.parse(code.replace("-", "_")).display_name or code)
        except (ValueError, LookupError):
            return code


def name_for_reader(code: str) -> str:
    """The language's name as the active interface language writes it (CLDR's: "arabe",
    "chinois (simplifié)")."""
    from babel import Locale, UnknownLocaleError

    try:
        reader = Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
        return str(Locale.parse(to_locale(code)).get_display_name(reader) or code)
    except (ValueError, LookupError, UnknownLocaleError):
        return code


def is_bidi(code: str) -> bool:
    return code.split("-")[0] in {"ar", "fa", "he", "ur", "ps", "dv", "yi", "ku", "sd", "ug"}


def page_frame(path: str, title: str, language: str, offered: Sequence[str]) -> dict[str, Any]:
    """What web/base.html needs on a participant page: title, direction, language switcher."""
    return {
        "title": title,
        "language": language,
        "direction": "rtl" if is_bidi(language) else "ltr",
        "languages": [(code, language_name(code)) for code in offered],
        "path": path,
    }
