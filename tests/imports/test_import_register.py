import datetime
import hashlib
import io
import sys
import tracemalloc
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import translation
from personas import build_world

from jalin.agreements.models import Agreement, Category, Kind
from jalin.audit.models import AuditEntry
from jalin.imports import parsing, services
from jalin.imports.models import ImportStatus, RegisterImport
from jalin.partners.models import Partner, PartnerType

sys.path.insert(0, str(Path(__file__).parent / "files"))
import import_workbooks as books


class InEnglish:
    """These tests read the English messages; the default language is Indonesian."""

    def setUp(self):
        super().setUp()
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def table(data: bytes, name: str = "register.xlsx") -> parsing.Table:
    return parsing.read_table(io.BytesIO(data), name)


def run(actor, data: bytes, *, dry_run: bool, name: str = "register.xlsx") -> services.ImportResult:
    sheet = table(data, name)
    return services.run_import(actor=actor, table=sheet, mapping=sheet.guessed_mapping(), dry_run=dry_run)


class ParsingTests(InEnglish, TestCase):
    def test_it_finds_the_header_below_a_title_block_with_merged_cells(self):
        sheet = table(books.xlsx(books.messy_rows()))
        self.assertEqual(sheet.header_row, 6)
        guessed = {column.letter: column.guess for column in sheet.columns}
        self.assertEqual(
            guessed,
            {
                "A": None,
                "B": "number",
                "C": "title",
                "D": "partners",
                "E": "lead_agency",
                "F": "signed_on",
                "G": "effective_on",
                "H": "ends_on",
                "I": "value",
                "J": None,
            },
        )
        self.assertEqual([row.number for row in sheet.rows], [7, 8, 9, 10, 12])

    def test_it_understands_indonesian_header_variants(self):
        for label, expected in [
            ("No. PKS", "number"),
            ("Nomor Perjanjian", "number"),
            ("Tgl Berakhir", "ends_on"),
            ("Tgl. Berakhir", "ends_on"),
            ("Mitra Kerja Sama", "partners"),
            ("OPD Pelaksana", "lead_agency"),
            ("Nomor Pihak Kedua", "partner_number"),
            ("Jenis Naskah", "kind"),
            ("Sumber Dana", "financing"),
            ("Tanggal Penandatanganan", "signed_on"),
            ("No.", None),
            ("Keterangan", None),
        ]:
            with self.subTest(label=label):
                self.assertEqual(parsing.guess_field(label), expected)

    def test_it_reads_dates_as_dates_or_indonesian_text(self):
        excel_cell = datetime.datetime(2023, 1, 12)  # noqa: DTZ001 (an Excel cell has no time zone)
        self.assertEqual(parsing.parse_date(excel_cell), (datetime.date(2023, 1, 12), False))
        self.assertEqual(parsing.parse_date("12 Januari 2023"), (datetime.date(2023, 1, 12), False))
        self.assertEqual(parsing.parse_date("12-01-2023"), (datetime.date(2023, 1, 12), False))
        self.assertEqual(parsing.parse_date("12/01/23"), (datetime.date(2023, 1, 12), False))
        self.assertEqual(parsing.parse_date("Senin, 3 Agustus 2020"), (datetime.date(2020, 8, 3), False))
        self.assertEqual(parsing.parse_date("2023"), (datetime.date(2023, 1, 1), True))
        self.assertEqual(parsing.parse_date("2023", end_of_period=True), (datetime.date(2023, 12, 31), True))
        self.assertEqual(parsing.parse_date(2023), (datetime.date(2023, 1, 1), True))
        for bad in ("31 Februari 2023", "besok", "13-13-2023"):
            with self.subTest(bad=bad), self.assertRaises(parsing.CellProblem):
                parsing.parse_date(bad)

    def test_it_reads_rupiah_amounts(self):
        self.assertEqual(parsing.parse_amount("Rp 1.500.000.000,00"), Decimal("1500000000.00"))
        self.assertEqual(parsing.parse_amount("Rp. 2.000.000,-"), Decimal("2000000.00"))
        self.assertEqual(parsing.parse_amount("1,500,000.50"), Decimal("1500000.50"))
        self.assertEqual(parsing.parse_amount("1,5 miliar"), Decimal("1500000000.00"))
        self.assertEqual(parsing.parse_amount(250000000), Decimal("250000000.00"))
        self.assertIsNone(parsing.parse_amount("-"))
        with self.assertRaises(parsing.CellProblem):
            parsing.parse_amount("seratus juta rupiah")

    def test_it_splits_several_partners_in_one_cell(self):
        self.assertEqual(parsing.parse_list("A\nB"), ["A", "B"])
        self.assertEqual(parsing.parse_list("A; B"), ["A", "B"])
        self.assertEqual(
            parsing.parse_list("1. Universitas Lampung 2. PT Bank Lampung, Tbk"),
            ["Universitas Lampung", "PT Bank Lampung, Tbk"],
        )
        self.assertEqual(parsing.parse_list("Dinas Pariwisata dan Kebudayaan"), ["Dinas Pariwisata dan Kebudayaan"])

    def test_it_reads_a_semicolon_csv_in_windows_encoding(self):
        data = books.csv_bytes(
            [
                [
                    "1/PKS/2023",
                    "Kerja sama café",
                    "Universitas Lampung",
                    "Dinkes",
                    "12 Januari 2023",
                    "2025",
                    "Rp 5.000.000",
                ]
            ],
            encoding="cp1252",
        )
        sheet = table(data, "register.csv")
        self.assertEqual(sheet.rows[0].cells[1], "Kerja sama café")
        self.assertEqual(sheet.guessed_mapping()["0"], "number")

    def test_it_ends_the_table_after_a_long_run_of_blank_rows(self):
        rows = [["1/PKS/2023", "Kerja sama", "Universitas Lampung", "Dinkes", "", "", ""]]
        data = books.csv_bytes(rows) + b"\r\n" * parsing.MAX_BLANK_RUN + b"2/PKS/2023;Jauh di bawah;X;Dinkes;;;\r\n"
        self.assertEqual([row.cells[0] for row in table(data, "register.csv").rows], ["1/PKS/2023"])
        data = books.csv_bytes(rows) + b"\r\n" * 10 + b"2/PKS/2023;Dekat;X;Dinkes;;;\r\n"
        self.assertEqual(len(table(data, "register.csv").rows), 2)


class ImportRunTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_previews_without_changing_anything(self):
        agreements, partners, entries = Agreement.objects.count(), Partner.objects.count(), AuditEntry.objects.count()
        result = run(self.world.alice, books.xlsx(books.messy_rows()), dry_run=True)
        self.assertFalse(result.has_errors, result.problem_lines())
        self.assertEqual(
            [(row.row, row.action) for row in result.rows],
            [(7, "create"), (8, "create"), (9, "skip"), (10, "create"), (12, "skip")],
        )
        self.assertEqual(result.rows[1].new_partners, ["PT Wisata Nusantara"])
        self.assertEqual((Agreement.objects.count(), Partner.objects.count()), (agreements, partners))
        self.assertEqual(AuditEntry.objects.count(), entries)

    def test_it_imports_every_row_through_the_services_and_matches_partners(self):
        result = run(self.world.alice, books.xlsx(books.messy_rows()), dry_run=False)
        self.assertTrue(result.committed, result.problem_lines())
        pks = Agreement.objects.get(number="100/1/PKS/2023")
        self.assertEqual(pks.title, "Pelayanan kesehatan terpadu")
        self.assertEqual(pks.kind, Kind.PKS)
        self.assertEqual(pks.lead_agency, self.world.dinkes)
        self.assertEqual(pks.signed_on, datetime.date(2023, 1, 12))
        self.assertEqual(pks.ends_on, datetime.date(2026, 1, 12))
        self.assertEqual(pks.value, Decimal("1500000000.00"))
        self.assertEqual(list(pks.partners.all()), [self.world.unila])
        tourism = Agreement.objects.get(number="556/7/PKS/2023")
        self.assertEqual(tourism.effective_on, datetime.date(2023, 1, 1))
        names = [party.partner.name for party in tourism.parties.select_related("partner")]
        self.assertEqual(names, ["PT Bank Lampung", "PT Wisata Nusantara"])  # the bank matched, not duplicated
        self.assertEqual(Partner.objects.filter(normalised_name="bank lampung").count(), 1)
        ksb = Agreement.objects.get(number="556/8/KSB/2022")
        self.assertEqual((ksb.kind, ksb.category, ksb.lead_agency), (Kind.KSB, Category.KSDPK, self.world.dispar))
        ngo = Partner.objects.get(name="Yayasan Pesisir Lestari")
        self.assertEqual(ngo.partner_type, PartnerType.NGO)

    def test_it_is_idempotent_on_reimport(self):
        data = books.xlsx(books.messy_rows())
        run(self.world.alice, data, dry_run=False)
        counts = Agreement.objects.count(), Partner.objects.count(), AuditEntry.objects.count()
        again = run(self.world.alice, data, dry_run=False)
        self.assertEqual({row.action for row in again.rows}, {"unchanged", "skip"})
        self.assertEqual((Agreement.objects.count(), Partner.objects.count(), AuditEntry.objects.count()), counts)

    def test_it_updates_an_agreement_matched_by_its_number(self):
        rows = books.messy_rows()
        run(self.world.alice, books.xlsx(rows), dry_run=False)
        rows[0] = (*rows[0][:8], "Rp 2.000.000.000", *rows[0][9:])
        result = run(self.world.alice, books.xlsx(rows), dry_run=False)
        self.assertEqual(result.rows[0].action, "update")
        self.assertEqual(Agreement.objects.get(number="100/1/PKS/2023").value, Decimal("2000000000.00"))

    def test_it_matches_an_existing_register_entry(self):
        rows = [(1, "180/2/PKS/2024", "PKS layanan kesehatan keliling", "Universitas Lampung", "Dinkes")]
        rows[0] += (self.world.pks.signed_on, self.world.pks.effective_on, self.world.pks.ends_on, None, "")
        result = run(self.world.alice, books.xlsx(rows), dry_run=True)
        self.assertEqual(result.rows[0].action, "unchanged")
        self.assertEqual(result.rows[0].agreement_id, self.world.pks.pk)

    def test_it_changes_nothing_when_one_row_is_broken(self):
        rows = books.messy_rows()
        rows.append(
            (
                5,
                "9/PKS/2023",
                "Baris rusak",
                "Universitas Lampung",
                "Dinas Rahasia",
                "31 Februari 2023",
                None,
                None,
                "banyak",
                "",
            )
        )
        agreements, partners = Agreement.objects.count(), Partner.objects.count()
        result = run(self.world.alice, books.xlsx(rows), dry_run=False)
        self.assertFalse(result.committed)
        self.assertEqual((Agreement.objects.count(), Partner.objects.count()), (agreements, partners))
        broken = result.rows[4]
        self.assertEqual(broken.row, 11)
        columns = sorted(problem.column for problem in broken.problems)
        # an unknown agency is a proposal now (created once confirmed), not a problem
        self.assertEqual(columns, ["F (Tgl TTD)", "I (Nilai (Rp))"])
        self.assertIn("agency:dinas rahasia", result.proposals)
        self.assertIn("Row 11, column F (Tgl TTD)", "\n".join(result.problem_lines()))

    def test_it_reports_the_rules_of_the_register_with_the_row(self):
        rows = [
            (
                1,
                "X/1",
                "Berakhir sebelum mulai",
                "Universitas Lampung",
                "Dinkes",
                "12-01-2023",
                "12-01-2023",
                "01-01-2022",
                None,
                "",
            )
        ]
        result = run(self.world.alice, books.xlsx(rows), dry_run=True)
        self.assertEqual(result.rows[0].action, "error")
        self.assertEqual(result.rows[0].problems[0].column, "H (Tanggal Tgl Berakhir)")

    def test_it_refuses_a_number_twice_in_one_file(self):
        rows = books.messy_rows()
        rows.append(rows[0])
        result = run(self.world.alice, books.xlsx(rows), dry_run=True)
        self.assertIn("already appears in row 7", result.rows[4].problems[0].message)

    def test_it_refuses_formula_cells_in_agreement_rows(self):
        rows = books.messy_rows()
        rows[0] = (*rows[0][:8], "=1500000000*1", *rows[0][9:])
        result = run(self.world.alice, books.xlsx(rows), dry_run=True)
        self.assertTrue(result.has_errors)
        self.assertIn("formula", result.rows[0].problems[0].message)
        self.assertEqual(result.rows[0].problems[0].column, "I (Nilai (Rp))")

    def test_it_is_for_the_admin_only(self):
        sheet = table(books.xlsx(books.messy_rows()))
        for user in (self.world.oscar, self.world.lena, self.world.vera):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.run_import(actor=user, table=sheet, mapping=sheet.guessed_mapping(), dry_run=True)

    def test_it_requires_title_partners_and_agency_columns(self):
        sheet = table(books.xlsx(books.messy_rows()))
        mapping = {key: value for key, value in sheet.guessed_mapping().items() if value != "lead_agency"}
        with self.assertRaises(ValidationError):
            services.run_import(actor=self.world.alice, table=sheet, mapping=mapping, dry_run=True)


@override_settings(IMPORT_MAX_ROWS=5000)
class HostileFileTests(InEnglish, TestCase):
    def assertRefused(self, data: bytes, name: str, words: str) -> None:
        with self.assertRaises(ValidationError) as caught:
            table(data, name)
        self.assertIn(words, " ".join(caught.exception.messages))

    def test_it_refuses_what_is_not_a_spreadsheet(self):
        self.assertRefused(b"%PDF-1.4 not a workbook", "register.xlsx", "is not an Excel workbook")
        self.assertRefused(b"%PDF-1.4 not a workbook", "register.csv", "is not a CSV text file")
        self.assertRefused(b"MZ\x90\x00", "register.exe", "cannot be imported")

    def test_it_refuses_a_password_protected_workbook(self):
        self.assertRefused(books.encrypted(), "register.xlsx", "password-protected")

    def test_it_refuses_a_corrupt_workbook(self):
        self.assertRefused(books.corrupt(), "register.xlsx", "is damaged")

    def test_it_refuses_a_zip_bomb_without_unpacking_it(self):
        data = books.zip_bomb()
        self.assertLess(len(data), 2_000_000)
        tracemalloc.start()
        self.assertRefused(data, "register.xlsx", "unpacks to more than")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        self.assertLess(peak, 10 * 1024 * 1024)

    def test_it_refuses_macros(self):
        self.assertRefused(books.with_macros(), "register.xlsx", "contains macros")
        self.assertRefused(books.xlsx(books.messy_rows()), "register.xlsm", "macro-enabled")

    def test_it_refuses_a_register_without_a_header(self):
        self.assertRefused(b"Laporan;Catatan\n1;2\n", "register.csv", "No header row")

    def test_it_stops_reading_at_the_row_limit_with_bounded_memory(self):
        data = books.many_rows(100_000)
        tracemalloc.start()
        self.assertRefused(data, "register.xlsx", "has more than 5000 rows")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        self.assertLess(peak, 40 * 1024 * 1024)


class CommandTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def write(self, data: bytes, name: str = "register.xlsx") -> str:
        path = Path(self.tmp.name) / name
        path.write_bytes(data)
        return str(path)

    def setUp(self):
        import tempfile

        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def test_it_dry_runs_then_imports_and_keeps_the_source_file(self):
        path = self.write(books.xlsx(books.messy_rows()))
        out = io.StringIO()
        call_command("import_register", path, "--government", "18.09", "--dry-run", stdout=out)
        self.assertIn("Dry run: 3 to create", out.getvalue())
        self.assertFalse(Agreement.objects.filter(number="100/1/PKS/2023").exists())
        out = io.StringIO()
        with self.assertRaises(CommandError):  # new partners are proposals: confirmed with --accept-proposals
            call_command("import_register", path, "--government", "18.09", stdout=io.StringIO())
        self.assertFalse(RegisterImport.objects.exists())
        call_command("import_register", path, "--government", "18.09", "--accept-proposals", stdout=out)
        self.assertIn("Imported: 3 created", out.getvalue())
        self.assertIn("proposal(s) confirmed", out.getvalue())
        record = RegisterImport.objects.get()
        self.assertEqual(
            (record.status, record.created_count, record.created_by), (ImportStatus.DONE, 3, self.world.alice)
        )
        with record.file.open("rb") as stored:
            self.assertEqual(stored.read(), Path(path).read_bytes())
        # audited as one import: every entry of the run carries the import's correlation id
        entries = AuditEntry.objects.filter(cid=record.correlation_id)
        self.assertGreaterEqual(entries.filter(agreement__number="100/1/PKS/2023").count(), 1)
        self.assertEqual(entries.count(), AuditEntry.objects.filter(cid__isnull=False).count())

    def test_it_exits_non_zero_listing_the_problems(self):
        rows = [(1, "X/1", "Tanggal rusak", "Universitas Lampung", "Dinkes", "31 Februari 2023", None, None, None, "")]
        path = self.write(books.xlsx(rows))
        with self.assertRaises(CommandError) as caught:
            call_command("import_register", path, "--government", "18.09", "--accept-proposals", stdout=io.StringIO())
        self.assertIn("Row 7, column F (Tgl TTD)", str(caught.exception))
        self.assertIn("nothing was changed", str(caught.exception))
        self.assertFalse(RegisterImport.objects.exists())

    def test_it_exits_non_zero_on_a_bad_file(self):
        path = self.write(books.encrypted())
        with self.assertRaises(CommandError) as caught:
            call_command("import_register", path, "--government", "18.09", stdout=io.StringIO())
        self.assertIn("password-protected", str(caught.exception))

    def test_it_needs_a_government_when_several_have_admins(self):
        path = self.write(books.xlsx(books.messy_rows()))
        with self.assertRaises(CommandError):
            call_command("import_register", path, stdout=io.StringIO())


class UploadPageTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        super().setUp()
        from huey.contrib.djhuey import HUEY

        immediate = HUEY.immediate
        HUEY.immediate = True  # the background steps run as their on_commit fires
        self.addCleanup(setattr, HUEY, "immediate", immediate)

    def upload(self, data: bytes, name: str = "register.xlsx"):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/app/imports/", {"file": SimpleUploadedFile(name, data)})

    def post(self, url, data=None):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data or {})

    def test_it_walks_from_upload_through_mapping_and_preview_to_the_import(self):
        self.client.force_login(self.world.alice)
        response = self.upload(books.xlsx(books.messy_rows()))
        record = RegisterImport.objects.get()
        self.assertRedirects(response, f"/app/imports/{record.pk}/", fetch_redirect_response=False)
        record.refresh_from_db()
        self.assertEqual((record.status, record.rows_staged), (ImportStatus.STAGED, record.rows_total))
        page = self.client.get(f"/app/imports/{record.pk}/mapping/")
        self.assertContains(page, "Tgl TTD")
        mapping = {f"col_{index}": target for index, target in record.mapping.items()}
        mapping["col_5"] = ""  # the officer drops the signing date column
        response = self.post(f"/app/imports/{record.pk}/mapping/", mapping)
        self.assertRedirects(response, f"/app/imports/{record.pk}/", fetch_redirect_response=False)
        preview = self.client.get(f"/app/imports/{record.pk}/preview/")
        self.assertContains(preview, "Pelayanan kesehatan terpadu")
        self.assertContains(preview, "PT Wisata Nusantara")
        self.assertFalse(Agreement.objects.filter(number="100/1/PKS/2023").exists())
        record.refresh_from_db()
        accepted = [proposal["key"] for proposal in record.proposals]
        response = self.post(f"/app/imports/{record.pk}/preview/", {"accept": accepted})
        self.assertRedirects(response, f"/app/imports/{record.pk}/", fetch_redirect_response=False)
        self.assertIsNone(Agreement.objects.get(number="100/1/PKS/2023").signed_on)
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.DONE)
        source = self.client.get(f"/app/imports/{record.pk}/source/")
        with record.file.open("rb") as stored:
            kept = stored.read()
        self.assertEqual(b"".join(source.streaming_content), kept)
        self.assertEqual(hashlib.sha256(kept).hexdigest(), record.sha256)
        entries = AuditEntry.objects.filter(cid=record.correlation_id).exclude(agreement=None)
        self.assertEqual(entries.values("agreement").distinct().count(), 3)

    def test_it_shows_problems_per_row_and_blocks_the_import(self):
        self.client.force_login(self.world.alice)
        rows = [(1, "X/1", "Tanggal rusak", "Universitas Lampung", "Dinkes", "31 Februari 2023", None, None, None, "")]
        self.upload(books.xlsx(rows))
        record = RegisterImport.objects.get()
        preview = self.client.get(f"/app/imports/{record.pk}/preview/")
        self.assertContains(preview, "F (Tgl TTD)")
        self.assertNotContains(preview, 'type="submit">')
        self.post(f"/app/imports/{record.pk}/preview/")
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.STAGED)
        self.assertFalse(Agreement.objects.filter(number="X/1").exists())

    def test_it_refuses_a_bad_file_with_a_clear_message(self):
        self.client.force_login(self.world.alice)
        response = self.upload(books.zip_bomb())
        self.assertContains(response, "unpacks to more than")
        self.assertFalse(RegisterImport.objects.exists())

    def test_it_is_closed_to_other_roles_and_governments(self):
        self.client.force_login(self.world.alice)
        self.upload(books.xlsx(books.messy_rows()))
        record = RegisterImport.objects.get()
        for user, status in ((self.world.oscar, 403), (self.world.lena, 403), (self.world.sam, 404)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(f"/app/imports/{record.pk}/preview/").status_code, status)
                self.assertEqual(self.client.get(f"/app/imports/{record.pk}/source/").status_code, status)
                self.assertEqual(self.client.get(f"/app/imports/{record.pk}/progress/").status_code, status)
                self.assertEqual(self.client.get(f"/app/imports/{record.pk}/report/").status_code, status)
                self.assertEqual(self.client.post(f"/app/imports/{record.pk}/undo/").status_code, status)
                self.assertEqual(self.client.post(f"/app/imports/{record.pk}/rerun/").status_code, status)
        self.client.force_login(self.world.oscar)
        self.assertEqual(self.client.get("/app/imports/").status_code, 403)
