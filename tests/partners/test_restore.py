"""Restoring an archived partner: the admin of its government, with a required reason, audited;
refused when a live partner registered meanwhile looks like the same one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase
from personas import build_world

from jalin.audit.models import AuditEntry
from jalin.partners.models import Partner, PartnerType
from jalin.partners.services import partner_archive, partner_create, partner_restore


class PartnerRestoreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        partner_archive(actor=self.world.alice, partner=self.world.bank)
        self.url = f"/app/partners/{self.world.bank.pk}/"

    def test_the_admin_restores_from_the_partners_page_and_the_audit_trail_records_why(self):
        w = self.world
        self.client.force_login(w.alice)
        self.assertContains(self.client.get("/app/partners/?archived=1"), "PT Bank Lampung")
        page = self.client.get(self.url)
        self.assertContains(page, f'action="{self.url}restore/"')
        response = self.client.post(f"{self.url}restore/", {"reason": "Masih bermitra"})
        self.assertRedirects(response, self.url)
        bank = Partner.objects.get(pk=w.bank.pk)
        self.assertIsNone(bank.archived_at)
        entry = AuditEntry.objects.filter(object_pk=str(bank.pk), content_type__model="partner").latest("timestamp")
        self.assertEqual((entry.actor, entry.changes_dict["restore_reason"][1]), (w.alice, "Masih bermitra"))

    def test_a_reason_is_required(self):
        with self.assertRaises(ValidationError):
            partner_restore(actor=self.world.alice, partner=self.world.bank, reason="")

    def test_officers_and_another_governments_admin_are_refused(self):
        w = self.world
        for person in (w.oscar, w.lena, w.sam):
            with (
                self.subTest(person=person.username),
                self.assertRaises((PermissionDenied, Http404)),
            ):  # another government's: not even seen
                partner_restore(actor=person, partner=w.bank, reason="Coba")
        self.client.force_login(w.oscar)
        self.assertEqual(self.client.post(f"{self.url}restore/", {"reason": "Coba"}).status_code, 403)
        self.client.force_login(w.sam)
        self.assertEqual(self.client.post(f"{self.url}restore/", {"reason": "Coba"}).status_code, 404)
        self.assertIsNotNone(Partner.objects.get(pk=w.bank.pk).archived_at)

    def test_a_partner_registered_again_meanwhile_is_used_instead(self):
        w = self.world
        partner_create(actor=w.alice, fields={"name": "PT Bank Lampung", "partner_type": PartnerType.BANK})
        with self.assertRaises(ValidationError) as caught:
            partner_restore(actor=w.alice, partner=w.bank, reason="Masih bermitra")
        self.assertIn("PT Bank Lampung", caught.exception.message_dict["reason"][0])
