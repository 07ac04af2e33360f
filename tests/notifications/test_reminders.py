"""Staged reminders with a frozen clock: the schedule, the stop on renewal or termination,
overdue workflow steps, recipients, escalation, and digest grouping."""

import datetime
from unittest import mock

import time_machine
from django.core import mail
from django.test import TestCase, override_settings
from personas import agreement, build_world

from jalin.agreements.models import TerminationGround
from jalin.lib import reminders as sources
from jalin.lib.reminders import Reminder, collect, reminder_source
from jalin.notifications.models import Digest, Notification, SentReminder
from jalin.notifications.reminders import expiring_agreements, expiry_step
from jalin.notifications.services import digests_send, reminders_send, run_daily
from jalin.workflow.models import WorkflowSettings
from jalin.workflow.services import default_settings, extension_start, termination_record

DAY = datetime.timedelta(days=1)
START = datetime.date(2026, 1, 5)


def expiry_keys(today, agreement_):
    return sorted(r.key for r in collect(today) if r.kind == "expiry" and r.agreement.pk == agreement_.pk)


@time_machine.travel(datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC), tick=False)
class ExpiryScheduleTests(TestCase):
    """Only the expiry source runs here (other apps' sources are tested by their apps)."""

    def setUp(self):
        patcher = mock.patch.object(sources, "_sources", [expiring_agreements])
        patcher.start()
        self.addCleanup(patcher.stop)

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.w.dinkes.email = "kadinkes@example.go.id"
        cls.w.dinkes.save()
        # Ends 200 days from START: first reminder at 180 days before.
        cls.ending = agreement(
            cls.w.alice,
            "PKS ambulans desa",
            cls.w.dinkes,
            [cls.w.unila],
            number="180/9/PKS/2025",
            signed_on=START - 500 * DAY,
            effective_on=START - 500 * DAY,
            ends_on=START + 200 * DAY,
            liaison_officer=cls.w.oscar,
        )

    def sent_steps(self, days):
        """Run the daily job on each of `days` (offsets from START); return the keys sent."""
        keys = []
        for offset in days:
            lines = reminders_send(today=START + offset * DAY)
            keys += sorted({line.key for line in lines if line.key.startswith(f"expiry:{self.ending.pk}:")})
        return [key.rsplit(":", 1)[1] for key in keys]

    def test_the_steps_of_the_schedule(self):
        self.assertEqual(expiry_step(181, [180, 90, 30]), None)
        self.assertEqual(expiry_step(180, [180, 90, 30]), "180")
        self.assertEqual(expiry_step(91, [180, 90, 30]), "180")
        self.assertEqual(expiry_step(30, [180, 90, 30]), "30")
        self.assertEqual(expiry_step(23, [180, 90, 30]), "30w1")
        self.assertEqual(expiry_step(-5, [180, 90, 30]), "30w5")

    def test_it_reminds_at_180_90_30_days_then_weekly_once_each(self):
        # Every day for 260 days: each step is sent exactly once.
        steps = self.sent_steps(range(0, 260))
        self.assertEqual(steps[:4], ["180", "90", "30", "30w1"])
        self.assertEqual(len(steps), len(set(steps)))
        weekly = [s for s in steps if "w" in s]
        # From 23 days before the end to 60 days after: one a week.
        self.assertEqual(len(weekly), (30 + 59) // 7)

    def test_the_first_reminder_goes_out_180_days_before(self):
        self.assertEqual(expiry_keys(START + 19 * DAY, self.ending), [])
        self.assertEqual(
            expiry_keys(START + 20 * DAY, self.ending), [f"expiry:{self.ending.pk}:{self.ending.ends_on}:180"]
        )

    def test_it_stops_once_a_renewal_is_recorded(self):
        self.sent_steps([20])
        extension_start(actor=self.w.alice, agreement=self.ending)
        self.assertEqual(self.sent_steps(range(21, 260, 3)), [])

    def test_it_stops_once_a_termination_is_recorded(self):
        termination_record(
            actor=self.w.alice, agreement=self.ending, ground=TerminationGround.AGREED, terminated_on=START
        )
        self.assertEqual(self.sent_steps(range(0, 260, 3)), [])

    def test_a_category_can_have_its_own_schedule(self):
        WorkflowSettings.objects.create(
            government=self.w.pesawaran, **{**default_settings(), "expiry_overrides": "ksdpk=365,60"}
        )
        steps = self.sent_steps(range(0, 150, 2))
        self.assertEqual(steps[:2], ["365", "60"])
        self.assertNotIn("180", steps)

    def test_recipients_are_liaison_agency_head_and_admins_not_the_leader(self):
        lines = [
            line for line in reminders_send(today=START + 20 * DAY) if line.key.startswith(f"expiry:{self.ending.pk}")
        ]
        self.assertEqual(
            sorted((line.recipient, line.why) for line in lines),
            [
                ("alice@example.go.id", "admin"),
                ("kadinkes@example.go.id", "agency_head"),
                ("oscar@example.go.id", "liaison"),
            ],
        )
        self.assertEqual(Notification.objects.filter(user=self.w.oscar, kind="expiry").count(), 1)

    @override_settings(REMINDER_ESCALATE_AFTER=2)
    def test_it_escalates_to_the_leader_after_n_ignored_reminders(self):
        escalated = []
        for offset in (20, 110, 170, 177):  # 180, 90, 30, 30w1
            lines = [
                line
                for line in reminders_send(today=START + offset * DAY)
                if line.key.startswith(f"expiry:{self.ending.pk}")
            ]
            escalated.append(any(line.why == "leader" for line in lines))
        self.assertEqual(escalated, [False, False, True, True])
        self.assertTrue(Notification.objects.filter(user=self.w.lena, escalated=True).exists())

    def test_dry_run_sends_nothing(self):
        lines = reminders_send(today=START + 20 * DAY, dry_run=True)
        self.assertTrue(lines)
        self.assertFalse(SentReminder.objects.exists())
        self.assertFalse(Notification.objects.exists())


@time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False)
class DigestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        today = datetime.date(2026, 3, 2)
        cls.today = today
        cls.first = agreement(
            cls.w.alice, "PKS satu", cls.w.dinkes, [cls.w.unila], ends_on=today + 30 * DAY, liaison_officer=cls.w.oscar
        )
        cls.second = agreement(
            cls.w.alice, "PKS dua", cls.w.dinkes, [cls.w.unila], ends_on=today + 85 * DAY, liaison_officer=cls.w.oscar
        )

    def test_one_digest_per_person_per_day_grouping_agreements(self):
        run_daily(today=self.today)
        to_oscar = [m for m in mail.outbox if m.to == ["oscar@example.go.id"]]
        self.assertEqual(len(to_oscar), 1)
        body = to_oscar[0].body
        self.assertIn("PKS satu", body)
        self.assertIn("PKS dua", body)
        self.assertEqual(to_oscar[0].alternatives[0][1], "text/html")
        self.assertIn("PKS satu", to_oscar[0].alternatives[0][0])
        # A second run the same day mails nobody again.
        count = len(mail.outbox)
        run_daily(today=self.today)
        self.assertEqual(len(mail.outbox), count)
        self.assertEqual(Digest.objects.filter(email="oscar@example.go.id", day=self.today).count(), 1)

    def test_the_digest_is_in_the_users_language(self):
        from jalin.notifications.services import preference_update

        preference_update(actor=self.w.oscar, language="en", email_digest=True)
        run_daily(today=self.today)
        english = next(m for m in mail.outbox if m.to == ["oscar@example.go.id"])
        indonesian = next(m for m in mail.outbox if m.to == ["alice@example.go.id"])
        self.assertIn("Agreement ends in 30 days", english.body)
        self.assertIn("Dear", english.body)
        self.assertNotIn("Agreement ends in", indonesian.body)

    def test_opting_out_stops_the_mail_but_not_the_notifications(self):
        from jalin.notifications.services import preference_update

        preference_update(actor=self.w.oscar, language="id", email_digest=False)
        run_daily(today=self.today)
        self.assertFalse([m for m in mail.outbox if m.to == ["oscar@example.go.id"]])
        self.assertTrue(Notification.objects.filter(user=self.w.oscar).exists())

    def test_new_items_after_todays_digest_wait_for_tomorrow(self):
        run_daily(today=self.today)
        Notification.objects.create(
            user=self.w.oscar,
            email=self.w.oscar.email,
            government=self.w.pesawaran,
            kind="workflow",
            subject="x",
            reason="y",
        )
        self.assertNotIn("oscar@example.go.id", digests_send(today=self.today))
        self.assertIn("oscar@example.go.id", digests_send(today=self.today + DAY))


class SourceContractTests(TestCase):
    """Another app's source (e.g. monitoring's overdue reports) is consumed like ours."""

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_consumes_every_registered_source_once_per_key(self):
        target = self.w.tourism

        def overdue_reports(today):
            yield Reminder(
                key=f"test-report-overdue:{target.pk}:2026-1",
                agreement=target,
                kind="test_report_overdue",
                subject="Progress report overdue",
                reason="The report for 2026-1 was due.",
                due=today,
            )

        reminder_source(overdue_reports)
        try:
            today = datetime.date(2026, 7, 1)
            first = [line for line in reminders_send(today=today) if line.kind == "test_report_overdue"]
            again = [line for line in reminders_send(today=today) if line.kind == "test_report_overdue"]
        finally:
            sources._sources.remove(overdue_reports)
        self.assertTrue(first)
        self.assertEqual(again, [])
        self.assertEqual(SentReminder.objects.filter(kind="test_report_overdue").count(), 1)
        # No liaison on this agreement: the lead agency's officers get it.
        self.assertIn(("olga@example.go.id", "agency_officer"), {(line.recipient, line.why) for line in first})
