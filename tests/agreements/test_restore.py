"""Restoring an archived agreement: the admin of its government, with a required reason, audited;
nothing is deleted on the way out or back."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from personas import build_world

from jalin.agreements.models import Agreement
from jalin.agreements.services import agreement_archive, agreement_restore
from jalin.audit.models import AuditEntry


class AgreementRestoreServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        agreement_archive(actor=self.world.alice, agreement=self.world.tourism, reason="Tercatat ganda")

    def test_the_admin_restores_with_a_reason_and_the_audit_trail_records_it(self):
        w = self.world
        agreement_restore(actor=w.alice, agreement=w.tourism, reason="Ternyata bukan duplikat")
        tourism = Agreement.objects.get(pk=w.tourism.pk)
        self.assertIsNone(tourism.archived_at)
        self.assertEqual(tourism.restore_reason, "Ternyata bukan duplikat")
        entry = AuditEntry.objects.filter(agreement=tourism, action=1).latest("timestamp")
        self.assertEqual(entry.actor, w.alice)
        self.assertEqual(entry.changes_dict["restore_reason"], ["", "Ternyata bukan duplikat"])
        self.assertIn("archived_at", entry.changes_dict)

    def test_a_reason_is_required(self):
        with self.assertRaises(ValidationError) as caught:
            agreement_restore(actor=self.world.alice, agreement=self.world.tourism, reason="  ")
        self.assertIn("reason", caught.exception.message_dict)
        self.assertIsNotNone(Agreement.objects.get(pk=self.world.tourism.pk).archived_at)

    def test_officers_others_and_another_governments_admin_are_refused(self):
        w = self.world
        for person in (w.olga, w.oscar, w.lena, w.audrey, w.sam, w.vera):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                agreement_restore(actor=person, agreement=w.tourism, reason="Coba")
        self.assertIsNotNone(Agreement.objects.get(pk=w.tourism.pk).archived_at)

    def test_a_live_agreement_is_not_restored(self):
        with self.assertRaises(PermissionDenied):
            agreement_restore(actor=self.world.alice, agreement=self.world.published, reason="Coba")

    def test_a_document_under_an_archived_parent_waits_for_its_parent(self):
        w = self.world
        agreement_archive(actor=w.alice, agreement=w.pks, reason="Salah input")
        agreement_archive(actor=w.alice, agreement=w.ksb, reason="Salah input")
        with self.assertRaises(ValidationError):
            agreement_restore(actor=w.alice, agreement=w.pks, reason="Kembalikan")
        agreement_restore(actor=w.alice, agreement=w.ksb, reason="Kembalikan")
        agreement_restore(actor=w.alice, agreement=w.pks, reason="Kembalikan")
        self.assertFalse(Agreement.objects.filter(pk__in=[w.ksb.pk, w.pks.pk], archived_at__isnull=False).exists())


class AgreementRestorePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        agreement_archive(actor=self.world.alice, agreement=self.world.tourism, reason="Tercatat ganda")
        self.url = f"/app/agreements/{self.world.tourism.pk}/"

    def test_the_archived_agreements_page_offers_the_admin_a_restore_form(self):
        self.client.force_login(self.world.alice)
        page = self.client.get(self.url)
        self.assertContains(page, f'action="{self.url}restore/"')
        self.assertContains(page, "Pulihkan naskah kerja sama ini")
        response = self.client.post(f"{self.url}restore/", {"reason": "Bukan duplikat"})
        self.assertRedirects(response, self.url)
        self.assertIsNone(Agreement.objects.get(pk=self.world.tourism.pk).archived_at)
        self.assertNotContains(self.client.get(self.url), f'action="{self.url}restore/"')

    def test_a_restore_without_a_reason_says_so(self):
        self.client.force_login(self.world.alice)
        response = self.client.post(f"{self.url}restore/", {"reason": ""}, follow=True)
        self.assertContains(response, "Sebutkan alasan pemulihannya.")
        self.assertIsNotNone(Agreement.objects.get(pk=self.world.tourism.pk).archived_at)

    def test_others_see_no_form_and_are_refused(self):
        w = self.world
        self.client.force_login(w.olga)  # Dispar leads the archived agreement
        self.assertNotContains(self.client.get(self.url), "restore/")
        self.assertEqual(self.client.post(f"{self.url}restore/", {"reason": "Coba"}).status_code, 403)
        self.client.force_login(w.sam)
        self.assertEqual(self.client.post(f"{self.url}restore/", {"reason": "Coba"}).status_code, 404)
        self.assertIsNotNone(Agreement.objects.get(pk=w.tourism.pk).archived_at)
