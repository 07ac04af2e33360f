"""The dashboard against a hand-computed fixture, its drill-downs, the supervisor's side-by-side
view, and its query count (pinned; it does not grow with the number of agreements)."""

import datetime
from decimal import Decimal

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from personas import agreement, build_world

from jalin.accounts import access
from jalin.monitoring import selectors, services
from jalin.monitoring.health import Thresholds

DASHBOARD_QUERIES = 13


class DashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = build_world()
        today = timezone.localdate()
        cls.fresh = agreement(
            w.alice,
            "PKS air bersih",
            w.dinkes,
            [w.unila, w.bank],
            signed_on=today - datetime.timedelta(days=30),
            effective_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=100),
            financing="apbd",
            value=Decimal(500_000_000),
        )
        cls.old = agreement(
            w.alice,
            "PKS lama",
            w.dispar,
            [w.bank],
            signed_on=today - datetime.timedelta(days=800),
            effective_on=today - datetime.timedelta(days=800),
            ends_on=today - datetime.timedelta(days=10),
            financing="apbd",
            value=Decimal(200_000_000),
        )
        period = Thresholds.for_day(today).due_period
        obligation = services.obligation_create(actor=w.oscar, agreement=w.pks, fields={"description": "Layanan"})
        line = services.budget_line_create(
            actor=w.oscar,
            agreement=w.pks,
            fields={"description": "Operasional", "party": "ours", "source": "apbd", "planned": 100_000_000},
        )
        on_time = timezone.make_aware(
            datetime.datetime.combine(period.ends_on + datetime.timedelta(days=5), datetime.time(9))
        )
        with time_machine.travel(on_time, tick=False):
            report = services.report_start(actor=w.oscar, agreement=w.pks, period=period)
            services.report_save(
                actor=w.oscar,
                report=report,
                summary="Berjalan",
                obligation_updates={obligation.pk: ("partly_met", period.ends_on)},
                realisations={line.pk: Decimal(40_000_000)},
                beneficiaries=[
                    services.BeneficiaryInput("patients", 420, "Register pasien"),
                    services.BeneficiaryInput("women", 80, "Daftar hadir"),
                ],
            )
            services.report_submit(actor=w.oscar, report=report)
        services.report_verify(actor=w.alice, report=report)

    def data(self, user):
        return selectors.dashboard(access.agreements_visible_to(user), by_government=user.role == "supervisor")

    def test_it_counts_what_the_admin_and_the_leader_see(self):
        for user in (self.world.alice, self.world.lena):
            data = self.data(user)
            statuses = {row["key"]: row["count"] for row in data.statuses}
            self.assertEqual(
                statuses, {"draft": 0, "active": 4, "expiring": 1, "expired": 1, "terminated": 0, "archived": 0}
            )
            signals = {row["key"]: row["count"] for row in data.signals}
            self.assertEqual(
                signals,
                {"paper_only": 2, "dormant": 2, "report_overdue": 2, "off_track": 0, "expired": 1, "expiring": 1},
            )
            self.assertEqual(
                {row["key"]: (row["count"], row["value"]) for row in data.partner_types},
                {"university": (3, Decimal(500_000_000)), "bank": (4, Decimal(700_000_000))},
            )
            self.assertEqual({row["key"]: row["count"] for row in data.categories}["ksdpk"], 6)
            self.assertEqual(
                (data.beneficiaries, data.realised, data.planned), (500, Decimal(40_000_000), Decimal(100_000_000))
            )
            self.assertEqual(sum(row["count"] for row in data.timeline), 1)
            self.assertEqual(len(data.timeline), 13)
            league = [
                (row["lead_agency__name"], row["expected"], row["on_time"], row["verified"], row["rate"])
                for row in data.league
            ]
            self.assertEqual(league, [("Dinas Kesehatan", 1, 1, 1, 100), ("Dinas Pariwisata", 3, 0, 0, 0)])
            self.assertEqual(
                sorted(a.title for a in data.worst[:2]), ["PKS desa wisata Pahawang", "PKS promosi wisata pantai"]
            )
            self.assertEqual([a.health_score for a in data.worst], [12, 12, 2, 1])

    def test_an_opd_officer_sees_only_the_agreements_visible_to_them(self):
        data = self.data(self.world.olga)
        statuses = {row["key"]: row["count"] for row in data.statuses}
        self.assertEqual((statuses["active"], statuses["expired"], statuses["expiring"]), (2, 1, 0))
        self.assertEqual(data.beneficiaries, 0)

    def test_a_supervisor_sees_the_governments_below_side_by_side(self):
        data = self.data(self.world.vera)
        rows = {row["government__code"]: row for row in data.governments}
        self.assertEqual(set(rows), {"18.01", "18.09"})
        self.assertEqual(
            (rows["18.09"]["total"], rows["18.09"]["paper_only"], rows["18.09"]["beneficiaries"]), (6, 2, 500)
        )
        self.assertEqual((rows["18.01"]["total"], rows["18.01"]["report_overdue"]), (1, 1))
        response = self.client_for(self.world.vera).get("/app/dashboard/")
        self.assertContains(response, "Kabupaten Lampung Selatan")
        self.assertContains(response, "Kabupaten Pesawaran")
        self.assertEqual(self.client_for(self.world.alice).get("/app/dashboard/").context["data"].governments, [])

    def client_for(self, user):
        self.client.force_login(user)
        return self.client

    def test_the_page_draws_every_chart_from_embedded_json_with_a_table_and_drill_downs(self):
        response = self.client_for(self.world.alice).get("/app/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="chart-data"')
        self.assertContains(response, "/static/vendor/chartjs/chart.umd.min.js")
        self.assertNotContains(response, "<script>")  # no inline scripts: CSP allows 'self' only
        for chart in ("signals", "timeline", "category", "partner_type", "agency"):
            self.assertContains(response, f'data-chart="{chart}"')
        self.assertContains(response, "/app/agreements/?partner_type=bank")
        self.assertContains(response, "/app/monitoring/signals/?signal=dormant")
        chart = response.context["chart_data"]["signals"]
        self.assertEqual((len(chart["labels"]), len(chart["values"]), len(chart["urls"])), (6, 6, 6))
        self.assertEqual(sum(response.context["counts"].values()), 6)
        self.assertEqual(self.client.get("/app/dashboard/").status_code, 200)

    def test_the_drill_down_lists_the_flagged_agreements_with_reasons(self):
        client = self.client_for(self.world.alice)
        response = client.get("/app/monitoring/signals/?signal=paper_only")
        titles = sorted(agreement.title for agreement, _reasons in response.context["rows"])
        self.assertEqual(titles, ["PKS desa wisata Pahawang", "PKS promosi wisata pantai"])
        month = (timezone.localdate() + datetime.timedelta(days=100)).strftime("%Y-%m")
        response = client.get(f"/app/monitoring/signals/?ends_month={month}")
        self.assertEqual([a.title for a, _r in response.context["rows"]], ["PKS air bersih"])
        self.client_for(self.world.sam)
        rows = self.client.get("/app/monitoring/signals/?signal=paper_only").context["rows"]
        self.assertEqual([a.title for a, _r in rows], ["PKS Lampung Selatan"])  # his own, never Pesawaran's

    def test_its_query_count_is_pinned_and_does_not_grow_with_agreements(self):
        visible = access.agreements_visible_to(self.world.alice)
        with self.assertNumQueries(DASHBOARD_QUERIES):
            selectors.dashboard(visible)
        client = self.client_for(self.world.alice)
        client.get("/app/dashboard/")  # computes and stores the day's summary
        with CaptureQueriesContext(connection) as before:
            client.get("/app/dashboard/")
        today = timezone.localdate()
        for number in range(15):
            agreement(
                self.world.alice,
                f"PKS tambahan {number}",
                self.world.dispar if number % 2 else self.world.dinkes,
                [self.world.bank],
                signed_on=today - datetime.timedelta(days=300 + number),
                value=Decimal(1_000_000 * number),
            )
        with self.assertNumQueries(DASHBOARD_QUERIES):
            selectors.dashboard(visible)
        with CaptureQueriesContext(connection) as stale:
            response = client.get("/app/dashboard/")  # the summary is stale: recomputed once
        self.assertEqual(sum(response.context["counts"].values()), 21)
        with CaptureQueriesContext(connection) as after:
            client.get("/app/dashboard/")
        self.assertEqual(len(after), len(before))
        self.assertGreater(len(stale), len(after))
