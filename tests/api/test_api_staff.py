"""Staff endpoints: token authentication, the access matrix per role and government, and
writes through the same services (and rules) as the HTML pages."""

from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase
from personas import build_world

from jalin.accounts.models import ApiToken
from jalin.accounts.tokens import api_token_create, digest
from jalin.agreements.models import Agreement
from jalin.audit.models import AuditEntry
from jalin.partners.models import Partner


class ApiTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.tokens = {}
        for name in ("alice", "oscar", "olga", "lena", "audrey", "tara", "sam", "vera"):
            user = getattr(cls.world, name)
            cls.tokens[name] = api_token_create(actor=None, user=user, name="tests")[1]

    def setUp(self):
        cache.clear()

    def api(self, method, path, user=None, data=None, keyword="Token", **extra):
        headers = {"authorization": f"{keyword} {self.tokens[user]}"} if user else {}
        call = getattr(self.client, method)
        if data is not None:
            return call(path, data=data, content_type="application/json", headers=headers, **extra)
        return call(path, headers=headers, **extra)

    def new_agreement_payload(self, **changes):
        payload = {
            "category": "ksdpk",
            "kind": "pks",
            "title": "PKS beasiswa kesehatan",
            "lead_agency": self.world.dinkes.pk,
            "parties": [{"partner": self.world.unila.pk, "party_number": "UNILA/9/2025"}],
            "signed_on": "2025-01-10",
            "effective_on": "2025-01-10",
            "ends_on": "2027-01-10",
            "value": "150000000.00",
            "financing": "apbd",
            "affairs": ["1.02"],
        }
        payload.update(changes)
        return payload


class AuthenticationTests(ApiTestCase):
    def test_it_refuses_staff_endpoints_without_a_token(self):
        response = self.api("get", "/api/v1/agreements")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "not_authenticated")
        self.assertIn("id", response.json()["error"]["message"])
        self.assertIn("en", response.json()["error"]["message"])

    def test_it_accepts_token_and_bearer(self):
        self.assertEqual(self.api("get", "/api/v1/agreements", "alice").status_code, 200)
        self.assertEqual(self.api("get", "/api/v1/agreements", "alice", keyword="Bearer").status_code, 200)

    def test_it_refuses_a_wrong_token(self):
        response = self.client.get("/api/v1/agreements", headers={"authorization": "Token nope"})
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "authentication_failed")

    def test_the_command_creates_a_token(self):
        from io import StringIO

        out = StringIO()
        call_command("create_api_token", "alice", "--rotate", stdout=out)
        key = out.getvalue().strip()
        self.assertEqual(ApiToken.objects.get(user=self.world.alice, revoked_at__isnull=True).digest, digest(key))
        self.assertEqual(
            self.client.get("/api/v1/agreements", headers={"authorization": f"Bearer {key}"}).status_code, 200
        )


class AccessMatrixTests(ApiTestCase):
    def ids(self, user):
        response = self.api("get", "/api/v1/agreements?page_size=100", user)
        self.assertEqual(response.status_code, 200)
        return {row["id"] for row in response.json()["results"]}

    def test_each_role_lists_what_the_access_rules_allow(self):
        w = self.world
        pesawaran = {w.ksb.pk, w.pks.pk, w.tourism.pk, w.published.pk}
        for user in ("alice", "lena", "audrey", "tara"):
            self.assertEqual(self.ids(user), pesawaran, user)
        self.assertEqual(self.ids("oscar"), {w.ksb.pk, w.pks.pk, w.published.pk})
        self.assertEqual(self.ids("olga"), {w.tourism.pk, w.published.pk})
        self.assertEqual(self.ids("sam"), {w.lamsel_agreement.pk})
        self.assertEqual(self.ids("vera"), pesawaran | {w.lamsel_agreement.pk})

    def test_another_governments_agreement_is_a_404(self):
        self.assertEqual(self.api("get", f"/api/v1/agreements/{self.world.ksb.pk}", "sam").status_code, 404)
        self.assertEqual(self.api("get", f"/api/v1/agreements/{self.world.tourism.pk}", "oscar").status_code, 404)
        self.assertEqual(self.api("get", f"/api/v1/partners/{self.world.unila.pk}", "sam").status_code, 404)

    def test_read_only_roles_cannot_change(self):
        for user in ("lena", "audrey", "tara", "vera"):
            response = self.api("patch", f"/api/v1/agreements/{self.world.ksb.pk}", user, data={"title": "X"})
            self.assertEqual(response.status_code, 403, user)
            self.assertEqual(response.json()["error"]["code"], "permission_denied")
            response = self.api("post", "/api/v1/agreements", user, data=self.new_agreement_payload())
            self.assertEqual(response.status_code, 403, user)
        self.assertEqual(Agreement.objects.filter(title="X").count(), 0)

    def test_an_officer_changes_only_their_agencys_agreements(self):
        response = self.api("patch", f"/api/v1/agreements/{self.world.published.pk}", "oscar", data={"title": "X"})
        self.assertEqual(response.status_code, 403)
        response = self.api("patch", f"/api/v1/agreements/{self.world.pks.pk}", "oscar", data={"title": "PKS baru"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["title"], "PKS baru")

    def test_partners_follow_the_register_rules(self):
        response = self.api("get", "/api/v1/partners", "vera")
        self.assertEqual(
            {row["name"] for row in response.json()["results"]},
            {"Universitas Lampung", "PT Bank Lampung", "Universitas Malahayati"},
        )
        response = self.api("post", "/api/v1/partners", "oscar", data={"name": "PT Baru", "partner_type": "private"})
        self.assertEqual(response.status_code, 403)
        response = self.api("patch", f"/api/v1/partners/{self.world.unila.pk}", "vera", data={"name": "Z"})
        self.assertEqual(response.status_code, 403)


class WriteTests(ApiTestCase):
    def test_it_creates_an_agreement_through_the_service_with_an_audit_entry(self):
        response = self.api("post", "/api/v1/agreements", "alice", data=self.new_agreement_payload())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        agreement = Agreement.objects.get(pk=body["id"])
        self.assertEqual(agreement.created_by, self.world.alice)
        self.assertEqual(body["parties"][0]["party_number"], "UNILA/9/2025")
        self.assertEqual(body["affairs"], ["1.02"])
        self.assertIn("beasiswa", agreement.search_text)  # written by the service
        self.assertTrue(AuditEntry.objects.filter(agreement_id=agreement.pk, actor=self.world.alice).exists())

    def test_the_services_rules_come_back_in_both_languages(self):
        payload = self.new_agreement_payload(ends_on="2024-01-01")
        response = self.api("post", "/api/v1/agreements", "alice", data=payload)
        self.assertEqual(response.status_code, 400)
        error = response.json()["error"]
        self.assertEqual(error["code"], "invalid")
        self.assertEqual(error["fields"]["ends_on"][0]["en"], "The end date must be after the start date.")
        self.assertNotEqual(error["fields"]["ends_on"][0]["id"], error["fields"]["ends_on"][0]["en"])
        self.assertEqual(Agreement.objects.filter(title=payload["title"]).count(), 0)

    def test_it_rejects_ids_the_user_may_not_see(self):
        payload = self.new_agreement_payload(parties=[{"partner": self.world.lamsel_partner.pk}])
        response = self.api("post", "/api/v1/agreements", "alice", data=payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("parties[0].partner", response.json()["error"]["fields"])
        payload = self.new_agreement_payload(lead_agency=self.world.lamsel_agency.pk)
        response = self.api("post", "/api/v1/agreements", "alice", data=payload)
        self.assertIn("lead_agency", response.json()["error"]["fields"])

    def test_a_partial_update_keeps_the_other_fields(self):
        pks = self.world.pks
        response = self.api("patch", f"/api/v1/agreements/{pks.pk}", "alice", data={"intended_benefits": "Layanan"})
        self.assertEqual(response.status_code, 200, response.content)
        pks.refresh_from_db()
        self.assertEqual(pks.intended_benefits, "Layanan")
        self.assertEqual(pks.parent_id, self.world.ksb.pk)
        self.assertEqual(list(pks.partners.all()), [self.world.unila])

    def test_it_creates_and_updates_partners_with_duplicate_detection(self):
        response = self.api(
            "post", "/api/v1/partners", "alice", data={"name": "Universitas Lampung", "partner_type": "university"}
        )
        self.assertEqual(response.status_code, 400)
        response = self.api(
            "post",
            "/api/v1/partners",
            "alice",
            data={"name": "Politeknik Negeri Lampung", "partner_type": "university", "email": "humas@polinela.ac.id"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        response = self.api("patch", f"/api/v1/partners/{pk}", "alice", data={"website": "https://polinela.ac.id"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Partner.objects.get(pk=pk).website, "https://polinela.ac.id")
        self.assertEqual(Partner.objects.get(pk=pk).email, "humas@polinela.ac.id")
