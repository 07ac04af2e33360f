"""Reading the words of stored documents: text layer, OCR in Indonesian, step by step,
failures recorded and retried, OCR reported unavailable when it is not installed."""

import unittest

from django.core.management import call_command
from django.test import TestCase, override_settings
from documents_support import AGREEMENT_TEXT, ocr_missing_reason, scan_pdf, scan_png, text_pdf, upload
from huey.contrib.djhuey import HUEY
from personas import build_world

from jalin.documents import text
from jalin.documents.models import Document, DocumentKind, DocumentPage, DocumentText, TextMethod, TextStatus
from jalin.documents.services import document_upload
from jalin.documents.tasks import nightly_document_text

OCR_MISSING = ocr_missing_reason()


class DocumentTextTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def store(self, name: str, content: bytes, agreement=None) -> Document:
        return document_upload(
            actor=self.w.alice,
            agreement=agreement or self.w.ksb,
            kind=DocumentKind.SIGNED,
            title=name,
            upload=upload(name, content),
        )


class TextLayerTests(DocumentTextTestCase):
    def test_it_reads_each_page_of_a_text_pdf_directly(self):
        document = self.store(
            "naskah.pdf", text_pdf(["Penyediaan air bersih Desa Hanura", "Pasal 2 pembiayaan bersumber dari APBD"])
        )
        record = text.document_text_read(document_id=document.pk)
        self.assertEqual(record.status, TextStatus.DONE)
        self.assertEqual(record.method, TextMethod.TEXT_LAYER)
        self.assertEqual((record.pages, record.ocr_pages), (2, 0))
        self.assertEqual(record.confidence, 100.0)
        pages = list(DocumentPage.objects.filter(document=document).values_list("number", "text"))
        self.assertEqual(
            pages, [(1, "Penyediaan air bersih Desa Hanura"), (2, "Pasal 2 pembiayaan bersumber dari APBD")]
        )

    def test_the_upload_queues_the_reading_and_the_original_bytes_never_change(self):
        content = text_pdf(["Kerja sama promosi wisata pantai Mutun"])
        immediate, HUEY.immediate = HUEY.immediate, True
        self.addCleanup(setattr, HUEY, "immediate", immediate)
        with self.captureOnCommitCallbacks(execute=True):
            document = self.store("wisata.pdf", content)
        self.assertEqual(DocumentText.objects.get(document=document).status, TextStatus.DONE)
        with document.file.open("rb") as stored:
            self.assertEqual(stored.read(), content)

    @override_settings(OCR_TESSERACT="/nonexistent/tesseract")
    def test_without_ocr_a_scan_says_so_and_text_pages_are_still_indexed(self):
        mixed = self.store("campuran.pdf", text_pdf(["Halaman dengan lapisan teks tentang air bersih"]))
        scan = self.store("pindaian.png", scan_png("Naskah yang dipindai"))
        self.assertEqual(text.document_text_read(document_id=mixed.pk).status, TextStatus.DONE)
        record = text.document_text_read(document_id=scan.pk)
        self.assertEqual(record.status, TextStatus.UNAVAILABLE)
        response = self.client_for_alice().get(f"/app/agreements/{self.w.ksb.pk}/")
        self.assertContains(response, "Pengenalan teks (OCR) tidak tersedia di server ini")

    def client_for_alice(self):
        self.client.force_login(self.w.alice)
        return self.client

    def test_a_damaged_pdf_is_recorded_as_failed_shown_and_retried(self):
        document = self.store("rusak.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50)
        with self.assertRaises(Exception):  # noqa: B017 - the queue retries whatever it raised
            text.document_text_step(document_id=document.pk)
        record = DocumentText.objects.get(document=document)
        self.assertEqual((record.status, record.attempts), (TextStatus.FAILED, 1))
        self.assertTrue(record.error)
        self.assertIn(document.pk, text.documents_due())
        response = self.client_for_alice().get(f"/app/agreements/{self.w.ksb.pk}/")
        self.assertContains(response, "Gagal dibaca; akan dicoba lagi.")

    def test_a_failed_document_is_not_retried_forever(self):
        document = self.store("rusak.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50)
        DocumentText.objects.filter(document=document).update(status=TextStatus.FAILED, attempts=text.MAX_ATTEMPTS)
        self.assertNotIn(document.pk, text.documents_due())

    @override_settings(OCR_STEP_SECONDS=0)
    def test_a_long_document_is_read_a_page_per_step_when_the_step_time_is_used_up(self):
        document = self.store(
            "panjang.pdf", text_pdf([f"Halaman nomor {n} perjanjian kerja sama" for n in range(1, 4)])
        )
        steps = 0
        while text.document_text_step(document_id=document.pk):
            steps += 1
            self.assertEqual(DocumentText.objects.get(document=document).pages_done, steps)
        self.assertEqual(steps, 2)  # the third step reads the last page and finishes
        self.assertEqual(DocumentText.objects.get(document=document).status, TextStatus.DONE)

    def test_the_command_reads_existing_documents_without_text(self):
        document = self.store("lama.pdf", text_pdf(["Dokumen lama sebelum pembacaan teks"]))
        DocumentText.objects.filter(document=document).delete()
        call_command("extract_document_text", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(DocumentText.objects.get(document=document).status, TextStatus.DONE)
        self.assertTrue(DocumentPage.objects.filter(document=document, text__contains="Dokumen lama").exists())

    def test_the_nightly_task_reads_what_is_due(self):
        document = self.store("lama.pdf", text_pdf(["Dokumen lama yang belum dibaca teksnya"]))
        DocumentText.objects.filter(document=document).delete()
        immediate, HUEY.immediate = HUEY.immediate, True
        self.addCleanup(setattr, HUEY, "immediate", immediate)
        nightly_document_text.call_local()
        self.assertEqual(DocumentText.objects.get(document=document).status, TextStatus.DONE)

    def test_an_archived_document_is_not_due(self):
        document = self.store("lama.pdf", text_pdf(["Dokumen yang ditarik"]))
        DocumentText.objects.filter(document=document).delete()
        Document.objects.filter(pk=document.pk).update(archived_at="2026-01-01T00:00:00Z")
        self.assertNotIn(document.pk, text.documents_due())


@unittest.skipIf(OCR_MISSING, OCR_MISSING or "")
class OcrTests(DocumentTextTestCase):
    def test_it_reads_an_image_only_pdf_in_indonesian(self):
        document = self.store("pindaian.pdf", scan_pdf([AGREEMENT_TEXT]))
        record = text.document_text_read(document_id=document.pk)
        self.assertEqual(record.status, TextStatus.DONE)
        self.assertEqual((record.method, record.language, record.pages, record.ocr_pages), ("ocr", "ind", 1, 1))
        self.assertGreater(record.confidence, 60)
        page = DocumentPage.objects.get(document=document, number=1)
        self.assertIn("180/7/PKS/2024", page.text)
        self.assertIn("air bersih", page.text)
        self.assertIn("Desa Hanura", page.text)

    def test_it_reads_a_photographed_page(self):
        document = self.store("foto.png", scan_png("Berita acara serah terima\nDesa Hanura"))
        record = text.document_text_read(document_id=document.pk)
        self.assertEqual((record.status, record.method), (TextStatus.DONE, TextMethod.OCR))
        self.assertIn("serah terima", DocumentPage.objects.get(document=document).text)

    @override_settings(OCR_PAGE_TIMEOUT_SECONDS=0)
    def test_a_page_that_takes_too_long_fails_instead_of_holding_the_worker(self):
        document = self.store("pindaian.pdf", scan_pdf(["Halaman yang terlalu lama dibaca"]))
        with self.assertRaises(Exception):  # noqa: B017 - the queue retries whatever it raised
            text.document_text_step(document_id=document.pk)
        record = DocumentText.objects.get(document=document)
        self.assertEqual(record.status, TextStatus.FAILED)
        self.assertIn("took longer", record.error)
