"""Audit entries for account events that are not model changes (logins, second factor,
passwords, API tokens, notification preferences, calendar-token resets)."""

from django.contrib.contenttypes.models import ContentType

from jalin.accounts.models import User
from jalin.audit.context import current_actor

# `actor` not given: the current actor (acting_as, or the signed-in user of the request).
# Given as None: no actor (the command line).
FROM_CONTEXT = object()


def audit_event(
    user: User | None, event: str, message: str, *, username: str = "", remote_addr=None, actor=FROM_CONTEXT
):
    """Write an audit entry for an account event that is not a model change."""
    from jalin.audit.models import AuditEntry

    if actor is FROM_CONTEXT:
        actor = current_actor() or _request_actor()
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
