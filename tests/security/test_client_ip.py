"""Item 2: one client address (jalin/lib/client.py), trusting exactly TRUSTED_PROXY_COUNT
proxies, used by the login lockout, the feedback rate limit, the API throttle and the audit
trail."""

from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from personas import PASSWORD, build_world

from jalin.audit.models import AuditEntry
from jalin.lib.client import AnonRateThrottle, client_ip
from jalin.portal.models import Feedback

NGINX = "127.0.0.1"  # the proxy: REMOTE_ADDR of every request behind it


def ip(forwarded=None, remote=NGINX):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


class ClientIpTests(SimpleTestCase):
    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_it_ignores_the_header_without_a_trusted_proxy(self):
        self.assertEqual(ip("6.6.6.6"), NGINX)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_it_takes_the_entry_the_trusted_proxy_wrote(self):
        self.assertEqual(ip("203.0.113.9"), "203.0.113.9")
        self.assertEqual(ip("6.6.6.6, 203.0.113.9"), "203.0.113.9")  # the forged entry is ignored
        self.assertEqual(ip("203.0.113.9:51234"), "203.0.113.9")
        self.assertEqual(ip("junk"), NGINX)
        self.assertEqual(ip(None), NGINX)

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_it_counts_every_trusted_proxy(self):
        self.assertEqual(ip("6.6.6.6, 203.0.113.9, 10.0.0.2"), "203.0.113.9")
        self.assertEqual(ip("2001:db8::1"), "2001:db8::1")


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3, PORTAL_FEEDBACK_PER_HOUR=2)
class EveryUserOfTheAddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        cache.clear()

    def post(self, path, data, client_address, forged="6.6.6.6"):
        return self.client.post(path, data, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"{forged}, {client_address}")

    def test_the_lockout_keys_on_the_username_and_the_real_client(self):
        for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):  # a new forged address every time
            self.post("/app/login/", {"username": "alice", "password": "wrong"}, "203.0.113.66", forged=forged)
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {"203.0.113.66"})
        locked = self.post("/app/login/", {"username": "alice", "password": PASSWORD}, "203.0.113.66")
        self.assertNotEqual(locked.status_code, 302)
        # Alice, from her own address behind the same proxy, is not locked out by the attacker.
        mine = self.post("/app/login/", {"username": "alice", "password": PASSWORD}, "198.51.100.7")
        self.assertEqual(mine.status_code, 302)

    def test_the_feedback_rate_limit_is_not_bypassed_by_a_forged_header(self):
        path = f"/agreements/{self.world.published.pk}/feedback/"
        statuses = [
            self.post(path, {"kind": "complaint", "message": f"Pesan nomor {n} yang cukup panjang.", "website": ""},
                      "203.0.113.66", forged=f"9.9.9.{n}").status_code
            for n in range(3)
        ]  # fmt: skip
        self.assertEqual(statuses, [200, 200, 429])
        self.assertEqual(Feedback.objects.count(), 2)

    def test_the_audit_trail_records_the_real_client(self):
        self.client.force_login(self.world.alice)
        before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        self.post(
            f"/app/agreements/{self.world.tourism.pk}/archive/",
            {"reason": "Diganti dengan naskah baru"},
            "203.0.113.66",
        )
        addresses = set(AuditEntry.objects.filter(id__gt=before).values_list("remote_addr", flat=True))
        self.assertEqual(addresses, {"203.0.113.66"})
        self.assertTrue(addresses)

    def test_the_api_throttle_counts_the_real_client(self):
        limit = AnonRateThrottle().num_requests  # API_ANON_RATE, 120 a minute by default
        for n in range(limit):
            self.client.get(
                "/api/v1/schema", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"9.9.{n // 250}.{n % 250}, 203.0.113.66"
            )
        forged = self.client.get(
            "/api/v1/public/agreements", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.66"
        )
        self.assertEqual(forged.status_code, 429)
        other = self.client.get("/api/v1/public/agreements", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.7")
        self.assertEqual(other.status_code, 200)
