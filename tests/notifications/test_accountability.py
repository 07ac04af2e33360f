"""The accountability rules, each on a dated timeline with a frozen clock (docs/monitoring.md,
docs/workflow.md): dormancy from the verification date, the escalation thread kind +
agreement, no off-schedule expiry reminder on a late signing day, a renewed agreement shown
as renewed; and the calendar feed's report and evaluation due dates, scoped to the agency."""

import datetime

import icalendar
import time_machine
from django.test import TestCase
from django.urls import reverse
from personas import agreement, build_world

from jalin.agreements.models import Agreement
from jalin.monitoring import services as monitoring
from jalin.monitoring.health import Signal, health_of, renewal_of, signals_of, with_health
from jalin.monitoring.reminders import evaluation_due_dates
from jalin.notifications.models import Notification, SentReminder
from jalin.notifications.services import preference_for, reminders_send
from jalin.workflow.services import extension_start

DAY = datetime.timedelta(days=1)
T0 = datetime.date(2026, 1, 5)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC), tick=False)


class AccountabilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with at(T0):
            cls.w = build_world()

    def sent(self, kind, agreement):
        return list(
            SentReminder.objects.filter(kind=kind, agreement=agreement).order_by("pk").values_list("key", flat=True)
        )

    def test_a_late_verification_wakes_a_dormant_agreement_and_sends_no_new_reminder(self):
        pks = self.w.pks  # signed 400 days before T0
        with at(T0):
            evidence = monitoring.evidence_add(
                actor=self.w.oscar, agreement=pks, caption="Foto kegiatan", url="https://example.go.id/foto"
            )
        with at(T0 + 10 * DAY):
            reminders_send(today=T0 + 10 * DAY)
        self.assertEqual(self.sent("dormant", pks), [f"dormant:{pks.pk}:{pks.signed_on.isoformat()}"])
        verified_on = T0 + 200 * DAY  # verified long after the upload
        with at(verified_on):
            monitoring.evidence_verify(actor=self.w.alice, evidence=evidence)
        for day in (verified_on, verified_on + DAY, verified_on + 170 * DAY):
            with at(day):
                flagged = with_health(Agreement.objects.filter(pk=pks.pk), day).filter(h_dormant=True).exists()
                self.assertFalse(flagged, day)
                reminders_send(today=day)
        self.assertEqual(len(self.sent("dormant", pks)), 1)  # no extra reminder with a new key
        asleep = verified_on + 181 * DAY  # dormant again N days after the verification, not the upload
        with at(asleep):
            self.assertTrue(with_health(Agreement.objects.filter(pk=pks.pk), asleep).filter(h_dormant=True).exists())
            reason = next(s.reason for s in signals_of(health_of(pks.pk, asleep), asleep) if s.signal == Signal.DORMANT)
        self.assertIn("24 Juli 2026", reason)  # the verification date (T0 + 200 days)

    def test_the_leader_is_copied_after_three_reminders_even_when_the_end_date_was_amended(self):
        with at(T0):
            target = agreement(self.w.alice, "PKS armada sampah", self.w.dinkes, [self.w.bank], ends_on=T0 + 100 * DAY)
        days = [T0, T0 + 10 * DAY]  # steps 180 and 90 of the first end date
        for day in days:
            with at(day):
                reminders_send(today=day)
        with at(T0 + 11 * DAY):
            Agreement.objects.filter(pk=target.pk).update(ends_on=T0 + 300 * DAY)  # amended: 289 days left
        for day in (T0 + 120 * DAY, T0 + 210 * DAY):  # steps 180 and 90 of the new end date
            with at(day):
                reminders_send(today=day)
        keys = self.sent("expiry", target)
        self.assertEqual(len(keys), 4)
        self.assertTrue(keys[2].startswith(f"expiry:{target.pk}:{(T0 + 300 * DAY).isoformat()}:"))  # schedule restarted
        escalated = list(
            SentReminder.objects.filter(kind="expiry", agreement=target)
            .order_by("pk")
            .values_list("escalated", flat=True)
        )
        self.assertEqual(escalated, [False, False, False, True])  # the count did not restart
        self.assertTrue(Notification.objects.filter(user=self.w.lena, agreement=target, escalated=True).exists())

    def test_an_agreement_signed_late_gets_the_next_scheduled_reminder_on_its_day(self):
        signed = T0 + 3 * DAY
        with at(signed):
            late = agreement(
                self.w.alice,
                "PKS ditandatangani terlambat",
                self.w.dinkes,
                [self.w.bank],
                signed_on=signed,
                effective_on=signed,
                ends_on=signed + 120 * DAY,  # less than the first offset (180) left
            )
        for day in (signed, signed + DAY, signed + 29 * DAY):
            with at(day):
                reminders_send(today=day)
        self.assertEqual(self.sent("expiry", late), [])  # nothing off-schedule on the signing day
        with at(signed + 30 * DAY):  # 90 days left: the next step of the schedule
            reminders_send(today=signed + 30 * DAY)
        self.assertEqual(self.sent("expiry", late), [f"expiry:{late.pk}:{late.ends_on.isoformat()}:90"])

    def test_a_renewed_agreement_shows_as_renewed_never_expired_without_renewal(self):
        with at(T0):
            old = agreement(self.w.alice, "PKS lama", self.w.dinkes, [self.w.unila], ends_on=T0 + 20 * DAY)
            process = extension_start(actor=self.w.alice, agreement=old)
        ended = T0 + 40 * DAY
        with at(ended):
            health = health_of(old.pk, ended)
            self.assertNotIn(Signal.EXPIRED, [s.signal for s in signals_of(health, ended)])
            renewal = renewal_of(health)
            self.assertEqual(renewal.pk, process.agreement_id)
            self.client.force_login(self.w.alice)
            page = self.client.get(reverse("monitoring:agreement", args=[old.pk]))
        self.assertContains(page, "Diperpanjang dengan")
        self.assertContains(page, reverse("agreements:detail", args=[process.agreement_id]))
        self.assertNotContains(page, "belum ada perpanjangan atau pengakhiran")
        with at(ended):
            reminders_send(today=ended)
        self.assertEqual([k for k in self.sent("expiry", old) if k.endswith(("30w1", "30w2"))], [])

    def test_the_evaluation_falls_due_each_agreement_year_and_before_the_end(self):
        pks = self.w.pks
        dates = evaluation_due_dates(pks)
        start = pks.effective_on
        self.assertEqual(dates[0], start.replace(year=start.year + 1))
        self.assertIn(pks.ends_on - 120 * DAY, dates)
        due = [d for d in dates if d <= T0][-1]
        with at(T0):
            reminders_send(today=T0)
        self.assertEqual(self.sent("evaluation_due", pks), [f"evaluation-due:{pks.pk}:{due.isoformat()}"])
        told = set(
            Notification.objects.filter(kind="evaluation_due", agreement=pks).values_list("user__username", flat=True)
        )
        self.assertIn("alice", told)  # the evaluators (the government's admins)
        self.assertFalse(told & {"sam", "olga", "lena"})
        with at(T0 + DAY):
            reminders_send(today=T0 + DAY)
        self.assertEqual(len(self.sent("evaluation_due", pks)), 1)  # once per due date

    def test_an_officers_calendar_holds_only_their_agencys_report_and_evaluation_due_dates(self):
        with at(T0):
            token = preference_for(self.w.oscar).calendar_token
            feed = icalendar.Calendar.from_ical(
                self.client.get(reverse("notifications:calendar", args=[token])).content
            )
        summaries = [str(event["summary"]) for event in feed.walk("VEVENT")]
        self.assertTrue(any("PKS layanan kesehatan keliling" in s and "Laporan kemajuan" in s for s in summaries))
        self.assertTrue(any("Evaluasi jatuh tempo" in s for s in summaries))
        self.assertFalse([s for s in summaries if "wisata" in s.lower()])  # Dispar's (public) agreement is not his
        with at(T0):
            token = preference_for(self.w.alice).calendar_token
            feed = icalendar.Calendar.from_ical(
                self.client.get(reverse("notifications:calendar", args=[token])).content
            )
        self.assertTrue([e for e in feed.walk("VEVENT") if "wisata" in str(e["summary"]).lower()])
