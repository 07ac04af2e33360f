"""Jalin's benchmark: production stack, national data, a real load generator.

    make bench          # national data (~100,000 agreements), 10 s per measurement
    make bench-quick    # Lampung only (~1,900 agreements), 3 s per measurement

Pages: starts gunicorn (DEBUG off, PostgreSQL) on 127.0.0.1 and measures each page with wrk
(a second process, loopback only, bounded in time) at 1, 8 and 32 concurrent connections:
throughput and p50/p95/p99 latency, for the users for whom the page is heaviest (a national
supervisor, the Lampung province supervisor) and for a regency admin (Kabupaten Pesawaran).
In the same run it measures the floor: /healthz (a trivial Django view through the same
stack) and the raw SQL each page needs (the page's own queries, replayed with psycopg), and
prints every page as a ratio to the floor so results compare across machines. Peak memory
(VmHWM) per gunicorn worker is read from /proc.

Steps (bench/steps.py), each in a child process of its own with a timeout: the register
export of every agreement (CSV and XLSX) and the periodic report (PDF and XLSX) as a national
supervisor's background job builds them, a regency's report, and a dry run of the import of
a generated register (bench/make_register.py): seconds and peak memory.

Results: bench/results/<date>-<commit>[-quick].json and .md (the tables, also printed).

Needs: PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/jalin_bench,
jalin_bench_quick with --quick; created when missing), wrk (apt-get install wrk).
"""

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import steps
import web

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
REGENCY_ADMIN = steps.REGENCY_ADMIN
NATIONAL_SUPERVISOR = steps.NATIONAL_SUPERVISOR
PROVINCE_SUPERVISOR = steps.PROVINCE_SUPERVISOR
# The bench supervisors: (username, government code). "00" is the national pseudo-government.
SUPERVISORS = ((NATIONAL_SUPERVISOR, "00"), (PROVINCE_SUPERVISOR, "18"))


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
        # the API's rate limits would answer most of wrk's requests with 429: measure the work
        API_ANON_RATE="100000000/minute",
        API_USER_RATE="100000000/minute",
        DJANGO_SETTINGS_MODULE="jalin.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def ensure_database(database_url: str) -> None:
    """Create the benchmark database when it does not exist (connecting to `postgres` on the same server)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"== creating the database {name}", flush=True)
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict, scale: str) -> None:
    print(f"== preparing the database ({scale} scale)", flush=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_reference_data", "-v0")
    manage(env, "seed_demo", "--scale", scale, "--force")
    manage(env, "collectstatic", "--no-input", "-v0")


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_bench_users() -> None:
    """The supervisors the heaviest pages are measured for, made the way the scale data makes
    its users (same password; see jalin/demo/scale.py). Idempotent."""
    from django.contrib.auth.hashers import make_password

    from jalin.accounts.models import Role, User
    from jalin.demo.scale import BENCH_PASSWORD
    from jalin.governments.models import Government

    password = make_password(BENCH_PASSWORD)
    for username, code in SUPERVISORS:
        User.objects.get_or_create(
            username=username,
            defaults={
                "government": Government.objects.get(code=code),
                "role": Role.SUPERVISOR,
                "password": password,
                "first_name": "Supervisor",
            },
        )


def pages() -> list[web.Page]:
    """The pages to measure, with real ids from the data set."""
    from jalin.agreements.models import Agreement

    agreement = Agreement.objects.filter(government__code=steps.REGENCY, kind="pks", parent__isnull=False)
    agreement = agreement.order_by("pk").first()
    public = Agreement.objects.filter(is_public=True, archived_at__isnull=True).order_by("pk").first()
    filtered = "/app/agreements/?category=ksdpk&status=active&sort=-ends"
    search = "/app/agreements/?q=air+minum"
    return [
        web.Page("floor /healthz", "/healthz", REGENCY_ADMIN),
        web.Page("staff list (Pesawaran admin)", "/app/agreements/", REGENCY_ADMIN),
        web.Page("staff list filtered (Pesawaran admin)", filtered, REGENCY_ADMIN),
        web.Page("staff list search (Pesawaran admin)", search, REGENCY_ADMIN),
        web.Page("agreement detail (Pesawaran admin)", f"/app/agreements/{agreement.pk}/", REGENCY_ADMIN),
        web.Page("dashboard (Pesawaran admin)", "/app/", REGENCY_ADMIN),
        web.Page("dashboard (Lampung supervisor)", "/app/", PROVINCE_SUPERVISOR),
        web.Page("staff list (Lampung supervisor)", "/app/agreements/", PROVINCE_SUPERVISOR),
        web.Page("dashboard (national supervisor)", "/app/", NATIONAL_SUPERVISOR),
        web.Page("staff list (national supervisor)", "/app/agreements/", NATIONAL_SUPERVISOR),
        web.Page("staff list filtered (national supervisor)", filtered, NATIONAL_SUPERVISOR),
        web.Page("staff list search (national supervisor)", search, NATIONAL_SUPERVISOR),
        web.Page("public home (anonymous)", "/", None),
        web.Page("public detail (anonymous)", f"/agreements/{public.pk}/", None),
        web.Page("public list (anonymous)", "/agreements/", None),
        web.Page("api list (Pesawaran admin)", "/api/v1/agreements", REGENCY_ADMIN),
        web.Page("api list (national supervisor)", "/api/v1/agreements", NATIONAL_SUPERVISOR),
        web.Page("api public list (anonymous)", "/api/v1/public/agreements", None),
    ]


def run_pages(env: dict, *, seconds: int, workers: int, threads: int, only: str | None) -> dict:
    targets = [page for page in pages() if not only or page.name == "floor /healthz" or only in page.name]
    refreshed = steps.refresh_summaries(env, timeout=1800)
    print(f"-- dashboard summaries brought up to date first: {refreshed}", flush=True)
    port = web.free_port()
    server = web.start_gunicorn(env, port, workers, threads)
    measured: dict[str, dict] = {}
    try:
        for page in targets:
            entry = web.measure(page, port, seconds)
            measured[page.name] = entry
            if "c1" not in entry:
                print(f"-- {page.name}: {page.path} answered {entry['status']}; not measured", flush=True)
                continue
            cell = entry.get("c8") or entry["c1"]
            clients = "8 clients" if "c8" in entry else "1 client only"
            print(
                f"-- {page.name:42} {cell.get('rps', 0):8.1f} req/s  p50 {cell.get('p50', 0):8.1f} ms  "
                f"p95 {cell.get('p95', 0):8.1f} ms  ({clients}; sql {entry['sql_ms']} ms)",
                flush=True,
            )
        worker_peaks = web.worker_peak_memory_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    floor = measured.get("floor /healthz", {}).get("c8", {})
    for entry in measured.values():
        if "p50" in entry.get("c8", {}) and floor.get("p50"):
            entry["ratio_to_floor_p50_c8"] = round(entry["c8"]["p50"] / max(floor["p50"], 0.01), 1)
    return {"pages": measured, "worker_peak_rss_mb": worker_peaks, "summaries_refreshed_before_pages": refreshed}


# The record: what was measured, where, on what data --------------------------------------


def git(*args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return completed.stdout.strip()


def machine() -> dict:
    from django.db import connection

    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_mb": round(total_kb / 1024),
        "postgresql": postgres,
        "postgresql_settings": settings,
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


COUNTED = [
    ("governments with agreements", "agreements.Agreement", "government"),
    ("agreements", "agreements.Agreement", None),
    ("agreement parties", "agreements.AgreementParty", None),
    ("partners", "partners.Partner", None),
    ("agencies", "governments.Agency", None),
    ("documents", "documents.Document", None),
    ("audit entries", "audit.AuditEntry", None),
    ("users", "accounts.User", None),
    ("workflow processes", "workflow.Process", None),
    ("obligations", "monitoring.Obligation", None),
    ("indicators", "monitoring.Indicator", None),
    ("indicator periods", "monitoring.IndicatorPeriod", None),
    ("progress reports", "monitoring.ProgressReport", None),
    ("reported indicator values", "monitoring.ReportIndicatorValue", None),
    ("reported obligation updates", "monitoring.ReportObligation", None),
    ("beneficiary records", "monitoring.Beneficiary", None),
    ("budget realisations", "monitoring.BudgetRealisation", None),
    ("evidence files", "monitoring.Evidence", None),
    ("evaluations", "monitoring.Evaluation", None),
    ("dashboard summaries", "monitoring.DashboardSummary", None),
    ("notifications", "notifications.Notification", None),
]


def scale_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for label, model_name, distinct in COUNTED:
        try:
            model = apps.get_model(model_name)
        except LookupError:
            continue
        queryset = model.objects.all()
        counts[label] = queryset.values(distinct).distinct().count() if distinct else queryset.count()
    return counts


# Output ------------------------------------------------------------------------------------


def render_markdown(results: dict) -> str:
    box = results["machine"]
    lines = [
        f"# Jalin benchmark: {results['scale']} scale, {results['date']}, commit {results['commit']}"
        + (" (uncommitted changes)" if results["dirty"] else ""),
        "",
        f"{box['cpus']} CPUs ({box['cpu_model'] or 'unknown model'}), {box['memory_mb']:,} MB, PostgreSQL "
        f"{box['postgresql']}; load average at start {box['load_average_at_start']}. "
        + ", ".join(f"{count:,} {label}" for label, count in results["counts"].items()),
        "",
    ]
    if "pages" in results:
        lines += [
            f"gunicorn with {results['workers']} workers x {results.get('threads', 1)} threads (gthread, as deploy/), "
            f"DEBUG off; wrk {results['seconds']} s per cell; "
            f"worker peak RSS (MB): {results.get('worker_peak_rss_mb')}. Latencies in ms.",
            "",
            "| page | queries | raw SQL ms | c1 p50 | c8 req/s | c8 p50 | c8 p95 | c8 p99 | c32 p95 | errors | ratio to floor (c8 p50) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, entry in results["pages"].items():
            if "c1" not in entry:
                lines.append(f"| {name} | answered {entry['status']} | | | | | | | | | |")
                continue
            cells = [entry.get(f"c{clients}", {}) for clients in (1, 8, 32)]
            errors = sum(cell.get("errors", 0) + cell.get("non2xx", 0) for cell in cells)
            if any("error" in cell for cell in cells):
                errors = "wrk failed"

            def figure(cell: dict, key: str, digits: int = 1) -> str:
                return f"{cell[key]:.{digits}f}" if key in cell else "—"

            c1, c8, c32 = cells
            lines.append(
                f"| {name} | {entry['queries']} | {entry['sql_ms']} | {figure(c1, 'p50')} | {figure(c8, 'rps', 0)} | "
                f"{figure(c8, 'p50')} | {figure(c8, 'p95')} | {figure(c8, 'p99')} | {figure(c32, 'p95')} | {errors} | "
                f"{entry.get('ratio_to_floor_p50_c8', '')} |"
            )
        slow = [f"{name}: {entry['skipped']}" for name, entry in results["pages"].items() if entry.get("skipped")]
        if slow:
            lines += ["", "Measured with one client only: " + "; ".join(slow) + "."]
        cold = [
            f"{name} {entry['first_request_s']:.1f} s"
            for name, entry in results["pages"].items()
            # the first request a worker serves imports the views: only what is slower than that
            if name != "floor /healthz"
            and entry.get("first_request_s", 0) > max(5, 10 * entry.get("single_request_s", 0))
        ]
        if cold:
            lines += [
                "",
                "First request much slower than the next (cold caches, stale dashboard summaries): "
                + "; ".join(cold)
                + ".",
            ]
        refreshed = results.get("summaries_refreshed_before_pages") or {}
        lines += [
            "",
            f"Dashboard summaries brought up to date before the pages: {refreshed.get('recomputed')} recomputed "
            f"in {refreshed.get('seconds')} s.",
        ]
        lines.append("")
    if "steps" in results:
        lines += [
            "Steps, each a child process (seconds: the whole process, Python and Django start-up included; "
            "job s: the job alone; peak MB: the process's peak RSS). Rows: summaries recomputed, agreements "
            "exported, in the report's scope, or in the register imported.",
            "",
            "| step | rows | seconds | job s | peak MB | output MB | result |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, entry in results["steps"]["steps"].items():
            rows = entry.get("rows")
            size = entry.get("file_bytes")
            result = entry.get("result", "")
            if entry.get("message") and result != "ok":
                result += f": {entry['message'][:160]}"
            lines.append(
                f"| {name} | {'' if rows is None else f'{rows:,}'} | {entry.get('seconds', '')} | "
                f"{entry.get('job_seconds', '')} | {entry.get('peak_rss_mb') or ''} | "
                f"{'' if size is None else f'{size / 1_048_576:.1f}'} | {result} |"
            )
        lines.append("")
        lines += [
            f"- {name}: {entry['notes']}." for name, entry in results["steps"]["steps"].items() if entry.get("notes")
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="Lampung data, short runs, a smaller import")
    parser.add_argument("--seconds", type=int, default=None, help="wrk seconds per cell (3 quick, 10 full)")
    parser.add_argument(
        "--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1, help="as in deploy/: 2 x CPUs + 1"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker, as in deploy/")
    parser.add_argument("--skip-prepare", action="store_true", help="the database is ready: no migrate or seed")
    parser.add_argument("--only", choices=["pages", "steps"], help="measure only the pages or only the steps")
    parser.add_argument("--pages", default=None, help="only the pages whose name contains this text (and the floor)")
    parser.add_argument("--import-rows", type=int, default=None, help="rows of the imported register (2,000 / 10,000)")
    parser.add_argument("--step-timeout", type=float, default=900, help="seconds a step may take (default 900)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated register")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.only != "steps" and not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    scale = "small" if args.quick else "national"
    default_name = "jalin_bench_quick" if args.quick else "jalin_bench"
    database_url = (
        args.database_url
        or os.environ.get("BENCH_DATABASE_URL")
        or f"postgres://postgres@127.0.0.1:5432/{default_name}"
    )
    seconds = args.seconds or (3 if args.quick else 10)
    import_rows = args.import_rows or (2_000 if args.quick else 10_000)
    env = env_for(database_url)
    started = time.monotonic()
    # The machine's date and time, taken before Django sets the process's time zone to TIME_ZONE.
    date, started_at = time.strftime("%Y-%m-%d"), time.strftime("%Y-%m-%dT%H:%M:%S%z")
    if not args.skip_prepare:
        ensure_database(database_url)
        prepare(env, scale)
    setup_django(env)
    ensure_bench_users()

    commit = git("rev-parse", "--short=7", "HEAD") or "unknown"
    results: dict = {
        "scale": scale,
        "date": date,
        "started_at": started_at,
        "commit": commit,
        "dirty": bool(git("status", "--porcelain")),
        "database": urlsplit(database_url).path.lstrip("/"),
        "machine": machine(),
        "counts": scale_counts(),
    }
    print(f"== {results['counts'].get('agreements', 0):,} agreements; commit {commit}", flush=True)
    if args.only != "steps":
        print(f"== pages ({seconds} s per cell)", flush=True)
        results.update(seconds=seconds, workers=args.workers, threads=args.threads)
        results.update(run_pages(env, seconds=seconds, workers=args.workers, threads=args.threads, only=args.pages))
    if args.only != "pages":
        print(f"== steps (timeout {args.step_timeout:.0f} s each)", flush=True)
        results["steps"] = steps.run_all(env, import_rows=import_rows, timeout=args.step_timeout, seed=args.seed)
    results["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    results["total_seconds"] = round(time.monotonic() - started, 1)

    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{results['date']}-{commit}" + ("-quick" if args.quick else "")
    if args.only or args.pages:  # a partial run never replaces the full run's record
        name += f"-{args.only or 'some'}-partial"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, default=str))
    markdown = render_markdown(results)
    (RESULTS / f"{name}.md").write_text(markdown)
    print()
    print(markdown)
    print(f"Written: bench/results/{name}.json and .md ({results['total_seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
