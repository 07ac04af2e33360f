"""Reads of the monitoring trail: one agreement's results framework with its roll-up, and the
dashboard's aggregates (all computed in the database, a fixed number of queries)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jalin.agreements.models import Agreement, AgreementParty, Category, Status, status_q
from jalin.audit.models import AuditEntry
from jalin.audit.revisions import cache_key as revision_cache_key
from jalin.audit.revisions import government as government_scope
from jalin.audit.revisions import revisions as audit_revisions
from jalin.governments.models import Government
from jalin.monitoring.health import Signal, Thresholds, implementing_kinds_q, reports_by, with_health
from jalin.monitoring.models import (
    OBLIGATION_STATUS_PROGRESS,
    Beneficiary,
    BudgetLine,
    BudgetRealisation,
    DashboardSummary,
    Evaluation,
    Evidence,
    Indicator,
    IndicatorPeriod,
    Obligation,
    ObligationStatus,
    ProgressReport,
    ReportIndicatorValue,
    ReportObligation,
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


def agreement_framework(
    agreement: Agreement, *, public: bool = False, cutoff: datetime.date | None = None
) -> Framework:
    """The results framework of one agreement, in a fixed number of queries. With public=True,
    only what is marked public and only verified figures. With a cutoff (a periodic report's
    period end), as it stood by then: only data of reporting periods ending by the cutoff."""
    obligations = Obligation.objects.filter(agreement=agreement, archived_at__isnull=True).select_related("agency")
    periods = IndicatorPeriod.objects.order_by("starts_on")
    if cutoff is not None:
        periods = periods.filter(ends_on__lte=cutoff)
    indicators = Indicator.objects.filter(agreement=agreement, archived_at__isnull=True).prefetch_related(
        Prefetch("periods", queryset=periods)
    )
    if public:
        obligations = obligations.filter(is_public=True)
        indicators = indicators.filter(is_public=True).filter(
            Q(obligation__isnull=True) | Q(obligation__is_public=True)
        )
    obligations = list(obligations)
    if cutoff is not None:
        _obligation_statuses_by(obligations, cutoff)
    framework = roll_up(obligations, list(indicators))
    verified = ProgressReport.objects.filter(reports_by(cutoff), agreement=agreement, status=ReportStatus.VERIFIED)
    framework.beneficiaries_by_group = list(
        Beneficiary.objects.filter(report__in=verified).values("group").annotate(total=Sum("count")).order_by("group")
    )
    framework.beneficiaries_total = sum(row["total"] for row in framework.beneficiaries_by_group)
    if not public:
        counted = Q(realisations__report__status=ReportStatus.VERIFIED)
        if cutoff is not None:
            counted &= Q(realisations__report__period_ends_on__lte=cutoff)
        framework.budget_lines = list(
            BudgetLine.objects.filter(agreement=agreement, archived_at__isnull=True).annotate(
                realised=Sum("realisations__amount", filter=counted)
            )
        )
        framework.planned_total = sum((line.planned for line in framework.budget_lines), Decimal(0))
        framework.realised_total = sum((line.realised or Decimal(0) for line in framework.budget_lines), Decimal(0))
    return framework


def _obligation_statuses_by(obligations: list[Obligation], cutoff: datetime.date) -> None:
    """Set each obligation's status (in memory, for reading) to what the newest verified report
    of a period ending by the cutoff said; one that only later reports updated was still
    scheduled then; one that no report ever updated keeps its own status. One query."""
    updates = (
        ReportObligation.objects.filter(
            obligation__in=[o.pk for o in obligations], report__status=ReportStatus.VERIFIED
        )
        .order_by("report__period_starts_on")
        .values_list("obligation_id", "status", "met_on", "report__period_ends_on")
    )
    known: dict[int, tuple | None] = {}
    for obligation_id, status, met_on, period_end in updates:
        if period_end <= cutoff:
            known[obligation_id] = (status, met_on)
        else:
            known.setdefault(obligation_id, None)
    for obligation in obligations:
        if obligation.pk in known:
            obligation.status, obligation.met_on = known[obligation.pk] or (ObligationStatus.SCHEDULED, None)


FRAMEWORK_HISTORY_LIMIT = 30


def framework_history(agreement: Agreement, limit: int = FRAMEWORK_HISTORY_LIMIT) -> list[AuditEntry]:
    """Who created, corrected or archived which obligation, indicator or budget line, and
    when, newest first, read from the audit trail (archived items included): one query."""
    kinds = ContentType.objects.get_for_models(Obligation, Indicator, BudgetLine).values()
    return list(
        AuditEntry.objects.filter(agreement=agreement, content_type__in=[kind.pk for kind in kinds])
        .select_related("actor", "content_type", "government")
        .order_by("-timestamp", "-pk")[:limit]
    )


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
#
# The figures are computed in two steps. `summarise` aggregates a queryset of agreements in
# the database (a fixed number of queries) into plain, JSON-ready numbers keyed by code;
# `combine` adds summaries together and attaches the labels of the current language. Any
# queryset (an OPD officer's agreements, a report's period) is one summary; a whole
# government's summary is stored per day and revision (DashboardSummary), so a supervisor's
# dashboard over hundreds of governments adds up stored rows (`government_dashboard`).

WORST_LISTED = 10
SUM_CACHE_SECONDS = 24 * 3600  # keyed by the day and every revision: never stale, only evicted
AFFAIRS_LISTED = 15
AGENCIES_LISTED = 15


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


def _text(value) -> str:
    """A sum of money as JSON-safe text ("0.00" when there is none)."""
    return str(_decimal(value) or Decimal("0.00"))


def summarise(visible: QuerySet, today: datetime.date, cutoff: datetime.date | None = None) -> dict:
    """Every figure of the dashboard for these agreements, aggregated in the database in a
    fixed number of queries (pinned by tests), as JSON-ready data for `combine`. With a cutoff
    (a periodic report's period end), only data of reporting periods ending by then counts."""
    t = Thresholds.for_day(today)
    live = visible.live()

    # 1: status counts and values
    status_row = visible.aggregate(
        **{f"n_{s.value}": Count("pk", filter=status_q(s, today)) for s in Status},
        **{f"v_{s.value}": Sum("value", filter=status_q(s, today)) for s in Status},
    )
    statuses = {s.value: [status_row[f"n_{s.value}"], _text(status_row[f"v_{s.value}"])] for s in Status}
    # 2: by category
    categories = {
        row["category"]: [row["count"], _text(row["value"])]
        for row in live.values("category").annotate(count=Count("pk"), value=Sum("value")).order_by()
    }
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
        partner_types = {row[0]: [row[1], _text(row[2])] for row in cursor.fetchall()}
    # 4: by government affair (every affair: a supervisor's top list is taken after adding up)
    affairs = [
        [row["affair_id"], row["affair__code"], row["affair__name"], row["count"], _text(row["value"])]
        for row in Agreement.affairs.through.objects.filter(agreement__in=live)
        .values("affair_id", "affair__code", "affair__name")
        .annotate(count=Count("agreement_id"), value=Sum("agreement__value"))
        .order_by()
    ]
    # 5: by lead agency (an agency belongs to one government, so its top list is enough)
    agencies = [
        [row["lead_agency_id"], row["lead_agency__name"], row["government__name"], row["count"], _text(row["value"])]
        for row in live.values("lead_agency_id", "lead_agency__name", "government__name")
        .annotate(count=Count("pk"), value=Sum("value"))
        .order_by("-count", "lead_agency__name")[:AGENCIES_LISTED]
    ]
    # 6: expiry timeline, the next 12 months
    horizon = today + datetime.timedelta(days=365)
    in_force = status_q(Status.ACTIVE, today) | status_q(Status.EXPIRING, today)
    timeline = {
        row["month"].strftime("%Y-%m") if hasattr(row["month"], "strftime") else str(row["month"])[:7]: row["count"]
        for row in visible.filter(in_force, ends_on__gte=today, ends_on__lte=horizon)
        .annotate(month=TruncMonth("ends_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    }
    # 7: per government: totals and health signal counts (the signal totals are their sum)
    health = with_health(live, today, cutoff=cutoff)
    governments = [
        {**row, "value": _text(row["value"])}
        for row in health.values("government_id", "government__code", "government__name")
        .annotate(
            total=Count("pk"),
            in_force=Count("pk", filter=in_force),
            value=Sum("value"),
            **{s.value: Count("pk", filter=Q(**{f"h_{s.value}": True})) for s in Signal},
        )
        .order_by("government__code")
    ]
    # 8: the worst agreements first, ranked on the cheap booleans (the reasons' details are
    # fetched by `present` for the few that are shown). No WHERE on the score: filtering on it
    # would evaluate every signal twice per row; the top ten are sorted and those without any
    # signal dropped here.
    worst = [
        [score, ends_on.isoformat() if ends_on else None, pk]
        for score, ends_on, pk in health.order_by("-health_score", F("ends_on").asc(nulls_last=True), "pk").values_list(
            "health_score", "ends_on", "pk"
        )[:WORST_LISTED]
        if score > 0
    ]
    # 9, 10, 11: beneficiaries (per government) and budget from verified reports
    verified = ProgressReport.objects.filter(reports_by(cutoff), agreement__in=live, status=ReportStatus.VERIFIED)
    beneficiaries = dict(
        Beneficiary.objects.filter(report__in=verified)
        .values("report__agreement__government_id")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("report__agreement__government_id", "n")
    )
    for row in governments:
        row["beneficiaries"] = beneficiaries.get(row["government_id"], 0)
    realised = BudgetRealisation.objects.filter(report__in=verified).aggregate(v=Sum("amount"))["v"]
    planned = BudgetLine.objects.filter(agreement__in=live, archived_at__isnull=True).aggregate(v=Sum("planned"))["v"]
    # 12: agencies by reporting discipline for the last period that is due
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
    league.sort(key=_league_order)
    return {
        "statuses": statuses,
        "categories": categories,
        "partner_types": partner_types,
        "affairs": affairs,
        "agencies": agencies,
        "timeline": timeline,
        "governments": governments,
        "worst": worst,
        "planned": _text(planned),
        "realised": _text(realised),
        "league": league,
    }


def merge(summaries: list[dict]) -> dict:
    """Add summaries up into one summary of the same shape (so it can be stored or cached)."""
    if len(summaries) == 1:
        return summaries[0]
    merged = {"statuses": {}, "categories": {}, "partner_types": {}, "timeline": {}}
    affairs, agencies, worst, governments, league = {}, [], [], [], []
    planned = realised = Decimal(0)
    for summary in summaries:
        for table in ("statuses", "categories", "partner_types"):
            target = merged[table]
            for key, (count, value) in summary[table].items():
                known = target.get(key, (0, "0"))
                target[key] = [known[0] + count, str(Decimal(known[1]) + Decimal(value))]
        for affair_id, code, name, count, value in summary["affairs"]:
            known = affairs.get(affair_id, [affair_id, code, name, 0, "0"])
            affairs[affair_id] = [affair_id, code, name, known[3] + count, str(Decimal(known[4]) + Decimal(value))]
        for month, count in summary["timeline"].items():
            merged["timeline"][month] = merged["timeline"].get(month, 0) + count
        agencies += summary["agencies"]
        worst += summary["worst"]
        governments += summary["governments"]
        league += summary["league"]
        planned += Decimal(summary["planned"])
        realised += Decimal(summary["realised"])
    agencies.sort(key=lambda row: (-row[3], row[1]))
    worst.sort(key=_worst_order)
    league.sort(key=_league_order)
    return {
        **merged,
        "affairs": list(affairs.values()),
        "agencies": agencies[:AGENCIES_LISTED],
        "governments": governments,
        "worst": worst[:WORST_LISTED],
        "planned": str(planned),
        "realised": str(realised),
        "league": league,
    }


def _league_order(row: dict) -> tuple:
    return (-row["rate"], -row["expected"], row["lead_agency__name"])


def _worst_order(row: list) -> tuple:
    score, ends_on, pk = row
    return (-score, ends_on is None, ends_on or "", pk)


def present(
    summary: dict, today: datetime.date, *, by_government: bool = False, cutoff: datetime.date | None = None
) -> Dashboard:
    """The dashboard of a (merged) summary, with labels in the current language. One query:
    the details behind the reasons of the worst agreements shown (as of the summary's cutoff)."""

    def rows(choices, found: dict, *, only_found: bool = False) -> list[dict]:
        return [
            {
                "key": c.value,
                "label": c.label,
                "count": found.get(c.value, [0])[0],
                "value": Decimal(found.get(c.value, [0, "0"])[1]),
            }
            for c in choices
            if not only_found or c.value in found
        ]

    affairs = sorted(summary["affairs"], key=lambda row: (-row[3], row[1]))[:AFFAIRS_LISTED]
    agencies = sorted(summary["agencies"], key=lambda row: (-row[3], row[1]))[:AGENCIES_LISTED]
    timeline = []
    cursor = datetime.date(today.year, today.month, 1)
    for _i in range(13):
        key = cursor.strftime("%Y-%m")
        timeline.append({"key": key, "month": cursor, "count": summary["timeline"].get(key, 0)})
        cursor = datetime.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    governments = sorted(
        ({**row, "value": Decimal(row["value"])} for row in summary["governments"]),
        key=lambda row: row["government__code"],
    )
    signals = [{"key": s.value, "label": s.label, "count": sum(row[s.value] for row in governments)} for s in Signal]
    worst_ids = [pk for _score, _ends, pk in sorted(summary["worst"], key=_worst_order)[:WORST_LISTED]]
    worst = (
        sorted(
            with_health(Agreement.objects.filter(pk__in=worst_ids), today, details=True, cutoff=cutoff).select_related(
                "lead_agency", "government"
            ),
            key=lambda agreement: worst_ids.index(agreement.pk),
        )
        if worst_ids
        else []
    )
    return Dashboard(
        today=today,
        statuses=rows(Status, summary["statuses"]),
        categories=rows(Category, summary["categories"]),
        partner_types=rows(PartnerType, summary["partner_types"], only_found=True),
        affairs=[
            {"affair_id": pk, "affair__code": code, "affair__name": name, "count": count, "value": Decimal(value)}
            for pk, code, name, count, value in affairs
        ],
        agencies=[
            {
                "lead_agency_id": pk,
                "lead_agency__name": name,
                "government__name": government,
                "count": count,
                "value": Decimal(value),
            }
            for pk, name, government, count, value in agencies
        ],
        timeline=timeline,
        signals=signals,
        worst=worst,
        beneficiaries=sum(row["beneficiaries"] for row in governments),
        planned=Decimal(summary["planned"]),
        realised=Decimal(summary["realised"]),
        league=summary["league"],  # ranked by summarise and merge
        due_period_label=Thresholds.for_day(today).due_period.label,
        governments=governments if by_government else [],
    )


def dashboard(
    visible: QuerySet,
    *,
    today: datetime.date | None = None,
    by_government: bool = False,
    cutoff: datetime.date | None = None,
) -> Dashboard:
    """The dashboard of any set of agreements, computed now (a fixed number of queries); with a
    cutoff, counting only data of reporting periods ending by then (a periodic report)."""
    today = today or timezone.localdate()
    return present(summarise(visible, today, cutoff), today, by_government=by_government, cutoff=cutoff)


def has_data_after(government_ids, day: datetime.date) -> bool:
    """Whether these governments have verified monitoring data of a reporting period ending
    after `day` (the stored summaries count it; a report for a period ending on `day` may not)."""
    return ProgressReport.objects.filter(
        agreement__government_id__in=government_ids,
        status__in=[ReportStatus.VERIFIED, ReportStatus.SUPERSEDED],
        period_ends_on__gt=day,
    ).exists()


def government_dashboard(
    government_ids, *, today: datetime.date | None = None, by_government: bool = False
) -> Dashboard:
    """The dashboard of whole governments from their stored summaries; a summary whose day or
    revision has moved on is recomputed (and stored) first. The sum over several governments
    is cached under their revisions, so it is only added up again after a change. Three
    queries when every summary is fresh, whatever the number of governments and agreements."""
    today = today or timezone.localdate()
    ids = sorted(government_ids)
    current = audit_revisions(ids)
    key = None
    if len(ids) > 1:  # keyed by the one mechanism: the revisions and the governments' scopes
        key = revision_cache_key(
            "dashboard-sum", today, sorted(current.items()), scopes=[government_scope(pk) for pk in ids]
        )
        merged = cache.get(key)
        if merged is not None:
            return present(merged, today, by_government=by_government)
    fresh, stale = _fresh_and_stale(ids, today, current, load=True)
    summaries = [*fresh.values(), *_store_summaries(stale, today, current)]
    merged = merge(summaries)
    if key:
        cache.set(key, merged, SUM_CACHE_SECONDS)
    return present(merged, today, by_government=by_government)


def _fresh_and_stale(ids: list[int], today: datetime.date, current: dict, *, load: bool) -> tuple[dict, list[int]]:
    """({government id: its stored summary, or None without `load`} for those stored for the
    day at the current revision, [the other ids])."""
    stored = DashboardSummary.objects.filter(government_id__in=ids, day=today)
    rows = (
        stored.values_list("government_id", "revision", "data")
        if load
        else stored.values_list("government_id", "revision")
    )
    fresh = {row[0]: row[2] if load else None for row in rows if row[1] == current[row[0]]}
    return fresh, [government_id for government_id in ids if government_id not in fresh]


def empty_summary() -> dict:
    """The summary of a government without agreements (no query needed)."""
    return {
        "statuses": {},
        "categories": {},
        "partner_types": {},
        "affairs": [],
        "agencies": [],
        "timeline": {},
        "governments": [],
        "worst": [],
        "planned": "0",
        "realised": "0",
        "league": [],
    }


def _store_summaries(government_ids: list[int], today: datetime.date, current: dict) -> list[dict]:
    """Compute and store the summaries of these governments. Those without any agreement (most
    of the country before it adopts Jalin) are found in one query and cost nothing more."""
    if not government_ids:
        return []
    busy = set(
        Agreement.objects.filter(government_id__in=government_ids)
        .values_list("government_id", flat=True)
        .distinct()
        .order_by()
    )
    rows = [
        DashboardSummary(
            government_id=government_id,
            day=today,
            revision=current[government_id],
            data=summarise(Agreement.objects.filter(government_id=government_id), today)
            if government_id in busy
            else empty_summary(),
        )
        for government_id in government_ids
    ]
    DashboardSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["government"],
        update_fields=["day", "revision", "data", "computed_at"],
    )
    return [row.data for row in rows]


def refresh_summaries(*, today: datetime.date | None = None, government_ids=None) -> int:
    """Bring every government's stored summary up to date (the nightly task, and after loading
    scale data). Returns how many were recomputed."""
    today = today or timezone.localdate()
    ids = list(government_ids if government_ids is not None else Government.objects.values_list("pk", flat=True))
    current = audit_revisions(ids)
    _fresh, stale = _fresh_and_stale(ids, today, current, load=False)
    for start in range(0, len(stale), 100):  # the "which have agreements" query stays small
        _store_summaries(stale[start : start + 100], today, current)
    return len(stale)


GOVERNMENT_FIGURES = ("total", "in_force", "value", "beneficiaries", *Signal.values)


def by_province(rows: list[dict]) -> list[dict]:
    """Governments side by side, rolled up to their provinces (a province's row adds up the
    province and its regencies and cities): what a national supervisor compares. One query."""
    provinces = dict(Government.objects.filter(level=Government.Level.PROVINCE).values_list("code", "name"))
    rolled: dict[str, dict] = {}
    for row in rows:
        code = row["government__code"].split(".")[0]
        if code not in provinces:
            rolled[row["government__code"]] = dict(row)  # not under a province (the national level)
            continue
        target = rolled.setdefault(
            code,
            {"government__code": code, "government__name": provinces[code], **dict.fromkeys(GOVERNMENT_FIGURES, 0)},
        )
        for figure in GOVERNMENT_FIGURES:
            target[figure] += row.get(figure, 0)
    return sorted(rolled.values(), key=lambda row: row["government__code"])


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def agreements_for_signal(visible: QuerySet, signal: str | None, today: datetime.date | None = None) -> QuerySet:
    queryset = with_health(visible.live(), today, details=True).select_related("lead_agency", "government")
    if signal in Signal.values:
        queryset = queryset.filter(**{f"h_{signal}": True})
    else:
        queryset = queryset.filter(health_score__gt=0)
    return queryset.order_by("-health_score", "ends_on", "pk")
