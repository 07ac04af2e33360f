import base64
import hashlib
import hmac
import struct
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import time_machine
from django.test import TestCase
from personas import PASSWORD, build_world

from jalin.accounts.models import TOTPDevice
from jalin.audit.models import AuditEntry

NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code(secret: str, when: datetime, offset_steps: int = 0) -> str:
    """RFC 6238 computed independently of jalin.accounts.totp."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int(when.timestamp()) // 30 + offset_steps
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[19] & 15
    value = (struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF) % 1000000
    return f"{value:06d}"


class TotpAlgorithmTests(TestCase):
    def test_it_matches_the_rfc_6238_test_vectors(self):
        from jalin.accounts import totp

        secret = base64.b32encode(b"12345678901234567890").decode()
        # RFC 6238 appendix B (SHA-1), last 6 digits of the 8-digit values.
        for timestamp, expected in [
            (59, "287082"),
            (1111111109, "081804"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ]:
            self.assertEqual(totp.code_at(secret, timestamp // 30), expected)


class TwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        self.clock = time_machine.travel(NOW, tick=False)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    def enable_for(self, user, secret=SECRET):
        return TOTPDevice.objects.create(user=user, secret=secret, confirmed_at=NOW)

    def password_login(self, username="alice"):
        return self.client.post("/app/login/", {"username": username, "password": PASSWORD})

    # Enrolment

    def test_it_enables_two_factor_with_a_valid_code(self):
        alice = self.world.alice
        self.client.force_login(alice)
        self.client.post("/app/account/2fa/", {"action": "start"})
        device = TOTPDevice.objects.get(user=alice)
        self.assertIsNone(device.confirmed_at)
        page = self.client.get("/app/account/2fa/")
        uri = urlparse(page.context["otpauth_uri"])
        self.assertEqual(uri.scheme, "otpauth")
        self.assertEqual(uri.netloc, "totp")
        self.assertEqual(parse_qs(uri.query)["secret"], [device.secret])
        self.assertContains(page, device.secret[:4])

        wrong = self.client.post("/app/account/2fa/", {"action": "confirm", "code": "000000"})
        self.assertEqual(wrong.status_code, 200)
        self.assertContains(wrong, 'class="errorlist"')
        device.refresh_from_db()
        self.assertIsNone(device.confirmed_at)

        response = self.client.post("/app/account/2fa/", {"action": "confirm", "code": code(device.secret, NOW)})
        self.assertRedirects(response, "/app/account/2fa/")
        device.refresh_from_db()
        self.assertEqual(device.confirmed_at, NOW)
        self.assertTrue(
            AuditEntry.objects.filter(
                content_type__model="totpdevice", object_id=device.pk, changes__has_key="confirmed_at"
            ).exists()
        )
        self.assertFalse(
            AuditEntry.objects.filter(content_type__model="totpdevice", changes__has_key="secret").exists()
        )

    def test_it_disables_two_factor_only_with_a_valid_code(self):
        device = self.enable_for(self.world.lena)
        self.client.force_login(self.world.lena)
        self.client.post("/app/account/2fa/", {"action": "disable", "code": "123456"})
        device.refresh_from_db()
        self.assertIsNotNone(device.confirmed_at)
        response = self.client.post("/app/account/2fa/", {"action": "disable", "code": code(SECRET, NOW)})
        self.assertRedirects(response, "/app/account/2fa/")
        device.refresh_from_db()
        self.assertIsNone(device.confirmed_at)
        self.assertNotEqual(device.secret, SECRET)
        entry = AuditEntry.objects.filter(
            content_type__model="totpdevice", object_id=device.pk, action=AuditEntry.Action.UPDATE
        ).latest("pk")
        self.assertEqual(entry.actor, self.world.lena)
        self.assertEqual(entry.government_id, self.world.lena.government_id)

    def test_it_offers_two_factor_only_to_admins_and_leaders(self):
        self.client.force_login(self.world.oscar)
        self.assertEqual(self.client.get("/app/account/2fa/").status_code, 403)
        self.client.force_login(self.world.lena)
        self.assertEqual(self.client.get("/app/account/2fa/").status_code, 200)

    # Login

    def test_it_logs_in_without_a_code_when_two_factor_is_off(self):
        self.assertRedirects(self.password_login(), "/app/")
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_asks_for_a_code_before_logging_in(self):
        self.enable_for(self.world.alice)
        response = self.password_login()
        self.assertRedirects(response, "/app/login/verify/")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertRedirects(self.client.get("/app/"), "/app/login/?next=/app/", fetch_redirect_response=False)

        response = self.client.post("/app/login/verify/", {"code": code(SECRET, NOW)})
        self.assertRedirects(response, "/app/")
        self.assertEqual(self.client.session["_auth_user_id"], str(self.world.alice.pk))

    def test_it_keeps_the_next_address_through_verification(self):
        self.enable_for(self.world.alice)
        self.client.post("/app/login/", {"username": "alice", "password": PASSWORD, "next": "/app/partners/"})
        response = self.client.post("/app/login/verify/", {"code": code(SECRET, NOW)})
        self.assertRedirects(response, "/app/partners/", fetch_redirect_response=False)

    def test_it_accepts_one_step_of_clock_drift_but_not_two(self):
        self.enable_for(self.world.alice)
        self.password_login()
        self.client.post("/app/login/verify/", {"code": code(SECRET, NOW, offset_steps=2)})
        self.assertNotIn("_auth_user_id", self.client.session)
        self.client.post("/app/login/verify/", {"code": code(SECRET, NOW, offset_steps=-1)})
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_refuses_to_reuse_a_code(self):
        self.enable_for(self.world.alice)
        self.password_login()
        self.client.post("/app/login/verify/", {"code": code(SECRET, NOW)})
        self.assertIn("_auth_user_id", self.client.session)
        self.client.post("/app/logout/")

        self.password_login()
        response = self.client.post("/app/login/verify/", {"code": code(SECRET, NOW)})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Nor an earlier step once a later one was accepted.
        self.client.post("/app/login/verify/", {"code": code(SECRET, NOW, offset_steps=-1)})
        self.assertNotIn("_auth_user_id", self.client.session)
        self.client.post("/app/login/verify/", {"code": code(SECRET, NOW, offset_steps=1)})
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_audits_wrong_codes_and_ends_the_login_after_five(self):
        self.enable_for(self.world.alice)
        self.password_login()
        for _attempt in range(4):
            response = self.client.post("/app/login/verify/", {"code": "000000"})
            self.assertEqual(response.status_code, 200)
        response = self.client.post("/app/login/verify/", {"code": "000000"}, follow=True)
        self.assertRedirects(response, "/app/login/")
        self.assertContains(response, "Terlalu banyak kode yang salah")
        failures = AuditEntry.objects.filter(additional_data__event="two_factor_failed")
        self.assertEqual(failures.count(), 5)
        self.assertEqual(failures.first().government_id, self.world.alice.government_id)
        # The pending login is gone: even a valid code now leads back to the login page.
        response = self.client.post("/app/login/verify/", {"code": code(SECRET, NOW)})
        self.assertRedirects(response, "/app/login/")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_sends_the_verify_page_back_to_login_without_a_pending_user(self):
        self.assertRedirects(self.client.get("/app/login/verify/"), "/app/login/")

    def test_it_lets_a_superuser_switch_off_a_lost_device_in_the_admin_without_showing_the_secret(self):
        device = self.enable_for(self.world.alice)
        root = type(self.world.alice).objects.create_superuser("root", "root@example.org", PASSWORD)
        self.client.force_login(root)
        page = self.client.get(f"/django-admin/accounts/totpdevice/{device.pk}/change/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, SECRET)
        response = self.client.post(
            f"/django-admin/accounts/totpdevice/{device.pk}/change/", {"confirmed_at_0": "", "confirmed_at_1": ""}
        )
        self.assertEqual(response.status_code, 302)
        device.refresh_from_db()
        self.assertIsNone(device.confirmed_at)
        entry = AuditEntry.objects.filter(content_type__model="totpdevice", action=AuditEntry.Action.UPDATE).get()
        self.assertEqual(entry.actor, root)
        self.client.logout()
        self.assertRedirects(self.password_login(), "/app/")

    def test_it_refuses_the_code_step_after_ten_wrong_codes_across_logins_until_the_cool_off(self):
        self.enable_for(self.world.alice)
        for _round in range(2):
            self.password_login()
            for _attempt in range(5):
                self.client.post("/app/login/verify/", {"code": "000000"})
        self.password_login()
        response = self.client.post("/app/login/verify/", {"code": code(SECRET, NOW)}, follow=True)
        self.assertRedirects(response, "/app/login/")
        self.assertContains(response, "Terlalu banyak kode yang salah")
        self.assertNotIn("_auth_user_id", self.client.session)
        with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
            self.password_login()
            response = self.client.post("/app/login/verify/", {"code": code(SECRET, NOW + timedelta(minutes=16))})
            self.assertRedirects(response, "/app/", fetch_redirect_response=False)

    def test_it_refuses_to_restart_set_up_while_enabled(self):
        device = self.enable_for(self.world.alice)
        self.client.force_login(self.world.alice)
        response = self.client.post("/app/account/2fa/", {"action": "start"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(list(response.context["messages"])), 1)
        device.refresh_from_db()
        self.assertEqual(device.secret, SECRET)
