"""The personal calendar feed (iCalendar): end dates, due workflow steps, report due dates,
evaluation due dates. An OPD officer's feed holds only their agency's items (the
who-acts-next table, jalin.accounts.actors, says whom each item concerns).

Other apps add events through `@calendar_source` (e.g. monitoring for report deadlines):
a function `(user, agreements_queryset, today) -> iterable of CalendarEvent`.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from jalin.accounts import actors


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: datetime.date
    summary: str
    description: str = ""
    url: str = ""


CalendarSource = Callable[..., Iterable[CalendarEvent]]
_calendar_sources: list[CalendarSource] = []

PAST_DAYS = 90
FUTURE_DAYS = 2 * 365
MAX_EVENTS = 1000


def calendar_source(function: CalendarSource) -> CalendarSource:
    if function not in _calendar_sources:
        _calendar_sources.append(function)
    return function


def _url(agreement_id: int) -> str:
    # SITE_URL: the address the site is served at (`make run` sets it from PORT).
    return settings.SITE_URL.rstrip("/") + reverse("agreements:detail", args=[agreement_id])


@calendar_source
def end_dates(user, agreements, today):
    window = (
        _concerning(user, agreements, "agreement.expiring")
        .filter(
            archived_at__isnull=True,
            terminated_on__isnull=True,
            signed_on__isnull=False,
            ends_on__gte=today - datetime.timedelta(days=PAST_DAYS),
            ends_on__lte=today + datetime.timedelta(days=FUTURE_DAYS),
        )
        .order_by("ends_on")[:MAX_EVENTS]
    )
    for agreement in window.only("pk", "title", "number", "ends_on"):
        yield CalendarEvent(
            uid=f"end-{agreement.pk}-{agreement.ends_on.isoformat()}",
            day=agreement.ends_on,
            summary=_("Ends: %(title)s") % {"title": agreement.title},
            description=agreement.number,
            url=_url(agreement.pk),
        )


@calendar_source
def workflow_steps(user, agreements, today):
    from jalin.workflow.models import Process

    processes = (
        Process.objects.active()
        .filter(agreement__in=_concerning(user, agreements, "agreement.expiring").values("pk"), due_on__isnull=False)
        .select_related("agreement")
        .order_by("due_on")[:MAX_EVENTS]
    )
    for process in processes:
        yield CalendarEvent(
            uid=f"workflow-{process.pk}-{process.entry}",
            day=process.due_on,
            summary=_("Due: %(stage)s — %(title)s")
            % {"stage": process.get_stage_display(), "title": process.agreement.title},
            url=_url(process.agreement_id),
        )


AGREEMENT_PATHS = {"government": "government_id", "lead_agency": "lead_agency_id", "liaison": "liaison_officer_id"}


def _concerning(user, agreements, state: str):
    """The agreements whose `state` concerns the user by the who-acts-next table (an OPD
    officer: their agency's and those they are liaison of); all visible ones for readers."""
    condition = actors.queue_q(user, state, told=True, **AGREEMENT_PATHS)
    return agreements if condition is None else agreements.filter(condition)


@calendar_source
def report_due_dates(user, agreements, today):
    from jalin.monitoring.health import implementing_kinds_q
    from jalin.monitoring.periods import period_containing

    period = period_containing(today).previous()
    periods = [period, period.next()]
    mine = (
        _concerning(user, agreements, "report.overdue")
        .filter(implementing_kinds_q(), archived_at__isnull=True, terminated_on__isnull=True, signed_on__isnull=False)
        .order_by("pk")
        .only("pk", "title", "signed_on", "ends_on")[:MAX_EVENTS]
    )
    for agreement in mine:
        for item in periods:
            if agreement.signed_on > item.ends_on or (agreement.ends_on and agreement.ends_on < item.starts_on):
                continue
            yield CalendarEvent(
                uid=f"report-due-{agreement.pk}-{item.key}",
                day=item.due_on,
                summary=_("Progress report due (%(period)s): %(title)s")
                % {"period": item.label, "title": agreement.title},
                url=_url(agreement.pk),
            )


@calendar_source
def evaluation_due_dates(user, agreements, today):
    from jalin.monitoring.reminders import evaluation_due_dates as due_dates

    until = today + datetime.timedelta(days=FUTURE_DAYS)
    mine = (
        _concerning(user, agreements, "evaluation.due")
        .filter(archived_at__isnull=True, terminated_on__isnull=True, signed_on__isnull=False)
        .order_by("pk")
        .only("pk", "title", "signed_on", "effective_on", "ends_on")[:MAX_EVENTS]
    )
    for agreement in mine:
        for day in due_dates(agreement, until=until):
            if today - datetime.timedelta(days=PAST_DAYS) <= day <= until:
                yield CalendarEvent(
                    uid=f"evaluation-due-{agreement.pk}-{day.isoformat()}",
                    day=day,
                    summary=_("Evaluation due: %(title)s") % {"title": agreement.title},
                    url=_url(agreement.pk),
                )


def feed(user, today: datetime.date) -> bytes:
    import icalendar

    from jalin.accounts import access

    agreements = access.agreements_visible_to(user)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Jalin//Kerja Sama Daerah//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Jalin — {user}")
    stamp = datetime.datetime.now(datetime.UTC)
    for source in _calendar_sources:
        for item in source(user, agreements, today):
            event = icalendar.Event()
            event.add("uid", f"{item.uid}@jalin")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.day)
            event.add("dtend", item.day + datetime.timedelta(days=1))
            event.add("summary", item.summary)
            if item.description:
                event.add("description", item.description)
            if item.url:
                event.add("url", item.url)
            calendar.add_component(event)
    return calendar.to_ical()
