"""A government's own templates: checked on upload, used for its documents, audited, reverted."""

import io

import docx
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalin.audit.models import AuditEntry
from jalin.letterheads import services
from jalin.letterheads.models import GovernmentTemplate
from jalin.workflow.drafts import render_draft
from tests.document_checks import assert_docx_a4, docx_text
from tests.personas import build_world


def docx_file(*paragraphs, header="PEMERINTAH KABUPATEN PESAWARAN", name="ksb-kop.docx") -> SimpleUploadedFile:
    document = docx.Document()  # python-docx's default is US Letter: Jalin makes it A4
    document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


class TemplateUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def _upload(self, upload, kind="ksb", actor=None):
        return services.template_upload(actor=actor or self.w.alice, kind=kind, upload=upload)

    def test_it_uses_the_governments_own_template_for_its_drafts(self):
        self._upload(docx_file("{{ kind_heading }}", "Nomor: {{ number }}", "{{ title }}."))
        content = render_draft(self.w.ksb)
        text = docx_text(content)
        self.assertIn("PEMERINTAH KABUPATEN PESAWARAN", text)  # the letterhead in the header
        self.assertIn("Nomor: 180/1/KSB/2024", text)
        assert_docx_a4(self, content)
        # another government still gets the shipped one
        self.assertNotIn("PEMERINTAH KABUPATEN PESAWARAN", docx_text(render_draft(self.w.lamsel_agreement)))

    def test_it_names_the_tags_it_does_not_know(self):
        with self.assertRaises(ValidationError) as caught:
            self._upload(docx_file("{{ judul }} {{ nomor_surat }} {{ title }}"))
        message = " ".join(caught.exception.messages)
        self.assertIn("{{ judul }}", message)
        self.assertIn("{{ nomor_surat }}", message)
        self.assertNotIn("{{ title }}", message.split(".")[0])
        self.assertFalse(GovernmentTemplate.objects.exists())

    def test_it_refuses_a_broken_tag_a_file_that_is_not_a_docx_and_python_internals(self):
        for upload in (
            docx_file("{{ title "),
            docx_file("{% if title %}no end"),
            SimpleUploadedFile("kop.docx", b"%PDF-1.7 not a word file"),
            docx_file("{{ title.__class__.__mro__ }}"),
        ):
            with self.subTest(upload=upload.name), self.assertRaises(ValidationError):
                self._upload(upload)
        self.assertFalse(GovernmentTemplate.objects.exists())

    def test_it_audits_the_upload_and_reverts_to_the_shipped_template(self):
        template = self._upload(docx_file("{{ title }}"))
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(GovernmentTemplate), object_pk=str(template.pk)
        )
        self.assertEqual(entries.first().actor, self.w.alice)
        services.template_revert(actor=self.w.alice, kind="ksb")
        template.refresh_from_db()
        self.assertIsNotNone(template.archived_at)  # kept, not deleted
        self.assertIn("Pasal 10", docx_text(render_draft(self.w.ksb)))
        self.assertEqual(entries.count(), 2)

    def test_only_the_admin_may_upload(self):
        for actor in (self.w.oscar, self.w.lena, self.w.vera):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                self._upload(docx_file("{{ title }}"), actor=actor)

    def test_the_page_uploads_downloads_and_reverts(self):
        self.client.force_login(self.w.alice)
        page = self.client.get(reverse("letterheads:index"))
        self.assertContains(page, "{{ kind_heading }}")
        response = self.client.post(reverse("letterheads:upload", args=["pks"]), {"file": docx_file("{{ judul }}")})
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertTrue(any("{{ judul }}" in m for m in messages))
        self.client.post(reverse("letterheads:upload", args=["pks"]), {"file": docx_file("{{ title }}")})
        download = self.client.get(reverse("letterheads:download", args=["pks"]))
        self.assertIn("PEMERINTAH KABUPATEN PESAWARAN", docx_text(b"".join(download.streaming_content)))
        self.client.post(reverse("letterheads:revert", args=["pks"]))
        self.assertFalse(GovernmentTemplate.objects.filter(archived_at__isnull=True).exists())
        self.client.force_login(self.w.oscar)
        self.assertEqual(self.client.get(reverse("letterheads:index")).status_code, 403)

    def test_it_keeps_the_letter_settings(self):
        self.client.force_login(self.w.alice)
        self.client.post(
            reverse("letterheads:index"),
            {
                "addressee": "Gubernur Lampung",
                "signatory_name": "Dendi Ramadhona",
                "number_pattern": "000/…/BKS/{year}",
            },
        )
        settings = services.letter_settings_for(self.w.pesawaran)
        self.assertEqual((settings.addressee, settings.signatory_name), ("Gubernur Lampung", "Dendi Ramadhona"))


class TemplatePageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_the_page_runs_the_same_queries_however_many_templates_were_uploaded(self):
        self.client.force_login(self.w.alice)
        self.client.get(reverse("letterheads:index"))  # warm the session and the user
        with CaptureQueriesContext(connection) as before:
            self.client.get(reverse("letterheads:index"))
        for kind in ("ksb", "pks", "cover_letter"):
            for _ in range(2):
                services.template_upload(actor=self.w.alice, kind=kind, upload=docx_file("{{ number }}"))
        with CaptureQueriesContext(connection) as after:
            self.assertEqual(self.client.get(reverse("letterheads:index")).status_code, 200)
        self.assertEqual(len(after), len(before))
