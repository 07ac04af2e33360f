"""Restoring an archived agency (OPD): the admin of its government, with a required reason, audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase
from personas import build_world

from jalin.audit.models import AuditEntry
from jalin.governments.models import Agency
from jalin.governments.services import agency_archive, agency_restore


class AgencyRestoreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        agency_archive(actor=self.world.alice, agency=self.world.dispar)
        self.edit_url = f"/app/agencies/{self.world.dispar.pk}/edit/"

    def test_the_admin_restores_from_the_agencys_page_and_the_audit_trail_records_why(self):
        w = self.world
        self.client.force_login(w.alice)
        self.assertContains(self.client.get("/app/agencies/?archived=1"), "Dinas Pariwisata")
        self.assertNotContains(self.client.get("/app/agencies/"), "Dinas Pariwisata")
        self.assertContains(self.client.get(self.edit_url), f"/app/agencies/{w.dispar.pk}/restore/")
        response = self.client.post(f"/app/agencies/{w.dispar.pk}/restore/", {"reason": "Salah arsip"})
        self.assertRedirects(response, "/app/agencies/")
        self.assertIsNone(Agency.objects.get(pk=w.dispar.pk).archived_at)
        entry = AuditEntry.objects.filter(object_pk=str(w.dispar.pk), content_type__model="agency").latest("timestamp")
        self.assertEqual((entry.actor, entry.changes_dict["restore_reason"][1]), (w.alice, "Salah arsip"))

    def test_a_reason_is_required(self):
        with self.assertRaises(ValidationError):
            agency_restore(actor=self.world.alice, agency=self.world.dispar, reason=" ")
        self.client.force_login(self.world.alice)
        response = self.client.post(f"/app/agencies/{self.world.dispar.pk}/restore/", {"reason": ""}, follow=True)
        self.assertContains(response, "Sebutkan alasan pemulihannya.")

    def test_officers_and_another_governments_admin_are_refused(self):
        w = self.world
        for person in (w.olga, w.oscar, w.lena, w.sam, w.vera):
            with (
                self.subTest(person=person.username),
                self.assertRaises((PermissionDenied, Http404)),
            ):  # another government's: not even seen
                agency_restore(actor=person, agency=w.dispar, reason="Coba")
        self.client.force_login(w.olga)
        self.assertEqual(self.client.post(f"/app/agencies/{w.dispar.pk}/restore/", {"reason": "x"}).status_code, 403)
        self.client.force_login(w.sam)
        self.assertEqual(self.client.post(f"/app/agencies/{w.dispar.pk}/restore/", {"reason": "x"}).status_code, 404)
        self.assertIsNotNone(Agency.objects.get(pk=w.dispar.pk).archived_at)
