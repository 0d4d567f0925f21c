"""Benchmark: `eenzaam batch` against the same job in pandas (benchmarks/batch_pandas.py), on one file.

Writes a seeded synthetic respondent file (benchmarks/batch_data.py), runs both as fresh processes, checks
that their result columns agree, and reports each one's wall time, peak RSS (of the child, from
getrusage) and the ratio. Needs pandas for the reference (`pip install pandas`).

    python benchmarks/batch.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batch_data import write  # noqa: E402


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.execvp(command[0], command)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(command)} failed ({os.waitstatus_to_exitcode(status)})")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "respondenten.csv"
        write(args.rows, str(source))
        tool_out, pandas_out = Path(folder) / "eenzaam.csv", Path(folder) / "pandas.csv"
        tool = run(["eenzaam", "batch", str(source), "-o", str(tool_out), "--stil"])
        reference = run([sys.executable, str(HERE / "batch_pandas.py"), str(source), str(pandas_out)])
        with open(tool_out, newline="") as a, open(pandas_out, newline="") as b:
            differing = sum(1 for x, y in zip(csv.reader(a), csv.reader(b)) if x != y)
        size = source.stat().st_size / 2**20
        print(f"{args.rows:,} rows ({size:.0f} MiB); rows that differ between the two outputs: {differing}")
        print(f"eenzaam batch: {tool[0]:.1f} s, peak RSS {tool[1]:.0f} MiB")
        print(f"pandas:        {reference[0]:.1f} s, peak RSS {reference[1]:.0f} MiB")
        print(f"ratio (eenzaam / pandas): {tool[0] / reference[0]:.2f}x wall")


if __name__ == "__main__":
    main()
