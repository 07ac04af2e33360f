from django.urls import reverse

from jalin.accounts import access


def notifications(request) -> dict:
    """Unread notifications and the work-queue count for the header, from the cache
    (jalin.notifications.counters): no SQL on a normal page."""
    user = getattr(request, "user", None)
    if not access.is_staff_member(user):
        return {}
    from jalin.notifications.counters import counts_for

    counts = counts_for(user)
    return {
        "unread_notifications": counts["unread"],
        "notifications_url": reverse("notifications:list"),
        "inbox_count": counts["inbox"],
    }
