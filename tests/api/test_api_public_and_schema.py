import json

from django.core.cache import cache
from django.test import TestCase
from drf_spectacular.validation import validate_schema
from personas import build_world


class PublicApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        cache.clear()

    def test_it_lists_published_agreements_only_without_authentication(self):
        response = self.client.get("/api/v1/public/agreements")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 1)
        self.assertEqual(body["results"][0]["title"], self.world.published.title)
        self.assertEqual(body["results"][0]["government_code"], "18.09")

    def test_it_filters_and_orders(self):
        self.assertEqual(self.client.get("/api/v1/public/agreements?q=pahawang").json()["count"], 1)
        self.assertEqual(self.client.get("/api/v1/public/agreements?government=18.01").json()["count"], 0)
        self.assertEqual(self.client.get("/api/v1/public/agreements?partner_type=bank&sort=-signed").json()["count"], 1)

    def test_detail_and_feedback_of_hidden_agreements_are_404(self):
        self.assertEqual(self.client.get(f"/api/v1/public/agreements/{self.world.published.pk}").status_code, 200)
        for hidden in (self.world.ksb, self.world.tourism, self.world.lamsel_agreement):
            self.assertEqual(self.client.get(f"/api/v1/public/agreements/{hidden.pk}").status_code, 404)
            self.assertEqual(self.client.get(f"/api/v1/public/agreements/{hidden.pk}/feedback").status_code, 404)

    def test_list_queries_do_not_grow_with_rows(self):
        from personas import agreement

        with self.assertNumQueries(5):
            self.client.get("/api/v1/public/agreements")
        for number in range(10):
            agreement(self.world.alice, f"PKS publik {number}", self.world.dispar, [self.world.bank], is_public=True)
        with self.assertNumQueries(5):
            response = self.client.get("/api/v1/public/agreements")
        self.assertEqual(response.json()["count"], 11)


class SchemaTests(TestCase):
    def test_the_openapi_schema_is_valid(self):
        response = self.client.get("/api/v1/schema")
        self.assertEqual(response.status_code, 200)
        schema = json.loads(response.content)
        validate_schema(schema)  # the OpenAPI 3 JSON Schema shipped with drf-spectacular
        self.assertTrue(schema["openapi"].startswith("3."))
        for path in ("/api/v1/public/agreements", "/api/v1/agreements", "/api/v1/agreements/{id}", "/api/v1/partners"):
            self.assertIn(path, schema["paths"])
        self.assertIn("tokenAuth", schema["components"]["securitySchemes"])

    def test_the_docs_page_uses_vendored_assets_only(self):
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/", html)
        self.assertNotIn("cdn.jsdelivr", html)
        self.assertNotIn("<script>", html.replace(" ", ""))  # no inline script (CSP)
