import csv
import datetime
import io
from decimal import Decimal

from dashboard_support import figures
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from personas import build_world

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement, Status
from jalin.agreements.selectors import status_counts
from jalin.monitoring import selectors as monitoring_selectors
from jalin.monitoring.models import (
    Beneficiary,
    BudgetLine,
    BudgetRealisation,
    DashboardSummary,
    Evaluation,
    Obligation,
    ObligationStatus,
    ProgressReport,
    ReportStatus,
)
from jalin.reports import render, selectors
from jalin.reports.models import JobStatus, ReportJob

try:  # PDF text extraction for the read-back tests (development dependency)
    from pypdf import PdfReader
except ImportError:  # pragma: no cover
    PdfReader = None


def pdf_text(content: bytes) -> tuple[int, str]:
    if PdfReader is None:
        raise AssertionError("pypdf is needed to read reports back: pip install pypdf")
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def add_monitoring(world) -> None:
    """A monitored PKS: one met obligation, a budget, a verified report with beneficiaries
    and a problem, and an evaluation."""
    year = timezone.localdate().year
    Obligation.objects.create(agreement=world.pks, description="Layanan keliling 12 desa", status=ObligationStatus.MET)
    line = BudgetLine.objects.create(
        agreement=world.pks, party="ours", source="apbd", description="Operasional", planned=Decimal("100000000")
    )
    report = ProgressReport.objects.create(
        agreement=world.pks,
        period_starts_on=datetime.date(year, 1, 1),
        period_ends_on=datetime.date(year, 6, 30),
        status=ReportStatus.VERIFIED,
        summary="Berjalan",
        problems="Ambulans rusak",
        follow_up="Pengadaan suku cadang",
        created_by=world.oscar,
        verified_by=world.alice,
        verified_at=timezone.now(),
    )
    Beneficiary.objects.create(report=report, group="women", count=250, method="Daftar hadir")
    BudgetRealisation.objects.create(report=report, budget_line=line, amount=Decimal("40000000"))
    Evaluation.objects.create(
        agreement=world.pks,
        period=str(year),
        effectiveness=4,
        effectiveness_note="Baik",
        efficiency=3,
        efficiency_note="Cukup",
        benefit=5,
        benefit_note="Sangat bermanfaat",
        compliance=4,
        compliance_note="Patuh",
        recommendation="continue",
        evaluated_by=world.alice,
    )


class PeriodTests(TestCase):
    def test_it_reads_semesters_and_years(self):
        self.assertEqual(selectors.parse_period("2025-S1").ends_on, datetime.date(2025, 6, 30))
        self.assertEqual(selectors.parse_period("2025-s2").starts_on, datetime.date(2025, 7, 1))
        self.assertEqual(selectors.parse_period("2025").ends_on, datetime.date(2025, 12, 31))
        from django.core.exceptions import ValidationError

        for bad in ("2025-S3", "25", "semester 1", ""):
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                selectors.parse_period(bad)


class ReportNumbersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        add_monitoring(cls.world)
        cls.period = str(timezone.localdate().year)

    def report_for(self, user):
        return selectors.periodic_report(selectors.scope_for_user(user), selectors.parse_period(self.period))

    def test_it_uses_the_same_numbers_as_the_dashboard(self):
        for user in (self.world.alice, self.world.oscar, self.world.vera):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                dashboard = self.client.get("/app/").context["data"]
                report = self.report_for(user)
                self.assertEqual(report.dashboard.statuses, dashboard.statuses)
                self.assertEqual(report.dashboard.categories, dashboard.categories)
                self.assertEqual(report.dashboard.signals, dashboard.signals)
                self.assertEqual(
                    (report.dashboard.beneficiaries, report.dashboard.planned, report.dashboard.realised),
                    (dashboard.beneficiaries, dashboard.planned, dashboard.realised),
                )
                self.assertEqual(report.dashboard.governments, dashboard.governments)
                self.assertEqual(report.total, sum(row["count"] for row in dashboard.categories))

    def test_it_agrees_with_the_registry_selectors(self):
        report = self.report_for(self.world.alice)
        counts = status_counts(Agreement.objects.filter(government=self.world.pesawaran))
        self.assertEqual({row["key"]: row["count"] for row in report.statuses}, counts)
        self.assertEqual(report.in_force, counts[Status.ACTIVE] + counts[Status.EXPIRING])
        self.assertEqual(report.total, 4)
        self.assertEqual(report.dashboard.beneficiaries, 250)
        self.assertEqual(report.dashboard.realised, Decimal("40000000"))
        self.assertEqual([row.agreement for row in report.progress], [self.world.pks])
        self.assertEqual(report.progress[0].progress, Decimal("100.0"))
        self.assertEqual([p.problems for p in report.problems], ["Ambulans rusak"])
        self.assertEqual({r["key"]: r["count"] for r in report.recommendations}["continue"], 1)

    def test_it_counts_only_what_existed_at_the_end_of_the_period(self):
        report = selectors.periodic_report(selectors.scope_for_user(self.world.alice), selectors.parse_period("2001"))
        self.assertEqual(report.total, 0)

    def test_a_supervisor_reports_on_every_government_below_it(self):
        report = self.report_for(self.world.vera)
        self.assertEqual(report.total, 5)
        codes = [row["government__code"] for row in report.dashboard.governments]
        self.assertEqual(codes, ["18.01", "18.09"])
        self.assertIn("Provinsi Lampung", report.scope.title)

    def test_a_period_not_yet_over_reads_the_stored_summaries_with_the_same_figures(self):
        period = selectors.parse_period(self.period)
        for user in (self.world.alice, self.world.vera):
            with self.subTest(user=user.username):
                scope = selectors.scope_for_user(user)
                report = selectors.periodic_report(scope, period)
                live = monitoring_selectors.dashboard(
                    selectors.in_period(scope.agreements, period), by_government=scope.by_government
                )
                self.assertEqual(figures(report.dashboard), figures(live))
        self.assertTrue(DashboardSummary.objects.filter(government=self.world.pesawaran).exists())

    @override_settings(REPORTS_MAX_LISTED_SUPERVISOR=2)
    def test_a_report_over_several_governments_lists_fewer_agreements(self):
        report = self.report_for(self.world.vera)
        self.assertEqual((report.listed, report.unlisted), (2, 3))
        self.assertEqual(self.report_for(self.world.alice).unlisted, 0)  # one government: up to 500

    def test_a_national_report_compares_provinces(self):
        central = User.objects.create_user("nina", government=self.world.national, role=Role.SUPERVISOR)
        report = self.report_for(central)
        self.assertEqual([(g["government__code"], g["total"]) for g in report.dashboard.governments], [("18", 5)])


class ReportFileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        add_monitoring(cls.world)
        cls.period = str(timezone.localdate().year)

    def report(self, user=None):
        scope = selectors.scope_for_user(user or self.world.alice)
        return selectors.periodic_report(scope, selectors.parse_period(self.period))

    def test_it_builds_a_pdf_with_every_section_and_the_totals(self):
        report = self.report()
        pages, text = pdf_text(render.periodic_pdf(report, "en"))
        text = " ".join(text.split())  # narrow columns wrap cells
        self.assertGreaterEqual(pages, 2)
        for heading in (
            "1. Summary",
            "2. Agreements by category",
            "3. Implementation progress and budget",
            "4. Beneficiaries",
            "5. Problems and follow-up",
            "6. Evaluation results and recommendations",
            "7. Health signals",
        ):
            self.assertIn(heading, text)
        self.assertIn("Agreements in the register 4", text)
        self.assertIn("Ambulans rusak", text)
        self.assertIn("PKS layanan kesehatan keliling", text)
        self.assertIn("Rp 40.000.000", text)
        self.assertIn(f"1 / {pages}", text)

    def test_it_builds_the_report_in_indonesian_by_default(self):
        _pages, text = pdf_text(render.periodic_pdf(self.report(), "id"))
        self.assertIn("Laporan Pelaksanaan Kerja Sama Daerah", text)
        self.assertIn("1. Ringkasan", text)

    def test_it_builds_a_docx(self):
        from docx import Document

        document = Document(io.BytesIO(render.periodic_docx(self.report(), "en")))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        self.assertIn("7. Health signals", headings)
        summary = document.tables[0]
        self.assertEqual(summary.rows[1].cells[1].text, "4")

    def test_its_xlsx_totals_match_the_database(self):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(render.periodic_xlsx(self.report(), "en")), read_only=True)
        rows = list(workbook["Summary"].iter_rows(values_only=True))
        counts = status_counts(Agreement.objects.filter(government=self.world.pesawaran))
        by_label = {row[0]: row[1] for row in rows if len(row) > 1 and row[0]}
        self.assertEqual(by_label["Active"], counts["active"])
        self.assertEqual(by_label["Total"], sum(counts.values()))
        listed = list(workbook["Agreements"].iter_rows(values_only=True))[1:]
        self.assertEqual(len(listed), Agreement.objects.filter(government=self.world.pesawaran).count())

    def test_it_builds_a_one_page_fact_sheet(self):
        sheet = selectors.fact_sheet(self.world.oscar, self.world.pks.pk)
        pages, text = pdf_text(render.fact_sheet_pdf(sheet, "en"))
        self.assertEqual(pages, 1)
        self.assertIn("PKS layanan kesehatan keliling", text)
        self.assertIn("100,0 %", text)
        self.assertIn("Continue", text)

    def test_it_builds_an_evaluation_report(self):
        sheet = selectors.fact_sheet(self.world.alice, self.world.pks.pk)
        _pages, text = pdf_text(render.evaluation_pdf(sheet, "en"))
        self.assertIn("Sangat bermanfaat", text)
        self.assertIn("4,00", text)

    def test_the_command_builds_the_report_for_a_government(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "laporan.pdf"
            call_command(
                "build_report",
                "--period",
                self.period,
                "--format",
                "pdf",
                "--output",
                str(output),
                "--government",
                "18.09",
                "--language",
                "en",
                stdout=io.StringIO(),
            )
            _pages, text = pdf_text(output.read_bytes())
            self.assertIn("Kabupaten Pesawaran", text)
            output = Path(folder) / "laporan.xlsx"
            call_command(
                "build_report",
                "--period",
                self.period,
                "--format",
                "xlsx",
                "--output",
                str(output),
                "--government",
                "18",
                stdout=io.StringIO(),
            )
            self.assertTrue(output.read_bytes().startswith(b"PK"))


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        add_monitoring(cls.world)

    def setUp(self):
        immediate = HUEY.immediate
        HUEY.immediate = True
        self.addCleanup(setattr, HUEY, "immediate", immediate)

    def test_it_builds_the_report_in_the_background_and_offers_the_download(self):
        self.client.force_login(self.world.lena)
        self.assertContains(self.client.get("/app/reports/"), 'name="period"')
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/app/reports/periodic/", {"period": str(timezone.localdate().year), "format": "pdf", "language": "en"}
            )
        job = ReportJob.objects.get()
        self.assertRedirects(response, f"/app/reports/jobs/{job.pk}/", fetch_redirect_response=False)
        job.refresh_from_db()
        self.assertEqual((job.status, job.progress), (JobStatus.DONE, 100))
        page = self.client.get(f"/app/reports/jobs/{job.pk}/")
        self.assertContains(page, f"/app/reports/jobs/{job.pk}/download/")
        self.assertNotContains(page, 'http-equiv="refresh"')
        download = self.client.get(f"/app/reports/jobs/{job.pk}/download/")
        content = b"".join(download.streaming_content)
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertIn("attachment", download["Content-Disposition"])
        # nobody else gets the file, not even a colleague who may build the same report
        for other in (self.world.alice, self.world.sam):
            self.client.force_login(other)
            self.assertEqual(self.client.get(f"/app/reports/jobs/{job.pk}/download/").status_code, 404)
            self.assertEqual(self.client.get(f"/app/reports/jobs/{job.pk}/").status_code, 404)

    def test_a_queued_job_shows_its_progress_and_refreshes(self):
        self.client.force_login(self.world.lena)
        HUEY.immediate = False
        job = ReportJob.objects.create(
            requested_by=self.world.lena,
            government=self.world.pesawaran,
            kind="periodic",
            format="pdf",
            params={"period": "2025"},
            status=JobStatus.RUNNING,
            progress=40,
        )
        page = self.client.get(f"/app/reports/jobs/{job.pk}/")
        self.assertContains(page, 'http-equiv="refresh"')
        self.assertContains(page, 'value="40"')
        self.assertEqual(self.client.get(f"/app/reports/jobs/{job.pk}/download/").status_code, 404)

    def test_an_opd_officer_cannot_build_the_official_report(self):
        self.client.force_login(self.world.oscar)
        response = self.client.post("/app/reports/periodic/", {"period": "2025", "format": "pdf"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ReportJob.objects.exists())

    def test_a_bad_period_is_refused_with_a_message(self):
        self.client.force_login(self.world.alice)
        response = self.client.post("/app/reports/periodic/", {"period": "2025-S9", "format": "pdf"}, follow=True)
        self.assertContains(response, "YYYY-S1")
        self.assertFalse(ReportJob.objects.exists())

    def test_the_fact_sheet_follows_agreement_visibility(self):
        self.client.force_login(self.world.olga)  # Tourism officer: the Health PKS is not hers
        self.assertEqual(
            self.client.get(f"/app/reports/agreements/{self.world.pks.pk}/fact-sheet.pdf").status_code, 404
        )
        self.client.force_login(self.world.oscar)
        response = self.client.get(f"/app/reports/agreements/{self.world.pks.pk}/fact-sheet.pdf?lang=en")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.client.force_login(self.world.sam)
        self.assertEqual(
            self.client.get(f"/app/reports/agreements/{self.world.pks.pk}/evaluation.pdf").status_code, 404
        )

    def test_the_agreement_without_evaluation_has_no_evaluation_report(self):
        self.client.force_login(self.world.alice)
        response = self.client.get(f"/app/reports/agreements/{self.world.tourism.pk}/evaluation.pdf")
        self.assertRedirects(response, f"/app/agreements/{self.world.tourism.pk}/", fetch_redirect_response=False)


class RegisterExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        immediate = HUEY.immediate
        HUEY.immediate = True
        self.addCleanup(setattr, HUEY, "immediate", immediate)

    def export(self, user, fmt: str, query: str = "") -> bytes:
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/app/reports/register/", {"format": fmt, "query": query})
        job = ReportJob.objects.filter(requested_by=user).first()
        self.assertEqual(job.status, JobStatus.DONE, job.message)
        return b"".join(self.client.get(f"/app/reports/jobs/{job.pk}/download/").streaming_content)

    def csv_rows(self, content: bytes) -> list[list[str]]:
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))

    def test_an_opd_officer_exports_only_what_they_may_see(self):
        rows = self.csv_rows(self.export(self.world.oscar, "csv"))
        numbers = sorted(row[0] for row in rows[1:])
        self.assertEqual(numbers, ["180/1/KSB/2024", "180/2/PKS/2024", "556/4/PKS/2024"])

    def test_it_keeps_the_list_filters(self):
        rows = self.csv_rows(self.export(self.world.alice, "csv", "q=wisata&kind=pks"))
        self.assertEqual(sorted(row[0] for row in rows[1:]), ["556/3/PKS/2024", "556/4/PKS/2024"])
        rows = self.csv_rows(self.export(self.world.vera, "csv", "status=active"))
        self.assertIn("LS/1/2024", [row[0] for row in rows[1:]])

    def test_its_xlsx_holds_every_visible_agreement(self):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(self.export(self.world.alice, "xlsx")), read_only=True)
        rows = list(workbook.active.iter_rows(values_only=True))
        self.assertEqual(len(rows) - 1, Agreement.objects.filter(government=self.world.pesawaran).count())
        from jalin.reports.register import KEYS as keys

        pks = next(row for row in rows if row[0] == "180/2/PKS/2024")
        self.assertEqual(pks[keys.index("parent_number")], "180/1/KSB/2024")
        self.assertEqual(pks[keys.index("signed_on")].date(), self.world.pks.signed_on)

    def test_it_streams_in_chunks(self):
        def queries(chunk: int) -> int:
            from jalin.reports import register

            with override_settings(REPORTS_CHUNK_SIZE=chunk), CaptureQueriesContext(connection) as captured:
                rows = list(register.rows(Agreement.objects.filter(government=self.world.pesawaran)))
            self.assertEqual(len(rows), 4)
            return len(captured)

        self.assertEqual(queries(1000), 2)  # the agreements, their parties
        self.assertEqual(queries(2), 3)  # one prefetch per chunk of 2

    def test_the_command_exports_the_register(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "register.csv"
            out = io.StringIO()
            call_command(
                "export_register", "--format", "csv", "--output", str(output), "--government", "18.09", stdout=out
            )
            self.assertIn("4 agreements", out.getvalue())
            self.assertEqual(len(self.csv_rows(output.read_bytes())), 5)
