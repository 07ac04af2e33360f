"""Every hand-over notifies the people the who-acts-next table names: in-app and by e-mail,
in their language, with a link to the exact item, exactly once."""

import datetime
from decimal import Decimal

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from personas import _user, build_world

from jalin.accounts.models import Role
from jalin.lib import handovers
from jalin.monitoring import services as monitoring
from jalin.monitoring.periods import period_containing
from jalin.notifications.models import Notification
from jalin.notifications.services import digests_send, preference_for, preference_update
from jalin.portal.services import feedback_submit
from jalin.workflow import services as workflow
from jalin.workflow.models import Stage

SITE = "http://127.0.0.1:8113"


@override_settings(SITE_URL=SITE)
class HandoverTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        w = cls.w
        cls.otto = _user("otto", w.pesawaran, Role.OPD_OFFICER, w.dinkes)  # Oscar's colleague in Dinkes
        cls.period = period_containing(w.pks.signed_on + datetime.timedelta(days=200))
        cls.indicator = monitoring.indicator_create(
            actor=w.oscar,
            agreement=w.pks,
            fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 12, "unit": "desa"},
        )
        preference_update(actor=w.alice, language="en", email_digest=True)  # Alice reads English

    def setUp(self):
        immediate = HUEY.immediate
        HUEY.immediate = True  # the worker's tasks run in the test
        self.addCleanup(setattr, HUEY, "immediate", immediate)

    def submitted(self):
        w = self.w
        report = monitoring.report_start(actor=w.oscar, agreement=w.pks, period=self.period)
        report = monitoring.report_save(
            actor=w.oscar, report=report, summary="Enam desa", indicator_values={self.indicator.pk: Decimal(6)}
        )
        with self.captureOnCommitCallbacks(execute=True):
            return monitoring.report_submit(actor=w.oscar, report=report)

    def told(self, kind):
        return sorted(n.user.username for n in Notification.objects.filter(kind=kind).select_related("user"))

    def test_it_tells_the_verifiers_of_a_submitted_report_in_their_language(self):
        report = self.submitted()
        self.assertEqual(self.told("report_submitted"), ["alice"])  # not Sam of Lampung Selatan, not Oscar himself
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@example.go.id"])
        self.assertTrue(message.subject.startswith("Progress report to verify"))  # English, her choice
        self.assertIn(f"{SITE}{reverse('monitoring:report', args=[report.pk])}", message.body)
        notification = Notification.objects.get(kind="report_submitted")
        self.assertEqual(notification.link, reverse("monitoring:report", args=[report.pk]))
        self.assertIsNotNone(notification.emailed_at)
        self.assertEqual(notification.text_in("id")[0][:25], "Laporan kemajuan perlu di")

    def test_it_sends_nothing_twice_for_a_retried_hand_over(self):
        report = self.submitted()
        again = {
            "state": "report.submitted",
            "key": Notification.objects.get(kind="report_submitted").key,
            "government_id": self.w.pesawaran.pk,
            "agreement_id": report.agreement_id,
            "object_id": report.pk,
            "actor_id": self.w.oscar.pk,
        }
        with self.captureOnCommitCallbacks(execute=True):
            handovers.announce(**again)  # the worker retried the hand-over
        self.assertEqual(Notification.objects.filter(kind="report_submitted").count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_it_tells_the_agency_why_a_report_was_returned_in_full(self):
        report = self.submitted()
        mail.outbox.clear()
        reason = "Foto bukti tidak ada. " + "Lengkapi daftar desa yang dilayani dan lampirkan daftar hadir. " * 5
        with self.captureOnCommitCallbacks(execute=True):
            monitoring.report_return(actor=self.w.alice, report=report, reason=reason)
        self.assertEqual(self.told("report_returned"), ["oscar", "otto"])  # not Olga of another agency
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["oscar@example.go.id", "otto@example.go.id"])
        for message in mail.outbox:
            self.assertIn(reason.strip(), message.body)  # the reason in full, not cut
            self.assertTrue(message.subject.startswith("Laporan kemajuan dikembalikan"))  # Indonesian by default

    def test_it_tells_the_agency_what_shows_publicly_once_verified(self):
        report = self.submitted()
        self.w.pks.__class__.objects.filter(pk=self.w.pks.pk).update(is_public=True)
        with self.captureOnCommitCallbacks(execute=True):
            monitoring.report_verify(actor=self.w.alice, report=report)
        self.assertEqual(self.told("report_verified"), ["oscar", "otto"])
        notification = Notification.objects.filter(kind="report_verified", user=self.w.oscar).get()
        self.assertIn("Desa terlayani: 6 desa", notification.text_in("id")[1])
        self.assertIn("Desa terlayani: 6 desa", notification.text_in("en")[1])

    def test_it_tells_the_moderators_of_new_feedback_in_app(self):
        with self.captureOnCommitCallbacks(execute=True):
            submitted = feedback_submit(
                agreement_id=self.w.published.pk,
                fields={"kind": "aspiration", "message": "Kapan layanan dibuka di desa kami?"},
                sender_address="203.0.113.5",
            )
        self.assertEqual(self.told("feedback"), ["alice", "olga"])  # the admin and the lead agency (Dispar)
        notification = Notification.objects.filter(kind="feedback", user=self.w.olga).get()
        self.assertEqual(notification.link, reverse("portal:moderate", args=[submitted.feedback.pk]))
        self.assertIn("Kapan layanan dibuka", notification.reason)

    def test_it_tells_the_actors_of_a_workflow_stage(self):
        from workflow.flow import propose

        process = propose(self.w, title="Usulan Puskesmas keliling")
        with self.captureOnCommitCallbacks(execute=True):
            workflow.transition_apply(actor=self.w.oscar, process=process, name="submit", data={})
        self.assertEqual(sorted(self.told("workflow")), ["alice", "tara"])
        self.assertEqual(process.__class__.objects.get(pk=process.pk).stage, Stage.TKKSD_ASSESSMENT)

    def test_it_keeps_a_hand_over_for_the_digest_when_asked(self):
        preference = preference_for(self.w.alice)
        preference.email_at_once = False
        preference.save()
        self.submitted()
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(self.told("report_submitted"), ["alice"])
        self.assertEqual(digests_send(today=timezone.localdate()), ["alice@example.go.id"])
        self.assertIn("Progress report to verify", mail.outbox[0].body)
