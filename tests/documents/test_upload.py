import hashlib
import io
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.messages import ERROR, SUCCESS
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import TestCase, override_settings
from personas import build_world

from jalin.documents.models import Document, DocumentKind
from jalin.documents.services import document_upload

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{DOCX_TYPE}.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Naskah kerja sama</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def make_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def make_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan dokumen Word")
    return buffer.getvalue()


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 112
    + b"This program cannot be run in DOS mode."
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class DocumentUploadTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        self.media_root = Path(tempfile.mkdtemp(prefix="jalin-test-media-"))
        self.addCleanup(shutil.rmtree, self.media_root, ignore_errors=True)
        storages = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": self.media_root, "base_url": None},
            },
        }
        override = override_settings(PRIVATE_MEDIA_ROOT=self.media_root, STORAGES=storages)
        override.enable()
        self.addCleanup(override.disable)

    def files_on_disk(self) -> list[Path]:
        return sorted(path for path in self.media_root.rglob("*") if path.is_file())

    def store(
        self, name: str, content: bytes, title: str = "Naskah PKS", kind=DocumentKind.SIGNED, actor=None, **extra
    ):
        return document_upload(
            actor=actor or self.w.oscar,
            agreement=self.w.pks,
            kind=kind,
            title=title,
            upload=upload(name, content, **extra),
        )

    def assertRefused(self, name: str, content: bytes, **extra) -> str:
        """The upload is refused with a message, and neither a row nor a file is left behind."""
        before_rows, before_files = Document.objects.count(), self.files_on_disk()
        with self.assertRaises(ValidationError) as caught:
            self.store(name, content, **extra)
        message = " ".join(caught.exception.messages)
        self.assertTrue(message.strip())
        self.assertEqual(Document.objects.count(), before_rows)
        self.assertEqual(self.files_on_disk(), before_files)
        return message


class StoreTests(DocumentUploadTestCase):
    def assertStored(self, document: Document, content: bytes, content_type: str, original_name: str):
        document.refresh_from_db()
        self.assertEqual(document.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(document.size, len(content))
        self.assertEqual(document.content_type, content_type)
        self.assertEqual(document.original_name, original_name)
        self.assertEqual(document.uploaded_by, self.w.oscar)
        self.assertRegex(document.file.name, rf"^agreements/{self.w.pks.pk}/[0-9a-f]{{32}}$")
        path = Path(document.file.path).resolve()
        self.assertTrue(path.is_relative_to(self.media_root.resolve()))
        self.assertNotIn(Path(original_name).stem, path.name)
        self.assertEqual(path.read_bytes(), content)

    def test_it_stores_a_pdf(self):
        document = self.store("naskah.pdf", PDF, content_type="image/png")
        self.assertStored(document, PDF, "application/pdf", "naskah.pdf")
        self.assertEqual(self.files_on_disk(), [Path(document.file.path)])

    def test_it_stores_a_docx(self):
        content = make_docx()
        document = self.store("Rancangan PKS.docx", content, kind=DocumentKind.DRAFT, title="Rancangan")
        self.assertStored(document, content, DOCX_TYPE, "Rancangan PKS.docx")

    def test_it_stores_a_png(self):
        content = make_png()
        document = self.store("foto-kegiatan.PNG", content, kind=DocumentKind.ANNEX, title="Foto")
        self.assertStored(document, content, "image/png", "foto-kegiatan.png")

    def test_it_sanitises_the_original_name(self):
        document = self.store("Naskah <PKS>; 2024\x00.pdf", PDF)
        self.assertEqual(document.original_name, "Naskah _PKS_ 2024_.pdf")

    def test_it_keeps_only_the_base_name_of_a_path(self):
        for name in (
            "../../etc/passwd.pdf",
            "..\\..\\Windows\\system.ini.pdf",
            "/tmp/../../naskah.pdf",
            "．．／．．／etc／hosts.pdf",
        ):
            with self.subTest(name=name):
                document = self.store(name, PDF, title=name)
                self.assertNotIn("..", document.original_name)
                self.assertNotIn("/", document.original_name)
                self.assertNotIn("\\", document.original_name)
                self.assertTrue(Path(document.file.path).resolve().is_relative_to(self.media_root.resolve()))
        self.assertFalse((self.media_root.parent / "etc").exists())
        self.assertEqual(
            sorted(Document.objects.values_list("original_name", flat=True)),
            ["etc_hosts.pdf", "naskah.pdf", "passwd.pdf", "system.ini.pdf"],
        )

    def test_it_keeps_only_the_base_name_when_the_upload_object_carries_a_path(self):
        # Django's UploadedFile strips directories itself; a file from an import may not.
        raw = upload("naskah.pdf", PDF)
        raw._name = "../../etc/cron.d/naskah.pdf"
        document = document_upload(
            actor=self.w.oscar, agreement=self.w.pks, kind=DocumentKind.SIGNED, title="x", upload=raw
        )
        self.assertEqual(document.original_name, "naskah.pdf")
        self.assertRegex(document.file.name, rf"^agreements/{self.w.pks.pk}/[0-9a-f]{{32}}$")

    def test_it_adds_versions_for_the_same_kind_and_title(self):
        first = self.store("v1.pdf", PDF)
        second = self.store("v2.pdf", PDF + b"% revisi\n", title="  Naskah PKS ")
        other_title = self.store("lampiran.pdf", PDF, title="Lampiran")
        other_kind = self.store("draf.pdf", PDF, kind=DocumentKind.DRAFT)
        self.assertEqual((first.version, second.version), (1, 2))
        self.assertEqual((other_title.version, other_kind.version), (1, 1))
        self.assertNotEqual(first.file.name, second.file.name)
        self.assertEqual(len(self.files_on_disk()), 4)

    def test_it_refuses_a_user_who_cannot_change_the_agreement(self):
        with self.assertRaises(PermissionDenied):
            self.store("naskah.pdf", PDF, actor=self.w.olga)
        with self.assertRaises(PermissionDenied):
            self.store("naskah.pdf", PDF, actor=self.w.audrey)
        self.assertEqual(Document.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])


class RefusalTests(DocumentUploadTestCase):
    def test_it_refuses_an_executable_renamed_pdf(self):
        self.assertIn("naskah.pdf", self.assertRefused("naskah.pdf", EXE))

    def test_it_refuses_html_renamed_pdf(self):
        self.assertRefused("naskah.pdf", HTML, content_type="application/pdf")

    def test_it_refuses_an_elf_binary_renamed_docx(self):
        self.assertRefused("naskah.docx", ELF)

    def test_it_refuses_a_plain_zip_renamed_docx(self):
        self.assertRefused("naskah.docx", make_zip())

    def test_it_refuses_a_pdf_renamed_png(self):
        self.assertRefused("foto.png", PDF)

    def test_it_refuses_an_oversized_file(self):
        with override_settings(DOCUMENT_MAX_BYTES=len(PDF) - 1):
            self.assertRefused("naskah.pdf", PDF)
        with override_settings(DOCUMENT_MAX_BYTES=len(PDF)):
            self.assertEqual(self.store("naskah.pdf", PDF).size, len(PDF))

    def test_it_refuses_an_empty_file(self):
        self.assertRefused("naskah.pdf", b"")

    def test_it_refuses_an_exe_extension(self):
        self.assertIn(".exe", self.assertRefused("setup.exe", EXE))

    def test_it_refuses_a_name_without_an_extension(self):
        self.assertRefused("naskah", PDF)
        self.assertRefused(". .pdf", PDF)

    def test_it_refuses_an_unknown_kind(self):
        self.assertRefused("naskah.pdf", PDF, kind="script")


class FaultTests(DocumentUploadTestCase):
    def test_it_removes_the_file_when_the_row_cannot_be_written(self):
        for error in (IntegrityError("document_unique_version"), RuntimeError("disk quota")):
            with (
                self.subTest(error=type(error).__name__),
                mock.patch.object(Document, "save", side_effect=error),
                self.assertRaises(type(error)),
            ):
                self.store("naskah.pdf", PDF)
            self.assertEqual(Document.objects.count(), 0)
            self.assertEqual(self.files_on_disk(), [])

    def test_it_keeps_earlier_versions_when_a_later_one_fails(self):
        first = self.store("naskah.pdf", PDF)
        with (
            mock.patch.object(Document, "save", side_effect=IntegrityError("collision")),
            self.assertRaises(IntegrityError),
        ):
            self.store("naskah.pdf", PDF)
        self.assertEqual(list(Document.objects.all()), [first])
        self.assertEqual(self.files_on_disk(), [Path(first.file.path)])


class ViewTests(DocumentUploadTestCase):
    def post(self, name: str, content: bytes, title: str = "Naskah PKS"):
        self.client.force_login(self.w.oscar)
        return self.client.post(
            f"/app/documents/upload/{self.w.pks.pk}/",
            {"kind": DocumentKind.SIGNED, "title": title, "file": upload(name, content)},
            follow=True,
            secure=True,
        )

    def messages_of(self, response) -> list[tuple[int, str]]:
        return [(message.level, str(message)) for message in response.context["messages"]]

    def test_it_stores_an_upload_and_says_so(self):
        response = self.post("naskah.pdf", PDF)
        self.assertRedirects(response, f"/app/agreements/{self.w.pks.pk}/", fetch_redirect_response=False)
        document = Document.objects.get()
        self.assertEqual(self.messages_of(response), [(SUCCESS, mock.ANY)])
        self.assertIn("Naskah PKS", self.messages_of(response)[0][1])
        self.assertEqual(document.uploaded_by, self.w.oscar)
        self.assertContains(response, "Naskah PKS")

    def test_it_shows_why_a_file_was_refused_and_stores_nothing(self):
        response = self.post("naskah.pdf", EXE)
        self.assertEqual(response.status_code, 200)
        [(level, text)] = self.messages_of(response)
        self.assertEqual(level, ERROR)
        self.assertIn("naskah.pdf", text)
        self.assertContains(response, "naskah.pdf")
        self.assertEqual(Document.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])

    def test_it_refuses_an_empty_file_on_the_form(self):
        response = self.post("naskah.pdf", b"")
        [(level, text)] = self.messages_of(response)
        self.assertEqual(level, ERROR)
        self.assertTrue(text.strip())
        self.assertEqual(Document.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])

    def test_it_refuses_an_officer_of_another_agency(self):
        w = self.w
        self.client.force_login(w.oscar)
        form = {"kind": DocumentKind.SIGNED, "title": "x"}
        # Dispar's published agreement is visible to Oscar but not his to change.
        response = self.client.post(
            f"/app/documents/upload/{w.published.pk}/", {**form, "file": upload("naskah.pdf", PDF)}, secure=True
        )
        self.assertEqual(response.status_code, 403)
        # Dispar's unpublished agreement does not exist as far as Oscar can tell.
        response = self.client.post(
            f"/app/documents/upload/{w.tourism.pk}/", {**form, "file": upload("naskah.pdf", PDF)}, secure=True
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Document.objects.count(), 0)
        self.assertEqual(self.files_on_disk(), [])

    def test_it_downloads_the_exact_bytes_as_an_attachment(self):
        document = self.store("../Naskah PKS final.pdf", PDF)
        self.client.force_login(self.w.lena)
        response = self.client.get(f"/app/documents/{document.pk}/download/", secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="Naskah PKS final.pdf"')
        self.assertIn("no-store", response["Cache-Control"])

    def test_it_hides_downloads_from_other_governments(self):
        document = self.store("naskah.pdf", PDF)
        self.client.force_login(self.w.sam)
        response = self.client.get(f"/app/documents/{document.pk}/download/", secure=True)
        self.assertEqual(response.status_code, 404)

    def test_it_names_the_file_safely_for_the_browser(self):
        document = self.store('laporan"; filename=evil.exe .pdf', PDF)
        self.client.force_login(self.w.alice)
        response = self.client.get(f"/app/documents/{document.pk}/download/", secure=True)
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment; "))
        self.assertNotIn('"; filename=evil', disposition)
        self.assertIsNone(re.search(r"[\r\n]", disposition))
