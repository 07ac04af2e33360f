"""Every shipped draft template, filled with a fully populated agreement and with one whose
optional fields are all empty, opened as the division would open it in Word."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import docx
from django.conf import settings
from django.test import TestCase

from jalin.agreements.models import Agreement, Kind
from jalin.agreements.services import PartyInput, agreement_create
from jalin.governments.models import Affair
from jalin.workflow.drafts import render_draft, template_path
from tests.document_checks import assert_clean, assert_docx_a4, docx_parts, docx_text
from tests.personas import build_world


class DraftTemplateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        w = cls.w
        cls.full = agreement_create(
            actor=w.alice,
            fields={
                "category": "ksdpk",
                "kind": Kind.PKS,
                "title": "Pengelolaan sampah di pinggir jalan dan sungai.",
                "number": "660/12/PKS/2026",
                "lead_agency": w.dinkes,
                "parent": w.ksb,
                "signed_on": datetime.date(2026, 3, 2),
                "effective_on": datetime.date(2026, 3, 2),
                "ends_on": datetime.date(2029, 3, 1),
                "financing": "shared",
                "value": Decimal("72799000"),
                "our_signatory_name": "Dendi Ramadhona",
                "our_signatory_title": "Bupati Pesawaran",
                "object": "Pengangkutan sampah di pinggir jalan dan sungai.",
                "scope": "Pengangkutan sampah;\nPelatihan petugas.",
                "intended_benefits": "Desa mengelola sampahnya sendiri dengan armada yang disediakan sendiri.",
            },
            parties=[
                PartyInput(w.unila, "01/UN26/2026", "Prof. Lusmeilia Afriani", "Rektor"),
            ],
            affairs=[Affair.objects.get(code="1.02")],
        )
        cls.empty = agreement_create(
            actor=w.alice,
            fields={
                "category": "ksdpk",
                "kind": Kind.KSB,
                "title": "Kesepakatan tanpa rincian",
                "lead_agency": w.dinkes,
            },
            parties=[PartyInput(w.unila), PartyInput(w.bank)],
        )

    def _render(self, agreement, kind):
        Agreement.objects.filter(pk=agreement.pk).update(kind=kind)
        agreement.refresh_from_db()
        return render_draft(agreement)

    def test_it_fills_every_shipped_template_with_a_full_and_an_empty_agreement(self):
        kinds = [Kind.KSB, Kind.PKS, Kind.NK, Kind.RK, Kind.MOU, Kind.ADDENDUM]
        for kind in kinds:
            for agreement in (self.full, self.empty):
                with self.subTest(kind=kind, agreement=agreement.title):
                    content = self._render(agreement, kind)
                    assert_docx_a4(self, content)
                    text = docx_text(content)
                    assert_clean(self, text, numbers=False)
                    self.assertIn("Pasal 10", text)
                    self.assertIn("PIHAK KESATU", text)

    def test_it_writes_values_that_end_with_a_full_stop_once(self):
        text = docx_text(self._render(self.full, Kind.PKS))
        self.assertIn("dengan armada yang disediakan sendiri.", text)
        self.assertNotIn("sendiri..", text)
        self.assertIn("Objek kerja sama ini adalah Pengangkutan sampah di pinggir jalan dan sungai.", text)
        self.assertIn("meliputi Pengangkutan sampah; Pelatihan petugas.", text)
        self.assertIn("Rp 72.799.000", text)
        self.assertIn("Berdasarkan Kesepakatan Bersama (KSB) 180/1/KSB/2024", text)
        self.assertIn("Urusan pemerintahan: 1.02", text)
        self.assertIn(
            "Universitas Lampung, diwakili oleh Prof. Lusmeilia Afriani (Rektor), selanjutnya disebut PIHAK KEDUA;",
            text,
        )

    def test_it_leaves_out_the_paragraphs_of_empty_optional_fields(self):
        text = docx_text(self._render(self.empty, Kind.PKS))
        self.assertNotIn("Berdasarkan", text)
        self.assertNotIn("Urusan pemerintahan", text)
        self.assertIn("Nomor: …………", text)  # dots for the division to fill in by hand
        # one paragraph per partner, each its own party
        self.assertIn("Universitas Lampung, selanjutnya disebut PIHAK KEDUA;", text)
        self.assertIn("PT Bank Lampung, selanjutnya disebut PIHAK KETIGA;", text)

    def test_it_keeps_the_styles_numbering_and_signature_block_of_the_template(self):
        document = docx.Document(io.BytesIO(self._render(self.full, Kind.PKS)))
        by_text = {p.text: p for p in document.paragraphs}
        self.assertEqual(by_text["PERJANJIAN KERJA SAMA"].style.name, "Heading 1")
        self.assertEqual(by_text["Pasal 1"].style.name, "Heading 2")
        parties = [p for p in document.paragraphs if "selanjutnya disebut PIHAK" in p.text]
        self.assertEqual([p.style.name for p in parties], ["List Number"] * 2)
        title = next(p for p in document.paragraphs if p.text == "PENGELOLAAN SAMPAH DI PINGGIR JALAN DAN SUNGAI")
        self.assertTrue(title.runs[0].bold)  # the filled run keeps the template's bold
        signatures = document.tables[-1]
        self.assertEqual(signatures.cell(0, 0).text, "PIHAK KESATU")
        self.assertIn("Dendi Ramadhona", signatures.cell(2, 0).text)
        self.assertIn("Prof. Lusmeilia Afriani", signatures.cell(2, 1).text)
        xml = docx_parts(self._render(self.full, Kind.PKS))["word/document.xml"]
        self.assertEqual(len(re.findall(r"<w:cantSplit/>", xml)), 3)  # the block never splits

    def test_the_shipped_templates_are_a4_and_only_use_known_tags(self):
        from jalin.letterheads.docx import template_tags
        from jalin.workflow.drafts import TAGS

        for name in ("ksb", "pks"):
            path = template_path(name)
            self.assertEqual(path.parent, Path(settings.WORKFLOW_DRAFT_TEMPLATES_DIR))
            assert_docx_a4(self, path.read_bytes())
            self.assertLessEqual(template_tags(path), set(TAGS) | {"party"})
