"""Items 3 and 4 (output): one formula escape for every CSV and XLSX writer, and every XML
writer (Atom, XLSX, DOCX) safe for rows stored with control characters (jalin/lib/text.py)."""

import csv
import io
from decimal import Decimal

from django.core.files.storage import default_storage
from django.test import SimpleTestCase, TestCase
from django.utils import timezone
from openpyxl import load_workbook
from personas import build_world

from jalin.agreements.models import Agreement
from jalin.lib.text import spreadsheet_cell, xml_text
from jalin.reports.models import JobStatus, ReportFormat, ReportJob, ReportKind
from jalin.reports.services import report_job_run

DANGEROUS = ["=1+1", '=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tTAB", "\rCR", "-"]


class SpreadsheetCellTests(SimpleTestCase):
    def test_it_escapes_every_text_a_spreadsheet_would_run(self):
        for text in DANGEROUS:
            self.assertEqual(spreadsheet_cell(text), "'" + text)

    def test_numbers_and_harmless_text_stay_as_they_are(self):
        for value in (-5, 1.5, Decimal("-2.50"), None, "PKS 1", "Rp 1.000", "2024-01-01"):
            self.assertEqual(spreadsheet_cell(value), value)

    def test_xml_text_drops_what_xml_cannot_carry(self):
        self.assertEqual(xml_text("a\x01b\x0bc\td\ne"), "abc\td\ne")


class OldRowsWithControlCharactersTests(TestCase):
    """A published agreement stored before the input check, with U+0001 and a formula."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        Agreement.objects.filter(pk=cls.world.published.pk).update(
            title="=1+1 PKS desa\x01 wisata", intended_benefits="-2+3 manfaat\x01"
        )

    def test_both_atom_feeds_answer(self):
        for path in ("/feeds/agreements.atom", f"/g/{self.world.pesawaran.code}/feeds/agreements.atom"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertIn("PKS desa wisata", response.content.decode())

    def test_the_open_data_csv_escapes_formulas(self):
        response = self.client.get("/open-data/agreements.csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        titles = [row[rows[0].index("title")] for row in rows[1:]]
        self.assertIn("'=1+1 PKS desa wisata", titles)

    def job(self, kind, fmt, **params) -> ReportJob:
        job = ReportJob.objects.create(
            requested_by=self.world.alice, government=self.world.pesawaran, kind=kind, format=fmt,
            params={"language": "en", **params},
        )  # fmt: skip
        job = report_job_run(job_id=job.pk)
        self.assertEqual(job.status, JobStatus.DONE, job.message)
        return job

    def cells(self, job) -> list:
        with default_storage.open(job.file.name, "rb") as handle:
            workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
        return [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]

    def test_the_register_xlsx_and_csv_jobs_succeed_and_escape(self):
        cells = self.cells(self.job(ReportKind.REGISTER, ReportFormat.XLSX))
        self.assertIn("'=1+1 PKS desa wisata", cells)
        self.assertIn("'-2+3 manfaat", cells)
        job = self.job(ReportKind.REGISTER, ReportFormat.CSV)
        with default_storage.open(job.file.name, "rb") as handle:
            self.assertIn("'=1+1 PKS desa", handle.read().decode("utf-8-sig"))

    def test_the_periodic_xlsx_and_docx_jobs_succeed(self):
        period = str(timezone.localdate().year)
        cells = self.cells(self.job(ReportKind.PERIODIC, ReportFormat.XLSX, period=period))
        self.assertIn("'=1+1 PKS desa wisata", cells)
        self.assertNotIn("=1+1 PKS desa\x01 wisata", cells)
        self.job(ReportKind.PERIODIC, ReportFormat.DOCX, period=period)
