"""Every generated report document opened as its recipient opens it: A4 pages, the charts,
Indonesian separators, no raw values, no doubled punctuation, no unfilled tag."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from personas import build_world

from jalin.letterheads import services as letterheads
from jalin.monitoring.models import Beneficiary, BudgetLine, BudgetRealisation, Obligation, ProgressReport
from jalin.reports import charts, letters, render, selectors
from jalin.reports.models import ReportJob
from tests.document_checks import assert_clean, assert_docx_a4, assert_pdf_a4, docx_parts, docx_text, pdf_text

ISSUE = {"version": 2, "issued_at": "2026-07-10T09:00:00+07:00", "issued_by": "Alice", "supersedes": 1}


def add_large_figures(world) -> None:
    year = timezone.localdate().year
    Obligation.objects.create(agreement=world.pks, description="Layanan keliling 12 desa", status="met")
    line = BudgetLine.objects.create(
        agreement=world.pks, party="ours", source="apbd", description="Operasional", planned=Decimal("72799000")
    )
    report = ProgressReport.objects.create(
        agreement=world.pks,
        period_starts_on=datetime.date(year, 1, 1),
        period_ends_on=datetime.date(year, 6, 30),
        status="verified",
        summary="Berjalan",
        problems="Ambulans rusak.",
        follow_up="Pengadaan suku cadang.",
        created_by=world.oscar,
        verified_by=world.alice,
        verified_at=timezone.now(),
    )
    Beneficiary.objects.create(report=report, group="women", count=30620, method="Daftar hadir")
    BudgetRealisation.objects.create(report=report, budget_line=line, amount=Decimal("24500000"))


class PeriodicReportDocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        add_large_figures(cls.w)
        cls.period = selectors.parse_period(str(timezone.localdate().year))

    def report(self):
        return selectors.periodic_report(selectors.scope_for_user(self.w.alice), self.period)

    def test_the_pdf_is_a4_with_charts_separators_and_what_it_counts(self):
        content = render.periodic_pdf(self.report(), "id", issue=ISSUE)
        assert_pdf_a4(self, content)
        text = " ".join(pdf_text(content).split())
        assert_clean(self, text)
        for expected in ("30.620", "Rp 72.799.000", "Rp 24.500.000", "versi 2", "menggantikan versi 1"):
            self.assertIn(expected, text)
        self.assertIn("laporan kemajuan yang diverifikasi sampai", text)
        from pypdf import PdfReader

        images = {image.data for page in PdfReader(io.BytesIO(content)).pages for image in page.images}
        self.assertEqual(len(images), 4)  # the four charts, the same PNGs as in the DOCX

    def test_the_docx_is_a4_and_carries_the_same_charts_tables_and_figures(self):
        report = self.report()
        content = render.periodic_docx(report, "id", issue=ISSUE)
        assert_docx_a4(self, content)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            images = [name for name in archive.namelist() if name.startswith("word/media/")]
        self.assertEqual(len(images), len(render.periodic_charts(report)))
        text = docx_text(content)
        assert_clean(self, text)
        for expected in ("30.620", "Rp 72.799.000", "Rp 24.500.000", "versi 2", "Ambulans rusak."):
            self.assertIn(expected, text)
        pdf = " ".join(pdf_text(render.periodic_pdf(report, "id", issue=ISSUE)).split())
        for line in render.basis_lines(report, ISSUE):
            self.assertIn(line, text)
            self.assertIn(line, pdf)

    def test_docx_table_rows_never_split_and_headers_repeat(self):
        xml = docx_parts(render.periodic_docx(self.report(), "en"))["word/document.xml"]
        tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, flags=re.S)
        self.assertGreater(len(tables), 5)
        for table in tables:
            rows = re.findall(r"<w:tr[ >].*?</w:tr>", table, flags=re.S)
            self.assertTrue(all("<w:cantSplit/>" in row for row in rows))
            self.assertIn("<w:tblHeader/>", rows[0])

    def test_the_pdf_keeps_rows_whole_and_repeats_headers(self):
        from django.template.loader import render_to_string

        css = render_to_string("reports/_print_style.html")
        self.assertIn("tr { break-inside: avoid", css)
        self.assertIn("thead { display: table-header-group", css)
        self.assertIn("size: A4; margin: 20mm 20mm 25mm 30mm", css)

    def test_xlsx_cells_stay_numbers_with_a_number_format(self):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(render.periodic_xlsx(self.report(), "en", issue=ISSUE)))
        cells = {row[0].value: row[1] for row in workbook["Summary"].iter_rows() if len(row) > 1 and row[0].value}
        beneficiaries = cells["Beneficiaries (verified)"]
        self.assertEqual(beneficiaries.value, 30620)
        self.assertEqual(beneficiaries.number_format, "#,##0")
        planned = cells["Budget planned (Rp)"]
        self.assertEqual(planned.value, 72799000)
        self.assertEqual(planned.number_format, '"Rp "#,##0')
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    self.assertNotIn(value, ("None", "True", "False"))

    def test_chart_labels_are_whole_and_inside_the_image(self):
        chart = charts.Chart("Anggaran (Rp)", [("Direncanakan", 72799000.0), ("Terealisasi", 1.0)], money=True)
        figure = charts.figure(chart)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        renderer = FigureCanvasAgg(figure).get_renderer()
        saved = figure.get_tightbbox(renderer)  # what bbox_inches="tight" keeps, in inches
        self.assertIn("Rp 72.799.000", [text.get_text() for text in figure.axes[0].texts])
        for text in figure.axes[0].texts:
            box = text.get_window_extent(renderer).transformed(figure.dpi_scale_trans.inverted())
            self.assertLessEqual(box.x1, saved.x1 + 1e-6)
            self.assertGreaterEqual(box.x0, saved.x0 - 1e-6)


class SheetAndLetterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        add_large_figures(cls.w)

    def test_fact_sheets_and_evaluation_reports_show_no_raw_values(self):
        for agreement in (self.w.ksb, self.w.pks, self.w.tourism, self.w.published):
            sheet = selectors.fact_sheet(self.w.alice, agreement.pk)
            for language in ("id", "en"):
                content = render.fact_sheet_pdf(sheet, language)
                assert_pdf_a4(self, content)
                assert_clean(self, " ".join(pdf_text(content).split()))
        text = " ".join(
            pdf_text(render.fact_sheet_pdf(selectors.fact_sheet(self.w.alice, self.w.pks.pk), "id")).split()
        )
        self.assertIn("30.620", text)
        self.assertIn("Rp 72.799.000", text)

    def test_the_cover_letter_carries_the_governments_settings(self):
        letterheads.letter_settings_update(
            actor=self.w.alice,
            fields={
                "number_pattern": "000.5.4/…/BKS/{year}",
                "place": "Gedong Tataan",
                "addressee": "Gubernur Lampung",
                "addressee_place": "Bandar Lampung",
                "signatory_name": "Dendi Ramadhona",
                "signatory_title": "Bupati Pesawaran",
                "copies_to": "Menteri Dalam Negeri\nArsip",
            },
        )
        period = selectors.parse_period("2026-S1")
        year = str(timezone.localdate().year)
        docx_content = letters.cover_letter_docx(self.w.pesawaran, period, "id", ISSUE)
        pdf_content = letters.cover_letter_pdf(self.w.pesawaran, period, "id", ISSUE)
        assert_docx_a4(self, docx_content)
        assert_pdf_a4(self, pdf_content)
        for text in (docx_text(docx_content), " ".join(pdf_text(pdf_content).split())):
            assert_clean(self, text)
            for expected in (
                f"000.5.4/…/BKS/{year}",
                "Gubernur Lampung",
                "Dendi Ramadhona",
                "Semester I 2026",
                "Arsip",
            ):
                self.assertIn(expected, text)

    def test_the_cover_letter_without_settings_has_dots_to_fill_in(self):
        period = selectors.parse_period("2026-S1")
        text = docx_text(letters.cover_letter_docx(self.w.lamsel, period, "id"))
        assert_clean(self, text)
        self.assertIn("Nomor", text)
        self.assertIn("…………", text)
        self.assertNotIn("Tembusan", text)
        self.assertNotIn("NIP", text)

    def test_the_job_page_offers_the_cover_letter(self):
        job = ReportJob.objects.create(
            requested_by=self.w.alice,
            government=self.w.pesawaran,
            kind="periodic",
            format="pdf",
            params={"period": "2026-S1", "language": "id"},
        )
        self.client.force_login(self.w.alice)
        response = self.client.get(reverse("reports:cover-letter", args=[job.pk, "docx"]))
        self.assertEqual(response.status_code, 200)
        assert_docx_a4(self, response.content)
        self.client.force_login(self.w.lena)
        self.assertEqual(self.client.get(reverse("reports:cover-letter", args=[job.pk, "pdf"])).status_code, 404)
