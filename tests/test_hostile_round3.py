"""Hostile input, round 3: where the tool writes, and what it does with extreme input.

One section per numbered finding of the third hostile-input review (outputs that never destroy,
never alias, never split). Each test failed on the code before its fix. Outputs are tested with FIFOs,
device nodes and symbolic links made inside the test's own temporary folder: never with the real
`/dev/null` or any other device of the machine.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


# --- item 6: two columns for one key ---

def _write_table(path: Path, header: list[str], row: list) -> Path:
    """A one-row table as CSV, or as SPSS through pyreadstat (numbers as numbers, texts as texts)."""
    if path.suffix == ".sav":
        pyreadstat = pytest.importorskip("pyreadstat", reason="the spss extra is not installed")
        pandas = pytest.importorskip("pandas", reason="pyreadstat.write_sav takes a pandas DataFrame")
        pyreadstat.write_sav(pandas.DataFrame([row], columns=header), str(path))
    else:
        path.write_text(",".join(header) + "\n" + ",".join(map(str, row)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".sav"])
@pytest.mark.parametrize("command, first", [("batch", ["id", "1"]), ("populatie", ["aantal", 10.0])])
@pytest.mark.parametrize("columns, values, key", [
    (["Leeftijd", "leeftijd"], [80.0, 30.0], "leeftijd"),  # the case of the column: 80 was profiled, 30 ignored
    (["leeftijd", "Opleiding", "opleiding"], [80.0, "laag", "laag"], "opleiding"),  # the same value twice
    (["leeftijd", "burgerlijke staat", "burgerlijke_staat"], [80.0, "gehuwd", "verweduwd"], "burgerlijke_staat"),
    (["leeftijd", "Migratie", "MIGRATIE"], [80.0, "", ""], "migratie"),  # both empty
])
def test_two_columns_for_one_key_are_refused_at_the_header(cli, tmp_path, suffix, command, first, columns, values, key):
    if suffix == ".sav" and " " in "".join(columns):
        pytest.skip("an SPSS variable name holds no space")
    table = _write_table(tmp_path / f"in{suffix}", [first[0], *columns], [first[1], *values])
    result = cli(command, str(table))
    twice = [c for c in columns if c.lower().replace(" ", "_") == key]
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"eenzaam: {table}:1: de kolommen {twice[0]!r} en {twice[1]!r} zijn allebei {key!r}; " \
                            "houd er één\n"


def test_two_keys_for_one_column_in_segments_and_observed_figures(cli, tmp_path):
    segments = tmp_path / "seg.yaml"
    segments.write_text("- {aantal: 10, leeftijd: 80}\n- {aantal: 10, Leeftijd: 80, leeftijd: 30}\n", encoding="utf-8")
    result = cli("populatie", str(segments))
    assert result.exit_code == 2
    assert result.stderr == f"eenzaam: {segments}:2: de kolommen 'Leeftijd' en 'leeftijd' zijn allebei 'leeftijd'; " \
                            "houd er één\n"
    good = _write_table(tmp_path / "seg.csv", ["aantal", "leeftijd"], [10, 80])
    observed = _write_table(tmp_path / "obs.csv", ["gebied", "Waargenomen", "waargenomen", "respondenten"], ["", 1, 9, 10])
    result = cli("populatie", str(good), "--waargenomen", str(observed))
    assert result.exit_code == 2
    assert result.stderr == f"eenzaam: {observed}:1: de kolommen 'Waargenomen' en 'waargenomen' zijn allebei " \
                            "'waargenomen'; houd er één\n"
    # A column batch only passes through may still come twice in two spellings: it is no key.
    respondents = _write_table(tmp_path / "r.csv", ["id", "ID", "leeftijd"], ["a", "b", 80])
    result = cli("batch", str(respondents), "-f", "jsonl")
    assert result.exit_code == 0 and '"id": "a", "ID": "b"' in result.stdout


def test_every_spelling_of_a_key_twice_is_refused():
    from hypothesis import given, settings, strategies as st

    from eenzaam_cli.core.batch import BatchEngine
    from eenzaam_cli.core.errors import InputError
    from eenzaam_cli.core.loading import load_reference

    reference = load_reference()
    keys = ["leeftijd", "eenzaam", "signalen", *reference.factors]

    @st.composite
    def spelling(draw, key):  # the case of each letter, and each `_` as `_`, a space or a hyphen
        letters = [draw(st.sampled_from([c, c.upper()])) if c != "_" else draw(st.sampled_from(["_", " ", "-"]))
                   for c in key]
        return "".join(letters)

    @settings(max_examples=150, deadline=None)
    @given(st.sampled_from(keys).flatmap(lambda key: st.tuples(st.just(key), spelling(key), spelling(key))))
    def check(case):
        key, one, other = case
        if one == other:
            return  # the very same name twice: the CSV reader refuses that already
        with pytest.raises(InputError) as refused:
            BatchEngine(reference, ["id", one, other], file="b.csv")
        assert str(refused.value) == f"b.csv:1: de kolommen {one!r} en {other!r} zijn allebei {key!r}; houd er één"

    check()


# --- item 7: extreme numbers ---

_COUNT = "een geheel getal van 0 tot en met 10 miljard"


@pytest.mark.parametrize("count, reason", [
    ("1" + "0" * 25, "1" + "0" * 25 + " is meer dan 10 miljard (meer mensen dan er op aarde wonen)"),
    ("10000000001", "10000000001 is meer dan 10 miljard (meer mensen dan er op aarde wonen)"),
    ("1e400", f"'1e400' is geen getal ({_COUNT})"),
    ("9" * 400, f"een getal met meer dan 100 cijfers ({_COUNT})"),
    ("1e15", f"'1e15' is geen getal ({_COUNT})"),  # an exponent is no number, as everywhere
    ("1E3", f"'1E3' is geen getal ({_COUNT})"),
    ("1_000", f"'1_000' is geen getal ({_COUNT})"),
])
def test_a_count_past_the_bound_or_with_an_exponent(cli, tmp_path, count, reason):
    segments = tmp_path / "seg.csv"
    segments.write_text(f"aantal,leeftijd\n{count},80\n", encoding="utf-8")
    result = cli("populatie", str(segments), "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"eenzaam: {segments}:2: aantal: {reason}\n"


def test_the_largest_count_is_profiled_exactly(cli, tmp_path):
    import json

    segments = tmp_path / "seg.csv"
    segments.write_text("aantal,leeftijd\n10000000000,80\n1e3,80\n", encoding="utf-8")
    assert cli("populatie", str(segments)).exit_code == 2  # before: 1e3 was read as 1000
    segments.write_text("aantal,leeftijd\n10000000000,80\n", encoding="utf-8")
    data = json.loads(cli("populatie", str(segments), "-f", "json").stdout)
    assert data["totaal"]["inwoners"] == 10_000_000_000
    assert data["totaal"]["verwacht"]["eenzaam"]["combinatie_onafhankelijk"] == 5_250_000_000  # 52.5% of 75-84


@pytest.mark.parametrize("seen, asked, field, reason", [
    ("9" * 300, "9" * 301, "waargenomen", f"een getal met meer dan 100 cijfers ({_COUNT})"),
    ("5", "1" + "0" * 30, "respondenten", "1" + "0" * 30 + " is meer dan 10 miljard (meer mensen dan er op aarde wonen)"),
    ("5", "1e3", "respondenten", f"'1e3' is geen getal ({_COUNT})"),
])
def test_observed_counts_past_the_bound(cli, tmp_path, seen, asked, field, reason):
    segments = tmp_path / "seg.csv"
    segments.write_text("aantal,leeftijd\n100,80\n", encoding="utf-8")
    observed = tmp_path / "obs.csv"
    observed.write_text(f"gebied,waargenomen,respondenten\n,{seen},{asked}\n", encoding="utf-8")
    result = cli("populatie", str(segments), "--waargenomen", str(observed))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"eenzaam: {observed}:2: {field}: {reason}\n"


def test_a_monitor_year_of_5000_digits_is_a_data_problem(cli, tmp_path):
    from eenzaam_cli.core.loading import bundled_data_dir

    monitor = tmp_path / "monitor_x.csv"
    text = (bundled_data_dir() / "monitor_2016.csv").read_text(encoding="utf-8")
    monitor.write_text(text.replace(",2016,", "," + "9" * 5000 + ","), encoding="utf-8")
    result = cli("prevalentie", "--data", str(monitor))
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines() == [f"eenzaam: {monitor}:{line}: jaar: een getal met meer dan 100 cijfers"
                                          for line in range(2, 8)]


def test_digits_past_any_age_or_count_of_a_person(cli):
    for args, line in [
        (["--leeftijd", "9" * 5000], f"--leeftijd: {'9' * 5000} is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
        (["--leeftijd", "+-5"], "--leeftijd: '+-5' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"),
        (["--factor", "belangrijke_relaties=²"],
         "--factor belangrijke_relaties: '²' is geen aantal (een geheel getal vanaf 0)"),
        (["--factor", "belangrijke_relaties=" + "9" * 5000],
         f"--factor belangrijke_relaties: '{'9' * 5000}' is geen aantal (een geheel getal vanaf 0)"),
    ]:
        result = cli("profiel", *args)
        assert (result.exit_code, result.stderr) == (2, f"eenzaam: {line}\n"), args


_SHORT = "djg_3,djg_4,djg_7,djg_8,djg_9,djg_10"
_WEIGHT = "is geen weegfactor (een getal van een miljardste tot en met een miljard)"


@pytest.mark.parametrize("weights", [
    ["9" * 400, "1"],  # before: NaN in the report
    ["1" + "0" * 308, "1" + "0" * 308],  # 1e308 written out: the squares were infinite
    ["0." + "0" * 330 + "1", "1"],  # before: 0 as a float, and its band was gone
    ["1000000001", "1"],
    ["0.0000000009", "1"],
])
def test_a_weight_past_the_bounds_is_a_rejected_row(cli, tmp_path, weights):
    import json

    respondents = tmp_path / "r.csv"
    respondents.write_text(f"id,leeftijd,w,{_SHORT}\n1,80,{weights[0]},ja,ja,ja,ja,ja,ja\n"
                           f"2,80,{weights[1]},nee,nee,nee,nee,nee,nee\n", encoding="utf-8")
    report, out = tmp_path / "rapport.json", tmp_path / "uit.csv"
    result = cli("batch", str(respondents), "--gewicht", "w", "--rapport", str(report), "-o", str(out), "--stil")
    bad = [index for index, weight in enumerate(weights) if weight != "1"]
    assert result.exit_code == 3  # the README's exit code for rejected rows
    assert result.stderr.splitlines() == [
        *(f"eenzaam: {respondents}:{index + 2}: w: {weights[index]!r} {_WEIGHT}" for index in bad),
        f"eenzaam: 2 rijen gelezen = {2 - len(bad)} geschreven + {len(bad)} afgewezen"]
    data = json.loads(report.read_text(encoding="utf-8"), parse_constant=lambda name: pytest.fail(name))
    shares = data["prevalentie"]["eenzaam"]
    # all six answers 'ja' or all 'nee': three points either way (emotional or social), lonely by the short scale
    assert [(s["respondenten"], s["aandeel"]) for s in shares] == ([(1, 100.0)] if len(bad) == 1 else [])


@pytest.mark.parametrize("suffix", [".json", ".md", ".html", ".xlsx"])
def test_the_smallest_and_largest_weights_give_finite_reports(cli, tmp_path, suffix):
    import json

    respondents = tmp_path / "r.csv"
    respondents.write_text(f"id,leeftijd,w,{_SHORT}\n1,80,1000000000,ja,ja,ja,ja,ja,ja\n"
                           f"2,80,0.000000001,nee,nee,nee,nee,nee,nee\n3,80,1e3,nee,nee,nee,nee,nee,nee\n",
                           encoding="utf-8")
    report = tmp_path / f"rapport{suffix}"
    result = cli("batch", str(respondents), "--gewicht", "w", "--rapport", str(report), "-o", str(tmp_path / "u.csv"))
    assert result.exit_code == 3 and f"{respondents}:4: w: '1e3' {_WEIGHT}" in result.stderr
    if suffix == ".json":
        share = json.loads(report.read_text(), parse_constant=lambda name: pytest.fail(name))["prevalentie"]["eenzaam"][0]
        # Σw = 1e9 + 1e-9, lonely 1e9: 99.99…%; Kish's n = (Σw)²/Σw² = 1 (to 18 digits)
        assert (share["respondenten"], share["aandeel"], share["n_effectief"]) == (2, 100.0, 1.0)
    elif suffix == ".xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        rows = list(openpyxl.load_workbook(report).worksheets[3].values)
        assert rows[1][:4] == ("75-84 jaar", 2, 1.0, 100.0)
    else:
        import re

        text = report.read_text(encoding="utf-8")
        assert not re.search(r"\b(nan|inf)", text, re.IGNORECASE) and "100,0% (" in text


def test_json_never_carries_nan_or_infinity(cli, tmp_path):
    from decimal import Decimal

    from eenzaam_cli.cli.output import to_json

    for value in (float("nan"), float("-inf"), Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValueError):
            to_json({"x": value})  # before: the text NaN or Infinity, which no JSON reader accepts
    monitor = tmp_path / "monitor_2016.csv"
    from eenzaam_cli.core.loading import bundled_data_dir

    text = (bundled_data_dir() / "monitor_2016.csv").read_text(encoding="utf-8")
    monitor.write_text(text.replace("75-84 jaar,", "NaN,"), encoding="utf-8")
    respondents = tmp_path / "r.csv"
    respondents.write_text("id,leeftijd\n1,80\n", encoding="utf-8")
    result = cli("batch", str(respondents), "--data", str(monitor), "-f", "jsonl")
    assert result.exit_code == 0 and '"leeftijdsband": "NaN"' in result.stdout  # a band label stays text
