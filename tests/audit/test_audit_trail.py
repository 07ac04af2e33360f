import shutil
import tempfile
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from personas import build_world

from jalin.agreements.models import AgreementParty
from jalin.agreements.services import EDITABLE_FIELDS, PartyInput, agreement_archive, agreement_update
from jalin.audit.models import AuditEntry
from jalin.audit.selectors import audit_entries_for_agreement, audit_entries_for_government
from jalin.documents.models import DocumentKind
from jalin.documents.services import document_archive, document_upload
from jalin.governments.models import Affair
from jalin.governments.services import agency_archive, agency_create, agency_update
from jalin.partners.models import PartnerType
from jalin.partners.services import partner_archive, partner_create, partner_update

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE


def fields_of(agreement, **overrides) -> dict:
    fields = {name: getattr(agreement, name) for name in EDITABLE_FIELDS}
    fields.update(overrides)
    return fields


class AuditTrailTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.health = Affair.objects.get(code="1.02")

    def entries_for(self, instance, action=None):
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(instance)), object_pk=str(instance.pk)
        ).order_by("pk")
        return entries.filter(action=action) if action is not None else entries

    def last_entry(self, instance, action=None) -> AuditEntry:
        entry = self.entries_for(instance, action).last()
        self.assertIsNotNone(entry, f"no audit entry for {instance!r}")
        return entry

    def assertScoped(self, entry: AuditEntry, actor, agreement=None):
        self.assertEqual(entry.actor, actor)
        self.assertEqual(entry.actor_email, actor.email)
        self.assertEqual(entry.government_id, actor.government_id)
        self.assertEqual(entry.agreement_id, agreement.pk if agreement else None)
        self.assertIn(entry, audit_entries_for_government(actor.government_id))
        self.assertNotIn(
            entry, audit_entries_for_government(self.w.lamsel.pk if actor != self.w.sam else self.w.pesawaran.pk)
        )


class AgreementTrailTests(AuditTrailTestCase):
    def update(self, agreement, parties=None, supporting=(), affairs=(), **changes):
        return agreement_update(
            actor=self.w.alice,
            agreement=agreement,
            fields=fields_of(agreement, **changes),
            parties=parties or [PartyInput(partner=partner) for partner in agreement.partners.all()],
            supporting_agencies=list(supporting),
            affairs=list(affairs),
        )

    def test_it_records_the_creation_of_an_agreement_and_its_parties(self):
        w = self.w
        entry = self.last_entry(w.ksb, CREATE)
        self.assertScoped(entry, w.alice, w.ksb)
        self.assertEqual(entry.changes["title"], ["None", "Kesepakatan bersama bidang kesehatan"])
        self.assertEqual(entry.changes["number"][1], "180/1/KSB/2024")
        self.assertNotIn("search_text", entry.changes)
        party = w.ksb.parties.get()
        self.assertScoped(self.last_entry(party, CREATE), w.alice, w.ksb)

    def test_it_records_the_old_and_new_title(self):
        w = self.w
        self.update(w.tourism, title="PKS promosi wisata bahari")
        entry = self.last_entry(w.tourism, UPDATE)
        self.assertScoped(entry, w.alice, w.tourism)
        self.assertEqual(entry.changes["title"], ["PKS promosi wisata pantai", "PKS promosi wisata bahari"])
        self.assertEqual(set(entry.changes), {"title"})

    def test_it_writes_nothing_for_an_update_that_changes_nothing(self):
        before = AuditEntry.objects.count()
        self.update(self.w.tourism)
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_it_records_supporting_agencies_and_affairs_added_and_removed(self):
        w = self.w
        self.update(w.tourism, supporting=[w.dinkes], affairs=[self.health])
        changes = [entry.changes for entry in self.entries_for(w.tourism, UPDATE)]
        self.assertIn({"supporting_agencies": {"type": "m2m", "operation": "add", "objects": ["Dinkes"]}}, changes)
        self.assertIn({"affairs": {"type": "m2m", "operation": "add", "objects": ["1.02 Kesehatan"]}}, changes)
        for entry in self.entries_for(w.tourism, UPDATE):
            self.assertScoped(entry, w.alice, w.tourism)

        self.update(w.tourism, supporting=[], affairs=[])
        changes = [entry.changes for entry in self.entries_for(w.tourism, UPDATE)]
        self.assertIn({"supporting_agencies": {"type": "m2m", "operation": "delete", "objects": ["Dinkes"]}}, changes)
        self.assertIn({"affairs": {"type": "m2m", "operation": "delete", "objects": ["1.02 Kesehatan"]}}, changes)

    def test_it_records_parties_added_and_removed(self):
        w = self.w
        removed = w.tourism.parties.get(partner=w.bank)
        self.update(w.tourism, parties=[PartyInput(partner=w.unila, party_number="UNILA/5/2024")])
        added = AgreementParty.objects.get(agreement=w.tourism, partner=w.unila)

        created = self.last_entry(added, CREATE)
        self.assertScoped(created, w.alice, w.tourism)
        self.assertEqual(created.changes["party_number"], ["None", "UNILA/5/2024"])
        deleted = self.last_entry(removed, DELETE)
        self.assertScoped(deleted, w.alice, w.tourism)
        self.assertEqual(deleted.object_repr, "PT Bank Lampung")
        self.assertIn(deleted, audit_entries_for_agreement(w.tourism))

    def test_it_records_an_archive_with_its_reason(self):
        w = self.w
        agreement_archive(actor=w.alice, agreement=w.tourism, reason="Dobel input")
        entry = self.last_entry(w.tourism, UPDATE)
        self.assertScoped(entry, w.alice, w.tourism)
        self.assertEqual(entry.changes["archive_reason"], ["", "Dobel input"])
        self.assertEqual(entry.changes["archived_at"][0], "None")

    def test_it_attributes_an_officers_change_to_the_officer(self):
        w = self.w
        agreement_update(
            actor=w.oscar,
            agreement=w.pks,
            fields=fields_of(w.pks, scope="Layanan keliling"),
            parties=[PartyInput(partner=w.unila)],
        )
        self.assertScoped(self.last_entry(w.pks, UPDATE), w.oscar, w.pks)

    def test_it_keeps_each_government_in_its_own_trail(self):
        w = self.w
        ours = audit_entries_for_government(w.pesawaran.pk)
        theirs = audit_entries_for_government(w.lamsel.pk)
        self.assertIn(self.last_entry(w.ksb, CREATE), ours)
        self.assertNotIn(self.last_entry(w.ksb, CREATE), theirs)
        self.assertIn(self.last_entry(w.lamsel_agreement, CREATE), theirs)
        self.assertNotIn(self.last_entry(w.lamsel_agreement, CREATE), ours)
        self.assertFalse(ours.filter(agreement=w.lamsel_agreement).exists())
        self.assertFalse(theirs.filter(agreement__government=w.pesawaran).exists())
        self.assertFalse(AuditEntry.objects.filter(government__isnull=True).exists())


class DocumentTrailTests(AuditTrailTestCase):
    def setUp(self):
        media_root = Path(tempfile.mkdtemp(prefix="jalin-test-media-"))
        self.addCleanup(shutil.rmtree, media_root, ignore_errors=True)
        storages = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media_root, "base_url": None},
            },
        }
        override = override_settings(PRIVATE_MEDIA_ROOT=media_root, STORAGES=storages)
        override.enable()
        self.addCleanup(override.disable)

    def test_it_records_an_upload_and_an_archive(self):
        w = self.w
        document = document_upload(
            actor=w.oscar,
            agreement=w.pks,
            kind=DocumentKind.SIGNED,
            title="Naskah PKS",
            upload=SimpleUploadedFile("naskah.pdf", PDF),
        )
        created = self.last_entry(document, CREATE)
        self.assertScoped(created, w.oscar, w.pks)
        self.assertEqual(created.changes["original_name"], ["None", "naskah.pdf"])
        self.assertEqual(created.changes["sha256"][1], document.sha256)

        document_archive(actor=w.alice, document=document)
        archived = self.last_entry(document, UPDATE)
        self.assertScoped(archived, w.alice, w.pks)
        self.assertEqual(set(archived.changes), {"archived_at"})
        self.assertEqual(archived.changes["archived_at"][0], "None")


class RegisterTrailTests(AuditTrailTestCase):
    def test_it_records_partner_create_update_and_archive(self):
        w = self.w
        partner = partner_create(
            actor=w.alice, fields={"name": "Politeknik Negeri Lampung", "partner_type": PartnerType.UNIVERSITY}
        )
        created = self.last_entry(partner, CREATE)
        self.assertScoped(created, w.alice)
        self.assertEqual(created.changes["name"], ["None", "Politeknik Negeri Lampung"])
        self.assertNotIn("normalised_name", created.changes)

        partner_update(
            actor=w.alice,
            partner=partner,
            fields={
                "name": "Politeknik Negeri Lampung",
                "partner_type": PartnerType.UNIVERSITY,
                "phone": "0721 703995",
            },
        )
        updated = self.last_entry(partner, UPDATE)
        self.assertScoped(updated, w.alice)
        self.assertEqual(updated.changes, {"phone": ["", "0721 703995"]})

        partner_archive(actor=w.alice, partner=partner)
        archived = self.last_entry(partner, UPDATE)
        self.assertScoped(archived, w.alice)
        self.assertEqual(set(archived.changes), {"archived_at"})
        self.assertEqual(self.entries_for(partner).count(), 3)

    def test_it_records_agency_create_update_and_archive(self):
        w = self.w
        agency = agency_create(actor=w.alice, fields={"name": "Dinas Pendidikan", "short_name": "Disdik"})
        created = self.last_entry(agency, CREATE)
        self.assertScoped(created, w.alice)
        self.assertEqual(created.changes["name"], ["None", "Dinas Pendidikan"])

        agency_update(
            actor=w.alice, agency=agency, fields={"name": "Dinas Pendidikan dan Kebudayaan", "short_name": "Disdikbud"}
        )
        updated = self.last_entry(agency, UPDATE)
        self.assertScoped(updated, w.alice)
        self.assertEqual(updated.changes["name"], ["Dinas Pendidikan", "Dinas Pendidikan dan Kebudayaan"])
        self.assertEqual(updated.changes["short_name"], ["Disdik", "Disdikbud"])

        agency_archive(actor=w.alice, agency=agency)
        archived = self.last_entry(agency, UPDATE)
        self.assertScoped(archived, w.alice)
        self.assertIn("archived_at", archived.changes)

    def test_it_scopes_another_governments_register_changes_to_that_government(self):
        w = self.w
        agency = agency_create(actor=w.sam, fields={"name": "Dinas Perhubungan"})
        self.assertScoped(self.last_entry(agency, CREATE), w.sam)


class AuditPageTests(AuditTrailTestCase):
    def test_it_shows_the_trail_to_the_auditor(self):
        w = self.w
        agreement_archive(actor=w.alice, agreement=w.tourism, reason="Dobel input")
        self.client.force_login(w.audrey)
        response = self.client.get("/app/audit/", secure=True)
        self.assertEqual(response.status_code, 200)
        entries = list(response.context["page"])
        self.assertEqual(entries[0], self.last_entry(w.tourism, UPDATE))
        self.assertTrue(all(entry.government_id == w.pesawaran.pk for entry in entries))
        self.assertContains(response, "Dobel input")
        self.assertContains(response, "PKS promosi wisata pantai")
        self.assertNotContains(response, "PKS Lampung Selatan")

    def test_it_refuses_an_opd_officer(self):
        self.client.force_login(self.w.oscar)
        response = self.client.get("/app/audit/", secure=True)
        self.assertEqual(response.status_code, 403)
