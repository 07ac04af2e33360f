from django.test import TestCase
from personas import build_world


class PublicHomeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_shows_published_agreements_only(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.world.published.title)
        for hidden in (self.world.ksb, self.world.pks, self.world.tourism, self.world.lamsel_agreement):
            self.assertNotContains(response, hidden.title)
        self.assertEqual(response.context["figures"]["totals"]["total"], 1)

    def test_it_links_to_the_staff_login(self):
        self.assertContains(self.client.get("/"), 'href="/app/login/"')

    def test_the_dashboard_counts_only_visible_agreements(self):
        self.client.force_login(self.world.olga)  # Dispar: its two agreements, one of them published
        counts = self.client.get("/app/").context["counts"]
        self.assertEqual(sum(counts.values()), 2)
        self.client.force_login(self.world.alice)
        counts = self.client.get("/app/").context["counts"]
        self.assertEqual(sum(counts.values()), 4)
