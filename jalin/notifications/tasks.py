"""Background work (huey). Thin wrappers around jalin.notifications.services."""

import datetime

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jalin.notifications import services, whatsapp


@db_task()
def send_reminders(day: str | None = None) -> int:
    today = datetime.date.fromisoformat(day) if day else None
    lines, _mailed = services.run_daily(today=today)
    return len(lines)


@db_periodic_task(crontab(hour=str(settings.REMINDER_HOUR_UTC), minute="0"))
def daily_reminders() -> int:
    lines, _mailed = services.run_daily()
    return len(lines)


@db_task(retries=3, retry_delay=60)
def deliver_notification(notification_id: int) -> dict:
    """E-mail a hand-over notification and queue its WhatsApp message (claimed once)."""
    return services.notification_deliver(notification_id=notification_id)


@db_task(retries=settings.WHATSAPP_MAX_ATTEMPTS - 1, retry_delay=settings.WHATSAPP_RETRY_SECONDS)
def send_whatsapp(message_id: int) -> str:
    """Send one WhatsApp message; a failure raises so that huey retries it, and the last
    failure is recorded on the message (shown on the person's notification page)."""
    return whatsapp.message_send(message_id=message_id)
