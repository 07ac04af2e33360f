"""The notification centre (unread counts, mark read), the calendar feed and the command."""

import datetime
from io import StringIO
from unittest import mock

import icalendar
from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from personas import agreement, build_world
from workflow.flow import propose, walk_to

from jalin.lib import reminders as sources
from jalin.notifications.models import Notification, SentReminder
from jalin.notifications.reminders import expiring_agreements
from jalin.notifications.services import preference_for
from jalin.workflow.models import Stage
from jalin.workflow.reminders import overdue_workflow_steps

DAY = datetime.timedelta(days=1)


class CentreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        cache.clear()

    def test_a_transition_notifies_the_next_actors(self):
        process = propose(self.w)
        with self.captureOnCommitCallbacks(execute=True):
            walk_to(self.w, process, Stage.TKKSD_ASSESSMENT)
        self.assertTrue(Notification.objects.filter(user=self.w.tara, kind="workflow").exists())
        self.assertFalse(Notification.objects.filter(user=self.w.oscar, kind="workflow").exists())  # the actor

    def test_unread_count_in_the_header_and_marking_read(self):
        process = propose(self.w)
        with self.captureOnCommitCallbacks(execute=True):
            walk_to(self.w, process, Stage.TKKSD_ASSESSMENT)
        self.client.force_login(self.w.tara)
        response = self.client.get(reverse("notifications:list"))
        self.assertEqual(response.context["unread_notifications"], 1)
        self.assertContains(response, process.agreement.title)
        self.client.post(reverse("notifications:mark-read"))
        response = self.client.get(reverse("workflow:inbox"))
        self.assertEqual(response.context["unread_notifications"], 0)
        self.assertEqual(Notification.objects.filter(user=self.w.tara, read_at__isnull=True).count(), 0)

    def test_one_cannot_mark_someone_elses_notifications(self):
        item = Notification.objects.create(
            user=self.w.oscar,
            email="oscar@example.go.id",
            government=self.w.pesawaran,
            kind="x",
            subject="s",
            reason="r",
        )
        self.client.force_login(self.w.olga)
        self.client.post(reverse("notifications:mark-read"), {"id": [item.pk]})
        item.refresh_from_db()
        self.assertIsNone(item.read_at)


class CalendarTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_the_feed_lists_end_dates_and_due_steps_the_user_may_see(self):
        process = walk_to(self.w, propose(self.w), Stage.TKKSD_ASSESSMENT)
        token = preference_for(self.w.oscar).calendar_token
        response = self.client.get(reverse("notifications:calendar", args=[token]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        calendar = icalendar.Calendar.from_ical(response.content)
        summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
        self.assertTrue(any(self.w.pks.title in summary for summary in summaries))
        self.assertTrue(any(process.agreement.title in summary for summary in summaries))
        self.assertFalse(any(self.w.tourism.title in summary for summary in summaries))  # another agency's

    def test_a_wrong_or_reset_token_is_404(self):
        self.assertEqual(self.client.get(reverse("notifications:calendar", args=["nope"])).status_code, 404)
        old = preference_for(self.w.oscar).calendar_token
        self.client.force_login(self.w.oscar)
        self.client.post(reverse("notifications:calendar-reset"))
        self.client.logout()
        self.assertEqual(self.client.get(reverse("notifications:calendar", args=[old])).status_code, 404)


class SendRemindersCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        today = timezone.localdate()
        cls.ending = agreement(
            cls.w.alice,
            "PKS hampir selesai",
            cls.w.dinkes,
            [cls.w.unila],
            ends_on=today + 90 * DAY,
            liaison_officer=cls.w.oscar,
        )

    def setUp(self):
        patcher = mock.patch.object(sources, "_sources", [expiring_agreements, overdue_workflow_steps])
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_dry_run_prints_one_line_per_recipient_and_sends_nothing(self):
        out = StringIO()
        call_command("send_reminders", "--dry-run", stdout=out)
        lines = [line for line in out.getvalue().splitlines() if "PKS hampir selesai" in line]
        self.assertEqual(len(lines), 2)  # Oscar (liaison) and Alice (admin); Dinkes has no e-mail
        self.assertFalse(SentReminder.objects.exists())

    def test_it_sends_then_has_nothing_left_the_same_day(self):
        out = StringIO()
        call_command("send_reminders", stdout=out)
        self.assertIn("PKS hampir selesai", out.getvalue())
        again = StringIO()
        call_command("send_reminders", stdout=again)
        self.assertNotIn("PKS hampir selesai", again.getvalue())

    def test_today_can_be_given_and_overdue_steps_are_reminded(self):
        process = walk_to(self.w, propose(self.w), Stage.TKKSD_ASSESSMENT)
        day = process.due_on + DAY
        out = StringIO()
        call_command("send_reminders", "--today", day.isoformat(), stdout=out)
        self.assertIn(f"workflow:{process.pk}:{process.entry}:0", out.getvalue())
        out = StringIO()
        call_command("send_reminders", "--today", (day + 7 * DAY).isoformat(), stdout=out)
        self.assertIn(f"workflow:{process.pk}:{process.entry}:1", out.getvalue())
