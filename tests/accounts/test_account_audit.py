"""Account changes that are not model rows of their own reach the audit trail: notification
preferences, calendar-token resets (and API tokens, in test_api_tokens.py)."""

from django.test import TestCase
from personas import build_world

from jalin.audit.models import AuditEntry
from jalin.notifications.models import Preference
from jalin.notifications.services import calendar_token_reset, preference_update


class AccountAuditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_audits_a_change_of_notification_preferences(self):
        preference_update(actor=self.world.oscar, language="en", email_digest=False)
        entry = AuditEntry.objects.get(additional_data__event="notification_preferences_changed")
        self.assertEqual(entry.actor, self.world.oscar)
        self.assertEqual(entry.government_id, self.world.oscar.government_id)

    def test_it_audits_a_calendar_token_reset_without_the_token(self):
        calendar_token_reset(actor=self.world.oscar)
        token = Preference.objects.get(user=self.world.oscar).calendar_token
        entry = AuditEntry.objects.get(additional_data__event="calendar_token_reset")
        self.assertEqual(entry.actor, self.world.oscar)
        self.assertNotIn(token, entry.changes_text)
