"""The register export's cells, column by column, against the agreements they come from."""

import csv
import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.test import TestCase
from django.utils import timezone, translation
from openpyxl import load_workbook
from personas import agreement, build_world

from jalin.agreements.models import Agreement, Category, Financing, Kind, Status
from jalin.partners.models import PartnerType
from jalin.reports.register import KEYS
from jalin.reports.services import write_register


def label(choice) -> str:
    with translation.override("en"):
        return str(choice.label)


class RegisterExportCellTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        today = timezone.localdate()
        cls.two_partners = agreement(
            cls.world.alice,
            "=PKS dengan dua mitra",
            cls.world.dispar,
            [cls.world.bank, cls.world.unila],
            number="556/9/PKS/2025",
            financing=Financing.SHARED,
            value=Decimal("250000000.00"),
            dprd_approval_ref="DPRD/2025/1",
            ends_on=today + datetime.timedelta(days=30),
        )
        party = cls.two_partners.parties.get(partner=cls.world.unila)
        party.party_number = "UNILA/7"
        party.save()

    def exported(self, fmt: str) -> list[list]:
        with tempfile.TemporaryDirectory() as folder, translation.override("en"):
            path = Path(folder) / f"register.{fmt}"
            write_register(Agreement.objects.filter(government=self.world.pesawaran), fmt, path)
            if fmt == "csv":
                return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))[1:]
            sheet = load_workbook(path, read_only=True).active
            return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]

    def row(self, rows: list[list], number: str) -> dict:
        found = next(row for row in rows if row[0] == number)
        return dict(zip(KEYS, found, strict=False))

    def test_its_csv_cells_are_the_agreements_fields(self):
        rows = self.exported("csv")
        self.assertEqual(len(rows), Agreement.objects.filter(government=self.world.pesawaran).count())
        two = self.row(rows, "556/9/PKS/2025")
        self.assertEqual(two["title"], "'=PKS dengan dua mitra")  # not run as a formula
        self.assertEqual(two["partners"], "PT Bank Lampung\nUniversitas Lampung")
        self.assertEqual(two["partner_type"], f"{label(PartnerType.BANK)}\n{label(PartnerType.UNIVERSITY)}")
        self.assertEqual(two["partner_number"], "\nUNILA/7")  # in party order, the bank has none
        self.assertEqual(two["lead_agency"], "Dinas Pariwisata")
        self.assertEqual((two["kind"], two["category"]), (label(Kind.PKS), label(Category.KSDPK)))
        self.assertEqual((two["financing"], two["value"]), (label(Financing.SHARED), "250000000.00"))
        self.assertEqual(two["ends_on"], (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d-%m-%Y"))
        self.assertEqual(two["status"], label(Status.EXPIRING))
        self.assertEqual(two["government"], "18.09 Kabupaten Pesawaran")
        self.assertEqual((two["dprd_approval_ref"], two["parent_number"], two["scope"]), ("DPRD/2025/1", "", ""))
        pks = self.row(rows, "180/2/PKS/2024")
        self.assertEqual((pks["parent_number"], pks["partner_number"]), ("180/1/KSB/2024", ""))
        self.assertEqual(pks["status"], label(self.world.pks.get_status()))

    def test_its_xlsx_holds_the_same_values_and_leaves_empty_cells_empty(self):
        rows = self.exported("xlsx")
        two = self.row(rows, "556/9/PKS/2025")
        self.assertEqual(two["partners"], "PT Bank Lampung\nUniversitas Lampung")
        self.assertEqual(two["partner_number"], "\nUNILA/7")
        self.assertEqual(two["value"], 250000000)
        self.assertEqual(two["ends_on"].date(), timezone.localdate() + datetime.timedelta(days=30))
        self.assertEqual(two["status"], label(Status.EXPIRING))
        self.assertEqual((two["parent_number"], two["scope"]), (None, None))
        pks = self.row(rows, "180/2/PKS/2024")
        self.assertEqual((pks["parent_number"], pks["partner_number"]), ("180/1/KSB/2024", None))
