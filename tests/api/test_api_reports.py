from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone
from personas import build_world

from jalin.accounts.tokens import api_token_create
from jalin.monitoring.models import ProgressReport, ReportStatus
from jalin.monitoring.periods import period_containing


class ReportApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.tokens = {
            name: api_token_create(actor=None, user=getattr(cls.world, name), name="tests")[1]
            for name in ("alice", "oscar", "olga", "tara", "sam")
        }
        cls.period = period_containing(timezone.localdate()).previous()

    def setUp(self):
        cache.clear()

    def call(self, method, path, user, data=None):
        kwargs = {"headers": {"authorization": f"Token {self.tokens[user]}"}}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(self.client, method)(path, **kwargs)

    def start(self, user="oscar"):
        return self.call(
            "post",
            f"/api/v1/agreements/{self.world.pks.pk}/reports",
            user,
            {"period_starts_on": self.period.starts_on.isoformat()},
        )

    def test_an_officer_drafts_submits_and_the_admin_verifies(self):
        response = self.start()
        self.assertEqual(response.status_code, 201, response.content)
        report_id = response.json()["id"]
        response = self.call(
            "patch",
            f"/api/v1/reports/{report_id}",
            "oscar",
            {
                "summary": "Layanan keliling berjalan di 5 desa.",
                "beneficiaries": [{"group": "women", "count": 120, "method": "Daftar hadir"}],
            },
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["summary"], "Layanan keliling berjalan di 5 desa.")
        self.assertEqual(self.call("post", f"/api/v1/reports/{report_id}/submit", "oscar").status_code, 200)
        self.assertEqual(self.call("post", f"/api/v1/reports/{report_id}/verify", "oscar").status_code, 403)
        response = self.call("post", f"/api/v1/reports/{report_id}/verify", "alice")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(ProgressReport.objects.get(pk=report_id).status, ReportStatus.VERIFIED)
        response = self.call("patch", f"/api/v1/reports/{report_id}", "oscar", {"summary": "Ubah"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["error"]["fields"]["request"][0]), {"id", "en"})

    def test_access_per_role_and_government(self):
        self.assertEqual(self.start("tara").status_code, 403)  # reviewer reads only
        self.assertEqual(self.start("olga").status_code, 404)  # another agency's unpublished agreement
        self.assertEqual(self.start("sam").status_code, 404)  # another government
        report_id = self.start().json()["id"]
        self.assertEqual(self.call("get", f"/api/v1/reports/{report_id}", "tara").status_code, 200)
        self.assertEqual(self.call("get", f"/api/v1/reports/{report_id}", "sam").status_code, 404)
        self.assertEqual(
            self.call("get", f"/api/v1/agreements/{self.world.pks.pk}/reports", "alice").json()["count"], 1
        )

    def test_rules_come_from_the_monitoring_services(self):
        response = self.call(
            "post", f"/api/v1/agreements/{self.world.pks.pk}/reports", "oscar", {"period_starts_on": "2020-02-17"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("period_starts_on", response.json()["error"]["fields"])
        report_id = self.start().json()["id"]
        self.assertEqual(self.start().status_code, 400)  # already open
        response = self.call("post", f"/api/v1/reports/{report_id}/submit", "oscar")
        self.assertEqual(response.status_code, 400)  # no summary yet
        self.assertIn("summary", response.json()["error"]["fields"])
        response = self.call("post", f"/api/v1/reports/{report_id}/return", "alice", {"reason": ""})
        self.assertEqual(response.status_code, 400)
