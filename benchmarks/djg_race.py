"""Benchmark: `eenzaam djg --invoer FILE --format csv` against the same job in vectorised pandas, in one run.

Writes benchmarks/djg_stream.py's seeded synthetic respondent file and runs, as fresh processes, the tool and
each anchor (djg_pandas.py says what the job is and how it is done):

- pandas (pyarrow's reader, numpy scoring) with pyarrow's CSV writer;
- the same with `to_csv`.

Runs are paired and alternate: each round runs every contender once, in an order that rotates from round to round.
Every output is compared byte for byte with the tool's; a contender whose output differs gets no time. Reported:
the median wall time (with the range), the median peak RSS of the process (getrusage of the child) and the median
of the per-round ratios eenzaam ÷ other; the load average before and after. Outputs go to temporary files.

    python benchmarks/djg_race.py [--rows 1000000] [--rondes 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batch import load, paired, run  # noqa: E402
from djg_stream import write_file  # noqa: E402

TOOL = "eenzaam djg --invoer"


def tool_command() -> list[str]:
    tool = shutil.which("eenzaam")
    return [tool] if tool else [sys.executable, "-m", "eenzaam_cli"]


def contenders(source: Path, folder: Path) -> dict[str, tuple[list[str], Path]]:
    """name -> (command, the file it writes)."""
    out = folder / "eenzaam.csv"
    # the tool writes to standard output: through a shell, into a temporary file (never a device)
    every = {TOOL: (["sh", "-c", f'exec "$0" "$@" > "{out}"', *tool_command(), "djg", "--invoer", str(source),
                     "--format", "csv", "--stil"], out)}
    if all(importlib.util.find_spec(name) for name in ("pandas", "pyarrow")):
        for name, writer in (("pandas + pyarrow writer", "pyarrow"), ("pandas to_csv", "to_csv")):
            target = folder / f"pandas_{writer}.csv"
            every[name] = ([sys.executable, str(HERE / "djg_pandas.py"), str(source), str(target), "--writer", writer],
                           target)
    else:
        print("skipped, not installed: the pandas anchors (need pandas and pyarrow)")
    return every


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rondes", type=int, default=3, help="rounds of paired runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "respondenten.csv"
        write_file(source, args.rows)
        commands = contenders(source, folder)
        run([*tool_command(), "djg", "ja,ja,ja,ja,ja,ja"])  # warm the reference cache before any time counts
        print(f"{args.rows:,} rows ({source.stat().st_size / 2**20:.0f} MiB), {args.rondes} rounds, "
              f"{os.cpu_count()} cores; {load()}")
        paired({name: command for name, (command, _) in commands.items()},
               {name: output for name, (_, output) in commands.items()}, TOOL, args.rondes)


if __name__ == "__main__":
    main()
