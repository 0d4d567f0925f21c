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
        "import sys, eenzaam_cli; from eenzaam_cli.core import prevalence; from eenzaam_cli.core.reference import loading;"
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
    from eenzaam_cli.core.reference.loading import load_reference
    from eenzaam_cli.core.reference.model import CachedReference

    fresh = load_reference(use_cache=False)
    load_reference()  # make sure the cache is written
    cached = load_reference()
    assert isinstance(cached, CachedReference)
    for part in fresh._fields:
        assert getattr(cached, part) == getattr(fresh, part), part


# --- item 1: one contract ---


def _imports(path, package: str) -> list[str]:
    """Every module a file imports, relative imports resolved from `package` (a name like 'eenzaam_cli.core')."""
    import ast

    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[:len(parts) - node.level + 1] if node.level else [])
            module = ".".join(part for part in (base, node.module or "") if part)
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]  # `from .. import cli`
    return names


def test_the_api_and_the_core_import_nothing_of_the_command_line_typer_or_rich():
    from pathlib import Path

    root = Path(eenzaam_cli.__file__).parent
    files = {root / "api.py": "eenzaam_cli", root / "notebook.py": "eenzaam_cli"}
    for path in (root / "core").rglob("*.py"):
        files[path] = ".".join(("eenzaam_cli", *path.parent.relative_to(root).parts))
    assert len(files) > 15
    for path, package in files.items():
        for name in _imports(path, package):
            top = name.split(".")[0]
            assert top not in ("typer", "rich", "click"), f"{path.relative_to(root)} imports {name}"
            assert not (name == "eenzaam_cli.cli" or name.startswith("eenzaam_cli.cli.")), \
                f"{path.relative_to(root)} imports {name}"


def test_a_notebook_table_escapes_text_and_writes_numbers_in_the_language():
    from eenzaam_cli.notebook import records_table

    rows = [{"groep": "<b>75-84</b>", "eenzaam": Decimal("52.5"), "leeg": None, "ja": True},
            {"groep": "85+", "eenzaam": 60, "leeg": None, "ja": False}]
    html = records_table("a & b", ["groep", "eenzaam", "leeg", "ja"], rows, "nl")
    assert html.startswith("<h4>a &amp; b</h4><table>")
    assert "<td style=\"text-align:left\">&lt;b&gt;75-84&lt;/b&gt;</td>" in html
    assert "<td style=\"text-align:right\">52,5</td>" in html and "<td style=\"text-align:right\">60</td>" in html
    assert "<td style=\"text-align:left\">–</td>" in html  # a column of blanks only is no number
    assert "<td style=\"text-align:left\">nee</td>" in html
    assert "52.5" in records_table("", ["eenzaam"], rows, "en")


def test_the_json_the_api_and_the_command_share_comes_from_the_core(cli):
    import json

    from eenzaam_cli.core.contract import prevalence_rows
    from eenzaam_cli.core.prevalence import prevalence

    rows = prevalence_rows(prevalence(eenzaam_cli.load_reference(), 80, "eenzaam"))
    assert rows == [{"groep": "75-84 jaar", "leeftijd_van": 75, "leeftijd_tot": 84, "eenzaam": Decimal("52.5"),
                     "bron": "gm_2016", "jaar": 2016}]
    result = cli("prevalentie", "-l", "80", "--maat", "eenzaam", "-f", "json")
    assert json.loads(result.stdout) == [{"groep": "75-84 jaar", "leeftijd_van": 75, "leeftijd_tot": 84,
                                          "eenzaam": 52.5, "bron": "gm_2016", "jaar": 2016}]
