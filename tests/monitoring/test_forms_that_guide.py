"""The monitoring forms say what the officer needs and what is wrong: the report form shows each
indicator's target for the period and the previous verified value beside the field; a negative
count or amount is refused as such; an evaluation's scores start empty and none may be missing."""

import datetime
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.test import TestCase
from django.utils import translation
from personas import build_world

from jalin.monitoring import services
from jalin.monitoring.models import Evaluation
from jalin.monitoring.periods import period_containing


class ReportFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        w = cls.world
        cls.indicator = services.indicator_create(
            actor=w.oscar,
            agreement=w.pks,
            fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 12, "unit": "desa"},
        )
        cls.first = period_containing(w.pks.signed_on + datetime.timedelta(days=40))
        earlier = services.report_start(actor=w.oscar, agreement=w.pks, period=cls.first)
        services.report_save(
            actor=w.oscar, report=earlier, summary="Awal", indicator_values={cls.indicator.pk: Decimal("3.5")}
        )
        services.report_submit(actor=w.oscar, report=earlier)
        services.report_verify(actor=w.alice, report=earlier)
        cls.second = cls.first.next()
        cls.report = services.report_start(actor=w.oscar, agreement=w.pks, period=cls.second)

    def test_it_shows_the_target_for_the_period_and_the_previous_verified_value_beside_the_field(self):
        self.client.force_login(self.world.oscar)
        page = self.client.get(f"/app/monitoring/reports/{self.report.pk}/")
        target = self.indicator.periods.get(starts_on=self.second.starts_on).target
        with translation.override("id"):
            shown_target = floatformat(target, "-2")
        row = page.content.decode().split('class="indicator-field"')[1].split("</div>")[0]
        self.assertIn(f"id_ind_{self.indicator.pk}", row)
        self.assertIn(f"Target periode ini: <strong>{shown_target}</strong> desa", row)
        with translation.override("id"):
            label = self.first.label
        self.assertIn(f"Nilai terverifikasi sebelumnya: <strong>3,50</strong> desa ({label})", row)

    def test_a_negative_number_of_people_is_refused_as_negative(self):
        self.client.force_login(self.world.oscar)
        response = self.client.post(
            f"/app/monitoring/reports/{self.report.pk}/",
            {"summary": "x", "ben_0_group": "patients", "ben_0_count": "-4", "ben_0_method": "daftar", "save": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Harus 0 atau lebih.")
        self.assertNotContains(response, "sudah digunakan")


RUBRIC = ("effectiveness", "efficiency", "benefit", "compliance")


class EvaluationFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_every_score_starts_empty(self):
        self.client.force_login(self.world.alice)
        page = self.client.get(f"/app/monitoring/agreements/{self.world.pks.pk}/evaluations/new/")
        form = page.context["form"]
        for criterion in RUBRIC:
            with self.subTest(criterion=criterion):
                self.assertIsNone(form[criterion].value())
                self.assertContains(page, '<option value="" selected>Pilih nilai</option>', html=False)

    def test_an_evaluation_with_a_missing_score_is_not_saved_and_each_field_says_why(self):
        self.client.force_login(self.world.alice)
        response = self.client.post(
            f"/app/monitoring/agreements/{self.world.pks.pk}/evaluations/new/",
            {
                "period": "2026",
                "effectiveness": "4",
                "recommendation": "continue",
                **{f"{criterion}_note": "Cukup" for criterion in RUBRIC},
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Evaluation.objects.exists())
        errors = response.context["form"].errors
        self.assertNotIn("effectiveness", errors)
        self.assertEqual(errors["efficiency"], ["Pilih nilai 1 sampai 5 untuk efisiensi."])
        self.assertEqual(errors["benefit"], ["Pilih nilai 1 sampai 5 untuk manfaat bagi warga."])
        self.assertEqual(errors["compliance"], ["Pilih nilai 1 sampai 5 untuk kepatuhan."])
