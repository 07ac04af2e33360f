"""Finding the agreement a row describes: by our number, by a partner's number, as a parent.
The run reads the numbers once and keeps them up to date with its own writes, so a row sees
what the rows above it wrote, exactly as if every row asked the database."""

import io

from django.test import TestCase
from personas import build_world

from jalin.agreements.models import Agreement, Kind
from jalin.imports import parsing, services

HEADER = ["Nomor", "Judul", "Jenis Naskah", "Mitra", "Nomor Mitra", "OPD", "Naskah Induk", "Tgl TTD"]


def register(*rows) -> parsing.Table:
    text = "\n".join(";".join(row) for row in [HEADER, *rows]) + "\n"
    return parsing.read_table(io.BytesIO(text.encode("utf-8-sig")), "register.csv")


class ImportMatchingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def run_import(self, table: parsing.Table) -> services.ImportResult:
        result = services.run_import(
            actor=self.world.alice, table=table, mapping=table.guessed_mapping(), dry_run=False
        )
        self.assertFalse(result.has_errors, result.problem_lines())
        return result

    def test_it_finds_an_agreement_written_rows_above_by_its_partners_number(self):
        result = self.run_import(
            register(
                ["660/9/PKS/2025", "PKS beasiswa", "PKS", "Universitas Lampung", "UNILA/21", "Dinkes", "", "2025"],
                ["", "PKS beasiswa", "", "Universitas Lampung", "UNILA/21", "Dinkes", "", ""],
            )
        )
        self.assertEqual([row.action for row in result.rows], ["create", "unchanged"])
        self.assertEqual(result.rows[1].agreement_id, result.rows[0].agreement_id)

    def test_a_renumbered_agreement_frees_its_old_number_and_answers_to_the_new_one(self):
        party = self.world.pks.parties.get()
        party.party_number = "UNILA/5"
        party.save()
        result = self.run_import(
            register(
                # found by the partner's number, and renumbered
                ["180/2a/PKS/2024", self.world.pks.title, "PKS", "Universitas Lampung", "UNILA/5", "Dinkes", "", ""],
                # the old number is free again: a new agreement
                ["180/2/PKS/2024", "PKS puskesmas keliling", "PKS", "Universitas Lampung", "", "Dinkes", "", ""],
                # the new number is a parent
                [
                    "180/3/ADD/2025",
                    "Adendum PKS layanan",
                    "Adendum",
                    "Universitas Lampung",
                    "",
                    "Dinkes",
                    "180/2a/PKS/2024",
                    "",
                ],
            )
        )
        self.assertEqual([row.action for row in result.rows], ["update", "create", "create"])
        self.assertEqual(result.rows[0].agreement_id, self.world.pks.pk)
        self.assertEqual(Agreement.objects.get(number="180/2a/PKS/2024").pk, self.world.pks.pk)
        self.assertNotEqual(Agreement.objects.get(number="180/2/PKS/2024").pk, self.world.pks.pk)
        addendum = Agreement.objects.get(number="180/3/ADD/2025")
        self.assertEqual((addendum.kind, addendum.parent_id), (Kind.ADDENDUM, self.world.pks.pk))

    def test_a_parent_listed_below_its_children_is_found(self):
        result = self.run_import(
            register(
                ["7/PKS/2025", "PKS air bersih", "PKS", "PT Bank Lampung", "", "Dispar", "7/KSB/2025", "2025"],
                ["7/KSB/2025", "KSB air bersih", "KSB", "PT Bank Lampung", "", "Dispar", "", "2025"],
            )
        )
        self.assertEqual([row.action for row in result.rows], ["create", "create"])
        self.assertEqual(Agreement.objects.get(number="7/PKS/2025").parent, Agreement.objects.get(number="7/KSB/2025"))

    def test_an_unnumbered_row_comes_after_the_parent_it_names(self):
        # Rows without a number of their own used to share one place in the ordering (the
        # last such row's parent decided it for all of them).
        result = self.run_import(
            register(
                ["", "Adendum PKS air", "Adendum", "PT Bank Lampung", "", "Dispar", "8/PKS/2025", ""],
                ["8/PKS/2025", "PKS air", "PKS", "PT Bank Lampung", "", "Dispar", "8/KSB/2025", "2025"],
                ["8/KSB/2025", "KSB air", "KSB", "PT Bank Lampung", "", "Dispar", "", "2025"],
                ["", "LoI wisata", "LoI", "PT Bank Lampung", "", "Dispar", "", ""],
            )
        )
        self.assertEqual([row.action for row in result.rows], ["create"] * 4)
        addendum = Agreement.objects.get(title="Adendum PKS air")
        self.assertEqual(addendum.parent, Agreement.objects.get(number="8/PKS/2025"))

    def test_finding_a_rows_agreement_costs_no_query_per_row(self):
        table = register(["x", "y", "", "Universitas Lampung", "UNILA/99", "Dinkes", "", ""])
        run = services._Run(actor=self.world.alice, table=table, mapping=table.guessed_mapping(), dry_run=True)
        run.lookups.partner("Universitas Lampung")
        row = services._Row(table.rows[0], run.mapping, table, services.RowResult(row=2))
        with self.assertNumQueries(0):
            self.assertIsNone(run.find_existing(row, "NO/SUCH/NUMBER", "y", ["Universitas Lampung"]))
        with self.assertNumQueries(2):  # the agreement with its links, its parties
            found = run.find_existing(row, "180/2/PKS/2024", "y", ["Universitas Lampung"])
        with self.assertNumQueries(0):
            self.assertEqual(found.parent, self.world.ksb)
            self.assertEqual([party.partner for party in found.parties.all()], [self.world.unila])
        with self.assertNumQueries(1):
            self.assertEqual(run.index.parent("180/1/KSB/2024"), self.world.ksb)
        with self.assertNumQueries(0):
            self.assertEqual(run.index.parent("180/1/KSB/2024"), self.world.ksb)
            self.assertIsNone(run.index.parent("NO/SUCH/KSB"))
