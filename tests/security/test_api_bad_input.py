"""Item 8, API side: a bad field is a 400 in the API's error format, never a 500 or an HTML page."""

from django.test import TestCase
from personas import build_world

from jalin.accounts.tokens import api_token_create


class ApiBadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        key = api_token_create(actor=None, user=cls.world.alice, name="tests")[1]
        cls.auth = {"authorization": f"Token {key}"}

    def test_a_party_with_an_empty_number_is_a_400_or_saved(self):
        path = f"/api/v1/agreements/{self.world.tourism.pk}"
        agreement = self.client.get(path, headers=self.auth).json()
        parties = [dict(party, party_number="") for party in agreement.get("parties", [])]
        self.assertTrue(parties)
        response = self.client.patch(path, {"parties": parties}, content_type="application/json", headers=self.auth)
        self.assertLess(response.status_code, 500, response.content[:300])

    def test_options_on_a_detail_with_a_token_answers(self):
        for path in (f"/api/v1/agreements/{self.world.tourism.pk}", f"/api/v1/partners/{self.world.bank.pk}"):
            response = self.client.options(path, headers=self.auth)
            self.assertLess(response.status_code, 500, path)

    def test_the_catch_all_answers_json_to_a_post_without_csrf(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post("/api/v1/nothing/here", {"a": 1})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"].split(";")[0], "application/json")

    def test_huge_ids_and_control_characters_are_400(self):
        path = f"/api/v1/agreements/{self.world.tourism.pk}"
        for body in (
            {"lead_agency": 10**30},
            {"title": "Judul\x01"},
            {"signed_on": "9999-12-31"},
            {"affairs": [10**30]},
        ):
            response = self.client.patch(path, body, content_type="application/json", headers=self.auth)
            self.assertEqual(response.status_code, 400, (body, response.content[:300]))
            self.assertIn("error", response.json())
