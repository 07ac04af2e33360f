"""The two numbers in the header (unread notifications, work queue), kept in the cache so
that a page costs no SQL for them. They are cached through the one cache-key mechanism
(jalin/audit/revisions.py) under the user's scope (a notification for them, one read) and
their government's work-queue scope (a workflow transition there), and recomputed
at the latest after COUNTS_TTL seconds."""

from django.core.cache import cache

from jalin.audit import revisions

COUNTS_TTL = 120


def _key(user) -> str:
    return revisions.cache_key(
        "header-counts", user.pk, scopes=[revisions.user(user.pk), revisions.work_queue(user.government_id)]
    )


def refresh(user, key: str | None = None) -> dict:
    from jalin.lib.queues import count_for
    from jalin.notifications.models import Notification

    counts = {
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "inbox": count_for(user),
    }
    cache.set(key or _key(user), counts, COUNTS_TTL)
    return counts


def counts_for(user) -> dict:
    key = _key(user)
    counts = cache.get(key)
    return counts if counts is not None else refresh(user, key)


def forget_users(user_ids) -> None:
    revisions.bump(*(revisions.user(pk) for pk in user_ids if pk))


def forget_government(government_id) -> None:
    revisions.bump(revisions.work_queue(government_id))


def on_login(sender, request, user, **kwargs) -> None:
    if getattr(user, "is_staff_member", False):
        refresh(user)


def on_queue_changed(sender, government_id, **kwargs) -> None:
    forget_government(government_id)
