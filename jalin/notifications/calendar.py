"""The personal calendar feed (iCalendar): end dates, due workflow steps, report deadlines.

Other apps add events through `@calendar_source` (e.g. monitoring for report deadlines):
a function `(user, agreements_queryset, today) -> iterable of CalendarEvent`.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


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
    return settings.SITE_URL.rstrip("/") + reverse("agreements:detail", args=[agreement_id])


@calendar_source
def end_dates(user, agreements, today):
    window = agreements.filter(
        archived_at__isnull=True,
        terminated_on__isnull=True,
        signed_on__isnull=False,
        ends_on__gte=today - datetime.timedelta(days=PAST_DAYS),
        ends_on__lte=today + datetime.timedelta(days=FUTURE_DAYS),
    ).order_by("ends_on")[:MAX_EVENTS]
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
        .filter(agreement__in=agreements.values("pk"), due_on__isnull=False)
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
