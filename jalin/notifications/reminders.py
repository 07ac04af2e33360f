"""The staged expiry reminders: by default 180, 90 and 30 days before the end, then weekly,
until a renewal or a termination is recorded (or the agreement is archived)."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalin.agreements.models import Agreement
from jalin.lib.reminders import Reminder, reminder_source

WEEK = 7


def expiry_step(days_left: int, thresholds: list[int]) -> str | None:
    """Which step of the schedule applies `days_left` days before the end (negative: after).
    Thresholds are sorted high to low; after the last one a new step starts every week."""
    if not thresholds or days_left > thresholds[0]:
        return None
    last = thresholds[-1]
    if days_left > last:
        return str(min(t for t in thresholds if days_left <= t))
    week = (last - days_left) // WEEK
    return str(last) if week == 0 else f"{last}w{week}"


def step_day(ends_on: datetime.date, step: str) -> datetime.date:
    """The day a step of the schedule begins: `ends_on` minus its threshold, plus its weeks."""
    days, _sep, week = step.partition("w")
    return ends_on - datetime.timedelta(days=int(days)) + datetime.timedelta(days=WEEK * int(week or 0))


@reminder_source
def expiring_agreements(today: datetime.date):
    from jalin.workflow.models import Stage, WorkflowSettings
    from jalin.workflow.services import default_settings

    rules = {row.government_id: row for row in WorkflowSettings.objects.all()}
    fallback = WorkflowSettings(**default_settings())
    horizon = max(
        [fallback.expiry_days_for("")[0]]
        + [row.expiry_days_for(category)[0] for row in rules.values() for category in _categories()]
        + [fallback.expiry_days_for(category)[0] for category in _categories()]
    )
    stop_after = settings.REMINDER_EXPIRY_STOP_AFTER_DAYS
    renewed = Agreement.objects.filter(predecessor=OuterRef("pk"), archived_at__isnull=True).exclude(
        process__stage__in=(Stage.REJECTED, Stage.WITHDRAWN)
    )
    agreements = (
        Agreement.objects.filter(
            archived_at__isnull=True,
            terminated_on__isnull=True,
            signed_on__isnull=False,
            ends_on__lte=today + datetime.timedelta(days=horizon),
            ends_on__gte=today - datetime.timedelta(days=stop_after),
        )
        .exclude(Exists(renewed))
        .select_related("lead_agency", "liaison_officer", "government")
        .order_by("ends_on", "pk")
    )
    for agreement in agreements:
        thresholds = rules.get(agreement.government_id, fallback).expiry_days_for(agreement.category)
        days_left = (agreement.ends_on - today).days
        step = expiry_step(days_left, thresholds)
        if step is None:
            continue
        if step_day(agreement.ends_on, step) < agreement.signed_on:
            continue  # signed after this step's day: the next scheduled step comes on its own day
        if days_left >= 0:
            subject = ngettext("Agreement ends in %(days)d day", "Agreement ends in %(days)d days", days_left) % {
                "days": days_left
            }
            reason = _(
                "It ends on %(end)s. Record a renewal (extension) or a termination; until then you will be reminded."
            ) % {"end": agreement.ends_on.strftime("%d-%m-%Y")}
        else:
            subject = ngettext("Agreement ended %(days)d day ago", "Agreement ended %(days)d days ago", -days_left) % {
                "days": -days_left
            }
            reason = _(
                "It ended on %(end)s without a renewal or termination recorded. Record one to stop these reminders."
            ) % {"end": agreement.ends_on.strftime("%d-%m-%Y")}
        yield Reminder(
            key=f"expiry:{agreement.pk}:{agreement.ends_on.isoformat()}:{step}",
            agreement=agreement,
            kind="expiry",
            subject=subject,
            reason=reason,
            due=agreement.ends_on,
            # The escalation thread is kind + agreement (the default): an amended end date
            # restarts the schedule (the key) but not the count of reminders before the leader is copied.
        )


def _categories():
    from jalin.agreements.models import Category

    return Category.values
