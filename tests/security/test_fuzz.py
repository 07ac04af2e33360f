"""Fuzz: every form of the staff app and every operation of the API, driven with hostile
values (hypothesis), must never answer a server error.

The forms are found as a user finds them: the staff pages are crawled as Alice (admin) from
/app/, and each POST form is submitted with some fields replaced by drawn values (huge and
negative numbers, junk, impossible dates, control characters, very long text). The API
operations come from its OpenAPI schema (/api/v1/schema); their bodies are drawn from the
schema's properties, sent with an admin token. The number of examples is bounded
(FUZZ_EXAMPLES, 4 by default) so the suite stays within minutes; set it higher to search
longer. Each example runs in its own transaction (hypothesis' Django TestCase).
"""

import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from personas import build_world
from security.forms_support import forms_of

from jalin.accounts.tokens import api_token_create

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
COLLECT = os.environ.get("FUZZ_COLLECT") == "1"  # count every server error instead of failing at the first
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        "x",
        "abc",
        "-1",
        "0",
        "9" * 30,
        "-" + "9" * 30,
        "1e309",
        "NaN",
        "9999-12-31",
        "0001-01-01",
        "2024-02-30",
        "Judul\x01",
        "\x00",
        "=1+1",
        "<script>alert(1)</script>",
        "x" * 20_000,
        "https://example.org",
        "//example.org/x",
        "1,2",
        "ü" * 300,
    ]
)
BY_KIND = {
    "date": st.sampled_from(["9999-12-31", "0001-01-01", "2024-02-30", "31-12-9999", "abc"]),
    "number": st.sampled_from(["9" * 30, "-" + "9" * 30, "1e309", "NaN", "abc", "-1", "2147483648"]),
    "select": st.sampled_from(["9" * 25, "abc", "-1", "0", ""]),
    "select-multiple": st.sampled_from(["9" * 25, "abc", "-1"]),
    "text": st.sampled_from(["Judul\x01", "\x00", "x" * 20_000, "=1+1", "", "9" * 30]),
    "textarea": st.sampled_from(["Isi\x01", "x" * 100_000, "=1+1", ""]),
}
SKIP_LINKS = re.compile(r"/(logout|download|photo|calendar|export|feeds?)/?|\.(csv|xlsx|docx|pdf|ics|atom|json)$")
SKIP_ACTIONS = re.compile(r"/(logout|i18n/setlang)/")
MAX_PAGES = 80


def admin_token(user) -> str:
    return api_token_create(actor=None, user=user, name="tests")[1]


class Tally:
    cases = 0
    forms = 0
    server_errors: list[str] = []


class FuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.token = admin_token(cls.world.alice)

    # --- the staff forms ------------------------------------------------------------------

    def crawl(self) -> list:
        """Every POST form on the staff pages reachable from /app/ (bounded)."""
        if getattr(type(self), "_forms", None) is not None:
            return type(self)._forms
        self.client.force_login(self.world.alice)
        seen, queue, forms = set(), ["/app/"], {}
        while queue and len(seen) < MAX_PAGES:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = self.client.get(path)
            self.assertLess(response.status_code, 500, path)
            if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
                continue
            html = response.content.decode()
            for link in re.findall(r'href="(/app/[^"#?]*)"', html):
                if link not in seen and not SKIP_LINKS.search(link):
                    queue.append(link)
            for form in forms_of(html, path):
                if form.method == "post" and not SKIP_ACTIONS.search(form.action):
                    forms.setdefault((form.action, tuple(f.name for f in form.fields)), form)
        type(self)._forms = list(forms.values())
        return type(self)._forms

    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
    )
    @given(st.data())
    def test_no_form_answers_a_server_error(self, data):
        forms = self.crawl()
        self.assertGreater(len(forms), 10)
        self.client.force_login(self.world.alice)
        self.client.raise_request_exception = not COLLECT
        for form in forms:
            values = form.data()
            for field in form.fields:
                if field.kind in ("submit", "button", "file") or field.name == "csrfmiddlewaretoken":
                    continue
                if data.draw(st.integers(0, 3), label=f"{form.action} {field.name}") == 0:  # a quarter of them
                    values[field.name] = data.draw(BY_KIND.get(field.kind, HOSTILE_TEXT))
            response = self.client.post(form.action, values)
            Tally.cases += 1
            if response.status_code >= 500:
                Tally.server_errors.append(f"POST {form.action} {sorted(values)}")
            if not COLLECT:
                self.assertLess(response.status_code, 500, f"POST {form.action} {values}")
        Tally.forms = len(forms)

    # --- the API ---------------------------------------------------------------------------

    def operations(self) -> list[tuple[str, str, dict]]:
        schema = json.loads(self.client.get("/api/v1/schema").content)
        ids = {
            "agreements": self.world.tourism.pk,
            "partners": self.world.bank.pk,
            "public": self.world.published.pk,
            "reports": 1,
        }
        found = []
        for template, operations in schema["paths"].items():
            first = template.strip("/").split("/")[2] if template.count("/") > 2 else ""
            path = template.replace("{id}", str(ids.get(first, self.world.tourism.pk)))
            for method, operation in operations.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
                    found.append((method, path, self._resolve(schema, body) if body else {}))
        return found

    def _resolve(self, schema, node):
        while isinstance(node, dict) and "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].split("/")[-1]]
        return node or {}

    def value_for(self, data, prop: dict):
        kind = prop.get("type")
        if kind == "integer":
            return data.draw(st.sampled_from([0, -1, 1, 2**31, 10**30, -(10**30)]) | st.integers())
        if kind == "number":
            return data.draw(st.sampled_from([0, -1, 1e308, 10**30]) | st.floats(allow_nan=False))
        if kind == "boolean":
            return data.draw(st.booleans())
        if kind == "array":
            return data.draw(st.lists(st.sampled_from([1, 10**30, -1, "x"]), max_size=3))
        return data.draw(HOSTILE_TEXT | st.text(max_size=50) | st.none())

    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
    )
    @given(st.data())
    def test_no_api_operation_answers_a_server_error(self, data):
        auth = {"authorization": f"Token {self.token}"}
        self.client.raise_request_exception = not COLLECT
        operations = self.operations()
        self.assertGreater(len(operations), 8)
        for method, path, body_schema in operations:
            properties = body_schema.get("properties", {})
            body = {
                name: self.value_for(data, prop)
                for name, prop in properties.items()
                if data.draw(st.booleans(), label=f"{method} {path} {name}")
            }
            query = f"{path}?{data.draw(HOSTILE_TEXT)}=1&page=" + "9" * 30
            self.expect_no_server_error(
                f"{method.upper()} {path} {body}",
                getattr(self.client, method)(path, body, content_type="application/json", headers=auth),
            )
            self.expect_no_server_error(f"OPTIONS {path}", self.client.options(path, headers=auth))
            self.expect_no_server_error(f"GET {query}", self.client.get(query, headers=auth))

    def expect_no_server_error(self, description: str, response) -> None:
        Tally.cases += 1
        if response.status_code >= 500:
            Tally.server_errors.append(description)
        if COLLECT:
            return
        self.assertLess(response.status_code, 500, description)
        if not description.endswith("/docs"):
            self.assertTrue(response["Content-Type"].startswith("application/json"), description)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        print(f"\nfuzz: {Tally.forms} forms, {Tally.cases} cases, {len(Tally.server_errors)} server errors")
        for error in sorted({re.sub(r"\{.*", "", e)[:160] for e in Tally.server_errors}):
            print("  5xx:", error)
