"""health_of: one agreement's signals from a queryset resolved once per day, equal to
with_health's, and rebuilt when the day or a threshold setting changes."""

import datetime

from django.test import TestCase, override_settings
from django.utils import timezone
from personas import build_world

from jalin.agreements.models import Agreement
from jalin.monitoring.health import Signal, health_of, with_health

FLAGS = [f"h_{signal.value}" for signal in Signal] + ["health_score", "last_verified_report", "off_indicator"]


class HealthOfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_gives_what_with_health_gives(self):
        today = timezone.localdate()
        for agreement in (self.world.pks, self.world.tourism, self.world.ksb):
            expected = with_health(Agreement.objects.filter(pk=agreement.pk), today, details=True).get()
            found = health_of(agreement.pk, today)
            self.assertEqual([getattr(found, f) for f in FLAGS], [getattr(expected, f) for f in FLAGS])
        self.assertIsNone(health_of(0, today))

    def test_a_new_day_or_threshold_is_not_answered_from_the_old_one(self):
        pks = self.world.pks  # signed 400 days ago, no report or evidence
        today = timezone.localdate()
        self.assertTrue(health_of(pks.pk, today).h_dormant)
        with override_settings(MONITORING_DORMANT_DAYS=500):
            self.assertFalse(health_of(pks.pk, today).h_dormant)
        self.assertFalse(health_of(pks.pk, today - datetime.timedelta(days=300)).h_dormant)
        self.assertTrue(health_of(pks.pk, today).h_dormant)
