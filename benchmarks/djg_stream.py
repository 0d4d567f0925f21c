"""Memory and speed of `eenzaam djg --invoer FILE`: does scoring stream with flat memory?

Writes synthetic respondent files (random answers, a few missing; no real data)
of increasing size, scores each in a fresh process with `--format csv` into a
temporary file, and reports the peak resident memory (the child's own ru_maxrss)
and the time. Streaming means the peak stays the same as the file grows tenfold.
The race against vectorised pandas on the same file is benchmarks/djg_race.py.

    python benchmarks/djg_stream.py [--rows 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANSWERS = ["ja", "min of meer", "nee", "ja!", "nee!"]


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    with path.open("w", encoding="utf-8") as out:
        out.write("respondent;gemeente;" + ";".join(f"djg_{i}" for i in range(1, 12)) + "\n")
        for number in range(rows):
            answers = [rng.choice(ANSWERS) if rng.random() > 0.02 else "" for _ in range(11)]
            out.write(f"{number};GM{rng.randrange(400):04d};" + ";".join(answers) + "\n")


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak resident memory in MiB) of one run."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as sink:  # the output, never a device
        process = subprocess.Popen(command, stdout=sink, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    executable = shutil.which("eenzaam")
    tool = [executable] if executable else [sys.executable, "-m", "eenzaam_cli"]
    with tempfile.TemporaryDirectory() as scratch:
        env = os.environ | {"EENZAAM_CACHE_DIR": str(Path(scratch) / "cache")}
        run([*tool, "djg", "ja,ja,ja,ja,ja,ja"], env)  # compile the reference cache first
        print(f"{'rows':>10} {'file (MiB)':>11} {'time (s)':>9} {'rows/s':>9} {'peak RSS (MiB)':>15}")
        for rows in args.rows:
            path = Path(scratch) / f"respondenten_{rows}.csv"
            write_file(path, rows)
            seconds, peak = run([*tool, "djg", "--invoer", str(path), "--format", "csv"], env)
            size = path.stat().st_size / 2**20
            print(f"{rows:>10} {size:>11.1f} {seconds:>9.2f} {rows / seconds:>9.0f} {peak:>15.1f}")
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
