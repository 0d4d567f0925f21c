"""Start-up benchmark: `eenzaam prevalentie --leeftijd 70` against a minimal Typer app.

The baseline is the smallest useful Typer program: six lines that print a Rich
table. Both run as fresh processes, interleaved, after warm-up runs (so the
compiled-reference cache and the OS file cache are warm for both). Reported:
the median wall time and the median CPU time (user + system, from the child's
own resource usage, which is less disturbed by other load on the machine) of
each, and their ratios. The target is a ratio of at most 1.0: the tool may
cost no more to start than Typer and Rich themselves.

    python benchmarks/startup.py [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = """\
import typer
from rich.console import Console
from rich.table import Table
def main():
    t = Table("leeftijd", "eenzaam"); t.add_row("65-74 jaar", "43,9"); Console().print(t)
typer.run(main)
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `command`."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as sink:  # the output, never a device
        process = subprocess.Popen(command, stdout=sink, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    executable = shutil.which("eenzaam")
    tool = [executable] if executable else [sys.executable, "-m", "eenzaam_cli"]
    tool += ["prevalentie", "--leeftijd", "70"]
    with tempfile.TemporaryDirectory() as scratch:
        baseline_file = Path(scratch) / "baseline.py"
        baseline_file.write_text(BASELINE)
        baseline = [sys.executable, str(baseline_file)]
        env = os.environ | {"EENZAAM_CACHE_DIR": str(Path(scratch) / "cache"), "COLUMNS": "100"}
        # Warm means compiled bytecode too, as in any install: without it the tool's own modules are
        # compiled from source on every run, while typer's and rich's come with their .pyc files.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for _ in range(args.warmup):
            timed(tool, env)
            timed(baseline, env)
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(timed(tool, env))
            theirs.append(timed(baseline, env))
    print(f"{'':36}{'wall (median)':>15}{'CPU (median)':>15}   ({args.runs} runs each)")
    results = []
    for label, runs in (("eenzaam prevalentie --leeftijd 70", ours), ("six-line Typer + Rich baseline", theirs)):
        wall, cpu = (statistics.median(r[i] for r in runs) * 1000 for i in (0, 1))
        results.append((wall, cpu))
        print(f"{label:36}{wall:12.1f} ms{cpu:12.1f} ms")
    (ours_wall, ours_cpu), (base_wall, base_cpu) = results
    print(f"{'ratio (target: at most 1.0x)':36}{ours_wall / base_wall:13.2f}x{ours_cpu / base_cpu:14.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
