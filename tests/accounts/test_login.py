from django.test import TestCase, override_settings
from personas import PASSWORD, build_world


class LoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_it_hashes_passwords_with_argon2(self):
        self.assertTrue(self.world.alice.password.startswith("argon2"))

    def test_it_logs_in_and_lands_on_the_dashboard(self):
        response = self.client.post("/app/login/", {"username": "oscar", "password": PASSWORD})
        self.assertRedirects(response, "/app/")

    def test_it_refuses_a_wrong_password_with_a_message(self):
        response = self.client.post("/app/login/", {"username": "alice", "password": "wrong"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="errorlist"')
        self.assertNotIn("_auth_user_id", self.client.session)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_it_locks_out_after_repeated_failures(self):
        for _attempt in range(3):
            self.client.post("/app/login/", {"username": "alice", "password": "wrong"})
        # Even the right password is refused while locked.
        response = self.client.post("/app/login/", {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertTemplateUsed(response, "registration/locked_out.html")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_logout_requires_post(self):
        self.client.force_login(self.world.alice)
        self.assertEqual(self.client.get("/app/logout/").status_code, 405)
        response = self.client.post("/app/logout/")
        self.assertRedirects(response, "/")
        self.assertNotIn("_auth_user_id", self.client.session)
