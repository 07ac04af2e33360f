from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase
from personas import build_world

from jalin.governments.models import Agency
from jalin.governments.services import agency_archive, agency_create, agency_update
from jalin.partners.models import Partner, PartnerType
from jalin.partners.services import partner_archive, partner_create, partner_update


class PartnerServiceTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.regency_partner = partner_create(
            actor=cls.w.alice,
            fields={
                "name": "Pemerintah Kabupaten Lampung Selatan",
                "partner_type": PartnerType.GOVERNMENT,
                "region": cls.w.lamsel,
            },
        )

    def assertDuplicate(self, fields: dict, actor=None):
        before = Partner.objects.count()
        with self.assertRaises(ValidationError) as caught:
            partner_create(actor=actor or self.w.alice, fields=fields)
        self.assertEqual(caught.exception.code, "duplicate")
        self.assertTrue(all(message.strip() for message in caught.exception.messages))
        self.assertEqual(Partner.objects.count(), before)
        return caught.exception

    def assertInvalid(self, call, field: str):
        with self.assertRaises(ValidationError) as caught:
            call()
        errors = caught.exception.message_dict
        self.assertIn(field, errors, errors)
        self.assertTrue(all(message.strip() for message in errors[field]))


class DuplicateTests(PartnerServiceTestCase):
    def test_it_detects_the_same_name_in_another_form(self):
        error = self.assertDuplicate({"name": "PT. Bank Lampung (Persero)", "partner_type": PartnerType.BANK})
        self.assertIn("PT Bank Lampung", error.messages[0])

    def test_it_detects_the_same_region(self):
        self.assertDuplicate({"name": "Pemkab Lamsel", "partner_type": PartnerType.GOVERNMENT, "region": self.w.lamsel})

    def test_it_detects_the_same_tax_number_written_differently(self):
        self.assertDuplicate(
            {"name": "Bank Daerah", "partner_type": PartnerType.BANK, "tax_number": "01.234.567.8-901.234"}
        )

    def test_it_saves_a_confirmed_different_partner(self):
        partner = partner_create(
            actor=self.w.alice,
            fields={"name": "PT. Bank Lampung (Persero)", "partner_type": PartnerType.BANK},
            allow_duplicate=True,
        )
        self.assertEqual(partner.normalised_name, "bank lampung")
        self.assertEqual(Partner.objects.filter(normalised_name="bank lampung").count(), 2)

    def test_it_does_not_compare_with_another_governments_register(self):
        partner = partner_create(
            actor=self.w.sam,
            fields={"name": "Bank Lampung", "partner_type": PartnerType.BANK, "tax_number": "012345678901234"},
        )
        self.assertEqual(partner.government, self.w.lamsel)

    def test_it_detects_duplicates_on_update(self):
        w = self.w
        with self.assertRaises(ValidationError) as caught:
            partner_update(
                actor=w.alice, partner=w.unila, fields={"name": "Bank Lampung", "partner_type": PartnerType.BANK}
            )
        self.assertEqual(caught.exception.code, "duplicate")
        self.assertEqual(Partner.objects.get(pk=w.unila.pk).name, "Universitas Lampung")

    def test_it_does_not_count_a_partner_as_its_own_duplicate(self):
        w = self.w
        partner = partner_update(
            actor=w.alice,
            partner=w.bank,
            fields={
                "name": "PT Bank Lampung (Persero)",
                "partner_type": PartnerType.BANK,
                "tax_number": "012345678901234",
            },
        )
        self.assertEqual(partner.name, "PT Bank Lampung (Persero)")


class ValidationTests(PartnerServiceTestCase):
    def test_it_creates_a_partner_with_clean_values(self):
        partner = partner_create(
            actor=self.w.alice,
            fields={
                "name": "  Universitas Malahayati ",
                "partner_type": PartnerType.UNIVERSITY,
                "tax_number": "01.234.567.8-901.999",
            },
        )
        self.assertEqual(partner.name, "Universitas Malahayati")
        self.assertEqual(partner.tax_number, "012345678901999")
        self.assertEqual(partner.government, self.w.pesawaran)

    def test_it_requires_a_name(self):
        self.assertInvalid(
            lambda: partner_create(actor=self.w.alice, fields={"name": " ", "partner_type": PartnerType.NGO}), "name"
        )

    def test_it_requires_a_region_for_a_government_partner(self):
        self.assertInvalid(
            lambda: partner_create(
                actor=self.w.alice, fields={"name": "Pemkot Metro", "partner_type": PartnerType.GOVERNMENT}
            ),
            "region",
        )

    def test_it_refuses_a_region_for_other_partners(self):
        self.assertInvalid(
            lambda: partner_create(
                actor=self.w.alice,
                fields={"name": "Koperasi Maju", "partner_type": PartnerType.PRIVATE, "region": self.w.province},
            ),
            "region",
        )

    def test_it_requires_an_npwp_of_15_or_16_digits(self):
        for tax_number in ("12.345.678.9-012", "1234567890123456789"):
            with self.subTest(tax_number=tax_number):
                self.assertInvalid(
                    lambda tax_number=tax_number: partner_create(
                        actor=self.w.alice,
                        fields={"name": "CV Sinar", "partner_type": PartnerType.PRIVATE, "tax_number": tax_number},
                    ),
                    "tax_number",
                )
        sixteen = partner_create(
            actor=self.w.alice,
            fields={"name": "CV Sinar", "partner_type": PartnerType.PRIVATE, "tax_number": "1871 0123 4567 8901"},
        )
        self.assertEqual(sixteen.tax_number, "1871012345678901")

    def test_it_changes_nothing_when_invalid(self):
        before = Partner.objects.count()
        with self.assertRaises(ValidationError):
            partner_create(actor=self.w.alice, fields={"name": "Pemkot Metro", "partner_type": PartnerType.GOVERNMENT})
        with self.assertRaises(ValidationError):
            partner_update(
                actor=self.w.alice,
                partner=self.w.unila,
                fields={"name": "Unila", "partner_type": PartnerType.UNIVERSITY, "tax_number": "1"},
            )
        self.assertEqual(Partner.objects.count(), before)
        self.assertEqual(Partner.objects.get(pk=self.w.unila.pk).name, "Universitas Lampung")


class PermissionTests(PartnerServiceTestCase):
    def test_it_lets_only_an_admin_manage_partners(self):
        w = self.w
        fields = {"name": "Yayasan Peduli Pesisir", "partner_type": PartnerType.NGO}
        for actor in (w.oscar, w.lena, w.audrey, w.tara, w.vera):
            with self.subTest(user=actor.username):
                with self.assertRaises(PermissionDenied):
                    partner_create(actor=actor, fields=fields)
                with self.assertRaises((PermissionDenied, Http404)):
                    partner_update(actor=actor, partner=w.unila, fields=fields)
                with self.assertRaises((PermissionDenied, Http404)):
                    partner_archive(actor=actor, partner=w.unila)
        self.assertFalse(Partner.objects.filter(name="Yayasan Peduli Pesisir").exists())
        self.assertIsNone(Partner.objects.get(pk=w.unila.pk).archived_at)

    def test_it_hides_another_governments_partner_from_its_admin(self):
        with self.assertRaises(Http404):
            partner_archive(actor=self.w.sam, partner=self.w.unila)


class ArchiveTests(PartnerServiceTestCase):
    def test_it_archives_a_partner_and_keeps_the_row(self):
        w = self.w
        partner_archive(actor=w.alice, partner=w.unila)
        row = Partner.objects.get(pk=w.unila.pk)
        self.assertIsNotNone(row.archived_at)
        self.assertNotIn(row, Partner.objects.active())
        self.assertEqual(list(w.ksb.partners.all()), [row])


class AgencyServiceTests(PartnerServiceTestCase):
    def test_it_creates_an_agency(self):
        agency = agency_create(actor=self.w.alice, fields={"name": " Dinas Pendidikan ", "short_name": "Disdik"})
        self.assertEqual(
            (agency.government, agency.name, agency.short_name), (self.w.pesawaran, "Dinas Pendidikan", "Disdik")
        )

    def test_it_keeps_agency_names_unique_per_government(self):
        w = self.w
        before = Agency.objects.count()
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=w.alice, fields={"name": "dinas kesehatan"})
        self.assertIn("name", caught.exception.message_dict)
        self.assertTrue(caught.exception.message_dict["name"][0].strip())
        self.assertEqual(Agency.objects.count(), before)
        # Lampung Selatan may have its own Dinas Kesehatan.
        other = agency_create(actor=w.sam, fields={"name": "Dinas Kesehatan"})
        self.assertEqual(other.government, w.lamsel)

    def test_it_keeps_names_unique_on_update(self):
        w = self.w
        with self.assertRaises(ValidationError):
            agency_update(actor=w.alice, agency=w.dispar, fields={"name": "Dinas Kesehatan"})
        self.assertEqual(Agency.objects.get(pk=w.dispar.pk).name, "Dinas Pariwisata")
        renamed = agency_update(
            actor=w.alice,
            agency=w.dispar,
            fields={"name": "Dinas Pariwisata", "short_name": "Dispar", "head_name": "Budi"},
        )
        self.assertEqual(renamed.head_name, "Budi")

    def test_it_requires_a_name(self):
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=self.w.alice, fields={"name": "  "})
        self.assertIn("name", caught.exception.message_dict)

    def test_it_archives_an_agency_and_keeps_the_row(self):
        w = self.w
        agency_archive(actor=w.alice, agency=w.dispar)
        row = Agency.objects.get(pk=w.dispar.pk)
        self.assertIsNotNone(row.archived_at)
        self.assertEqual(w.tourism.lead_agency_id, row.pk)

    def test_it_lets_only_an_admin_manage_agencies(self):
        w = self.w
        for actor in (w.oscar, w.lena, w.audrey, w.tara, w.vera):
            with self.subTest(user=actor.username):
                with self.assertRaises(PermissionDenied):
                    agency_create(actor=actor, fields={"name": "Dinas Baru"})
                with self.assertRaises((PermissionDenied, Http404)):
                    agency_update(actor=actor, agency=w.dinkes, fields={"name": "Dinas Baru"})
                with self.assertRaises((PermissionDenied, Http404)):
                    agency_archive(actor=actor, agency=w.dinkes)
        with self.assertRaises(Http404):
            agency_archive(actor=w.sam, agency=w.dinkes)
        self.assertFalse(Agency.objects.filter(name="Dinas Baru").exists())
        self.assertIsNone(Agency.objects.get(pk=w.dinkes.pk).archived_at)
