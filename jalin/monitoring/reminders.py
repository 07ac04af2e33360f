"""Reminder sources (jalin.lib.reminders): overdue progress reports, dormant agreements and
evaluations due. Escalation (liaison officer → agency head → leader) is the reminder
machinery's job (the notifications app, which finds this module by itself)."""

import datetime

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from jalin.agreements.models import Agreement
from jalin.lib.reminders import Reminder, reminder_source
from jalin.monitoring.health import Thresholds, signals_of, with_health


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


# Evaluation due dates ---------------------------------------------------------------------

EVALUATION_GRACE_DAYS = 30  # an evaluation recorded this many days before a due date counts for it
EVALUATION_REMIND_FOR_DAYS = 60  # how long after a due date it is still reminded (a missed run catches up)


def _anniversary(start: datetime.date, years: int) -> datetime.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def evaluation_due_dates(agreement, until: datetime.date | None = None) -> list[datetime.date]:
    """When an agreement's evaluation is due (docs/monitoring.md): at the end of each
    agreement year (EVALUATION_YEARLY) and EVALUATION_DUE_BEFORE_END_DAYS before its end."""
    start = agreement.effective_on or agreement.signed_on
    if start is None:
        return []
    end = agreement.ends_on
    dates: set[datetime.date] = set()
    if settings.EVALUATION_YEARLY:
        years = 1
        while years <= 50:
            day = _anniversary(start, years)
            if end is not None and day > end:
                break
            dates.add(day)
            if end is None and until is not None and day > until:
                break
            years += 1
    if end is not None:
        before = end - datetime.timedelta(days=settings.EVALUATION_DUE_BEFORE_END_DAYS)
        if before > start:
            dates.add(before)
    return sorted(dates)


def _evaluation_candidates(today: datetime.date):
    from jalin.monitoring.models import Evaluation

    recent = Evaluation.objects.filter(agreement_id=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    return (
        Agreement.objects.live()
        .filter(signed_on__isnull=False, signed_on__lte=today, terminated_on__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today - datetime.timedelta(days=EVALUATION_REMIND_FOR_DAYS)))
        .annotate(last_evaluated=Subquery(recent))
        .select_related("government", "lead_agency", "liaison_officer")
        .order_by("pk")
        .iterator(chunk_size=500)
    )


@reminder_source
def evaluations_due(today: datetime.date):
    """An evaluation due (and none recorded for it): the evaluators are reminded, once per due date."""
    for agreement in _evaluation_candidates(today):
        past = [day for day in evaluation_due_dates(agreement, until=today) if day <= today]
        if not past:
            continue
        due = past[-1]
        if (today - due).days > EVALUATION_REMIND_FOR_DAYS:
            continue
        last = agreement.last_evaluated
        if last is not None and last.date() >= due - datetime.timedelta(days=EVALUATION_GRACE_DAYS):
            continue
        yield Reminder(
            key=f"evaluation-due:{agreement.pk}:{due.isoformat()}",
            agreement=agreement,
            kind="evaluation_due",
            subject=_("Evaluation due: %(title)s") % {"title": agreement.title},
            reason=_(
                "The agreement's evaluation was due on %(due)s. Record it (effectiveness, efficiency, benefit, "
                "compliance) so that continuing, revising or ending it is decided on evidence."
            )
            % {"due": due.strftime("%d-%m-%Y")},
            due=due,
            escalate=False,
            state="evaluation.due",
        )
