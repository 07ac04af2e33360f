"""The second factor of every staff login (django-otp), and the audit of account events:
failed verifications, account locks and unlocks (django-axes), tokens and preferences.

Devices are django-otp's: one TOTP device (an authenticator app) and one static device whose
one-time tokens are the recovery codes. The second factor is required for the roles in
`settings.TWO_FACTOR_REQUIRED_ROLES` and for superusers (they enrol at their first login) and
offered to every other staff user. A session is verified (`request.user.is_verified()`) only
after a code was accepted at login; the Django admin requires it.
"""

import base64
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalin.accounts.events import audit_event
from jalin.accounts.models import User
from jalin.audit.context import acting_as

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
RECOVERY_CODES = 10
# Wrong codes allowed at the verification step before the pending login is discarded.
MAX_WRONG_CODES = 5
# Wrong codes per user, across logins, within the axes cool-off, before the step is refused:
# a password holder cannot keep guessing by logging in again.
MAX_RECENT_WRONG_CODES = 2 * MAX_WRONG_CODES


def requires_two_factor(user) -> bool:
    """Admins, leaders, supervisors (the configured roles) and superusers must use a second factor."""
    if not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or (user.role and user.role in settings.TWO_FACTOR_REQUIRED_ROLES))


def can_use_two_factor(user) -> bool:
    """Offered to every staff user (and to superusers, who need it for the Django admin)."""
    return bool(user.is_authenticated and (user.is_staff_member or user.is_superuser))


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, name=TOTP_NAME).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def two_factor_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed authenticator whose secret the user enters in an app (kept until confirmed)."""
    if not can_use_two_factor(actor):
        raise PermissionDenied
    devices = TOTPDevice.objects.select_for_update().filter(user=actor)
    if devices.filter(confirmed=True).exists():
        raise ValidationError(_("Two-factor authentication is already enabled."))
    device = devices.filter(name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_NAME, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return codes


@transaction.atomic
def two_factor_confirm(*, actor: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Switch on the waiting authenticator with a valid code; returns it and new recovery codes
    (shown once)."""
    if not can_use_two_factor(actor):
        raise PermissionDenied
    device = TOTPDevice.objects.select_for_update().filter(user=actor, name=TOTP_NAME, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Start the set-up again: there is no device waiting for confirmation."))
    if not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError(_("The code is not valid. Check the time on your phone and try again."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(actor)
    with acting_as(actor):
        audit_event(actor, "two_factor_enabled", _("Two-factor authentication enabled"), actor=actor)
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, actor: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a code from the authenticator."""
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
    if device is None:
        raise ValidationError(_("Two-factor authentication is not enabled."))
    if not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError(_("The code is not valid. Check the time on your phone and try again."))
    codes = _new_recovery_codes(actor)
    audit_event(actor, "recovery_codes_renewed", _("New recovery codes generated"), actor=actor)
    return codes


@transaction.atomic
def two_factor_disable(*, actor: User, code: str) -> None:
    if requires_two_factor(actor):
        raise ValidationError(_("Your role requires two-factor authentication: it cannot be switched off."))
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
    if device is None:
        raise ValidationError(_("Two-factor authentication is not enabled."))
    if not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError(_("The code is not valid. Check the time on your phone and try again."))
    # The secret is discarded: a new set-up starts with a new one.
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    audit_event(actor, "two_factor_disabled", _("Two-factor authentication disabled"), actor=actor)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """A superuser switches off the second factor of a user who lost their phone; a user whose
    role requires it enrols again at the next login."""
    if not actor.is_superuser:
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_event(user, "two_factor_reset", _("Two-factor authentication reset by an administrator"), actor=actor)


def too_many_recent_failures(user: User) -> bool:
    from jalin.audit.models import AuditEntry

    hours = getattr(settings, "AXES_COOLOFF_TIME", None)
    hours = hours if isinstance(hours, int | float) and hours > 0 else 0.25
    since = timezone.now() - timedelta(hours=hours)
    recent = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_id=user.pk,
        additional_data__event="two_factor_failed",
        timestamp__gte=since,
    )
    return recent.count() >= MAX_RECENT_WRONG_CODES


def two_factor_verify(*, user: User, code: str, remote_addr: str | None = None):
    """The device that accepts a login code (authenticator or recovery code), or None.

    A valid code is consumed (a TOTP step or a recovery code works once); a wrong one is
    audited.
    """
    code = (code or "").strip().replace(" ", "")
    device = match_token(user, code) if code else None
    if device is not None:
        if isinstance(device, StaticDevice):
            audit_event(user, "recovery_code_used", _("A recovery code was used to log in"), remote_addr=remote_addr)
        return device
    audit_event(user, "two_factor_failed", _("Wrong two-factor code at login"), remote_addr=remote_addr)
    return None


def _user_named(username: str) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).first()


def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = username or ""
    audit_event(
        _user_named(username),
        "account_locked",
        _("Account locked after repeated failed logins"),
        username=username,
        remote_addr=ip_address,
    )


def on_access_attempt_deleted(sender, instance, **kwargs):
    """An AccessAttempt that had reached the failure limit was removed: the account is unlocked.

    Covers the Django admin, `axes_reset*` commands and expiry. Attempts below the limit
    (e.g. reset by a successful login) are not locks and are not audited.
    """
    limit = getattr(settings, "AXES_FAILURE_LIMIT", 3)
    if not isinstance(limit, int) or instance.failures_since_start < limit:
        return
    username = instance.username or ""
    audit_event(
        _user_named(username),
        "account_unlocked",
        _("Account unlocked (failed-login lock removed)"),
        username=username,
        remote_addr=instance.ip_address,
    )
