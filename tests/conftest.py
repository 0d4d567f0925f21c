"""Shared fixtures: an isolated cache, the CLI runner, and editable copies of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eenzaam_cli.cli.app import app, load_commands

load_commands()
from eenzaam_cli.core.reference.loading import bundled_data_dir


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's cache, but do exercise the cache itself."""
    monkeypatch.setenv("EENZAAM_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("COLUMNS", "200")  # wide tables, so assertions see whole cells
    for name in ("EENZAAM_DATA", "EENZAAM_FORMAT", "EENZAAM_TAAL", "EENZAAM_DEBUG"):
        monkeypatch.delenv(name, raising=False)


class Cli:
    """Run `eenzaam …` in-process and return the result (stdout/stderr split)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):  # noqa: A002 - CliRunner's name
        return self.runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def data_copy(tmp_path: Path):
    """A writable copy of the bundled data; edit(name, old, new) changes one file."""
    return editable_copy(bundled_data_dir(), tmp_path / "data")


def editable_copy(source: Path, target: Path):
    """Copy the data folder `source` to `target`; the returned edit(name, old, new) changes one file."""
    shutil.copytree(source, target)

    def edit(name: str, old: str, new: str, count: int = 1) -> Path:
        path = target / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return path

    edit.dir = target  # type: ignore[attr-defined]
    return edit
