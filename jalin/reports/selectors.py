"""What the reports say. Every figure comes from the selectors the dashboard uses
(jalin.monitoring.selectors.dashboard, jalin.agreements.selectors), applied to the
agreements the reader may see as they stood at the end of the chosen period."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import Role
from jalin.agreements.models import Agreement, AgreementParty, Status
from jalin.agreements.selectors import with_list_relations
from jalin.governments.models import Government
from jalin.monitoring import selectors as monitoring
from jalin.monitoring.health import signals_of
from jalin.monitoring.models import (
    Beneficiary,
    BeneficiaryGroup,
    BudgetRealisation,
    Evaluation,
    Indicator,
    Obligation,
    ProgressReport,
    Recommendation,
    ReportStatus,
)
from jalin.reports.models import IssuedReport

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-S([12]))?$")


@dataclass(frozen=True)
class ReportPeriod:
    key: str
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def label(self) -> str:
        year, _sep, half = self.key.partition("-S")
        if not half:
            return _("Year %(year)s") % {"year": year}
        return _("Semester %(half)s %(year)s") % {"half": "I" if half == "1" else "II", "year": year}


def parse_period(text: str) -> ReportPeriod:
    """'2025-S1' (January–June), '2025-S2' (July–December) or '2025' (the whole year)."""
    match = PERIOD_PATTERN.match((text or "").strip().upper())
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise ValidationError(_("Write the period as YYYY-S1, YYYY-S2 or YYYY, for example 2025-S1."))
    year, half = int(match.group(1)), match.group(2)
    if half == "1":
        return ReportPeriod(f"{year}-S1", datetime.date(year, 1, 1), datetime.date(year, 6, 30))
    if half == "2":
        return ReportPeriod(f"{year}-S2", datetime.date(year, 7, 1), datetime.date(year, 12, 31))
    return ReportPeriod(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def previous_period(period: ReportPeriod) -> ReportPeriod:
    """The period of the same length just before: 2026-S2 → 2026-S1, 2026-S1 → 2025-S2, 2026 → 2025."""
    year, _sep, half = period.key.partition("-S")
    if not half:
        return parse_period(str(int(year) - 1))
    return parse_period(f"{year}-S1" if half == "2" else f"{int(year) - 1}-S2")


def recent_periods(today: datetime.date | None = None, years: int = 3) -> list[ReportPeriod]:
    """The periods a report may be built for, newest first: semesters that have begun, and years."""
    today = today or timezone.localdate()
    periods = []
    for year in range(today.year, today.year - years, -1):
        if year < today.year or today.month >= 7:
            periods.append(parse_period(f"{year}-S2"))
        periods.append(parse_period(f"{year}-S1"))
        periods.append(parse_period(str(year)))
    return periods


def closed_periods(today: datetime.date | None = None, years: int = 3) -> list[ReportPeriod]:
    """The periods that are over (a report is issued for those), newest first."""
    today = today or timezone.localdate()
    return [period for period in recent_periods(today, years + 1) if period.ends_on < today][: years * 3]


# Scope: whose agreements -----------------------------------------------------------------


@dataclass
class Scope:
    title: str
    agreements: QuerySet  # what the reader may see
    governments: list[Government]
    by_government: bool = False
    whole_governments: list[int] | None = None  # when the reader sees all of these governments
    by_province: bool = False  # a national reader compares provinces


def scope_for_user(user) -> Scope:
    """The reader's own government, or for a supervisor every government below it."""
    governments = list(Government.objects.filter(pk__in=access.visible_government_ids(user)).order_by("code"))
    supervisor = user.role == Role.SUPERVISOR
    own = user.government
    title = own.name
    if supervisor and len(governments) > 1:
        title = _("%(government)s and the governments below it") % {"government": own.name}
    return Scope(
        title,
        access.agreements_visible_to(user),
        governments,
        by_government=supervisor,
        whole_governments=access.whole_governments_visible_to(user),
        by_province=access.compares_provinces(user),
    )


def scope_for_government(government: Government, *, include_below: bool = False) -> Scope:
    """For commands run by the operator: one government, optionally with those below it."""
    if include_below:
        ids = Government.objects.filter(
            Q(pk=government.pk) | Q(parent_id=government.pk) | Q(parent__parent_id=government.pk)
        ).values("pk")
        governments = list(Government.objects.filter(pk__in=ids).order_by("code"))
        title = _("%(government)s and the governments below it") % {"government": government.name}
        return Scope(title, Agreement.objects.filter(government_id__in=ids), governments, by_government=True)
    return Scope(government.name, Agreement.objects.filter(government=government), [government])


def in_period(queryset: QuerySet, period: ReportPeriod) -> QuerySet:
    """The agreements that existed at the end of the period: signed by then, or registered
    by then and not yet signed."""
    end = timezone.make_aware(datetime.datetime.combine(period.ends_on + datetime.timedelta(days=1), datetime.time()))
    return queryset.filter(Q(signed_on__lte=period.ends_on) | Q(signed_on__isnull=True, created_at__lt=end))


# The periodic report -----------------------------------------------------------------------


@dataclass
class CategorySection:
    key: str
    label: str
    count: int
    value: Decimal
    agreements: list[Agreement]


@dataclass
class ProgressRow:
    agreement: Agreement
    progress: Decimal | None
    planned: Decimal
    realised: Decimal
    beneficiaries: int


@dataclass
class PeriodicReport:
    scope: Scope
    period: ReportPeriod
    as_of: datetime.date
    generated_at: datetime.datetime
    dashboard: monitoring.Dashboard
    total: int
    in_force: int
    signed_in_period: int
    value_in_force: Decimal
    categories: list[CategorySection]
    listed: int
    progress: list[ProgressRow]
    beneficiary_groups: list[dict]
    problems: list[ProgressReport]
    evaluations: list[Evaluation]
    recommendations: list[dict]
    signal_rows: list[tuple[Agreement, list]] = field(default_factory=list)
    late_additions: list[dict] = field(default_factory=list)  # data of earlier issued periods verified after issue
    issue: dict | None = None  # set when the report is issued: version, issued_at, issued_by, supersedes

    @property
    def statuses(self) -> list[dict]:
        return self.dashboard.statuses

    @property
    def unlisted(self) -> int:
        return max(self.total - self.listed, 0)


def periodic_report(scope: Scope, period: ReportPeriod, *, progress=None) -> PeriodicReport:
    """Build every section of the report. `progress(percent)` is called as work advances."""
    progress = progress or (lambda percent: None)
    today = timezone.localdate()
    as_of = min(period.ends_on, today)
    cutoff = period.ends_on  # only data of reporting periods ending by then counts
    agreements = in_period(scope.agreements, period)
    if (
        as_of == today
        and scope.whole_governments is not None
        and not monitoring.has_data_after(scope.whole_governments, cutoff)
    ):
        # A period not yet over holds every agreement of the governments (none is signed in
        # the future) and, without data of a later reporting period, every figure: the stored
        # summaries give the same figures without recounting them.
        data = monitoring.government_dashboard(scope.whole_governments, today=today, by_government=scope.by_government)
    else:
        data = monitoring.dashboard(agreements, today=as_of, by_government=scope.by_government, cutoff=cutoff)
    if scope.by_province:
        data.governments = monitoring.by_province(data.governments)
    progress(20)
    counts = {row["key"]: row for row in data.statuses}
    in_force = counts[Status.ACTIVE]["count"] + counts[Status.EXPIRING]["count"]
    value_in_force = counts[Status.ACTIVE]["value"] + counts[Status.EXPIRING]["value"]
    live = agreements.live()
    total = sum(row["count"] for row in data.categories)
    signed_in_period = live.filter(signed_on__gte=period.starts_on, signed_on__lte=period.ends_on).count()

    # The agreements by category, listed up to REPORTS_MAX_LISTED (the totals always cover all);
    # a report over several governments lists fewer (each government's own report lists its own).
    several = scope.by_government and len(scope.governments) > 1
    limit = settings.REPORTS_MAX_LISTED_SUPERVISOR if several else settings.REPORTS_MAX_LISTED
    listed_rows = list(
        with_list_relations(live)
        .select_related("government")
        .with_status(as_of)
        .order_by("category", "government__code", "-signed_on", "pk")[:limit]
    )
    progress(40)
    by_category: dict[str, list[Agreement]] = {}
    for agreement in listed_rows:
        by_category.setdefault(agreement.category, []).append(agreement)
    categories = [
        CategorySection(row["key"], row["label"], row["count"], row["value"], by_category.get(row["key"], []))
        for row in data.categories
    ]

    # Implementation progress, budget and beneficiaries of the agreements that are monitored.
    monitored = (
        live.filter(
            Exists(Obligation.objects.filter(agreement_id=OuterRef("pk"), archived_at__isnull=True))
            | Exists(Indicator.objects.filter(agreement_id=OuterRef("pk"), archived_at__isnull=True))
        )
        .select_related("lead_agency", "government")
        .order_by("government__code", "-signed_on", "pk")[:limit]
    )
    rows = []
    monitored = list(monitored)
    for index, agreement in enumerate(monitored):
        framework = monitoring.agreement_framework(agreement, cutoff=cutoff)
        rows.append(
            ProgressRow(
                agreement,
                framework.progress,
                framework.planned_total,
                framework.realised_total,
                framework.beneficiaries_total,
            )
        )
        if index % 50 == 0:
            progress(40 + int(30 * index / max(len(monitored), 1)))
    progress(70)
    verified = ProgressReport.objects.filter(
        agreement__in=live, status=ReportStatus.VERIFIED, period_ends_on__lte=cutoff
    )
    beneficiary_groups = list(
        Beneficiary.objects.filter(report__in=verified).values("group").annotate(total=Sum("count")).order_by("group")
    )
    for row in beneficiary_groups:
        row["label"] = BeneficiaryGroup(row["group"]).label if row["group"] in BeneficiaryGroup.values else row["group"]

    problems = list(
        verified.filter(period_starts_on__lte=period.ends_on, period_ends_on__gte=period.starts_on)
        .exclude(problems="", follow_up="")
        .select_related("agreement", "agreement__lead_agency")
        .order_by("agreement__title", "period_starts_on")[:limit]
    )
    start = timezone.make_aware(datetime.datetime.combine(period.starts_on, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(period.ends_on + datetime.timedelta(days=1), datetime.time()))
    evaluations_in_period = Evaluation.objects.filter(agreement__in=live, created_at__gte=start, created_at__lt=end)
    evaluations = list(evaluations_in_period.select_related("agreement").order_by("agreement__title")[:limit])
    recommendation_counts = {
        row["recommendation"]: row["n"]
        for row in evaluations_in_period.values("recommendation").annotate(n=Count("pk")).order_by()
    }
    recommendations = [
        {"key": r.value, "label": r.label, "count": recommendation_counts.get(r.value, 0)} for r in Recommendation
    ]
    progress(85)
    signal_rows = [(agreement, signals_of(agreement, as_of)) for agreement in data.worst]  # annotated as of the cutoff
    late = late_additions(live, period)
    return PeriodicReport(
        scope=scope,
        period=period,
        as_of=as_of,
        generated_at=timezone.now(),
        dashboard=data,
        total=total,
        in_force=in_force,
        signed_in_period=signed_in_period,
        value_in_force=value_in_force,
        categories=categories,
        listed=len(listed_rows),
        progress=rows,
        beneficiary_groups=beneficiary_groups,
        problems=problems,
        evaluations=evaluations,
        recommendations=recommendations,
        signal_rows=signal_rows,
        late_additions=late,
    )


def late_additions(agreements: QuerySet, period: ReportPeriod) -> list[dict]:
    """Data that an issued report could not count: verified progress reports of periods ending
    by the end of the previous period, verified after the government issued its report for that
    period (its current version). Listed in this period's report; one query."""
    previous = previous_period(period)
    issued_at = IssuedReport.objects.filter(
        government_id=OuterRef("agreement__government_id"), period=previous.key, superseded_at__isnull=True
    ).values("issued_at")[:1]
    beneficiaries = (
        Beneficiary.objects.filter(report_id=OuterRef("pk")).values("report_id").annotate(n=Sum("count")).values("n")
    )
    realised = (
        BudgetRealisation.objects.filter(report_id=OuterRef("pk"))
        .values("report_id")
        .annotate(v=Sum("amount"))
        .values("v")
    )
    rows = (
        ProgressReport.objects.filter(
            agreement__in=agreements, status=ReportStatus.VERIFIED, period_ends_on__lte=previous.ends_on
        )
        .annotate(issued_at=Subquery(issued_at))
        .filter(issued_at__isnull=False, verified_at__gt=F("issued_at"))
        .annotate(
            people=Subquery(beneficiaries, output_field=IntegerField()),
            spent=Subquery(realised),
        )
        .select_related("agreement", "agreement__government")
        .order_by("agreement__government__code", "period_starts_on", "agreement__title", "pk")[
            : settings.REPORTS_MAX_LISTED
        ]
    )
    return [
        {
            "report": row.pk,
            "agreement": row.agreement,
            "period": row.period_label,
            "version": row.version,
            "verified_at": row.verified_at,
            "issued_at": row.issued_at,
            "beneficiaries": row.people or 0,
            "realised": _decimal(row.spent),
        }
        for row in rows
    ]


def _decimal(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


# One agreement ------------------------------------------------------------------------------


@dataclass
class FactSheet:
    agreement: Agreement
    framework: monitoring.Framework
    evaluation: Evaluation | None
    evaluations: list[Evaluation]
    signals: list
    generated_at: datetime.datetime


def fact_sheet(user, pk) -> FactSheet:
    """Everything on one agreement's fact sheet; visibility through agreement_for_user."""
    agreement = access.agreement_for_user(user, pk)
    visible = access.agreements_visible_to(user)
    agreement = (
        visible.select_related("government", "lead_agency", "parent")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("partner")),
            "supporting_agencies",
            "affairs",
        )
        .with_status()
        .get(pk=agreement.pk)
    )
    evaluations = monitoring.evaluations_of(agreement)
    return FactSheet(
        agreement=agreement,
        framework=monitoring.agreement_framework(agreement),
        evaluation=evaluations[0] if evaluations else None,
        evaluations=evaluations,
        signals=signals_of(agreement),
        generated_at=timezone.now(),
    )


# The figures of a report, as stored when it is issued ---------------------------------------


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def report_figures(report: PeriodicReport) -> dict:
    """Every figure the report states, as JSON-ready data: what issuing stores, and what a
    re-run of the same period is compared with (no labels: they follow the language)."""
    data = report.dashboard
    return {
        "period": report.period.key,
        "as_of": _json(report.as_of),
        "summary": {
            "total": report.total,
            "in_force": report.in_force,
            "signed_in_period": report.signed_in_period,
            "value_in_force": _json(report.value_in_force),
            "beneficiaries": data.beneficiaries,
            "planned": _json(data.planned),
            "realised": _json(data.realised),
        },
        "statuses": {row["key"]: [row["count"], _json(row["value"])] for row in data.statuses},
        "categories": {section.key: [section.count, _json(section.value)] for section in report.categories},
        "signals": {row["key"]: row["count"] for row in data.signals},
        "progress": [
            {
                "agreement": row.agreement.pk,
                "number": row.agreement.number,
                "progress": _json(row.progress),
                "planned": _json(row.planned),
                "realised": _json(row.realised),
                "beneficiaries": row.beneficiaries,
            }
            for row in report.progress
        ],
        "beneficiary_groups": {row["group"]: row["total"] for row in report.beneficiary_groups},
        "problems": [problem.pk for problem in report.problems],
        "evaluations": [evaluation.pk for evaluation in report.evaluations],
        "recommendations": {row["key"]: row["count"] for row in report.recommendations},
        "attention": [[agreement.pk, [s.signal.value for s in reasons]] for agreement, reasons in report.signal_rows],
        "governments": [
            {key: _json(value) for key, value in row.items() if key != "government_id"} for row in data.governments
        ],
        "late_additions": [row["report"] for row in report.late_additions],
    }


# Which governments have issued their report ---------------------------------------------------


def issue_deadline(period: ReportPeriod) -> datetime.date:
    """A period's report is due REPORTS_ISSUE_DEADLINE_DAYS days after the period ends."""
    return period.ends_on + datetime.timedelta(days=settings.REPORTS_ISSUE_DEADLINE_DAYS)


@dataclass
class IssueRow:
    government: Government
    issued: IssuedReport | None  # the current version
    deadline: datetime.date
    today: datetime.date

    @property
    def is_late(self) -> bool:
        """Not issued and past the deadline, or issued (version 1) after it."""
        if self.issued is None:
            return self.today > self.deadline
        return timezone.localdate(self.first_issued_at) > self.deadline

    @property
    def first_issued_at(self) -> datetime.datetime | None:
        return getattr(self.issued, "first_issued_at", None) if self.issued else None

    @property
    def days_late(self) -> int:
        day = timezone.localdate(self.first_issued_at) if self.issued else self.today
        return max((day - self.deadline).days, 0)


@dataclass
class IssueOverview:
    period: ReportPeriod
    deadline: datetime.date
    rows: list[IssueRow]

    @property
    def issued(self) -> int:
        return sum(1 for row in self.rows if row.issued)

    @property
    def late(self) -> int:
        return sum(1 for row in self.rows if row.is_late and not row.issued)


def issue_overview(government_ids, period: ReportPeriod, today: datetime.date | None = None) -> IssueOverview:
    """For each government, its current issued report for the period (if any), whether it is
    late, and when version 1 was issued. Two queries, whatever the number of governments."""
    today = today or timezone.localdate()
    deadline = issue_deadline(period)
    governments = list(Government.objects.filter(pk__in=government_ids).order_by("code"))
    first = IssuedReport.objects.filter(government_id=OuterRef("government_id"), period=period.key, version=1).values(
        "issued_at"
    )[:1]
    current = {
        issued.government_id: issued
        for issued in IssuedReport.objects.filter(
            government_id__in=[g.pk for g in governments], period=period.key, superseded_at__isnull=True
        )
        .select_related("issued_by")
        .annotate(first_issued_at=Subquery(first))
    }
    rows = [IssueRow(g, current.get(g.pk), deadline, today) for g in governments]
    return IssueOverview(period, deadline, rows)


def issued_versions(government: Government, period: ReportPeriod) -> list[IssuedReport]:
    """Every issued version of a government's report for a period, newest first, with their files."""
    return list(
        IssuedReport.objects.filter(government=government, period=period.key)
        .select_related("issued_by", "supersedes")
        .prefetch_related("files")
        .order_by("-version")
    )
