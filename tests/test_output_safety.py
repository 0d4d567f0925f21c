"""What the tool writes is safe to open and never lost: formula cells, encodings, narrow terminals, usage errors."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eenzaam_cli.cli import output
from eenzaam_cli.cli.app import COMMANDS
from eenzaam_cli.cli.output import FORMULA_START, csv_writer, neutralise, unneutralise

SCRIPT = shutil.which("eenzaam", path=os.path.dirname(sys.executable)) or shutil.which("eenzaam")
LONELY_11 = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee"
ELEVEN = ",".join(f"djg_{i}" for i in range(1, 12))

# One invocation per command and view, each of which can print --format csv.
CSV_COMMANDS = [
    ["prevalentie"], ["prevalentie", "--leeftijd", "80"], ["factoren"], ["factoren", "alleenwonend"], ["bronnen"],
    ["bronnen", "gm_2016"], ["niveaus"], ["signalen"], ["interventies"],
    ["profiel", "--leeftijd", "80", "--burgerlijke-staat", "verweduwd", "--factor", "alleenwonend=ja"],
    ["djg", LONELY_11],
]


def cells(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


# --- formulas in CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, written", [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+SUM(1)", "'+SUM(1)"),
    ("@x", "'@x"),
    ('=HYPERLINK("http://example.org","klik")', '\'=HYPERLINK("http://example.org","klik")'),
    ("-2+3", "'-2+3"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("+31 6 12345678", "'+31 6 12345678"),  # a phone number is text to a spreadsheet too, and + starts a formula
    ("'=x", "''=x"),  # already quoted: one more, so that taking one off gives back what was written
    ("--", "'--"),
    ("-0.5", "-0.5"), ("-3", "-3"), ("+31", "+31"), ("-1,5", "-1,5"), ("1e5", "1e5"), ("-2E-3", "-2E-3"),
    ("-", "-"),  # the usual missing-value marker: nothing to run
    ("", ""), ("ja", "ja"), ("'quote", "'quote"), (" =x", " =x"), ("a=b", "a=b"),
])
def test_neutralise(text, written):
    assert neutralise(text) == written
    assert unneutralise(written) == text


@given(st.text())
def test_any_cell_reads_back_and_never_starts_a_formula(text):
    """Written by the one CSV writer and read by csv.reader, a cell minus the quote is what was meant."""
    buffer = io.StringIO()
    csv_writer(buffer)([text, "x"])
    [[cell, _]] = cells(buffer.getvalue())
    assert unneutralise(cell) == text
    assert not cell.startswith(FORMULA_START) or cell == "-" or re.fullmatch(
        r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?", cell)


@given(st.text())
def test_raw_csv_writes_cells_as_they_are(text):
    buffer = io.StringIO()
    csv_writer(buffer, raw=True)([text])
    assert cells(buffer.getvalue()) == [[text]]


@pytest.mark.parametrize("args", CSV_COMMANDS, ids=" ".join)
def test_every_csv_cell_of_every_command_goes_through_the_one_writer(cli, monkeypatch, args):
    """Make every cell a formula: each one must come out neutralised, the header too."""
    import importlib
    import pkgutil

    import eenzaam_cli.cli

    # Import every view first: a module imported while the patch is on would keep the patched function for
    # the rest of the session (djg_view's markdown made `=nee` of the tests after this one).
    for module in pkgutil.walk_packages(eenzaam_cli.cli.__path__, "eenzaam_cli.cli."):
        importlib.import_module(module.name)
    plain = output.csv_text
    monkeypatch.setattr(output, "csv_text", lambda value: "=" + plain(value))
    result = cli(*args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = cells(result.stdout)
    assert len(rows) >= 2 and all(cell.startswith("'=") for row in rows for cell in row)
    raw = cells(cli(*args, "--format", "csv", "--ruwe-csv").stdout)
    assert all(cell.startswith("=") for row in raw for cell in row)


def test_every_command_with_a_format_takes_ruwe_csv(cli):
    """Commands to come (population, batch) get the opt-out too: it is one of the shared options."""
    checked = 0
    for name in COMMANDS:
        for path in ([[name]] if name != "data" else []):  # data valideer/schema write no CSV
            result = cli(*path, "--help")
            assert result.exit_code == 0, path
            if "--format" in result.stdout and "csv" in result.stdout:
                checked += 1
                assert "--ruwe-csv" in result.stdout, f"`eenzaam {name}` writes CSV but lacks --ruwe-csv (RawCsvOption)"
    assert checked >= 8


PAYLOADS = [  # (file, text in the bundled data, formula put in its place, command)
    ("bronnen.yaml", '"Gezondheidsmonitor Volwassenen"', "=cmd|' /C calc'!A0", ["bronnen"]),
    ("interventies.yaml", '"Integrale aanpak voor ouderen met psychosociale klachten"', "+SUM(1)", ["interventies"]),
    ("signalen.yaml", 'nl: "vermoeidheid"', "@x", ["signalen"]),
    ("niveaus.yaml", '"Universele preventie"', '=HYPERLINK("http://example.org","klik")', ["niveaus"]),
    ("risicofactoren.yaml", '"laagopgeleiden boven de 19 jaar"', "-2+3", ["factoren"]),
    ("monitor_2016.csv", "19-34 jaar,", "=1+1", ["prevalentie"]),
]


@pytest.mark.parametrize("name, old, formula, args", PAYLOADS, ids=[p[0] for p in PAYLOADS])
def test_formulas_from_own_data_are_neutralised(cli, data_copy, monkeypatch, name, old, formula, args):
    if name.endswith(".csv"):
        data_copy(name, old, f'"{formula}",')
    else:
        quoted = formula.replace("\\", "\\\\").replace('"', '\\"')
        data_copy(name, old, old.replace(old.strip('"').removeprefix('nl: "'), quoted))
    result = cli(*args, "--data", str(data_copy.dir), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    found = [cell for row in cells(result.stdout) for cell in row if formula in cell]
    assert found == ["'" + formula], found
    for raw in (cli(*args, "--data", str(data_copy.dir), "-f", "csv", "--ruwe-csv").stdout,
                _with_env(monkeypatch, "EENZAAM_RUWE_CSV", "1", cli, *args, "--data", str(data_copy.dir), "-f", "csv")):
        assert [cell for row in cells(raw) for cell in row if formula in cell] == [formula]


def _with_env(monkeypatch, name, value, cli, *args):
    with monkeypatch.context() as patch:
        patch.setenv(name, value)
        return cli(*args).stdout


@pytest.mark.parametrize("separator", [",", ";"])
def test_streamed_djg_file_neutralises_the_input_columns_too(cli, tmp_path, separator):
    """`djg --invoer` keeps every input column: a formula a respondent typed must not run in Excel."""
    path = tmp_path / "respondenten.csv"
    header = ["naam", "telefoon", "saldo", *ELEVEN.split(",")]
    row = ["=cmd|' /C calc'!A0", "+31 6 12345678", "-3", *LONELY_11.split(",")]
    missing = ["@SUM(A1)", "", "-0,5", "-", *LONELY_11.split(",")[1:]]
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=separator, lineterminator="\n")
        writer.writerows([header, row, missing])
    result = cli("djg", "--invoer", str(path), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    out = cells(result.stdout, separator)
    assert out[1][:4] == ["'=cmd|' /C calc'!A0", "'+31 6 12345678", "-3", "nee"]
    assert out[2][:4] == ["'@SUM(A1)", "", "-0,5", "-"]  # numbers and the missing-answer marker stay as they are
    assert out[1][header.index("djg_1") + 11:][:2] == ["djg11", "11"]
    raw = cells(cli("djg", "--invoer", str(path), "-f", "csv", "--ruwe-csv").stdout, separator)
    assert raw[1][:2] == ["=cmd|' /C calc'!A0", "+31 6 12345678"]


def test_the_scored_file_scores_again_the_same(cli, tmp_path):
    """Neutralised output is still input: scoring the scored file gives the same scores."""
    path = tmp_path / "r.csv"
    path.write_text(f"naam,{ELEVEN}\n=x,{LONELY_11}\n")
    scored = cli("djg", "--invoer", str(path), "-f", "csv").stdout
    again = tmp_path / "again.csv"
    header, row = cells(scored)
    keep = [i for i, name in enumerate(header) if not name.startswith("djg_") or re.fullmatch(r"djg_\d+", name)]
    again.write_text("\n".join(",".join(line[i] for i in keep) for line in (header, row)) + "\n")
    second = cells(cli("djg", "--invoer", str(again), "-f", "csv").stdout)
    assert second[1][-9:] == row[-9:]


# --- encodings -------------------------------------------------------------------------------------------

MATRIX = [[*args, "--format", fmt] for args in CSV_COMMANDS[::2] for fmt in ("tabel", "json", "csv", "markdown")]
MATRIX += [["--help"], ["profiel", "--help"]]
DRIVER = """
import json, sys
from eenzaam_cli.cli.app import app, load_commands
load_commands()
for args in json.loads(sys.argv[1]):
    code = app(args, prog_name="eenzaam", standalone_mode=False)
    sys.stdout.write("\\n@@ exit %d\\n" % code)
"""


def _driver(matrix: list[list[str]], encoding: str, terminal: bool) -> tuple[bytes, str]:
    """Run `matrix` in one fresh process (as `eenzaam` sets up its streams) with PYTHONIOENCODING=encoding."""
    import json

    env = os.environ | {"PYTHONIOENCODING": encoding, "COLUMNS": "100", "NO_COLOR": "1"}
    command = [sys.executable, "-c", DRIVER, json.dumps(matrix)]
    if not terminal:
        result = subprocess.run(command, capture_output=True, env=env, timeout=120)
        return result.stdout, result.stderr.decode("utf-8", "replace")
    return _in_pty(command, env)


def _in_pty(command: list[str], env: dict[str, str]) -> tuple[bytes, str]:
    main, child = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=child, stderr=subprocess.PIPE, env=env)
    os.close(child)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert process.stderr is not None
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.wait(timeout=60)
    return out.replace(b"\r\n", b"\n"), stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX")
def test_files_and_pipes_are_utf8_whatever_the_locale():
    reference, _ = _driver(MATRIX, "utf-8", terminal=False)
    assert reference.count(b"@@ exit 0") == len(MATRIX)
    assert "–".encode() in reference and "é".encode() in reference  # there is something to get wrong
    for encoding in ("latin-1", "ascii"):
        out, stderr = _driver(MATRIX, encoding, terminal=False)
        assert (out, stderr) == (reference, ""), encoding


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX")
def test_utf8_input_comes_out_as_utf8_with_a_latin1_locale(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f"naam,{ELEVEN}\nZoë – ≥ 😀,{LONELY_11}\n", encoding="utf-8")
    result = subprocess.run([SCRIPT, "djg", "--invoer", str(path), "--stil"], capture_output=True, timeout=60,
                            env=os.environ | {"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"})
    assert result.returncode == 0 and result.stderr == b""
    assert cells(result.stdout.decode("utf-8"))[1][0] == "Zoë – ≥ 😀"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals")
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_in_another_encoding_gets_look_alikes_not_a_crash(encoding):
    out, stderr = _driver(MATRIX, encoding, terminal=True)
    assert stderr == ""
    assert re.findall(rb"@@ exit (\d+)", out) == [b"0"] * len(MATRIX)
    text = out.decode(encoding)  # everything written is something this terminal can show
    assert "Universele preventie" in text and ">=" in text and "..." in text
    if encoding == "latin-1":
        assert "één" in text  # what the terminal can show stays as it is


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals")
def test_the_script_on_an_ascii_terminal():
    out, stderr = _in_pty([SCRIPT, "factoren"], os.environ | {"PYTHONIOENCODING": "ascii", "LC_ALL": "C",
                                                               "COLUMNS": "140"})
    text = out.decode("ascii")
    assert stderr == "" and "Risicofactoren en beschermende factoren" in text and "+---" in text


# --- narrow terminals --------------------------------------------------------------------------------------

NARROW = [*CSV_COMMANDS, ["djg", "--invoer", "RESPONDENTS", "-f", "tabel"]]


@pytest.mark.parametrize("columns, language", [("0", "nl"), ("20", "nl"), ("20", "en"), ("30", "nl")])
def test_narrow_terminals_lose_no_value(cli, monkeypatch, tmp_path, columns, language):
    respondents = tmp_path / "r.csv"
    respondents.write_text(f"{ELEVEN}\n{LONELY_11}\n")
    monkeypatch.setenv("COLUMNS", columns)
    views = []
    real = output._rich
    monkeypatch.setattr(output, "_rich", lambda view, lang, *rest: (views.append(view), real(view, lang, *rest)))
    for args in NARROW:
        views.clear()
        args = [str(respondents) if arg == "RESPONDENTS" else arg for arg in args]
        result = cli(*args, "--taal", language)
        assert result.exit_code == 0 and views, (args, result.stderr)
        for view in views:
            for section in view.sections:
                texts = [section.title, *(c.header for c in section.columns)]
                texts += [output._cell(row.get(c.key), language) for row in section.rows for c in section.columns]
                for word in (word for text in texts for word in text.split()):
                    # a word is shown whole; only one wider than the terminal is folded over lines, never dropped
                    assert word[:output.MIN_WIDTH] in result.stdout, (args, columns, word)


WORDS = st.text(st.characters(codec="utf-8", categories=["L", "N", "P"]), min_size=1, max_size=30)


@given(columns=st.lists(st.tuples(st.lists(WORDS, min_size=1, max_size=4), st.booleans()), min_size=1, max_size=7),
       rows=st.integers(min_value=1, max_value=4), width=st.integers(min_value=20, max_value=140))
def test_no_table_column_is_squeezed_below_its_longest_word(columns, rows, width):
    """Where `column_widths` lays a table out, it fits the width and no column is narrower than its longest word
    (an identifier column than its longest cell), so Rich breaks no word and drops no value."""
    from rich.cells import cell_len

    spec = [output.Column(f"c{i}", words[0], nowrap=nowrap) for i, (words, nowrap) in enumerate(columns)]
    body = [[" ".join(words[(r + 1) % len(words):] or words) for words, _ in columns] for r in range(rows)]
    headers = [column.header for column in spec]
    widths = output.column_widths(width, spec, headers, body)
    if widths is None:
        return
    assert sum(widths) + 3 * len(widths) + 1 <= width
    for index, drawn in enumerate(widths):
        texts = [headers[index], *(row[index] for row in body)]
        needed = [cell_len(w) for t in texts for w in t.split()]  # a header may wrap at spaces, a nowrap cell not
        needed += [cell_len(row[index]) for row in body] if spec[index].nowrap else []
        assert drawn >= max(needed), (index, drawn, needed)


def test_columns_0_means_unknown_not_nothing():
    result = subprocess.run([SCRIPT, "prevalentie", "--leeftijd", "80"], capture_output=True, text=True, timeout=60,
                            env=os.environ | {"COLUMNS": "0"})
    assert result.returncode == 0 and "75-84 jaar" in result.stdout and "52,5" in result.stdout


def test_a_narrow_table_becomes_one_block_per_row(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    lines = cli("prevalentie", "--leeftijd", "80").stdout.splitlines()
    assert lines[:7] == ["Eenzaamheid naar leeftijd (%):", "monitortabel Landelijk 2016", "Leeftijd: 75-84 jaar", "Eenzaam: 52,5",
                         "(Zeer) ernstig eenzaam: 10,3", "Emotioneel eenzaam: 37,2", "Sociaal eenzaam: 49,8"]


# --- usage errors ------------------------------------------------------------------------------------------

FORMATS = "toegestaan: tabel, json, csv, markdown"
USAGE = [  # (arguments, environment, the one line after "eenzaam: ")
    (["prevalentie", "--format", "xml"], {}, f"--format: 'xml' is ongeldig ({FORMATS})"),
    (["prevalentie", "-f", "xml"], {}, f"--format: 'xml' is ongeldig ({FORMATS})"),
    (["prevalentie", "--format=XML2"], {}, f"--format: 'XML2' is ongeldig ({FORMATS})"),
    (["prevalentie"], {"EENZAAM_FORMAT": "xml"}, f"EENZAAM_FORMAT: 'xml' is ongeldig ({FORMATS})"),
    (["prevalentie"], {"EENZAAM_TAAL": "de"}, "EENZAAM_TAAL: 'de' is ongeldig (toegestaan: nl, en)"),
    (["prevalentie", "--taal", "fr"], {}, "--taal: 'fr' is ongeldig (toegestaan: nl, en)"),
    (["prevalentie", "--onbekend"], {}, "--onbekend: onbekende optie van eenzaam prevalentie (toegestaan: --leeftijd, "
                                        "--maat, --jaar, --vergelijk, --grafiek, --svg, --png, --html, --terminalbeeld, "
                                        "--format, --taal, --data, --ruwe-csv, --help)"),
    (["prevalentie", "--fromat", "json"], {}, "--fromat: onbekende optie van eenzaam prevalentie; bedoelt u --format "
                                              "of --maat? (toegestaan: --leeftijd, --maat, --jaar, --vergelijk, --grafiek, "
                                              "--svg, --png, --html, --terminalbeeld, --format, --taal, --data, --ruwe-csv, "
                                              "--help)"),
    (["prevalentie", "--leeftijd"], {}, "--leeftijd: verwacht een waarde"),
    (["--debug=ja", "prevalentie"], {}, "--debug: neemt geen waarde"),
    (["data", "valideer"], {}, "PAD... ontbreekt (zie eenzaam data valideer --help)"),
    (["prevalentie", "extra"], {}, "onverwacht argument extra (zie eenzaam prevalentie --help)"),
    (["--debug"], {}, "geef een opdracht na eenzaam (toegestaan: profiel, djg, "),
    (["frobnicate"], {}, "onbekende opdracht 'frobnicate' (toegestaan: profiel, djg, "),
    (["prevalentie", "--taal", "en", "--format", "xml"], {}, "--format: 'xml' is invalid (allowed: tabel, json, csv, "
                                                             "markdown)"),
    (["prevalentie", "--format", "xml", "--taal", "en"], {}, "--format: 'xml' is invalid (allowed: tabel, json, csv, "
                                                             "markdown)"),
    (["prevalentie", "--onbekend"], {"EENZAAM_TAAL": "en"}, "--onbekend: unknown option of eenzaam prevalentie "
                                                             "(allowed: --leeftijd, --maat, --jaar, --vergelijk, --grafiek, "
                                                             "--svg, --png, --html, --terminalbeeld, --format, --taal, "
                                                             "--data, --ruwe-csv, --help)"),
]


@pytest.mark.parametrize("args, env, line", USAGE, ids=[" ".join(u[0]) + str(u[1]) for u in USAGE])
def test_a_usage_error_is_one_line_exit_2(cli, monkeypatch, args, env, line):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = cli(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("eenzaam: " + line), result.stderr


def test_usage_errors_from_the_script():
    for args, env, line in USAGE[:1] + USAGE[4:5]:
        result = subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=60, env=os.environ | env)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", f"eenzaam: {line}\n")


def test_no_command_shows_the_help_with_exit_2(cli):
    result = cli()
    assert result.exit_code == 2 and "profiel" in result.stdout
