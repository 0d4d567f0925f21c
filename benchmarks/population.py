"""Benchmark: `eenzaam populatie` on all ~12,000 Dutch neighbourhoods × the monitor's six age bands.

Writes a seeded synthetic segment file (72,000 rows: one per neighbourhood and band, with a count; one in
five rows also gives a marital status, so the engine has more than six distinct keys), runs the
installed console script on it as a fresh process a few times, and reports the median wall time and peak
memory (RSS of the child). The counts are synthetic, not CBS figures.

    python benchmarks/population.py [--neighbourhoods 12000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BANDS = ["19-34", "35-49", "50-64", "65-74", "75-84", "85+"]
STATES = ["gehuwd", "ongehuwd", "gescheiden", "verweduwd"]


def write(path: Path, neighbourhoods: int, seed: int = 20161) -> int:
    rng = random.Random(seed)
    rows = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("gebied;leeftijd;burgerlijke_staat;aantal\n")
        for n in range(neighbourhoods):
            area = f"BU{n:08d}"
            for band in BANDS:
                state = rng.choice(STATES) if rng.random() < 0.2 else ""
                out.write(f"{area};{band};{state};{rng.randint(0, 900)}\n")
                rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neighbourhoods", type=int, default=12_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "buurten.csv"
        rows = write(path, args.neighbourhoods)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with tempfile.TemporaryFile() as sink:  # the output, never a device
                done = subprocess.run(["eenzaam", "populatie", str(path), "--format", "csv"], stdout=sink,
                                      stderr=subprocess.PIPE, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode:
                sys.exit(f"eenzaam populatie failed ({done.returncode}): {done.stderr}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{rows:,} segments ({args.neighbourhoods:,} neighbourhoods × {len(BANDS)} bands): "
              f"median {statistics.median(times):.2f} s over {args.runs} runs, peak RSS {peak:.1f} MiB")


if __name__ == "__main__":
    main()
