"""Reporting periods: calendar-aligned blocks of MONITORING_REPORT_PERIOD_MONTHS months
(6 = semesters by default). A report for a period is due MONITORING_REPORT_GRACE_DAYS after it ends."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


def period_months() -> int:
    months = settings.MONITORING_REPORT_PERIOD_MONTHS
    return months if months in (1, 2, 3, 4, 6, 12) else 6


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def label(self) -> str:
        months = (self.ends_on.year - self.starts_on.year) * 12 + self.ends_on.month - self.starts_on.month + 1
        number = (self.starts_on.month - 1) // max(months, 1) + 1
        year = self.starts_on.year
        if months == 6:
            return _("Semester %(number)d %(year)d") % {"number": number, "year": year}
        if months == 3:
            return _("Quarter %(number)d %(year)d") % {"number": number, "year": year}
        if months == 12:
            return str(year)
        return f"{self.starts_on:%m}–{self.ends_on:%m}/{year}"

    @property
    def due_on(self) -> datetime.date:
        return self.ends_on + datetime.timedelta(days=settings.MONITORING_REPORT_GRACE_DAYS)

    @property
    def key(self) -> str:
        return self.starts_on.isoformat()

    def next(self) -> "Period":
        return period_containing(self.ends_on + datetime.timedelta(days=1))

    def previous(self) -> "Period":
        return period_containing(self.starts_on - datetime.timedelta(days=1))


def period_containing(day: datetime.date) -> Period:
    months = period_months()
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return Period(start, _add_months(start, months) - datetime.timedelta(days=1))


def period_starting(day: datetime.date) -> Period | None:
    """The period that starts on `day`, or None if no period starts then."""
    period = period_containing(day)
    return period if period.starts_on == day else None


def last_due_period(today: datetime.date) -> Period:
    """The most recent period whose report is already due (its grace time has passed)."""
    period = period_containing(today).previous()
    while period.due_on >= today:
        period = period.previous()
    return period


def periods_between(start: datetime.date, end: datetime.date) -> list[Period]:
    """Every period that overlaps [start, end]."""
    periods = [period_containing(start)]
    while periods[-1].ends_on < end:
        periods.append(periods[-1].next())
    return periods
