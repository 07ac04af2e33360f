"""Background work (huey): keep the dashboard summaries of every government current."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jalin.monitoring import selectors


@db_periodic_task(crontab(hour=str(settings.SUMMARY_REFRESH_HOUR_UTC), minute="5"))
def refresh_dashboard_summaries() -> int:
    return selectors.refresh_summaries()
