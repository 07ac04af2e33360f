from datetime import timedelta
from io import StringIO

import time_machine
from django.contrib import admin
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from personas import build_world

from jalin.accounts.models import ApiToken
from jalin.accounts.tokens import api_token_create, digest
from jalin.audit.models import AuditEntry


class ApiTokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def get(self, token):
        return self.client.get("/api/v1/agreements", headers={"authorization": f"Bearer {token}"})

    def test_it_stores_only_a_hash_and_shows_the_token_once_on_the_staff_page(self):
        self.client.force_login(self.world.oscar)
        response = self.client.post("/app/account/tokens/", {"name": "Dasbor dinas", "days": 30})
        token = response.context["new_token"]
        self.assertContains(response, token)
        row = ApiToken.objects.get(user=self.world.oscar)
        self.assertEqual(row.digest, digest(token))
        self.assertNotIn(token, [row.digest, row.prefix, row.name])
        self.assertEqual(row.name, "Dasbor dinas")
        self.assertAlmostEqual(row.expires_at, timezone.now() + timedelta(days=30), delta=timedelta(minutes=1))
        self.assertNotContains(self.client.get("/app/account/tokens/"), token)
        self.assertEqual(self.get(token).status_code, 200)
        created = AuditEntry.objects.get(additional_data__event="api_token_created")
        self.assertEqual(created.actor, self.world.oscar)

    def test_it_audits_use_once_an_hour_and_refuses_expired_and_revoked_tokens(self):
        _row, token = api_token_create(actor=None, user=self.world.alice, name="sync", days=2)
        self.assertEqual(self.get(token).status_code, 200)
        self.assertEqual(self.get(token).status_code, 200)
        self.assertEqual(AuditEntry.objects.filter(additional_data__event="api_token_used").count(), 1)
        with time_machine.travel(timezone.now() + timedelta(days=3)):
            self.assertEqual(self.get(token).status_code, 401)
        self.client.force_login(self.world.alice)
        self.client.post(f"/app/account/tokens/{_row.pk}/revoke/")
        self.assertEqual(self.get(token).status_code, 401)
        revoked = AuditEntry.objects.get(additional_data__event="api_token_revoked")
        self.assertEqual(revoked.actor, self.world.alice)

    def test_it_lets_nobody_revoke_another_users_token(self):
        row, token = api_token_create(actor=None, user=self.world.alice, name="sync")
        self.client.force_login(self.world.sam)
        self.assertEqual(self.client.post(f"/app/account/tokens/{row.pk}/revoke/").status_code, 404)
        self.assertEqual(self.get(token).status_code, 200)

    def test_the_command_prints_a_named_token_with_an_expiry(self):
        out = StringIO()
        call_command("create_api_token", "alice", "--name", "ETL", "--days", "7", stdout=out, stderr=StringIO())
        token = out.getvalue().strip()
        row = ApiToken.objects.get(user=self.world.alice)
        self.assertEqual((row.name, row.digest), ("ETL", digest(token)))
        self.assertAlmostEqual(row.expires_at, timezone.now() + timedelta(days=7), delta=timedelta(minutes=1))

    def test_the_django_admin_offers_no_token_and_no_audit_trail(self):
        labels = {model._meta.label for model in admin.site._registry}
        for hidden in ("accounts.ApiToken", "audit.AuditEntry", "otp_totp.TOTPDevice", "otp_static.StaticDevice"):
            self.assertNotIn(hidden, labels)
        self.assertFalse(any(label.startswith("authtoken.") for label in labels))
