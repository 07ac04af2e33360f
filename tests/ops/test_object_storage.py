"""Documents on S3-compatible object storage (django-storages), against moto's S3 server
started by the test on a free port of 127.0.0.1 (MinIO speaks the same protocol; its
binaries are not installable here). Also the X-Accel-Redirect download for nginx."""

import hashlib
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import boto3
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from personas import build_world

sys.path.insert(0, str(Path(__file__).parent))
import opssupport

from jalin.documents.services import document_upload
from jalin.ops.backup import read_manifest

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"% bukti\n" * 500
BUCKET = "jalin-documents"


class ObjectStorageTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        binary = opssupport.BIN / "moto_server"
        if not binary.exists():
            raise AssertionError("moto_server is missing: pip install -r requirements-dev.txt")
        cls.port = opssupport.free_port()
        cls.moto = subprocess.Popen(
            [str(binary), "-H", "127.0.0.1", "-p", str(cls.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        opssupport.wait_for_port(cls.port)
        cls.endpoint = f"http://127.0.0.1:{cls.port}"
        cls.s3 = boto3.client(
            "s3",
            endpoint_url=cls.endpoint,
            aws_access_key_id="jalin",
            aws_secret_access_key="jalin-secret",
            region_name="us-east-1",
        )
        cls.s3.create_bucket(Bucket=BUCKET)

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait(timeout=10)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def s3_storages(self, bucket=BUCKET):
        return {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": self.endpoint,
                    "access_key": "jalin",
                    "secret_key": "jalin-secret",
                    "region_name": "us-east-1",
                    "addressing_style": "path",
                    "signature_version": "s3v4",
                    "default_acl": None,
                    "file_overwrite": False,
                    "querystring_auth": True,
                    "querystring_expire": 60,
                },
            },
        }

    def setUp(self):
        override = override_settings(STORAGES=self.s3_storages())
        override.enable()
        self.addCleanup(override.disable)

    def store(self, title="Naskah PKS"):
        with self.captureOnCommitCallbacks(execute=True):
            return document_upload(
                actor=self.w.oscar,
                agreement=self.w.pks,
                kind="signed",
                title=title,
                upload=SimpleUploadedFile("naskah.pdf", PDF, content_type="application/pdf"),
            )

    def test_it_switches_to_s3_from_the_environment(self):
        var = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, var, ignore_errors=True)
        env = opssupport.child_env(
            var, AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_S3_ENDPOINT_URL=self.endpoint, DOCUMENT_DOWNLOAD="redirect"
        )
        result = subprocess.run(
            [
                opssupport.PYTHON,
                "-c",
                "import django; django.setup(); from django.core.files.storage import storages;"
                "from django.conf import settings as s; d = storages['default'];"
                "print(type(d).__name__, d.bucket_name, s.DOCUMENT_DOWNLOAD)",
            ],
            env=env,
            cwd=opssupport.ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        self.assertEqual(result.stdout.split(), ["S3Storage", BUCKET, "redirect"])

    def test_it_stores_the_exact_bytes_in_the_bucket(self):
        document = self.store()
        stored = self.s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
        self.assertEqual(hashlib.sha256(stored).hexdigest(), document.sha256)
        self.assertEqual(stored, PDF)

    def test_it_streams_a_download_after_the_access_check(self):
        document = self.store()
        self.client.force_login(self.w.oscar)
        response = self.client.get(reverse("documents:download", args=[document.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.client.force_login(self.w.sam)
        self.assertEqual(self.client.get(reverse("documents:download", args=[document.pk])).status_code, 404)

    def test_it_redirects_to_a_short_lived_signed_url_only_after_the_access_check(self):
        document = self.store()
        with override_settings(DOCUMENT_DOWNLOAD="redirect"):
            self.client.force_login(self.w.sam)
            self.assertEqual(self.client.get(reverse("documents:download", args=[document.pk])).status_code, 404)
            self.client.force_login(self.w.oscar)
            response = self.client.get(reverse("documents:download", args=[document.pk]))
        self.assertEqual(response.status_code, 302)
        url = response["Location"]
        self.assertIn("X-Amz-Signature=", url)
        self.assertIn("X-Amz-Expires=60", url)
        with urllib.request.urlopen(url, timeout=10) as fetched:
            self.assertEqual(fetched.read(), PDF)
            self.assertIn("attachment", fetched.headers["Content-Disposition"])
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_it_reports_ready_with_the_bucket_and_unready_without_it(self):
        self.assertEqual(self.client.get("/readyz").json()["checks"]["storage"]["ok"], True)
        with override_settings(STORAGES=self.s3_storages(bucket="no-such-bucket")):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)

    def test_it_backs_up_the_objects(self):
        document = self.store()
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        call_command("backup", output=str(folder / "b.tar.gz"), stdout=open("/dev/null", "w"))  # noqa: SIM115
        manifest = read_manifest(str(folder / "b.tar.gz"))
        self.assertEqual(manifest["files"][document.file.name]["sha256"], document.sha256)

    def test_it_falls_back_to_streaming_when_nginx_cannot_reach_the_bucket(self):
        document = self.store()
        self.client.force_login(self.w.oscar)
        with override_settings(DOCUMENT_DOWNLOAD="x-accel"):
            response = self.client.get(reverse("documents:download", args=[document.pk]))
        self.assertNotIn("X-Accel-Redirect", response)
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_it_removes_the_object_when_the_transaction_rolls_back(self):
        from django.db import transaction

        with self.assertRaises(RuntimeError), transaction.atomic():
            document = document_upload(
                actor=self.w.oscar,
                agreement=self.w.pks,
                kind="signed",
                title="Rolled back",
                upload=SimpleUploadedFile("naskah.pdf", PDF, content_type="application/pdf"),
            )
            name = document.file.name
            self.assertEqual(self.s3.head_object(Bucket=BUCKET, Key=name)["ContentLength"], len(PDF))
            raise RuntimeError
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix=name).get("KeyCount", 0)
        self.assertEqual(listed, 0)


class XAccelRedirectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_hands_the_file_to_nginx_after_the_access_check(self):
        with self.captureOnCommitCallbacks(execute=True):
            document = document_upload(
                actor=self.w.oscar,
                agreement=self.w.pks,
                kind="signed",
                title="Naskah",
                upload=SimpleUploadedFile("Naskah Pemda é.pdf", PDF, content_type="application/pdf"),
            )
        with override_settings(DOCUMENT_DOWNLOAD="x-accel"):
            self.client.force_login(self.w.sam)
            self.assertEqual(self.client.get(reverse("documents:download", args=[document.pk])).status_code, 404)
            self.client.force_login(self.w.oscar)
            response = self.client.get(reverse("documents:download", args=[document.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Accel-Redirect"], f"/_protected/{document.file.name}")
        self.assertEqual(response.content, b"")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("filename*=utf-8''Naskah%20Pemda%20%C3%A9.pdf", response["Content-Disposition"])
        self.assertEqual(response["Cache-Control"], "private, no-store")
