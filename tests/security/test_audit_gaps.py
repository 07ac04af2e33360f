"""Item 10: bulk writes of the monitoring services and changes of a government reach the
audit trail (jalin/audit/bulk.py, jalin/audit/registry.py)."""

import datetime

from django.test import TestCase
from personas import build_world

from jalin.audit.context import acting_as
from jalin.audit.models import AuditEntry
from jalin.governments.models import Government
from jalin.monitoring import services
from jalin.monitoring.models import Beneficiary, IndicatorPeriod
from jalin.monitoring.periods import period_containing


def entries(model) -> int:
    return AuditEntry.objects.filter(content_type__model=model._meta.model_name).count()


class AuditGapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_an_indicators_periods_are_audited_with_the_actor_and_government(self):
        w = self.world
        services.indicator_create(
            actor=w.alice,
            agreement=w.published,
            fields={"name": "Kunjungan wisata", "indicator_type": "output", "unit": "orang", "target_value": 100},
        )
        periods = IndicatorPeriod.objects.count()
        self.assertGreater(periods, 0)
        self.assertEqual(entries(IndicatorPeriod), periods)
        entry = AuditEntry.objects.filter(content_type__model="indicatorperiod").first()
        self.assertEqual((entry.actor, entry.government_id), (w.alice, w.pesawaran.pk))

    def test_a_reports_beneficiaries_are_audited(self):
        w = self.world
        period = period_containing(w.published.signed_on + datetime.timedelta(days=200))
        report = services.report_start(actor=w.olga, agreement=w.published, period=period)
        services.report_save(
            actor=w.olga,
            report=report,
            summary="Ringkasan",
            problems="",
            indicator_values={},
            beneficiaries=[services.BeneficiaryInput("msme", 35, "Daftar UMKM")],
        )
        self.assertEqual(Beneficiary.objects.count(), 1)
        self.assertEqual(entries(Beneficiary), 1)

    def test_a_change_of_a_government_is_audited(self):
        with acting_as(self.world.alice):
            government = Government.objects.get(pk=self.world.pesawaran.pk)
            government.name = "Kabupaten Pesawaran (baru)"
            government.save()
        entry = AuditEntry.objects.get(content_type__model="government", action=AuditEntry.Action.UPDATE)
        self.assertEqual(entry.government_id, self.world.pesawaran.pk)
        self.assertIn("name", entry.changes_dict)
