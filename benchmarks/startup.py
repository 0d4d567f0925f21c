"""Start-up benchmark: `eenzaam prevalentie --leeftijd 70` against a minimal Typer app.

The baseline is the smallest useful Typer program: six lines that print a Rich
table. Both run as fresh processes, interleaved, after warm-up runs (so the
compiled-reference cache and the OS file cache are warm for both). Reported:
the median wall time of each and their ratio. The target is a ratio of at
most 1.0: the tool may cost no more to start than Typer and Rich themselves.

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


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


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
        for _ in range(args.warmup):
            timed(tool, env)
            timed(baseline, env)
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(timed(tool, env))
            theirs.append(timed(baseline, env))
    ours_ms, base_ms = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
    print(f"eenzaam prevalentie --leeftijd 70: median {ours_ms:.1f} ms over {args.runs} runs")
    print(f"six-line Typer + Rich baseline:    median {base_ms:.1f} ms over {args.runs} runs")
    print(f"ratio: {ours_ms / base_ms:.2f}x (target: at most 1.0x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
