"""The library: usable from Python, and free of the CLI's dependencies."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import eenzaam_cli
from eenzaam_cli.core.errors import InputError


def test_prevalence_from_python():
    reference = eenzaam_cli.load_reference()
    band = eenzaam_cli.prevalence(reference, age=80).bands[0]
    assert band.label == "75-84 jaar" and band.values["eenzaam"] == Decimal("52.5")


def test_out_of_range_age_is_an_input_error():
    with pytest.raises(InputError, match="valt buiten de monitor"):
        eenzaam_cli.prevalence(eenzaam_cli.load_reference(), age=12)


def test_core_imports_neither_typer_nor_rich_nor_pydantic_at_run_time():
    code = (
        "import sys, eenzaam_cli; from eenzaam_cli.core import prevalence, loading;"
        "r = loading.load_reference(); prevalence.prevalence(r, 70);"
        "print(sorted(m for m in ('typer', 'rich', 'pydantic', 'yaml') if m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # warm the cache
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_cache_is_rebuilt_when_a_file_changes(data_copy):
    first = eenzaam_cli.load_reference([data_copy.dir])
    data_copy("monitor_2016.csv", "52.5,", "52.6,")
    second = eenzaam_cli.load_reference([data_copy.dir])
    assert first.monitor.bands[4].values["eenzaam"] == Decimal("52.5")
    assert second.monitor.bands[4].values["eenzaam"] == Decimal("52.6")


def test_a_cached_reference_equals_a_freshly_compiled_one():
    from eenzaam_cli.core.loading import load_reference
    from eenzaam_cli.core.model import CachedReference

    fresh = load_reference(use_cache=False)
    load_reference()  # make sure the cache is written
    cached = load_reference()
    assert isinstance(cached, CachedReference)
    for part in fresh._fields:
        assert getattr(cached, part) == getattr(fresh, part), part
