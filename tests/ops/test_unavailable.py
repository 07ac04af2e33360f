"""While the database is unreachable every page answers 503 with a clear message in
Indonesian and English, and the next request after it is back works again."""

from unittest import mock

from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import TestCase
from personas import build_world


class DatabaseUnavailableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        # Django's test client re-raises exceptions a middleware turned into a response;
        # a browser gets the response, which is what these tests look at.
        self.client.raise_request_exception = False

    def down(self, error=None):
        """Every query fails, as when PostgreSQL is stopped."""
        return mock.patch(
            "django.db.backends.utils.CursorWrapper._execute_with_wrappers",
            side_effect=error or OperationalError("server closed the connection unexpectedly"),
        )

    def test_it_shows_a_clear_503_page_in_both_languages(self):
        self.client.force_login(self.w.alice)
        with self.down():
            response = self.client.get("/app/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "15")
        self.assertEqual(response["Cache-Control"], "no-store")
        text = response.content.decode()
        self.assertIn("Jalin is temporarily unavailable", text)
        self.assertIn("Jalin untuk sementara tidak dapat diakses", text)
        self.assertLess(text.index("Jalin untuk sementara"), text.index("Jalin is temporarily"))
        self.assertNotIn("server closed the connection", text)

    def test_it_treats_a_lost_connection_the_same(self):
        self.client.force_login(self.w.alice)
        with self.down(InterfaceError("connection already closed")):
            self.assertEqual(self.client.get("/app/").status_code, 503)

    def test_it_answers_json_to_the_api(self):
        self.client.force_login(self.w.alice)
        with self.down():
            response = self.client.get("/app/", HTTP_ACCEPT="application/json")
        self.assertEqual(response.status_code, 503)
        self.assertIn("detail_id", response.json())

    def test_it_recovers_on_the_next_request(self):
        self.client.force_login(self.w.alice)
        with self.down():
            self.assertEqual(self.client.get("/app/").status_code, 503)
        self.assertEqual(self.client.get("/app/").status_code, 200)

    def test_it_shows_the_page_to_citizens_on_the_portal(self):
        with self.down():
            response = self.client.get("/")
        self.assertEqual(response.status_code, 503)
        self.assertIn("Jalin is temporarily unavailable", response.content.decode())

    def test_it_leaves_other_errors_alone(self):
        self.client.force_login(self.w.alice)
        with self.down(IntegrityError("duplicate key")):
            self.assertEqual(self.client.get("/app/").status_code, 500)
