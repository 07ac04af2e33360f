"""Evaluations (rubric, history, publish), the agreement page's monitoring panel, and the
public panel, which must never show drafts, unverified figures, internal notes or people."""

import datetime
import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.utils import translation
from personas import build_world
from PIL import Image

from jalin.monitoring import services
from jalin.monitoring.models import Evaluation
from jalin.monitoring.periods import period_containing

RUBRIC = {
    "period": "2026",
    "effectiveness": 4,
    "effectiveness_note": "Sasaran layanan tercapai sebagian besar",
    "efficiency": 3,
    "efficiency_note": "Biaya per desa wajar",
    "benefit": 5,
    "benefit_note": "Warga desa terpencil terlayani",
    "compliance": 4,
    "compliance_note": "Laporan tepat waktu",
    "recommendation": "continue",
}


def jpeg(colour="blue") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(f"{colour}.jpg", buffer.getvalue(), content_type="image/jpeg")


class EvaluationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        translation.activate("en")  # the messages below are checked in the source language
        self.addCleanup(translation.deactivate)

    def test_it_keeps_every_evaluation_as_history_and_publishes_only_the_latest(self):
        w = self.world
        first = services.evaluation_record(actor=w.alice, agreement=w.pks, fields=RUBRIC)
        self.assertEqual(first.average, Decimal(4))
        second = services.evaluation_record(
            actor=w.alice, agreement=w.pks, fields={**RUBRIC, "period": "2026 (ulang)", "recommendation": "revise"}
        )
        with self.assertRaisesMessage(ValidationError, "latest"):
            services.evaluation_publish(actor=w.alice, evaluation=first)
        services.evaluation_publish(actor=w.alice, evaluation=second)
        first.refresh_from_db()
        self.assertEqual(first.recommendation, "continue")  # never edited
        self.assertEqual(Evaluation.objects.filter(agreement=w.pks).count(), 2)
        self.client.force_login(w.lena)
        page = self.client.get(f"/app/monitoring/agreements/{w.pks.pk}/")
        self.assertEqual([e.pk for e in page.context["evaluations"]], [second.pk, first.pk])

    def test_it_needs_every_score_with_a_justification(self):
        w = self.world
        with self.assertRaises(ValidationError) as caught:
            services.evaluation_record(
                actor=w.alice, agreement=w.pks, fields={**RUBRIC, "efficiency": 7, "benefit_note": " "}
            )
        self.assertEqual(set(caught.exception.message_dict), {"efficiency", "benefit_note"})
        for user in (w.oscar, w.lena, w.vera):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.evaluation_record(actor=user, agreement=w.pks, fields=RUBRIC)
        self.assertFalse(Evaluation.objects.exists())


class PanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = build_world()
        cls.target = w.published  # Dispar leads, published
        cls.public_obligation = services.obligation_create(
            actor=w.olga, agreement=cls.target, fields={"description": "Homestay dibina", "is_public": True}
        )
        cls.internal_obligation = services.obligation_create(
            actor=w.olga, agreement=cls.target, fields={"description": "Negosiasi internal bank", "is_public": False}
        )
        cls.indicator = services.indicator_create(
            actor=w.olga,
            agreement=cls.target,
            fields={"name": "Homestay aktif", "indicator_type": "output", "target_value": 20, "unit": "unit"},
        )
        period = period_containing(cls.target.signed_on + datetime.timedelta(days=200))
        report = services.report_start(actor=w.olga, agreement=cls.target, period=period)
        services.report_save(
            actor=w.olga,
            report=report,
            summary="Ringkasan internal",
            problems="Masalah internal yang tidak untuk publik",
            indicator_values={cls.indicator.pk: Decimal(8)},
            beneficiaries=[services.BeneficiaryInput("msme", 35, "Daftar UMKM")],
        )
        cls.public_photo = services.evidence_add(
            actor=w.olga, agreement=cls.target, report=report, caption="Homestay baru", upload=jpeg(), is_public=True
        )
        cls.private_photo = services.evidence_add(
            actor=w.olga, agreement=cls.target, report=report, caption="Rapat tertutup", upload=jpeg("red")
        )
        services.report_submit(actor=w.olga, report=report)
        services.report_verify(actor=w.alice, report=report)
        # A later draft that is not verified: its figures must not appear publicly.
        draft = services.report_start(actor=w.olga, agreement=cls.target, period=period.next())
        services.report_save(
            actor=w.olga,
            report=draft,
            summary="draf",
            indicator_values={cls.indicator.pk: Decimal(19)},
            beneficiaries=[services.BeneficiaryInput("women", 999, "draf")],
        )
        cls.unverified_photo = services.evidence_add(
            actor=w.olga,
            agreement=cls.target,
            report=draft,
            caption="Foto belum diverifikasi",
            upload=jpeg("green"),
            is_public=True,
        )
        services.evaluation_record(actor=w.alice, agreement=cls.target, fields=RUBRIC)
        cls.draft_evaluation = services.evaluation_record(
            actor=w.alice, agreement=cls.target, fields={**RUBRIC, "conclusion": "Catatan evaluasi belum terbit"}
        )

    def render(self, tag, agreement, user=None):
        request = RequestFactory().get("/")
        from django.contrib.auth.models import AnonymousUser

        request.user = user or AnonymousUser()
        return Template("{% load monitoring_tags %}{% " + tag + " agreement %}").render(
            Context({"request": request, "agreement": agreement})
        )

    def test_the_public_panel_shows_only_public_verified_data(self):
        html = self.render("monitoring_public_panel", self.target)
        self.assertIn("Homestay dibina", html)
        self.assertIn("Homestay aktif", html)
        self.assertIn("35", html)  # verified beneficiaries
        self.assertIn(f"/app/monitoring/photos/{self.public_photo.pk}/", html)
        for hidden in (
            "Negosiasi internal bank",
            "Masalah internal",
            "Ringkasan internal",
            "999",
            "Rapat tertutup",
            f"/app/monitoring/photos/{self.unverified_photo.pk}/",
            "Catatan evaluasi belum terbit",
            "olga",
            "Olga",
        ):
            self.assertNotIn(hidden, html)
        self.assertNotIn("Laporan tepat waktu", html)  # no evaluation published yet
        services.evaluation_publish(actor=self.world.alice, evaluation=self.draft_evaluation)
        self.assertIn("Catatan evaluasi belum terbit", self.render("monitoring_public_panel", self.target))

    def test_the_public_panel_is_empty_for_an_unpublished_agreement(self):
        self.assertEqual(self.render("monitoring_public_panel", self.world.pks).strip(), "")

    def test_public_photos_are_served_only_when_public_and_verified(self):
        self.assertEqual(self.client.get(f"/app/monitoring/photos/{self.public_photo.pk}/").status_code, 200)
        for photo in (self.private_photo, self.unverified_photo):
            self.assertEqual(self.client.get(f"/app/monitoring/photos/{photo.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/app/monitoring/evidence/{self.public_photo.pk}/file/").status_code, 302)

    def test_the_staff_panel_shows_framework_reports_signals_evaluation_and_allowed_actions(self):
        w = self.world
        self.client.force_login(w.olga)
        page = self.client.get(f"/app/agreements/{self.target.pk}/")
        self.assertContains(page, 'id="monitoring"')
        self.assertContains(page, "Negosiasi internal bank")
        self.assertContains(page, "/app/monitoring/reports/")
        self.assertContains(page, f'href="/app/monitoring/agreements/{self.target.pk}/"')
        self.assertNotContains(page, f"/app/monitoring/agreements/{self.target.pk}/evaluations/new/")
        self.client.force_login(w.alice)
        self.assertContains(
            self.client.get(f"/app/agreements/{self.target.pk}/"),
            f"/app/monitoring/agreements/{self.target.pk}/evaluations/new/",
        )
        self.assertEqual(self.render("monitoring_panel", self.target).strip(), "")  # anonymous: nothing
