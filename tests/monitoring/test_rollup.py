"""Roll-up arithmetic: indicator progress, obligation progress from indicators or status,
agreement progress with weights; the pro-rata path of targets; reporting periods."""

import datetime
from decimal import Decimal

from django.test import SimpleTestCase, TestCase, override_settings
from personas import agreement, build_world

from jalin.monitoring import services
from jalin.monitoring.models import Indicator, IndicatorPeriod, Obligation
from jalin.monitoring.periods import period_containing, periods_between
from jalin.monitoring.selectors import agreement_framework, indicator_progress, roll_up, weighted


def indicator(pk, baseline, target, weight=1, obligation=None):
    item = Indicator(pk=pk, baseline_value=Decimal(baseline), target_value=Decimal(target), weight=weight)
    item.obligation_id = obligation
    return item


class ArithmeticTests(SimpleTestCase):
    def test_indicator_progress_is_the_share_of_the_way_from_baseline_to_target(self):
        self.assertEqual(indicator_progress(indicator(1, 0, 12), Decimal(6)), Decimal(50))
        self.assertEqual(indicator_progress(indicator(1, 20, 10), Decimal(15)), Decimal(50))  # lower is better
        self.assertEqual(indicator_progress(indicator(1, 0, 10), Decimal(15)), Decimal(100))  # capped
        self.assertEqual(indicator_progress(indicator(1, 10, 20), Decimal(5)), Decimal(0))  # went backwards
        self.assertEqual(indicator_progress(indicator(1, 0, 10), None), Decimal(0))

    def test_weighted_means_round_to_one_decimal(self):
        self.assertEqual(weighted([(Decimal(100), 1), (Decimal(0), 2)]), Decimal("33.3"))
        self.assertEqual(weighted([(Decimal(50), 3), (Decimal(100), 1)]), Decimal("62.5"))
        self.assertIsNone(weighted([]))


class RollUpTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_rolls_indicators_up_to_obligations_and_obligations_up_to_the_agreement(self):
        w = self.world
        first = services.obligation_create(actor=w.oscar, agreement=w.pks, fields={"description": "A", "weight": 3})
        second = services.obligation_create(actor=w.oscar, agreement=w.pks, fields={"description": "B", "weight": 1})
        Obligation.objects.filter(pk=second.pk).update(status="met", met_on=datetime.date(2026, 1, 1))
        make = services.indicator_create
        i1 = make(
            actor=w.oscar,
            agreement=w.pks,
            fields={"name": "i1", "indicator_type": "output", "target_value": 10, "obligation": first, "weight": 1},
        )
        i2 = make(
            actor=w.oscar,
            agreement=w.pks,
            fields={"name": "i2", "indicator_type": "outcome", "target_value": 100, "obligation": first, "weight": 3},
        )
        loose = make(
            actor=w.oscar,
            agreement=w.pks,
            fields={"name": "i3", "indicator_type": "impact", "target_value": 4, "weight": 2},
        )
        for item, actual in ((i1, 10), (i2, 20), (loose, 1)):
            period = IndicatorPeriod.objects.filter(indicator=item).order_by("starts_on").first()
            period.actual = Decimal(actual)
            period.save()
        framework = agreement_framework(w.pks)
        # first: (100×1 + 20×3) / 4 = 40; second: met = 100 (no indicators); loose i3: 25
        self.assertEqual([row.progress for row in framework.obligations], [Decimal("40.0"), Decimal(100)])
        # agreement: (40×3 + 100×1 + 25×2) / 6 = 45
        self.assertEqual(framework.progress, Decimal("45.0"))

    def test_an_obligation_without_indicators_follows_its_status(self):
        items = [Obligation(pk=1, status=s, weight=1) for s in ("scheduled",)] + [
            Obligation(pk=2, status="partly_met", weight=1)
        ]
        framework = roll_up(items, [])
        self.assertEqual([row.progress for row in framework.obligations], [Decimal(0), Decimal(50)])
        self.assertEqual(framework.progress, Decimal("25.0"))
        self.assertIsNone(roll_up([], []).progress)

    def test_the_latest_actual_is_what_counts(self):
        w = self.world
        item = services.indicator_create(
            actor=w.oscar, agreement=w.pks, fields={"name": "Desa", "indicator_type": "output", "target_value": 10}
        )
        first, second = IndicatorPeriod.objects.filter(indicator=item).order_by("starts_on")[:2]
        IndicatorPeriod.objects.filter(pk=first.pk).update(actual=8)
        IndicatorPeriod.objects.filter(pk=second.pk).update(actual=5)
        self.assertEqual(agreement_framework(w.pks).progress, Decimal("50.0"))


@override_settings(MONITORING_REPORT_PERIOD_MONTHS=6)
class PathAndPeriodTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_targets_follow_the_pro_rata_path_to_the_final_target(self):
        w = self.world
        target = agreement(
            w.alice,
            "PKS dua tahun",
            w.dinkes,
            [w.unila],
            signed_on=datetime.date(2025, 1, 1),
            effective_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
        item = services.indicator_create(
            actor=w.oscar,
            agreement=target,
            fields={"name": "Desa", "indicator_type": "output", "baseline_value": 0, "target_value": 730},
        )
        periods = list(IndicatorPeriod.objects.filter(indicator=item).order_by("starts_on"))
        self.assertEqual(
            [p.starts_on.isoformat() for p in periods], ["2025-01-01", "2025-07-01", "2026-01-01", "2026-07-01"]
        )
        # 730 over 729 days: one per elapsed day from 1 January 2025
        self.assertEqual(
            [p.target for p in periods], [Decimal("180.25"), Decimal("364.50"), Decimal("545.75"), Decimal(730)]
        )

    def test_periods_are_calendar_aligned(self):
        self.assertEqual(period_containing(datetime.date(2026, 6, 30)).starts_on, datetime.date(2026, 1, 1))
        self.assertEqual(period_containing(datetime.date(2026, 7, 1)).ends_on, datetime.date(2026, 12, 31))
        self.assertEqual(len(periods_between(datetime.date(2025, 3, 1), datetime.date(2026, 2, 1))), 3)
        with self.settings(MONITORING_REPORT_PERIOD_MONTHS=3):
            self.assertEqual(period_containing(datetime.date(2026, 5, 5)).ends_on, datetime.date(2026, 6, 30))

    def test_it_refuses_an_indicator_whose_target_goes_the_wrong_way(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError) as caught:
            services.indicator_create(
                actor=self.world.oscar,
                agreement=self.world.pks,
                fields={
                    "name": "Stunting",
                    "indicator_type": "impact",
                    "direction": "lower",
                    "baseline_value": 20,
                    "target_value": 30,
                },
            )
        self.assertIn("target_value", caught.exception.message_dict)
        self.assertEqual(Indicator.objects.count(), 0)
