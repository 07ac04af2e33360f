"""The pages: gunicorn as production runs it, wrk as the load generator, and the floor
(/healthz through the same stack, and each page's own SQL replayed straight on PostgreSQL).

Used by bench/run.py after django.setup().
"""

import json
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
CONCURRENCY = (1, 8, 32)
# A page whose single request takes longer than this is measured with one client only (and
# for long enough to complete a few requests): 8 or 32 clients would only queue behind it.
SLOW_SECONDS = 2.0
# Replaying a page's SQL: at most this many rounds, and no more rounds once this much time is spent.
SQL_ROUNDS = 20
SQL_BUDGET_SECONDS = 15.0


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    username: str | None  # None: an anonymous visitor


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn as deploy/systemd/jalin-web.service runs it (gthread workers, keep-alive), except
    the worker timeout: 300 s instead of 60, so that a slow page is measured, not cut off."""
    log = open(Path(tempfile.gettempdir()) / "jalin-bench-gunicorn.log", "w")  # noqa: SIM115 - lives with the server
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "jalin.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--keep-alive",
            "5",
            "--timeout",
            "300",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _attempt in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start; see " + log.name)


def worker_peak_memory_mb(master_pid: int) -> list[float]:
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
            if match:
                peaks.append(round(int(match.group(1)) / 1024, 1))
    return sorted(peaks)


def login_cookie(username: str | None) -> str:
    """A session cookie for the user (a real session row, read by the gunicorn workers)."""
    if username is None:
        return ""
    from django.conf import settings
    from django.test import Client

    from jalin.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def page_sql(path: str, username: str | None) -> list[str]:
    """The SQL a page runs (captured through the Django test client against the same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jalin.accounts.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        return []
    # Transaction control is not a query of the page; a server-side cursor (QuerySet.iterator())
    # is logged as its DECLARE, replayed as the plain SELECT it runs.
    return [
        DECLARE.sub("", query["sql"])
        for query in captured.captured_queries
        if not query["sql"].startswith(TRANSACTION_CONTROL)
    ]


TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
DECLARE = re.compile(r'^DECLARE "[^"]+" (?:NO )?SCROLL CURSOR (?:WITH(?:OUT)? HOLD )?FOR ', re.S)


def time_sql(statements: list[str]) -> tuple[float, int]:
    """Median milliseconds to run the page's statements once, straight on the database, and the
    rounds run. Each round runs in a transaction that is rolled back (a page may write, e.g. a
    stale dashboard summary)."""
    from django.db import connection, transaction

    samples = []
    began = time.perf_counter()
    while len(samples) < SQL_ROUNDS and (not samples or time.perf_counter() - began < SQL_BUDGET_SECONDS):
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return statistics.median(samples), len(samples)


def fetch(url: str, cookie: str) -> tuple[int, float]:
    """One request: status and seconds."""
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            status = response.status
    except Exception as error:
        status = getattr(error, "code", 0)
    return status, time.perf_counter() - started


def wrk(url: str, cookie: str, connections: int, seconds: int, timeout: int) -> dict:
    threads = max(1, min(connections, 2))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout}s"]
    command += ["-s", str(WRK_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    completed = subprocess.run(command, capture_output=True, text=True)
    match = re.search(r"JSON (\{.*\})", completed.stdout)
    if completed.returncode or not match:
        return {"error": (completed.stdout + completed.stderr)[-500:]}
    return json.loads(match.group(1))


def measure(page: Page, port: int, seconds: int) -> dict:
    """Status, the page's SQL (count and raw time), then wrk at 1, 8 and 32 clients."""
    url = f"http://127.0.0.1:{port}{page.path}"
    cookie = login_cookie(page.username)
    status, first = fetch(url, cookie)  # also warms the worker
    entry: dict = {"path": page.path, "user": page.username or "anonymous", "status": status}
    entry["first_request_s"] = round(first, 3)
    if status != 200:
        return entry
    _status, single = fetch(url, cookie)
    entry["single_request_s"] = round(single, 3)
    statements = page_sql(page.path, page.username)
    entry["queries"] = len(statements)
    entry["sql_ms"], entry["sql_rounds"] = 0.0, 0
    if statements:
        try:
            milliseconds, rounds = time_sql(statements)
            entry["sql_ms"], entry["sql_rounds"] = round(milliseconds, 2), rounds
        except Exception as error:  # recorded, not fatal: the page is still measured
            entry["sql_error"] = str(error)[:300]
    if single > SLOW_SECONDS:
        # One client, long enough for a few requests; more clients would only queue.
        duration = max(seconds, math.ceil(3 * single))
        entry["c1"] = wrk(url, cookie, 1, duration, timeout=max(30, math.ceil(2 * single)))
        entry["skipped"] = f"8 and 32 clients not measured: one request takes {single:.1f} s"
        return entry
    for connections in CONCURRENCY:
        entry[f"c{connections}"] = wrk(url, cookie, connections, seconds, timeout=30)
    return entry
