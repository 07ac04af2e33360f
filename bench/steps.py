"""The timed steps that are not pages: the nightly dashboard refresh, register exports, periodic
reports, the register import.

Each step runs in a child process of its own (DEBUG off, the benchmark database): its time is
the process's wall time and its peak memory the process's own peak RSS (VmHWM, written by
bench/peak.py, which runs the script). A step that fails or outlives its timeout is recorded
as such; the benchmark goes on.
"""

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH = Path(__file__).resolve().parent
WORK = BENCH / "results" / "tmp"  # git-ignored

NATIONAL_SUPERVISOR = "bench.supervisor.00"
PROVINCE_SUPERVISOR = "bench.supervisor.18"
REGENCY_ADMIN = "bench.admin.1809"
REGENCY = "18.09"


@dataclass
class Step:
    name: str
    argv: list[str]
    kind: str  # "job" (bench/job.py prints JSON), "import" (manage.py import_register), "count" (rows: first number printed)
    env: dict = field(default_factory=dict)
    notes: str = ""
    output: Path | None = None  # the file whose size is reported (the import's register)


def last_semester(today: datetime.date | None = None) -> str:
    """The last complete half year, as the report form names it (2026-S1)."""
    today = today or datetime.date.today()
    return f"{today.year}-S1" if today.month > 6 else f"{today.year - 1}-S2"


def stale_day() -> datetime.date:
    """A day for which every stored dashboard summary is stale: after tomorrow and after the
    latest day stored (a summary is fresh only for its own day and revision)."""
    from django.db.models import Max

    from jalin.monitoring.models import DashboardSummary

    latest = DashboardSummary.objects.aggregate(latest=Max("day"))["latest"]
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    return max(tomorrow, latest + datetime.timedelta(days=1)) if latest else tomorrow


def job(name: str, username: str, kind: str, fmt: str, period: str = "") -> Step:
    argv = [str(BENCH / "job.py"), "--user", username, "--kind", kind, "--format", fmt]
    if period:
        argv += ["--period", period]
    return Step(name, argv, "job")


def plan(*, import_rows: int, period: str) -> tuple[list[Step], Path]:
    """The steps, and the register file the import step reads (made before it runs)."""
    register = WORK / f"register-{REGENCY}-{import_rows}.xlsx"
    steps = [
        Step(
            "dashboard summaries, nightly refresh (every government with agreements)",
            [str(ROOT / "manage.py"), "refresh_dashboard_summaries", "--today", stale_day().isoformat()],
            "count",
            notes="run for a day no summary has yet, so that every one is recomputed (the pages' refresh brings "
            "them back to today)",
        ),
        job("export CSV, every agreement (national supervisor)", NATIONAL_SUPERVISOR, "register", "csv"),
        job("export XLSX, every agreement (national supervisor)", NATIONAL_SUPERVISOR, "register", "xlsx"),
        job(f"periodic report PDF {period} (national supervisor)", NATIONAL_SUPERVISOR, "periodic", "pdf", period),
        job(f"periodic report XLSX {period} (national supervisor)", NATIONAL_SUPERVISOR, "periodic", "xlsx", period),
        job(f"periodic report PDF {period} (Pesawaran admin)", REGENCY_ADMIN, "periodic", "pdf", period),
        Step(
            f"import {import_rows:,}-row register, dry run ({REGENCY})",
            [
                str(ROOT / "manage.py"),
                "import_register",
                str(register),
                "--government",
                REGENCY,
                "--user",
                REGENCY_ADMIN,
                "--dry-run",
            ],
            "import",
            # The production limit is 5,000 rows a file; the benchmark's register is larger.
            env={"IMPORT_MAX_ROWS": str(import_rows + 1000)},
            notes=f"dry run: every row written, then rolled back; IMPORT_MAX_ROWS raised to {import_rows + 1000}",
            output=register,
        ),
    ]
    return steps, register


def run_child(script: list[str], env: dict, timeout: float, log_name: str) -> dict:
    """Run a Python script (through bench/peak.py); its wall seconds, peak RSS, exit code and
    where its output went. A child that outlives the timeout is killed with its process group."""
    WORK.mkdir(parents=True, exist_ok=True)
    stdout_path = WORK / f"{log_name}.out"
    stderr_path = WORK / f"{log_name}.err"
    peak_path = WORK / f"{log_name}.peak"
    peak_path.unlink(missing_ok=True)
    argv = [PYTHON, str(BENCH / "peak.py"), *script]
    with stdout_path.open("w") as stdout, stderr_path.open("w") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv,
            env={**env, "BENCH_PEAK_FILE": str(peak_path)},
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        timed_out = process.returncode == -signal.SIGKILL  # not when it ended on its own meanwhile
        seconds = time.perf_counter() - started
    peak = int(peak_path.read_text()) if peak_path.exists() else None
    return {
        "returncode": process.returncode,
        "timed_out": timed_out,
        "wall_seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 1024, 1) if peak else None,
        "stdout": stdout_path,
        "stderr": stderr_path,
    }


def _tail(path: Path, lines: int = 3) -> str:
    text = path.read_text(errors="replace").strip().splitlines()
    return " | ".join(line.strip() for line in text[-lines:])[-400:]


IMPORT_SUMMARY = re.compile(r"(\d+) to create, (\d+) to update, (\d+) unchanged, (\d+) skipped")


def run_step(step: Step, env: dict, timeout: float, index: int) -> dict:
    child = run_child(step.argv, {**env, **step.env}, timeout, f"step-{index}")
    entry = {
        "command": " ".join(Path(part).name if part.startswith("/") else part for part in step.argv),
        "seconds": child["wall_seconds"],
        "peak_rss_mb": child["peak_rss_mb"],
        "returncode": child["returncode"],
        "notes": step.notes,
    }
    stdout = child["stdout"].read_text(errors="replace")
    if step.kind == "job":
        match = re.search(r"^JSON (\{.*\})$", stdout, re.M)
        if match:
            report = json.loads(match.group(1))
            entry.update(
                rows=report["rows"],
                job_seconds=report["seconds"],
                file_bytes=report["file_bytes"],
                startup_rss_mb=report["startup_rss_mb"],
            )
            if report.get("message"):
                entry["message"] = report["message"][:400]
    elif step.kind == "count":
        number = re.search(r"\d[\d,.]*", stdout)
        if number:
            entry["rows"] = int(re.sub(r"\D", "", number.group(0)))
    else:
        summary = IMPORT_SUMMARY.search(stdout) or IMPORT_SUMMARY.search(child["stderr"].read_text(errors="replace"))
        if summary:
            create, update, unchanged, skipped = (int(value) for value in summary.groups())
            entry.update(rows=create + update + unchanged, create=create, update=update, unchanged=unchanged)
            entry["skipped"] = skipped
        problems = re.search(r"(\d+) problem\(s\)", child["stderr"].read_text(errors="replace"))
        entry["problems"] = int(problems.group(1)) if problems else 0
        if step.output and step.output.exists():
            entry["file_bytes"] = step.output.stat().st_size
    if child["timed_out"]:
        entry["result"] = f"timeout after {timeout:.0f} s"
    elif child["returncode"]:
        entry["result"] = f"failed (exit {child['returncode']})"
        entry["message"] = entry.get("message") or _tail(child["stderr"])
    else:
        entry["result"] = "ok"
    return entry


def refresh_summaries(env: dict, timeout: float) -> dict:
    """Bring the dashboard summaries up to date for today, as the nightly task leaves them: the
    pages are measured in that steady state (a stale summary is recomputed in the request)."""
    child = run_child([str(ROOT / "manage.py"), "refresh_dashboard_summaries"], env, timeout, "refresh")
    number = re.search(r"\d[\d,.]*", child["stdout"].read_text(errors="replace"))
    return {
        "recomputed": int(re.sub(r"\D", "", number.group(0))) if number else None,
        "seconds": child["wall_seconds"],
        "result": "ok" if not child["returncode"] else _tail(child["stderr"]),
    }


def run_all(env: dict, *, import_rows: int, timeout: float, seed: int) -> dict:
    period = last_semester()
    steps, register = plan(import_rows=import_rows, period=period)
    results: dict[str, dict] = {}
    # The register to import, made from the government's agencies, partners and agreements
    # (not timed as a step; its time is kept for the record).
    made = run_child(
        [
            str(BENCH / "make_register.py"),
            "--government",
            REGENCY,
            "--rows",
            str(import_rows),
            "--seed",
            str(seed),
            "--output",
            str(register),
        ],
        env,
        timeout,
        "make-register",
    )
    print(f"-- register for the import: {register.name} made in {made['wall_seconds']} s", flush=True)
    for index, step in enumerate(steps, start=1):
        if step.kind == "import" and made["returncode"]:
            results[step.name] = {"result": "not run: the register could not be made", "message": _tail(made["stderr"])}
            continue
        entry = run_step(step, env, timeout, index)
        results[step.name] = entry
        print(
            f"-- {step.name}: {entry['result']}, {entry['seconds']} s, peak {entry['peak_rss_mb'] or '?'} MB, "
            f"rows {entry.get('rows', '?')}",
            flush=True,
        )
    return {"period": period, "import_register_seconds": made["wall_seconds"], "steps": results}
