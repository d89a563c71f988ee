"""The back office as organizers see it: named for what it is, without the machinery, its
sign-in throttled against password guessing and asking a second factor (accounts.twofactor)."""

from collections.abc import Callable
from typing import Any

import django_tasks_db.admin  # noqa: F401  registers the queue now (web's admin runs first)
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_tasks_db.models import DBTaskResult

from globaldialogue.accounts import twofactor
from globaldialogue.accounts.access import may_enter, must_set_up
from globaldialogue.lib.ratelimit import client_ip, retry_after

admin.site.site_header = "Global Dialogue: back office"
admin.site.site_title = "Global Dialogue"
admin.site.index_title = "Consultations, surveys, conversations and dialogues"

# The task queue is the workers' business; analyses show their own progress (results).
admin.site.unregister(DBTaskResult)


def throttled(login: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in attempts counted per network and per user name (settings.RATE_LOGIN_*): past
    either limit the form answers 429 with the wait, whatever the password. Someone who must
    set up a second factor and has none goes to its page once the password is right."""

    def view(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = _login(request, extra_context)
        user: Any = request.user
        if user.is_authenticated and user.is_staff and must_set_up(user):
            return HttpResponseRedirect(twofactor.SETUP_URL)
        return response

    def _login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST":
            name = str(request.POST.get("username", "")).strip().lower()[:150]
            wait = retry_after("login-ip", client_ip(request), settings.RATE_LOGIN_PER_IP)
            wait = retry_after("login-user", name, settings.RATE_LOGIN_PER_USER) or wait
            if wait:
                message = f"Too many sign-in attempts; try again in {wait} seconds."
                response = HttpResponse(message, status=429, content_type="text/plain")
                response["Retry-After"] = str(wait)
                return response
        return login(request, extra_context)

    return view


def has_permission(request: HttpRequest) -> bool:
    """Active staff who have given the second factor asked of them."""
    user: Any = request.user
    return bool(user.is_active and user.is_staff and may_enter(user))


admin.site.login = throttled(admin.site.login)  # type: ignore[method-assign]
admin.site.login_form = twofactor.TwoFactorLoginForm
admin.site.has_permission = has_permission  # type: ignore[method-assign]
