"""PostgreSQL restarts under load (bench/ops/pg_restart_under_load.py against a private
cluster it creates): clear 503 pages while it is down, recovery without restarting Jalin,
no acknowledged write lost."""

import json
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

sys.path.insert(0, str(Path(__file__).parent))
import opssupport

SCRIPT = opssupport.ROOT / "bench" / "ops" / "pg_restart_under_load.py"


class PostgresRestartTests(SimpleTestCase):
    def test_it_answers_503_while_postgresql_is_down_and_recovers_without_losing_writes(self):
        pg_bin = opssupport.postgres_bin()
        if pg_bin is None:
            raise AssertionError("PostgreSQL server binaries are missing (apt-get install postgresql)")
        result = subprocess.run(
            [opssupport.PYTHON, str(SCRIPT), "--pg-bin", str(pg_bin), "--before", "2", "--down", "4", "--after", "4"],
            capture_output=True,
            text=True,
            timeout=240,
        )
        summary = json.loads(result.stdout)
        detail = json.dumps(summary, indent=1) + result.stderr[-2000:]
        self.assertGreater(summary["status_while_down"].get("503", 0), 10, detail)
        self.assertEqual(set(summary["status_while_down"]), {"503"}, detail)
        self.assertEqual(summary["down_responses_with_clear_503"], summary["status_while_down"]["503"], detail)
        self.assertEqual(summary["server_errors_500"], 0, detail)
        self.assertLess(summary["recovered_after_s"], 5, detail)
        self.assertGreater(summary["uploads_acknowledged_before_stop"], 0, detail)
        self.assertGreater(summary["uploads_acknowledged_after_start"], 0, detail)
        self.assertEqual(summary["acknowledged_uploads_lost"], [], detail)
        self.assertEqual(summary["rows_with_bad_or_missing_file"], [], detail)
        self.assertTrue(summary["ok"], detail)
        self.assertEqual(result.returncode, 0, detail)
