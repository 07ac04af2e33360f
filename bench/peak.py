"""Run a Python script in this process and write its peak memory to a file, for bench/steps.py.

    BENCH_PEAK_FILE=/tmp/peak python bench/peak.py manage.py import_register FILE ...

Why not the rusage of the child (wait4, RUSAGE_CHILDREN, /usr/bin/time)? On Linux a process
started from a large parent (bench/run.py holds Django, ~190 MB) inherits the parent's RSS high
water mark in `ru_maxrss` across fork and exec, so every small step would report the parent's
size. The kernel's VmHWM of the running process counts its own memory only.
"""

import os
import runpy
import sys
from pathlib import Path


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path.insert(0, str(Path(script).resolve().parent))
    code = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else (0 if leaving.code is None else 1)
        if isinstance(leaving.code, str):
            print(leaving.code, file=sys.stderr)
    finally:
        target = os.environ.get("BENCH_PEAK_FILE")
        if target:
            Path(target).write_text(str(peak_kb()))
    return code


if __name__ == "__main__":
    sys.exit(main())
