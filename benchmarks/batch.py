"""Benchmark: `eenzaam batch` against the same job in pandas, DuckDB and Polars, on one file, in one run.

Writes a seeded synthetic respondent file (benchmarks/batch_data.py) and runs, as fresh processes, `eenzaam batch`
(with pyarrow, the extra `snel`, where it is installed), the same as the plain install runs it (benchmarks/plain.py:
without pyarrow) and each anchor (batch_job.py says what the job is):

- pandas with `to_csv` (batch_pandas.py, the reference), and with pyarrow's writer (`--writer pyarrow`);
- DuckDB SQL (batch_duckdb.py);
- Polars (batch_polars.py).

Runs are paired and alternate: each round runs every contender once, in an order that rotates from round to
round, so that a change in the machine's load falls on all of them. Every output is compared byte for byte with
the tool's; a contender whose output differs gets no time. Reported: the median wall time (with the range), the
median peak RSS of the process (getrusage of the child), and the median of the per-round ratios eenzaam ÷ other;
the load average before and after. An anchor whose library is not installed is skipped, said in one line.

`--sleutels` runs the tool alone on the standard file, on one with about 100,000 distinct keys
(`batch_data.py --veel-sleutels`, five more person columns) and on the standard rows with those five columns at
one value each (`--vaste-extra`: as wide, as few keys), and on one whose figure-moving columns take every level in
spelling variants (`--veel-profielen`: about 162,000 distinct profiles and 998,000 texts as written in a million
rows), in rotating order, and reports the time per row (wall and CPU), the peak RSS of each and the ratios of the
100,000-key and the many-profile file to the other two; with `--kaal` the tool as the plain install runs it
(benchmarks/plain.py).

    python benchmarks/batch.py [--rows 1000000] [--rondes 3] [--sleutels [--kaal]]
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from batch_data import write  # noqa: E402


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds of one child process; its output goes to a file, never a device."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as sink:
        pid = os.fork()
        if pid == 0:
            os.dup2(sink.fileno(), 1)
            os.dup2(sink.fileno(), 2)
            os.execvp(command[0], command)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            sink.seek(0)
            sys.exit(f"{' '.join(command)} failed ({os.waitstatus_to_exitcode(status)}): {sink.read()[-500:]!r}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def contenders(source: Path, folder: Path) -> tuple[dict[str, list[str]], list[str]]:
    """name -> command (writing folder/<name>.csv), and the names skipped for a library that is not installed."""
    tool = shutil.which("eenzaam")
    tool_command = [tool] if tool else [sys.executable, "-m", "eenzaam_cli"]
    found = {name: importlib.util.find_spec(name) is not None for name in ("pandas", "pyarrow", "duckdb", "polars")}
    python = sys.executable
    every = {
        "eenzaam batch": ([*tool_command, "batch", str(source), "-o", str(folder / "eenzaam.csv"), "--stil"], []),
        "eenzaam, plain install": ([python, str(HERE / "plain.py"), "batch", str(source), "-o",
                                    str(folder / "eenzaam_plain.csv"), "--stil"], []),
        "pandas to_csv": ([python, str(HERE / "batch_pandas.py"), str(source), str(folder / "pandas.csv")], ["pandas"]),
        "pandas + pyarrow writer": ([python, str(HERE / "batch_pandas.py"), str(source), str(folder / "pandas_pyarrow.csv"),
                                     "--writer", "pyarrow"], ["pandas", "pyarrow"]),
        "DuckDB": ([python, str(HERE / "batch_duckdb.py"), str(source), str(folder / "duckdb.csv")], ["duckdb", "pyarrow"]),
        "Polars": ([python, str(HERE / "batch_polars.py"), str(source), str(folder / "polars.csv")], ["polars"]),
    }
    chosen = {name: command for name, (command, needs) in every.items() if all(found[n] for n in needs)}
    skipped = [f"{name} (needs {', '.join(n for n in needs if not found[n])})"
               for name, (command, needs) in every.items() if name not in chosen]
    return chosen, skipped


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def paired(commands: dict[str, list[str]], outputs: dict[str, Path], tool: str, rounds: int) -> None:
    """Run every command once per round, in an order that rotates, and print each one's median wall time, range,
    peak memory and the median ratio of the tool's time to its own: only for a command whose output (`outputs`)
    is byte-identical to the tool's, checked in every round before its time counts."""
    names = list(commands)
    times: dict[str, list[float]] = {name: [] for name in names}
    peaks: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names}
    differs: dict[str, str] = {}
    for index in range(rounds):
        order = names[index % len(names):] + names[:index % len(names)]
        this = {name: run(commands[name]) for name in order if name not in differs}
        for name in this:  # every output against the tool's, before any time counts
            if name != tool and not filecmp.cmp(outputs[name], outputs[tool], shallow=False):
                differs[name] = "output differs from eenzaam's"
        for name, (wall, peak, _) in this.items():
            if name not in differs:
                times[name].append(wall)
                peaks[name].append(peak)
                ratios[name].append(this[tool][0] / wall)
    print(f"{'':26}{'wall (median)':>14}{'range':>18}{'peak RSS':>11}{'eenzaam ÷ other':>17}")
    for name in names:
        if name in differs:
            print(f"{name:26}  {differs[name]}: no time reported")
            continue
        ratio = f"{statistics.median(ratios[name]):.2f}x" if name != tool else ""
        print(f"{name:26}{statistics.median(times[name]):12.1f} s{min(times[name]):9.1f}–{max(times[name]):5.1f} s"
              f"{statistics.median(peaks[name]):7.0f} MiB{ratio:>17}")
    same = [name for name in names if name not in differs and name != tool]
    print(f"outputs byte-identical to eenzaam's: {', '.join(same) or 'no other'}; {load()}")


def race(rows: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "respondenten.csv"
        write(rows, str(source))
        commands, skipped = contenders(source, folder)
        outputs = {name: Path(next(a for a in command if a.endswith(".csv") and a != str(source)))
                   for name, command in commands.items()}
        print(f"{rows:,} rows ({source.stat().st_size / 2**20:.0f} MiB), {rounds} rounds, {os.cpu_count()} cores; {load()}")
        if skipped:
            print(f"skipped, not installed: {'; '.join(skipped)}")
        paired(commands, outputs, "eenzaam batch", rounds)


def keys(rows: int, rounds: int, plain: bool = False) -> None:
    """The tool on the standard file, on one with about 100,000 distinct keys, on one as wide with few keys and on one
    with many distinct profiles (with `plain`, as the plain install runs it: without pyarrow)."""
    tool = shutil.which("eenzaam")
    tool_command = [tool] if tool else [sys.executable, "-m", "eenzaam_cli"]
    if plain:
        tool_command = [sys.executable, str(HERE / "plain.py")]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = {"standard": (folder / "standaard.csv", {}), "100,000 keys": (folder / "veel.csv", {"many": True}),
                 "as wide, few keys": (folder / "breed.csv", {"fixed": True}),
                 "many profiles": (folder / "profielen.csv", {"profiles": True})}
        for path, options in files.values():
            write(rows, str(path), **options)
        print(f"{rows:,} rows each, {rounds} rounds; {load()}")
        measured: dict[str, list[tuple[float, float, float]]] = {name: [] for name in files}
        names = list(files)
        for index in range(rounds):
            for name in names[index % len(names):] + names[:index % len(names)]:
                measured[name].append(run([*tool_command, "batch", str(files[name][0]), "-o", str(folder / "uit.csv"),
                                           "--stil"]))
        wall = {name: statistics.median(m[0] for m in runs) for name, runs in measured.items()}
        cpu = {name: statistics.median(m[2] for m in runs) for name, runs in measured.items()}
        for name, runs in measured.items():
            print(f"{name:18}{wall[name] / rows * 1e6:7.2f} µs/row wall ({min(m[0] for m in runs):.1f}–"
                  f"{max(m[0] for m in runs):.1f} s), {cpu[name] / rows * 1e6:6.2f} µs/row CPU, "
                  f"peak RSS {statistics.median(m[1] for m in runs):.0f} MiB")
        for many in ("100,000 keys", "many profiles"):
            for other in ("standard", "as wide, few keys"):
                print(f"{many} ÷ {other}: {wall[many] / wall[other]:.2f}x wall, {cpu[many] / cpu[other]:.2f}x CPU per row")
        print(load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rondes", type=int, default=3, help="rounds of paired runs")
    parser.add_argument("--sleutels", action="store_true", help="the standard file against one with 100,000 keys")
    parser.add_argument("--kaal", action="store_true", help="with --sleutels: the tool as the plain install runs it")
    args = parser.parse_args()
    if args.sleutels:
        keys(args.rows, args.rondes, args.kaal)
    else:
        race(args.rows, args.rondes)


if __name__ == "__main__":
    main()
