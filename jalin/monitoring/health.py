"""Health signals, computed in the database from dates and the monitoring trail; never typed in.

Each signal is a boolean expression annotated on an Agreement queryset (`with_health`), so the
dashboard counts them with one aggregate query and lists filter and sort on them. The one
sentence that explains a signal is written from the same annotations (`signals_of`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jalin.agreements.models import Agreement, Category, Kind, Status, status_q
from jalin.monitoring.models import (
    Evidence,
    IndicatorPeriod,
    Obligation,
    ObligationStatus,
    ProgressReport,
    ReportObligation,
    ReportStatus,
)
from jalin.monitoring.periods import Period, last_due_period


class Signal(TextChoices):
    PAPER_ONLY = "paper_only", gettext_lazy("Paper only")
    DORMANT = "dormant", gettext_lazy("Dormant")
    REPORT_OVERDUE = "report_overdue", gettext_lazy("Report overdue")
    OFF_TRACK = "off_track", gettext_lazy("Off track")
    EXPIRED = "expired", gettext_lazy("Expired")
    EXPIRING = "expiring", gettext_lazy("Expiring")


# How much each signal weighs when agreements are ranked worst first.
SEVERITY = {
    Signal.PAPER_ONLY: 5,
    Signal.DORMANT: 4,
    Signal.REPORT_OVERDUE: 3,
    Signal.OFF_TRACK: 3,
    Signal.EXPIRED: 2,
    Signal.EXPIRING: 1,
}


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def implementing_q(today: datetime.date) -> Q:
    """Agreements in implementation: signed, in force, and of a kind that is carried out
    (PKS, RK, or a foreign MoU, which has no PKS under it)."""
    in_force = status_q(Status.ACTIVE, today) | status_q(Status.EXPIRING, today)
    return in_force & implementing_kinds_q()


def implementing_kinds_q() -> Q:
    return Q(kind__in=[Kind.PKS, Kind.RK]) | Q(kind=Kind.MOU, category__in=[Category.KSDPL, Category.KSDLL])


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Thresholds:
    today: datetime.date
    due_period: Period
    dormant_since: datetime.date  # activity on or after this day keeps an agreement awake
    paper_only_signed_before: datetime.date
    off_track_percent: int
    # A periodic report's period end: only data of reporting periods ending by then counts
    # (None: all of it, as on the dashboard).
    cutoff: datetime.date | None = None

    @classmethod
    def for_day(cls, today: datetime.date, cutoff: datetime.date | None = None) -> "Thresholds":
        return cls(
            today=today,
            due_period=last_due_period(today),
            dormant_since=today - datetime.timedelta(days=settings.MONITORING_DORMANT_DAYS),
            paper_only_signed_before=months_before(today, settings.MONITORING_PAPER_ONLY_MONTHS),
            off_track_percent=settings.MONITORING_OFF_TRACK_PERCENT,
            cutoff=cutoff,
        )


MET_STATUSES = (ObligationStatus.MET, ObligationStatus.PARTLY_MET)


def reports_by(cutoff: datetime.date | None) -> Q:
    """Progress reports of reporting periods ending by the cutoff (all of them without one)."""
    return Q() if cutoff is None else Q(period_ends_on__lte=cutoff)


def evidence_by(cutoff: datetime.date | None) -> Q:
    """Evidence known by the cutoff: that of a report of a period ending by then, or added by then."""
    if cutoff is None:
        return Q()
    return Q(report__period_ends_on__lte=cutoff) | Q(
        report__isnull=True, created_at__lt=_start_of(cutoff + datetime.timedelta(days=1))
    )


def obligations_met_q(cutoff: datetime.date | None) -> Q:
    """An obligation met (or partly met): now, or by the cutoff according to the verified reports
    of periods ending by then (an obligation no verified report ever updated keeps its status)."""
    if cutoff is None:
        return Q(status__in=MET_STATUSES)
    updates = ReportObligation.objects.filter(obligation_id=OuterRef("pk"), report__status=ReportStatus.VERIFIED)
    return Exists(updates.filter(status__in=MET_STATUSES, report__period_ends_on__lte=cutoff)) | (
        Q(status__in=MET_STATUSES) & ~Exists(updates)
    )


def _off_track_periods(x: int, cutoff: datetime.date | None = None) -> QuerySet:
    """Each indicator's latest period with an actual (of the periods ending by the cutoff), when
    it is behind its target (the pro-rata path point) by more than x percent of the way from
    the baseline."""
    by_cutoff = Q() if cutoff is None else Q(ends_on__lte=cutoff)
    later = IndicatorPeriod.objects.filter(
        by_cutoff, indicator_id=OuterRef("indicator_id"), actual__isnull=False, starts_on__gt=OuterRef("starts_on")
    )
    money = DecimalField(max_digits=30, decimal_places=4)
    return (
        IndicatorPeriod.objects.filter(by_cutoff, actual__isnull=False, indicator__archived_at__isnull=True)
        .exclude(Exists(later))
        .alias(
            gap=ExpressionWrapper((F("target") - F("actual")) * 100, output_field=money),
            span=ExpressionWrapper((F("target") - F("indicator__baseline_value")) * x, output_field=money),
        )
        .filter(
            Q(indicator__direction="higher", gap__gt=F("span")) | Q(indicator__direction="lower", gap__lt=F("span"))
        )
    )


def _renewals() -> QuerySet:
    """The live renewals of the outer agreement (a renewal whose procedure was rejected or
    withdrawn renews nothing)."""
    return (
        Agreement.objects.filter(predecessor_id=OuterRef("pk"), archived_at__isnull=True)
        .exclude(process__stage__in=("rejected", "withdrawn"))
        .order_by("-signed_on", "-pk")
    )


def health_conditions(t: Thresholds) -> dict[str, Q]:
    implementing = implementing_q(t.today)
    period = t.due_period
    reported = ProgressReport.objects.filter(
        agreement_id=OuterRef("pk"),
        period_starts_on=period.starts_on,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.SUPERSEDED],
    )
    since = _start_of(t.dormant_since)
    recent_report = ProgressReport.objects.filter(
        reports_by(t.cutoff),
        agreement_id=OuterRef("pk"),
        verified_at__gte=since,
        status__in=[ReportStatus.VERIFIED, ReportStatus.SUPERSEDED],
    )
    # Dormancy counts *verified* activity from the day it was verified (not uploaded): a late
    # verification wakes a dormant agreement (docs/monitoring.md).
    recent_evidence = Evidence.objects.filter(
        evidence_by(t.cutoff), agreement_id=OuterRef("pk"), archived_at__isnull=True, verified_at__gte=since
    )
    met = Obligation.objects.filter(obligations_met_q(t.cutoff), agreement_id=OuterRef("pk"), archived_at__isnull=True)
    any_evidence = Evidence.objects.filter(evidence_by(t.cutoff), agreement_id=OuterRef("pk"), archived_at__isnull=True)
    off_track = _off_track_periods(t.off_track_percent, t.cutoff).filter(indicator__agreement_id=OuterRef("pk"))
    return {
        Signal.EXPIRING: status_q(Status.EXPIRING, t.today),
        # An agreement renewed by a live successor is not "expired: no renewal recorded".
        Signal.EXPIRED: status_q(Status.EXPIRED, t.today) & ~Exists(_renewals()),
        Signal.REPORT_OVERDUE: implementing
        & Q(signed_on__lte=period.ends_on)
        & (Q(effective_on__isnull=True) | Q(effective_on__lte=period.ends_on))
        & ~Exists(reported),
        Signal.DORMANT: implementing
        & Q(signed_on__lt=t.dormant_since)
        & ~Exists(recent_report)
        & ~Exists(recent_evidence),
        Signal.OFF_TRACK: implementing & Exists(off_track),
        Signal.PAPER_ONLY: implementing
        & Q(signed_on__lt=t.paper_only_signed_before)
        & ~Exists(met)
        & ~Exists(any_evidence),
    }


def with_health(
    queryset: QuerySet,
    today: datetime.date | None = None,
    *,
    details: bool = False,
    cutoff: datetime.date | None = None,
) -> QuerySet:
    """Annotate `h_<signal>` booleans and `health_score`; with details, also what the reasons
    quote. With a cutoff, only data of reporting periods ending by then counts (a report's period)."""
    t = Thresholds.for_day(today or timezone.localdate(), cutoff)
    conditions = health_conditions(t)
    annotations = {
        f"h_{signal.value}": ExpressionWrapper(q, output_field=BooleanField()) for signal, q in conditions.items()
    }
    queryset = queryset.annotate(**annotations) if details else queryset.alias(**annotations)
    score = sum(
        (
            Case(When(**{f"h_{signal.value}": True}, then=Value(SEVERITY[signal])), default=Value(0))
            for signal in Signal
        ),
        start=Value(0),
    )
    queryset = queryset.annotate(health_score=ExpressionWrapper(score, output_field=IntegerField()))
    if details:
        last_report = (
            ProgressReport.objects.filter(reports_by(cutoff), agreement_id=OuterRef("pk"), verified_at__isnull=False)
            .values("agreement_id")
            .annotate(last=Max("verified_at"))
            .values("last")
        )
        last_evidence = (
            Evidence.objects.filter(
                evidence_by(cutoff), agreement_id=OuterRef("pk"), verified_at__isnull=False, archived_at__isnull=True
            )
            .values("agreement_id")
            .annotate(last=Max("verified_at"))
            .values("last")
        )
        off = (
            _off_track_periods(t.off_track_percent, cutoff)
            .filter(indicator__agreement_id=OuterRef("pk"))
            .order_by("indicator_id")
        )
        queryset = queryset.annotate(
            renewed_by_id=Subquery(_renewals().values("pk")[:1]),
            renewed_by_title=Subquery(_renewals().values("title")[:1]),
            renewed_by_number=Subquery(_renewals().values("number")[:1]),
            last_verified_report=Subquery(last_report, output_field=DateTimeField()),
            last_verified_evidence=Subquery(last_evidence, output_field=DateTimeField()),
            off_indicator=Subquery(off.values("indicator__name")[:1]),
            off_actual=Subquery(off.values("actual")[:1], output_field=DecimalField()),
            off_target=Subquery(off.values("target")[:1], output_field=DecimalField()),
            off_period_end=Subquery(off.values("ends_on")[:1], output_field=DateField()),
            off_indicator_unit=Subquery(off.values("indicator__unit")[:1]),
            health_today=Value(t.today, output_field=DateField()),
        )
    return queryset


_resolved: dict[tuple, QuerySet] = {}


def health_of(agreement_pk: int, today: datetime.date | None = None):
    """One agreement annotated with its signals and their details, or None if it does not
    exist. The annotated queryset is built (its expressions resolved) once per day and
    process and only filtered per call, which halves the cost of the agreement pages'
    monitoring panel (the expressions, not the query, were most of it)."""
    today = today or timezone.localdate()
    key = (Thresholds.for_day(today), settings.EXPIRING_WITHIN_DAYS)  # all the expressions depend on
    base = _resolved.get(key)
    if base is None:
        base = with_health(Agreement.objects.all(), today, details=True)
        _resolved.clear()  # only the current day is kept
        _resolved[key] = base
    return base.filter(pk=agreement_pk).first()


def has_any_signal_q() -> Q:
    return Q(health_score__gt=0)


@dataclass(frozen=True)
class SignalReason:
    signal: Signal
    reason: str

    @property
    def label(self) -> str:
        return str(self.signal.label)

    @property
    def severity(self) -> int:
        return SEVERITY[self.signal]


def _day(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, "j F Y")


def _number(value) -> str:
    if value is None:
        return "–"
    value = Decimal(value).normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def signals_of(agreement, today: datetime.date | None = None) -> list[SignalReason]:
    """The signals of an agreement annotated by with_health(details=True), each with its one-sentence reason."""
    t = Thresholds.for_day(today or getattr(agreement, "health_today", None) or timezone.localdate())
    found = []
    if getattr(agreement, "h_paper_only", False):
        found.append(
            SignalReason(
                Signal.PAPER_ONLY,
                ngettext(
                    "Signed on %(signed)s, more than %(months)d month ago, and still no obligation met and no evidence.",
                    "Signed on %(signed)s, more than %(months)d months ago, and still no obligation met and no evidence.",
                    settings.MONITORING_PAPER_ONLY_MONTHS,
                )
                % {"signed": _day(agreement.signed_on), "months": settings.MONITORING_PAPER_ONLY_MONTHS},
            )
        )
    if getattr(agreement, "h_dormant", False):
        activity = [d for d in (agreement.last_verified_report, agreement.last_verified_evidence) if d]
        if activity:
            reason = _("No verified report or evidence for more than %(days)d days: the last was on %(last)s.") % {
                "days": settings.MONITORING_DORMANT_DAYS,
                "last": _day(max(activity)),
            }
        else:
            reason = _(
                "No verified report or evidence since it was signed on %(signed)s, more than %(days)d days ago."
            ) % {
                "days": settings.MONITORING_DORMANT_DAYS,
                "signed": _day(agreement.signed_on),
            }
        found.append(SignalReason(Signal.DORMANT, reason))
    if getattr(agreement, "h_report_overdue", False):
        found.append(
            SignalReason(
                Signal.REPORT_OVERDUE,
                _("The progress report for %(period)s was due on %(due)s and has not been submitted.")
                % {"period": t.due_period.label, "due": _day(t.due_period.due_on)},
            )
        )
    if getattr(agreement, "h_off_track", False):
        found.append(
            SignalReason(
                Signal.OFF_TRACK,
                _(
                    "Indicator “%(indicator)s” reached %(actual)s by %(day)s against %(target)s on the path to its "
                    "target, more than %(percent)d%% behind."
                )
                % {
                    "indicator": agreement.off_indicator,
                    "actual": f"{_number(agreement.off_actual)} {agreement.off_indicator_unit or ''}".strip(),
                    "target": f"{_number(agreement.off_target)} {agreement.off_indicator_unit or ''}".strip(),
                    "day": _day(agreement.off_period_end),
                    "percent": settings.MONITORING_OFF_TRACK_PERCENT,
                },
            )
        )
    if getattr(agreement, "h_expired", False):
        found.append(
            SignalReason(
                Signal.EXPIRED,
                _("It ended on %(day)s and no renewal or termination has been recorded.")
                % {"day": _day(agreement.ends_on)},
            )
        )
    if getattr(agreement, "h_expiring", False):
        days = (agreement.ends_on - t.today).days
        found.append(
            SignalReason(
                Signal.EXPIRING,
                ngettext(
                    "It ends on %(day)s, in %(days)d day: decide whether to renew it.",
                    "It ends on %(day)s, in %(days)d days: decide whether to renew it.",
                    days,
                )
                % {"day": _day(agreement.ends_on), "days": days},
            )
        )
    return found


def agreements_with_signals(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return (
        with_health(queryset.live(), today, details=True)
        .filter(has_any_signal_q())
        .select_related("lead_agency", "government")
        .order_by("-health_score", "ends_on", "pk")
    )


@dataclass(frozen=True)
class Renewal:
    pk: int
    title: str
    number: str


def renewal_of(agreement) -> Renewal | None:
    """The live renewal of an agreement annotated by with_health(details=True), if any: the
    agreement shows as renewed by it, never as expired without a renewal."""
    pk = getattr(agreement, "renewed_by_id", None)
    if not pk:
        return None
    return Renewal(pk, agreement.renewed_by_title or "", agreement.renewed_by_number or "")
