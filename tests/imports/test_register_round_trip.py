"""Export then import of the register is lossless for the fields the export carries."""

import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.test import TestCase
from django.utils import timezone, translation
from personas import agreement, build_world

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement, Category, Financing, Kind
from jalin.governments.models import Agency, Government
from jalin.imports import parsing, services
from jalin.partners.models import Partner, PartnerType, normalise_name
from jalin.reports.services import write_register

CARRIED = (
    "number",
    "title",
    "kind",
    "category",
    "signed_on",
    "effective_on",
    "ends_on",
    "financing",
    "value",
    "object",
    "scope",
    "intended_benefits",
    "dprd_approval_ref",
)


def snapshot(agreement: Agreement) -> dict:
    values = {name: getattr(agreement, name) for name in CARRIED}
    values["lead_agency"] = agreement.lead_agency.name
    values["parent"] = agreement.parent.number if agreement.parent_id else ""
    values["parties"] = [
        (party.partner.name, party.partner.partner_type, party.party_number)
        for party in agreement.parties.select_related("partner").order_by("position", "id")
    ]
    return values


class RoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        yayasan = Partner.objects.create(
            government=cls.world.pesawaran,
            name="Yayasan Pesisir; Lestari",
            normalised_name=normalise_name("Yayasan Pesisir; Lestari"),
            partner_type=PartnerType.NGO,
        )
        today = timezone.localdate()
        cls.rich = agreement(
            cls.world.alice,
            "PKS pengelolaan sampah pesisir, tahap II",
            cls.world.dinkes,
            [cls.world.bank, yayasan],
            number="660/12/PKS/2025",
            category=Category.KSDPK,
            financing=Financing.SHARED,
            value=Decimal("1500000000.50"),
            object="Pengelolaan sampah\ndi 5 desa pesisir",
            scope="Pengangkutan; pemilahan",
            intended_benefits="Pantai bersih",
            dprd_approval_ref="DPRD/2025/7",
            signed_on=today - datetime.timedelta(days=30),
            effective_on=today - datetime.timedelta(days=20),
            ends_on=today + datetime.timedelta(days=900),
        )
        # The partner numbers of a two-partner agreement are kept in order.
        parties = list(cls.rich.parties.order_by("position"))
        parties[0].party_number = "BL/77/2025"
        parties[0].save()
        parties[1].party_number = "YPL-03"
        parties[1].save()

    def exported(self, fmt: str, language: str) -> tuple[bytes, str]:
        with tempfile.TemporaryDirectory() as folder, translation.override(language):
            path = Path(folder) / f"register.{fmt}"
            write_register(Agreement.objects.filter(government=self.world.pesawaran), fmt, path)
            return path.read_bytes(), path.name

    def test_it_reimports_its_own_export_without_a_change(self):
        for fmt in ("xlsx", "csv"):
            for language in ("id", "en"):
                with self.subTest(fmt=fmt, language=language):
                    data, name = self.exported(fmt, language)
                    table = parsing.read_table(io.BytesIO(data), name)
                    result = services.run_import(
                        actor=self.world.alice, table=table, mapping=table.guessed_mapping(), dry_run=True
                    )
                    self.assertFalse(result.has_errors, result.problem_lines())
                    self.assertEqual(
                        {row.action for row in result.rows}, {"unchanged"}, [r.changes for r in result.rows]
                    )
                    self.assertEqual(len(result.rows), 5)

    def test_it_rebuilds_the_register_in_an_empty_government(self):
        fresh = Government.objects.create(
            code="18.10", name="Kabupaten Pringsewu", level="regency", parent=self.world.province
        )
        for name in ("Dinas Kesehatan", "Dinas Pariwisata"):
            Agency.objects.create(government=fresh, name=name)
        admin = User.objects.create_user(
            username="pringsewu", password="x-long-password-1", government=fresh, role=Role.ADMIN
        )
        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt=fmt):
                data, name = self.exported(fmt, "id")
                table = parsing.read_table(io.BytesIO(data), name)
                # the CSV is checked in a dry run; the XLSX is really imported
                result = services.run_import(
                    actor=admin, table=table, mapping=table.guessed_mapping(), dry_run=fmt == "csv"
                )
                self.assertFalse(result.has_errors, result.problem_lines())
                self.assertEqual({row.action for row in result.rows}, {"create"})
        originals = Agreement.objects.filter(government=self.world.pesawaran)
        for original in originals:
            copy = Agreement.objects.get(government=fresh, number=original.number)
            self.assertEqual(snapshot(copy), snapshot(original))
        self.assertEqual(Agreement.objects.get(government=fresh, number="180/2/PKS/2024").kind, Kind.PKS)
