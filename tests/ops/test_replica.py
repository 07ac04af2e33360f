"""DATABASE_REPLICA_URL: GET requests of the portal and of reports read from the replica;
staff pages, writes, accounts and sessions use the primary."""

import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, TestCase

sys.path.insert(0, str(Path(__file__).parent))
import opssupport

from jalin.accounts.models import User
from jalin.agreements.models import Agreement
from jalin.ops.routers import ReplicaRouter, reading_from_replica


class RouterTests(SimpleTestCase):
    def test_it_reads_from_the_replica_only_inside_the_context(self):
        router = ReplicaRouter()
        self.assertEqual(router.db_for_read(Agreement), "default")
        with reading_from_replica():
            self.assertEqual(router.db_for_read(Agreement), "replica")
            self.assertEqual(router.db_for_read(User), "default")
            self.assertEqual(router.db_for_write(Agreement), "default")
        self.assertEqual(router.db_for_read(Agreement), "default")

    def test_it_migrates_only_the_primary(self):
        router = ReplicaRouter()
        self.assertTrue(router.allow_migrate("default", "agreements"))
        self.assertFalse(router.allow_migrate("replica", "agreements"))


class ReplicaTests(TestCase):
    def test_it_sends_portal_reads_to_the_replica_and_everything_else_to_the_primary(self):
        var = Path(tempfile.mkdtemp(prefix="jalin-ops-replica-"))
        self.addCleanup(shutil.rmtree, var, ignore_errors=True)
        env = opssupport.installation(var, world=True)
        primary, replica = var / "jalin.sqlite3", var / "replica.sqlite3"
        with sqlite3.connect(primary) as db:
            (pk,) = db.execute("SELECT id FROM agreements_agreement WHERE number = '180/2/PKS/2024'").fetchone()
        ids = {"agreement": pk}
        shutil.copy(primary, replica)  # the replica as replication left it
        with sqlite3.connect(primary) as db:  # a change the replica has not received yet
            db.execute("UPDATE agreements_agreement SET title = 'Judul baru' WHERE id = ?", (ids["agreement"],))
        env["DATABASE_REPLICA_URL"] = f"sqlite:///{replica}"
        seen = json.loads(opssupport.child(env, "replica", str(ids["agreement"])).stdout)
        self.assertEqual(seen["portal_get"]["title"], "PKS layanan kesehatan keliling")
        self.assertEqual(seen["portal_get"]["agreement_db"], "replica")
        self.assertEqual(seen["portal_get"]["user_db"], "default")
        self.assertEqual(seen["portal_post"]["title"], "Judul baru")
        self.assertEqual(seen["staff_get"]["title"], "Judul baru")
        self.assertEqual(seen["staff_get"]["agreement_db"], "default")
