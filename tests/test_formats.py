"""SPSS (.sav) and Excel (.xlsx) input for every command that reads a table, and the .xlsx batch report.

Every file here is synthetic and built by the test itself, with the libraries of the extras: pyreadstat writes
the .sav files (with value labels, measures and missing values), openpyxl the .xlsx files. Tests that need an
extra are skipped with the reason when it is not installed; the tests of the one-line message without the
extra simulate the import failing, so they run everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

from eenzaam_cli.core.files import formats
from eenzaam_cli.core.reference.loading import bundled_data_dir
from eenzaam_cli.core.files.tabular import open_table

DATA = Path(__file__).parent / "data"
DJG = {1.0: "nee", 2.0: "min of meer", 3.0: "ja"}  # the manual's coding, as value labels
STATE = {1.0: "gehuwd", 2.0: "samenwonend", 3.0: "ongehuwd", 4.0: "gescheiden", 5.0: "verweduwd"}
LONELY = [1, 3, 3, 1, 3, 3, 1, 1, 3, 3, 1]  # 11 of 11 in codes
NONE = [3, 1, 1, 3, 1, 1, 3, 3, 1, 1, 3]  # 0
ITEMS = [f"djg_{i}" for i in range(1, 12)]


def spss():
    pyreadstat = pytest.importorskip("pyreadstat", reason="the spss extra is not installed (pip install '.[spss]')")
    pandas = pytest.importorskip("pandas", reason="pyreadstat.write_sav, which builds the test files, takes a pandas "
                                                  "data frame (pip install '.[test]')")
    return pyreadstat, pandas


def excel():
    return pytest.importorskip("openpyxl", reason="the excel extra is not installed (pip install '.[excel]')")


def write_sav(path: Path, rows: list[dict], *, labels: dict | None = None, measures: dict | None = None,
              missing: dict | None = None) -> Path:
    pyreadstat, pandas = spss()
    frame = pandas.DataFrame(rows)
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels or {}, variable_measure=measures or {},
                         missing_ranges=missing or {})
    return path


def respondent(identifier: str, age: float | None, state: float | None, answers: list) -> dict:
    return {"id": identifier, "leeftijd": age, "burgerlijke_staat": state,
            **{item: None if a is None else float(a) for item, a in zip(ITEMS, answers)}}


LABELS = {"burgerlijke_staat": STATE, **{item: DJG for item in ITEMS}}
MEASURES = {"leeftijd": "scale", "burgerlijke_staat": "nominal", **{item: "ordinal" for item in ITEMS}}


def write_xlsx(path: Path, rows: list[list]) -> Path:
    openpyxl = excel()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- SPSS ---------------------------------------------------------------------------------------------


def test_a_labelled_sav_runs_through_batch_as_its_labels(cli, tmp_path):
    path = write_sav(tmp_path / "resp.sav", [respondent("r1", 45.0, 1.0, NONE), respondent("r2", 87.0, 5.0, LONELY),
                                             respondent("r3", 70.0, None, LONELY)],
                     labels=LABELS, measures=MEASURES)
    result = cli("batch", str(path))
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert [r["leeftijd"] for r in rows] == ["45", "87", "70"]  # whole numbers, not 45.0
    assert [r["burgerlijke_staat"] for r in rows] == ["gehuwd", "verweduwd", ""]  # codes became their labels
    assert rows[0]["djg_1"] == "ja" and rows[1]["djg_1"] == "nee"
    assert rows[1]["djg_totaal"] == "11" and rows[1]["preventieniveau"] == "3" and rows[0]["djg_totaal"] == "0"
    assert "burgerlijke_staat" in rows[1]["risicofactoren"].split(";")
    # the same respondents written out as words in a CSV file give the same results
    words = tmp_path / "resp.csv"
    with words.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "leeftijd", "burgerlijke_staat", *ITEMS])
        writer.writerows([r["id"], r["leeftijd"], r["burgerlijke_staat"], *(r[i] for i in ITEMS)] for r in rows)
    assert cli("batch", str(words)).stdout == result.stdout
    assert result.stderr.strip().endswith("3 rijen gelezen = 3 geschreven + 0 afgewezen")


def test_a_code_without_a_label_is_a_rejected_row_naming_column_and_code(cli, tmp_path):
    path = write_sav(tmp_path / "resp.sav", [respondent("r1", 45.0, 1.0, NONE), respondent("r2", 60.0, 7.0, NONE),
                                             respondent("r3", 50.0, 1.0, [3, 8, *NONE[2:]])],
                     labels=LABELS, measures=MEASURES)
    errors = tmp_path / "fouten.csv"
    result = cli("batch", str(path), "--fouten", str(errors))
    assert result.exit_code == 3
    assert [r["id"] for r in csv_rows(result.stdout)] == ["r1"]
    problems = csv_rows(errors.read_text(encoding="utf-8"))
    assert [(p["rij"], p["kolom"], p["waarde"]) for p in problems] == [("2", "burgerlijke_staat", "7"), ("3", "djg_2", "8")]
    assert "geen waardelabel" in problems[0]["reden"] and "5=verweduwd" in problems[0]["reden"]
    assert result.stderr.strip().endswith("3 rijen gelezen = 1 geschreven + 2 afgewezen")


def test_elsewhere_a_code_without_a_label_is_one_line(cli, tmp_path):
    path = write_sav(tmp_path / "resp.sav", [respondent("r1", 45.0, 1.0, [3, 9, *NONE[2:]])],
                     labels=LABELS, measures=MEASURES)
    result = cli("djg", "--invoer", str(path), "-f", "csv", "--stil")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"eenzaam: {path}:1: djg_2: code '9' heeft geen waardelabel in het SPSS-bestand (labels: 1=nee, "
        "2=min of meer, 3=ja); geef de code een label, of maak haar een ontbrekende waarde"]


def test_a_scale_column_keeps_its_unlabelled_numbers_and_missing_values_are_empty(cli, tmp_path):
    # leeftijd is a scale with a label only for 999; 9 is a declared missing value of djg_11
    path = write_sav(tmp_path / "resp.sav", [respondent("r1", 45.0, 1.0, [*NONE[:10], 9]),
                                             respondent("r2", 999.0, 1.0, NONE)],
                     labels={**LABELS, "leeftijd": {999.0: "weigert"}}, measures=MEASURES,
                     missing={"djg_11": [9.0]})
    errors = tmp_path / "fouten.csv"
    result = cli("batch", str(path), "--fouten", str(errors))
    rows = csv_rows(result.stdout)
    assert rows[0]["leeftijd"] == "45" and rows[0]["djg_11"] == "" and rows[0]["djg_totaal"] == "0"
    # 'weigert' (the label of 999) is a missing answer (djg.yaml ontbrekend_waarden): an unknown age, no rejected row
    assert rows[1]["leeftijd"] == "weigert" and rows[1]["leeftijdsband"] == ""
    assert csv_rows(errors.read_text(encoding="utf-8")) == [] and result.exit_code == 0


def test_a_large_sav_is_read_in_chunks_every_case_once(cli, tmp_path, monkeypatch):
    rows = [respondent(f"r{i}", float(20 + i % 70), 1.0 + i % 5, NONE if i % 2 else LONELY) for i in range(2_345)]
    path = write_sav(tmp_path / "resp.sav", rows, labels=LABELS, measures=MEASURES)
    monkeypatch.setattr(formats, "CHUNK_CELLS", 14 * 1_000)  # 14 columns: 1,000 cases per chunk, three chunks
    calls = []
    import pyreadstat

    real = pyreadstat.read_sav
    monkeypatch.setattr(pyreadstat, "read_sav", lambda *a, **k: calls.append(k.get("row_offset")) or real(*a, **k))
    with open_table(path) as table:
        read = [(line, row["id"]) for line, row in table.rows()]
        assert table.position() == path.stat().st_size
    assert read == [(i + 1, f"r{i}") for i in range(2_345)]
    assert calls == [None, 0, 1_000, 2_000]  # the metadata, then three chunks


def test_dates_strings_and_numbers_read_as_a_csv_would_hold_them(tmp_path):
    import datetime

    path = write_sav(tmp_path / "x.sav", [{"d": datetime.date(2024, 3, 1), "w": 0.1 + 0.2, "n": -0.0, "t": "a b"}])
    with open_table(path) as table:
        assert list(table.rows()) == [(1, {"d": "2024-03-01", "w": "0.3", "n": "0", "t": "a b"})]
        assert table.dialect.separator == "," and not table.dialect.decimal_comma


def test_a_sav_that_is_not_one_is_one_line(cli, tmp_path):
    spss()
    path = tmp_path / "nep.sav"
    path.write_text("id,leeftijd\n1,45\n", encoding="utf-8")
    result = cli("batch", str(path))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"eenzaam: {path}: is geen leesbaar SPSS-bestand")


# --- Excel --------------------------------------------------------------------------------------------


def _as_xlsx(source: Path, target: Path, separator: str) -> Path:
    with source.open(encoding="utf-8") as file:
        rows = [[float(c) if i and c.isdigit() else c for c in row] for i, row in
                enumerate(csv.reader(file, delimiter=separator))]
    return write_xlsx(target, rows)


def test_an_xlsx_population_table_runs_through_populatie_as_its_csv(cli, tmp_path):
    city = _as_xlsx(DATA / "stad.csv", tmp_path / "wijken.xlsx", ";")
    observed = _as_xlsx(DATA / "stad_waargenomen.csv", tmp_path / "waargenomen.xlsx", ",")
    result = cli("populatie", str(city), "--waargenomen", str(observed), "-f", "json")
    assert result.exit_code == 0, result.stderr
    expected = cli("populatie", str(DATA / "stad.csv"), "--waargenomen", str(DATA / "stad_waargenomen.csv"), "-f", "json")
    assert result.stdout.replace(str(city), "F") == expected.stdout.replace(str(DATA / "stad.csv"), "F")
    assert json.loads(result.stdout)["gebieden"]


def test_xlsx_cells_read_as_text_rows_numbered_as_the_spreadsheet_shows_them(tmp_path):
    import datetime

    path = write_xlsx(tmp_path / "x.xlsx", [["id", " leeftijd ", "datum", "vlag", None],
                                           ["a", 45.0, datetime.datetime(2024, 3, 1), True],
                                           [None, None, None, None],
                                           ["b", 0.1 + 0.2, datetime.datetime(2024, 3, 1, 9, 30), False, None]])
    with open_table(path) as table:
        assert table.header == ["id", "leeftijd", "datum", "vlag"]  # trailing empty header cells are no column
        assert list(table.rows()) == [(2, {"id": "a", "leeftijd": "45", "datum": "2024-03-01", "vlag": "true"}),
                                      (4, {"id": "b", "leeftijd": "0.3", "datum": "2024-03-01 09:30:00", "vlag": "false"})]


def test_a_formula_is_never_computed_the_saved_value_is_read(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [["gebied", "aantal"], ["x", "=40+2"]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"<f>40+2</f><v />" in parts[sheet]
    parts[sheet] = parts[sheet].replace(b"<f>40+2</f><v />", b"<f>40+2</f><v>7</v>")  # as if saved with value 7
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with open_table(path) as table:
        assert list(table.rows()) == [(2, {"gebied": "x", "aantal": "7"})]


def test_a_value_in_a_column_without_a_name_is_a_rejected_row(cli, tmp_path):
    excel()
    path = write_xlsx(tmp_path / "r.xlsx", [["id", "leeftijd"], ["a", 45], ["b", 50, None, "oeps"], ["c", 60]])
    result = cli("batch", str(path))
    assert result.exit_code == 3
    assert [r["id"] for r in csv_rows(result.stdout)] == ["a", "c"]
    assert (f"eenzaam: {path}:3: cel D3 heeft een waarde, maar kolom D heeft geen naam in rij 1; geef de kolom een "
            "naam of maak de cel leeg") in result.stderr.splitlines()


@pytest.mark.parametrize("rows, message", [
    ([], ":1: het werkblad is leeg (een kopregel met kolomnamen ontbreekt)"),
    ([[None], ["gebied"]], ":1: de eerste rij is leeg; die moet de kolomnamen geven"),
    ([["gebied", None, "aantal"], ["x", 1, 2]], ":1: kolom 2 heeft geen naam; geef elke kolom een naam in de kopregel"),
    ([["gebied", "aantal", "leeftijd"]], ": bevat geen rijen, alleen een kopregel"),
], ids=["empty", "blank-first-row", "unnamed-column", "header-only"])
def test_a_malformed_sheet_is_one_line(cli, tmp_path, rows, message):
    path = write_xlsx(tmp_path / "w.xlsx", rows)
    result = cli("populatie", str(path), "--stil")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"eenzaam: {path}{message}"]


def test_a_file_that_is_no_xlsx_is_one_line(cli, tmp_path):
    excel()
    path = tmp_path / "nep.xlsx"
    path.write_text("gebied,aantal\nx,1\n", encoding="utf-8")
    result = cli("populatie", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"eenzaam: {path}: is geen geldig .xlsx-bestand (geen zip-archief; is het met een "
                                     "wachtwoord beveiligd, of een ander bestand met de naam .xlsx?)")


def test_an_xlsx_part_read_whole_is_bounded(cli, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "w.xlsx", [["gebied", "aantal"], ["x", 1]])
    monkeypatch.setattr(formats, "MAX_PART", 100)
    result = cli("populatie", str(path))
    assert result.exit_code == 2 and "uitgepakt groter dan" in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_xml_entity_bomb_in_a_sheet_is_refused_in_one_line(cli, tmp_path):
    path = write_xlsx(tmp_path / "bom.xlsx", [["gebied", "aantal"], ["x", 1]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    entities = '<!ENTITY a "' + "a" * 100 + '">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))  # 10^8 × 100 bytes
    head, _, rest = parts[sheet].decode().partition("?>")
    parts[sheet] = (head + "?>" + f"<!DOCTYPE worksheet [{entities}]>" + rest.replace("<t>x</t>", "<t>&i;</t>")).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    result = cli("populatie", str(path))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"eenzaam: {path}") and "Traceback" not in result.stderr


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_old_and_other_spreadsheets_say_what_to_save_as(cli, tmp_path, suffix):
    path = tmp_path / f"oud{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("batch", str(path))
    assert result.exit_code == 2 and "sla het op als .xlsx of als CSV (UTF-8)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_monitor_table_as_xlsx_via_data(cli, tmp_path):
    with (bundled_data_dir() / "monitor_2016.csv").open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    table = [rows[0], *([float(c) if c.replace(".", "").isdigit() else c for c in row] for row in rows[1:])]
    own = write_xlsx(tmp_path / "monitor_eigen.xlsx", table)
    bundled = cli("prevalentie", "-f", "json").stdout
    result = cli("prevalentie", "--data", str(own), "-f", "json")
    assert result.exit_code == 0, result.stderr
    # Excel keeps no trailing zeros: 52.0 is the number 52 there
    assert json.loads(result.stdout) == json.loads(bundled.replace(".0,", ",").replace(".0\n", "\n"))
    (tmp_path / "bad").mkdir()
    bad = write_xlsx(tmp_path / "bad" / "monitor_eigen.xlsx", [table[0], [*table[1][:3], "veel", *table[1][4:]], *table[2:]])
    result = cli("prevalentie", "--data", str(bad))
    assert result.exit_code == 3
    assert f"{bad}:2: eenzaam: 'veel' is geen getal" in result.stdout + result.stderr


# --- the .xlsx report ---------------------------------------------------------------------------------


def test_the_batch_report_as_xlsx_holds_the_counts_and_prevalence_tables(cli, tmp_path):
    openpyxl = excel()
    source = tmp_path / "=HYPERLINK(1).csv"  # a name a spreadsheet would run as a formula
    header = "id;leeftijd;burgerlijke_staat;" + ";".join(ITEMS)
    words = {1: "nee", 3: "ja"}
    lines = [f"{i};{age};verweduwd;" + ";".join(words[a] for a in answers)
             for i, (age, answers) in enumerate([(87, LONELY), (45, NONE), (46, LONELY)], 1)]
    source.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    report = tmp_path / "rapport.xlsx"
    result = cli("batch", str(source), "-o", str(tmp_path / "uit.csv"), "--rapport", str(report))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".eenzaam-")) == []  # nothing left over
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["overzicht", "per_niveau", "per_leeftijdsband", "prevalentie_eenzaam",
                               "prevalentie_ernstig"]
    overview = {key: value for key, value in book["overzicht"].iter_rows(values_only=True)}
    assert overview["bestand"] == str(source) and overview["rijen_gelezen"] == 3 and overview["rijen_afgewezen"] == 0
    assert book["overzicht"]["B3"].data_type == "s"  # text, not a formula
    assert list(book["per_niveau"].iter_rows(values_only=True)) == [("niveau", "aantal"), (1, 0), (2, 1), (3, 2)]
    prevalence = list(book["prevalentie_eenzaam"].iter_rows(values_only=True))
    assert prevalence[0] == ("leeftijdsband", "respondenten", "n_effectief", "aandeel", "onder", "boven", "landelijk_2016")
    rows = {row[0]: row for row in prevalence[1:]}
    assert rows["35-49 jaar"][1] == 2 and rows["35-49 jaar"][3] == 50 and rows["35-49 jaar"][6] == 40.8
    with zipfile.ZipFile(report) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
    # the same figures as the JSON report
    cli("batch", str(source), "-o", str(tmp_path / "uit.csv"), "--rapport", str(tmp_path / "r.json"))
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [list(r) for r in prevalence[1:]] == [[s[c] for c in prevalence[0]] for s in data["prevalentie"]["eenzaam"]]


def test_an_unwritable_xlsx_report_leaves_nothing(cli, tmp_path, monkeypatch):
    openpyxl = excel()
    monkeypatch.setattr(openpyxl.Workbook, "save", lambda self, target: (_ for _ in ()).throw(OSError(28, "vol")))
    source = tmp_path / "in.csv"
    source.write_text("id;leeftijd\n1;45\n", encoding="utf-8")
    result = cli("batch", str(source), "-o", str(tmp_path / "uit.csv"), "--rapport", str(tmp_path / "r.xlsx"))
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert not (tmp_path / "r.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".eenzaam-")]


# --- without the extras: one line saying what to install ----------------------------------------------


@pytest.fixture
def without_extras(monkeypatch):
    """The import of pyreadstat and openpyxl fails, as when the extras are not installed."""
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)


SPSS_LINE = "een SPSS-bestand (.sav) vraagt het pakket pyreadstat, dat niet geïnstalleerd is; installeer het met: " \
            "pip install 'eenzaam[spss]'"
EXCEL_LINE = "een Excel-bestand (.xlsx) vraagt het pakket openpyxl, dat niet geïnstalleerd is; installeer het met: " \
             "pip install 'eenzaam[excel]'"


@pytest.mark.parametrize("command, name, line", [
    (["batch"], "resp.sav", SPSS_LINE),
    (["batch"], "resp.xlsx", EXCEL_LINE),
    (["djg", "--invoer"], "resp.sav", SPSS_LINE),
    (["populatie"], "wijken.xlsx", EXCEL_LINE),
    (["populatie"], "wijken.sav", SPSS_LINE),
], ids=["batch-sav", "batch-xlsx", "djg-sav", "populatie-xlsx", "populatie-sav"])
def test_without_the_extra_a_file_says_which_extra_to_install(cli, tmp_path, without_extras, command, name, line):
    path = tmp_path / name
    path.write_bytes(b"synthetic, never parsed")
    result = cli(*command, str(path))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"eenzaam: {path}: {line}"]


def test_without_the_extra_the_observed_file_says_so_too(cli, tmp_path, without_extras):
    path = tmp_path / "waargenomen.xlsx"
    path.write_bytes(b"synthetic")
    result = cli("populatie", str(DATA / "stad.csv"), "--waargenomen", str(path))
    assert result.exit_code == 2 and result.stderr.strip() == f"eenzaam: {path}: {EXCEL_LINE}"


def test_without_the_extra_a_monitor_xlsx_is_exit_2_not_invalid_data(cli, tmp_path, without_extras):
    path = tmp_path / "monitor_eigen.xlsx"
    path.write_bytes(b"synthetic")
    result = cli("prevalentie", "--data", str(path))
    assert result.exit_code == 2 and result.stderr.strip() == f"eenzaam: {path}: {EXCEL_LINE}"


def test_without_the_extra_an_xlsx_report_is_refused_before_the_run(cli, tmp_path, without_extras):
    out = tmp_path / "uit.csv"
    result = cli("batch", str(DATA / "stad.csv"), "-o", str(out), "--rapport", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.strip() == f"eenzaam: --rapport {tmp_path / 'r.xlsx'}: {EXCEL_LINE}"


# --- numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, text", [(45.0, "45"), (-0.0, "0"), (0.1 + 0.2, "0.3"), (52.5, "52.5"),
                                         (1e20, "100000000000000000000"), (1.5e-7, "0.00000015"),
                                         (float("nan"), ""), (123456.7890123456, "123456.789012346")])
def test_numbers_are_written_as_the_numbers_they_are(value, text):
    assert formats.number_text(value) == text
