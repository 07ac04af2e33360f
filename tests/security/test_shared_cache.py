"""Item 1: an unpublished agreement is served by no process, and production refuses a
per-process cache (jalin/audit/revisions.py, jalin/lib/checks.py)."""

import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import redis
from django.test import SimpleTestCase

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))
import opssupport

WORKER = str(Path(__file__).with_name("worker.py"))
REDIS = "redis://127.0.0.1:6379/12"


class Worker:
    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [opssupport.PYTHON, WORKER], env=env, cwd=opssupport.ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        assert self.process.stdout.readline().strip() == "ready"

    def ask(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


class TwoProcessesShareTheCacheTests(SimpleTestCase):
    """Two app processes on one database and one Redis (a database number and key prefix of
    their own), as two gunicorn workers are."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="jalin-security-cache-"))
        self.prefix = f"jalin-test-{uuid.uuid4().hex[:8]}"
        env = opssupport.installation(self.tmp / "var", world=True, CACHE_URL=REDIS, CACHE_KEY_PREFIX=self.prefix)
        self.reader, self.writer = Worker(env), Worker(env)
        self.addCleanup(self._clean)

    def _clean(self):
        self.reader.stop()
        self.writer.stop()
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{self.prefix}:*"):
            client.delete(key)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_it_serves_an_unpublished_agreement_from_no_process(self):
        with sqlite3.connect(self.tmp / "var" / "jalin.sqlite3") as db:
            pk = db.execute("SELECT id FROM agreements_agreement WHERE number = '556/4/PKS/2024'").fetchone()[0]
        path = f"/agreements/{pk}/"
        self.assertEqual(self.reader.ask(f"get {path}"), "200")  # cached in the reader's view
        self.assertEqual(self.writer.ask(f"get {path}"), "200")
        self.assertEqual(self.writer.ask(f"unpublish {pk}"), "done")
        self.assertEqual(self.reader.ask(f"get {path}"), "404")
        self.assertEqual(self.writer.ask(f"get {path}"), "404")
        self.assertTrue(any(redis.Redis.from_url(REDIS).scan_iter(f"{self.prefix}:*portal:detail*")))
