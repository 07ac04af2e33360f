"""Stored per-government summaries: they add up to exactly what computing the dashboard now
gives, they are read (not recomputed) while nothing changed, and any audited change or a new
day makes them stale at once."""

import datetime
import io
from decimal import Decimal

from dashboard_support import figures
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from personas import agreement, build_world

from jalin.accounts import access
from jalin.accounts.models import Role, User
from jalin.agreements.services import agreement_archive
from jalin.audit.revisions import revisions
from jalin.monitoring import selectors, services, tasks
from jalin.monitoring.health import Thresholds
from jalin.monitoring.models import DashboardSummary
from jalin.monitoring.views import LEAGUE_ENDS_SHOWN, _league_rows


class DashboardSummaryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = build_world()
        today = timezone.localdate()
        agreement(w.alice, "PKS berakhir", w.dinkes, [w.bank], ends_on=today + datetime.timedelta(days=40), value=7)
        period = Thresholds.for_day(today).due_period
        line = services.budget_line_create(
            actor=w.oscar,
            agreement=w.pks,
            fields={"description": "Operasional", "party": "ours", "source": "apbd", "planned": 90_000_000},
        )
        report = services.report_start(actor=w.oscar, agreement=w.pks, period=period)
        services.report_save(
            actor=w.oscar,
            report=report,
            summary="Berjalan",
            realisations={line.pk: Decimal(30_000_000)},
            beneficiaries=[services.BeneficiaryInput("patients", 120, "Register pasien")],
        )
        services.report_submit(actor=w.oscar, report=report)
        services.report_verify(actor=w.alice, report=report)

    def both(self, user):
        """(from stored summaries, computed now) for a user who sees whole governments."""
        supervisor = user.role == "supervisor"
        governments = access.whole_governments_visible_to(user)
        stored = selectors.government_dashboard(governments, by_government=supervisor)
        now = selectors.dashboard(access.agreements_visible_to(user), by_government=supervisor)
        return stored, now

    def test_stored_summaries_add_up_to_the_figures_computed_now(self):
        for user in (self.world.alice, self.world.sam, self.world.vera):
            for visit in ("computes and stores", "reads what was stored"):
                with self.subTest(user=user.username, visit=visit):
                    stored, now = self.both(user)
                    self.assertEqual(figures(stored), figures(now))
        self.assertEqual(figures(stored)["money"], (120, Decimal(90_000_000), Decimal(30_000_000)))
        self.assertEqual([row[0] for row in figures(stored)["governments"]], ["18.01", "18.09"])
        self.assertEqual(DashboardSummary.objects.count(), 3)  # the province itself has none yet: 0s

    def test_only_whole_government_readers_use_summaries(self):
        w = self.world
        self.assertEqual(access.whole_governments_visible_to(w.alice), [w.pesawaran.pk])
        self.assertEqual(
            sorted(access.whole_governments_visible_to(w.vera)), sorted([w.province.pk, w.pesawaran.pk, w.lamsel.pk])
        )
        self.assertIsNone(access.whole_governments_visible_to(w.olga))  # part of a government only
        self.assertIsNone(access.whole_governments_visible_to(AnonymousUser()))

    def test_a_fresh_summary_is_read_not_recomputed_whatever_the_number_of_governments(self):
        w = self.world
        selectors.government_dashboard([w.pesawaran.pk])
        # revisions, stored summaries, the details of the worst agreements shown
        with self.assertNumQueries(3):
            selectors.government_dashboard([w.pesawaran.pk])
        governments = access.whole_governments_visible_to(w.vera)
        selectors.government_dashboard(governments)
        # several governments: their sum is cached under their revisions
        with self.assertNumQueries(2):
            data = selectors.government_dashboard(governments, by_government=True)
        self.assertEqual(
            figures(data), figures(selectors.dashboard(access.agreements_visible_to(w.vera), by_government=True))
        )
        agreement(w.sam, "PKS baru", w.lamsel_agency, [w.lamsel_partner])
        changed = selectors.government_dashboard(governments, by_government=True)
        self.assertEqual({r["government__code"]: r["total"] for r in changed.governments}["18.01"], 2)

    def test_an_audited_change_shows_at_once(self):
        w = self.world
        governments = [w.pesawaran.pk]
        before = selectors.government_dashboard(governments)
        active = {row["key"]: row["count"] for row in before.statuses}["active"]
        agreement(w.alice, "PKS baru", w.dispar, [w.unila], value=Decimal(1_000))
        after = selectors.government_dashboard(governments)
        self.assertEqual({row["key"]: row["count"] for row in after.statuses}["active"], active + 1)
        agreement_archive(actor=w.alice, agreement=w.tourism, reason="Dobel")
        archived = selectors.government_dashboard(governments)
        self.assertEqual({row["key"]: row["count"] for row in archived.statuses}["archived"], 1)
        self.assertEqual(figures(archived), figures(selectors.dashboard(access.agreements_visible_to(w.alice))))

    def test_a_change_in_one_government_leaves_the_others_summaries_alone(self):
        w = self.world
        selectors.government_dashboard([w.pesawaran.pk, w.lamsel.pk])
        lamsel = DashboardSummary.objects.get(government=w.lamsel)
        agreement(w.alice, "PKS baru", w.dispar, [w.unila])
        self.assertEqual(selectors.refresh_summaries(government_ids=[w.pesawaran.pk, w.lamsel.pk]), 1)
        self.assertEqual(DashboardSummary.objects.get(government=w.lamsel).computed_at, lamsel.computed_at)

    def test_a_write_that_is_rolled_back_does_not_move_the_revision(self):
        w = self.world
        before = revisions([w.pesawaran.pk])
        with self.assertRaises(RuntimeError), transaction.atomic():
            agreement(w.alice, "PKS batal", w.dispar, [w.unila])
            self.assertNotEqual(revisions([w.pesawaran.pk]), before)
            raise RuntimeError("rolled back")
        self.assertEqual(revisions([w.pesawaran.pk]), before)

    def test_a_new_day_recomputes_the_summary(self):
        w = self.world
        today = timezone.localdate()
        later = today + datetime.timedelta(days=60)  # "PKS berakhir" has expired by then
        selectors.government_dashboard([w.pesawaran.pk], today=today)
        stored = selectors.government_dashboard([w.pesawaran.pk], today=later)
        self.assertEqual(DashboardSummary.objects.get(government=w.pesawaran).day, later)
        now = selectors.dashboard(access.agreements_visible_to(w.alice), today=later)
        self.assertEqual(figures(stored), figures(now))
        self.assertEqual({row["key"]: row["count"] for row in stored.statuses}["expired"], 1)

    def test_refresh_recomputes_only_what_is_stale(self):
        self.assertEqual(selectors.refresh_summaries(), 4)  # national, province, two regencies
        self.assertEqual(selectors.refresh_summaries(), 0)
        agreement(self.world.sam, "PKS baru", self.world.lamsel_agency, [self.world.lamsel_partner])
        self.assertEqual(selectors.refresh_summaries(), 1)

    def test_the_command_and_the_nightly_task_refresh_what_is_stale(self):
        out = io.StringIO()
        call_command("refresh_dashboard_summaries", "--government", "18.09", stdout=out)
        self.assertIn("1 ", out.getvalue())
        self.assertEqual(set(DashboardSummary.objects.values_list("government__code", flat=True)), {"18.09"})
        self.assertEqual(tasks.refresh_dashboard_summaries.call_local(), 3)  # the other three
        self.assertEqual(tasks.refresh_dashboard_summaries.call_local(), 0)

    def test_a_government_without_agreements_costs_no_summary_queries(self):
        w = self.world
        # revisions, stored summaries, which governments have agreements, one upsert: nothing
        # is aggregated for the province
        with self.assertNumQueries(4):
            selectors.refresh_summaries(government_ids=[w.province.pk])
        self.assertEqual(DashboardSummary.objects.get(government=w.province).data, selectors.empty_summary())
        data = selectors.government_dashboard([w.province.pk])
        self.assertEqual(sum(row["count"] for row in data.statuses), 0)
        self.assertEqual((data.worst, data.league, data.beneficiaries), ([], [], 0))

    def test_the_dashboard_page_reads_the_stored_summary(self):
        self.client.force_login(self.world.alice)
        self.client.get("/app/")
        summary = DashboardSummary.objects.get(government=self.world.pesawaran)
        summary.data["planned"] = "123.00"  # a marker: the page must show what is stored
        summary.save()
        response = self.client.get("/app/")
        self.assertEqual(response.context["data"].planned, Decimal("123.00"))


class LeagueRowsTests(TestCase):
    def test_a_long_league_shows_its_top_and_its_bottom(self):
        league = [{"lead_agency_id": n} for n in range(100)]
        rows = _league_rows(league)
        self.assertEqual(len(rows), 2 * LEAGUE_ENDS_SHOWN + 1)
        self.assertEqual([rank for rank, _row in rows[:2]], [1, 2])
        self.assertEqual(rows[LEAGUE_ENDS_SHOWN], (100 - 2 * LEAGUE_ENDS_SHOWN, None))
        self.assertEqual(rows[-1], (100, {"lead_agency_id": 99}))

    def test_a_short_league_is_shown_whole(self):
        league = [{"lead_agency_id": n} for n in range(2 * LEAGUE_ENDS_SHOWN + 1)]
        self.assertEqual([row for _rank, row in _league_rows(league)], league)


class NationalSupervisorTests(TestCase):
    def test_a_national_supervisor_compares_provinces_each_with_its_regencies(self):
        w = build_world()
        central = User.objects.create_user("nina", government=w.national, role=Role.SUPERVISOR)
        self.client.force_login(central)
        response = self.client.get("/app/")
        self.assertTrue(response.context["by_province"])
        rows = response.context["data"].governments
        self.assertEqual([(row["government__code"], row["total"]) for row in rows], [("18", 5)])  # 4 + 1
        self.assertContains(response, "Provinsi Lampung")
        self.assertNotContains(response, "Kabupaten Lampung Selatan <small")
        self.client.force_login(w.vera)  # a province supervisor still sees each regency
        self.assertFalse(self.client.get("/app/").context["by_province"])
