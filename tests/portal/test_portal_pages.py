import datetime

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from personas import agreement, build_world

from jalin.agreements.models import Kind
from jalin.agreements.services import agreement_update
from jalin.governments.models import Affair


class PortalPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        cache.clear()

    def test_it_shows_key_figures_charts_and_newest_agreements_on_the_home_page(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.world.published.title)
        self.assertEqual(response.context["figures"]["totals"]["total"], 1)
        self.assertContains(response, "<progress", html=False)
        self.assertContains(response, 'class="skip-link" href="#main"')
        self.assertContains(response, '<main id="main"')

    def test_it_lists_and_searches_published_agreements(self):
        response = self.client.get("/agreements/", {"q": "pahawang"})
        self.assertContains(response, self.world.published.title)
        response = self.client.get("/agreements/", {"q": "kesehatan"})
        self.assertNotContains(response, self.world.ksb.title)
        self.assertEqual(response.context["data"]["count"], 0)

    def test_it_rejects_bad_filter_values_without_an_error_page(self):
        for params in (
            {"q": "\x00"},
            {"government": "\x00"},
            {"status": "draft"},
            {"year": "abc"},
            {"sort": "secret"},
            {"page": "999999999999"},
            {"agency": "x"},
        ):
            response = self.client.get("/agreements/", params)
            self.assertEqual(response.status_code, 200, params)

    def test_it_shows_a_published_agreement_and_hides_the_others(self):
        response = self.client.get(f"/agreements/{self.world.published.pk}/")
        self.assertContains(response, self.world.published.title)
        self.assertContains(response, "Dinas Pariwisata")
        for hidden in (self.world.ksb, self.world.tourism, self.world.lamsel_agreement):
            self.assertEqual(self.client.get(f"/agreements/{hidden.pk}/").status_code, 404)
        self.assertEqual(self.client.get("/agreements/99999999999999999/").status_code, 404)
        self.assertEqual(self.client.get("/agreements/999999999999999999999999/").status_code, 404)

    def test_a_draft_marked_public_is_not_shown(self):
        draft = agreement(
            self.world.alice, "Draf publik", self.world.dispar, [self.world.bank], signed_on=None, is_public=True
        )
        self.assertEqual(self.client.get(f"/agreements/{draft.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/agreements/"), "Draf publik")

    def test_pages_are_cached_and_invalidated_on_change(self):
        url = f"/agreements/{self.world.published.pk}/"
        self.client.get(url)
        self.client.get("/")
        with CaptureQueriesContext(connection) as detail:
            self.client.get(url)
        # Only the monitoring panel (the monitoring app's own tag) still queries.
        self.assertFalse([q for q in detail.captured_queries if "agreements_" in q["sql"] or "portal_" in q["sql"]])
        with self.assertNumQueries(0):
            self.client.get("/")
        published = self.world.published
        fields = {
            name: getattr(published, name)
            for name in (
                "category",
                "kind",
                "title",
                "lead_agency",
                "signed_on",
                "effective_on",
                "ends_on",
                "is_public",
                "number",
            )
        }
        fields["title"] = "Judul baru desa wisata"
        agreement_update(
            actor=self.world.alice,
            agreement=published,
            fields=fields,
            parties=[
                __import__("jalin.agreements.services", fromlist=["PartyInput"]).PartyInput(partner=self.world.bank)
            ],
        )
        self.assertContains(self.client.get(url), "Judul baru desa wisata")
        self.assertContains(self.client.get("/"), "Judul baru desa wisata")

    def test_a_supervisors_installation_has_a_portal_per_government(self):
        agreement(
            self.world.sam,
            "PKS publik Lampung Selatan",
            self.world.lamsel_agency,
            [self.world.lamsel_partner],
            is_public=True,
        )
        response = self.client.get("/")
        self.assertContains(response, 'id="gov-picker"')
        self.assertContains(response, "Kabupaten Lampung Selatan")
        response = self.client.get("/g/18.01/")
        self.assertContains(response, "PKS publik Lampung Selatan")
        self.assertNotContains(response, self.world.published.title)
        response = self.client.get("/g/18.09/agreements/")
        self.assertContains(response, self.world.published.title)
        self.assertNotContains(response, "PKS publik Lampung Selatan")
        self.assertRedirects(self.client.get("/", {"g": "18.01"}), "/g/18.01/")
        self.assertEqual(self.client.get("/g/99.99/").status_code, 404)
        self.assertEqual(self.client.get("/g/%00/").status_code, 404)
        self.assertRedirects(self.client.get("/", {"g": "\x00"}), "/")
        self.assertEqual(self.client.get("/open-data/agreements.json", {"government": "\x00"}).status_code, 404)

    def test_it_counts_queries_of_list_pages_independently_of_rows(self):
        Affair.objects.get_or_create(code="3.26", defaults={"name": "Pariwisata", "group": "choice"})
        cache.clear()
        self.client.get("/agreements/")  # warm-up (translations, content types)
        cache.clear()
        with self.assertNumQueries(6):  # no agency list on the national page (see test_public_list_filters)
            self.client.get("/agreements/")
        cache.clear()
        with self.assertNumQueries(12):
            self.client.get("/")
        today = timezone.localdate()
        for number in range(12):
            agreement(
                self.world.alice,
                f"PKS publik {number}",
                self.world.dispar,
                [self.world.bank],
                is_public=True,
                kind=Kind.PKS,
                supporting_agencies=[self.world.dinkes],
                signed_on=today - datetime.timedelta(days=number + 1),
            )
        cache.clear()
        with self.assertNumQueries(6):
            response = self.client.get("/agreements/")
        self.assertEqual(response.context["data"]["count"], 13)
        cache.clear()
        with self.assertNumQueries(12):
            self.client.get("/")
