"""The two numbers in the header (unread notifications, work queue), kept in the cache so
that a page costs no SQL for them. They are computed at login, recomputed when they may
have changed (a notification for the user, a workflow transition in their government) and
at the latest after COUNTS_TTL seconds."""

import uuid

from django.core.cache import cache

COUNTS_TTL = 120


def _key(user_id: int) -> str:
    return f"jalin:counts:{user_id}"


def _generation_key(government_id) -> str:
    return f"jalin:counts-generation:{government_id}"


def refresh(user, generation=None) -> dict:
    from jalin.lib.queues import count_for
    from jalin.notifications.models import Notification

    if generation is None:
        generation = cache.get(_generation_key(user.government_id))
    counts = {
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "inbox": count_for(user),
        "generation": generation,
    }
    cache.set(_key(user.pk), counts, COUNTS_TTL)
    return counts


def counts_for(user) -> dict:
    key, generation_key = _key(user.pk), _generation_key(user.government_id)
    values = cache.get_many([key, generation_key])
    counts, generation = values.get(key), values.get(generation_key)
    if counts is not None and counts.get("generation") == generation:
        return counts
    return refresh(user, generation)


def forget_users(user_ids) -> None:
    cache.delete_many([_key(pk) for pk in user_ids if pk])


def forget_government(government_id) -> None:
    cache.set(_generation_key(government_id), uuid.uuid4().hex, None)


def on_login(sender, request, user, **kwargs) -> None:
    if getattr(user, "is_staff_member", False):
        refresh(user)


def on_queue_changed(sender, government_id, **kwargs) -> None:
    forget_government(government_id)
