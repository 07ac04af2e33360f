from django.test import TestCase
from django_otp.plugins.otp_totp.models import TOTPDevice
from personas import PASSWORD

from jalin.accounts.models import User


class AdminSecondFactorTests(TestCase):
    def setUp(self):
        self.root = User.objects.create_superuser("root", "root@example.org", PASSWORD)

    def test_it_refuses_the_django_admin_to_a_superuser_with_the_password_alone(self):
        self.client.force_login(self.root)
        response = self.client.get("/django-admin/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(response["Location"]).status_code, 403)
        self.client.logout()
        # The admin's own login form is not a way around it: it sends to Jalin's login.
        response = self.client.post(
            "/django-admin/login/?next=/django-admin/", {"username": "root", "password": PASSWORD}
        )
        self.assertRedirects(response, "/app/login/?next=/django-admin/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        response = self.client.post("/app/login/", {"username": "root", "password": PASSWORD, "next": "/django-admin/"})
        self.assertRedirects(response, "/app/login/enrol/", fetch_redirect_response=False)
        self.assertFalse(TOTPDevice.objects.filter(user=self.root, confirmed=True).exists())
