"""The notifications section of the work queue (jalin.lib.queues): unread notifications.
They do not add to the queue's count (the header shows them on their own)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.lib.queues import Entry, Section, queue_section
from jalin.notifications.models import Notification


@queue_section(order=90, count=lambda user: 0)
def unread_notifications(user, today: datetime.date) -> Section | None:
    items = list(Notification.objects.filter(user=user, read_at__isnull=True).select_related("agreement")[:20])
    entries = [
        Entry(
            state=item.kind,
            title=item.display_subject,
            url=item.link or reverse("notifications:list"),
            since=timezone.localdate(item.created_at),  # the day in the installation's zone, as the other sections
            agreement_id=item.agreement_id,
            detail=item.display_reason,
            obj=item,
        )
        for item in items
    ]
    return Section(
        key="notifications",
        title=_("Unread notifications"),
        template="notifications/queue_unread.html",
        entries=entries,
        context={"counts": False},
    )
