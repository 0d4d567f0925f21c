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


# --- item 5: small spreadsheet files, bounded in cells ---
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def handwritten_xlsx(path: Path, rows: str, shared: str = "") -> Path:
    """An .xlsx of hand-written XML: one sheet holding `rows` (the `<row>` elements), and a table of shared texts."""
    import zipfile

    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
                               f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
                               f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>'
                               '</Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
                       f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN_NS}" xmlns:r="{relations}"><sheets>'
                           '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
                                      f'<Relationship Id="rId1" Type="{relations}/worksheet" '
                                      'Target="worksheets/sheet1.xml"/>'
                                      f'<Relationship Id="rId2" Type="{relations}/sharedStrings" '
                                      'Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}">{shared}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def inline(*texts: str) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in texts)


XLSX_HEADER = f'<row r="1">{inline("gebied", "leeftijd", "aantal")}</row>'
XLSX_ROW = inline("x", "19-34") + "<c><v>5</v></c>"  # three cells


def peak_of(args: list[str]) -> tuple[int, int, str, str]:
    """Peak resident memory (bytes) of `python ARGS` in a fresh process, its exit code, stdout and stderr.

    The process is started by a small one, so that its peak is not the test runner's (Linux keeps the
    peak of a process across exec)."""
    probe = ("import resource, subprocess, sys\n"
             "done = subprocess.run([sys.executable, *sys.argv[1:]], stdin=subprocess.DEVNULL, capture_output=True)\n"
             "sys.stderr.buffer.write(done.stderr)\n"
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stdout.decode())\n")
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120)
    code, kib, out = done.stdout.split(" ", 2)
    return int(kib) * (1 if sys.platform == "darwin" else 1024), int(code), out.strip(), done.stderr


SMALL_PEAK = 150 * 1024 * 1024  # the interpreter, the tool and openpyxl or pyreadstat take about 60-90 MiB


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource")
def test_a_row_of_a_million_empty_cells_is_refused_before_it_is_built(tmp_path):
    pytest.importorskip("openpyxl")
    path = handwritten_xlsx(tmp_path / "breed.xlsx", XLSX_HEADER + '<row r="2">' + "<c/>" * 1_000_000 + "</row>")
    assert path.stat().st_size < 20_000
    peak, code, _, stderr = peak_of(["-m", "eenzaam_cli", "populatie", str(path)])
    assert code == 2
    assert stderr.splitlines() == [f"eenzaam: {path}:2: rij 2 heeft meer dan 16384 cellen, de grens voor één rij"]
    assert peak < SMALL_PEAK, f"peak {peak / 1024 / 1024:.0f} MiB"


def test_a_row_of_excels_widest_is_read(cli, tmp_path):
    """16,384 cells (A to XFD, Excel's own limit) is a row; one more cell is refused."""
    pytest.importorskip("openpyxl")
    wide = handwritten_xlsx(tmp_path / "xfd.xlsx", f'<row r="1">{inline("gebied", "leeftijd", "aantal")}'
                                                   f'<c r="XFD1"/></row><row r="2">{XLSX_ROW}'
                                                   + "<c/>" * (16_384 - 3) + "</row>")
    result = cli("populatie", str(wide), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    wider = handwritten_xlsx(tmp_path / "xfd1.xlsx", XLSX_HEADER + f'<row r="2">{XLSX_ROW}'
                                                     + "<c/>" * (16_384 - 2) + "</row>")
    result = cli("populatie", str(wider))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {wider}:2: rij 2 heeft meer dan 16384 cellen, de grens voor één "
                                          "rij"]


def test_shared_texts_are_counted_and_refused_past_their_bound(cli, tmp_path, monkeypatch):
    pytest.importorskip("openpyxl")
    from eenzaam_cli.core import formats

    monkeypatch.setattr(formats, "MAX_TEXTS", 1_000)
    rows = XLSX_HEADER + f'<row r="2"><c t="s"><v>0</v></c>{inline("19-34")}<c><v>5</v></c></row>'
    fits = handwritten_xlsx(tmp_path / "past.xlsx", rows, "<si><t>noord</t></si>" + "<si><t/></si>" * 999)
    result = cli("populatie", str(fits), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert "noord" in result.stdout
    too_many = handwritten_xlsx(tmp_path / "teveel.xlsx", rows, "<si><t>noord</t></si>" + "<si><t/></si>" * 1_000)
    result = cli("populatie", str(too_many))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {too_many}: het werkboek heeft meer dan 1000 gedeelde teksten, "
                                          "de grens voor een .xlsx-bestand"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource")
def test_millions_of_shared_texts_are_refused_in_little_memory(tmp_path):
    pytest.importorskip("openpyxl")
    rows = XLSX_HEADER + f'<row r="2"><c t="s"><v>0</v></c>{inline("19-34")}<c><v>5</v></c></row>'
    path = handwritten_xlsx(tmp_path / "teksten.xlsx", rows, "<si><t/></si>" * 2_000_001)
    assert path.stat().st_size < 200_000
    peak, code, _, stderr = peak_of(["-m", "eenzaam_cli", "populatie", str(path)])
    assert code == 2
    assert stderr.splitlines() == [f"eenzaam: {path}: het werkboek heeft meer dan 2000000 gedeelde teksten, de grens "
                                   "voor een .xlsx-bestand"]
    assert peak < SMALL_PEAK, f"peak {peak / 1024 / 1024:.0f} MiB"


def test_a_row_far_past_the_sheet_or_out_of_order_is_refused(tmp_path):
    """openpyxl fills every skipped row one at a time (a billion for `r="999999999"`), and drops a row that
    comes after a later one: both are refused at once, by subprocess with a time limit."""
    pytest.importorskip("openpyxl")
    row = f'<row r="2">{XLSX_ROW}</row>'
    far = handwritten_xlsx(tmp_path / "ver.xlsx", XLSX_HEADER + row + '<row r="999999999"><c><v>1</v></c></row>')
    back = handwritten_xlsx(tmp_path / "terug.xlsx", XLSX_HEADER + '<row r="3"><c><v>1</v></c></row>' + row)
    for path, message in [
        (far, ": rij '999999999' ligt buiten het werkblad (rij 1 tot en met 1048576, de grens voor een werkblad)"),
        (back, ":2: rij 2 staat na rij 3; de rijen van het werkblad staan niet op volgorde (sla het bestand opnieuw "
               "op in een spreadsheetprogramma)"),
    ]:
        done = subprocess.run([sys.executable, "-m", "eenzaam_cli", "populatie", str(path)], capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert done.returncode == 2
        assert done.stderr.splitlines() == [f"eenzaam: {path}{message}"]


def write_wide_sav(path: Path, variables: int, cases: int) -> Path:
    pyreadstat = pytest.importorskip("pyreadstat")
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({f"v{i}": [float(i)] * cases for i in range(variables)})
    frame.insert(0, "id", [f"r{n}" for n in range(cases)])
    pyreadstat.write_sav(frame, str(path))
    return path


def test_an_spss_chunk_is_bounded_in_cells_not_rows(tmp_path, monkeypatch):
    """5,000 variables: a chunk holds at most 200,000 cells (40 cases), not 1,000 cases (5 million cells)."""
    path = write_wide_sav(tmp_path / "breed.sav", 4_999, 100)
    import pyreadstat

    from eenzaam_cli.core.tabular import open_table

    limits = []
    real = pyreadstat.read_sav
    monkeypatch.setattr(pyreadstat, "read_sav", lambda *a, **k: limits.append(k.get("row_limit")) or real(*a, **k))
    with open_table(path) as table:
        read = [(number, values[0], values[4_999]) for number, values in table.records()]
    assert read == [(n + 1, f"r{n}", "4998") for n in range(100)]
    assert limits == [None, 40, 40, 40]  # the metadata, then 40 + 40 + 20 cases of 5,000 cells


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource")
def test_a_wide_sav_is_read_in_little_memory(tmp_path):
    """2,000 variables: before, one chunk of 1,000 cases (2 million cells) peaked at about 145 MiB."""
    path = write_wide_sav(tmp_path / "breed.sav", 1_999, 1_100)
    read = ("import sys\n"
            "from eenzaam_cli.core.tabular import open_table\n"
            "with open_table(sys.argv[1]) as table:\n"
            "    print(sum(1 for _ in table.records()))\n")
    peak, code, out, stderr = peak_of(["-c", read, str(path)])
    assert (code, out) == (0, "1100"), stderr
    assert peak < 100 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MiB"


def test_an_spss_file_wider_than_a_row_may_be_is_refused(cli, tmp_path, monkeypatch):
    from eenzaam_cli.core import formats

    path = write_wide_sav(tmp_path / "breed.sav", 20, 2)
    monkeypatch.setattr(formats, "MAX_COLUMNS", 20)
    result = cli("djg", "--invoer", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {path}: het SPSS-bestand heeft 21 variabelen, meer dan 20, de "
                                          "grens voor de cellen van één rij"]


# --- item 8: formulas without a saved value ---
def formula_xlsx(path: Path, rows: list[list]) -> Path:
    """An .xlsx written by openpyxl, which saves a formula (`=…`) without a value: `<f>…</f><v />`."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


UNSAVED = ("heeft een formule zonder opgeslagen waarde; open het bestand in een spreadsheetprogramma en sla het op, "
           "dan wordt de waarde bewaard")


def test_a_row_of_formulas_without_values_is_a_rejected_row_in_batch(cli, tmp_path):
    import csv
    import io
    import zipfile

    path = formula_xlsx(tmp_path / "f.xlsx", [["id", "leeftijd", "notitie"], ["a", 80, "x"],
                                              ['="b"', "=40+40", None], ["c", 70, "y"], ["d", 60, '=""']])
    with zipfile.ZipFile(path) as archive:  # row 5: a text formula saved with its empty text, as Excel saves it
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert parts[sheet].count(b"<v />") == 3
    parts[sheet] = parts[sheet].replace(b'<c r="C5"><f>""</f><v /></c>', b'<c r="C5" t="str"><f>""</f><v></v></c>')
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    errors = tmp_path / "fouten.csv"
    result = cli("batch", str(path), "-o", str(tmp_path / "uit.csv"), "--fouten", str(errors))
    assert result.exit_code == 3, result.stderr
    assert "4 rijen gelezen = 3 geschreven + 1 afgewezen" in result.stderr
    written = list(csv.DictReader(io.StringIO((tmp_path / "uit.csv").read_text(encoding="utf-8"))))
    assert [(row["id"], row["notitie"]) for row in written] == [("a", "x"), ("c", "y"), ("d", "")]
    assert list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8")))) == [
        ["rij", "kolom", "waarde", "reden"], ["3", "id", "", f"cel A3 {UNSAVED}"]]


def test_a_formula_without_a_value_elsewhere_is_one_line_naming_file_and_row(cli, tmp_path):
    rows = formula_xlsx(tmp_path / "w.xlsx", [["gebied", "leeftijd", "aantal"], ["x", "19-34", 5],
                                              ["y", "19-34", "=2+3"]])
    result = cli("populatie", str(rows))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {rows}:3: aantal: cel C3 {UNSAVED}"]
    header = formula_xlsx(tmp_path / "k.xlsx", [["gebied", '="leeftijd"', "aantal"], ["x", "19-34", 5]])
    result = cli("populatie", str(header))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {header}:1: cel B1 {UNSAVED}"]
