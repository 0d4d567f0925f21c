"""The checked-in CLI reference (docs/cli.md) matches the real `--help` output."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "cli_reference.py"


def test_cli_reference_is_current(monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(SCRIPT), "--check"])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(SCRIPT), run_name="__main__")
    assert done.value.code == 0, "docs/cli.md is stale: run `python scripts/cli_reference.py`"
