"""Two versions of eenzaam, side by side: start-up, the batch benchmark's file and the population benchmark's file.

For a refactoring that must not cost speed: install the version before in one virtual environment and the
version after in another, then give both `eenzaam` scripts. Every job runs for both, alternately, in the same
session on the same files (start-up warmed up first), so machine load hits both alike. Reported per job and
version: the best wall time and the best CPU time (user + system, of the child alone) over the runs, the peak
RSS, and after / before. A ratio of at most 1.05 is "within 5%".

    python benchmarks/versions.py BEFORE/bin/eenzaam AFTER/bin/eenzaam [--rows 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import batch_data  # noqa: E402
import population  # noqa: E402


def timed(command: list[str], output: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one run of `command`, its standard output to `output`."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(descriptor, 1)
        os.execv(command[0], command)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(command)} failed ({os.waitstatus_to_exitcode(status)})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the eenzaam script of the version before")
    parser.add_argument("after", help="the eenzaam script of the version after")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the batch file")
    parser.add_argument("--neighbourhoods", type=int, default=12_000, help="neighbourhoods of the population file")
    parser.add_argument("--runs", type=int, default=3, help="runs of each job per version")
    parser.add_argument("--startup-runs", type=int, default=30, help="runs of the start-up job per version")
    args = parser.parse_args()
    versions = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    with tempfile.TemporaryDirectory() as folder:
        respondents, segments, output = (os.path.join(folder, name) for name in ("batch.csv", "buurten.csv", "uit"))
        batch_data.write(args.rows, respondents)
        population.write(Path(segments), args.neighbourhoods)
        jobs = {
            "start-up (prevalentie --leeftijd 70)": (["prevalentie", "--leeftijd", "70"], args.startup_runs),
            f"batch ({args.rows:,} rows)": (["batch", respondents], args.runs),
            f"populatie ({args.neighbourhoods * len(population.BANDS):,} segments)":
                (["populatie", segments, "--format", "csv"], args.runs),
        }
        for name, (arguments, runs) in jobs.items():
            for script in versions.values():  # warm the reference cache and the file cache for both
                timed([script, *arguments], output)
            results: dict[str, list[tuple[float, float, float]]] = {version: [] for version in versions}
            for _ in range(runs):
                for version, script in versions.items():
                    results[version].append(timed([script, *arguments], output))
            best = {version: (min(r[0] for r in runs_), min(r[1] for r in runs_), max(r[2] for r in runs_))
                    for version, runs_ in results.items()}
            (wall0, cpu0, rss0), (wall1, cpu1, rss1) = best["before"], best["after"]
            print(f"{name}, best of {runs}:")
            print(f"  before  wall {wall0:8.3f} s  cpu {cpu0:8.3f} s  peak {rss0:6.1f} MiB")
            print(f"  after   wall {wall1:8.3f} s  cpu {cpu1:8.3f} s  peak {rss1:6.1f} MiB")
            print(f"  after / before: wall {wall1 / wall0:.3f}, cpu {cpu1 / cpu0:.3f}, peak {rss1 / rss0:.3f}")


if __name__ == "__main__":
    main()
