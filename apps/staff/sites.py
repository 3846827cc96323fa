from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path

from . import twofactor, views
from .forms import SignInForm


class AdminSite(admin.AdminSite):
    """The editorial desk. Where two-factor sign-in is required, only a session verified
    with a second factor may use it; a staff account without one is led to set it up."""

    site_header = "Briefs CMS"
    site_title = "Briefs CMS"
    index_title = "Editorial desk"
    login_form = SignInForm
    login_template = "admin/staff/login.html"

    def has_permission(self, request):
        verified = not twofactor.required() or twofactor.is_verified(request.user)
        return super().has_permission(request) and verified

    def login(self, request, extra_context=None):
        if request.method == "GET" and self._must_set_up(request):
            return redirect("admin:two_factor_setup")
        response = super().login(request, extra_context)
        if request.method == "POST" and self._must_set_up(request):
            return redirect("admin:two_factor_setup")
        return response

    def _must_set_up(self, request):
        user = request.user
        return (
            twofactor.required()
            and user.is_active
            and user.is_staff
            and not twofactor.is_verified(user)
            and not twofactor.has_device(user)
        )

    def index(self, request, extra_context=None):
        # The desk's front page says how to set up a second factor, where one is missing.
        missing = not twofactor.has_device(request.user)
        return super().index(request, {"two_factor_missing": missing, **(extra_context or {})})

    def get_urls(self):
        return [
            path("two-factor/", self.admin_view(views.status), name="two_factor"),
            # Open to a staff member signed in with a password whose account has no second
            # factor yet (that is how they get one), or to one verified with it.
            path("two-factor/set-up/", views.set_up, name="two_factor_setup"),
            path(
                "two-factor/backup-codes/",
                self.admin_view(views.backup_codes),
                name="two_factor_backup_codes",
            ),
            *super().get_urls(),
        ]
