"""Background work (huey). Thin wrappers around jalin.notifications.services."""

import datetime

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jalin.notifications import services


@db_task()
def send_reminders(day: str | None = None) -> int:
    today = datetime.date.fromisoformat(day) if day else None
    lines, _mailed = services.run_daily(today=today)
    return len(lines)


@db_periodic_task(crontab(hour=str(settings.REMINDER_HOUR_UTC), minute="0"))
def daily_reminders() -> int:
    lines, _mailed = services.run_daily()
    return len(lines)
