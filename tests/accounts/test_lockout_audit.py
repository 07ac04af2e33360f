import io

from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import TestCase, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from personas import PASSWORD, build_world

from jalin.audit.models import AuditEntry


@override_settings(AXES_FAILURE_LIMIT=3)
class LockoutAuditTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def fail(self, username, times=3):
        for _attempt in range(times):
            self.client.post("/app/login/", {"username": username, "password": "wrong"})

    def test_it_audits_a_lockout_with_the_users_government(self):
        self.fail("oscar")
        entry = AuditEntry.objects.get(additional_data__event="account_locked")
        self.assertEqual(entry.object_id, self.world.oscar.pk)
        self.assertEqual(entry.government_id, self.world.oscar.government_id)
        self.assertEqual(entry.remote_addr, "127.0.0.1")

    def test_it_audits_a_lockout_of_an_unknown_username_without_a_government(self):
        self.fail("nobody")
        entry = AuditEntry.objects.get(additional_data__event="account_locked")
        self.assertIsNone(entry.government_id)
        self.assertEqual(entry.additional_data["username"], "nobody")

    def test_it_audits_an_unlock_by_axes_reset(self):
        self.fail("oscar")
        call_command("axes_reset_username", "oscar", stdout=io.StringIO())
        entry = AuditEntry.objects.get(additional_data__event="account_unlocked")
        self.assertEqual(entry.government_id, self.world.oscar.government_id)
        response = self.client.post("/app/login/", {"username": "oscar", "password": PASSWORD})
        self.assertRedirects(response, "/app/")

    def test_it_audits_an_unlock_in_the_django_admin_with_the_admin_as_actor(self):
        self.fail("oscar")
        attempt = AccessAttempt.objects.get(username="oscar")
        superuser = self.world.oscar.__class__.objects.create_superuser("root", "root@example.org", PASSWORD)
        # The Django admin needs a session verified by a second factor.
        device = TOTPDevice.objects.create(user=superuser, name="authenticator", confirmed=True)
        self.client.force_login(superuser)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        response = self.client.post(
            f"/django-admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}, REMOTE_ADDR="10.0.0.9"
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(AccessAttempt.objects.exists())
        entry = AuditEntry.objects.get(additional_data__event="account_unlocked")
        self.assertEqual(entry.object_id, self.world.oscar.pk)
        self.assertEqual(entry.actor, superuser)

    def test_it_does_not_audit_failures_cleared_by_a_successful_login(self):
        self.fail("oscar", times=2)
        self.client.post("/app/login/", {"username": "oscar", "password": PASSWORD})
        self.assertFalse(AccessAttempt.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(additional_data__event__startswith="account_").exists())
