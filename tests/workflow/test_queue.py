"""The work queue: the one list of everything that waits on the user, read from the
who-acts-next table (reports to verify, returned and due reports, proposals), the same in
the page, the dashboard panel and the API."""

import datetime
from decimal import Decimal

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from personas import _user, agreement, build_world

from jalin.accounts.models import Role
from jalin.accounts.tokens import api_token_create
from jalin.monitoring import services as monitoring
from jalin.monitoring.models import ProgressReport, ReportStatus
from jalin.monitoring.periods import period_containing

NOW = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class QueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with time_machine.travel(NOW, tick=False):
            cls.w = build_world()
            w = cls.w
            cls.adi = _user("adi", w.pesawaran, Role.ADMIN)  # a second verifier
            cls.indicator = monitoring.indicator_create(
                actor=w.oscar,
                agreement=w.pks,
                fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 12, "unit": "desa"},
            )
            cls.period = period_containing(datetime.date(2026, 3, 1))  # semester 1 2026

    def setUp(self):
        cache.clear()

    def report(self, actor, agreement, period, value, submit=True):
        report = monitoring.report_start(actor=actor, agreement=agreement, period=period)
        values = {self.indicator.pk: Decimal(value)} if agreement == self.w.pks else {}
        report = monitoring.report_save(actor=actor, report=report, summary="Kemajuan", indicator_values=values)
        return monitoring.report_submit(actor=actor, report=report) if submit else report

    def inbox(self, user):
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("workflow:inbox"))
        self.assertEqual(response.status_code, 200)
        return response, len(queries.captured_queries)

    def section(self, response, key):
        return next((s for s in response.context["sections"] if s.key == key), None)

    def test_the_division_sees_every_report_to_verify_oldest_first_with_what_changed(self):
        previous = self.report(self.w.oscar, self.w.pks, self.period.previous(), 4)
        monitoring.report_verify(actor=self.w.alice, report=previous)
        with time_machine.travel(NOW - datetime.timedelta(days=9), tick=False):
            older = self.report(self.w.olga, self.w.tourism, self.period, 0)
        newer = self.report(self.w.oscar, self.w.pks, self.period, 6)
        response, _n = self.inbox(self.w.alice)
        entries = self.section(response, "reports_to_verify").entries
        self.assertEqual([e.obj.pk for e in entries], [older.pk, newer.pk])
        self.assertEqual(entries[0].obj.queue_age, 9)
        self.assertEqual(entries[1].obj.queue_changes, ["Desa terlayani: 4 → 6 desa"])
        self.assertContains(response, "<td>Dispar</td>", html=False)
        self.assertContains(response, "Semester 1 2026")
        self.assertContains(response, "9 hari")

    def test_an_admin_of_another_government_sees_nothing(self):
        self.report(self.w.oscar, self.w.pks, self.period, 6)
        response, _n = self.inbox(self.w.sam)
        self.assertEqual(self.section(response, "reports_to_verify").entries, [])
        self.assertEqual(response.context["waiting_count"], 0)
        self.client.force_login(self.w.lena)  # the leader verifies nothing
        self.assertIsNone(self.section(self.client.get(reverse("workflow:inbox")), "reports_to_verify"))

    def test_it_verifies_and_returns_straight_from_the_queue(self):
        first = self.report(self.w.oscar, self.w.pks, self.period, 6)
        second = self.report(self.w.olga, self.w.tourism, self.period, 0)
        inbox = reverse("workflow:inbox")
        self.client.force_login(self.w.alice)
        response = self.client.post(reverse("monitoring:report-verify", args=[first.pk]), {"next": inbox})
        self.assertRedirects(response, inbox, fetch_redirect_response=False)
        refused = self.client.post(reverse("monitoring:report-return", args=[second.pk]), {"next": inbox, "reason": ""})
        self.assertRedirects(refused, inbox, fetch_redirect_response=False)
        self.assertEqual(
            ProgressReport.objects.get(pk=second.pk).status, ReportStatus.SUBMITTED
        )  # a reason is required
        self.client.post(
            reverse("monitoring:report-return", args=[second.pk]), {"next": inbox, "reason": "Foto kurang"}
        )
        statuses = dict(ProgressReport.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "status"))
        self.assertEqual(statuses, {first.pk: ReportStatus.VERIFIED, second.pk: ReportStatus.RETURNED})
        elsewhere = self.client.post(
            reverse("monitoring:report-verify", args=[first.pk]), {"next": "https://evil.example/"}
        )
        self.assertEqual(elsewhere.url, reverse("monitoring:report", args=[first.pk]))  # never off-site

    def test_a_report_i_submitted_names_who_else_can_verify_it(self):
        self.report(self.w.alice, self.w.pks, self.period, 6)
        response, _n = self.inbox(self.w.alice)
        entry = self.section(response, "reports_to_verify").entries[0]
        self.assertTrue(entry.obj.queue_own)
        self.assertContains(response, "verifikator lain harus memeriksanya")
        self.assertContains(response, "Adi")
        self.assertNotContains(response, reverse("monitoring:report-verify", args=[entry.obj.pk]))

    def test_its_query_count_does_not_grow_with_rows(self):
        self.report(self.w.oscar, self.w.pks, self.period, 6)
        _response, few = self.inbox(self.w.alice)
        for index in range(4):
            extra = agreement(self.w.alice, f"PKS tambahan {index}", self.w.dinkes, [self.w.unila])
            self.report(self.w.oscar, extra, self.period, 0)
        cache.clear()
        response, many = self.inbox(self.w.alice)
        self.assertEqual(len(self.section(response, "reports_to_verify").entries), 5)
        self.assertEqual(few, many)

    def test_an_officer_sees_their_returned_reports_on_top_and_what_is_due(self):
        report = self.report(self.w.oscar, self.w.pks, self.period, 6)
        monitoring.report_return(actor=self.w.alice, report=report, reason="Lampirkan daftar hadir pasien.")
        unreported = agreement(self.w.alice, "PKS ambulans desa", self.w.dinkes, [self.w.unila])
        response, _n = self.inbox(self.w.oscar)
        keys = [section.key for section in response.context["sections"]]
        self.assertEqual(keys[0], "reports_returned")
        self.assertEqual([e.obj.pk for e in self.section(response, "reports_returned").entries], [report.pk])
        self.assertContains(response, "Lampirkan daftar hadir pasien.")
        due = self.section(response, "reports_due")
        self.assertIn(unreported.pk, [e.agreement_id for e in due.entries])  # Dinkes's, no report yet
        self.assertNotIn(self.w.ksb.pk, [e.agreement_id for e in due.entries])  # an umbrella KSB does not report
        self.assertNotIn(self.w.tourism.pk, [e.agreement_id for e in due.entries])  # Dispar's
        self.assertNotIn(self.w.pks.pk, [e.agreement_id for e in due.entries])  # reported (returned)
        olga, _n = self.inbox(self.w.olga)
        self.assertEqual(self.section(olga, "reports_returned").entries, [])

    def test_the_dashboard_panel_and_the_api_read_the_same_queue(self):
        self.report(self.w.oscar, self.w.pks, self.period, 6)
        self.client.force_login(self.w.alice)
        dashboard = self.client.get(reverse("monitoring:dashboard"))
        self.assertContains(dashboard, "Perlu tindakan Anda")
        self.assertContains(dashboard, reverse("workflow:inbox"))
        self.assertContains(dashboard, "1 pekerjaan menunggu Anda")
        token = api_token_create(actor=None, user=self.w.alice, name="tests")[1]
        self.client.logout()
        body = self.client.get("/api/v1/queue", headers={"authorization": f"Token {token}"}).json()
        self.assertEqual(body["count"], 1)
        entry = next(s for s in body["sections"] if s["key"] == "reports_to_verify")["entries"][0]
        self.assertEqual(entry["state"], "report.submitted")
        self.assertEqual(entry["agreement"], self.w.pks.pk)
        self.assertEqual(entry["age_days"], 0)
        sam = api_token_create(actor=None, user=self.w.sam, name="tests")[1]
        self.assertEqual(self.client.get("/api/v1/queue", headers={"authorization": f"Token {sam}"}).json()["count"], 0)
        self.assertEqual(timezone.localdate().isoformat(), "2026-11-20")
