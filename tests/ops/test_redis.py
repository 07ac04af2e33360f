"""With REDIS_URL set, the task queue, the cache and sessions live in Redis. Proven against a
redis-server this test starts on a free port of 127.0.0.1 (CI has redis-server installed)."""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import TestCase, override_settings
from personas import build_world

sys.path.insert(0, str(Path(__file__).parent))
import opssupport


class RedisServerMixin:
    @classmethod
    def start_redis(cls):
        binary = opssupport.redis_server()
        if binary is None:
            raise AssertionError("redis-server is not installed (apt-get install redis-server)")
        cls.redis_port = opssupport.free_port()
        cls.redis_dir = Path(tempfile.mkdtemp(prefix="jalin-ops-redis-"))
        cls.redis = subprocess.Popen(
            [binary, "--port", str(cls.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=cls.redis_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        opssupport.wait_for_port(cls.redis_port)
        cls.redis_url = f"redis://127.0.0.1:{cls.redis_port}/0"

    @classmethod
    def stop_redis(cls):
        cls.redis.terminate()
        cls.redis.wait(timeout=10)
        shutil.rmtree(cls.redis_dir, ignore_errors=True)

    def redis_client(self):
        import redis

        return redis.Redis.from_url(self.redis_url)


class RedisSettingsTests(RedisServerMixin, TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_redis()

    @classmethod
    def tearDownClass(cls):
        cls.stop_redis()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def child_env(self, **extra):
        var = Path(tempfile.mkdtemp(prefix="jalin-ops-redis-var-"))
        self.addCleanup(shutil.rmtree, var, ignore_errors=True)
        return opssupport.child_env(var, REDIS_URL=self.redis_url, **extra)

    def test_it_switches_queue_cache_and_sessions_to_redis_from_the_environment(self):
        result = subprocess.run(
            [
                opssupport.PYTHON,
                "-c",
                "import django; django.setup(); from django.conf import settings as s;"
                "print(s.HUEY['huey_class'], s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)",
            ],
            env=self.child_env(),
            cwd=opssupport.ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        self.assertEqual(
            result.stdout.split(),
            ["huey.RedisHuey", "django.core.cache.backends.redis.RedisCache", "django.contrib.sessions.backends.cache"],
        )
        self.assertEqual(settings.SESSION_ENGINE, "django.contrib.sessions.backends.db")  # embedded default unchanged

    def test_a_worker_takes_a_task_from_the_redis_queue_and_runs_it(self):
        env = self.child_env()
        token = f"t{time.monotonic_ns()}"
        enqueue = (
            "import django; django.setup();"
            f"from jalin.ops.tasks import ping; r = ping('{token}'); print('queued', r.id)"
        )
        subprocess.run(
            [opssupport.PYTHON, "-c", enqueue], env=env, cwd=opssupport.ROOT, check=True, capture_output=True
        )
        client = self.redis_client()
        self.assertEqual(client.llen("huey.redis.jalin"), 1, "the task waits in Redis, not in SQLite")
        worker = subprocess.Popen(
            [opssupport.PYTHON, str(opssupport.ROOT / "manage.py"), "run_huey", "--workers", "1", "--quiet"],
            env=env,
            cwd=opssupport.ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            key = f":1:ops:ping:{token}"
            while not client.exists(key) and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertTrue(client.exists(key), "the worker did not run the task within 30 s")
            self.assertEqual(client.llen("huey.redis.jalin"), 0)
        finally:
            worker.terminate()
            worker.wait(timeout=20)
        check = subprocess.run(
            [
                opssupport.PYTHON,
                "-c",
                f"import django; django.setup(); from django.core.cache import cache; print(cache.get('ops:ping:{token}'))",
            ],
            env=env,
            cwd=opssupport.ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        self.assertEqual(check.stdout.strip(), "pong")

    def test_sessions_and_cache_work_in_redis(self):
        caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": self.redis_url}}
        with override_settings(CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cache"):
            from django.core.cache import cache

            cache.set("ops:probe", {"a": 1}, 60)
            self.assertEqual(cache.get("ops:probe"), {"a": 1})
            self.client.force_login(self.w.alice)
            session_key = self.client.cookies[settings.SESSION_COOKIE_NAME].value
            self.assertTrue(self.redis_client().exists(f":1:django.contrib.sessions.cache{session_key}"))
            self.assertEqual(self.client.get("/app/").status_code, 200)
            self.assertEqual(self.client.session[SESSION_KEY], str(self.w.alice.pk))
            # The session is not in the database.
            from django.contrib.sessions.models import Session

            self.assertFalse(Session.objects.filter(session_key=session_key).exists())
