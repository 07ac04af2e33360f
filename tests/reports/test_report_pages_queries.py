from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from personas import build_world

from jalin.imports.models import ImportStatus, RegisterImport
from jalin.reports.models import JobStatus, ReportJob


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


class ListPageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def add_jobs(self, count: int) -> None:
        for index in range(count):
            ReportJob.objects.create(
                requested_by=self.world.alice,
                government=self.world.pesawaran,
                kind="periodic",
                format="pdf",
                params={"period": "2025"},
                status=JobStatus.DONE if index % 2 else JobStatus.RUNNING,
            )

    def add_imports(self, count: int) -> None:
        for index in range(count):
            RegisterImport.objects.create(
                government=self.world.pesawaran,
                created_by=self.world.alice,
                original_name=f"register-{index}.xlsx",
                file=f"imports/x/{index}",
                size=10,
                sha256="0" * 64,
                status=ImportStatus.DONE,
            )

    def test_the_reports_page_costs_the_same_for_one_or_many_jobs(self):
        self.client.force_login(self.world.alice)
        self.add_jobs(1)
        few = page_queries(self.client, "/app/reports/")
        self.add_jobs(12)
        self.assertEqual(page_queries(self.client, "/app/reports/"), few)

    def test_the_import_page_costs_the_same_for_one_or_many_imports(self):
        self.client.force_login(self.world.alice)
        self.add_imports(1)
        few = page_queries(self.client, "/app/imports/")
        self.add_imports(12)
        self.assertEqual(page_queries(self.client, "/app/imports/"), few)
