"""Progress reports: draft → submit → verify / return, locking, corrections as new versions,
evidence (photos with EXIF date and place), and who may do what."""

import datetime
import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone, translation
from personas import agreement, build_world
from PIL import Image

from jalin.audit.models import AuditEntry
from jalin.monitoring import services
from jalin.monitoring.models import Evidence, IndicatorPeriod, Obligation, ProgressReport, ReportStatus
from jalin.monitoring.periods import period_containing


def photo_with_exif() -> bytes:
    image = Image.new("RGB", (800, 600), "orange")
    exif = Image.Exif()
    exif[0x0132] = "2026:03:14 09:30:00"  # DateTime
    gps = {1: "S", 2: (5.0, 25.0, 12.0), 3: "E", 4: (105.0, 10.0, 30.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


class ReportWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        w = cls.world
        cls.pks = w.pks  # Dinkes leads; signed 400 days ago
        cls.period = period_containing(w.pks.signed_on + datetime.timedelta(days=200))
        cls.obligation = services.obligation_create(
            actor=w.oscar, agreement=cls.pks, fields={"description": "Layanan kesehatan keliling 12 desa"}
        )
        cls.indicator = services.indicator_create(
            actor=w.oscar,
            agreement=cls.pks,
            fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 12, "unit": "desa"},
        )
        cls.line = services.budget_line_create(
            actor=w.alice,
            agreement=cls.pks,
            fields={"description": "Operasional mobil", "party": "ours", "source": "apbd", "planned": 100_000_000},
        )

    def setUp(self):
        translation.activate("en")  # the messages below are checked in the source language
        self.addCleanup(translation.deactivate)

    def draft(self):
        report = services.report_start(actor=self.world.oscar, agreement=self.pks, period=self.period)
        return services.report_save(
            actor=self.world.oscar,
            report=report,
            summary="Enam desa dilayani",
            indicator_values={self.indicator.pk: Decimal(6)},
            obligation_updates={self.obligation.pk: ("partly_met", self.period.ends_on)},
            realisations={self.line.pk: Decimal(40_000_000)},
            beneficiaries=[services.BeneficiaryInput("patients", 420, "Daftar hadir pasien")],
        )

    def test_it_walks_a_report_from_draft_to_verified_and_carries_it_into_the_framework(self):
        report = self.draft()
        self.assertEqual(report.status, ReportStatus.DRAFT)
        self.assertIsNone(IndicatorPeriod.objects.get(indicator=self.indicator, starts_on=self.period.starts_on).actual)
        services.report_submit(actor=self.world.oscar, report=report)
        services.report_verify(actor=self.world.alice, report=report)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.VERIFIED)
        period = IndicatorPeriod.objects.get(indicator=self.indicator, starts_on=self.period.starts_on)
        self.assertEqual(period.actual, Decimal(6))
        self.assertEqual(period.actual_report, report)
        self.obligation.refresh_from_db()
        self.assertEqual((self.obligation.status, self.obligation.met_on), ("partly_met", self.period.ends_on))
        self.assertTrue(AuditEntry.objects.filter(agreement_id=self.pks.pk, actor=self.world.alice).exists())

    def test_a_verified_report_is_locked(self):
        report = self.draft()
        services.report_submit(actor=self.world.oscar, report=report)
        services.report_verify(actor=self.world.alice, report=report)
        with self.assertRaisesMessage(ValidationError, "can no longer be changed"):
            services.report_save(actor=self.world.oscar, report=report, summary="diubah diam-diam")
        with self.assertRaises(ValidationError):
            services.report_start(actor=self.world.oscar, agreement=self.pks, period=self.period)
        with self.assertRaises(ValidationError):
            services.evidence_add(
                actor=self.world.oscar, agreement=self.pks, report=report, caption="x", url="https://example.id"
            )
        report.refresh_from_db()
        self.assertEqual(report.summary, "Enam desa dilayani")

    def test_a_returned_report_goes_back_to_the_officer_with_the_reason(self):
        report = self.draft()
        with self.assertRaises(ValidationError):
            services.report_return(actor=self.world.alice, report=report, reason="Belum diajukan")  # still a draft
        services.report_submit(actor=self.world.oscar, report=report)
        with self.assertRaises(ValidationError):
            services.report_return(actor=self.world.alice, report=report, reason="  ")
        services.report_return(actor=self.world.alice, report=report, reason="Lampirkan foto kegiatan")
        report.refresh_from_db()
        self.assertEqual((report.status, report.returned_reason), (ReportStatus.RETURNED, "Lampirkan foto kegiatan"))
        services.report_save(actor=self.world.oscar, report=report, summary="Enam desa, foto terlampir")
        services.report_submit(actor=self.world.oscar, report=report)
        services.report_verify(actor=self.world.alice, report=report)

    def test_a_correction_is_a_new_version_that_supersedes_the_verified_one_once_verified(self):
        report = self.draft()
        services.report_submit(actor=self.world.oscar, report=report)
        services.report_verify(actor=self.world.alice, report=report)
        correction = services.report_correct(actor=self.world.oscar, report=report, reason="Salah hitung desa")
        self.assertEqual((correction.version, correction.corrects, correction.status), (2, report, ReportStatus.DRAFT))
        self.assertEqual(correction.indicator_values.get().value, Decimal(6))  # content copied
        with self.assertRaises(ValidationError):
            services.report_correct(actor=self.world.oscar, report=report, reason="lagi")  # one open correction
        services.report_save(
            actor=self.world.oscar,
            report=correction,
            summary="Tujuh desa",
            indicator_values={self.indicator.pk: Decimal(7)},
        )
        services.report_submit(actor=self.world.oscar, report=correction)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.VERIFIED)  # in force until the correction is verified
        services.report_verify(actor=self.world.alice, report=correction)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUPERSEDED)
        self.assertEqual(
            IndicatorPeriod.objects.get(indicator=self.indicator, starts_on=self.period.starts_on).actual, Decimal(7)
        )
        self.assertEqual(ProgressReport.objects.filter(agreement=self.pks).count(), 2)

    def test_submitting_needs_a_summary_and_verifying_needs_a_second_person(self):
        report = services.report_start(actor=self.world.alice, agreement=self.pks, period=self.period)
        with self.assertRaises(ValidationError):
            services.report_submit(actor=self.world.alice, report=report)
        services.report_save(actor=self.world.alice, report=report, summary="Diisi oleh admin")
        services.report_submit(actor=self.world.alice, report=report)
        with self.assertRaisesMessage(ValidationError, "another verifier"):
            services.report_verify(actor=self.world.alice, report=report)

    def test_it_rejects_bad_values_and_changes_nothing(self):
        report = services.report_start(actor=self.world.oscar, agreement=self.pks, period=self.period)
        with self.assertRaises(ValidationError) as caught:
            services.report_save(
                actor=self.world.oscar,
                report=report,
                summary="x",
                obligation_updates={self.obligation.pk: ("met", None)},
                beneficiaries=[services.BeneficiaryInput("women", 5, "")],
            )
        self.assertIn(f"obl_{self.obligation.pk}", caught.exception.message_dict)
        self.assertIn("beneficiaries", caught.exception.message_dict)
        report.refresh_from_db()
        self.assertEqual(report.summary, "")

    def test_it_refuses_periods_outside_the_agreement_and_in_the_future(self):
        before = period_containing(self.pks.signed_on - datetime.timedelta(days=400))
        with self.assertRaises(ValidationError):
            services.report_start(actor=self.world.oscar, agreement=self.pks, period=before)
        future = period_containing(timezone.localdate() + datetime.timedelta(days=400))
        with self.assertRaises(ValidationError):
            services.report_start(actor=self.world.oscar, agreement=self.pks, period=future)


class ReportAccessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.period = period_containing(cls.world.pks.signed_on + datetime.timedelta(days=200))

    def test_an_opd_officer_reports_only_for_their_own_agencys_agreements(self):
        w = self.world
        services.report_start(actor=w.oscar, agreement=w.pks, period=self.period)  # Dinkes leads
        for other in (w.tourism, w.published):  # Dispar leads; published is visible to Oscar but not his
            with self.assertRaises(PermissionDenied):
                services.report_start(actor=w.oscar, agreement=other, period=self.period)
        with self.assertRaises(PermissionDenied):
            services.obligation_create(actor=w.oscar, agreement=w.tourism, fields={"description": "x"})

    def test_an_officer_of_a_supporting_agency_may_report(self):
        w = self.world
        shared = agreement(w.alice, "PKS bersama", w.dispar, [w.bank], supporting_agencies=[w.dinkes])
        services.report_start(actor=w.oscar, agreement=shared, period=self.period)

    def test_only_the_admin_verifies_and_readers_change_nothing(self):
        w = self.world
        report = services.report_start(actor=w.oscar, agreement=w.pks, period=self.period)
        services.report_save(actor=w.oscar, report=report, summary="ok")
        services.report_submit(actor=w.oscar, report=report)
        for user in (w.oscar, w.lena, w.audrey, w.tara, w.vera, w.sam):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.report_verify(actor=user, report=report)
        for user in (w.lena, w.audrey, w.vera, w.sam, w.olga):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.report_start(actor=user, agreement=w.pks, period=self.period.previous())

    def test_the_pages_answer_404_for_invisible_and_403_for_forbidden(self):
        w = self.world
        report = services.report_start(actor=w.oscar, agreement=w.pks, period=self.period)
        url = f"/app/monitoring/reports/{report.pk}/"
        self.client.force_login(w.sam)  # another government
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(w.olga)  # same government, not her agency, not public
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(w.lena)  # leader reads
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, {"summary": "x"}).status_code, 403)
        self.assertEqual(self.client.post(f"/app/monitoring/reports/{report.pk}/verify/").status_code, 403)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.DRAFT)
        self.client.force_login(w.olga)
        published_page = self.client.get(f"/app/monitoring/agreements/{w.published.pk}/")
        self.assertEqual(published_page.status_code, 200)
        self.assertTrue(published_page.context["can_report"])
        tourism = self.client.get(f"/app/monitoring/agreements/{w.pks.pk}/")
        self.assertEqual(tourism.status_code, 404)

    def test_the_verify_page_is_refused_to_a_leader(self):
        w = self.world
        report = services.report_start(actor=w.oscar, agreement=w.pks, period=self.period)
        services.report_save(actor=w.oscar, report=report, summary="ok")
        services.report_submit(actor=w.oscar, report=report)
        self.client.force_login(w.lena)
        self.assertEqual(self.client.post(f"/app/monitoring/reports/{report.pk}/verify/").status_code, 403)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.client.force_login(w.alice)
        self.assertContains(
            self.client.get(f"/app/monitoring/reports/{report.pk}/"),
            f'action="/app/monitoring/reports/{report.pk}/verify/"',
        )


class EvidenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_keeps_a_photos_date_and_place_and_makes_a_thumbnail(self):
        w = self.world
        upload = SimpleUploadedFile("kegiatan.JPG", photo_with_exif(), content_type="image/jpeg")
        evidence = services.evidence_add(actor=w.oscar, agreement=w.pks, caption="Posyandu keliling", upload=upload)
        self.assertEqual(evidence.content_type, "image/jpeg")
        self.assertEqual(evidence.original_name, "kegiatan.jpg")
        self.assertEqual(evidence.taken_at.strftime("%Y-%m-%d %H:%M"), "2026-03-14 09:30")
        self.assertEqual(evidence.latitude, Decimal("-5.420000"))
        self.assertEqual(evidence.longitude, Decimal("105.175000"))
        with evidence.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
            self.assertLessEqual(max(thumb.size), 480)
            self.assertFalse(thumb.getexif())  # location is not leaked through the thumbnail
        self.client.force_login(w.lena)
        response = self.client.get(f"/app/monitoring/evidence/{evidence.pk}/thumbnail/")
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.client.force_login(w.sam)
        self.assertEqual(self.client.get(f"/app/monitoring/evidence/{evidence.pk}/file/").status_code, 404)

    def test_it_rejects_a_file_that_is_not_what_it_claims(self):
        w = self.world
        fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not a photo at all" * 10, content_type="image/jpeg")
        with self.assertRaises(ValidationError):
            services.evidence_add(actor=w.oscar, agreement=w.pks, caption="Foto", upload=fake)
        pdf = SimpleUploadedFile("berita.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        evidence = services.evidence_add(actor=w.oscar, agreement=w.pks, caption="Berita acara", upload=pdf)
        self.assertEqual((evidence.content_type, bool(evidence.thumbnail)), ("application/pdf", False))
        self.assertEqual(Evidence.objects.count(), 1)

    def test_it_needs_a_file_or_a_link(self):
        w = self.world
        with self.assertRaises(ValidationError):
            services.evidence_add(actor=w.oscar, agreement=w.pks, caption="Kosong")
        with self.assertRaises(ValidationError):
            services.evidence_add(actor=w.oscar, agreement=w.pks, caption="Link", url="javascript:alert(1)")
        self.assertEqual(Evidence.objects.count(), 0)
        self.assertEqual(Obligation.objects.count(), 0)
