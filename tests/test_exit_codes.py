"""The README's exit-code table, row by row, as a user's shell sees it.

Where the behaviour depends on real file descriptors (pipes, /dev/full, signals) the installed `eenzaam`
script runs as a separate process; the internal error and the interrupt are forced in-process.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eenzaam_cli.core.errors import ExitCode

SCRIPT = shutil.which("eenzaam", path=os.path.dirname(sys.executable)) or shutil.which("eenzaam")
README = Path(__file__).resolve().parents[1] / "README.md"
ELEVEN = ",".join(f"djg_{i}" for i in range(1, 12))
posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes, signals and /dev/full")


def run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the console script `eenzaam` is not installed next to this Python"
    kwargs.setdefault("capture_output", True)
    return subprocess.run([SCRIPT, *args], text=True, timeout=60, **kwargs)


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.startswith("eenzaam: "), stderr
    assert "Traceback" not in stderr and "╭" not in stderr
    return stderr[len("eenzaam: "):].rstrip("\n")


def test_the_table_lists_exactly_these_codes():
    """Every row of the README's table has a test below, and every code the tool uses is in the table."""
    section = README.read_text(encoding="utf-8").split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)}
    used = {value for name, value in vars(ExitCode).items() if name.isupper()}
    assert documented == used == {0, 1, 2, 3, 4, 130}


# --- 0 -------------------------------------------------------------------------------------------------


def test_0_success():
    result = run("prevalentie", "--leeftijd", "80")
    assert result.returncode == 0 and "75-84 jaar" in result.stdout and result.stderr == ""


@posix
@pytest.mark.parametrize("args", [
    ["prevalentie"], ["prevalentie", "-f", "json"], ["prevalentie", "-f", "csv"], ["prevalentie", "-f", "markdown"],
    ["factoren"], ["--help"], ["prevalentie", "--help"], ["--version"],
], ids=" ".join)
def test_0_when_the_reader_has_gone(args):
    """`… | head` where head has already quit: every write fails with EPIPE, also the flush at exit."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(*args, stdout=write_end, capture_output=False, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


@posix
def test_0_when_the_pipe_breaks_halfway(tmp_path):
    """`eenzaam djg --invoer big.csv | head -1`: the pipe breaks while rows are still being written."""
    big = tmp_path / "groot.csv"
    row = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee\n"
    big.write_text(ELEVEN + "\n" + row * 20_000)
    process = subprocess.Popen([SCRIPT, "djg", "--invoer", str(big), "-f", "csv", "--stil"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().startswith(b"djg_1,")
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (0, b"")


# --- 1 -------------------------------------------------------------------------------------------------


def test_1_internal_error_is_one_line(cli, monkeypatch):
    import eenzaam_cli.core.prevalence as prevalence

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(prevalence, "prevalence", broken)
    result = cli("prevalentie")
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    assert one_line(result.stderr) == ("interne fout (RuntimeError: kapot); draai opnieuw met --debug voor de "
                                       "details")
    english = cli("prevalentie", "--taal", "en")
    assert one_line(english.stderr).startswith("internal error (RuntimeError: kapot); run again with --debug")
    with pytest.raises(RuntimeError, match="kapot"):  # --debug lets the traceback through
        cli("--debug", "prevalentie")


# --- 2 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["prevalentie", "--leeftijd", "130"],  # the tool's own check
    ["prevalentie", "--format", "xml"],  # Click's, through typer
    ["prevalentie", "--onbekend"],
], ids=" ".join)
def test_2_bad_option_or_input(args):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    one_line(result.stderr)


def test_2_bad_input_file(tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text("leeftijd: 80\nopleiding: heel_hoog\n")
    result = run("profiel", "--invoer", str(person))
    assert result.returncode == 2 and "opleiding: 'heel_hoog' is onbekend" in one_line(result.stderr)


# --- 3 -------------------------------------------------------------------------------------------------


def test_3_invalid_reference_data(tmp_path):
    own = tmp_path / "monitor_eigen.csv"
    own.write_text("groep;leeftijd_van;leeftijd_tot;eenzaam;bron;jaar\n19+;19;;4x,1;gm_2016;2020\n")
    result = run("prevalentie", "--data", str(own))
    assert result.returncode == 3 and result.stdout == ""
    assert one_line(result.stderr) == f"{own}:2: eenzaam: '4x,1' is geen getal"


# --- 4 -------------------------------------------------------------------------------------------------

full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@posix
@full
@pytest.mark.parametrize("args", [
    ["--version"], ["--help"], ["prevalentie"], ["prevalentie", "-f", "csv"], ["factoren", "-f", "json"],
], ids=" ".join)
def test_4_full_disk(args):
    with open("/dev/full", "w") as device:
        result = run(*args, stdout=device, capture_output=False, stderr=subprocess.PIPE)
    assert result.returncode == ExitCode.OUTPUT == 4
    assert one_line(result.stderr) == "kan niet schrijven naar standaarduitvoer: de schijf is vol"


@posix
@full
def test_4_full_disk_while_streaming_in_english(tmp_path):
    big = tmp_path / "groot.csv"
    big.write_text(ELEVEN + "\n" + "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee\n" * 5_000)
    with open("/dev/full", "w") as device:
        result = run("djg", "--invoer", str(big), "--taal", "en", "--stil", stdout=device, capture_output=False,
                     stderr=subprocess.PIPE)
    assert result.returncode == 4
    assert one_line(result.stderr) == "cannot write to standard output: no space left on device"


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _fill_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file the run writes is on a full disk: created, but every write fails."""
    import io

    real_open = io.open

    class Full:
        def __init__(self, handle: int, *args: object, **kwargs: object):
            self.file = real_open(handle, *args, **kwargs)

        write = _disk_full

        def close(self) -> None:
            self.file.close()

    def full_disk(file: object, *args: object, **kwargs: object) -> object:  # an output file opens a mkstemp handle
        return Full(file, *args, **kwargs) if isinstance(file, int) else real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", full_disk)


def test_4_full_disk_for_a_named_file(cli, monkeypatch, tmp_path):
    """A file the run writes (-o, --fouten, --rapport) that fills the disk: exit 4 naming it, nothing left behind."""
    respondents = tmp_path / "r.csv"
    respondents.write_text(ELEVEN + "\n" + "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee\n" * 10)
    out = tmp_path / "uit"
    out.mkdir()
    _fill_disk(monkeypatch)
    for option, name in (("-o", "uit.csv"), ("--fouten", "fouten.csv"), ("--rapport", "r.md")):
        target = out / name
        result = cli("batch", str(respondents), option, str(target), "--stil")
        assert result.exit_code == ExitCode.OUTPUT == 4, result.stderr
        assert result.stderr.strip().splitlines()[-1] == f"eenzaam: kan niet schrijven naar {target}: de schijf is vol"
        assert list(out.iterdir()) == []


def test_4_full_disk_for_an_exported_picture(cli, monkeypatch, tmp_path):
    _fill_disk(monkeypatch)
    target = tmp_path / "p.svg"
    result = cli("prevalentie", "--svg", str(target), "--taal", "en")
    assert result.exit_code == 4
    assert result.stderr.strip() == f"eenzaam: cannot write to {target}: no space left on device"
    assert list(tmp_path.iterdir()) == []


# --- 130 -----------------------------------------------------------------------------------------------


def test_130_interrupted_in_process(cli, monkeypatch):
    import eenzaam_cli.core.prevalence as prevalence

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(prevalence, "prevalence", interrupted)
    result = cli("prevalentie")
    assert result.exit_code == 130 and result.stderr == ""


@posix
def test_130_ctrl_c_while_waiting_for_input():
    """Ctrl-C while the tool waits for respondents on standard input."""
    process = subprocess.Popen([SCRIPT, "djg", "--invoer", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(ELEVEN.encode() + b"\n")
    process.stdin.flush()
    _wait_until_reading(process.pid)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and b"Traceback" not in stderr


def _wait_until_reading(pid: int) -> None:
    """Until the process blocks reading its pipe (Linux shows that in /proc); elsewhere a generous pause."""
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + 30
    while wchan.exists() and time.monotonic() < deadline:
        if "pipe" in wchan.read_text():
            time.sleep(0.1)
            return
        time.sleep(0.05)
    time.sleep(2)
