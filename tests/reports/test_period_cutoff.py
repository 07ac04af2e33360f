"""A periodic report counts only data of reporting periods ending by its period's end: a
later period's progress report, once verified, changes nothing in it (issue 13: 6 of the
274 figures of the S1 2026 report moved after an S2 2026 report was verified)."""

import datetime
from decimal import Decimal

from django.test import TestCase, override_settings
from issuing_support import S1_2026, S2_2026, at, monitored_world, progress_report
from personas import build_world

from jalin.monitoring import selectors as monitoring_selectors
from jalin.monitoring import services
from jalin.monitoring.periods import Period
from jalin.reports import selectors


def s1_figures(world) -> dict:
    scope = selectors.scope_for_user(world.alice)
    return selectors.report_figures(selectors.periodic_report(scope, selectors.parse_period("2026-S1")))


class CutoffTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = monitored_world()

    def test_a_later_periods_verified_report_changes_nothing_in_the_report(self):
        with at(2026, 8, 20):
            before = s1_figures(self.world)
        self.assertEqual(before["summary"]["beneficiaries"], 250)
        self.assertEqual(before["summary"]["realised"], "40000000.00")
        self.assertEqual(before["signals"]["off_track"], 0)
        self.assertEqual(before["progress"][0]["progress"], "23.3")  # 30 of 100, 4 of 10, obligation scheduled
        with at(2026, 11, 20):
            # S2: more villages, the mobile units fall behind their path, the obligation is met
            progress_report(
                self.world,
                S2_2026,
                villages=60,
                units=1,
                patients=470,
                spent=30_000_000,
                met_on=datetime.date(2026, 11, 1),
            )
        with at(2026, 12, 4):
            after = s1_figures(self.world)
            live = monitoring_selectors.dashboard(selectors.scope_for_user(self.world.alice).agreements)
        self.assertEqual(after, before)
        # the dashboard (no cutoff) does see the S2 data: the test could fail
        self.assertEqual((live.beneficiaries, live.realised), (720, Decimal("70000000.00")))
        self.assertEqual({row["key"]: row["count"] for row in live.signals}["off_track"], 1)

    def test_the_agreements_framework_as_of_the_period_end_ignores_later_periods(self):
        with at(2026, 11, 20):
            progress_report(
                self.world,
                S2_2026,
                villages=60,
                units=1,
                patients=470,
                spent=30_000_000,
                met_on=datetime.date(2026, 11, 1),
            )
            now = monitoring_selectors.agreement_framework(self.world.pks)
            then = monitoring_selectors.agreement_framework(self.world.pks, cutoff=S1_2026.ends_on)
        self.assertEqual(
            (then.progress, then.beneficiaries_total, then.realised_total), (Decimal("23.3"), 250, 40_000_000)
        )
        self.assertEqual(
            (now.progress, now.beneficiaries_total, now.realised_total), (Decimal("56.7"), 720, 70_000_000)
        )
        self.assertEqual(then.obligations[0].obligation.status, "scheduled")


@override_settings(MONITORING_REPORT_PERIOD_MONTHS=12)
class StoredSummaryCutoffTests(TestCase):
    """Yearly progress reports: the 2026 report, verified in June, belongs to a period that
    ends after the first semester; the S1 2026 report (a period not yet over, read from the
    stored summaries) must leave it out."""

    def test_a_period_not_yet_over_leaves_out_a_longer_reporting_period(self):
        with at(2026, 6, 1):
            world = build_world()
            services.indicator_create(
                actor=world.oscar,
                agreement=world.pks,
                fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 100},
            )
            services.obligation_create(actor=world.oscar, agreement=world.pks, fields={"description": "Pelatihan"})
            services.budget_line_create(
                actor=world.alice,
                agreement=world.pks,
                fields={"description": "Operasional", "party": "ours", "source": "apbd", "planned": 100_000_000},
            )
        with at(2026, 6, 15):
            year = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
            report = services.report_start(actor=world.oscar, agreement=world.pks, period=year)
            services.report_save(
                actor=world.oscar,
                report=report,
                summary="Berjalan",
                realisations={world.pks.budget_lines.get().pk: Decimal(10_000_000)},
                beneficiaries=[services.BeneficiaryInput("patients", 900, "Daftar hadir")],
            )
            services.report_submit(actor=world.oscar, report=report)
            services.report_verify(actor=world.alice, report=report)
            live = monitoring_selectors.government_dashboard([world.pesawaran.pk])
            figures = s1_figures(world)
            year_figures = selectors.report_figures(
                selectors.periodic_report(selectors.scope_for_user(world.alice), selectors.parse_period("2026"))
            )
        self.assertEqual(live.beneficiaries, 900)  # the stored summary counts it
        self.assertEqual((figures["summary"]["beneficiaries"], figures["summary"]["realised"]), (0, "0.00"))
        self.assertEqual(year_figures["summary"]["beneficiaries"], 900)
