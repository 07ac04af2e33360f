"""Registers as divisions really keep them: several sheets, vertical agencies, agencies
written another way or unknown, shared and numbered partner numbers, partners already in
the register under another name; hostile shared strings; the background pipeline, the
report and the undo. Every workbook is written by the test."""

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
import unittest
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.utils import translation
from openpyxl import Workbook, load_workbook
from personas import build_world

from jalin.agreements import services as agreement_services
from jalin.agreements.models import Agreement, Category
from jalin.audit.models import AuditEntry
from jalin.governments.models import Agency
from jalin.imports import parsing, pipeline, services
from jalin.imports.models import ImportStatus, RegisterImport
from jalin.imports.report import report_xlsx
from jalin.partners.models import Partner, PartnerType

HEADER = ["No", "Nomor", "Nomor Mitra", "Judul", "Jenis Naskah", "Mitra", "OPD Pelaksana", "Tgl TTD", "Naskah Induk"]
PKS_ROWS = [
    [1, "1/PKS/2024", "W.1/PKS/2024", "Sertifikasi tanah aset daerah", "PKS",
     "Kantor Pertanahan Kabupaten Pesawaran", "Dinas PUPR", "2024", None],
    [2, "2/PKS/2024", "B-12/KEJARI/2024", "Pendampingan hukum perdata", "PKS",
     "Kejaksaan Negeri Pesawaran", "Bag. KS", "12 Maret 2024", None],
    [3, "3/PKS/2024", "1) 620/31/PKS/DPU/2023 2) 180/44/PKS/HK/2023", "Keamanan jalan perbatasan", "PKS",
     "1) Polres Pesawaran 2) Kabupaten Lampung Selatan", "Dinas Kesehatan Kab. Pesawaran", "2024", None],
    [4, "4/PKS/2024", "KS/7/2024", "Kerja sama tripartit jaminan kesehatan", "PKS",
     "Kodim 0421/Lampung Selatan; BPJS Kesehatan Cabang Metro", "Dinas Perikanan", "2024", None],
    [5, "5/PKS/2024", None, "Data statistik sektoral", "PKS", "BPS Kabupaten Pesawaran",
     "Dinas Koperasi, UKM, Perindustrian dan Perdagangan", "2024", None],
    [6, "6/PKS/2024", "UNILA/PKS/9", "Beasiswa tenaga kesehatan", "PKS", "Universitas Lampung", "Dinkes", "2024",
     "1/KSB/2024"],
]  # fmt: skip
KSB_ROWS = [[1, "1/KSB/2024", "UNILA/KSB/1", "Kesepakatan bersama kesehatan", "KSB", "Universitas Lampung", "Dinkes",
             "2024", None]]  # fmt: skip


def workbook(pks_rows=PKS_ROWS) -> bytes:
    book = Workbook()
    pks = book.active
    pks.title = "PKS"
    pks.append(["REGISTER PERJANJIAN KERJA SAMA"])
    pks.append([])
    pks.append(HEADER)
    for row in pks_rows:
        pks.append(row)
    ksb = book.create_sheet("KSB-MoU")
    ksb.append(HEADER)
    for row in KSB_ROWS:
        ksb.append(row)
    notes = book.create_sheet("Catatan")
    notes.append(["Dicetak oleh Bagian Kerja Sama"])
    hidden = book.create_sheet("Lama")
    hidden.append(HEADER)
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_strings_bomb(path: Path, megabytes: int = 95) -> None:
    """A workbook of a few hundred kB whose shared strings unpack to `megabytes` MB."""
    source = io.BytesIO()
    book = Workbook()
    book.active.append(["Nomor", "Judul", "Mitra", "OPD"])
    book.save(source)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in original.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, original.read(info))
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"a" * 1000 + b"</t></si>"
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")


class World:
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        government = cls.world.alice.government
        cls.dpupr = Agency.objects.create(
            government=government, name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="DPUPR"
        )
        cls.bks = Agency.objects.create(government=government, name="Bagian Kerja Sama")
        cls.koperindag = Agency.objects.create(
            government=government, name="Dinas Koperasi, Perindustrian dan Perdagangan", short_name="Diskoperindag"
        )
        lamsel = cls.world.alice.government.__class__.objects.get(code="18.01")
        cls.lamsel = Partner.objects.create(
            government=government,
            name="Pemerintah Kabupaten Lampung Selatan",
            normalised_name="kabupaten lampung selatan",
            partner_type=PartnerType.GOVERNMENT,
            region=lamsel,
        )

    def setUp(self):
        super().setUp()
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def run_file(self, data: bytes, *, dry_run: bool, accepted=services.ACCEPT_ALL):
        register = parsing.read_table(io.BytesIO(data), "register.xlsx")
        return services.run_import(
            actor=self.world.alice, table=register, mapping=register.guessed_mapping(), dry_run=dry_run,
            accepted=accepted,
        )  # fmt: skip


class RealRegisterTests(World, TestCase):
    def test_it_reads_every_register_sheet_and_names_the_skipped_ones(self):
        register = parsing.read_table(io.BytesIO(workbook()), "register.xlsx")
        self.assertEqual([table.sheet for table in register.tables], ["PKS", "KSB-MoU"])
        skipped = dict(register.skipped)
        self.assertEqual((set(skipped), skipped["Lama"]), ({"Catatan", "Lama"}, "hidden sheet"))
        self.assertIn("no register header", skipped["Catatan"])

    def test_it_splits_numbered_partner_numbers_that_begin_with_a_digit(self):
        self.assertEqual(
            parsing.parse_list("1) 620/31/PKS/DPU/2023 2) 180/44/PKS/HK/2023"),
            ["620/31/PKS/DPU/2023", "180/44/PKS/HK/2023"],
        )
        self.assertEqual(parsing.parse_list("1. 12/A 2. 13/B 3. 14/C"), ["12/A", "13/B", "14/C"])

    def test_the_preview_proposes_unknown_and_similar_agencies_and_writes_nothing(self):
        before = (Agreement.objects.count(), Partner.objects.count(), Agency.objects.count())
        result = self.run_file(workbook(), dry_run=True)
        self.assertFalse(result.has_errors, result.problem_lines())
        self.assertEqual((Agreement.objects.count(), Partner.objects.count(), Agency.objects.count()), before)
        proposals = {p.text: p for p in result.proposals.values()}
        self.assertEqual(proposals["Dinas Perikanan"].kind, services.ProposalKind.AGENCY_CREATE)
        similar = proposals["Dinas Koperasi, UKM, Perindustrian dan Perdagangan"]
        self.assertEqual((similar.kind, similar.target), (services.ProposalKind.AGENCY_MATCH, self.koperindag.name))
        self.assertNotIn("Dinas PUPR", proposals)  # matched as a person would, no question asked
        self.assertNotIn("Kabupaten Lampung Selatan", proposals)  # already registered under its full name
        self.assertIn("under Kejaksaan Republik Indonesia", proposals["Kejaksaan Negeri Pesawaran"].target)

    def test_it_imports_vertical_agencies_as_central_government_partners(self):
        result = self.run_file(workbook(), dry_run=False)
        self.assertTrue(result.committed, result.problem_lines())
        for name in ("Kantor Pertanahan Kabupaten Pesawaran", "Kejaksaan Negeri Pesawaran", "Polres Pesawaran",
                     "Kodim 0421/Lampung Selatan", "BPJS Kesehatan Cabang Metro", "BPS Kabupaten Pesawaran"):  # fmt: skip
            with self.subTest(name=name):
                self.assertEqual(Partner.objects.get(name=name).partner_type, PartnerType.MINISTRY)
        for number in ("1/PKS/2024", "2/PKS/2024", "4/PKS/2024", "5/PKS/2024"):
            self.assertEqual(Agreement.objects.get(number=number).category, Category.SYNERGY)

    def test_it_matches_agency_variants_and_creates_confirmed_agencies_through_the_service(self):
        self.run_file(workbook(), dry_run=False)
        lead = {a.number: a.lead_agency for a in Agreement.objects.filter(number__endswith="/PKS/2024")}
        self.assertEqual(lead["1/PKS/2024"], self.dpupr)
        self.assertEqual(lead["2/PKS/2024"], self.bks)
        self.assertEqual(lead["3/PKS/2024"], self.world.dinkes)
        self.assertEqual(lead["5/PKS/2024"], self.koperindag)
        created = Agency.objects.get(name="Dinas Perikanan")
        self.assertEqual(lead["4/PKS/2024"], created)
        self.assertTrue(AuditEntry.objects.filter(content_type__model="agency", object_id=str(created.pk)).exists())

    def test_it_allows_one_number_for_several_partners_and_splits_numbered_ones(self):
        result = self.run_file(workbook(), dry_run=False)
        tripartite = Agreement.objects.get(number="4/PKS/2024")
        self.assertEqual([p.party_number for p in tripartite.parties.all()], ["KS/7/2024", "KS/7/2024"])
        row = next(row for row in result.rows if row.number == "4/PKS/2024")
        self.assertTrue(any("One partner number for 2 partners" in note.message for note in row.warnings))
        border = Agreement.objects.get(number="3/PKS/2024")
        self.assertEqual(
            [(p.partner, p.party_number) for p in border.parties.select_related("partner")],
            [
                (Partner.objects.get(name="Polres Pesawaran"), "620/31/PKS/DPU/2023"),
                (self.lamsel, "180/44/PKS/HK/2023"),
            ],
        )
        self.assertFalse(Partner.objects.filter(name="Kabupaten Lampung Selatan").exists())

    def test_a_pks_finds_its_ksb_on_another_sheet(self):
        self.run_file(workbook(), dry_run=False)
        self.assertEqual(Agreement.objects.get(number="6/PKS/2024").parent.number, "1/KSB/2024")

    def test_a_refused_proposal_leaves_nothing_written(self):
        before = Agreement.objects.count()
        result = self.run_file(workbook(), dry_run=False, accepted=set())
        self.assertFalse(result.committed)
        self.assertEqual(Agreement.objects.count(), before)
        self.assertIn("proposal was not confirmed", "\n".join(result.problem_lines()))

    def test_the_command_lists_proposals_and_writes_only_with_accept_proposals(self):
        from django.core.management import call_command
        from django.core.management.base import CommandError

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "register.xlsx"
            path.write_bytes(workbook())
            out = io.StringIO()
            with self.assertRaises(CommandError):
                call_command("import_register", str(path), "--government", "18.09", stdout=out)
            self.assertIn("agency_create: Dinas Perikanan", out.getvalue())
            self.assertFalse(Agreement.objects.filter(number="1/PKS/2024").exists())
            out = io.StringIO()
            call_command("import_register", str(path), "--government", "18.09", "--accept-proposals", stdout=out)
            self.assertIn("sheet Catatan: skipped", out.getvalue())
            self.assertTrue(Agreement.objects.filter(number="1/PKS/2024").exists())


class SharedStringsLimitTests(World, TestCase):
    def test_it_refuses_95_mb_of_shared_strings_quickly_before_any_worker_or_transaction(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bomb.xlsx"
            shared_strings_bomb(path)
            self.assertLess(path.stat().st_size, 400 * 1024)
            data = path.read_bytes()
        tracemalloc.start()
        started = time.monotonic()
        with self.assertRaises(ValidationError) as caught:
            parsing.read_table(io.BytesIO(data), "bomb.xlsx")
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        self.assertIn("times larger than it is stored", caught.exception.messages[0])
        self.assertLess(elapsed, 2)
        self.assertLess(peak, 20 * 1024 * 1024)
        # the upload page refuses it in the request: no import kept, nothing queued
        self.client.force_login(self.world.alice)
        response = self.client.post("/app/imports/", {"file": SimpleUploadedFile("bomb.xlsx", data)})
        self.assertContains(response, "times larger than it is stored")
        self.assertFalse(RegisterImport.objects.exists())

    def test_openpyxl_parses_with_defusedxml(self):
        from openpyxl.xml import DEFUSEDXML

        self.assertTrue(DEFUSEDXML)


class ReportAndUndoTests(World, TestCase):
    def import_it(self, data: bytes) -> RegisterImport:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "register.xlsx"
            path.write_bytes(data)
            result = pipeline.import_file(actor=self.world.alice, path=path, dry_run=False, accept_proposals=True)
        self.assertTrue(result.committed, result.problem_lines())
        return RegisterImport.objects.latest("pk")

    def test_the_report_lists_every_row_with_what_happened(self):
        record = self.import_it(workbook())
        book = load_workbook(io.BytesIO(report_xlsx(record)), read_only=True)
        rows = list(book.worksheets[0].values)
        self.assertEqual(len(rows) - 1, record.staged_rows.count())
        self.assertIn(("PKS", 6, "create"), {tuple(row[:3]) for row in rows[1:]})
        self.assertEqual(list(book.worksheets[1].values)[1][0], "Catatan")
        self.client.force_login(self.world.alice)
        response = self.client.get(f"/app/imports/{record.pk}/report/")
        self.assertEqual(
            response["Content-Type"].split(";")[0], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def test_undo_archives_what_was_created_restores_what_was_updated_and_leaves_rows_changed_since(self):
        existing = Agreement.objects.get(number="180/2/PKS/2024")
        old_title = existing.title
        rows = [*PKS_ROWS, [7, "180/2/PKS/2024", None, "Judul baru dari register", "PKS", "Universitas Lampung",
                            "Dinkes", None, None]]  # fmt: skip
        record = self.import_it(workbook(rows))
        self.assertEqual(Agreement.objects.get(number="180/2/PKS/2024").title, "Judul baru dari register")
        touched = Agreement.objects.get(number="2/PKS/2024")
        fields = {name: getattr(touched, name) for name in agreement_services.EDITABLE_FIELDS}
        fields["title"] = "Diubah setelah impor"
        parties = agreement_services._current_parties(touched)
        agreement_services.agreement_update(actor=self.world.alice, agreement=touched, fields=fields, parties=parties)
        changed = pipeline.undo_plan(record)
        self.assertEqual([row.number for row in changed], ["2/PKS/2024"])
        left = pipeline.import_undo(actor=self.world.alice, register_import=record)
        self.assertEqual(len(left), 1)
        self.assertIn("changed after the import", left[0])
        self.assertEqual(Agreement.objects.get(number="180/2/PKS/2024").title, old_title)
        self.assertIsNotNone(Agreement.objects.get(number="1/PKS/2024").archived_at)
        self.assertIsNone(Agreement.objects.get(number="2/PKS/2024").archived_at)
        self.assertIsNotNone(Partner.objects.get(name="Kantor Pertanahan Kabupaten Pesawaran").archived_at)
        self.assertIsNotNone(Agency.objects.get(name="Dinas Perikanan").archived_at)
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.UNDONE)
        self.assertTrue(AuditEntry.objects.filter(cid=f"undo-{record.correlation_id}").exists())


WORKER = """
import os, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "jalin.settings"
django.setup()
from jalin.imports import pipeline, services
process_row = services._Run.process_row
def slow(self, *args, **kwargs):
    time.sleep(0.05)
    return process_row(self, *args, **kwargs)
services._Run.process_row = slow
pipeline.import_apply(import_id=int(sys.argv[1]))
"""


@unittest.skipUnless(connection.vendor == "postgresql", "a second process needs the test database on PostgreSQL")
class KilledWorkerTests(World, TransactionTestCase):
    def setUp(self):
        self.setUpTestData()
        super().setUp()

    def test_a_worker_killed_mid_apply_leaves_nothing_and_a_rerun_completes(self):
        rows = [[i, f"{i}/PKS/2025", None, f"Kerja sama {i}", "PKS", "Universitas Lampung", "Dinkes", "2025", None]
                for i in range(1, 301)]  # fmt: skip
        upload = SimpleUploadedFile("register.xlsx", workbook(rows))
        from huey.contrib.djhuey import HUEY

        HUEY.immediate = True
        self.addCleanup(setattr, HUEY, "immediate", False)
        record = pipeline.import_upload(actor=self.world.alice, upload=upload)  # on_commit runs: autocommit
        record.refresh_from_db()
        self.assertEqual((record.status, record.rows_staged, record.rows_total), (ImportStatus.STAGED, 301, 301))
        HUEY.immediate = False
        pipeline.import_confirm(actor=self.world.alice, register_import=record, accepted=[])
        database = settings.DATABASES["default"]
        url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "x",
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        }
        worker = subprocess.Popen([sys.executable, "-c", WORKER, str(record.pk)], env=env, cwd=settings.BASE_DIR)
        deadline = time.monotonic() + 60
        while pipeline.written_rows(record.pk) < 100 and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertGreaterEqual(pipeline.written_rows(record.pk), 100)  # the progress of rows written
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        self.assertFalse(Agreement.objects.filter(number__endswith="/PKS/2025").exists())
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.APPLYING)
        pipeline.import_confirm(actor=self.world.alice, register_import=record, accepted=[])
        pipeline.import_apply(import_id=record.pk)
        record.refresh_from_db()
        self.assertEqual((record.status, record.created_count), (ImportStatus.DONE, 301))  # with the KSB sheet
        self.assertEqual(Agreement.objects.filter(number__endswith="/PKS/2025").count(), 300)


class BackgroundPageTests(World, TestCase):
    def setUp(self):
        super().setUp()
        from huey.contrib.djhuey import HUEY

        immediate = HUEY.immediate
        HUEY.immediate = True
        self.addCleanup(setattr, HUEY, "immediate", immediate)
        self.client.force_login(self.world.alice)

    def post(self, url, data=None):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data or {})

    def test_it_stages_in_the_background_shows_progress_imports_reports_and_undoes(self):
        self.post("/app/imports/", {"file": SimpleUploadedFile("register.xlsx", workbook())})
        record = RegisterImport.objects.get()
        self.assertEqual(self.client.get(f"/app/imports/{record.pk}/progress/").json(),
                         {"status": "staged", "done": 7, "total": 7})  # fmt: skip
        preview = self.client.get(f"/app/imports/{record.pk}/preview/")
        self.assertContains(preview, "Catatan")  # the skipped sheet, named
        self.assertContains(preview, 'name="accept" value="agency:dinas perikanan" checked')
        record.refresh_from_db()
        self.post(f"/app/imports/{record.pk}/preview/", {"accept": [p["key"] for p in record.proposals]})
        record.refresh_from_db()
        self.assertEqual((record.status, record.created_count), (ImportStatus.DONE, 7))
        detail = self.client.get(f"/app/imports/{record.pk}/")
        self.assertContains(detail, f"/app/imports/{record.pk}/report/")
        self.post(f"/app/imports/{record.pk}/undo/")
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.UNDONE)
        self.assertFalse(Agreement.objects.filter(number="1/PKS/2024", archived_at__isnull=True).exists())

    def test_a_refused_proposal_fails_the_import_and_nothing_is_written(self):
        self.post("/app/imports/", {"file": SimpleUploadedFile("register.xlsx", workbook())})
        record = RegisterImport.objects.get()
        keys = [p["key"] for p in record.proposals if p["key"] != "agency:dinas perikanan"]
        self.post(f"/app/imports/{record.pk}/preview/", {"accept": keys})
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.STAGED)
        self.assertGreater(record.problem_count, 0)
        self.assertFalse(Agreement.objects.filter(number="4/PKS/2024").exists())
        self.assertFalse(Agency.objects.filter(name="Dinas Perikanan").exists())
