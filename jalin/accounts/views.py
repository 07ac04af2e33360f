import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from jalin.accounts import two_factor
from jalin.accounts.models import User

PENDING_USER = "two_factor_pending_user"
PENDING_BACKEND = "two_factor_pending_backend"
PENDING_NEXT = "two_factor_pending_next"
WRONG_CODES = "two_factor_wrong_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LoginView(auth_views.LoginView):
    """Password login. A user with a second factor continues at the verification step; a user
    whose role requires one and who has none yet enrols first. Neither is logged in before."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_second_factor(user):
            step = "two-factor-verify"
        elif two_factor.requires_two_factor(user):
            step = "two-factor-enrol"
        else:
            return super().form_valid(form)
        # Not logged in yet: only the pending user id is kept until a valid code is entered.
        self.request.session.cycle_key()
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_BACKEND] = user.backend
        self.request.session[PENDING_NEXT] = self.get_success_url()
        self.request.session[WRONG_CODES] = 0
        return redirect(step)


def _clear_pending(session) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT, WRONG_CODES):
        session.pop(key, None)


def _client_ip(request) -> str | None:
    from jalin.lib.client import client_ip

    return client_ip(request)


def _pending_user(request):
    return User.objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()


def _finish_login(request, user, device):
    """Log the pending user in with the device that verified them; the next page to show."""
    backend = request.session.get(PENDING_BACKEND) or "django.contrib.auth.backends.ModelBackend"
    next_url = request.session.get(PENDING_NEXT) or ""
    _clear_pending(request.session)
    user.otp_device = device  # django-otp marks the session verified on login
    login(request, user, backend=backend)
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/app/"
    return next_url


def _count_wrong_code(request, form):
    """Counts a wrong code; a redirect to the login once there were too many."""
    wrong = request.session.get(WRONG_CODES, 0) + 1
    if wrong >= two_factor.MAX_WRONG_CODES:
        request.session.flush()
        messages.error(request, _("Too many wrong codes. Log in again."))
        return redirect("login")
    request.session[WRONG_CODES] = wrong
    form.add_error("code", _("The code is not valid. Check the time on your phone and try again."))
    return None


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    user = _pending_user(request)
    if user is None:
        _clear_pending(request.session)
        return redirect("login")
    if two_factor.too_many_recent_failures(user):
        request.session.flush()
        messages.error(request, _("Too many wrong codes. Try again later."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.two_factor_verify(
            user=user, code=form.cleaned_data["code"], remote_addr=_client_ip(request)
        )
        if device is not None:
            return HttpResponseRedirect(_finish_login(request, user, device))
        refused = _count_wrong_code(request, form)
        if refused:
            return refused
    return render(request, "registration/two_factor_verify.html", {"form": form, "pending_user": user})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request):
    """First login of a user whose role requires a second factor: set it up, then log in."""
    user = _pending_user(request)
    if user is None or two_factor.has_second_factor(user):
        _clear_pending(request.session)
        return redirect("login")
    device = two_factor.two_factor_start(actor=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.two_factor_confirm(actor=user, code=form.cleaned_data["code"])
        except ValidationError:
            refused = _count_wrong_code(request, form)
            if refused:
                return refused
        else:
            next_url = _finish_login(request, user, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})
    context = {"form": form, "pending_user": user, **_setup_context(device)}
    return render(request, "registration/two_factor_enrol.html", context)


def _setup_context(device) -> dict:
    secret = two_factor.secret_base32(device)
    return {
        "otpauth_uri": device.config_url,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_settings(request):
    if not two_factor.can_use_two_factor(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    form = CodeForm(request.POST or None) if action in ("confirm", "disable", "renew") else CodeForm()
    codes = None
    if request.method == "POST":
        try:
            if action == "start":
                two_factor.two_factor_start(actor=request.user)
                return redirect("two-factor-settings")
            if action in ("confirm", "disable", "renew") and form.is_valid():
                code = form.cleaned_data["code"]
                if action == "confirm":
                    device, codes = two_factor.two_factor_confirm(actor=request.user, code=code)
                    django_otp.login(request, device)
                    messages.success(request, _("Two-factor authentication is enabled."))
                elif action == "renew":
                    codes = two_factor.recovery_codes_renew(actor=request.user, code=code)
                else:
                    two_factor.two_factor_disable(actor=request.user, code=code)
                    messages.success(request, _("Two-factor authentication is disabled."))
                    return redirect("two-factor-settings")
        except ValidationError as error:
            if form.is_bound:
                form.add_error("code", error.messages)
            else:
                for message in error.messages:
                    messages.error(request, message)
    if codes is not None:
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": "/app/account/"})
    device = two_factor.totp_device(request.user)
    context = {
        "device": device,
        "form": form,
        "required": two_factor.requires_two_factor(request.user),
        "recovery_codes_left": two_factor.recovery_codes_left(request.user),
    }
    if device is not None and not device.confirmed:
        context.update(_setup_context(device))
    return render(request, "accounts/two_factor.html", context)
