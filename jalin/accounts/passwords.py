"""Password events: changes and resets are audited; reset requests are rate-limited per
address and per client (`PASSWORD_RESET_PER_HOUR`, counted in the shared cache)."""

import hashlib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.events import audit_event
from jalin.accounts.models import User

WINDOW_SECONDS = 3600


def _count(kind: str, value: str) -> int:
    key = f"password-reset:{kind}:{hashlib.sha256(value.lower().encode()).hexdigest()}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def reset_request_allowed(*, email: str, client: str) -> bool:
    """Counts this request; False once either the address or the client is over the limit."""
    limit = settings.PASSWORD_RESET_PER_HOUR
    by_email = _count("email", email)
    by_client = _count("client", client or "unknown")
    return by_email <= limit and by_client <= limit


def reset_requested(*, email: str, remote_addr: str | None) -> None:
    users = list(User.objects.filter(email__iexact=email, is_active=True))
    for user in users:
        audit_event(user, "password_reset_requested", _("Password reset link requested"), remote_addr=remote_addr)
    if not users:
        audit_event(
            None,
            "password_reset_requested",
            _("Password reset requested for an unknown address"),
            username=email,
            remote_addr=remote_addr,
        )


def password_changed(*, user: User, remote_addr: str | None, by_reset: bool = False) -> None:
    message = _("Password reset with a one-time link") if by_reset else _("Password changed")
    audit_event(
        user, "password_reset" if by_reset else "password_changed", message, remote_addr=remote_addr, actor=user
    )


@transaction.atomic
def officer_reset_link_send(*, actor: User, officer: User, request) -> None:
    """An admin sends an officer of their own government a one-time link to set a new password."""
    if not access.can_reset_password_of(actor, officer):
        raise PermissionDenied
    if not officer.email:
        raise ValidationError(_("This user has no e-mail address: add one first."))
    context = {
        "email": officer.email,
        "domain": request.get_host(),
        "site_name": "Jalin",
        "uid": urlsafe_base64_encode(force_bytes(officer.pk)),
        "user": officer,
        "token": default_token_generator.make_token(officer),
        "protocol": "https" if request.is_secure() else "http",
    }
    PasswordResetForm().send_mail(
        "accounts/password_reset_subject.txt",
        "accounts/password_reset_email.txt",
        context,
        None,
        officer.email,
    )
    audit_event(officer, "password_reset_sent", _("An administrator sent a password reset link"), actor=actor)
