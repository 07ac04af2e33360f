"""Issuing the periodic report: figures, files and checksums stored; the same bytes on
download; re-issue as version 2 keeps version 1; late additions in the next period; the
supervisor's overview of who has issued and who is late; who may do what."""

import datetime
import hashlib
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from issuing_support import S1_2026, S2_2026, at, monitored_world, progress_report
from personas import build_world

from jalin.accounts.models import Role, User
from jalin.audit.models import AuditEntry
from jalin.governments.models import Government
from jalin.monitoring import services as monitoring_services
from jalin.reports import selectors, services
from jalin.reports.models import IssuedReport

try:  # PDF text extraction for the read-back tests (development dependency)
    from pypdf import PdfReader
except ImportError:  # pragma: no cover
    PdfReader = None


def pdf_text(content: bytes) -> str:
    if PdfReader is None:
        raise AssertionError("pypdf is needed to read reports back: pip install pypdf")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def downloaded(client, issued, fmt="pdf") -> bytes:
    response = client.get(f"/app/reports/issued/{issued.pk}/{fmt}/")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def stored(issued, fmt="pdf") -> bytes:
    with issued.files.get(format=fmt).file.open("rb") as handle:
        return handle.read()


# These tests travel across days on a frozen clock with one signed-in client; the staff
# session limits (tested in tests/accounts/test_passwords_and_sessions.py) would end it.
@override_settings(SESSION_IDLE_MINUTES=10**6, SESSION_ABSOLUTE_HOURS=10**5, SESSION_COOKIE_AGE=10**8)
class IssueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = monitored_world()  # its S1 2026 report verified on 10 July 2026

    def issue(self, user=None, period="2026-S1", **extra):
        self.client.force_login(user or self.world.alice)
        return self.client.post("/app/reports/issued/new/", {"period": period, "language": "id", **extra}, follow=True)

    def test_it_stores_the_figures_the_files_and_their_checksums_and_says_who_issued_it(self):
        with at(2026, 7, 15):
            response = self.issue()
        issued = IssuedReport.objects.get()
        self.assertEqual(
            (issued.version, issued.period, issued.issued_by, issued.government),
            (1, "2026-S1", self.world.alice, self.world.pesawaran),
        )
        self.assertEqual(issued.figures["summary"]["beneficiaries"], 250)
        self.assertEqual(sorted(issued.files.values_list("format", flat=True)), ["docx", "pdf", "xlsx"])
        for file in issued.files.all():
            with self.subTest(fmt=file.format):
                content = stored(issued, file.format)
                self.assertEqual((file.sha256, file.size), (hashlib.sha256(content).hexdigest(), len(content)))
        self.assertContains(response, "Diterbitkan pada 15 Juli 2026")
        self.assertContains(response, issued.files.get(format="pdf").sha256)
        text = pdf_text(stored(issued))
        self.assertIn("Diterbitkan pada 15 Juli 2026", text)
        self.assertIn("Alice", text)
        from docx import Document

        paragraphs = [p.text for p in Document(io.BytesIO(stored(issued, "docx"))).paragraphs]
        self.assertTrue(any("Alice" in p and "versi 1" in p for p in paragraphs), paragraphs[:5])
        self.assertTrue(AuditEntry.objects.filter(object_repr__contains="2026-S1 v1", actor=self.world.alice).exists())

    def test_a_later_period_verified_after_issue_changes_neither_the_download_nor_a_re_run(self):
        with at(2026, 7, 15):
            self.issue()
        issued = IssuedReport.objects.get()
        original = stored(issued)
        with at(2026, 11, 20):
            progress_report(self.world, S2_2026, villages=60, units=1, patients=470, spent=30_000_000)
        with at(2026, 12, 4):
            self.client.force_login(self.world.lena)  # the leader reads it
            content = downloaded(self.client, issued)
            rerun = selectors.report_figures(
                selectors.periodic_report(selectors.scope_for_user(self.world.alice), selectors.parse_period("2026-S1"))
            )
        self.assertEqual(content, original)
        self.assertEqual(hashlib.sha256(content).hexdigest(), issued.files.get(format="pdf").sha256)
        issued.refresh_from_db()
        self.assertEqual(rerun, issued.figures)
        self.assertEqual(rerun["summary"]["beneficiaries"], 250)

    def test_a_re_issue_needs_a_reason_and_keeps_version_1_as_superseded(self):
        with at(2026, 7, 15):
            self.issue()
        first = IssuedReport.objects.get()
        first_pdf = stored(first)
        with at(2026, 7, 20):
            response = self.issue()
            self.assertContains(response, "versi 1")  # refused: no reason given
            self.assertEqual(IssuedReport.objects.count(), 1)
            response = self.issue(reason="Penerima manfaat Dinkes salah hitung")
        second = IssuedReport.objects.get(version=2)
        first.refresh_from_db()
        self.assertEqual((second.supersedes, second.reason), (first, "Penerima manfaat Dinkes salah hitung"))
        self.assertIsNotNone(first.superseded_at)
        self.assertIsNone(second.superseded_at)
        text = pdf_text(stored(second))
        self.assertIn("menggantikan versi 1", text.lower())
        # version 1 is kept, downloadable with the same bytes, and shown as superseded
        with at(2026, 7, 21):
            self.assertEqual(downloaded(self.client, first), first_pdf)
            page = self.client.get(f"/app/reports/issued/{first.pk}/")
            self.assertContains(page, 'id="superseded"')
            self.assertContains(page, "Versi 2")
            self.assertNotContains(page, 'name="reason"')  # only the current version is re-issued
            self.assertContains(self.client.get(f"/app/reports/issued/{second.pk}/"), "salah hitung")

    def test_data_of_the_period_verified_after_issue_is_a_late_addition_of_the_next_period(self):
        with at(2026, 7, 15):
            self.issue()
        with at(2026, 7, 25):  # the tourism agreement's S1 report comes late
            w = self.world
            report = monitoring_services.report_start(actor=w.olga, agreement=w.tourism, period=S1_2026)
            monitoring_services.report_save(
                actor=w.olga,
                report=report,
                summary="Promosi berjalan",
                beneficiaries=[monitoring_services.BeneficiaryInput("msme", 35, "Daftar UMKM")],
            )
            monitoring_services.report_submit(actor=w.olga, report=report)
            monitoring_services.report_verify(actor=w.alice, report=report)
        with at(2027, 1, 10):
            next_report = selectors.periodic_report(
                selectors.scope_for_user(self.world.alice), selectors.parse_period("2026-S2")
            )
            s1_again = selectors.periodic_report(
                selectors.scope_for_user(self.world.alice), selectors.parse_period("2026-S1")
            )
            self.issue(period="2026-S2")
        late = next_report.late_additions
        self.assertEqual([(row["report"], row["beneficiaries"]) for row in late], [(report.pk, 35)])
        self.assertEqual(late[0]["agreement"], self.world.tourism)
        self.assertEqual(IssuedReport.objects.get(period="2026-S1").figures["summary"]["beneficiaries"], 250)
        self.assertEqual(s1_again.late_additions, [])  # listed in the next period, not its own
        text = " ".join(pdf_text(stored(IssuedReport.objects.get(period="2026-S2"))).split())  # table cells wrap
        self.assertIn("Tambahan terlambat", text)
        self.assertIn("PKS promosi wisata pantai", text)

    def test_a_period_not_yet_over_is_not_issued(self):
        with at(2026, 6, 20):
            response = self.issue()
        self.assertContains(response, "30 Juni 2026")
        self.assertFalse(IssuedReport.objects.exists())


class IssueAccessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with at(2026, 7, 1):
            cls.world = build_world()
        with at(2026, 7, 15):
            cls.issued = services.report_issue(actor=cls.world.alice, period="2026-S1")

    def test_an_opd_officer_cannot_issue_nor_read_issued_reports(self):
        self.client.force_login(self.world.oscar)
        with at(2026, 7, 16):
            self.assertEqual(self.client.post("/app/reports/issued/new/", {"period": "2025-S2"}).status_code, 403)
            with self.assertRaises(PermissionDenied):
                services.report_issue(actor=self.world.oscar, period="2025-S2")
        self.assertEqual(self.client.get("/app/reports/issued/").status_code, 403)
        self.assertEqual(self.client.get(f"/app/reports/issued/{self.issued.pk}/pdf/").status_code, 404)
        self.assertEqual(IssuedReport.objects.count(), 1)

    def test_the_leader_reads_but_does_not_issue(self):
        self.client.force_login(self.world.lena)
        page = self.client.get("/app/reports/issued/")
        self.assertContains(page, f"/app/reports/issued/{self.issued.pk}/")
        self.assertNotContains(page, 'action="/app/reports/issued/new/"')
        self.assertNotContains(self.client.get(f"/app/reports/issued/{self.issued.pk}/"), 'name="reason"')
        with at(2026, 7, 16), self.assertRaises(PermissionDenied):
            services.report_issue(actor=self.world.lena, period="2025-S2")

    def test_another_governments_admin_sees_nothing(self):
        self.client.force_login(self.world.sam)
        self.assertEqual(self.client.get(f"/app/reports/issued/{self.issued.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/app/reports/issued/{self.issued.pk}/pdf/").status_code, 404)
        self.assertNotContains(self.client.get("/app/reports/issued/"), f"/app/reports/issued/{self.issued.pk}/")

    def test_the_service_refuses_a_re_issue_without_a_reason(self):
        with at(2026, 7, 16), self.assertRaises(ValidationError):
            services.report_issue(actor=self.world.alice, period="2026-S1", reason="  ")


class OverviewTests(TestCase):
    """Vera supervises Lampung (18): the province itself, Pesawaran and Lampung Selatan."""

    @classmethod
    def setUpTestData(cls):
        with at(2026, 7, 1):
            cls.world = build_world()
        with at(2026, 7, 20):
            services.report_issue(actor=cls.world.alice, period="2026-S1")  # on time (due 30 July)
        with at(2026, 8, 3):
            services.report_issue(actor=cls.world.sam, period="2026-S1")  # 4 days late

    def overview(self, user, day=(2026, 8, 5)):
        self.client.force_login(user)
        with at(*day):
            return self.client.get("/app/reports/issued/?period=2026-S1")

    def states(self, response) -> dict:
        return {row.government.code: row for row in response.context["overview"].rows}

    def test_the_supervisor_sees_who_issued_and_who_is_late(self):
        response = self.overview(self.world.vera)
        rows = self.states(response)
        self.assertEqual(sorted(rows), ["18", "18.01", "18.09"])
        self.assertEqual((rows["18.09"].issued.version, rows["18.09"].is_late), (1, False))
        self.assertEqual((rows["18.01"].is_late, rows["18.01"].days_late), (True, 4))
        self.assertEqual((rows["18"].issued, rows["18"].is_late, rows["18"].days_late), (None, True, 6))
        self.assertContains(response, 'data-state="issued"')
        self.assertContains(response, 'data-state="issued-late"')
        self.assertContains(response, 'data-state="late"')
        self.assertContains(response, "2 dari 3 pemerintah")
        before = self.states(self.overview(self.world.vera, day=(2026, 7, 25)))
        self.assertFalse(before["18"].is_late)  # not yet due

    def test_another_provinces_supervisor_sees_none_of_lampungs_governments(self):
        banten = Government.objects.create(
            code="36", name="Provinsi Banten", level="province", parent=self.world.national
        )
        Government.objects.create(code="36.01", name="Kabupaten Pandeglang", level="regency", parent=banten)
        bima = User.objects.create_user("bima", government=banten, role=Role.SUPERVISOR)
        response = self.overview(bima)
        self.assertEqual(sorted(self.states(response)), ["36", "36.01"])
        self.assertNotContains(response, "Pesawaran")
        issued = IssuedReport.objects.get(government=self.world.pesawaran)
        self.client.force_login(bima)
        self.assertEqual(self.client.get(f"/app/reports/issued/{issued.pk}/").status_code, 404)

    def test_the_supervisor_opens_a_governments_issued_report(self):
        issued = IssuedReport.objects.get(government=self.world.pesawaran)
        self.client.force_login(self.world.vera)
        self.assertEqual(downloaded(self.client, issued), stored(issued))

    def test_the_overview_costs_the_same_for_few_or_many_governments(self):
        def queries() -> int:
            self.client.force_login(self.world.vera)
            with at(2026, 8, 5), CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get("/app/reports/issued/?period=2026-S1").status_code, 200)
            return len(captured)

        few = queries()
        for index in range(10):
            government = Government.objects.create(
                code=f"18.{70 + index}", name=f"Kota {index}", level="city", parent=self.world.province
            )
            admin = User.objects.create_user(f"admin{index}", government=government, role=Role.ADMIN)
            if index % 2:
                IssuedReport.objects.create(
                    government=government,
                    period="2026-S1",
                    language="id",
                    figures={},
                    issued_by=admin,
                    issued_at=datetime.datetime(2026, 7, 20, tzinfo=datetime.UTC),
                )
        self.assertEqual(queries(), few)


class IssuedListQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def add(self, periods) -> None:
        for period in periods:
            IssuedReport.objects.create(
                government=self.world.pesawaran,
                period=period,
                language="id",
                figures={},
                issued_by=self.world.alice,
                issued_at=datetime.datetime(2026, 7, 20, tzinfo=datetime.UTC),
            )

    def queries(self) -> int:
        self.client.force_login(self.world.lena)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get("/app/reports/issued/").status_code, 200)
        return len(captured)

    def test_the_issued_list_costs_the_same_for_one_or_many_reports(self):
        self.add(["2026-S1"])
        few = self.queries()
        self.add(["2025-S1", "2025-S2", "2025", "2024-S1", "2024-S2"])
        self.assertEqual(self.queries(), few)
