"""The installed console script, as a user's shell runs it: a separate process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from eenzaam_cli import __version__

SCRIPT = shutil.which("eenzaam", path=os.path.dirname(sys.executable)) or shutil.which("eenzaam")


def run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the console script `eenzaam` is not installed next to this Python"
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=60, **kwargs)


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"eenzaam {__version__}"


def test_prevalence_from_any_directory(tmp_path):
    result = run("prevalentie", "--leeftijd", "80", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "75-84 jaar,75,84,52.5,10.3,37.2,49.8,gm_2016,2016"


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "eenzaam_cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and __version__ in result.stdout


def test_error_is_one_line_without_traceback():
    result = run("prevalentie", "--leeftijd", "130")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_usage_error_exit_2():
    result = run("prevalentie", "--onbekend")
    assert result.returncode == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_broken_pipe_ends_quietly():
    """`eenzaam factoren -f csv | head -1` must not print a traceback."""
    process = subprocess.Popen([SCRIPT, "factoren", "-f", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr
