"""Optional TOTP two-factor authentication for admins and leaders, and the audit of
failed verifications and of account locks and unlocks (django-axes)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import totp
from jalin.accounts.models import Role, TOTPDevice, User
from jalin.audit.context import acting_as, current_actor

TWO_FACTOR_ROLES = (Role.ADMIN, Role.LEADER)
ISSUER = "Jalin"
# Wrong codes allowed at the verification step before the pending login is discarded.
MAX_WRONG_CODES = 5
# Wrong codes per user, across logins, within the axes cool-off, before the step is refused:
# a password holder cannot keep guessing by logging in again.
MAX_RECENT_WRONG_CODES = 2 * MAX_WRONG_CODES


def can_use_two_factor(user) -> bool:
    return bool(user.is_authenticated and user.is_staff_member and user.role in TWO_FACTOR_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def provisioning_uri(device: TOTPDevice) -> str:
    return totp.provisioning_uri(device.secret, account=device.user.username, issuer=ISSUER)


def _check_and_consume(device: TOTPDevice, code: str) -> bool:
    """True when `code` is valid and was not used before; records the step it used."""
    step = totp.matching_step(device.secret, code, after_step=device.last_used_step)
    if step is None:
        return False
    device.last_used_step = step
    device.save(update_fields=["last_used_step"])
    return True


@transaction.atomic
def two_factor_start(*, actor: User) -> TOTPDevice:
    """Create (or renew) the unconfirmed device whose secret the user enters in an app."""
    if not can_use_two_factor(actor):
        raise PermissionDenied
    device = TOTPDevice.objects.select_for_update().filter(user=actor).first()
    if device and device.is_confirmed:
        raise ValidationError(_("Two-factor authentication is already enabled."))
    with acting_as(actor):
        if device is None:
            device = TOTPDevice.objects.create(user=actor, secret=totp.new_secret())
        else:
            device.secret = totp.new_secret()
            device.last_used_step = None
            device.save(update_fields=["secret", "last_used_step"])
    return device


@transaction.atomic
def two_factor_confirm(*, actor: User, code: str) -> TOTPDevice:
    if not can_use_two_factor(actor):
        raise PermissionDenied
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=True).first()
    if device is None:
        raise ValidationError(_("Start the set-up again: there is no device waiting for confirmation."))
    with acting_as(actor):
        if not _check_and_consume(device, code):
            raise ValidationError(_("The code is not valid. Check the time on your phone and try again."))
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
    return device


@transaction.atomic
def two_factor_disable(*, actor: User, code: str) -> None:
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=False).first()
    if device is None:
        raise ValidationError(_("Two-factor authentication is not enabled."))
    with acting_as(actor):
        if not _check_and_consume(device, code):
            raise ValidationError(_("The code is not valid. Check the time on your phone and try again."))
        # Not deleted: the device is switched off and its secret discarded.
        device.confirmed_at = None
        device.secret = totp.new_secret()
        device.save(update_fields=["confirmed_at", "secret"])


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


@transaction.atomic
def two_factor_verify(*, user: User, code: str, remote_addr: str | None = None) -> bool:
    """Check a login code. A wrong code is audited; a valid one is consumed."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    with acting_as(user):
        if _check_and_consume(device, code):
            return True
    audit_event(user, "two_factor_failed", _("Wrong two-factor code at login"), remote_addr=remote_addr)
    return False


def audit_event(user: User | None, event: str, message: str, *, username: str = "", remote_addr=None, actor=None):
    """Write an audit entry for an account event that is not a model change."""
    from jalin.audit.models import AuditEntry

    actor = actor if actor is not None else (current_actor() or _request_actor())
    entry = AuditEntry(
        action=AuditEntry.Action.ACCESS,
        changes_text=message,
        additional_data={"event": event, "username": user.username if user else username},
        remote_addr=remote_addr or None,
    )
    if user is not None:
        entry.content_type = ContentType.objects.get_for_model(User)
        entry.object_pk = str(user.pk)
        entry.object_id = user.pk
        entry.object_repr = str(user)
        entry.government_id = user.government_id
    else:
        entry.content_type = ContentType.objects.get_for_model(User)
        entry.object_pk = ""
        entry.object_repr = username
    if actor is not None and getattr(actor, "pk", None):
        entry.actor = actor
        entry.actor_email = actor.email
    entry.save()
    return entry


def _request_actor():
    """The signed-in user of the current request, as set by auditlog's middleware (e.g. the Django admin)."""
    from auditlog.context import auditlog_value

    actor = (auditlog_value.get(None) or {}).get("actor")
    return actor if getattr(actor, "is_authenticated", False) else None


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
