"""`manage.py check --deploy` refuses an unsafe production configuration and passes a
correct one; the WSGI application refuses to start on one (jalin/lib/checks.py)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from jalin.lib.checks import production_errors, refuse_unsafe_production

ROOT = Path(__file__).resolve().parents[2]
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/12"}}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
GOOD = {"CACHES": REDIS, "DEBUG": False, "SECRET_KEY": "k" * 20 + secrets.token_urlsafe(40), "BEHIND_PROXY": False}


def ids(**changes) -> list[str]:
    with override_settings(**(GOOD | changes)):
        return [error.id for error in production_errors()]


def manage_check(**env) -> subprocess.CompletedProcess:
    # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it)
    dropped = ("REDIS_URL", "CACHE_URL", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base |= {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "jalin.example.go.id"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


class DeployCheckTests(SimpleTestCase):
    def test_it_passes_a_correct_configuration(self):
        self.assertEqual(ids(), [])

    def test_it_refuses_a_per_process_cache(self):
        self.assertEqual(ids(CACHES=LOCMEM), ["jalin.E001"])

    def test_it_refuses_debug(self):
        self.assertEqual(ids(DEBUG=True), ["jalin.E002"])

    def test_it_refuses_a_development_or_short_secret_key(self):
        self.assertEqual(ids(SECRET_KEY="jalin-insecure-development-key-do-not-use-in-production"), ["jalin.E003"])
        self.assertEqual(ids(SECRET_KEY="x"), ["jalin.E003"])

    def test_it_refuses_a_proxy_without_a_trusted_proxy_count(self):
        self.assertEqual(ids(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=0), ["jalin.E004"])
        self.assertEqual(ids(BEHIND_PROXY=True, TRUSTED_PROXY_COUNT=1), [])

    def test_the_wsgi_application_refuses_to_start_unsafe(self):
        with override_settings(**(GOOD | {"CACHES": LOCMEM})), self.assertRaisesMessage(ImproperlyConfigured, "E001"):
            refuse_unsafe_production()
        with override_settings(**GOOD):
            refuse_unsafe_production()

    def test_manage_py_check_deploy_fails_with_a_hint_and_passes_with_a_shared_cache(self):
        refused = manage_check()
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("jalin.E001", refused.stderr)
        self.assertIn("REDIS_URL=redis://", refused.stderr)
        self.assertEqual(manage_check(REDIS_URL="redis://127.0.0.1:6379/12").returncode, 0)
        self.assertEqual(manage_check(CACHE_URL="db://").returncode, 0)
        behind = manage_check(REDIS_URL="redis://127.0.0.1:6379/12", BEHIND_PROXY="1")
        self.assertIn("jalin.E004", behind.stderr)
        self.assertEqual(
            manage_check(REDIS_URL="redis://127.0.0.1:6379/12", BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="1").returncode, 0
        )
