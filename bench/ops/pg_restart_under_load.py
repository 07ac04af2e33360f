#!/usr/bin/env python3
"""PostgreSQL restart under load: Jalin answers 503 while the database is down, recovers by
itself when it is back, and loses no write it acknowledged.

It starts everything it needs and removes it afterwards, so it never touches a shared server:

1. a private PostgreSQL cluster (initdb) on a free port of 127.0.0.1, in a temporary folder;
2. a fresh Jalin database (migrate) with the test personas (tests/personas.py);
3. gunicorn (2 workers x 4 threads) serving Jalin on a free port;
4. load: reader threads (agreement list and detail) and writer threads (document uploads,
   each with a unique title), all logged in as the Dinkes officer (no second factor to type);
5. after --before seconds: `pg_ctl stop -m fast`; after --down seconds: `pg_ctl start`;
   the load continues for --after seconds;
6. checks: every response while PostgreSQL was down is a 503 with the bilingual page (no 500,
   no hang), the first successful response after the restart and how long it took, and every
   upload acknowledged with a redirect exists afterwards as a row with its file's bytes.

Prints a JSON summary; exit status 0 when every check passes.

    .venv/bin/python bench/ops/pg_restart_under_load.py [--down 6] [--readers 4] [--writers 2]

As root, PostgreSQL runs as the `postgres` user (runuser). Needs /usr/lib/postgresql/*/bin.
"""

import argparse
import contextlib
import glob
import hashlib
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PASSWORD = "a-long-test-password-2026"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
CLEAR_PAGE = ("Jalin untuk sementara tidak dapat diakses", "Jalin is temporarily unavailable")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def postgres_bin(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3].split(".")[0]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which:
        return Path(which).parent
    raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")


class PrivatePostgres:
    """A throwaway cluster: initdb, start, stop, start, destroy."""

    def __init__(self, bin_dir: Path, folder: Path):
        self.bin, self.folder = bin_dir, folder
        self.data, self.log = folder / "data", folder / "postgres.log"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args: str) -> None:
        result = subprocess.run(
            [*self.as_postgres, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")

    def init(self) -> None:
        if self.as_postgres:
            self.folder.parent.chmod(0o755)  # mkdtemp is 0700: let the postgres user in
            shutil.chown(self.folder, "postgres", "postgres")
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=on"
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class Session:
    """A logged-in browser: cookies, CSRF token, no redirect following."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str, context=None, host: str | None = None):
        self.base, self.host = base, host
        scheme = base.split("://", 1)[0]
        self.origin = f"{scheme}://{host}" if host else base
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 15):
        headers = dict(headers or {})
        if self.host:
            headers["Host"] = self.host
        req = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def login(self, username: str, password: str = PASSWORD) -> None:
        status, body, _ = self.request("/app/login/")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()}
        ).encode()
        status, body, _ = self.request(
            "/app/login/", form, {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + "/"}
        )
        if status != 302:
            raise RuntimeError(f"login failed: {status} {body[:300]}")

    def upload(self, agreement: int, title: str, content: bytes, filename: str = "bukti.pdf"):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (("csrfmiddlewaretoken", self.csrf()), ("kind", "annex"), ("title", title)):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            f"/app/documents/upload/{agreement}/",
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.origin + "/"},
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-bin", help="folder with initdb and pg_ctl (default: newest /usr/lib/postgresql/*/bin)")
    parser.add_argument("--before", type=float, default=3, help="seconds of load before the stop")
    parser.add_argument("--down", type=float, default=6, help="seconds PostgreSQL stays down")
    parser.add_argument("--after", type=float, default=6, help="seconds of load after the start")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="jalin-pg-restart-"))
    pg = PrivatePostgres(postgres_bin(args.pg_bin), folder / "pg")
    (folder / "pg").mkdir()
    gunicorn = None
    summary: dict = {"ok": False}
    try:
        pg.init()
        pg.start()
        subprocess.run(
            [
                *pg.as_postgres,
                str(pg.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(pg.port),
                "-U",
                "postgres",
                "jalin",
            ],
            check=True,
        )
        var = folder / "var"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "AWS_"))},
            "DATABASE_URL": pg.url("jalin"),
            "DB_CONN_MAX_AGE": "60",
            # DEBUG=1 only spares collectstatic; the 503 handling is the same as in production.
            "DEBUG": "1",
            "SECRET_KEY": "bench-only-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "VAR_DIR": str(var),
            "PRIVATE_MEDIA_ROOT": str(var / "private"),
            "DJANGO_SETTINGS_MODULE": "jalin.settings",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True
        )
        setup = subprocess.run(
            [PYTHON, "-c", "import django, json; django.setup(); from personas import build_world; "
             "w = build_world(); print(json.dumps({'agreement': w.pks.pk}))"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        agreement = json.loads(setup.stdout.strip().splitlines()[-1])["agreement"]
        port = free_port()
        gunicorn = subprocess.Popen(
            [
                GUNICORN,
                "jalin.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--threads",
                "4",
                "--timeout",
                "30",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115
        )
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"

        records: list[tuple[float, str, int, bool]] = []
        acknowledged: dict[str, str] = {}
        lock = threading.Lock()
        stop = threading.Event()
        phase = {"name": "before"}

        def logged_in() -> Session:
            session = Session(base)
            # The Dinkes officer uploads to the PKS Dinkes leads; an admin would first need a
            # second factor (jalin/accounts/two_factor.py), which this script does not type.
            session.login("oscar")
            return session

        sessions = [logged_in() for _ in range(args.readers + args.writers)]
        started = time.monotonic()

        def reader(index: int) -> None:
            session = sessions[index]
            paths = ["/app/agreements/", f"/app/agreements/{agreement}/", "/readyz"]
            n = 0
            while not stop.is_set():
                path = paths[n % len(paths)]
                n += 1
                try:
                    status, body, _ = session.request(path)
                except Exception:  # connection reset, timeout: recorded as status 0
                    status, body = 0, ""
                clear = status == 503 and (path == "/readyz" or all(text in body for text in CLEAR_PAGE))
                with lock:
                    records.append((time.monotonic() - started, phase["name"], status, clear, path))
                time.sleep(0.05)

        def writer(index: int) -> None:
            session = sessions[args.readers + index]
            n = 0
            while not stop.is_set():
                n += 1
                title = f"bench {index}-{n}"
                content = PDF + f"% {title} {uuid.uuid4().hex}\n".encode()
                try:
                    status, body, _ = session.upload(agreement, title, content)
                except Exception:
                    status, body = 0, ""
                clear = status == 503 and all(text in body for text in CLEAR_PAGE)
                with lock:
                    records.append((time.monotonic() - started, phase["name"], status, clear, "upload"))
                    if status == 302:
                        acknowledged[title] = hashlib.sha256(content).hexdigest()
                time.sleep(0.1)

        threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(args.readers)]
        threads += [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(args.writers)]
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        phase["name"] = "stopping"
        stop_at = time.monotonic() - started
        pg.stop()
        phase["name"] = "down"
        time.sleep(args.down)
        phase["name"] = "starting"
        pg.start()
        start_at = time.monotonic() - started
        phase["name"] = "after"
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        # Verify acknowledged writes straight from the database and the disk.
        import psycopg

        with psycopg.connect(pg.url("jalin")) as conn:
            rows = dict(
                conn.execute("SELECT title, sha256 FROM documents_document WHERE title LIKE 'bench %%'").fetchall()
            )
            files = conn.execute("SELECT file, sha256 FROM documents_document WHERE title LIKE 'bench %%'").fetchall()
        lost = sorted(title for title in acknowledged if rows.get(title) != acknowledged[title])
        bad_files = [
            name
            for name, digest in files
            if not (var / "private" / name).exists()
            or hashlib.sha256((var / "private" / name).read_bytes()).hexdigest() != digest
        ]

        def count(selected):
            result: dict[str, int] = {}
            for status in selected:
                result[str(status)] = result.get(str(status), 0) + 1
            return result

        down = [r for r in records if r[1] == "down"]
        after = [r for r in records if r[0] > start_at]
        first_ok_after = next((r[0] - start_at for r in sorted(after) if r[2] in (200, 302)), None)
        last_bad = max((r[0] - start_at for r in after if r[2] not in (200, 302)), default=None)
        summary = {
            "postgres_port": pg.port,
            "stopped_at_s": round(stop_at, 2),
            "started_at_s": round(start_at, 2),
            "requests": len(records),
            "status_before": count(r[2] for r in records if r[1] == "before"),
            "status_while_down": count(r[2] for r in down),
            "status_after": count(r[2] for r in after),
            "down_responses_with_clear_503": sum(1 for r in down if r[3]),
            "server_errors_500": sum(1 for r in records if r[2] == 500),
            "connection_failures": sum(1 for r in records if r[2] == 0),
            "recovered_after_s": None if first_ok_after is None else round(first_ok_after, 2),
            "last_error_after_restart_s": None if last_bad is None else round(last_bad, 2),
            "uploads_acknowledged": len(acknowledged),
            "uploads_acknowledged_before_stop": sum(1 for r in records if r[4] == "upload" and r[2] == 302 and r[0] < stop_at),
            "uploads_acknowledged_after_start": sum(1 for r in records if r[4] == "upload" and r[2] == 302 and r[0] > start_at),
            "acknowledged_uploads_lost": lost,
            "rows_with_bad_or_missing_file": bad_files,
        }  # fmt: skip
        summary["ok"] = bool(
            down
            and all(r[2] == 503 and r[3] for r in down)
            and summary["server_errors_500"] == 0
            and summary["connection_failures"] == 0
            and first_ok_after is not None
            and summary["uploads_acknowledged_before_stop"] > 0
            and summary["uploads_acknowledged_after_start"] > 0
            and not lost
            and not bad_files
        )
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        with contextlib.suppress(RuntimeError):
            pg.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            summary["folder"] = str(folder)
    print(json.dumps(summary, indent=2))
    return 0 if summary.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
