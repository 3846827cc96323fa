"""Setting up two-factor sign-in: an authenticator app and backup codes."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login

from . import qr, twofactor
from .forms import ConfirmAppForm


def _page(request, template, title, **context):
    return TemplateResponse(
        request,
        f"admin/staff/{template}",
        {**admin.site.each_context(request), "title": title, **context},
    )


def status(request):
    user = request.user
    app = twofactor.app_of(user)
    return _page(
        request,
        "two_factor.html",
        "Two-factor sign-in",
        app=app,
        codes_left=twofactor.backup_codes_left(user),
        required=twofactor.required(),
    )


@never_cache
@csrf_protect
def set_up(request):
    user = request.user
    if not (user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    replacing = twofactor.has_device(user)
    if replacing and not twofactor.is_verified(user):
        # Replacing a second factor takes the one there is.
        raise PermissionDenied
    device = twofactor.pending_app(user)
    form = ConfirmAppForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_app(device)
        otp_login(request, device)  # this session is now verified with the new app
        return _page(request, "backup_codes.html", "Two-factor sign-in is on", codes=codes)
    return _page(
        request,
        "set_up.html",
        "Set up an authenticator app",
        form=form,
        qr_code=qr.svg(device.config_url),
        key=twofactor.readable_key(device),
        replacing=replacing,
    )


@never_cache
def backup_codes(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if twofactor.app_of(request.user) is None:  # backup codes back up an app
        return redirect("admin:two_factor_setup")
    codes = twofactor.new_backup_codes(request.user)
    return _page(request, "backup_codes.html", "New backup codes", codes=codes)
