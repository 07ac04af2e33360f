"""API tokens: minted, used and revoked here only.

A token is 32 random bytes (URL-safe base64, prefixed `jalin_`). The database keeps its
SHA-256 digest, never the token: a token is a high-entropy random secret, so a fast hash is
enough (nothing to brute-force) and lets a request find its token by an indexed lookup.
Each token has a name and an expiry (`API_TOKEN_DAYS`, 90 days by default, at most
`API_TOKEN_MAX_DAYS`). Minting and revocation are audited, and so is use: the first use and
then at most once per `API_TOKEN_USE_AUDIT_MINUTES` (so the audit trail shows which tokens
are alive without one entry per request).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.events import audit_event
from jalin.accounts.models import ApiToken, User

PREFIX = "jalin_"
MAX_TOKEN_CHARS = 64


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User | None, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Mint a token for `user`; returns the row and the token (shown once, never stored).

    `actor` None is the command line (`create_api_token`); otherwise the user mints their own.
    """
    if actor is not None and not access.can_manage_api_tokens(actor, user):
        raise PermissionDenied
    if not access.is_staff_member(user):
        raise ValidationError(_("Only an active staff user with a role in a government can have an API token."))
    days = settings.API_TOKEN_DAYS if days is None else days
    errors = []
    name = (name or "").strip()
    if not name:
        errors.append(_("Give the token a name (what it is for)."))
    elif len(name) > 100:
        errors.append(_("The name is too long (at most 100 characters)."))
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors.append(_("A token lasts from 1 to %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS})
    if errors:
        raise ValidationError(errors)
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[: len(PREFIX) + 4],
        digest=digest(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_event(
        user,
        "api_token_created",
        _("API token “%(name)s” created, valid until %(date)s")
        % {"name": name, "date": timezone.localtime(row.expires_at).strftime("%Y-%m-%d")},
        actor=actor,
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if not access.can_manage_api_tokens(actor, token.user):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_event(
            token.user, "api_token_revoked", _("API token “%(name)s” revoked") % {"name": token.name}, actor=actor
        )
    return token


def api_token_user(key: str, *, remote_addr: str | None = None) -> User | None:
    """The active staff user a presented token belongs to, or None (unknown, expired, revoked)."""
    if not key or len(key) > MAX_TOKEN_CHARS:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    every = timedelta(minutes=settings.API_TOKEN_USE_AUDIT_MINUTES)
    if token.last_used_at is None or token.last_used_at <= now - every:
        # A conditional update: of concurrent requests, one writes the audit entry.
        claimed = ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(last_used_at=now)
        if claimed:
            audit_event(
                token.user,
                "api_token_used",
                _("API token “%(name)s” used") % {"name": token.name},
                remote_addr=remote_addr,
                actor=token.user,
            )
    return token.user


def tokens_of(user: User):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
