import base64
import hashlib
import hmac
import struct
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import time_machine
from django.test import TestCase
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from personas import PASSWORD, build_world

from jalin.accounts import two_factor
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


def hex_key(secret: str) -> str:
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


def b32(device) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


class TwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        self.clock = time_machine.travel(NOW, tick=False)
        self.coordinates = self.clock.start()
        self.addCleanup(self.clock.stop)

    def wait_out_throttling(self, seconds=8):
        """django-otp refuses any code for a few seconds after a wrong one (doubling each time)."""
        self.coordinates.shift(timedelta(seconds=seconds))

    def enable_for(self, user, secret=SECRET):
        return TOTPDevice.objects.create(user=user, name=two_factor.TOTP_NAME, key=hex_key(secret), confirmed=True)

    def password_login(self, username="alice"):
        return self.client.post("/app/login/", {"username": username, "password": PASSWORD})

    # Enrolment

    def test_it_enables_two_factor_with_a_valid_code_and_shows_recovery_codes_once(self):
        oscar = self.world.oscar  # offered, not required
        self.client.force_login(oscar)
        self.client.post("/app/account/2fa/", {"action": "start"})
        device = TOTPDevice.objects.get(user=oscar)
        self.assertFalse(device.confirmed)
        page = self.client.get("/app/account/2fa/")
        uri = urlparse(page.context["otpauth_uri"])
        self.assertEqual(uri.scheme, "otpauth")
        self.assertEqual(uri.netloc, "totp")
        self.assertEqual(parse_qs(uri.query)["secret"], [b32(device)])
        self.assertContains(page, b32(device)[:4])

        wrong = self.client.post("/app/account/2fa/", {"action": "confirm", "code": "000000"})
        self.assertEqual(wrong.status_code, 200)
        self.assertContains(wrong, 'class="errorlist"')
        device.refresh_from_db()
        self.assertFalse(device.confirmed)

        response = self.client.post("/app/account/2fa/", {"action": "confirm", "code": code(b32(device), NOW)})
        self.assertEqual(response.status_code, 200)
        codes = response.context["codes"]
        self.assertEqual(len(codes), two_factor.RECOVERY_CODES)
        self.assertContains(response, codes[0])
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        entry = AuditEntry.objects.get(additional_data__event="two_factor_enabled")
        self.assertEqual(entry.actor, oscar)
        self.assertNotIn(device.key, str(entry.changes_text))
        self.assertNotContains(self.client.get("/app/account/2fa/"), codes[0])

    def test_it_disables_two_factor_only_with_a_valid_code_and_only_when_not_required(self):
        device = self.enable_for(self.world.oscar)
        self.client.force_login(self.world.oscar)
        self.client.post("/app/account/2fa/", {"action": "disable", "code": "123456"})
        self.assertTrue(TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists())
        response = self.client.post("/app/account/2fa/", {"action": "disable", "code": code(SECRET, NOW)})
        self.assertRedirects(response, "/app/account/2fa/")
        self.assertFalse(TOTPDevice.objects.filter(user=self.world.oscar).exists())
        entry = AuditEntry.objects.get(additional_data__event="two_factor_disabled")
        self.assertEqual(entry.actor, self.world.oscar)
        self.assertEqual(entry.government_id, self.world.oscar.government_id)

        self.enable_for(self.world.lena)
        self.client.force_login(self.world.lena)
        response = self.client.post("/app/account/2fa/", {"action": "disable", "code": code(SECRET, NOW)})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(TOTPDevice.objects.filter(user=self.world.lena, confirmed=True).exists())

    def test_it_offers_two_factor_to_every_staff_user(self):
        for user in (self.world.oscar, self.world.audrey, self.world.lena):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/app/account/2fa/").status_code, 200)

    # Login

    def test_it_logs_in_without_a_code_when_two_factor_is_off_and_not_required(self):
        self.assertRedirects(self.password_login("oscar"), "/app/")
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_sends_admins_leaders_supervisors_and_superusers_to_enrol_before_logging_in(self):
        root = type(self.world.alice).objects.create_superuser("root", "root@example.org", PASSWORD)
        for username in ("alice", "lena", "vera", root.username):
            self.client.logout()
            response = self.password_login(username)
            self.assertRedirects(response, "/app/login/enrol/", fetch_redirect_response=False)
            self.assertNotIn("_auth_user_id", self.client.session)
        page = self.client.get("/app/login/enrol/")
        device = TOTPDevice.objects.get(user=root)
        self.assertContains(page, b32(device)[:4])
        # The page can be reloaded: the secret stays the one the app was given.
        self.client.get("/app/login/enrol/")
        self.assertEqual(TOTPDevice.objects.get(user=root).key, device.key)
        response = self.client.post("/app/login/enrol/", {"code": code(b32(device), NOW)})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["codes"]), two_factor.RECOVERY_CODES)
        self.assertEqual(self.client.session["_auth_user_id"], str(root.pk))
        self.assertEqual(self.client.get("/django-admin/").status_code, 200)

    def test_it_logs_in_with_a_recovery_code_once(self):
        self.enable_for(self.world.alice)
        recovery = two_factor._new_recovery_codes(self.world.alice)
        self.password_login()
        self.client.post("/app/login/verify/", {"code": recovery[0]})
        self.assertIn("_auth_user_id", self.client.session)
        self.assertEqual(StaticToken.objects.filter(device__user=self.world.alice).count(), len(recovery) - 1)
        self.assertTrue(AuditEntry.objects.filter(additional_data__event="recovery_code_used").exists())
        self.client.post("/app/logout/")
        self.password_login()
        self.client.post("/app/login/verify/", {"code": recovery[0]})
        self.assertNotIn("_auth_user_id", self.client.session)

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
        self.wait_out_throttling()
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
        self.wait_out_throttling()
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

    def test_it_lets_a_superuser_reset_a_lost_device_in_the_admin_after_their_own_second_factor(self):
        self.enable_for(self.world.alice)
        root = type(self.world.alice).objects.create_superuser("root", "root@example.org", PASSWORD)
        self.enable_for(root, secret="KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")
        self.client.force_login(root)  # password only: not verified
        self.assertEqual(self.client.get("/django-admin/").status_code, 302)
        self.client.logout()
        self.password_login("root")
        self.client.post("/app/login/verify/", {"code": code("KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", NOW)})
        response = self.client.post(
            "/django-admin/accounts/user/",
            {"action": "reset_second_factor_action", "_selected_action": [self.world.alice.pk]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(user=self.world.alice).exists())
        entry = AuditEntry.objects.get(additional_data__event="two_factor_reset")
        self.assertEqual(entry.actor, root)
        self.client.logout()
        self.assertRedirects(self.password_login(), "/app/login/enrol/", fetch_redirect_response=False)

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
        self.assertEqual(device.key, hex_key(SECRET))
