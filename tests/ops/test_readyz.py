"""GET /readyz: database, storage and queue reachable, for a load balancer."""

import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import OperationalError
from django.test import TestCase, override_settings


class ReadyzTests(TestCase):
    def test_it_is_ready_when_database_storage_and_queue_answer(self):
        with self.assertNumQueries(1):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(set(body["checks"]), {"database", "storage", "queue"})
        self.assertTrue(all(check["ok"] for check in body["checks"].values()))
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_is_unavailable_when_the_storage_folder_is_gone(self):
        gone = Path(tempfile.mkdtemp()) / "private"
        storages = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": gone}},
        }
        with override_settings(STORAGES=storages):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["checks"]["storage"], {"ok": False, "error": "OSError"})
        self.assertTrue(body["checks"]["database"]["ok"])
        self.assertNotIn(str(gone), response.content.decode())

    def test_it_is_unavailable_when_the_storage_folder_is_read_only(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        storages = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder}},
        }
        with override_settings(STORAGES=storages), mock.patch("os.access", return_value=False):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)

    def test_it_is_unavailable_when_the_queue_does_not_answer(self):
        with mock.patch("huey.contrib.djhuey.HUEY.pending_count", side_effect=ConnectionError("refused")):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["queue"], {"ok": False, "error": "ConnectionError"})

    def test_it_is_unavailable_when_the_database_does_not_answer(self):
        with mock.patch("jalin.ops.views.check_database", side_effect=OperationalError("connection refused")):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["database"], {"ok": False, "error": "OperationalError"})

    def test_it_answers_over_plain_http_even_when_https_is_enforced(self):
        with override_settings(SECURE_SSL_REDIRECT=True):
            self.assertEqual(self.client.get("/readyz").status_code, 200)
            self.assertEqual(self.client.get("/healthz").status_code, 200)
            self.assertEqual(self.client.get("/app/").status_code, 301)

    def test_it_refuses_writes(self):
        self.assertEqual(self.client.post("/readyz").status_code, 405)
