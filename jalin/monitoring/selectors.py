"""Reads of the monitoring trail: one agreement's results framework with its roll-up, and the
dashboard's aggregates (all computed in the database, a fixed number of queries)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jalin.agreements.models import Agreement, AgreementParty, Category, Status, status_q
from jalin.monitoring.health import Signal, Thresholds, implementing_kinds_q, with_health
from jalin.monitoring.models import (
    OBLIGATION_STATUS_PROGRESS,
    Beneficiary,
    BudgetLine,
    BudgetRealisation,
    Evaluation,
    Evidence,
    Indicator,
    IndicatorPeriod,
    Obligation,
    ProgressReport,
    ReportIndicatorValue,
    ReportStatus,
)
from jalin.partners.models import PartnerType

HUNDRED = Decimal(100)


# Roll-up ------------------------------------------------------------------------------


def indicator_progress(indicator: Indicator, actual: Decimal | None) -> Decimal:
    """How far an indicator has come from its baseline to its final target, 0–100 percent."""
    if actual is None:
        return Decimal(0)
    span = indicator.target_value - indicator.baseline_value
    if not span:
        return HUNDRED
    share = (Decimal(actual) - indicator.baseline_value) / span * HUNDRED
    return min(max(share, Decimal(0)), HUNDRED)


def weighted(items: list[tuple[Decimal, int]]) -> Decimal | None:
    """The weighted mean of (progress, weight) pairs, rounded to one decimal; None when empty."""
    total = sum(weight for _progress, weight in items)
    if not total:
        return None
    mean = sum(progress * weight for progress, weight in items) / Decimal(total)
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class IndicatorRow:
    indicator: Indicator
    periods: list[IndicatorPeriod]
    latest_actual: Decimal | None
    progress: Decimal


@dataclass
class ObligationRow:
    obligation: Obligation
    indicators: list[IndicatorRow]
    progress: Decimal


@dataclass
class Framework:
    obligations: list[ObligationRow]
    loose_indicators: list[IndicatorRow]  # not under an obligation
    progress: Decimal | None
    budget_lines: list[BudgetLine] = field(default_factory=list)
    planned_total: Decimal = Decimal(0)
    realised_total: Decimal = Decimal(0)
    beneficiaries_total: int = 0
    beneficiaries_by_group: list[dict] = field(default_factory=list)


def _indicator_row(indicator: Indicator) -> IndicatorRow:
    periods = list(indicator.periods.all())
    with_actual = [period for period in periods if period.actual is not None]
    latest = with_actual[-1].actual if with_actual else None
    return IndicatorRow(indicator, periods, latest, indicator_progress(indicator, latest))


def roll_up(obligations: list[Obligation], indicators: list[Indicator]) -> Framework:
    """An obligation's progress is the weighted mean of its indicators, or follows its status
    when it has none; the agreement's progress is the weighted mean of its obligations and of
    the indicators that sit under no obligation."""
    rows = {indicator.pk: _indicator_row(indicator) for indicator in indicators}
    obligation_rows = []
    for obligation in obligations:
        children = [rows[i.pk] for i in indicators if i.obligation_id == obligation.pk]
        progress = weighted([(row.progress, row.indicator.weight) for row in children])
        if progress is None:
            progress = OBLIGATION_STATUS_PROGRESS[obligation.status]
        obligation_rows.append(ObligationRow(obligation, children, progress))
    loose = [rows[i.pk] for i in indicators if i.obligation_id is None]
    total = weighted(
        [(row.progress, row.obligation.weight) for row in obligation_rows]
        + [(row.progress, row.indicator.weight) for row in loose]
    )
    return Framework(obligation_rows, loose, total)


def agreement_framework(agreement: Agreement, *, public: bool = False) -> Framework:
    """The results framework of one agreement, in a fixed number of queries. With public=True,
    only what is marked public and only verified figures."""
    obligations = Obligation.objects.filter(agreement=agreement, archived_at__isnull=True).select_related("agency")
    indicators = Indicator.objects.filter(agreement=agreement, archived_at__isnull=True).prefetch_related(
        Prefetch("periods", queryset=IndicatorPeriod.objects.order_by("starts_on"))
    )
    if public:
        obligations = obligations.filter(is_public=True)
        indicators = indicators.filter(is_public=True).filter(
            Q(obligation__isnull=True) | Q(obligation__is_public=True)
        )
    framework = roll_up(list(obligations), list(indicators))
    verified = ProgressReport.objects.filter(agreement=agreement, status=ReportStatus.VERIFIED)
    framework.beneficiaries_by_group = list(
        Beneficiary.objects.filter(report__in=verified).values("group").annotate(total=Sum("count")).order_by("group")
    )
    framework.beneficiaries_total = sum(row["total"] for row in framework.beneficiaries_by_group)
    if not public:
        framework.budget_lines = list(
            BudgetLine.objects.filter(agreement=agreement, archived_at__isnull=True).annotate(
                realised=Sum("realisations__amount", filter=Q(realisations__report__status=ReportStatus.VERIFIED))
            )
        )
        framework.planned_total = sum((line.planned for line in framework.budget_lines), Decimal(0))
        framework.realised_total = sum((line.realised or Decimal(0) for line in framework.budget_lines), Decimal(0))
    return framework


def latest_reports(agreement: Agreement, limit: int = 6) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(agreement=agreement)
        .select_related("submitted_by", "verified_by")
        .order_by("-period_starts_on", "-version")[:limit]
    )


def report_detail(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_related("agreement", "created_by", "submitted_by", "verified_by", "corrects")
        .prefetch_related(
            Prefetch("indicator_values", queryset=ReportIndicatorValue.objects.select_related("indicator")),
            "obligation_updates__obligation",
            "budget_realisations__budget_line",
            "beneficiaries",
            Prefetch("evidence", queryset=Evidence.objects.filter(archived_at__isnull=True)),
        )
        .get(pk=report.pk)
    )


def evaluations_of(agreement: Agreement) -> list[Evaluation]:
    return list(Evaluation.objects.filter(agreement=agreement).select_related("evaluated_by", "published_by"))


def latest_published_evaluation(agreement: Agreement) -> Evaluation | None:
    return Evaluation.objects.filter(agreement=agreement, published_at__isnull=False).order_by("-created_at").first()


def public_evidence(agreement: Agreement, limit: int = 12) -> list[Evidence]:
    """Photos marked public, and only once verified."""
    return list(
        Evidence.objects.filter(
            agreement=agreement,
            archived_at__isnull=True,
            is_public=True,
            verified_at__isnull=False,
            content_type__startswith="image/",
        ).order_by("-taken_at", "-created_at")[:limit]
    )


# Dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    today: datetime.date
    statuses: list[dict]
    categories: list[dict]
    partner_types: list[dict]
    affairs: list[dict]
    agencies: list[dict]
    timeline: list[dict]
    signals: list[dict]
    worst: list[Agreement]
    beneficiaries: int
    planned: Decimal
    realised: Decimal
    league: list[dict]
    due_period_label: str
    governments: list[dict]


def _money(value) -> Decimal:
    return value or Decimal(0)


def _decimal(value) -> Decimal | None:
    # A raw SUM comes back as a Decimal on PostgreSQL and as a number on SQLite.
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def dashboard(visible: QuerySet, *, today: datetime.date | None = None, by_government: bool = False) -> Dashboard:
    """Every figure of the dashboard, aggregated in the database: the number of queries does
    not depend on the number of agreements (pinned by tests)."""
    today = today or timezone.localdate()
    t = Thresholds.for_day(today)
    live = visible.live()

    # 1: status counts and values
    status_row = visible.aggregate(
        **{f"n_{s.value}": Count("pk", filter=status_q(s, today)) for s in Status},
        **{f"v_{s.value}": Sum("value", filter=status_q(s, today)) for s in Status},
    )
    statuses = [
        {
            "key": s.value,
            "label": s.label,
            "count": status_row[f"n_{s.value}"],
            "value": _money(status_row[f"v_{s.value}"]),
        }
        for s in Status
    ]
    # 2: by category
    by_category = {
        row["category"]: row
        for row in live.values("category").annotate(count=Count("pk"), value=Sum("value")).order_by()
    }
    categories = [
        {
            "key": c.value,
            "label": c.label,
            "count": by_category.get(c.value, {}).get("count", 0),
            "value": _money(by_category.get(c.value, {}).get("value")),
        }
        for c in Category
    ]
    # 3: by partner type. An agreement with two partners of one type counts once: the distinct
    # (type, agreement) pairs are grouped in the database (a derived table, one query).
    pairs = (
        AgreementParty.objects.filter(agreement__in=live)
        .annotate(t=F("partner__partner_type"), v=F("agreement__value"))
        .values("t", "agreement_id", "v")
        .distinct()
    )
    pairs_sql, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t, COUNT(*), SUM(v) FROM ({pairs_sql}) pairs GROUP BY t", params)  # noqa: S608 - ORM-built SQL
        by_type = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    partner_types = [
        {"key": p.value, "label": p.label, "count": by_type[p.value][0], "value": _money(_decimal(by_type[p.value][1]))}
        for p in PartnerType
        if p.value in by_type
    ]
    # 4: by government affair
    affairs = list(
        Agreement.affairs.through.objects.filter(agreement__in=live)
        .values("affair_id", "affair__code", "affair__name")
        .annotate(count=Count("agreement_id"), value=Sum("agreement__value"))
        .order_by("-count", "affair__code")[:15]
    )
    # 5: by lead agency
    agencies = list(
        live.values("lead_agency_id", "lead_agency__name", "government__name")
        .annotate(count=Count("pk"), value=Sum("value"))
        .order_by("-count", "lead_agency__name")[:15]
    )
    # 6: expiry timeline, the next 12 months
    horizon = today + datetime.timedelta(days=365)
    in_force = status_q(Status.ACTIVE, today) | status_q(Status.EXPIRING, today)
    months = {
        row["month"].strftime("%Y-%m") if hasattr(row["month"], "strftime") else str(row["month"])[:7]: row["count"]
        for row in visible.filter(in_force, ends_on__gte=today, ends_on__lte=horizon)
        .annotate(month=TruncMonth("ends_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    }
    timeline = []
    cursor = datetime.date(today.year, today.month, 1)
    for _i in range(13):
        key = cursor.strftime("%Y-%m")
        timeline.append({"key": key, "month": cursor, "count": months.get(key, 0)})
        cursor = datetime.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    # 7: health signal counts
    health = with_health(live, today)
    signal_row = health.aggregate(**{s.value: Count("pk", filter=Q(**{f"h_{s.value}": True})) for s in Signal})
    signals = [{"key": s.value, "label": s.label, "count": signal_row[s.value]} for s in Signal]
    # 8, 9: the worst agreements first: rank on the cheap booleans, then fetch the reasons' details
    # for those ten only (computing the details for every row would cost seconds at national scale)
    worst_ids = list(
        health.filter(health_score__gt=0).order_by("-health_score", "ends_on", "pk").values_list("pk", flat=True)[:10]
    )
    worst = sorted(
        with_health(Agreement.objects.filter(pk__in=worst_ids), today, details=True).select_related(
            "lead_agency", "government"
        ),
        key=lambda agreement: worst_ids.index(agreement.pk),
    )
    # 10, 11: beneficiaries and budget from verified reports
    verified = ProgressReport.objects.filter(agreement__in=live, status=ReportStatus.VERIFIED)
    beneficiaries = Beneficiary.objects.filter(report__in=verified).aggregate(n=Sum("count"))["n"] or 0
    realised = _money(BudgetRealisation.objects.filter(report__in=verified).aggregate(v=Sum("amount"))["v"])
    planned = _money(
        BudgetLine.objects.filter(agreement__in=live, archived_at__isnull=True).aggregate(v=Sum("planned"))["v"]
    )
    # 12: league table of agencies by reporting discipline for the last period that is due
    period = t.due_period
    expected = live.filter(
        implementing_kinds_q(),
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on),
        Q(terminated_on__isnull=True) | Q(terminated_on__gte=period.ends_on),
        signed_on__lte=period.ends_on,
    )
    reports = ProgressReport.objects.filter(agreement_id=OuterRef("pk"), period_starts_on=period.starts_on)
    on_time = Exists(reports.filter(submitted_at__lt=_end_of(period.due_on)))
    submitted = Exists(reports.filter(submitted_at__isnull=False))
    verified_exists = Exists(reports.filter(status__in=[ReportStatus.VERIFIED, ReportStatus.SUPERSEDED]))
    league = list(
        expected.alias(on_time=on_time, submitted=submitted, verified=verified_exists)
        .values("lead_agency_id", "lead_agency__name", "government__name")
        .annotate(
            expected=Count("pk", distinct=True),
            on_time=Count("pk", filter=Q(on_time=True), distinct=True),
            submitted=Count("pk", filter=Q(submitted=True), distinct=True),
            verified=Count("pk", filter=Q(verified=True), distinct=True),
        )
        .order_by("lead_agency__name")
    )
    for row in league:
        row["rate"] = round(100 * row["on_time"] / row["expected"]) if row["expected"] else 0
    league.sort(key=lambda row: (-row["rate"], -row["expected"], row["lead_agency__name"]))
    # 13, 14: supervisors: the governments below, side by side
    governments = []
    if by_government:
        governments = list(
            with_health(live, today)
            .values("government_id", "government__code", "government__name")
            .annotate(
                total=Count("pk"),
                in_force=Count("pk", filter=in_force),
                expiring=Count("pk", filter=Q(h_expiring=True)),
                report_overdue=Count("pk", filter=Q(h_report_overdue=True)),
                dormant=Count("pk", filter=Q(h_dormant=True)),
                off_track=Count("pk", filter=Q(h_off_track=True)),
                paper_only=Count("pk", filter=Q(h_paper_only=True)),
                value=Sum("value"),
            )
            .order_by("government__code")
        )
        per_government = {
            row["report__agreement__government_id"]: row["n"]
            for row in Beneficiary.objects.filter(report__in=verified)
            .values("report__agreement__government_id")
            .annotate(n=Sum("count"))
            .order_by()
        }
        for row in governments:
            row["beneficiaries"] = per_government.get(row["government_id"], 0)
    return Dashboard(
        today=today,
        statuses=statuses,
        categories=categories,
        partner_types=partner_types,
        affairs=affairs,
        agencies=agencies,
        timeline=timeline,
        signals=signals,
        worst=worst,
        beneficiaries=beneficiaries,
        planned=planned,
        realised=realised,
        league=league,
        due_period_label=period.label,
        governments=governments,
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def agreements_for_signal(visible: QuerySet, signal: str | None, today: datetime.date | None = None) -> QuerySet:
    queryset = with_health(visible.live(), today, details=True).select_related("lead_agency", "government")
    if signal in Signal.values:
        queryset = queryset.filter(**{f"h_{signal}": True})
    else:
        queryset = queryset.filter(health_score__gt=0)
    return queryset.order_by("-health_score", "ends_on", "pk")
