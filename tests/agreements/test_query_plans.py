"""The big list paths use indexes on PostgreSQL: no sequential scan over agreements.

The planner is asked with enable_seqscan off, so a sequential scan in the plan means no
index can serve the query at all (with little test data the planner would otherwise
prefer a scan, which says nothing). SQLite has a different planner and no GIN indexes:
this test runs in CI's PostgreSQL pass (.ci/run runs the whole suite on both databases).
"""

import unittest

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from personas import build_world

from jalin.agreements.models import Agreement
from jalin.agreements.selectors import search_agreements


@unittest.skipUnless(connection.vendor == "postgresql", "query plans are checked on PostgreSQL (CI runs it there)")
class AgreementQueryPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def plans_of(self, path: str) -> list[tuple[str, str]]:
        self.client.force_login(self.world.alice)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(path).status_code, 200)
        plans = []
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            for query in captured.captured_queries:
                sql = query["sql"]
                if "agreements_agreement" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
        self.assertTrue(plans, f"{path} ran no query on agreements")
        return plans

    def assert_no_sequential_scan_on_agreements(self, path: str) -> None:
        for sql, plan in self.plans_of(path):
            with self.subTest(path=path, sql=sql[:120]):
                self.assertNotRegex(plan, r"Seq Scan on agreements_agreement\b", plan)

    def test_the_agreement_list_uses_indexes(self):
        self.assert_no_sequential_scan_on_agreements("/app/agreements/")

    def test_filtered_lists_use_indexes(self):
        for query in (
            "category=ksdpk",
            "kind=pks",
            "status=expiring",
            "status=expired",
            "expiring_within=90",
            "year=2025",
            "sort=-ends",
            f"agency={self.world.dinkes.pk}",
        ):
            self.assert_no_sequential_scan_on_agreements(f"/app/agreements/?{query}")

    def test_search_pages_use_indexes(self):
        self.assert_no_sequential_scan_on_agreements("/app/agreements/?q=kesehatan")

    def test_full_text_search_across_governments_uses_the_gin_index(self):
        # Within one government the planner may prefer the government index and filter its
        # rows; across every government (a national supervisor) only the GIN index helps.
        sql, params = search_agreements(Agreement.objects.all(), "kesehatan keliling").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("agreement_search_gin", plan)

    def test_the_detail_page_and_dashboard_use_indexes(self):
        self.assert_no_sequential_scan_on_agreements(f"/app/agreements/{self.world.pks.pk}/")
        self.assert_no_sequential_scan_on_agreements("/app/")

    def test_the_check_would_see_a_sequential_scan(self):
        # The assertion is not vacuous: a condition no index serves shows up as a Seq Scan.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = Agreement.objects.filter(intended_benefits__contains="x").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("Seq Scan on agreements_agreement", plan)
