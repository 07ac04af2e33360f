"""Corrections of the results framework: an obligation, indicator or budget line is corrected or
archived after creation by the Bagian Kerja Sama, audited, with the history on the monitoring
page; archived items drop out of the roll-ups and the forms but stay in the history."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from personas import build_world

from jalin.audit.models import AuditEntry
from jalin.monitoring import selectors, services
from jalin.monitoring.models import BudgetLine, Indicator, IndicatorPeriod, Obligation


def _indicator_fields(**extra) -> dict:
    return {"name": "Balita ditimbang", "indicator_type": "output", "target_value": 100, "unit": "anak", **extra}


class FrameworkCorrectionServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        w = self.world
        self.obligation = services.obligation_create(
            actor=w.oscar, agreement=w.pks, fields={"description": "Kunjungan rutin", "weight": 1}
        )
        self.indicator = services.indicator_create(actor=w.oscar, agreement=w.pks, fields=_indicator_fields())
        self.line = services.budget_line_create(
            actor=w.oscar,
            agreement=w.pks,
            fields={"description": "Bahan bakar", "party": "ours", "source": "apbd", "planned": 1000},
        )

    def test_it_corrects_an_obligation_and_the_audit_trail_names_who_and_what(self):
        w = self.world
        services.obligation_update(
            actor=w.alice,
            obligation=self.obligation,
            fields={"description": "Kunjungan rutin tiap bulan", "party": "ours", "agency": w.dinkes, "weight": 3},
        )
        self.obligation.refresh_from_db()
        self.assertEqual((self.obligation.description, self.obligation.weight), ("Kunjungan rutin tiap bulan", 3))
        entry = AuditEntry.objects.filter(object_pk=str(self.obligation.pk), action=1).latest("timestamp")
        self.assertEqual(entry.actor, w.alice)
        self.assertEqual(entry.agreement_id, w.pks.pk)
        self.assertEqual(entry.changes_dict["description"], ["Kunjungan rutin", "Kunjungan rutin tiap bulan"])

    def test_correcting_the_final_target_moves_the_period_targets_along_the_new_path(self):
        w = self.world
        last = self.indicator.periods.order_by("-starts_on").first()
        self.assertEqual(last.target, Decimal(100))
        services.indicator_update(actor=w.alice, indicator=self.indicator, fields=_indicator_fields(target_value=40))
        last.refresh_from_db()
        self.assertEqual(last.target, Decimal(40))
        self.assertTrue(AuditEntry.objects.filter(content_type__model="indicatorperiod", action=1).exists())

    def test_it_corrects_a_budget_line(self):
        services.budget_line_update(
            actor=self.world.alice,
            budget_line=self.line,
            fields={"description": "Bahan bakar", "party": "ours", "source": "apbd", "planned": 2500},
        )
        self.line.refresh_from_db()
        self.assertEqual(self.line.planned, Decimal(2500))

    def test_a_correction_is_validated_like_a_new_item(self):
        with self.assertRaises(ValidationError) as caught:
            services.budget_line_update(
                actor=self.world.alice,
                budget_line=self.line,
                fields={"description": "", "party": "ours", "source": "apbd", "planned": -5},
            )
        self.assertEqual(set(caught.exception.message_dict), {"description", "planned"})

    def test_officers_and_another_governments_admin_may_not_correct_or_archive(self):
        w = self.world
        for person in (w.oscar, w.olga, w.lena, w.sam, w.vera):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.obligation_update(
                    actor=person, obligation=self.obligation, fields={"description": "Diubah", "party": "ours"}
                )
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.framework_item_archive(actor=person, item=self.line)
        self.assertTrue(BudgetLine.objects.filter(pk=self.line.pk, archived_at__isnull=True).exists())

    def test_archived_items_drop_out_of_the_roll_up_and_stay_on_record(self):
        w = self.world
        services.framework_item_archive(actor=w.alice, item=self.indicator)
        services.framework_item_archive(actor=w.alice, item=self.line)
        framework = selectors.agreement_framework(w.pks)
        self.assertEqual(framework.loose_indicators, [])
        self.assertEqual(framework.budget_lines, [])
        self.assertEqual(framework.planned_total, 0)
        self.assertTrue(Indicator.objects.filter(pk=self.indicator.pk, archived_at__isnull=False).exists())
        self.assertTrue(IndicatorPeriod.objects.filter(indicator=self.indicator).exists())  # nothing deleted
        history = selectors.framework_history(w.pks)
        self.assertIn(str(self.indicator), [entry.object_repr for entry in history])

    def test_an_archived_item_cannot_be_corrected(self):
        services.framework_item_archive(actor=self.world.alice, item=self.line)
        with self.assertRaises(ValidationError):
            services.budget_line_update(
                actor=self.world.alice,
                budget_line=self.line,
                fields={"description": "X", "party": "ours", "source": "apbd", "planned": 1},
            )

    def test_an_obligation_with_live_indicators_is_not_archived(self):
        w = self.world
        services.indicator_create(
            actor=w.alice, agreement=w.pks, fields=_indicator_fields(name="Di bawah", obligation=self.obligation)
        )
        with self.assertRaises(ValidationError):
            services.framework_item_archive(actor=w.alice, item=self.obligation)
        self.assertIsNone(Obligation.objects.get(pk=self.obligation.pk).archived_at)


class FrameworkCorrectionPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        w = self.world
        self.obligation = services.obligation_create(
            actor=w.oscar, agreement=w.pks, fields={"description": "Kunjungan rutin"}
        )
        self.base = f"/app/monitoring/agreements/{w.pks.pk}/"

    def test_the_admin_corrects_an_obligation_from_its_page_and_sees_the_history(self):
        w = self.world
        self.client.force_login(w.alice)
        page = self.client.get(self.base)
        edit_url = f"/app/monitoring/framework/obligation/{self.obligation.pk}/correct/"
        self.assertContains(page, edit_url)
        form = self.client.get(edit_url)
        self.assertContains(form, "Kunjungan rutin")
        response = self.client.post(
            edit_url, {"description": "Kunjungan dua mingguan", "party": "ours", "weight": 2, "is_public": "on"}
        )
        self.assertRedirects(response, self.base + "#framework")
        page = self.client.get(self.base)
        history = page.content.decode().split('id="framework-history"')[1].split("</section>")[0]
        self.assertIn("Kunjungan dua mingguan", history)
        self.assertIn("Kunjungan rutin", history)  # the value before
        self.assertIn("Alice", history)  # who

    def test_the_admin_archives_an_item_and_it_leaves_the_framework_and_the_report_form(self):
        w = self.world
        self.client.force_login(w.alice)
        response = self.client.post(f"/app/monitoring/framework/obligation/{self.obligation.pk}/archive/")
        self.assertRedirects(response, self.base + "#framework")
        self.assertIsNotNone(Obligation.objects.get(pk=self.obligation.pk).archived_at)
        page = self.client.get(self.base).content.decode()
        framework = page.split('id="framework"')[1].split("</section>")[0]
        self.assertNotIn("Kunjungan rutin", framework)
        self.assertIn("Kunjungan rutin", page.split('id="framework-history"')[1])
        self.assertEqual(
            self.client.get(f"/app/monitoring/framework/obligation/{self.obligation.pk}/correct/").status_code, 302
        )

    def test_an_officer_is_refused_and_another_government_sees_nothing(self):
        w = self.world
        edit_url = f"/app/monitoring/framework/obligation/{self.obligation.pk}/correct/"
        archive_url = f"/app/monitoring/framework/obligation/{self.obligation.pk}/archive/"
        self.client.force_login(w.oscar)
        self.assertNotContains(self.client.get(self.base), edit_url)
        self.assertEqual(self.client.get(edit_url).status_code, 403)
        self.assertEqual(self.client.post(archive_url).status_code, 403)
        self.client.force_login(w.sam)
        self.assertEqual(self.client.get(edit_url).status_code, 404)
        self.assertEqual(self.client.post(archive_url).status_code, 404)
        self.assertIsNone(Obligation.objects.get(pk=self.obligation.pk).archived_at)

    def test_an_unknown_kind_is_not_found(self):
        self.client.force_login(self.world.alice)
        self.assertEqual(
            self.client.get(f"/app/monitoring/framework/report/{self.obligation.pk}/correct/").status_code, 404
        )

    def test_the_monitoring_page_costs_the_same_queries_with_a_longer_history(self):
        w = self.world
        self.client.force_login(w.alice)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.base).status_code, 200)
            return len(queries)

        before = count()
        for number in range(5):
            item = services.obligation_create(actor=w.oscar, agreement=w.pks, fields={"description": f"K {number}"})
            services.obligation_update(
                actor=w.alice, obligation=item, fields={"description": f"K {number} diperbaiki", "party": "partner"}
            )
            services.framework_item_archive(actor=w.alice, item=item)
        self.assertEqual(count(), before)
