"""Open data of the published results: the public monitoring data of every published
agreement, as CSV and JSON, streamed chunk by chunk in a fixed number of queries."""

import csv
import datetime
import io
import json

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from personas import agreement, build_world

from jalin.monitoring.models import (
    Beneficiary,
    Evaluation,
    Indicator,
    IndicatorPeriod,
    Obligation,
    ProgressReport,
    ReportStatus,
)
from jalin.monitoring.selectors import agreement_framework
from jalin.portal.selectors import PUBLIC_RESULT_FIELDS, public_results

QUERIES_PER_CHUNK = 6  # agreements, obligations, indicators, their periods, beneficiaries, evaluations


def evaluation(agreement, user, period, recommendation, published):
    return Evaluation.objects.create(
        agreement=agreement,
        period=period,
        effectiveness=4,
        effectiveness_note="catatan efektivitas internal",
        efficiency=4,
        efficiency_note="catatan efisiensi internal",
        benefit=4,
        benefit_note="catatan manfaat internal",
        compliance=4,
        compliance_note="catatan kepatuhan internal",
        recommendation=recommendation,
        conclusion="kesimpulan",
        evaluated_by=user,
        published_at=timezone.now() if published else None,
    )


def report(agreement, user, status, days_ago):
    today = timezone.localdate()
    return ProgressReport.objects.create(
        agreement=agreement,
        period_starts_on=today - datetime.timedelta(days=days_ago + 90),
        period_ends_on=today - datetime.timedelta(days=days_ago),
        status=status,
        created_by=user,
    )


class OpenDataResultsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = build_world()
        published = w.published
        cls.duty = Obligation.objects.create(agreement=published, description="Membangun dermaga wisata", weight=2)
        Obligation.objects.create(agreement=published, description="Kewajiban internal", is_public=False)
        cls.indicator = Indicator.objects.create(
            agreement=published,
            obligation=cls.duty,
            name="Kunjungan wisatawan",
            indicator_type="outcome",
            unit="orang",
            baseline_value=0,
            target_value=1000,
        )
        today = timezone.localdate()
        IndicatorPeriod.objects.create(
            indicator=cls.indicator,
            starts_on=today - datetime.timedelta(days=365),
            ends_on=today,
            target=1000,
            actual=250,
        )
        Indicator.objects.create(
            agreement=published, name="Indikator internal", indicator_type="output", target_value=5, is_public=False
        )
        verified = report(published, w.alice, ReportStatus.VERIFIED, 10)
        draft = report(published, w.alice, ReportStatus.DRAFT, 200)
        Beneficiary.objects.create(report=verified, group="women", count=40)
        Beneficiary.objects.create(report=verified, group="general", count=60)
        Beneficiary.objects.create(report=draft, group="general", count=9000)
        evaluation(published, w.alice, "2024", "revise", published=True)
        evaluation(published, w.alice, "2025", "terminate", published=False)
        # monitoring of an agreement that is not published never appears
        Obligation.objects.create(agreement=w.tourism, description="Kewajiban naskah tidak publik")

    def setUp(self):
        cache.clear()

    def json_results(self, url="/open-data/results.json"):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        return json.loads(b"".join(response.streaming_content))

    def test_it_serves_the_public_results_with_the_licence_and_the_documented_fields(self):
        body = self.json_results()
        self.assertEqual(body["licence"], "CC-BY-4.0")
        self.assertTrue(body["licence_url"])
        self.assertTrue(body["schema"].endswith("/open-data/#results-schema"))
        self.assertEqual(body["count"], 1)
        record = body["results"][0]
        self.assertEqual(list(record), list(PUBLIC_RESULT_FIELDS))
        self.assertEqual(record["agreement_id"], self.world.published.pk)
        self.assertEqual([o["description"] for o in record["obligations"]], ["Membangun dermaga wisata"])
        self.assertEqual(len(record["indicators"]), 1)
        indicator = record["indicators"][0]
        self.assertEqual(
            (indicator["name"], indicator["target"], indicator["actual"]), ("Kunjungan wisatawan", "1000.00", "250.00")
        )
        self.assertEqual(indicator["progress"], "25.0")
        self.assertEqual(record["beneficiaries_total"], 100)  # the draft report's 9000 do not count
        self.assertEqual(
            record["beneficiaries_by_group"], [{"group": "general", "total": 60}, {"group": "women", "total": 40}]
        )
        self.assertEqual((record["evaluation_period"], record["evaluation_recommendation"]), ("2024", "revise"))
        self.assertTrue(record["url"].endswith(f"/agreements/{self.world.published.pk}/"))

    def test_it_applies_the_same_rules_as_the_public_results_panel(self):
        record = next(public_results())
        framework = agreement_framework(self.world.published, public=True)
        self.assertEqual(record["progress"], str(framework.progress))
        self.assertEqual(record["beneficiaries_total"], framework.beneficiaries_total)
        self.assertEqual(
            [o["description"] for o in record["obligations"]],
            [row.obligation.description for row in framework.obligations],
        )

    def test_it_never_contains_non_public_monitoring_data(self):
        text = json.dumps(self.json_results()) + b"".join(
            self.client.get("/open-data/results.csv").streaming_content
        ).decode("utf-8-sig")
        for hidden in ("Kewajiban internal", "Indikator internal", "terminate", "9000", "internal", "Kewajiban naskah"):
            self.assertNotIn(hidden, text)

    def test_the_csv_download_has_the_header_the_licence_and_is_spreadsheet_safe(self):
        Obligation.objects.filter(pk=self.duty.pk).update(description='=HYPERLINK("http://evil")')
        response = self.client.get("/open-data/results.csv")
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual(rows[0], [*PUBLIC_RESULT_FIELDS, "licence"])
        self.assertEqual(len(rows), 2)
        row = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(row["licence"], "CC-BY-4.0")
        self.assertEqual(row["beneficiaries_total"], "100")
        self.assertTrue(row["obligations"].startswith("'=HYPERLINK"))

    def test_it_filters_by_government(self):
        self.assertEqual(self.json_results("/open-data/results.json?government=18.01")["count"], 0)
        self.assertEqual(self.json_results("/open-data/results.json?government=18.09")["count"], 1)
        self.assertEqual(self.client.get("/open-data/results.json?government=nope").status_code, 404)

    def test_it_costs_a_fixed_number_of_queries_per_chunk_whatever_the_rows(self):
        with CaptureQueriesContext(connection) as small:
            list(public_results(chunk_size=50))
        for number in range(12):
            extra = agreement(
                self.world.alice, f"PKS terbit {number}", self.world.dispar, [self.world.bank], is_public=True
            )
            duty = Obligation.objects.create(agreement=extra, description=f"Kewajiban {number}")
            indicator = Indicator.objects.create(
                agreement=extra, obligation=duty, name=f"Indikator {number}", indicator_type="output", target_value=9
            )
            IndicatorPeriod.objects.create(
                indicator=indicator,
                starts_on=datetime.date(2025, 1, 1),
                ends_on=datetime.date(2025, 12, 31),
                target=9,
                actual=number,
            )
            Beneficiary.objects.create(
                report=report(extra, self.world.alice, ReportStatus.VERIFIED, 1), group="general", count=number
            )
            evaluation(extra, self.world.alice, "2025", "continue", published=True)
        with CaptureQueriesContext(connection) as large:
            records = list(public_results(chunk_size=50))
        self.assertEqual(len(records), 13)
        self.assertEqual(len(large), len(small))
        self.assertEqual(len(large), QUERIES_PER_CHUNK + 1)  # one chunk, then the empty query that ends it
        # smaller chunks: the same fixed cost per chunk, and memory bounded by the chunk size
        with CaptureQueriesContext(connection) as chunked:
            records = list(public_results(chunk_size=5))
        self.assertEqual(len(records), 13)
        self.assertEqual(len(chunked), 3 * QUERIES_PER_CHUNK + 1)

    def test_it_streams_chunk_by_chunk(self):
        for number in range(3):
            agreement(self.world.alice, f"PKS terbit {number}", self.world.dispar, [self.world.bank], is_public=True)
        records = public_results(chunk_size=1)
        with CaptureQueriesContext(connection) as first:
            next(records)
        self.assertLessEqual(len(first), QUERIES_PER_CHUNK)  # only the first agreement was read
        self.assertEqual(len(list(records)), 3)

    def test_the_schema_page_documents_every_result_field_and_links_the_downloads(self):
        page = self.client.get("/open-data/").content.decode()
        for field in PUBLIC_RESULT_FIELDS:
            self.assertIn(f"<code>{field}</code>", page)
        self.assertIn('id="results-schema"', page)
        self.assertIn("/open-data/results.csv", page)
        self.assertIn("/open-data/results.json", page)
