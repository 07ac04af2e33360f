import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])"
    clean = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    clean.update(env, DJANGO_SETTINGS_MODULE="jalin.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


class SettingsTests(SimpleTestCase):
    def test_it_refuses_to_start_without_a_secret_key_in_production(self):
        result = _settings_in_subprocess({"DEBUG": "0"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY is not set", result.stderr)

    def test_it_uses_a_development_key_only_with_debug(self):
        result = _settings_in_subprocess({"DEBUG": "1"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["True", "django.db.backends.sqlite3"])

    def test_it_refuses_the_development_key_in_production(self):
        result = _settings_in_subprocess({"DEBUG": "0", "SECRET_KEY": "django-insecure-" + "k" * 50})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY is a development key", result.stderr)

    def test_manage_py_reads_the_env_file_that_make_run_writes(self):
        with tempfile.TemporaryDirectory() as folder:
            env_file = Path(folder) / ".env"
            env_file.write_text("DEBUG=1\nSECRET_KEY=django-insecure-from-the-env-file\n")
            clean = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
            clean.update(JALIN_ENV_FILE=str(env_file), DJANGO_SETTINGS_MODULE="jalin.settings")
            code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
            result = subprocess.run(
                [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
                cwd=ROOT,
                env=clean,
                capture_output=True,
                text=True,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["True", "django-insecure-from-the-env-file"])

    def test_it_reads_the_database_from_database_url(self):
        result = _settings_in_subprocess({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@127.0.0.1:5432/jalin"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["False", "django.db.backends.postgresql"])


class HealthTests(SimpleTestCase):
    def test_healthz_answers_ok(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")


class PostgresOptionsTests(SimpleTestCase):
    def options(self, **env) -> str:
        code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
        clean = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DATABASE_JIT")}
        clean.update(env, DJANGO_SETTINGS_MODULE="jalin.settings", DEBUG="1")
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_postgresql_connections_turn_the_jit_compiler_off_unless_asked(self):
        url = "postgres://jalin@127.0.0.1:5432/jalin"
        self.assertIn("-c jit=off", self.options(DATABASE_URL=url))
        self.assertNotIn("jit", self.options(DATABASE_URL=url, DATABASE_JIT="1"))
        self.assertNotIn("jit", self.options(DATABASE_URL="sqlite:////tmp/x.sqlite3"))
