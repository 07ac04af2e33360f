"""Bulk upload: files matched to their agreements by the number in the name (with "/"
written as "_", "-" or a space) or in the text, duplicates recognised by checksum,
unmatched files assigned by hand, ZIP files unpacked safely."""

import zipfile

from django.core.exceptions import PermissionDenied
from django.test import TestCase, override_settings
from django.urls import reverse
from documents_support import make_zip, text_pdf, upload
from personas import build_world

from jalin.agreements.models import Agreement
from jalin.documents import bulk
from jalin.documents.models import BulkItem, Document, DocumentKind, ItemStatus, MatchedBy
from jalin.documents.services import document_upload


def pdf(words: str) -> bytes:
    return text_pdf([f"Naskah perjanjian kerja sama. {words}"])


class BulkTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def run_batch(self, files, actor=None):
        batch = bulk.bulk_upload_start(actor=actor or self.w.alice, uploads=[upload(n, c) for n, c in files])
        bulk.bulk_upload_process(batch_id=batch.pk)
        return {item.name: item for item in batch.items.select_related("agreement", "document")}


class NumberMatchingTests(BulkTestCase):
    def test_it_matches_numbers_whose_slashes_became_underscores_hyphens_or_spaces(self):
        items = self.run_batch(
            [
                ("180_1_KSB_2024.pdf", pdf("satu")),
                ("180-2-PKS-2024 ttd.pdf", pdf("dua")),
                ("PKS 556 3 PKS 2024.pdf", pdf("tiga")),
            ]
        )
        self.assertEqual(items["180_1_KSB_2024.pdf"].agreement, self.w.ksb)
        self.assertEqual(items["180-2-PKS-2024 ttd.pdf"].agreement, self.w.pks)
        self.assertEqual(items["PKS 556 3 PKS 2024.pdf"].agreement, self.w.tourism)
        for item in items.values():
            self.assertEqual((item.status, item.matched_by), (ItemStatus.STORED, MatchedBy.NAME))
            self.assertEqual(item.document.kind, DocumentKind.SIGNED)
            self.assertFalse(item.file)  # the held copy is released once stored

    def test_a_longer_number_wins_over_one_it_contains(self):
        Agreement.objects.filter(pk=self.w.tourism.pk).update(number="180/1/KSB/2024/ADD")
        index = bulk.NumberIndex(self.w.pesawaran.pk)
        self.assertEqual(index.in_name("180_1_KSB_2024_ADD.pdf"), self.w.tourism.pk)
        self.assertEqual(index.in_name("180_1_KSB_2024.pdf"), self.w.ksb.pk)
        self.assertIsNone(index.in_name("180_1_2024.pdf"))

    def test_another_governments_numbers_are_not_matched(self):
        items = self.run_batch([("LS_1_2024.pdf", pdf("Lampung Selatan"))])
        self.assertEqual(items["LS_1_2024.pdf"].status, ItemStatus.UNMATCHED)

    def test_it_matches_by_the_number_in_the_text_when_the_name_has_none(self):
        content = text_pdf(
            ["PERJANJIAN KERJA SAMA\nNOMOR: 180/2/PKS/2024\nberdasarkan Kesepakatan Bersama 180/1/KSB/2024"]
        )
        items = self.run_batch([("scan0001.pdf", content)])
        item = items["scan0001.pdf"]
        self.assertEqual(
            (item.status, item.matched_by, item.agreement), (ItemStatus.STORED, MatchedBy.TEXT, self.w.pks)
        )

    def test_a_file_already_stored_is_recognised_by_its_checksum_and_not_stored_again(self):
        content = pdf("sudah ada")
        existing = document_upload(
            actor=self.w.alice,
            agreement=self.w.ksb,
            kind=DocumentKind.SIGNED,
            title="",
            upload=upload("a.pdf", content),
        )
        before = Document.objects.count()
        items = self.run_batch([("180_2_PKS_2024.pdf", content), ("salinan.pdf", content)])
        self.assertEqual(Document.objects.count(), before)
        for item in items.values():
            self.assertEqual((item.status, item.document), (ItemStatus.DUPLICATE, existing))
            self.assertFalse(item.file)

    def test_an_unmatched_file_is_held_and_assigned_by_hand(self):
        items = self.run_batch([("scan0002.pdf", pdf("tanpa nomor"))])
        item = items["scan0002.pdf"]
        self.assertEqual(item.status, ItemStatus.UNMATCHED)
        self.assertTrue(item.file)
        self.client.force_login(self.w.alice)
        page = self.client.get(reverse("documents:bulk", args=[item.batch_id]))
        self.assertContains(page, "Naskah tidak ditemukan")
        response = self.client.post(
            reverse("documents:bulk_assign", args=[item.batch_id, item.pk]), {"number": "556/3/PKS/2024"}
        )
        self.assertRedirects(response, reverse("documents:bulk", args=[item.batch_id]))
        item.refresh_from_db()
        self.assertEqual(
            (item.status, item.matched_by, item.agreement), (ItemStatus.STORED, MatchedBy.MANUAL, self.w.tourism)
        )
        self.assertEqual(item.document.agreement, self.w.tourism)

    def test_a_file_failing_the_upload_checks_is_listed_with_its_reason(self):
        items = self.run_batch([("180_1_KSB_2024.pdf", b"MZ\x90\x00 not a pdf" * 10), ("catatan.txt", b"teks")])
        for item in items.values():
            self.assertEqual(item.status, ItemStatus.REJECTED)
            self.assertTrue(item.message)
            self.assertFalse(item.file)

    def test_only_admins_upload_in_bulk(self):
        with self.assertRaises(PermissionDenied):
            bulk.bulk_upload_start(actor=self.w.oscar, uploads=[upload("a.pdf", pdf("x"))])
        self.client.force_login(self.w.oscar)
        self.assertEqual(self.client.get(reverse("documents:bulk_upload")).status_code, 403)

    def test_someone_elses_batch_is_not_found(self):
        items = self.run_batch([("scan0003.pdf", pdf("tanpa nomor"))])
        self.client.force_login(self.w.sam)
        batch_id = items["scan0003.pdf"].batch_id
        self.assertEqual(self.client.get(reverse("documents:bulk", args=[batch_id])).status_code, 404)

    def test_the_page_uploads_many_files_and_shows_the_progress(self):
        self.client.force_login(self.w.alice)
        files = [upload("180_1_KSB_2024.pdf", pdf("satu")), upload("scan9.pdf", pdf("tanpa nomor"))]
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(reverse("documents:bulk_upload"), {"files": files})
        batch_id = BulkItem.objects.latest("pk").batch_id
        self.assertRedirects(response, reverse("documents:bulk", args=[batch_id]))
        page = self.client.get(reverse("documents:bulk", args=[batch_id]))
        self.assertContains(page, "0 dari 2 berkas selesai")
        self.assertContains(page, 'http-equiv="refresh"')
        bulk.bulk_upload_process(batch_id=batch_id)
        page = self.client.get(reverse("documents:bulk", args=[batch_id]))
        self.assertContains(page, "2 dari 2 berkas selesai")
        self.assertNotContains(page, 'http-equiv="refresh"')


class ZipTests(BulkTestCase):
    def test_it_unpacks_a_zip_and_uses_only_the_base_names(self):
        archive = make_zip(
            {
                "arsip/2024/180_1_KSB_2024.pdf": pdf("satu"),
                "../../etc/180_2_PKS_2024.pdf": pdf("dua"),
                "__MACOSX/._x": b"x",
            }
        )
        items = self.run_batch([("arsip.zip", archive)])
        self.assertEqual(set(items), {"180_1_KSB_2024.pdf", "180_2_PKS_2024.pdf"})
        self.assertEqual(items["180_2_PKS_2024.pdf"].agreement, self.w.pks)
        for document in Document.objects.filter(pk__in=[i.document_id for i in items.values()]):
            self.assertTrue(document.file.name.startswith(f"agreements/{document.agreement_id}/"))

    def test_a_member_that_unpacks_far_beyond_its_size_is_refused(self):
        archive = make_zip({"bom.pdf": b"%PDF-1.4\n" + b"\x00" * 5_000_000, "180_1_KSB_2024.pdf": pdf("satu")})
        items = self.run_batch([("arsip.zip", archive)])
        self.assertEqual(items["bom.pdf"].status, ItemStatus.REJECTED)
        self.assertEqual(items["180_1_KSB_2024.pdf"].status, ItemStatus.STORED)

    @override_settings(BULK_ZIP_MAX_FILES=2)
    def test_a_zip_with_too_many_files_is_refused_whole(self):
        archive = make_zip({f"{n}.pdf": pdf(str(n)) for n in range(3)})
        with self.assertRaisesMessage(Exception, "paling banyak 2"):
            bulk.bulk_upload_start(actor=self.w.alice, uploads=[upload("arsip.zip", archive)])

    @override_settings(BULK_ZIP_MAX_UNPACKED_BYTES=1000)
    def test_a_zip_that_unpacks_too_large_is_refused_whole(self):
        archive = make_zip({"a.pdf": pdf("a" * 2000)}, compression=zipfile.ZIP_STORED)
        with self.assertRaisesMessage(Exception, "melebihi"):
            bulk.bulk_upload_start(actor=self.w.alice, uploads=[upload("arsip.zip", archive)])
