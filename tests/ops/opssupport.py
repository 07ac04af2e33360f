"""Helpers for the operations tests: free ports, private servers, Jalin in a child process."""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
BIN = Path(PYTHON).parent
CHILD = str(Path(__file__).with_name("child.py"))

# Variables of the test run that must not leak into a child installation.
_SCRUB = (
    "DATABASE_URL",
    "TEST_DATABASE_NAME",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "DOCUMENT_DOWNLOAD",
    "SESSION_ENGINE",
    "DJANGO_SETTINGS_MODULE",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def child_env(var_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update(
        {
            "DEBUG": "1",
            "SECRET_KEY": "ops-child-secret",
            "VAR_DIR": str(var_dir),
            "PRIVATE_MEDIA_ROOT": str(var_dir / "private"),
            "DJANGO_SETTINGS_MODULE": "jalin.settings",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def manage(
    env: dict, *args: str, check: bool = True, timeout: float = 300, skip_checks: bool = True
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args, *(["--skip-checks"] if skip_checks else [])],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def child(env: dict, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([PYTHON, CHILD, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"child {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


# --- PostgreSQL --------------------------------------------------------------------------


def shared_postgres_url() -> str | None:
    """The PostgreSQL server the suite may create scratch databases on, if it answers."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base = url.rsplit("/", 1)[0]
    else:
        base = "postgres://postgres@127.0.0.1:5432"
    try:
        import psycopg

        with psycopg.connect(f"{base}/postgres", connect_timeout=3):
            return base
    except Exception:
        return None


def create_database(base: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_bin() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3].split(".")[0])
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def redis_server() -> str | None:
    return shutil.which("redis-server")


# --- Migrated SQLite installations, made once per test run and copied -------------------

_templates: dict[str, Path] = {}


def installation(var_dir: Path, *, world: bool, **extra: str) -> dict:
    """A ready SQLite installation in var_dir (migrated; with the test personas if world),
    copied from one made once per test run. Returns its child environment."""
    key = "world" if world else "empty"
    if key not in _templates:
        import atexit

        folder = Path(tempfile.mkdtemp(prefix=f"jalin-ops-template-{key}-"))
        atexit.register(shutil.rmtree, folder, True)
        env = child_env(folder)
        manage(env, "migrate", "--no-input", "-v0")
        if world:
            child(env, "setup")
        _templates[key] = folder / "jalin.sqlite3"
    var_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(_templates[key], var_dir / "jalin.sqlite3")
    return child_env(var_dir, **extra)
