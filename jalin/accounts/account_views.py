"""The user's own account: overview, password change and reset, API tokens, the session
keep-alive; and an admin's password reset of an officer of their government."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalin.accounts import access, passwords, tokens, two_factor
from jalin.accounts.decorators import staff_required
from jalin.accounts.models import ApiToken, User
from jalin.accounts.sessions import idle_seconds


@never_cache
@staff_required
def account(request):
    context = {
        "has_second_factor": two_factor.has_second_factor(request.user),
        "requires_two_factor": two_factor.requires_two_factor(request.user),
        "can_manage_officers": access.can_manage_officers(request.user),
    }
    return render(request, "accounts/account.html", context)


@require_GET
def session_keepalive(request):
    """Counts as activity (the middleware refreshed the session); says how long it lasts now."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False}, status=401)
    return JsonResponse({"authenticated": True, "idle_seconds": idle_seconds()})


# Password change and reset -----------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_changed(user=self.request.user, remote_addr=self.request.META.get("REMOTE_ADDR"))
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Sends a one-time link; refused (with the same answer) beyond the hourly limit per
    address and per client, so it can neither flood a mailbox nor probe for accounts."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not passwords.reset_request_allowed(email=email, client=self.request.META.get("REMOTE_ADDR") or ""):
            form.add_error(None, _("Too many reset requests. Try again in an hour."))
            return self.form_invalid(form)
        passwords.reset_requested(email=email, remote_addr=self.request.META.get("REMOTE_ADDR"))
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_changed(user=form.user, remote_addr=self.request.META.get("REMOTE_ADDR"), by_reset=True)
        return response


@never_cache
@staff_required
@require_POST
def officer_password_reset(request, pk):
    """An admin sends an officer of their government a one-time link to choose a new password."""
    officer = User.objects.filter(pk=pk).first()
    if officer is None or officer.government_id != request.user.government_id:
        raise Http404
    if not access.can_reset_password_of(request.user, officer):
        raise PermissionDenied
    try:
        passwords.officer_reset_link_send(actor=request.user, officer=officer, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("A one-time link to choose a new password was sent to %(email)s.") % {"email": officer.email}
        )
    return redirect("officers")


@never_cache
@staff_required
def officers(request):
    if not access.can_manage_officers(request.user):
        raise PermissionDenied
    rows = User.objects.filter(government_id=request.user.government_id, is_active=True).select_related("agency")
    return render(request, "accounts/officers.html", {"officers": rows.order_by("username")})


# API tokens ---------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (what the token is for)"), max_length=100)
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=3650)


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    from django.conf import settings

    form = TokenForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = tokens.api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            form = TokenForm(initial={"days": settings.API_TOKEN_DAYS})
    context = {"form": form, "tokens": tokens.tokens_of(request.user), "new_token": new_token}
    return render(request, "accounts/api_tokens.html", context)


@never_cache
@staff_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api-tokens")
