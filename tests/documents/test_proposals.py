"""Registering an agreement from a scan: Jalin proposes the number, dates, parties and
title it read; the officer accepts or corrects each; nothing is saved unconfirmed."""

import datetime
from urllib.parse import parse_qs, urlsplit

from django.test import TestCase
from django.urls import reverse
from documents_support import AGREEMENT_TEXT, text_pdf, upload
from personas import build_world

from jalin.agreements.models import Agreement
from jalin.documents import bulk
from jalin.documents.models import BulkUpload, Document, ItemStatus
from jalin.documents.proposals import read_proposals
from jalin.partners.models import Partner


class ReadProposalsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_reads_number_title_parties_and_dates_from_an_agreement_heading(self):
        found = read_proposals(AGREEMENT_TEXT, Partner.objects.all())
        self.assertEqual(found.number, "180/7/PKS/2024")
        self.assertEqual(found.party_number, "12/UN26/KS/2024")
        self.assertEqual(found.title, "Penyediaan Air Bersih di Desa Hanura")
        self.assertEqual(found.party_names, ["PEMERINTAH KABUPATEN PESAWARAN", "UNIVERSITAS LAMPUNG"])
        self.assertEqual(found.partner, self.w.unila)
        self.assertEqual(found.signed_on, datetime.date(2024, 2, 12))
        self.assertEqual(found.ends_on, datetime.date(2027, 2, 11))  # 3 years from signing

    def test_an_explicit_end_date_wins_over_nothing(self):
        found = read_proposals(
            "NOMOR: 9/PKS/2023\nditandatangani 1 Agustus 2023 dan berlaku sampai dengan 31 Juli 2026",
            Partner.objects.none(),
        )
        self.assertEqual((found.signed_on, found.ends_on), (datetime.date(2023, 8, 1), datetime.date(2026, 7, 31)))

    def test_text_without_an_agreement_proposes_nothing(self):
        found = read_proposals("Daftar hadir rapat koordinasi", Partner.objects.all())
        self.assertEqual((found.number, found.title, found.signed_on, found.partner), ("", "", None, None))


class RegisterFromScanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def read_scan(self, user):
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(
                reverse("documents:scan_upload"), {"file": upload("pindaian.pdf", text_pdf([AGREEMENT_TEXT]))}
            )
        batch = BulkUpload.objects.latest("pk")
        self.assertRedirects(response, reverse("documents:scan", args=[batch.pk]))
        self.assertContains(self.client.get(reverse("documents:scan", args=[batch.pk])), "Membaca pindaian")
        bulk.bulk_upload_process(batch_id=batch.pk)
        return batch

    def test_the_officer_accepts_or_corrects_each_field_and_nothing_is_saved_before_the_form(self):
        agreements, documents = Agreement.objects.count(), Document.objects.count()
        batch = self.read_scan(self.w.oscar)
        page = self.client.get(reverse("documents:scan", args=[batch.pk]))
        self.assertContains(page, 'value="180/7/PKS/2024"')
        self.assertContains(page, 'value="Penyediaan Air Bersih di Desa Hanura"')
        self.assertContains(page, 'value="2024-02-12"')
        # Accept the number (corrected), the title and the partner; refuse the dates.
        response = self.client.post(
            reverse("documents:scan", args=[batch.pk]),
            {
                "use_number": "on",
                "number": "180/8/PKS/2024",
                "use_title": "on",
                "title": "Penyediaan Air Bersih di Desa Hanura",
                "signed_on": "2024-02-12",
                "use_partner": "on",
                "partner": self.w.unila.pk,
            },
        )
        target = urlsplit(response["Location"])
        self.assertEqual(target.path, reverse("agreements:create"))
        query = parse_qs(target.query)
        self.assertEqual(query["number"], ["180/8/PKS/2024"])
        self.assertNotIn("signed_on", query)
        self.assertEqual((Agreement.objects.count(), Document.objects.count()), (agreements, documents))

        form = self.client.get(response["Location"])
        self.assertContains(form, 'value="180/8/PKS/2024"')
        self.assertContains(form, 'value="Penyediaan Air Bersih di Desa Hanura"')
        self.assertEqual(form.context["parties"].forms[0].initial["partner"], self.w.unila.pk)
        self.assertEqual(Agreement.objects.count(), agreements)

    def test_registering_the_agreement_stores_the_scan_as_its_signed_document(self):
        batch = self.read_scan(self.w.alice)
        url = reverse("agreements:create") + f"?scan={batch.pk}&number=180/9/PKS/2024"
        data = {
            "category": "ksdpk",
            "kind": "pks",
            "number": "180/9/PKS/2024",
            "title": "Penyediaan air bersih di Desa Hanura",
            "lead_agency": self.w.dinkes.pk,
            "financing": "none",
            "signed_on": "2024-02-12",
            "effective_on": "2024-02-12",
            "ends_on": "2027-02-11",
            "party-TOTAL_FORMS": "1",
            "party-INITIAL_FORMS": "0",
            "party-MIN_NUM_FORMS": "0",
            "party-MAX_NUM_FORMS": "20",
            "party-0-partner": self.w.unila.pk,
        }
        response = self.client.post(url, data)
        agreement = Agreement.objects.get(number="180/9/PKS/2024")
        self.assertRedirects(response, reverse("agreements:detail", args=[agreement.pk]), fetch_redirect_response=False)
        item = batch.items.get()
        self.assertEqual((item.status, item.agreement), (ItemStatus.STORED, agreement))
        self.assertEqual(item.document.agreement, agreement)

    def test_someone_else_cannot_open_the_scan(self):
        batch = self.read_scan(self.w.oscar)
        self.client.force_login(self.w.olga)
        self.assertEqual(self.client.get(reverse("documents:scan", args=[batch.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("agreements:create") + f"?scan={batch.pk}").status_code, 404)
