"""Reminder sources for the notifications app: overdue progress reports and dormant agreements.
Escalation (liaison officer → agency head → leader) is the reminder machinery's job."""

import datetime

from django.utils.translation import gettext as _

from jalin.agreements.models import Agreement
from jalin.monitoring.health import Thresholds, signals_of, with_health
from jalin.notifications.sources import Reminder, reminder_source


def _flagged(today: datetime.date, signal: str):
    return (
        with_health(Agreement.objects.live(), today, details=True)
        .filter(**{f"h_{signal}": True})
        .select_related("government", "lead_agency", "liaison_officer")
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def _reason(agreement, signal: str, today: datetime.date) -> str:
    return next((item.reason for item in signals_of(agreement, today) if item.signal == signal), "")


@reminder_source
def overdue_reports(today: datetime.date):
    period = Thresholds.for_day(today).due_period
    for agreement in _flagged(today, "report_overdue"):
        yield Reminder(
            key=f"report-overdue:{agreement.pk}:{period.key}",
            agreement=agreement,
            kind="report_overdue",
            subject=_("Progress report overdue: %(title)s") % {"title": agreement.title},
            reason=_reason(agreement, "report_overdue", today),
            due=period.due_on,
        )


@reminder_source
def dormant_agreements(today: datetime.date):
    t = Thresholds.for_day(today)
    for agreement in _flagged(today, "dormant"):
        # One reminder per agreement per stretch of dormancy, keyed by the last sign of life.
        last = max(
            [d.date() for d in (agreement.last_verified_report, agreement.last_verified_evidence) if d]
            or [agreement.signed_on]
        )
        yield Reminder(
            key=f"dormant:{agreement.pk}:{last.isoformat()}",
            agreement=agreement,
            kind="dormant",
            subject=_("Dormant agreement: %(title)s") % {"title": agreement.title},
            reason=_reason(agreement, "dormant", today),
            due=t.today,
        )
