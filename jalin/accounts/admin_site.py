"""The Django admin behind the second factor.

`/django-admin/` admits only an active staff-flagged user whose session was verified by a
second factor (django-otp's `OTPAdminSite`); its login page sends people to Jalin's login,
which asks for the code (or makes them enrol first). Models whose rows span governments or
hold secrets are not offered: the audit trail (read in Jalin, scoped by government), API
tokens and the raw OTP devices (their keys).
"""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite

HIDDEN_MODELS = {
    "audit.AuditEntry",
    "accounts.ApiToken",
    "authtoken.Token",
    "authtoken.TokenProxy",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "auth.Group",
}


class JalinAdminSite(OTPAdminSite):
    site_header = "Jalin"

    def __init__(self, name="admin"):
        super().__init__(name)

    def register(self, model_or_iterable, admin_class=None, **options):
        models = model_or_iterable if isinstance(model_or_iterable, list | tuple) else [model_or_iterable]
        models = [model for model in models if model._meta.label not in HIDDEN_MODELS]
        if models:
            super().register(models, admin_class, **options)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in without a verified second factor (or without admin rights): logging in
            # again through Jalin's login is the way in, not a redirect loop.
            context = {"needs_two_factor": not request.user.is_verified()}
            return render(request, "accounts/admin_refused.html", context, status=403)
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url)
