"""Run one report or export job the way the huey worker does; bench/run.py starts it as a child
process, so the child's peak memory is the job's.

    python bench/job.py --user bench.supervisor.00 --kind register --format csv
    python bench/job.py --user bench.supervisor.00 --kind periodic --format pdf --period 2026-S1

The job is created with `reports.services.report_job_create` (what the page does) and built
with `reports.services.report_job_run` (the body of the huey task `build_report_job`): the
same scope, queries, progress updates and file storage as a user's job. It runs inside a
transaction that is rolled back, and the file goes to a temporary PRIVATE_MEDIA_ROOT, so
the benchmark database and var/ keep nothing. Prints one line `JSON {...}`: status, seconds
(the job alone, without Python and Django start-up), file size, rows (agreements exported,
or agreements in the report's scope) and the process's resident memory after start-up.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM; see bench/peak.py for why not ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def run(username: str, kind: str, fmt: str, period: str) -> dict:
    from django.db import transaction

    from jalin.accounts.models import User
    from jalin.reports import selectors, services
    from jalin.reports.models import JobStatus

    user = User.objects.select_related("government").get(username=username)
    params = {"language": "id"}
    if kind == "periodic":
        params["period"] = period
    else:
        params["query"] = ""
    started_rss = rss_mb()
    with transaction.atomic():
        job = services.report_job_create(actor=user, kind=kind, fmt=fmt, params=params)
        started = time.perf_counter()
        job = services.report_job_run(job_id=job.pk)
        seconds = time.perf_counter() - started
        if kind == "periodic":
            rows = selectors.scope_for_user(user).agreements.count()
        else:
            rows = services.register_queryset_for(user, "").count()
        transaction.set_rollback(True)
    return {
        "status": "ok" if job.status == JobStatus.DONE else "failed",
        "message": job.message,
        "seconds": round(seconds, 2),
        "file_bytes": job.size,
        "rows": rows,
        "startup_rss_mb": started_rss,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", required=True)
    parser.add_argument("--kind", required=True, choices=["periodic", "register"])
    parser.add_argument("--format", required=True)
    parser.add_argument("--period", default="", help="YYYY-S1, YYYY-S2 or YYYY (periodic reports)")
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="jalin-bench-job-")
    os.environ["PRIVATE_MEDIA_ROOT"] = media
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalin.settings")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        result = run(args.user, args.kind, args.format, args.period)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print("JSON " + json.dumps(result), flush=True)
    return 0 if result["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
