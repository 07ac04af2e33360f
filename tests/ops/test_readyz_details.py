from django.test import TestCase, override_settings


class ReadyzDetailsTests(TestCase):
    def test_it_shows_the_checks_only_to_a_local_or_authenticated_probe(self):
        self.assertIn("checks", self.client.get("/readyz").json())
        remote = self.client.get("/readyz", REMOTE_ADDR="203.0.113.9").json()
        self.assertEqual(remote, {"status": "ok"})
        # Through the proxy, the connection is local but the client is not.
        proxied = self.client.get("/readyz", headers={"x-forwarded-for": "203.0.113.9"}).json()
        self.assertNotIn("checks", proxied)

    @override_settings(READYZ_TOKEN="monitor-secret")
    def test_it_shows_the_checks_to_a_probe_with_the_token(self):
        headers = {"authorization": "Bearer monitor-secret"}
        self.assertIn("checks", self.client.get("/readyz", REMOTE_ADDR="203.0.113.9", headers=headers).json())
        wrong = {"authorization": "Bearer guess"}
        self.assertNotIn("checks", self.client.get("/readyz", REMOTE_ADDR="203.0.113.9", headers=wrong).json())
