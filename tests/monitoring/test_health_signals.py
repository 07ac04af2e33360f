"""Every health signal at its boundary, with a frozen clock (time-machine)."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.utils import translation
from personas import agreement, build_world
from PIL import Image

from jalin.agreements.models import Agreement
from jalin.monitoring import services
from jalin.monitoring.health import Signal, signals_of, with_health
from jalin.monitoring.models import IndicatorPeriod, ProgressReport
from jalin.monitoring.periods import Period, last_due_period, period_containing

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: str, hour: int = 10):
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=JAKARTA), tick=False)


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def flags(pk, day: str) -> dict:
    row = with_health(Agreement.objects.filter(pk=pk), datetime.date.fromisoformat(day), details=True).get()
    return {signal.value: getattr(row, f"h_{signal.value}") for signal in Signal}


def reasons(pk, day: str) -> dict:
    today = datetime.date.fromisoformat(day)
    row = with_health(Agreement.objects.filter(pk=pk), today, details=True).get()
    return {item.signal.value: item.reason for item in signals_of(row, today)}


@override_settings(
    MONITORING_DORMANT_DAYS=180,
    MONITORING_PAPER_ONLY_MONTHS=6,
    MONITORING_OFF_TRACK_PERCENT=20,
    MONITORING_REPORT_PERIOD_MONTHS=6,
    MONITORING_REPORT_GRACE_DAYS=30,
    EXPIRING_WITHIN_DAYS=180,
    LANGUAGE_CODE="en",
)
class HealthSignalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def make(self, title, signed, ends, **fields):
        w = self.world
        return agreement(
            w.alice,
            title,
            w.dinkes,
            [w.unila],
            signed_on=datetime.date.fromisoformat(signed),
            effective_on=datetime.date.fromisoformat(signed),
            ends_on=datetime.date.fromisoformat(ends),
            **fields,
        )

    def verified_report(self, target, period: Period, when: str):
        with at(when):
            report = services.report_start(actor=self.world.oscar, agreement=target, period=period)
            services.report_save(actor=self.world.oscar, report=report, summary="Berjalan")
            services.report_submit(actor=self.world.oscar, report=report)
            services.report_verify(actor=self.world.alice, report=report)
        return report

    def test_it_computes_the_last_due_period_at_the_grace_boundary(self):
        self.assertEqual(last_due_period(datetime.date(2026, 7, 30)).starts_on, datetime.date(2025, 7, 1))
        self.assertEqual(last_due_period(datetime.date(2026, 7, 31)).starts_on, datetime.date(2026, 1, 1))

    def test_it_flags_an_overdue_report_the_day_after_it_was_due(self):
        target = self.make("PKS laporan", "2025-10-01", "2028-09-30")
        self.verified_report(target, period_containing(datetime.date(2025, 12, 1)), "2026-01-10")
        self.assertFalse(flags(target.pk, "2026-07-30")["report_overdue"])
        self.assertTrue(flags(target.pk, "2026-07-31")["report_overdue"])
        self.assertEqual(
            reasons(target.pk, "2026-07-31")["report_overdue"],
            "The progress report for Semester 1 2026 was due on 30 July 2026 and has not been submitted.",
        )
        with at("2026-07-31"):
            report = services.report_start(
                actor=self.world.oscar, agreement=target, period=period_containing(datetime.date(2026, 3, 1))
            )
            services.report_save(actor=self.world.oscar, report=report, summary="Semester 1")
            self.assertTrue(flags(target.pk, "2026-07-31")["report_overdue"])  # a draft is not a report
            services.report_submit(actor=self.world.oscar, report=report)
        self.assertFalse(flags(target.pk, "2026-07-31")["report_overdue"])

    def test_it_does_not_expect_a_report_from_an_umbrella_or_a_draft(self):
        ksb = self.make("KSB payung", "2025-01-01", "2029-01-01", kind="ksb")
        self.assertFalse(any(flags(ksb.pk, "2026-08-15").values()) and flags(ksb.pk, "2026-08-15")["report_overdue"])
        self.assertFalse(flags(ksb.pk, "2026-08-15")["dormant"])
        draft = agreement(self.world.alice, "Rancangan", self.world.dinkes, [self.world.unila], signed_on=None)
        self.assertEqual(set(flags(draft.pk, "2026-08-15").values()), {False})

    def test_it_calls_an_agreement_dormant_the_day_after_n_days_without_verified_activity(self):
        target = self.make("PKS tidur", "2025-01-02", "2029-01-01")
        self.verified_report(target, period_containing(datetime.date(2025, 9, 1)), "2026-02-15")
        # Verified on 15 February 2026: awake for 180 days, dormant on day 181.
        self.assertFalse(flags(target.pk, "2026-08-14")["dormant"])
        self.assertTrue(flags(target.pk, "2026-08-15")["dormant"])
        self.assertEqual(
            reasons(target.pk, "2026-08-15")["dormant"],
            "No verified report or evidence for more than 180 days: the last was on 15 February 2026.",
        )

    def test_verified_evidence_keeps_an_agreement_awake_but_unverified_evidence_does_not(self):
        target = self.make("PKS bukti", "2025-01-02", "2029-01-01")
        with at("2026-03-01"):
            evidence = services.evidence_add(actor=self.world.oscar, agreement=target, caption="Foto", upload=jpeg())
        self.assertTrue(flags(target.pk, "2026-04-01")["dormant"])
        with at("2026-03-02"):
            services.evidence_verify(actor=self.world.alice, evidence=evidence)
        self.assertFalse(flags(target.pk, "2026-04-01")["dormant"])
        # counted from the verification (2 March), not the upload: 2 March + 180 days = 29 August
        self.assertFalse(flags(target.pk, "2026-08-29")["dormant"])
        self.assertTrue(flags(target.pk, "2026-08-30")["dormant"])

    def test_it_calls_an_agreement_paper_only_n_months_after_signing_with_nothing_done(self):
        target = self.make("PKS kertas", "2026-02-15", "2029-01-01")
        self.assertFalse(flags(target.pk, "2026-08-15")["paper_only"])
        self.assertTrue(flags(target.pk, "2026-08-16")["paper_only"])
        self.assertIn(
            "Signed on 15 February 2026, more than 6 months ago", reasons(target.pk, "2026-08-16")["paper_only"]
        )
        with at("2026-08-16"):
            services.evidence_add(
                actor=self.world.oscar, agreement=target, caption="Rapat", url="https://example.go.id/berita"
            )
        self.assertFalse(flags(target.pk, "2026-08-16")["paper_only"])

    def test_a_met_obligation_ends_paper_only(self):
        target = self.make("PKS kewajiban", "2026-01-05", "2029-01-01")
        obligation = services.obligation_create(
            actor=self.world.oscar, agreement=target, fields={"description": "Pelatihan kader"}
        )
        self.assertTrue(flags(target.pk, "2026-08-16")["paper_only"])
        with at("2026-07-10"):
            report = services.report_start(
                actor=self.world.oscar, agreement=target, period=period_containing(datetime.date(2026, 1, 5))
            )
            services.report_save(
                actor=self.world.oscar,
                report=report,
                summary="Pelatihan selesai",
                obligation_updates={obligation.pk: ("met", datetime.date(2026, 6, 20))},
            )
            services.report_submit(actor=self.world.oscar, report=report)
            self.assertTrue(flags(target.pk, "2026-08-16")["paper_only"])  # not until verified
            services.report_verify(actor=self.world.alice, report=report)
        self.assertFalse(flags(target.pk, "2026-08-16")["paper_only"])

    def _indicator(self, target, **fields):
        values = {
            "name": "Cakupan",
            "indicator_type": "output",
            "baseline_value": 0,
            "target_value": 100,
            "unit": "orang",
        }
        values.update(fields)
        return services.indicator_create(actor=self.world.oscar, agreement=target, fields=values)

    def _set(self, indicator, target_value, actual):
        period = IndicatorPeriod.objects.get(indicator=indicator, starts_on=datetime.date(2026, 1, 1))
        period.target = Decimal(target_value)
        period.actual = Decimal(actual)
        period.save()

    def test_it_flags_an_indicator_more_than_x_percent_behind_its_path(self):
        target = self.make("PKS indikator", "2026-01-01", "2027-12-31")
        indicator = self._indicator(target)
        self._set(indicator, 50, "40.00")  # exactly 20% of the way behind: still on track
        self.assertFalse(flags(target.pk, "2026-08-15")["off_track"])
        self._set(indicator, 50, "39.99")
        self.assertTrue(flags(target.pk, "2026-08-15")["off_track"])
        self.assertEqual(
            reasons(target.pk, "2026-08-15")["off_track"],
            "Indicator “Cakupan” reached 39.99 orang by 30 June 2026 against 50 orang on the path to its target, "
            "more than 20% behind.",
        )

    def test_it_reads_lower_is_better_indicators_the_other_way(self):
        target = self.make("PKS stunting", "2026-01-01", "2027-12-31")
        indicator = self._indicator(target, direction="lower", baseline_value=100, target_value=0)
        self._set(indicator, 50, "60.00")
        self.assertFalse(flags(target.pk, "2026-08-15")["off_track"])
        self._set(indicator, 50, "60.01")
        self.assertTrue(flags(target.pk, "2026-08-15")["off_track"])

    def test_only_the_latest_actual_counts(self):
        target = self.make("PKS terkejar", "2026-01-01", "2027-12-31")
        indicator = self._indicator(target)
        self._set(indicator, 50, "10")
        later = IndicatorPeriod.objects.get(indicator=indicator, starts_on=datetime.date(2026, 7, 1))
        later.actual = later.target
        later.save()
        self.assertFalse(flags(target.pk, "2027-02-15")["off_track"])

    def test_expiring_and_expired_at_their_boundaries(self):
        target = self.make("PKS berakhir", "2025-01-01", "2026-12-31")
        self.assertFalse(flags(target.pk, "2026-07-03")["expiring"])  # 181 days before the end
        self.assertTrue(flags(target.pk, "2026-07-04")["expiring"])  # 180 days before
        self.assertTrue(flags(target.pk, "2026-12-31")["expiring"])
        self.assertFalse(flags(target.pk, "2026-12-31")["expired"])
        self.assertTrue(flags(target.pk, "2027-01-01")["expired"])
        self.assertIn("31 December 2026", reasons(target.pk, "2027-01-01")["expired"])
        self.assertEqual(
            reasons(target.pk, "2026-12-30")["expiring"],
            "It ends on 31 December 2026, in 1 day: decide whether to renew it.",
        )

    def test_the_clock_drives_the_default_day(self):
        target = self.make("PKS jam", "2025-01-01", "2026-12-31")
        with at("2027-01-01"):
            row = with_health(Agreement.objects.filter(pk=target.pk)).get()
            # Only "expired": an agreement no longer in force is not expected to report, nor dormant.
            self.assertEqual(row.health_score, 2)
        self.assertEqual(ProgressReport.objects.count(), 0)
