"""The staff agreement search finds agreements by the words of their documents, with a
highlighted snippet and the page, within the same access rules as everything else."""

from django.test import TestCase
from django.urls import reverse
from documents_support import text_pdf, upload
from personas import build_world

from jalin.documents import text
from jalin.documents.models import DocumentKind
from jalin.documents.services import document_archive, document_upload

WATER = "Pasal 1\nPenyediaan air bersih bagi warga Desa Hanura, Kecamatan Teluk Pandan."


class DocumentSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.ksb_scan = cls.store(cls.w.ksb, ["Kesepakatan bersama bidang kesehatan, halaman pembuka.", WATER])
        cls.tourism_scan = cls.store(cls.w.tourism, ["Promosi wisata pantai dan kuliner khas Pesawaran."])
        cls.published_scan = cls.store(cls.w.published, ["Desa wisata Pahawang: homestay dan kuliner laut."])

    @classmethod
    def store(cls, agreement, pages):
        document = document_upload(
            actor=cls.w.alice,
            agreement=agreement,
            kind=DocumentKind.SIGNED,
            title="",
            upload=upload("naskah.pdf", text_pdf(pages)),
        )
        text.document_text_read(document_id=document.pk)
        return document

    def search(self, user, words):
        self.client.force_login(user)
        response = self.client.get(reverse("agreements:list"), {"q": words})
        return response, [agreement.pk for agreement in response.context["page"]]

    def test_it_finds_an_agreement_by_the_words_of_its_document_with_a_snippet_and_the_page(self):
        response, found = self.search(self.w.alice, "air bersih Desa Hanura")
        self.assertEqual(found, [self.w.ksb.pk])
        self.assertContains(response, "halaman 2")
        self.assertContains(response, "<mark>air</mark> <mark>bersih</mark>", html=False)
        self.assertContains(response, "<mark>Hanura</mark>", html=False)

    def test_words_match_as_word_starts_ignoring_case_and_accents(self):
        _response, found = self.search(self.w.alice, "HANUR kécamatan")
        self.assertEqual(found, [self.w.ksb.pk])

    def test_every_word_must_be_on_the_page(self):
        _response, found = self.search(self.w.alice, "air bersih Pahawang")
        self.assertEqual(found, [])

    def test_the_agreements_own_fields_are_still_searched(self):
        _response, found = self.search(self.w.alice, "180/2/PKS/2024")
        self.assertEqual(found, [self.w.pks.pk])

    def test_an_opd_officer_never_finds_words_of_another_agencys_unpublished_document(self):
        # Oscar (Dinkes) finds his agency's agreement and the published one, not Dispar's tourism PKS.
        _response, found = self.search(self.w.oscar, "kuliner")
        self.assertEqual(found, [self.w.published.pk])
        _response, found = self.search(self.w.olga, "kuliner")
        self.assertEqual(sorted(found), sorted([self.w.published.pk, self.w.tourism.pk]))
        _response, found = self.search(self.w.olga, "Hanura")
        self.assertEqual(found, [])

    def test_another_governments_admin_finds_nothing(self):
        _response, found = self.search(self.w.sam, "Hanura")
        self.assertEqual(found, [])

    def test_a_withdrawn_document_is_no_longer_found(self):
        document_archive(actor=self.w.alice, document=self.ksb_scan)
        _response, found = self.search(self.w.alice, "Hanura")
        self.assertEqual(found, [])

    def test_the_public_portal_does_not_search_documents(self):
        response = self.client.get(reverse("portal:agreements"), {"q": "Pahawang"})
        self.assertContains(response, "PKS desa wisata Pahawang")
        response = self.client.get(reverse("portal:agreements"), {"q": "homestay"})
        self.assertNotContains(response, "PKS desa wisata Pahawang")
