"""A table of malformed requests, sent to every endpoint: none may cause a server error,
and every error answers in the one error format with Indonesian and English messages.

(schemathesis is not installed; this is our own schema-driven table: every path of the
OpenAPI schema is crossed with every bad request below.)"""

import json
from unittest import mock

from django.core.cache import cache
from django.test import TestCase
from personas import build_world

from jalin.accounts.tokens import api_token_create

BAD_BODIES = [
    ("malformed JSON", "{not json", "application/json"),
    ("truncated JSON", '{"title": "x"', "application/json"),
    ("JSON list instead of object", "[1, 2, 3]", "application/json"),
    ("JSON string", '"hello"', "application/json"),
    ("JSON null", "null", "application/json"),
    ("empty body", "", "application/json"),
    ("form encoding", "title=x&kind=pks", "application/x-www-form-urlencoded"),
    ("XML", "<agreement/>", "application/xml"),
    ("binary", b"\x00\xff\xfe\x89PNG", "application/octet-stream"),
    ("invalid UTF-8 JSON", b'{"title": "\xff\xfe"}', "application/json"),
    (
        "wrong types",
        json.dumps(
            {
                "title": ["a"],
                "kind": 5,
                "category": {"x": 1},
                "lead_agency": "abc",
                "parties": "unila",
                "signed_on": "yesterday",
                "value": "lots",
                "is_public": "maybe",
                "name": 123,
                "partner_type": None,
            }
        ),
        "application/json",
    ),
    (
        "huge numbers",
        json.dumps(
            {
                "lead_agency": 10**40,
                "parties": [{"partner": 10**30}],
                "parent": -1,
                "value": "1e400",
                "supporting_agencies": [10**25],
                "liaison_officer": 2**63,
            }
        ),
        "application/json",
    ),
    (
        "nested garbage",
        json.dumps({"parties": [None, 1, "x", [], {"partner": None}, {"partner": "1"}], "affairs": [None, 5]}),
        "application/json",
    ),
    ("null characters", json.dumps({"title": "a\u0000b", "name": "\u0000"}), "application/json"),
    ("very long strings", json.dumps({"title": "x" * 100_000, "name": "y" * 10_000}), "application/json"),
    ("deep nesting", "[" * 5000 + "]" * 5000, "application/json"),
    ("unknown fields only", json.dumps({"nope": 1, "government": "18.01", "id": 5}), "application/json"),
]

BAD_QUERIES = [
    "page=0",
    "page=-1",
    "page=abc",
    "page=99999999999999999999999",
    "page=last",
    "page_size=-5",
    "page_size=abc",
    "page_size=1000000",
    "unknown=1",
    "status=nonsense",
    "status=draft",
    "year=abc",
    "year=99999999999",
    "expiring_within=-1",
    "affair=%00",
    "agency=99999999999999999999999",
    "agency=abc",
    "government=nope",
    "sort=password",
    "sort=-",
    "q=" + "x" * 5000,
    "q=%27%3B%20DROP%20TABLE",
    "partner_type=alien",
    "archived=perhaps",
    "ordering=secret",
    "q=%ff%fe",
    "q=%00",
    "government=%00",
]

BAD_IDS = ["0", "99999999999999999", "999999999999999999999999999", "abc", "-1", "1.5", "%00"]


class MalformedRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.token = api_token_create(actor=None, user=cls.world.alice, name="tests")[1]

    def setUp(self):
        cache.clear()
        # Hundreds of requests per test: the rate limit (tested below) would stop them.
        patcher = mock.patch("rest_framework.throttling.SimpleRateThrottle.allow_request", return_value=True)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.paths = self.schema_paths()

    def schema_paths(self) -> dict[str, list[str]]:
        schema = json.loads(self.client.get("/api/v1/schema").content)
        paths = {}
        for template, operations in schema["paths"].items():
            path = template.replace("{id}", str(self.world.published.pk))
            paths[path] = [method for method in operations if method in ("get", "post", "put", "patch", "delete")]
        return paths

    def check(self, response, label):
        self.assertLess(response.status_code, 500, f"{label}: {response.status_code} {response.content[:300]!r}")
        if response.status_code >= 400:
            body = response.json()
            self.assertIn("error", body, label)
            self.assertEqual(set(body["error"]["message"]), {"id", "en"}, label)
            self.assertEqual(body["error"]["status"], response.status_code, label)

    def test_the_schema_covers_the_endpoints(self):
        self.assertGreaterEqual(len(self.paths), 7)

    def test_no_bad_body_causes_a_server_error(self):
        for path, methods in self.paths.items():
            for method in ("post", "put", "patch"):
                for label, body, content_type in BAD_BODIES:
                    for auth in ({"authorization": f"Token {self.token}"}, {}):
                        response = getattr(self.client, method)(
                            path, data=body, content_type=content_type, headers=auth
                        )
                        self.check(response, f"{method.upper()} {path} {label} auth={bool(auth)}")
                        if method not in methods:
                            self.assertIn(response.status_code, (401, 403, 405), f"{method} {path}")

    def test_no_bad_query_causes_a_server_error(self):
        for path in self.paths:
            if path.endswith(("/schema", "/docs")):
                continue
            for query in BAD_QUERIES:
                for auth in ({"authorization": f"Token {self.token}"}, {}):
                    response = self.client.get(f"{path}?{query}", headers=auth)
                    self.check(response, f"GET {path}?{query}")

    def test_bad_ids_and_unknown_paths_are_404_in_the_error_format(self):
        for template in ("/api/v1/agreements/{}", "/api/v1/partners/{}", "/api/v1/public/agreements/{}"):
            for bad in BAD_IDS:
                response = self.client.get(template.format(bad), headers={"authorization": f"Token {self.token}"})
                self.check(response, template.format(bad))
                self.assertEqual(response.status_code, 404, template.format(bad))
        response = self.client.get("/api/v1/nothing/here")
        self.assertEqual(response.status_code, 404)
        self.check(response, "unknown path")

    def test_bad_authorization_headers_are_401(self):
        for header in (
            "Token",
            "Token a b",
            "Bearer " + "x" * 500,
            "Token \u00e9\u00e9",
            "Basic Zm9vOmJhcg==",
            "Token ",
        ):
            response = self.client.get("/api/v1/agreements", headers={"authorization": header})
            self.check(response, header)
            self.assertIn(response.status_code, (401, 403), header)

    def test_errors_say_what_is_wrong_in_both_languages(self):
        response = self.client.post(
            "/api/v1/agreements",
            data="{oops",
            content_type="application/json",
            headers={"authorization": f"Token {self.token}"},
        )
        self.assertEqual(response.status_code, 400)
        error = response.json()["error"]
        self.assertEqual(error["code"], "parse_error")
        self.assertEqual(error["message"]["en"], "The request body is not valid JSON.")
        self.assertNotEqual(error["message"]["id"], error["message"]["en"])
        response = self.client.get("/api/v1/public/agreements?unknown=1&year=abc")
        self.assertEqual(response.status_code, 400)
        self.assertIn("request", response.json()["error"]["fields"])

    def test_a_page_past_the_end_is_a_404(self):
        response = self.client.get("/api/v1/public/agreements?page=999")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"]["code"], "not_found")


class ThrottleTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_too_many_requests_are_429_in_the_error_format(self):
        with mock.patch("rest_framework.throttling.AnonRateThrottle.get_rate", return_value="2/minute"):
            statuses = [self.client.get("/api/v1/public/agreements").status_code for _ in range(3)]
            response = self.client.get("/api/v1/public/agreements")
        self.assertEqual(statuses, [200, 200, 429])
        self.assertEqual(response.json()["error"]["code"], "throttled")
        self.assertIn("Retry-After", response.headers)
