"""Jalin's benchmark: production stack, national data, a real load generator.

    make bench          # national data (~100,000 agreements), 10 s per measurement
    make bench-quick    # Lampung only (~1,900 agreements), 3 s per measurement

Starts gunicorn (DEBUG off, PostgreSQL) on 127.0.0.1, logs a staff user in, and measures
each page with wrk (a second process, loopback only, bounded in time) at 1, 8 and 32
concurrent connections: throughput and p50/p95/p99 latency. In the same run it measures
the floor: /healthz (a trivial Django view through the same stack) and the raw SQL each
page needs (the page's own queries, replayed with psycopg), and prints every page as a
ratio to the floor so results compare across machines. Peak memory (VmHWM) per gunicorn
worker is read from /proc. Results go to bench/results/<name>.json and .md.

Needs: PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/jalin_bench),
wrk (apt-get install wrk).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
CONCURRENCY = (1, 8, 32)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "bench-" + "x" * 50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="jalin.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def prepare(env: dict, scale: str) -> None:
    print(f"== preparing the database ({scale} scale)", flush=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_reference_data", "-v0")
    manage(env, "seed_demo", "--scale", scale)
    manage(env, "collectstatic", "--no-input", "-v0")


def setup_django(env: dict):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages(scale: str) -> dict[str, str]:
    """The pages to measure, with real ids from the data set."""
    from jalin.agreements.models import Agreement

    code = "18.09"
    agreement = Agreement.objects.filter(government__code=code, kind="pks", parent__isnull=False).order_by("pk").first()
    public = Agreement.objects.filter(is_public=True, archived_at__isnull=True).order_by("pk").first()
    found = {
        "floor /healthz": "/healthz",
        "staff list": "/app/agreements/",
        "staff list filtered": "/app/agreements/?category=ksdpk&status=active&sort=-ends",
        "staff list search": "/app/agreements/?q=air+minum",
        "agreement detail": f"/app/agreements/{agreement.pk}/",
        "dashboard": "/app/",
        "public home": "/",
        "public detail": f"/agreements/{public.pk}/",
        "api list": "/api/v1/agreements/",
    }
    return found


def login_cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(__import__("jalin.accounts.models", fromlist=["User"]).User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def page_sql(path: str, username: str) -> list[str]:
    """The SQL a page runs (captured through the Django test client against the same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jalin.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        return []
    return [
        query["sql"] for query in captured.captured_queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]


def time_sql(statements: list[str], repeat: int = 20) -> float:
    """Median milliseconds to run the page's statements once, straight on the database."""
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _round in range(repeat):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def wrk(url: str, cookie: str, connections: int, seconds: int) -> dict:
    threads = max(1, min(connections, 2))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"JSON (\{.*\})", output)
    return json.loads(match.group(1)) if match else {"error": output[-500:]}


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


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    log = open(Path(tempfile.gettempdir()) / "jalin-bench-gunicorn.log", "w")  # noqa: SIM115 - lives with the server
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "jalin.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
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


def check_status(url: str, cookie: str) -> int:
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except Exception as error:
        return getattr(error, "code", 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small data, short runs")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jalin_bench")
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    scale = "small" if args.quick else "national"
    seconds = args.seconds or (3 if args.quick else 10)
    env = env_for(args.database_url)
    if not args.skip_prepare:
        prepare(env, scale)
    setup_django(env)
    username = "bench.admin.1809"
    targets = pages(scale)
    cookie = login_cookie(username)
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    results = {"scale": scale, "seconds": seconds, "workers": args.workers, "cpus": os.cpu_count(), "pages": {}}
    try:
        for name, path in targets.items():
            url = f"http://127.0.0.1:{port}{path}"
            status = check_status(url, cookie)
            entry = {"path": path, "status": status}
            results["pages"][name] = entry
            if status != 200:
                print(f"-- {name}: {path} answered {status}; not measured", flush=True)
                continue
            statements = page_sql(path, username)
            entry["queries"] = len(statements)
            entry["sql_ms"] = round(time_sql(statements), 2) if statements else 0.0
            for connections in CONCURRENCY:
                entry[f"c{connections}"] = wrk(url, cookie, connections, seconds)
            c8 = entry["c8"]
            print(
                f"-- {name:22} {c8.get('rps', 0):8.1f} req/s  p50 {c8.get('p50', 0):7.1f} ms  "
                f"p95 {c8.get('p95', 0):7.1f} ms  p99 {c8.get('p99', 0):7.1f} ms  (8 clients; sql {entry['sql_ms']} ms)",
                flush=True,
            )
        results["worker_peak_rss_mb"] = worker_peak_memory_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    floor = results["pages"]["floor /healthz"]
    for entry in results["pages"].values():
        if "c8" in entry and "c8" in floor:
            entry["ratio_to_floor_p50_c8"] = round(entry["c8"]["p50"] / max(floor["c8"]["p50"], 0.01), 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{scale}-{time.strftime('%Y%m%d-%H%M%S')}"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2))
    markdown = render_markdown(results)
    (RESULTS / f"{name}.md").write_text(markdown)
    (RESULTS / f"latest-{scale}.md").write_text(markdown)
    print(markdown)
    return 0


def render_markdown(results: dict) -> str:
    lines = [
        f"# Jalin benchmark: {results['scale']} scale",
        "",
        f"{results['cpus']} CPUs, gunicorn with {results['workers']} sync workers, PostgreSQL, DEBUG off; "
        f"wrk {results['seconds']} s per cell; worker peak RSS (MB): {results.get('worker_peak_rss_mb')}",
        "",
        "| page | queries | raw SQL ms | c1 p50 | c8 req/s | c8 p50 | c8 p95 | c8 p99 | c32 p95 | ratio to floor (c8 p50) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in results["pages"].items():
        if "c8" not in entry:
            lines.append(f"| {name} | answered {entry['status']} | | | | | | | | |")
            continue
        c1, c8, c32 = entry["c1"], entry["c8"], entry["c32"]
        lines.append(
            f"| {name} | {entry['queries']} | {entry['sql_ms']} | {c1['p50']:.1f} | {c8['rps']:.0f} | {c8['p50']:.1f} | "
            f"{c8['p95']:.1f} | {c8['p99']:.1f} | {c32['p95']:.1f} | {entry.get('ratio_to_floor_p50_c8', '')} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
