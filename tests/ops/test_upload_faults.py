"""A document upload is all or nothing, whatever interrupts it: an exception, a rollback of a
transaction around it, a full disk, or the process being killed (SIGKILL) half-way."""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import translation
from personas import build_world

sys.path.insert(0, str(Path(__file__).parent))
import opssupport

from jalin.documents.models import Document
from jalin.documents.services import document_upload

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class MediaMixin:
    def use_temporary_media(self):
        self.media_root = Path(tempfile.mkdtemp(prefix="jalin-ops-media-"))
        override = override_settings(
            PRIVATE_MEDIA_ROOT=self.media_root,
            STORAGES={
                **settings.STORAGES,
                "default": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": self.media_root, "base_url": None},
                },
            },
        )
        override.enable()
        self.addCleanup(override.disable)

    def files_on_disk(self) -> list[Path]:
        return sorted(p for p in self.media_root.rglob("*") if p.is_file())

    def upload(self, title="Naskah PKS"):
        return document_upload(
            actor=self.w.oscar,
            agreement=self.w.pks,
            kind="signed",
            title=title,
            upload=SimpleUploadedFile("naskah.pdf", PDF, content_type="application/pdf"),
        )


class RollbackTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        self.use_temporary_media()

    def test_it_removes_the_file_when_an_outer_transaction_rolls_back(self):
        class Abort(Exception):
            pass

        with self.assertRaises(Abort), transaction.atomic():
            document = self.upload()
            self.assertTrue(Path(document.file.path).exists())
            raise Abort
        self.assertFalse(Document.objects.filter(title="Naskah PKS").exists())
        self.assertEqual(self.files_on_disk(), [])

    def test_it_removes_the_file_when_a_savepoint_around_it_rolls_back(self):
        with transaction.atomic():
            kept = self.upload(title="Kept")
            try:
                with transaction.atomic():  # a savepoint
                    self.upload(title="Rolled back")
                    raise RuntimeError("the caller fails after the upload")
            except RuntimeError:
                pass
        self.assertEqual([Path(kept.file.path)], self.files_on_disk())
        self.assertFalse(Document.objects.filter(title="Rolled back").exists())

    def test_it_keeps_the_file_when_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            document = self.upload()
        # the file's keeper, the queueing of the reading of its text (jalin.documents.text) and
        # the renewal of the cache scopes the audit entry touched (jalin/audit/revisions.py)
        self.assertEqual(len(callbacks), 3)
        del callbacks
        self.assertEqual(self.files_on_disk(), [Path(document.file.path)])

    def test_it_refuses_a_full_disk_clearly_and_leaves_no_partial_file(self):
        original = FileSystemStorage._save

        def full_disk(storage, name, content):
            # Write part of the file, then fail as a full disk does.
            path = Path(storage.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(PDF[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

        with (
            translation.override("en"),
            mock.patch.object(FileSystemStorage, "_save", full_disk),
            self.assertRaises(ValidationError) as caught,
        ):
            self.upload()
        self.assertIn("full", " ".join(caught.exception.messages))
        self.assertEqual(self.files_on_disk(), [])
        self.assertFalse(Document.objects.exists())
        self.assertIsNotNone(original)

    def test_it_says_the_storage_is_full_in_indonesian_on_the_page(self):
        self.client.force_login(self.w.oscar)
        with mock.patch.object(FileSystemStorage, "_save", side_effect=OSError(errno.ENOSPC, "full")):
            response = self.client.post(
                reverse("documents:upload", args=[self.w.pks.pk]),
                {"kind": "signed", "title": "", "file": SimpleUploadedFile("n.pdf", PDF)},
                follow=True,
            )
        text = response.content.decode()
        self.assertIn("penyimpanan penuh", text)
        self.assertFalse(Document.objects.exists())
        self.assertEqual(self.files_on_disk(), [])


class KillTests(TransactionTestCase):
    """A real child process is SIGKILLed at each point of an upload; afterwards no row lacks its
    file, and the only leftover (a file without a row) is found and removed by check_files."""

    def setUp(self):
        self.var = Path(tempfile.mkdtemp(prefix="jalin-ops-kill-"))
        self.addCleanup(shutil.rmtree, self.var, ignore_errors=True)
        self.env = opssupport.installation(self.var, world=True)

    def media_files(self) -> list[Path]:
        return sorted(p for p in (self.var / "private").rglob("*") if p.is_file())

    def kill_during(self, phase: str, command: str = "upload") -> None:
        marker = self.var / f"{phase}.ready"
        process = subprocess.Popen(
            [opssupport.PYTHON, opssupport.CHILD, command, *([phase] if command == "upload" else []), str(marker)],
            env=self.env,
            cwd=opssupport.ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not marker.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                out, err = process.communicate()
                self.fail(f"the child ended before {phase}: {out!r} {err!r}")
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        self.assertEqual(process.returncode, -signal.SIGKILL)

    def assertConsistentAfterSweep(self, phase: str) -> None:
        state = json.loads(opssupport.child(self.env, "count").stdout)
        self.assertEqual(state["missing"], [], f"rows without files after a kill while {phase}")
        self.assertEqual(state["documents"], 0, f"a row survived a kill while {phase}")
        leftovers = self.media_files()
        self.assertEqual(len(leftovers), 1, f"expected the one orphan left by a kill while {phase}")
        report = opssupport.manage(self.env, "check_files", "--delete-orphans", "--grace-minutes", "0")
        self.assertIn("1 orphan file(s) deleted", report.stdout)
        self.assertEqual(self.media_files(), [])

    def test_it_leaves_nothing_half_written_when_killed_while_writing_the_file(self):
        self.kill_during("writing")
        partial = self.media_files()
        self.assertTrue(partial and partial[0].stat().st_size < 300_000)
        self.assertConsistentAfterSweep("writing")

    def test_it_leaves_nothing_half_written_when_killed_before_the_row_is_saved(self):
        self.kill_during("written")
        self.assertConsistentAfterSweep("written")

    def test_it_leaves_nothing_half_written_when_killed_before_the_commit(self):
        self.kill_during("row-saved")
        self.assertConsistentAfterSweep("row-saved")

    def test_it_leaves_young_files_of_uploads_in_progress_alone(self):
        self.kill_during("written")
        report = opssupport.manage(self.env, "check_files", "--delete-orphans", "--grace-minutes", "60")
        self.assertIn("0 orphan file(s) deleted", report.stdout)
        self.assertEqual(len(self.media_files()), 1)
        opssupport.manage(self.env, "check_files", "--delete-orphans", "--grace-minutes", "0")

    def test_it_leaves_no_agreement_of_an_import_killed_half_way(self):
        before = json.loads(opssupport.child(self.env, "state").stdout)
        self.kill_during("import", command="import")
        after = json.loads(opssupport.child(self.env, "state").stdout)
        self.assertEqual(after["agreements"], before["agreements"], "rows of a killed import survived")
        self.assertEqual(after["imports"], ["applying"], "the import can be run again")
        report = opssupport.manage(self.env, "check_files", "--grace-minutes", "0")
        self.assertIn("0 orphan file(s) found; 0 row(s) refer to missing files", report.stdout)

    def test_it_leaves_no_ready_report_without_its_file_when_killed_while_storing_it(self):
        self.kill_during("report", command="report")
        state = json.loads(opssupport.child(self.env, "state").stdout)
        self.assertEqual(len(state["reports"]), 1)
        self.assertNotEqual(state["reports"][0]["status"], "done")
        self.assertEqual(state["reports"][0]["file"], "")
        report = opssupport.manage(self.env, "check_files", "--delete-orphans", "--grace-minutes", "0")
        self.assertIn("1 orphan file(s) deleted", report.stdout)
        self.assertEqual(self.media_files(), [])

    def test_it_reports_a_row_whose_file_was_lost(self):
        result = opssupport.child(self.env, "upload", "complete", str(self.var / "unused"))
        self.assertIn("uploaded", result.stdout)
        (stored,) = self.media_files()
        stored.unlink()
        report = opssupport.manage(self.env, "check_files", check=False)
        self.assertNotEqual(report.returncode, 0)
        self.assertIn("missing file: agreements/", report.stdout)


class CheckFilesInProcessTests(MediaMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        self.use_temporary_media()

    def test_it_keeps_files_that_rows_refer_to(self):
        with self.captureOnCommitCallbacks(execute=True):
            document = self.upload()
        stray = self.media_root / "agreements" / "stray"
        stray.write_bytes(b"left by a killed process")
        old = time.time() - 7200
        os.utime(stray, (old, old))
        call_command("check_files", "--delete-orphans", stdout=open(os.devnull, "w"))  # noqa: SIM115
        self.assertEqual(self.files_on_disk(), [Path(document.file.path)])

    def test_the_nightly_task_removes_day_old_orphans_only(self):
        from jalin.ops.tasks import remove_orphan_files

        folder = self.media_root / "agreements"
        folder.mkdir(parents=True, exist_ok=True)
        old, young = folder / "old-orphan", folder / "young-orphan"
        old.write_bytes(b"x")
        young.write_bytes(b"y")
        two_days_ago = time.time() - 2 * 86400
        os.utime(old, (two_days_ago, two_days_ago))
        self.assertEqual(remove_orphan_files.call_local(), 1)
        self.assertEqual(self.files_on_disk(), [young])
