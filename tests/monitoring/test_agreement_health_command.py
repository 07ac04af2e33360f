"""`manage.py agreement_health` and the reminder sources it shares its reasons with."""

import datetime
import io
import json

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone, translation
from personas import build_world

from jalin.lib.reminders import registered_sources
from jalin.monitoring import reminders


class AgreementHealthCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def run_command(self, *args) -> str:
        out = io.StringIO()
        call_command("agreement_health", *args, "--language", "en", stdout=out)
        return out.getvalue()

    def test_it_lists_every_agreement_of_a_government_with_its_signals_and_reasons_as_json(self):
        records = json.loads(self.run_command("--government", "18.09", "--format", "json"))
        self.assertEqual(len(records), 4)
        by_title = {record["title"]: record for record in records}
        tourism = by_title["PKS promosi wisata pantai"]
        self.assertEqual({item["signal"] for item in tourism["signals"]}, {"paper_only", "dormant", "report_overdue"})
        self.assertTrue(all(item["reason"].endswith(".") for item in tourism["signals"]))
        self.assertEqual(by_title["Kesepakatan bersama bidang kesehatan"]["signals"], [])

    def test_it_computes_as_on_a_given_day_and_prints_a_table(self):
        later = (timezone.localdate() + datetime.timedelta(days=701)).isoformat()
        table = self.run_command("--today", later, "--format", "table")
        self.assertIn("expired: It ended on", table)
        self.assertIn("18.01", table)

    def test_it_refuses_an_unknown_government_or_a_bad_date(self):
        with self.assertRaises(CommandError):
            self.run_command("--government", "99.99")
        with self.assertRaises(CommandError):
            self.run_command("--today", "kemarin")


class ReminderSourceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_registers_overdue_and_dormant_sources_with_the_reminder_contract(self):
        self.assertIn(reminders.overdue_reports, registered_sources())
        self.assertIn(reminders.dormant_agreements, registered_sources())
        today = timezone.localdate()
        with translation.override("en"):
            overdue = list(reminders.overdue_reports(today))
            dormant = list(reminders.dormant_agreements(today))
        self.assertEqual(len(overdue), 4)  # the four PKS, none reported
        self.assertEqual({r.kind for r in overdue}, {"report_overdue"})
        self.assertTrue(all(r.reason.startswith("The progress report for") for r in overdue))
        self.assertEqual(len({r.key for r in overdue}), 4)
        self.assertEqual({r.kind for r in dormant}, {"dormant"})
        self.assertEqual([r.key for r in reminders.overdue_reports(today)], [r.key for r in overdue])  # stable keys
