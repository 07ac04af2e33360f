"""Monitoring scale data: the results framework and the progress trail of every scale-data
agreement in implementation (see national.py), bulk-inserted per government.

For each agreement that is signed and of a kind that is carried out (PKS, RK, a foreign MoU:
`implementing_kinds_q`), this writes what the monitoring services would have written over its
life: 1-3 obligations, 2-4 indicators (some under an obligation) with a target for every
reporting period of the agreement on the pro-rata path (as `indicator_create` does), budget
lines for some, and one progress report per period that is due, with its indicator values,
obligation updates, beneficiaries and budget realisations. Verified reports carry their
actuals into the indicator periods and their statuses into the obligations (as
`report_verify` does). A little evidence metadata (no files), a few evaluations, and one
audit entry per report complete it.

Not every agreement is well kept, so the health signals fire on a realistic minority: about
one in twelve never reported (paper only, dormant, report overdue), some stopped reporting after
a while (dormant, report overdue), some have the last due report still in draft, returned or
waiting for verification, and some have an indicator well behind its path (off track).

"Progress entries" (the issue's 1,000,000+ at national scale) are the rows of the progress
trail: ProgressReport + ReportIndicatorValue + ReportObligation + Beneficiary +
BudgetRealisation (see `Progress.progress_entries` in national.py). Indicator periods,
obligations, indicators, budget lines, evidence, evaluations and audit entries are counted
separately.

The data is deterministic from the seed and the government's code, and independent of the
agreements' own random stream, so a government seeded before monitoring data existed gets
exactly the data it would have got in one run. A government is done when one of its
scale-data agreements has an obligation.
"""

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone, translation

from jalin.agreements.models import Agreement
from jalin.audit.models import AuditEntry
from jalin.monitoring.health import implementing_kinds_q
from jalin.monitoring.models import (
    Beneficiary,
    BeneficiaryGroup,
    BudgetLine,
    BudgetRealisation,
    Direction,
    Evaluation,
    Evidence,
    FundingSource,
    Indicator,
    IndicatorPeriod,
    IndicatorType,
    Measure,
    Obligation,
    ObligationStatus,
    ProgressReport,
    Recommendation,
    ReportIndicatorValue,
    ReportObligation,
    ReportStatus,
    ResponsibleParty,
)
from jalin.monitoring.periods import Period, period_containing, periods_between
from jalin.monitoring.services import indicator_window, path_target

BATCH = 2000
CENT = Decimal("0.01")
THOUSAND = Decimal(1000)
ZERO = Decimal(0)

_OBLIGATIONS = [
    "Menyusun rencana kerja tahunan bersama mitra",
    "Melaksanakan kegiatan lapangan sesuai rencana kerja",
    "Menyediakan tenaga ahli dan sarana pendukung",
    "Menyediakan data dan informasi yang diperlukan",
    "Menyelenggarakan pelatihan bagi aparatur dan masyarakat",
    "Melaksanakan sosialisasi kepada masyarakat sasaran",
    "Menyampaikan laporan pelaksanaan secara berkala",
    "Menyediakan lahan dan perizinan yang diperlukan",
]
# name, type, unit, measure, direction, baseline range, range of the move to the final target
_INDICATORS = [
    ("Peserta pelatihan yang lulus", IndicatorType.OUTPUT, "orang", Measure.NUMBER, Direction.HIGHER, (0, 0), (100, 1500)),
    ("Desa sasaran yang terlayani", IndicatorType.OUTPUT, "desa", Measure.NUMBER, Direction.HIGHER, (0, 0), (6, 60)),
    ("Sarana yang dibangun atau direhabilitasi", IndicatorType.OUTPUT, "unit", Measure.NUMBER, Direction.HIGHER, (0, 5), (5, 80)),
    ("Kegiatan sosialisasi yang terlaksana", IndicatorType.OUTPUT, "kegiatan", Measure.NUMBER, Direction.HIGHER, (0, 0), (4, 24)),
    ("Pelaku UMKM yang didampingi", IndicatorType.OUTPUT, "unit usaha", Measure.NUMBER, Direction.HIGHER, (0, 50), (50, 800)),
    ("Warga penerima manfaat", IndicatorType.OUTCOME, "orang", Measure.NUMBER, Direction.HIGHER, (0, 500), (1000, 20000)),
    ("Cakupan layanan di wilayah sasaran", IndicatorType.OUTCOME, "%", Measure.PERCENT, Direction.HIGHER, (20, 60), (10, 35)),
    ("Warga penerima manfaat yang puas", IndicatorType.OUTCOME, "%", Measure.PERCENT, Direction.HIGHER, (40, 70), (10, 25)),
    ("Keluhan layanan yang tidak tertangani", IndicatorType.OUTCOME, "%", Measure.PERCENT, Direction.LOWER, (20, 40), (-18, -8)),
    ("Waktu rata-rata penyelesaian layanan", IndicatorType.OUTCOME, "hari", Measure.NUMBER, Direction.LOWER, (10, 30), (-8, -3)),
]  # fmt: skip
_SUMMARIES = [
    "Kegiatan berjalan sesuai rencana kerja.",
    "Sebagian besar kegiatan semester ini telah terlaksana.",
    "Kegiatan lapangan dilaksanakan bersama mitra di wilayah sasaran.",
    "Pelaksanaan kegiatan terlambat karena penyesuaian anggaran.",
    "Capaian semester ini melampaui target antara.",
]
_PROBLEMS = [
    "Akses ke lokasi terbatas pada musim hujan.",
    "Pencairan anggaran terlambat.",
    "Pergantian personel di pihak mitra.",
    "Data sasaran belum lengkap.",
]
_FOLLOW_UPS = [
    "Jadwal kegiatan disesuaikan dengan kalender musim.",
    "Koordinasi ulang dengan mitra.",
    "Pemutakhiran data sasaran bersama pemerintah desa.",
]
_RETURN_REASONS = [
    "Lengkapi bukti dukung kegiatan.",
    "Angka capaian indikator belum sesuai dengan bukti.",
    "Uraikan kendala dan tindak lanjutnya.",
]
_CORRECTION_REASONS = [
    "Perbaikan angka capaian setelah verifikasi lapangan.",
    "Data penerima manfaat diperbarui.",
]
_METHODS = [
    "Daftar hadir kegiatan",
    "Data penerima dari dinas teknis",
    "Survei lapangan",
    "Rekap aplikasi layanan",
    "Berita acara serah terima",
]
_CAPTIONS = ["Kegiatan lapangan", "Serah terima sarana", "Pelatihan peserta", "Sosialisasi kepada warga"]
_GROUPS = [group for group in BeneficiaryGroup.values if group != BeneficiaryGroup.OTHER]

# What happens to an obligation over the agreement's life.
_MET, _PARTLY, _FAILED, _PENDING = "met", "partly", "failed", "pending"


def monitored_government_codes(scale_agreements: QuerySet) -> set[str]:
    """Codes of the governments whose scale-data agreements already have monitoring data."""
    return set(
        Obligation.objects.filter(agreement__in=scale_agreements)
        .values_list("agreement__government__code", flat=True)
        .distinct()
    )


@contextmanager
def explicit_timestamps(*models) -> Iterator[None]:
    """bulk_create stamps auto_now / auto_now_add fields with the current time; scale data
    carries its own history (created last year, verified in August), so the stamping is
    switched off while it is written and every such field is set by the caller. (It changes
    the model fields for the whole process: for commands and tests, not for a web worker.)"""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class Tally:
    obligations: int = 0
    indicators: int = 0
    indicator_periods: int = 0
    budget_lines: int = 0
    reports: int = 0
    indicator_values: int = 0
    obligation_updates: int = 0
    beneficiaries: int = 0
    budget_realisations: int = 0
    evidence: int = 0
    evaluations: int = 0
    audit_entries: int = 0


@dataclass
class _Rows:
    """One government's rows, in the order they are inserted (foreign keys point backwards).
    The big tables (periods to realisations) are tuples holding their parents' objects, whose
    primary keys are known once the parents are inserted."""

    obligations: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    budget_lines: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    corrections: list = field(default_factory=list)  # point to reports saved before them
    periods: list = field(default_factory=list)
    values: list = field(default_factory=list)
    obligation_updates: list = field(default_factory=list)
    beneficiaries: list = field(default_factory=list)
    realisations: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)


def build_monitoring(
    government, agreements: QuerySet, *, admin, officers: list, seed: int, today: datetime.date
) -> Tally:
    """Write the monitoring data of one government's scale-data agreements (the caller holds
    the transaction). Reports are created and submitted by the agency officers and verified
    by the government's admin."""
    rng = random.Random(f"{seed}:{government.code}:monitoring")  # noqa: S311 - deterministic test data
    implementing = list(
        agreements.filter(
            implementing_kinds_q(), signed_on__isnull=False, archived_at__isnull=True, terminated_on__isnull=True
        )
        .only(
            "pk",
            "title",
            "signed_on",
            "effective_on",
            "ends_on",
            "value",
            "is_public",
            "liaison_officer",
            "lead_agency",
        )
        .order_by("pk")
    )
    tally = Tally()
    if not implementing or not officers:
        return tally
    builder = _Builder(rng, today, admin, officers)
    with translation.override("id"):
        for agreement in implementing:
            builder.agreement(agreement)
    rows = builder.rows
    with explicit_timestamps(Obligation, Indicator, ProgressReport, Evidence, Evaluation):
        Obligation.objects.bulk_create(rows.obligations, batch_size=BATCH)
        Indicator.objects.bulk_create(rows.indicators, batch_size=BATCH)
        BudgetLine.objects.bulk_create(rows.budget_lines, batch_size=BATCH)
        ProgressReport.objects.bulk_create(rows.reports, batch_size=BATCH)
        ProgressReport.objects.bulk_create(rows.corrections, batch_size=BATCH)
        Evidence.objects.bulk_create(rows.evidence, batch_size=BATCH)
        Evaluation.objects.bulk_create(rows.evaluations, batch_size=BATCH)
    # The big tables, whose rows nothing points to: written without model instances.
    insert_rows(
        IndicatorPeriod,
        ["indicator", "starts_on", "ends_on", "target", "actual", "actual_report"],
        [
            (i.pk, starts, ends, target, actual, r.pk if r else None)
            for i, starts, ends, target, actual, r in rows.periods
        ],
    )
    insert_rows(ReportIndicatorValue, ["report", "indicator", "value"], [(r.pk, i.pk, v) for r, i, v in rows.values])
    insert_rows(
        ReportObligation,
        ["report", "obligation", "status", "met_on"],
        [(r.pk, o.pk, status, met_on) for r, o, status, met_on in rows.obligation_updates],
    )
    insert_rows(Beneficiary, ["report", "group", "count", "method"], [(r.pk, *rest) for r, *rest in rows.beneficiaries])
    insert_rows(
        BudgetRealisation, ["report", "budget_line", "amount"], [(r.pk, b.pk, a) for r, b, a in rows.realisations]
    )
    reports = rows.reports + rows.corrections
    report_type = ContentType.objects.get_for_model(ProgressReport)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=report_type,
                object_pk=str(report.pk),
                object_id=report.pk,
                object_repr=f"{report._agreement_title} · {report._label} v{report.version}",
                action=AuditEntry.Action.CREATE,
                changes={
                    "period_starts_on": ["None", report.period_starts_on.isoformat()],
                    "version": ["None", str(report.version)],
                },
                actor=report.created_by,
                timestamp=report.created_at,
                government=government,
                agreement_id=report.agreement_id,
            )
            for report in reports
        ],
        batch_size=BATCH,
    )
    tally.obligations = len(rows.obligations)
    tally.indicators = len(rows.indicators)
    tally.indicator_periods = len(rows.periods)
    tally.budget_lines = len(rows.budget_lines)
    tally.reports = len(reports)
    tally.indicator_values = len(rows.values)
    tally.obligation_updates = len(rows.obligation_updates)
    tally.beneficiaries = len(rows.beneficiaries)
    tally.budget_realisations = len(rows.realisations)
    tally.evidence = len(rows.evidence)
    tally.evaluations = len(rows.evaluations)
    tally.audit_entries = len(reports)
    return tally


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Write rows of values that are already what the database stores (integers, dates,
    decimals, text): COPY on PostgreSQL, multi-row INSERTs elsewhere. At millions of rows,
    bulk_create's per-value preparation costs more than the writing itself; this skips it,
    and the rows get no Python objects."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    if connection.vendor == "postgresql":
        statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    limit = connection.features.max_query_params  # None: no limit
    per_statement = BATCH if limit is None else max(1, min(BATCH, limit // len(fields)))
    row_marks = f"({', '.join(['%s'] * len(fields))})"
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), per_statement):
            chunk = rows[offset : offset + per_statement]
            cursor.execute(head + ", ".join([row_marks] * len(chunk)), [value for row in chunk for value in row])


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Builder:
    def __init__(self, rng: random.Random, today: datetime.date, admin, officers):
        self.rng = rng
        self.today = today
        # The history ends yesterday, so that it is the same whatever the hour of the run.
        self.until = today - datetime.timedelta(days=1)
        self.admin = admin
        self.officers = officers
        self.officer_by_pk = {officer.pk: officer for officer in officers}
        self.rows = _Rows()
        self.labels: dict[Period, str] = {}

    def moment(self, day: datetime.date) -> datetime.datetime:
        return _at(min(day, self.until), self.rng.randint(8, 15), self.rng.randint(0, 59))

    def label(self, period: Period) -> str:
        if period not in self.labels:
            self.labels[period] = period.label
        return self.labels[period]

    def agreement(self, agreement: Agreement) -> None:
        rng = self.rng
        start, end = indicator_window(agreement)
        window = periods_between(start, end)
        due = [period for period in window if period.due_on < self.today]
        officer = self.officer_by_pk.get(agreement.liaison_officer_id) or rng.choice(self.officers)
        created = self.moment(min(start + datetime.timedelta(days=rng.randint(7, 60)), self.today))

        obligations = [
            self.obligation(agreement, description, start, end, created, first=number == 0)
            for number, description in enumerate(rng.sample(_OBLIGATIONS, k=rng.randint(1, 3)))
        ]
        struggling = rng.random() < 0.15  # one indicator well behind its path
        indicators = []
        for number, template in enumerate(rng.sample(_INDICATORS, k=rng.randint(2, 4))):
            under = rng.choice(obligations) if rng.random() < 0.5 else None
            indicators.append(
                self.indicator(agreement, template, under, start, created, behind=struggling and number == 0)
            )
        lines = self.budget_lines(agreement) if rng.random() < 0.55 else []

        # Which periods get a report, and how far each got.
        profile = rng.random()
        plan: list[tuple[Period, str]] = []
        if profile < 0.08 or not due:
            pass  # never reported: paper only once old enough
        elif profile < 0.15 and len(due) >= 2:
            stopped = rng.randint(1, len(due) - 1)  # reported for a while, then stopped
            plan = [(period, ReportStatus.VERIFIED) for period in due[:stopped]]
            if rng.random() < 0.5:
                plan.append((due[stopped], ReportStatus.DRAFT))
        else:
            plan = [(period, ReportStatus.VERIFIED) for period in due[:-1]]
            last = rng.choices(
                [ReportStatus.VERIFIED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT],
                weights=[80, 10, 4, 6],
            )[0]
            plan.append((due[-1], last))
            current = period_containing(self.today)
            if current in window and current not in due and rng.random() < 0.3:
                plan.append((current, ReportStatus.DRAFT))

        # Actuals per indicator and period, on the indicator's own pace.
        actuals = {
            (indicator._key, period): self.actual(indicator, start, end, period)
            for indicator in indicators
            for period, _status in plan
        }
        verified_by_period: dict[Period, ProgressReport] = {}
        last_verified: Period | None = None
        for period, status in plan:
            report = self.report(agreement, period, status, officer, indicators, obligations, lines, actuals)
            if report.status == ReportStatus.VERIFIED:
                verified_by_period[period] = report
                last_verified = period
            elif report.status == ReportStatus.SUPERSEDED:
                verified_by_period[period] = self.correction(
                    report, officer, indicators, obligations, lines, actuals, period
                )
                last_verified = period

        for indicator in indicators:
            for period in window:
                report = verified_by_period.get(period)
                self.rows.periods.append(
                    (
                        indicator,
                        period.starts_on,
                        period.ends_on,
                        path_target(indicator, start, end, period.ends_on),
                        actuals[(indicator._key, period)] if report else None,
                        report,
                    )
                )
        for obligation in obligations:
            if last_verified is not None:
                obligation.status, obligation.met_on = self.obligation_status(obligation, last_verified.ends_on)
        if len(verified_by_period) >= 4 and rng.random() < 0.08:
            self.evaluation(agreement, max(verified_by_period.values(), key=lambda r: r.verified_at))

    # The results framework ----------------------------------------------------------------

    def obligation(self, agreement, description, start, end, created, *, first: bool) -> Obligation:
        """The first obligation falls due within the first year (a work plan, a survey); the
        others anywhere in the agreement's term."""
        rng = self.rng
        days = rng.randint(60, 300) if first else rng.randint(90, max((end - start).days, 120))
        due_on = min(start + datetime.timedelta(days=days), end)
        party = rng.choices(ResponsibleParty.values, weights=[6, 2, 2])[0]
        obligation = Obligation(
            agreement=agreement,
            description=description,
            party=party,
            agency_id=agreement.lead_agency_id if party != ResponsibleParty.PARTNER else None,
            due_on=due_on,
            weight=rng.choice((1, 1, 1, 2, 3)),
            is_public=rng.random() < 0.8,
            created_at=created,
        )
        obligation._fate = rng.choices([_MET, _PARTLY, _FAILED, _PENDING], weights=[60, 20, 10, 10])[0]
        met = max(due_on + datetime.timedelta(days=rng.randint(-120, 45)), start + datetime.timedelta(days=30))
        partly = met - datetime.timedelta(days=rng.randint(30, 150))
        obligation._met = met if obligation._fate == _MET else None
        obligation._partly = partly if partly > start and (obligation._fate == _PARTLY or rng.random() < 0.5) else None
        self.rows.obligations.append(obligation)
        return obligation

    def obligation_status(self, obligation: Obligation, day: datetime.date) -> tuple[str, datetime.date | None]:
        """What a report for a period ending on `day` says about the obligation."""
        if obligation._met and obligation._met <= day:
            return ObligationStatus.MET, obligation._met
        if obligation._partly and obligation._partly <= day:
            return ObligationStatus.PARTLY_MET, obligation._partly
        if obligation._fate == _FAILED and obligation.due_on < day:
            return ObligationStatus.NOT_MET, None
        return ObligationStatus.SCHEDULED, None

    def indicator(self, agreement, template, obligation, start, created, *, behind: bool) -> Indicator:
        rng = self.rng
        name, kind, unit, measure, direction, (low, high), (move_low, move_high) = template
        baseline = Decimal(rng.randint(low, high))
        target = max(baseline + Decimal(rng.randint(move_low, move_high)), Decimal(0))
        if measure == Measure.PERCENT:
            target = min(target, Decimal(100))
        if target == baseline:
            target = baseline + (1 if direction == Direction.HIGHER else -1)
        indicator = Indicator(
            agreement=agreement,
            obligation=obligation,
            name=name,
            indicator_type=kind,
            unit=unit,
            measure=measure,
            direction=direction,
            baseline_value=baseline,
            baseline_year=start.year - 1,
            target_value=target,
            rpjmd_code=f"IKD {rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}" if rng.random() < 0.3 else "",
            weight=rng.choice((1, 1, 2)),
            is_public=rng.random() < 0.85,
            created_at=created,
        )
        # The share of its path the indicator covers: behind (off track) or about on track.
        indicator._pace = rng.uniform(0.3, 0.7) if behind else rng.uniform(0.92, 1.25)
        indicator._key = len(self.rows.indicators)
        self.rows.indicators.append(indicator)
        return indicator

    def as_of(self, period: Period) -> datetime.date:
        """The day a report for the period describes: its end, or yesterday for the current one."""
        return min(period.ends_on, self.until)

    def actual(self, indicator: Indicator, start, end, period: Period) -> Decimal:
        path = path_target(indicator, start, end, self.as_of(period))
        pace = Decimal(str(round(indicator._pace * self.rng.uniform(0.96, 1.04), 4)))
        value = indicator.baseline_value + (path - indicator.baseline_value) * pace
        # Round in the direction of progress, so rounding never makes a healthy indicator look behind.
        rounding = ROUND_CEILING if indicator.direction == Direction.HIGHER else ROUND_FLOOR
        value = max(
            value.quantize(Decimal(1) if indicator.measure == Measure.NUMBER else CENT, rounding=rounding), ZERO
        )
        if indicator.measure == Measure.PERCENT:
            value = min(value, Decimal(100))
        return value.quantize(CENT)

    def budget_lines(self, agreement) -> list[BudgetLine]:
        rng = self.rng
        planned = agreement.value or Decimal(rng.randint(5, 90)) * Decimal(10_000_000)
        lines = [
            BudgetLine(
                agreement=agreement,
                party=ResponsibleParty.OURS,
                source=FundingSource.APBD,
                description="Belanja kegiatan kerja sama",
                planned=(planned * Decimal(rng.choice((60, 80, 100))) / 100).quantize(THOUSAND),
            )
        ]
        if rng.random() < 0.4:
            lines.append(
                BudgetLine(
                    agreement=agreement,
                    party=ResponsibleParty.PARTNER,
                    source=FundingSource.PARTNER,
                    description="Kontribusi mitra",
                    planned=Decimal(rng.randint(1, 30)) * Decimal(10_000_000),
                )
            )
        self.rows.budget_lines += lines
        return lines

    # Progress reports ---------------------------------------------------------------------

    def report(self, agreement, period, status, officer, indicators, obligations, lines, actuals) -> ProgressReport:
        """One report for the period, its timestamps following its status; a status the report
        cannot have reached yet (submitted after today) falls back to the one before."""
        rng = self.rng
        report = ProgressReport(
            agreement=agreement,
            period_starts_on=period.starts_on,
            period_ends_on=period.ends_on,
            version=1,
            created_by=officer,
            summary=rng.choice(_SUMMARIES),
        )
        started = period.ends_on + datetime.timedelta(days=rng.randint(-20, 10))
        report.created_at = report.updated_at = self.moment(max(min(started, self.today), period.starts_on))
        if rng.random() < 0.35:
            report.problems = rng.choice(_PROBLEMS)
            report.follow_up = rng.choice(_FOLLOW_UPS)
        if status != ReportStatus.DRAFT:
            late = rng.random() < 0.2
            submitted = period.ends_on + datetime.timedelta(days=rng.randint(31, 90) if late else rng.randint(3, 28))
            if submitted > self.until:
                status = ReportStatus.DRAFT
            else:
                report.submitted_by = officer
                report.submitted_at = report.updated_at = self.after(report.created_at, submitted)
        if status in (ReportStatus.VERIFIED, ReportStatus.RETURNED):
            checked = timezone.localdate(report.submitted_at) + datetime.timedelta(days=rng.randint(2, 30))
            if checked > self.until:
                status = ReportStatus.SUBMITTED  # still waiting for the verifier
            elif status == ReportStatus.VERIFIED:
                report.verified_by = self.admin
                report.verified_at = report.updated_at = self.after(report.submitted_at, checked)
            else:
                report.returned_reason = rng.choice(_RETURN_REASONS)
                report.returned_at = report.updated_at = self.after(report.submitted_at, checked)
        report.status = status
        report._agreement_title = agreement.title[:150]
        report._label = self.label(period)
        report._correction = None
        if status == ReportStatus.VERIFIED and rng.random() < 0.03:
            corrected_on = timezone.localdate(report.verified_at) + datetime.timedelta(days=rng.randint(10, 120))
            if corrected_on + datetime.timedelta(days=20) <= self.until:
                report.status = ReportStatus.SUPERSEDED
                report._correction = corrected_on
        self.rows.reports.append(report)
        self.content(report, period, indicators, obligations, lines, actuals, wrong=report._correction is not None)
        return report

    def after(self, earlier: datetime.datetime, day: datetime.date) -> datetime.datetime:
        """A moment on `day`, strictly after `earlier` (same-day steps keep their order)."""
        moment = self.moment(day)
        return moment if moment > earlier else earlier + datetime.timedelta(minutes=self.rng.randint(5, 90))

    def correction(self, original, officer, indicators, obligations, lines, actuals, period) -> ProgressReport:
        """The corrected version of a verified report, verified in turn: it supersedes the original."""
        rng = self.rng
        created = self.moment(original._correction)
        submitted = self.after(created, original._correction + datetime.timedelta(days=rng.randint(1, 5)))
        verified = self.after(submitted, original._correction + datetime.timedelta(days=rng.randint(6, 20)))
        correction = ProgressReport(
            agreement_id=original.agreement_id,
            period_starts_on=original.period_starts_on,
            period_ends_on=original.period_ends_on,
            version=2,
            corrects=original,
            status=ReportStatus.VERIFIED,
            summary=original.summary,
            problems=original.problems,
            follow_up=original.follow_up,
            correction_reason=rng.choice(_CORRECTION_REASONS),
            created_by=officer,
            created_at=created,
            submitted_by=officer,
            submitted_at=submitted,
            verified_by=self.admin,
            verified_at=verified,
            updated_at=verified,
        )
        correction._agreement_title = original._agreement_title
        correction._label = original._label
        self.rows.corrections.append(correction)
        self.content(correction, period, indicators, obligations, lines, actuals, wrong=False)
        return correction

    def content(self, report, period, indicators, obligations, lines, actuals, *, wrong: bool) -> None:
        """What the officer entered: every indicator, obligation, budget line and a few
        beneficiary groups; a draft is still partly empty. A report that a correction will
        supersede got one figure wrong."""
        rng = self.rng
        draft = report.status == ReportStatus.DRAFT
        for number, indicator in enumerate(indicators):
            if draft and rng.random() < 0.4:
                continue
            value = actuals[(indicator._key, period)]
            if wrong and number == 0:
                value = (value * Decimal("0.9")).quantize(CENT)
            self.rows.values.append((report, indicator, value))
        if not draft or rng.random() < 0.5:
            for obligation in obligations:
                status, met_on = self.obligation_status(obligation, self.as_of(period))
                self.rows.obligation_updates.append((report, obligation, status, met_on))
        if not draft or rng.random() < 0.5:
            for group in rng.sample(_GROUPS, k=rng.randint(1, 3)):
                self.rows.beneficiaries.append((report, group, rng.randint(10, 1500), rng.choice(_METHODS)))
        if not draft:
            for line in lines:
                share = Decimal(str(round(rng.uniform(0.05, 0.25), 3)))
                self.rows.realisations.append((report, line, (line.planned * share).quantize(THOUSAND)))
        if report.status in (ReportStatus.VERIFIED, ReportStatus.SUPERSEDED, ReportStatus.SUBMITTED) and (
            rng.random() < 0.1
        ):
            self.photo(report)

    def photo(self, report: ProgressReport) -> None:
        rng = self.rng
        added = report.submitted_at - datetime.timedelta(hours=rng.randint(2, 72))
        located = rng.random() < 0.7
        self.rows.evidence.append(
            Evidence(
                agreement_id=report.agreement_id,
                report=report,
                caption=f"{rng.choice(_CAPTIONS)} {report._label}",
                file=f"monitoring/{report.agreement_id}/scale-data-placeholder.jpg",
                original_name=f"IMG_{rng.randint(1000, 9999)}.jpg",
                content_type="image/jpeg",
                size=rng.randint(300_000, 4_000_000),
                sha256="0" * 64,
                taken_at=added - datetime.timedelta(days=rng.randint(1, 30)),
                latitude=Decimal(str(round(rng.uniform(-8.5, 4.5), 6))) if located else None,
                longitude=Decimal(str(round(rng.uniform(95.5, 140.5), 6))) if located else None,
                is_public=rng.random() < 0.4,
                uploaded_by=report.created_by,
                created_at=added,
                verified_by=self.admin if report.verified_at else None,
                verified_at=report.verified_at,
            )
        )

    def evaluation(self, agreement, report: ProgressReport) -> None:
        rng = self.rng
        evaluated = report.verified_at + datetime.timedelta(days=rng.randint(10, 60))
        if timezone.localdate(evaluated) > self.until:
            return
        scores = [rng.randint(2, 5) for _criterion in range(4)]
        average = sum(scores) / 4
        recommendation = (
            Recommendation.CONTINUE
            if average >= 3.5
            else Recommendation.REVISE
            if average >= 2.5
            else Recommendation.TERMINATE
        )
        published = evaluated + datetime.timedelta(days=3)
        published = (
            published
            if rng.random() < 0.5 and agreement.is_public and timezone.localdate(published) <= self.until
            else None
        )
        self.rows.evaluations.append(
            Evaluation(
                agreement=agreement,
                period=str(report.period_ends_on.year),
                effectiveness=scores[0],
                effectiveness_note="Sebagian besar sasaran telah tercapai sesuai rencana kerja.",
                efficiency=scores[1],
                efficiency_note="Realisasi anggaran sejalan dengan kemajuan kegiatan.",
                benefit=scores[2],
                benefit_note="Warga di wilayah sasaran merasakan manfaat layanan.",
                compliance=scores[3],
                compliance_note="Laporan kemajuan disampaikan secara berkala.",
                recommendation=recommendation,
                conclusion="Kerja sama dievaluasi berdasarkan laporan kemajuan yang telah diverifikasi.",
                evaluated_by=self.admin,
                created_at=evaluated,
                published_at=published,
                published_by=self.admin if published else None,
            )
        )
