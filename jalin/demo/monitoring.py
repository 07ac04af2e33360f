"""Monitoring data for the demo: obligations, indicators, reports, evidence, evaluations."""

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement
from jalin.governments.models import Agency, Government
from jalin.monitoring import services as monitoring
from jalin.monitoring.health import implementing_q
from jalin.monitoring.models import BudgetLine, Indicator, Obligation, ProgressReport
from jalin.monitoring.periods import last_due_period, periods_between


@dataclass
class _Framework:
    """One demo agreement's results framework: what its reports fill in."""

    first: Obligation
    second: Obligation
    villages: Indicator
    satisfaction: Indicator
    line: BudgetLine
    partner_line: BudgetLine


PROFILES = ("healthy", "off_track", "healthy", "dormant", "paper_only", "healthy")


def build_monitoring_demo(today: datetime.date) -> None:
    """Monitoring data for Pesawaran's agreements in implementation, written through the
    monitoring services: obligations, indicators with targets and verified actuals, budget,
    beneficiaries, evidence (a small real JPEG with GPS and a small PDF), evaluations. Some are
    left deliberately dormant, off track or "paper only". Built once: skipped when Pesawaran
    already has monitoring data."""
    government = Government.objects.filter(code="18.09").first()
    admin = User.objects.filter(username="admin", government=government).first()
    if (
        government is None
        or admin is None
        or Obligation.objects.filter(agreement__government=government)
        .exclude(
            agreement__number__startswith="NAT/"  # scale data (jalin/demo/scale.py) in the same database
        )
        .exists()
    ):
        return
    officers = {user.agency_id: user for user in User.objects.filter(government=government, role=Role.OPD_OFFICER)}
    agreements = list(
        Agreement.objects.filter(government=government, archived_at__isnull=True)
        .filter(implementing_q(today))
        .select_related("lead_agency")
        .order_by("number")
    )
    for index, agreement in enumerate(agreements):
        officer = officers.get(agreement.lead_agency_id) or _field_officer(government, agreement.lead_agency, officers)
        profile = PROFILES[index % len(PROFILES)]
        if profile == "paper_only":
            continue  # signed, and nothing ever happened: the dashboard must show it
        framework = _framework(officer, agreement)
        periods = _reported_periods(agreement, today, profile)
        for number, period in enumerate(periods, start=1):
            _verified_report(admin, officer, agreement, framework, index, profile, period, number, len(periods), today)
        if profile == "healthy" and periods:
            _evaluation(admin, agreement, periods[-1])


def _framework(officer: User, agreement: Agreement) -> _Framework:
    """Three obligations, two indicators and two budget lines, as an OPD officer records them."""
    first = monitoring.obligation_create(
        actor=officer,
        agreement=agreement,
        fields={"description": "Menyusun rencana kerja tahunan bersama mitra", "agency": agreement.lead_agency},
    )
    second = monitoring.obligation_create(
        actor=officer,
        agreement=agreement,
        fields={"description": "Melaksanakan kegiatan lapangan sesuai rencana kerja", "weight": 2},
    )
    monitoring.obligation_create(
        actor=officer,
        agreement=agreement,
        fields={"description": "Menyediakan tenaga ahli dan sarana pendukung", "party": "partner"},
    )
    villages = monitoring.indicator_create(
        actor=officer,
        agreement=agreement,
        fields={
            "name": "Desa sasaran yang terlayani",
            "indicator_type": "output",
            "unit": "desa",
            "baseline_value": 0,
            "baseline_year": agreement.signed_on.year,
            "target_value": 24,
            "obligation": second,
            "rpjmd_code": "IKD 3.2.1",
        },
    )
    satisfaction = monitoring.indicator_create(
        actor=officer,
        agreement=agreement,
        fields={
            "name": "Warga penerima manfaat yang puas",
            "indicator_type": "outcome",
            "measure": "percent",
            "unit": "%",
            "baseline_value": 40,
            "target_value": 85,
        },
    )
    line = monitoring.budget_line_create(
        actor=officer,
        agreement=agreement,
        fields={
            "description": "Belanja kegiatan lapangan",
            "party": "ours",
            "source": "apbd",
            "planned": agreement.value or Decimal(250_000_000),
        },
    )
    partner_line = monitoring.budget_line_create(
        actor=officer,
        agreement=agreement,
        fields={
            "description": "Kontribusi mitra",
            "party": "partner",
            "source": "partner",
            "planned": Decimal(100_000_000),
        },
    )
    return _Framework(first, second, villages, satisfaction, line, partner_line)


def _reported_periods(agreement: Agreement, today: datetime.date, profile: str) -> list:
    """The last three periods that were due (only the first of them for a dormant agreement)."""
    due = last_due_period(today)
    periods = [p for p in periods_between(agreement.start_date, due.ends_on) if p.ends_on <= due.ends_on][-3:]
    return periods[:1] if profile == "dormant" else periods


def _elapsed_share(agreement: Agreement, today: datetime.date) -> Decimal:
    """How much of the agreement's term had passed by the end of the last due period."""
    if not agreement.ends_on:
        return Decimal(1)
    start, due = agreement.start_date, last_due_period(today)
    return min(Decimal(1), Decimal((due.ends_on - start).days) / Decimal(max((agreement.ends_on - start).days, 1)))


def _verified_report(
    admin: User,
    officer: User,
    agreement: Agreement,
    framework: _Framework,
    index: int,
    profile: str,
    period,
    number: int,
    count: int,
    today: datetime.date,
) -> None:
    """One period's progress report, with evidence, submitted by the officer and verified by the
    admin, dated as if it had happened when it was due."""
    share = _elapsed_share(agreement, today) * number / count
    done = 24 * share * (Decimal("0.5") if profile == "off_track" else Decimal("1.05"))
    report = monitoring.report_start(actor=officer, agreement=agreement, period=period)
    monitoring.report_save(
        actor=officer,
        report=report,
        summary=f"Kegiatan {period.label} berjalan di {int(done)} desa sasaran.",
        problems="Akses jalan ke desa pesisir terbatas pada musim hujan." if number == 1 else "",
        follow_up="Jadwal kunjungan disesuaikan dengan kalender musim." if number == 1 else "",
        indicator_values={
            framework.villages.pk: min(Decimal(24), done.quantize(Decimal(1))),
            framework.satisfaction.pk: Decimal(55 + 8 * number) if profile != "off_track" else Decimal(42),
        },
        obligation_updates={
            framework.first.pk: ("met", period.starts_on + datetime.timedelta(days=30)),
            framework.second.pk: ("partly_met", period.ends_on - datetime.timedelta(days=10)),
        },
        realisations={
            framework.line.pk: (framework.line.planned * share * Decimal("0.8")).quantize(Decimal(1)),
            framework.partner_line.pk: Decimal(30_000_000) * number,
        },
        beneficiaries=[
            monitoring.BeneficiaryInput("general", 300 * number + index * 20, "Daftar hadir kegiatan"),
            monitoring.BeneficiaryInput("women", 120 * number, "Daftar hadir, dipilah menurut jenis kelamin"),
        ],
    )
    monitoring.evidence_add(
        actor=officer,
        agreement=agreement,
        report=report,
        caption=f"Kegiatan lapangan {period.label}",
        upload=_photo(index * 3 + number, today),
        is_public=agreement.is_public,
    )
    if number == 1:
        monitoring.evidence_add(
            actor=officer,
            agreement=agreement,
            report=report,
            caption="Berita acara kegiatan",
            upload=_pdf(agreement.title[:40]),
        )
    monitoring.report_submit(actor=officer, report=report)
    monitoring.report_verify(actor=admin, report=report)
    moment = timezone.make_aware(
        datetime.datetime.combine(period.due_on - datetime.timedelta(days=5), datetime.time(10))
    )
    if profile == "dormant":
        moment -= datetime.timedelta(days=settings.MONITORING_DORMANT_DAYS)
    # History: the reports were submitted and verified when they were due, not today.
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment, verified_at=moment)
    report.evidence.update(created_at=moment, verified_at=moment)


def _evaluation(admin: User, agreement: Agreement, period) -> None:
    evaluation = monitoring.evaluation_record(
        actor=admin,
        agreement=agreement,
        fields={
            "period": str(period.ends_on.year),
            "effectiveness": 4,
            "effectiveness_note": "Sebagian besar desa sasaran telah terlayani sesuai rencana kerja.",
            "efficiency": 3,
            "efficiency_note": "Realisasi anggaran sejalan dengan kemajuan fisik.",
            "benefit": 4,
            "benefit_note": "Warga desa pesisir merasakan layanan yang sebelumnya tidak tersedia.",
            "compliance": 5,
            "compliance_note": "Laporan kemajuan disampaikan tepat waktu dan lengkap.",
            "recommendation": "continue",
            "conclusion": "Kerja sama dilanjutkan dengan perluasan ke desa sasaran berikutnya.",
        },
    )
    if agreement.is_public:
        monitoring.evaluation_publish(actor=admin, evaluation=evaluation)


def _photo(seed: int, today: datetime.date) -> SimpleUploadedFile:
    """A small real JPEG with a camera date and GPS position in its EXIF."""
    image = Image.new("RGB", (320, 240), (40 + seed * 30 % 200, 120, 80))
    for x in range(0, 320, 16):  # a little texture, so thumbnails are not flat
        for y in range(0, 240, 16):
            image.putpixel((x, y), (255, 255, 255))
    exif = Image.Exif()
    exif[0x0132] = (today - datetime.timedelta(days=20 + seed)).strftime("%Y:%m:%d 09:15:00")
    exif[0x8825] = {1: "S", 2: (5.0, 29.0, float(10 + seed)), 3: "E", 4: (105.0, 5.0, float(20 + seed))}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, exif=exif)
    return SimpleUploadedFile(f"kegiatan-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF (a minutes document) with its title as text."""
    body = f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET".encode()
    data = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile("berita-acara.pdf", data, content_type="application/pdf")


def _field_officer(government: Government, agency: Agency, officers: dict) -> User:
    """The liaison officer who reports for an agency that has no demo login (no password: not for signing in)."""
    slug = re.sub(r"[^a-z0-9]+", "", (agency.short_name or agency.name).lower())[:20]
    user = User.objects.filter(username=f"opd.{slug}").first()
    if user is None:
        user = User.objects.create_user(
            f"opd.{slug}",
            f"{slug}.pesawaran@example.go.id",
            None,
            first_name="Petugas",
            last_name=agency.short_name or agency.name,
            role=Role.OPD_OFFICER,
            government=government,
            agency=agency,
            title=f"Pengelola Kerja Sama, {agency.name}",
        )
    officers[agency.pk] = user
    return user
