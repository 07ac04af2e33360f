from datetime import timedelta

import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from personas import PASSWORD, build_world

from jalin.audit.models import AuditEntry


class PasswordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.world.oscar.email = "oscar@example.go.id"
        cls.world.oscar.save(update_fields=["email"])

    def setUp(self):
        cache.clear()

    def test_it_requires_twelve_characters(self):
        with self.assertRaises(ValidationError):
            validate_password("Kerja#2026x")  # 11 characters
        validate_password("Kerjasama#2026")

    def test_it_changes_the_password_and_audits_it(self):
        self.client.force_login(self.world.oscar)
        response = self.client.post(
            "/app/account/password/",
            {"old_password": PASSWORD, "new_password1": "Sawah-hijau-2026!", "new_password2": "Sawah-hijau-2026!"},
        )
        self.assertRedirects(response, "/app/account/")
        self.world.oscar.refresh_from_db()
        self.assertTrue(self.world.oscar.check_password("Sawah-hijau-2026!"))
        self.assertTrue(AuditEntry.objects.filter(additional_data__event="password_changed").exists())

    def test_it_resets_by_e_mail_with_a_one_time_link_and_limits_requests(self):
        response = self.client.post("/app/password-reset/", {"email": "oscar@example.go.id"})
        self.assertRedirects(response, "/app/password-reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
        path = link.split("testserver", 1)[1]
        form_page = self.client.get(path, follow=True)
        response = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "Sawah-hijau-2026!", "new_password2": "Sawah-hijau-2026!"},
        )
        self.assertRedirects(response, "/app/password-reset/done/")
        self.world.oscar.refresh_from_db()
        self.assertTrue(self.world.oscar.check_password("Sawah-hijau-2026!"))
        self.assertTrue(AuditEntry.objects.filter(additional_data__event="password_reset").exists())
        for _attempt in range(5):
            self.client.post("/app/password-reset/", {"email": "oscar@example.go.id"})
        self.assertEqual(self.client.post("/app/password-reset/", {"email": "oscar@example.go.id"}).status_code, 200)
        self.assertEqual(len(mail.outbox), 5)

    def test_an_admin_sends_a_reset_link_to_an_officer_of_their_own_government_only(self):
        self.client.force_login(self.world.alice)
        self.assertEqual(
            self.client.post(f"/app/account/officers/{self.world.oscar.pk}/reset-password/").status_code, 302
        )
        self.assertEqual(mail.outbox[0].to, ["oscar@example.go.id"])
        entry = AuditEntry.objects.get(additional_data__event="password_reset_sent")
        self.assertEqual(entry.actor, self.world.alice)
        self.client.force_login(self.world.sam)
        self.assertEqual(
            self.client.post(f"/app/account/officers/{self.world.oscar.pk}/reset-password/").status_code, 404
        )
        self.client.force_login(self.world.oscar)
        self.assertEqual(
            self.client.post(f"/app/account/officers/{self.world.alice.pk}/reset-password/").status_code, 403
        )


class SessionTimeoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def login(self):
        self.client.post("/app/login/", {"username": "oscar", "password": PASSWORD})

    def test_it_logs_out_after_thirty_idle_minutes_and_warns_before(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.login()
            page = self.client.get("/app/")
            self.assertContains(page, 'id="session-warning"')
            self.assertContains(page, 'data-idle-seconds="1800"')
            self.assertContains(page, "js/session-timeout.js")
        with time_machine.travel(start + timedelta(minutes=29), tick=False):
            self.assertEqual(self.client.get("/app/").status_code, 200)
        with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
            self.assertRedirects(self.client.get("/app/"), "/app/login/?next=/app/", fetch_redirect_response=False)

    def test_it_logs_out_twelve_hours_after_the_login_even_when_active(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.login()
        for minutes in range(20, 12 * 60, 20):
            with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
                self.assertEqual(self.client.get("/app/account/session/keepalive/").status_code, 200)
        with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
            self.assertEqual(self.client.get("/app/account/session/keepalive/").status_code, 401)
