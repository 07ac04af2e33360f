"""The monitoring pages: the results framework forms, the agreement's monitoring page and the
drill-down list, with their query counts pinned (they do not grow with rows)."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from personas import agreement, build_world

from jalin.monitoring import services
from jalin.monitoring.models import BudgetLine, Indicator, Obligation, ProgressReport
from jalin.monitoring.periods import period_containing


class FrameworkPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_an_officer_adds_an_obligation_an_indicator_and_a_budget_line_through_the_pages(self):
        w = self.world
        self.client.force_login(w.oscar)
        base = f"/app/monitoring/agreements/{w.pks.pk}"
        response = self.client.post(
            f"{base}/obligations/new/",
            {"description": "Kunjungan rutin", "party": "ours", "agency": w.dinkes.pk, "weight": 2, "is_public": "on"},
        )
        self.assertRedirects(response, f"{base}/")
        obligation = Obligation.objects.get(agreement=w.pks)
        self.assertEqual((obligation.agency, obligation.weight, obligation.is_public), (w.dinkes, 2, True))
        response = self.client.post(
            f"{base}/indicators/new/",
            {
                "name": "Balita ditimbang",
                "indicator_type": "output",
                "obligation": obligation.pk,
                "unit": "anak",
                "measure": "number",
                "direction": "higher",
                "baseline_value": "100",
                "target_value": "400",
                "weight": 1,
            },
        )
        self.assertRedirects(response, f"{base}/")
        self.assertEqual(Indicator.objects.get(agreement=w.pks).obligation, obligation)
        response = self.client.post(
            f"{base}/budget/new/", {"description": "Transport", "party": "ours", "source": "apbd", "planned": "5000000"}
        )
        self.assertRedirects(response, f"{base}/")
        self.assertEqual(BudgetLine.objects.get(agreement=w.pks).planned, Decimal(5_000_000))

    def test_a_bad_indicator_is_shown_back_with_the_problem_and_nothing_is_stored(self):
        self.client.force_login(self.world.oscar)
        response = self.client.post(
            f"/app/monitoring/agreements/{self.world.pks.pk}/indicators/new/",
            {
                "name": "x",
                "indicator_type": "output",
                "measure": "number",
                "direction": "lower",
                "baseline_value": "5",
                "target_value": "9",
                "weight": 1,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["target_value"])
        self.assertFalse(Indicator.objects.exists())

    def test_an_officer_of_another_agency_and_a_leader_are_refused(self):
        w = self.world
        self.client.force_login(w.olga)
        self.assertEqual(self.client.get(f"/app/monitoring/agreements/{w.pks.pk}/obligations/new/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/app/monitoring/agreements/{w.published.pk}/obligations/new/").status_code, 200
        )
        self.client.force_login(w.lena)
        self.assertEqual(self.client.get(f"/app/monitoring/agreements/{w.pks.pk}/obligations/new/").status_code, 403)
        self.assertEqual(self.client.post(f"/app/monitoring/agreements/{w.pks.pk}/reports/new/").status_code, 403)
        self.assertEqual(self.client.get(f"/app/monitoring/agreements/{w.pks.pk}/evaluations/new/").status_code, 403)

    def test_an_officer_starts_a_report_from_the_page(self):
        w = self.world
        self.client.force_login(w.oscar)
        period = period_containing(w.pks.signed_on + datetime.timedelta(days=200))
        response = self.client.post(f"/app/monitoring/agreements/{w.pks.pk}/reports/new/", {"period": period.key})
        report = ProgressReport.objects.get(agreement=w.pks)
        self.assertRedirects(response, f"/app/monitoring/reports/{report.pk}/")
        self.assertEqual(report.period_starts_on, period.starts_on)


class PageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def add_rows(self, count: int) -> None:
        w = self.world
        today = timezone.localdate()
        for number in range(count):
            target = agreement(
                w.alice,
                f"PKS baris {number}",
                w.dinkes,
                [w.unila],
                signed_on=today - datetime.timedelta(days=500 + number),
            )
            services.obligation_create(actor=w.alice, agreement=target, fields={"description": f"Kewajiban {number}"})
            obligation = services.obligation_create(
                actor=w.alice, agreement=w.pks, fields={"description": f"K {number}"}
            )
            services.indicator_create(
                actor=w.alice,
                agreement=w.pks,
                fields={
                    "name": f"I {number}",
                    "indicator_type": "output",
                    "target_value": 10,
                    "obligation": obligation,
                },
            )
            services.evaluation_record(
                actor=w.alice,
                agreement=w.pks,
                fields={
                    "period": str(number),
                    "recommendation": "continue",
                    **dict.fromkeys(("effectiveness", "efficiency", "benefit", "compliance"), 3),
                    **{f"{c}_note": "ok" for c in ("effectiveness", "efficiency", "benefit", "compliance")},
                },
            )

    def count(self, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_pages_cost_the_same_number_of_queries_with_more_rows(self):
        self.client.force_login(self.world.alice)
        urls = [
            "/app/monitoring/signals/",
            f"/app/monitoring/agreements/{self.world.pks.pk}/",
            f"/app/agreements/{self.world.pks.pk}/",
        ]
        self.add_rows(1)
        before = [self.count(url) for url in urls]
        self.add_rows(6)
        self.assertEqual([self.count(url) for url in urls], before)
