"""The work queue, the workflow panel, the proposal form and the settings page."""

import datetime

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from personas import build_world
from workflow.flow import PDF, propose, walk_to

from jalin.workflow import stages
from jalin.workflow.models import Process, Stage, WorkflowSettings


class InboxTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        cache.clear()

    def get_inbox(self, user):
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("workflow:inbox"))
        self.assertEqual(response.status_code, 200)
        return response, len(queries.captured_queries)

    def test_it_shows_each_role_what_waits_for_them(self):
        at_initiation = propose(self.w, title="Usulan di OPD")
        at_tkksd = walk_to(self.w, propose(self.w, title="Usulan di TKKSD"), Stage.TKKSD_ASSESSMENT)
        oscar, _n = self.get_inbox(self.w.oscar)
        self.assertEqual([p.pk for p in oscar.context["awaiting"]], [at_initiation.pk])
        tara, _n = self.get_inbox(self.w.tara)
        self.assertEqual([p.pk for p in tara.context["awaiting"]], [at_tkksd.pk])
        alice, _n = self.get_inbox(self.w.alice)
        self.assertEqual([p.pk for p in alice.context["awaiting"]], [at_tkksd.pk])
        olga, _n = self.get_inbox(self.w.olga)
        self.assertEqual(olga.context["awaiting"], [])
        self.assertEqual(olga.context["in_progress"], [])  # another agency's proposals are not visible

    def test_it_says_what_is_late_and_why(self):
        process = walk_to(self.w, propose(self.w), Stage.TKKSD_ASSESSMENT)
        Process.objects.filter(pk=process.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
        response, _n = self.get_inbox(self.w.alice)
        self.assertEqual([p.pk for p in response.context["late"]], [process.pk])
        self.assertContains(response, "terlambat 3 hari")

    def test_its_query_count_does_not_grow_with_rows(self):
        walk_to(self.w, propose(self.w, title="Satu"), Stage.TKKSD_ASSESSMENT)
        _response, few = self.get_inbox(self.w.alice)
        for index in range(6):
            walk_to(self.w, propose(self.w, title=f"Usulan {index}"), Stage.TKKSD_ASSESSMENT)
        cache.clear()
        response, many = self.get_inbox(self.w.alice)
        self.assertEqual(len(response.context["awaiting"]), 7)
        self.assertEqual(few, many)
        # session, user, the queue's sections (returned reports, reports to verify, the other
        # verifiers, proposals, notifications), in progress, government
        self.assertLessEqual(many, 10)

    def test_the_header_counts_cost_no_query_once_cached(self):
        walk_to(self.w, propose(self.w), Stage.TKKSD_ASSESSMENT)
        self.client.force_login(self.w.alice)  # login computes the counts
        response = self.client.get(reverse("agreements:list"))
        self.assertEqual(response.context["inbox_count"], 1)
        self.assertEqual(response.context["notifications_url"], reverse("notifications:list"))
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("agreements:list"))
        self.assertFalse([q for q in queries.captured_queries if "workflow_process" in q["sql"]])
        # A transition in the government refreshes them (once committed).
        with self.captureOnCommitCallbacks(execute=True):
            walk_to(self.w, propose(self.w, title="Kedua"), Stage.TKKSD_ASSESSMENT)
        response = self.client.get(reverse("agreements:list"))
        self.assertEqual(response.context["inbox_count"], 2)


class PanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def panel(self, user, agreement):
        self.client.force_login(user)
        return self.client.get(reverse("workflow:panel", args=[agreement.pk]), HTTP_HX_REQUEST="true")

    def test_the_detail_page_loads_the_panel(self):
        process = propose(self.w)
        self.client.force_login(self.w.oscar)
        response = self.client.get(reverse("agreements:detail", args=[process.agreement_id]))
        self.assertContains(response, reverse("workflow:panel", args=[process.agreement_id]))

    def test_it_shows_stage_actor_checklist_and_only_allowed_buttons(self):
        process = walk_to(self.w, propose(self.w), Stage.TKKSD_ASSESSMENT)
        reviewer = self.panel(self.w.tara, process.agreement).content.decode()
        self.assertIn('data-stage="tkksd_assessment"', reviewer)
        self.assertIn(f'data-transition="{stages.SEND_BACK}"', reviewer)
        self.assertNotIn(f'data-transition="{stages.RECOMMEND}"', reviewer)
        admin = self.panel(self.w.alice, process.agreement).content.decode()
        self.assertIn(f'data-transition="{stages.RECOMMEND}"', admin)
        self.assertIn(f'data-transition="{stages.REJECT}"', admin)
        leader = self.panel(self.w.lena, process.agreement).content.decode()
        self.assertNotIn("data-transition=", leader)
        self.assertIn("data-stage=", leader)

    def test_another_government_gets_404(self):
        process = propose(self.w)
        self.assertEqual(self.panel(self.w.sam, process.agreement).status_code, 404)

    def test_posting_a_transition_through_the_page(self):
        process = propose(self.w)
        self.client.force_login(self.w.oscar)
        response = self.client.post(reverse("workflow:transition", args=[process.pk, stages.SUBMIT]))
        self.assertRedirects(
            response,
            reverse("agreements:detail", args=[process.agreement_id]) + "#workflow",
            fetch_redirect_response=False,
        )
        process.refresh_from_db()
        self.assertEqual(process.stage, Stage.TKKSD_ASSESSMENT)
        # The leader posting a transition is refused with 403.
        self.client.force_login(self.w.lena)
        response = self.client.post(
            reverse("workflow:transition", args=[process.pk, stages.RECOMMEND]), {"recommendation": "recommended"}
        )
        self.assertEqual(response.status_code, 403)

    def test_generating_a_docx_draft_stores_a_version(self):
        process = walk_to(self.w, propose(self.w), Stage.UMBRELLA_DRAFTING)
        self.client.force_login(self.w.alice)
        self.client.post(reverse("workflow:draft", args=[process.pk, "umbrella"]))
        self.client.post(reverse("workflow:draft", args=[process.pk, "umbrella"]))
        drafts = process.agreement.documents.filter(kind="draft").order_by("version")
        self.assertEqual([d.version for d in drafts], [1, 2])
        import io

        import docx

        with drafts[0].file.open("rb") as handle:
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
        for expected in (
            "KESEPAKATAN BERSAMA",
            "USULAN TELEMEDISIN PUSKESMAS",
            "Universitas Lampung",
            "KEADAAN KAHAR",
            "PENYELESAIAN PERSELISIHAN",
            "PENGAKHIRAN",
            "PEMBIAYAAN",
            "JANGKA WAKTU",
            "PENUTUP",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("{{", text)


class ProposalPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_an_officer_proposes_with_the_feasibility_study_and_kak(self):
        self.client.force_login(self.w.oscar)
        response = self.client.post(
            reverse("workflow:propose"),
            {
                "origin": "agency",
                "category": "ksdpk",
                "title": "Usulan posyandu digital",
                "partners": [self.w.unila.pk],
                "object": "Posyandu digital",
                "intended_benefits": "Balita terpantau",
                "lead_agency": self.w.dinkes.pk,
                "financing": "apbd",
                "burdens_citizens": "no",
                "funding_in_current_apbd": "yes",
                "feasibility": SimpleUploadedFile("kajian.pdf", PDF, content_type="application/pdf"),
                "terms_of_reference": SimpleUploadedFile("kak.pdf", PDF, content_type="application/pdf"),
            },
        )
        process = Process.objects.get(agreement__title="Usulan posyandu digital")
        self.assertRedirects(
            response,
            reverse("agreements:detail", args=[process.agreement_id]) + "#workflow",
            fetch_redirect_response=False,
        )
        self.assertEqual((process.burdens_citizens, process.funding_in_current_apbd), (False, True))
        self.assertEqual(process.checklist_documents.count(), 2)

    def test_the_reviewer_cannot_propose(self):
        self.client.force_login(self.w.tara)
        self.assertEqual(self.client.get(reverse("workflow:propose")).status_code, 403)


class SettingsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def form(self, **changes):
        data = {
            "ksb_validity_months": 12,
            "dprd_response_days": 45,
            "reporting_period_months": 3,
            "tkksd_review_days": 10,
            "offer_response_days": 30,
            "drafting_days": 30,
            "central_approval_days": 60,
            "expiry_reminder_days": "120, 60,30",
            "expiry_overrides": "ksdpl=365,180,90",
            "escalate_after": 2,
        }
        data.update(changes)
        return data

    def test_the_admin_edits_the_rules_and_new_due_dates_follow_them(self):
        self.client.force_login(self.w.alice)
        response = self.client.post(reverse("workflow:settings"), self.form())
        self.assertRedirects(response, reverse("workflow:settings"))
        rules = WorkflowSettings.objects.get(government=self.w.pesawaran)
        self.assertEqual((rules.dprd_response_days, rules.expiry_reminder_days), (45, "120,60,30"))
        self.assertEqual(rules.expiry_days_for("ksdpl"), [365, 180, 90])
        process = walk_to(self.w, propose(self.w), Stage.TKKSD_ASSESSMENT)
        self.assertEqual(process.due_on, timezone.localdate() + datetime.timedelta(days=10))

    def test_bad_values_change_nothing(self):
        self.client.force_login(self.w.alice)
        response = self.client.post(
            reverse("workflow:settings"), self.form(expiry_reminder_days="soon", expiry_overrides="mars=1")
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(WorkflowSettings.objects.exists())

    def test_only_the_admin_may(self):
        for user in (self.w.oscar, self.w.tara, self.w.lena):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("workflow:settings")).status_code, 403)


class AfterSigningPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_extend_amend_and_terminate_through_the_panel_forms(self):
        self.client.force_login(self.w.alice)
        panel = self.client.get(reverse("workflow:panel", args=[self.w.tourism.pk]), HTTP_HX_REQUEST="true")
        self.assertContains(panel, reverse("workflow:terminate", args=[self.w.tourism.pk]))
        self.client.post(
            reverse("workflow:amend", args=[self.w.pks.pk]), {"addendum_title": "", "rationale": "Tambah lokasi"}
        )
        self.assertEqual(self.w.pks.children.get().amendment_record.rationale, "Tambah lokasi")
        self.client.post(
            reverse("workflow:extend", args=[self.w.published.pk]),
            {"burdens_citizens": "no", "funding_in_current_apbd": "yes"},
        )
        self.assertEqual(self.w.published.renewals.get().process.stage, Stage.INITIATION)
        today = timezone.localdate()
        self.client.post(
            reverse("workflow:terminate", args=[self.w.tourism.pk]),
            {"ground": "agreed", "terminated_on": today.isoformat(), "surviving_obligations": "Kerahasiaan"},
        )
        self.w.tourism.refresh_from_db()
        self.assertEqual(self.w.tourism.terminated_on, today)
        # The OPD officer may not terminate: 403.
        self.client.force_login(self.w.oscar)
        response = self.client.post(
            reverse("workflow:terminate", args=[self.w.pks.pk]),
            {"ground": "agreed", "terminated_on": today.isoformat()},
        )
        self.assertEqual(response.status_code, 403)
        self.w.pks.refresh_from_db()
        self.assertIsNone(self.w.pks.terminated_on)
