"""The public list's agency filter: a government's own agencies on its page; no list of every
agency of the country on the national page (agency links still filter)."""

from django.test import TestCase
from personas import build_world


class PublicAgencyFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_a_governments_page_offers_its_own_agencies(self):
        response = self.client.get(f"/g/{self.world.pesawaran.code}/agreements/")
        options = set(response.context["filter"].form.fields["agency"].queryset)
        self.assertEqual(options, {self.world.dinkes, self.world.dispar})
        self.assertContains(response, '<select name="agency"', html=False)

    def test_the_national_page_filters_by_agency_from_links_only(self):
        response = self.client.get("/agreements/", {"agency": self.world.dispar.pk})
        self.assertNotContains(response, '<select name="agency"', html=False)
        self.assertContains(response, f'<input type="hidden" name="agency" value="{self.world.dispar.pk}"', html=False)
        self.assertEqual([agreement.pk for agreement in response.context["data"]["rows"]], [self.world.published.pk])
