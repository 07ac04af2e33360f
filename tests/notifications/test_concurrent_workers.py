"""A reminder is never sent twice for the same step: two workers at once (real threads with
their own database connections, on SQLite and on PostgreSQL), or a worker that dies mid-run."""

import datetime
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path
from unittest import mock

from django.core import mail
from django.db import connection
from django.test import TestCase, TransactionTestCase
from personas import agreement, build_world

from jalin.lib import reminders as sources
from jalin.notifications import services
from jalin.notifications.models import Digest, Notification, SentReminder
from jalin.notifications.reminders import expiring_agreements

TODAY = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)


def world_with_expiring(count: int):
    world = build_world()
    for index in range(count):
        agreement(
            world.alice,
            f"PKS segera berakhir {index}",
            world.dinkes,
            [world.unila],
            signed_on=TODAY - 400 * DAY,
            effective_on=TODAY - 400 * DAY,
            ends_on=TODAY + (25 + index) * DAY,
            liaison_officer=world.oscar,
        )
    return world


@unittest.skipUnless(connection.vendor == "postgresql", "SQLite: see TwoWorkerProcessesOnSQLiteTests")
class TwoWorkersTests(TransactionTestCase):
    """Two threads, each with its own PostgreSQL connection, run the same day at once."""

    def setUp(self):
        patcher = mock.patch.object(sources, "_sources", [expiring_agreements])
        patcher.start()
        self.addCleanup(patcher.stop)
        self.world = world_with_expiring(8)

    def run_workers(self, work, count=2):
        barrier = threading.Barrier(count)
        results, errors = [], []

        def worker():
            try:
                barrier.wait(timeout=10)
                results.append(work())
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results, errors

    def test_two_workers_at_once_send_each_reminder_once(self):
        results, errors = self.run_workers(lambda: services.reminders_send(today=TODAY))
        self.assertEqual(errors, [], f"on {connection.vendor}")
        keys = [line.key for lines in results for line in lines]
        expected = SentReminder.objects.count()
        self.assertEqual(expected, 8)
        # Every key was sent by exactly one of the two workers...
        sent_by = {}
        for index, lines in enumerate(results):
            for key in {line.key for line in lines}:
                sent_by.setdefault(key, set()).add(index)
        self.assertEqual(len(sent_by), 8)
        self.assertTrue(all(len(workers) == 1 for workers in sent_by.values()))
        # ...and each recipient has one notification per reminder.
        self.assertEqual(Notification.objects.filter(user=self.world.oscar).count(), 8)
        self.assertTrue(keys)

    def test_two_workers_at_once_send_one_digest_per_person(self):
        services.reminders_send(today=TODAY)
        results, errors = self.run_workers(lambda: services.digests_send(today=TODAY))
        self.assertEqual(errors, [], f"on {connection.vendor}")
        mailed = [email for batch in results for email in batch]
        self.assertEqual(len(mailed), len(set(mailed)))
        self.assertEqual(len([m for m in mail.outbox if m.to == ["oscar@example.go.id"]]), 1)
        self.assertEqual(Digest.objects.filter(email="oscar@example.go.id").count(), 1)


class InterruptedWorkerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = world_with_expiring(3)

    def setUp(self):
        patcher = mock.patch.object(sources, "_sources", [expiring_agreements])
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_a_worker_that_dies_mid_run_leaves_its_reminder_for_the_next_run(self):
        real = Notification.objects.bulk_create
        calls = {"n": 0}

        def dies_on_second(rows, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("worker killed")
            return real(rows, *args, **kwargs)

        with (
            mock.patch.object(Notification.objects, "bulk_create", side_effect=dies_on_second),
            self.assertRaises(RuntimeError),
        ):
            services.reminders_send(today=TODAY)
        self.assertEqual(SentReminder.objects.count(), 1)  # the second claim was rolled back
        lines = services.reminders_send(today=TODAY)
        self.assertEqual(len({line.key for line in lines}), 2)
        self.assertEqual(SentReminder.objects.count(), 3)
        self.assertEqual(Notification.objects.filter(user=self.world.oscar).count(), 3)

    def test_a_slow_worker_does_not_resend_what_a_fast_one_claimed(self):
        slow_reminders = sources.collect(TODAY)  # the slow worker has collected...
        services.reminders_send(today=TODAY)  # ...the fast one sends everything...
        with (
            mock.patch.object(
                services, "_collect_in_languages", return_value=(slow_reminders, {r.key: {} for r in slow_reminders})
            ),
            mock.patch.object(SentReminder.objects, "filter", return_value=SentReminder.objects.none()),
        ):
            lines = services.reminders_send(today=TODAY)  # ...then the slow one tries to claim
        self.assertEqual(lines, [])
        self.assertEqual(SentReminder.objects.count(), 3)


ROOT = Path(__file__).resolve().parents[2]
SEED = """
import datetime, sys
sys.path.insert(0, "tests")
from personas import agreement, build_world
from jalin.accounts.models import User
today = datetime.date(2026, 6, 1)
day = datetime.timedelta(days=1)
world = build_world()
for index in range(8):
    agreement(world.alice, f"PKS segera berakhir {index}", world.dinkes, [world.unila],
              signed_on=today - 400 * day, effective_on=today - 400 * day,
              ends_on=today + (25 + index) * day, liaison_officer=world.oscar)
"""


@unittest.skipUnless(connection.vendor == "sqlite", "PostgreSQL: see TwoWorkersTests")
class TwoWorkerProcessesOnSQLiteTests(TestCase):
    """Two `send_reminders` processes at once on one SQLite file, as the embedded default
    runs (the in-memory test database cannot be shared between processes)."""

    def manage(self, env, *args, **kwargs):
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    def test_two_worker_processes_send_each_reminder_and_digest_once(self):
        with tempfile.TemporaryDirectory(prefix="jalin-workers-") as folder:
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{folder}/jalin.sqlite3",
                "VAR_DIR": folder,
                "PRIVATE_MEDIA_ROOT": folder,
                "SECRET_KEY": "x",
                "DEBUG": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            }
            for args in (("migrate", "-v0"), ("shell", "-c", SEED)):
                process = self.manage(env, *args)
                _out, err = process.communicate(timeout=120)
                self.assertEqual(process.returncode, 0, err)
            workers = [self.manage(env, "send_reminders", "--today", "2026-06-01") for _ in range(2)]
            outputs = [worker.communicate(timeout=120) for worker in workers]
            for worker, (_out, err) in zip(workers, outputs, strict=True):
                self.assertEqual(worker.returncode, 0, err)
            with sqlite3.connect(f"{folder}/jalin.sqlite3") as db:
                sent = db.execute("SELECT COUNT(*) FROM notifications_sentreminder WHERE kind = 'expiry'").fetchone()[0]
                digests = db.execute(
                    "SELECT COUNT(*) FROM notifications_digest WHERE email = 'oscar@example.go.id'"
                ).fetchone()[0]
        self.assertEqual(sent, 8)
        self.assertEqual(digests, 1)
        keys = [set(re.findall(r"\[(expiry:[^\]]+)\]", out)) for out, _err in outputs]
        self.assertEqual(len(keys[0] | keys[1]), 8)
        self.assertEqual(keys[0] & keys[1], set())  # no key sent by both processes
        mails_to_oscar = sum(out.count("To: oscar@example.go.id") for out, _err in outputs)
        self.assertEqual(mails_to_oscar, 1)
