"""The monitoring sections of the work queue (jalin.lib.queues): reports to verify, reports
returned for revision, reports due this period. Who sees which is the who-acts-next table
(jalin.accounts.actors): "report.submitted", "report.returned", "report.overdue"."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import actors
from jalin.agreements.models import Agreement
from jalin.lib.queues import Entry, Section, queue_section
from jalin.monitoring.health import implementing_kinds_q
from jalin.monitoring.models import IndicatorPeriod, ProgressReport, ReportIndicatorValue, ReportStatus
from jalin.monitoring.periods import Period, period_containing

REPORT_PATHS = {
    "government": "agreement__government_id",
    "lead_agency": "agreement__lead_agency_id",
    "liaison": "agreement__liaison_officer_id",
    "submitter": "submitted_by_id",
    "submitter_agency": "submitted_by__agency_id",
}
AGREEMENT_PATHS = {"government": "government_id", "lead_agency": "lead_agency_id", "liaison": "liaison_officer_id"}


def _waiting(user):
    condition = actors.queue_q(user, "report.submitted", **REPORT_PATHS)
    if condition is None:
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(condition, status=ReportStatus.SUBMITTED, agreement__archived_at__isnull=True)


def _returned(user):
    condition = actors.queue_q(user, "report.returned", **REPORT_PATHS)
    if condition is None:
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(condition, status=ReportStatus.RETURNED, agreement__archived_at__isnull=True)


def due_period(today: datetime.date) -> Period:
    """The period whose report is due now: the one that ended last."""
    return period_containing(today).previous()


def _due(user, today: datetime.date):
    condition = actors.queue_q(user, "report.overdue", **AGREEMENT_PATHS)
    if condition is None:
        return Agreement.objects.none()
    period = due_period(today)
    reported = ProgressReport.objects.filter(
        agreement_id=OuterRef("pk"),
        period_starts_on=period.starts_on,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.SUPERSEDED, ReportStatus.RETURNED],
    )
    return (
        Agreement.objects.live()
        .filter(condition, implementing_kinds_q(), signed_on__lte=period.ends_on, terminated_on__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on))
        .exclude(Exists(reported))
    )


def _changes(reports: list[ProgressReport]) -> dict[int, list[str]]:
    """What each report changes against the previous verified value of each indicator."""
    indicator_ids = {value.indicator_id for report in reports for value in report.queue_values}
    previous: dict[int, list[IndicatorPeriod]] = {}
    for row in IndicatorPeriod.objects.filter(indicator_id__in=indicator_ids, actual__isnull=False).order_by(
        "indicator_id", "-starts_on"
    ):
        previous.setdefault(row.indicator_id, []).append(row)
    changes: dict[int, list[str]] = {}
    for report in reports:
        lines = []
        for value in report.queue_values:
            before = next(
                (row.actual for row in previous.get(value.indicator_id, []) if row.starts_on < report.period_starts_on),
                None,
            )
            unit = value.indicator.unit
            if before is None:
                lines.append(_("%(name)s: %(now)s %(unit)s (first value)") % _names(value, before, unit))
            elif before != value.value:
                lines.append(_("%(name)s: %(before)s → %(now)s %(unit)s") % _names(value, before, unit))
        changes[report.pk] = lines
    return changes


def _number(value) -> str:
    return f"{int(value)}" if value == value.to_integral_value() else f"{value.normalize():f}"


def _names(value, before, unit) -> dict:
    return {
        "name": value.indicator.name,
        "now": _number(value.value),
        "before": _number(before) if before is not None else "",
        "unit": unit,
    }


@queue_section(order=10, count=lambda user: _waiting(user).count())
def reports_to_verify(user, today: datetime.date) -> Section | None:
    if actors.queue_q(user, "report.submitted", **REPORT_PATHS) is None:
        return None
    reports = list(
        _waiting(user)
        .select_related("agreement", "agreement__lead_agency", "submitted_by", "submitted_by__agency")
        .prefetch_related(
            Prefetch(
                "indicator_values",
                queryset=ReportIndicatorValue.objects.select_related("indicator").order_by("indicator__name"),
                to_attr="queue_values",
            )
        )
        .order_by("submitted_at", "pk")
    )
    changes = _changes(reports)
    others = [
        person
        for person in actors.people("report.submitted", actors.Subject(government_id=user.government_id), told=False)
        if person.pk != user.pk
    ]
    entries = []
    for report in reports:
        since = timezone.localdate(report.submitted_at) if report.submitted_at else None
        agency = report.submitted_by.agency if report.submitted_by and report.submitted_by.agency else None
        report.queue_agency = agency or report.agreement.lead_agency
        report.queue_changes = changes[report.pk]
        report.queue_own = report.submitted_by_id == user.pk
        report.queue_age = (today - since).days if since else None
        entries.append(
            Entry(
                state="report.submitted",
                title=report.agreement.title,
                url=reverse("monitoring:report", args=[report.pk]),
                since=since,
                agreement_id=report.agreement_id,
                detail=report.period_label,
                obj=report,
            )
        )
    return Section(
        key="reports_to_verify",
        title=_("Progress reports to verify"),
        template="monitoring/queue_reports_to_verify.html",
        entries=entries,
        context={"other_verifiers": others},
    )


@queue_section(order=5, count=lambda user: _returned(user).count())
def reports_returned(user, today: datetime.date) -> Section | None:
    if actors.queue_q(user, "report.returned", **REPORT_PATHS) is None:
        return None
    reports = list(_returned(user).select_related("agreement").order_by("returned_at", "pk"))
    entries = [
        Entry(
            state="report.returned",
            title=report.agreement.title,
            url=reverse("monitoring:report", args=[report.pk]),
            since=timezone.localdate(report.returned_at) if report.returned_at else None,
            agreement_id=report.agreement_id,
            detail=report.returned_reason,
            obj=report,
        )
        for report in reports
    ]
    return Section(
        key="reports_returned",
        title=_("Reports returned for revision"),
        template="monitoring/queue_reports_returned.html",
        entries=entries,
    )


@queue_section(order=15, count=lambda user: _due(user, timezone.localdate()).count())
def reports_due(user, today: datetime.date) -> Section | None:
    if actors.queue_q(user, "report.overdue", **AGREEMENT_PATHS) is None:
        return None
    period = due_period(today)
    agreements = list(_due(user, today).select_related("lead_agency").order_by("title", "pk")[:200])
    entries = [
        Entry(
            state="report.overdue",
            title=agreement.title,
            url=reverse("monitoring:agreement", args=[agreement.pk]),
            due=period.due_on,
            agreement_id=agreement.pk,
            detail=period.label,
            obj=agreement,
        )
        for agreement in agreements
    ]
    return Section(
        key="reports_due",
        title=_("Progress reports due"),
        template="monitoring/queue_reports_due.html",
        entries=entries,
        context={"period": period, "late": period.due_on < today},
    )
