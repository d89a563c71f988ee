"""Two-factor sign-in to the back office: a password, then a six-digit code from an
authenticator app (TOTP, RFC 6238, through django-otp).

Required of everyone who signs in when settings.REQUIRE_TWO_FACTOR (on by default outside
the demo), and of anyone who has set it up in any case. Someone required to who has no
app yet is sent, right after the password, to the page that sets one up; until then the
back office stays closed to them.
"""

from base64 import b32encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from globaldialogue.accounts import actions
from globaldialogue.accounts.access import confirmed_device

SETUP_URL = "/admin/two-factor/"
CODE_HELP = "The six digits your authenticator app shows for Global Dialogue."


class TwoFactorLoginForm(AdminAuthenticationForm):
    """The back office's sign-in: the code is asked of those who have an app set up."""

    code = forms.CharField(
        label="Code", required=False, max_length=8, help_text=CODE_HELP + " (if set up)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "id_code_helptext",
            }
        )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        device = confirmed_device(user)
        if device is None:
            return
        if not actions.check_code(device=device, code=str(self.cleaned_data.get("code") or "")):
            raise forms.ValidationError(
                "Enter the current code from your authenticator app (with your password).",
                code="code",
            )
        user.otp_device = device  # django_otp marks the session verified at login


class SetUpForm(forms.Form):
    code = forms.CharField(label="Code", max_length=8, help_text=CODE_HELP)


@login_required(login_url="/admin/login/")
def set_up(request: HttpRequest) -> HttpResponse:
    """Show a new secret (as a QR code and as text); a correct code from the app turns
    two-factor sign-in on for this account."""
    user: Any = request.user
    if not user.is_staff:
        return HttpResponseRedirect("/admin/login/")
    if confirmed_device(user) is not None:
        return render(request, "admin/two_factor.html", {"done": True, **_context(request)})
    device = actions.pending_two_factor(user=user)
    form = SetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.confirm_two_factor(device=device, code=form.cleaned_data["code"]):
            otp_login(request, device)
            return HttpResponseRedirect("/admin/")
        form.add_error("code", "That code is not the current one; try the next.")
    context = {"form": form, "secret": _secret_text(device), **_context(request)}
    context["qr"] = _qr_svg(device.config_url)
    response = render(request, "admin/two_factor.html", context)
    response["Cache-Control"] = "no-store"  # the secret is on it
    return response


def _context(request: HttpRequest) -> dict[str, Any]:
    from django.contrib import admin

    return {**admin.site.each_context(request), "title": "Two-factor sign-in"}


def _secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _qr_svg(text: str) -> str:
    out = BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # without the XML declaration, inside the page
    labelled = svg.replace("<svg ", '<svg role="img" aria-label="QR code of the secret" ', 1)
    return mark_safe(labelled)  # noqa: S308  made here from our own data
