"""`eenzaam batch`: rows written by the output's extension, the report per area (`--per`), and the file that
`populatie --waargenomen` reads (`--waargenomen-uit`), end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

LONELY = ",".join("nee ja ja nee ja ja nee nee ja ja nee".split())  # 11 of 11: ernstig eenzaam
NONE = ",".join("ja nee nee ja nee nee ja ja nee nee ja".split())  # 0: niet eenzaam
HEADER = "id,leeftijd,wijk,w," + ",".join(f"djg_{i}" for i in range(1, 12))
# Noord: 4 people of 70, 1 lonely; Zuid: 2 of 70, both lonely; Oost: 3 of 40, 2 lonely; one of 40 without a wijk.
ROWS = [f"1,70,Noord,2,{LONELY}", f"2,70,Noord,1,{NONE}", f"3,70,Noord,1,{NONE}", f"4,70,Noord,2,{NONE}",
        f"5,70,Zuid,1,{LONELY}", f"6,70,Zuid,1,{LONELY}",
        f"7,40,Oost,1,{NONE}", f"8,40,Oost,1,{LONELY}", f"9,40,Oost,1,{LONELY}",
        f"10,40,,1,{LONELY}"]


def _respondents(folder: Path) -> str:
    path = folder / "enquete.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return str(path)


# --- A: output by extension ---

def test_xlsx_output_is_a_workbook(cli, tmp_path):
    import openpyxl

    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER},opmerking\n1,70,Noord,2,{LONELY},=1+1\n", encoding="utf-8")
    out = tmp_path / "uit.xlsx"
    result = cli("batch", str(source), "-o", str(out), "--stil")
    assert result.exit_code == 0, result.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "leeftijd", "wijk", "w") and rows[0][-1] == "preventieniveau"
    row = dict(zip(rows[0], rows[1]))
    assert row["id"] == "1" and row["opmerking"] == "=1+1"  # input cells as text, never a formula
    assert row["leeftijdsband"] == "65-74 jaar" and row["djg_totaal"] == 11 and row["djg_categorie"] == "ernstig_eenzaam"
    assert row["preventieniveau"] == 3 and row["hoogste_groepscijfer_eenzaam"] == 43.9  # the 2016 band's figure
    assert len(rows) == 2


def test_sav_output_has_value_labels(cli, tmp_path):
    import pyreadstat

    out = tmp_path / "uit.sav"
    result = cli("batch", _respondents(tmp_path), "-o", str(out), "--stil")
    assert result.exit_code == 0, result.stderr
    frame, meta = pyreadstat.read_sav(str(out))
    assert len(frame) == 10
    assert meta.variable_value_labels["preventieniveau"] == {1.0: "Universele preventie", 2.0: "Selectieve preventie",
                                                             3.0: "Geïndiceerde preventie"}
    assert meta.variable_value_labels["djg_categorie"] == {"niet_eenzaam": "niet eenzaam",
                                                           "matig_eenzaam": "matig eenzaam",
                                                           "ernstig_eenzaam": "(zeer) ernstig eenzaam"}
    assert list(frame["preventieniveau"]) == [3.0, 1.0, 1.0, 1.0, 3.0, 3.0, 1.0, 3.0, 3.0, 3.0]
    assert list(frame["leeftijd"]) == [70.0] * 6 + [40.0] * 4  # a column of plain numbers is numeric
    assert list(frame["wijk"])[-1] == "" and meta.readstat_variable_types["wijk"] == "string"


def test_sav_names_spss_refuses_are_made_valid(cli, tmp_path):
    import pyreadstat

    source = tmp_path / "in.csv"
    source.write_text(f"leeftijd,1e meting,{','.join(f'djg_{i}' for i in range(1, 12))}\n70,x,{NONE}\n", encoding="utf-8")
    out = tmp_path / "uit.sav"
    assert cli("batch", str(source), "-o", str(out), "--stil").exit_code == 0
    _, meta = pyreadstat.read_sav(str(out))
    assert meta.column_names[1] == "v_1e_meting" and meta.column_names_to_labels["v_1e_meting"] == "1e meting"


def test_sav_output_above_its_row_limit_is_refused(cli, tmp_path, monkeypatch):
    from eenzaam_cli.cli import output

    monkeypatch.setattr(output, "MAX_SAV_ROWS", 9)  # the file has 10 rows
    out = tmp_path / "uit.sav"
    result = cli("batch", _respondents(tmp_path), "-o", str(out), "--stil")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: --uitvoer {out}: meer dan 9 rijen schrijft eenzaam niet als .sav "
                                          "(het bestand wordt in één keer in het geheugen opgebouwd); schrijf CSV "
                                          "(-o uit.csv) of .xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enquete.csv"]


def test_jsonl_extension_writes_json_lines(cli, tmp_path):
    out = tmp_path / "uit.jsonl"
    assert cli("batch", _respondents(tmp_path), "-o", str(out), "--stil").exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10 and json.loads(lines[0])["djg_totaal"] == 11


@pytest.mark.parametrize(("name", "args", "message"), [
    ("uit.txt", (), "eenzaam: --uitvoer: '{out}': kies een bestand op .csv, .jsonl, .json, .xlsx of .sav (het formaat "
                    "volgt de extensie), of een naam zonder extensie met -f"),
    ("uit.csv", ("-f", "json"), "eenzaam: --uitvoer: '{out}' is een .csv-bestand, maar --format is json; laat --format "
                                "weg of kies -f csv"),
])
def test_an_extension_that_is_no_row_format_is_refused(cli, tmp_path, name, args, message):
    out = tmp_path / name
    result = cli("batch", _respondents(tmp_path), "-o", str(out), *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message.format(out=out)]
    assert not out.exists()


def test_a_missing_extra_is_refused_before_any_row(cli, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    out = tmp_path / "uit.xlsx"
    result = cli("batch", _respondents(tmp_path), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"eenzaam: --uitvoer {out}: een Excel-bestand (.xlsx) vraagt het pakket openpyxl, dat niet geïnstalleerd is; "
        "installeer het met: pip install 'eenzaam[excel]'"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enquete.csv"]


# --- B: the report per area ---

def test_report_per_area_and_band(cli, tmp_path):
    report = tmp_path / "r.json"
    result = cli("batch", _respondents(tmp_path), "-o", str(tmp_path / "uit.csv"), "--per", "wijk", "--rapport",
                 str(report), "--stil")
    assert result.exit_code == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    rows = data["per_gebied"]["rijen"]
    assert data["per_gebied"]["kolom"] == "wijk"
    assert [(r["gebied"], r["leeftijdsband"], r["aantal"], r["niveau_1"], r["niveau_2"], r["niveau_3"]) for r in rows] == [
        ("Noord", "65-74 jaar", 4, 3, 0, 1), ("Oost", "35-49 jaar", 3, 1, 0, 2), ("Zuid", "65-74 jaar", 2, 0, 0, 2),
        ("onbekend", "35-49 jaar", 1, 0, 0, 1)]  # the row without a wijk is its own area, last
    noord = rows[0]["prevalentie"]["eenzaam"]
    # Wilson, z = 1.959964, p = 1/4, n = 4: centre (p + z²/2n)/(1 + z²/n) = 0.730182/1.960365 = 0.372474,
    # half width z·√(p(1-p)/n + z²/4n²)/(1 + z²/n) = 1.959964·√0.106898/1.960365 = 0.326886: 4.56% to 69.94%.
    assert (noord["respondenten"], noord["aandeel"], noord["onder"], noord["boven"]) == (4, 25.0, 4.56, 69.94)
    assert rows[2]["prevalentie"]["ernstig"]["aandeel"] == 100.0
    # the whole file is still one table per band: 6 + 4 rows
    assert data["per_leeftijdsband"] == {"35-49 jaar": 4, "65-74 jaar": 6}


def test_report_per_area_weighted_uses_kish(cli, tmp_path):
    report = tmp_path / "r.json"
    result = cli("batch", _respondents(tmp_path), "-o", str(tmp_path / "uit.csv"), "--per", "wijk", "--gewicht", "w",
                 "--rapport", str(report), "--stil")
    assert result.exit_code == 0, result.stderr
    noord = json.loads(report.read_text(encoding="utf-8"))["per_gebied"]["rijen"][0]["prevalentie"]["eenzaam"]
    # Noord's weights 2 (lonely), 1, 1, 2: p = 2/6, Kish n = 6²/10 = 3.6; Wilson with n = 3.6: z²/n = 1.067072,
    # centre (1/3 + 0.533536)/2.067072 = 0.419372, half 1.959964·√(0.061728 + 0.074103)/2.067072 = 0.349459.
    assert noord["n_effectief"] == 3.6 and noord["aandeel"] == 33.33
    assert noord["onder"] == pytest.approx(6.99, abs=0.01) and noord["boven"] == pytest.approx(76.88, abs=0.01)


def test_report_per_area_in_markdown_and_workbook(cli, tmp_path):
    import openpyxl

    markdown, workbook = tmp_path / "r.md", tmp_path / "r.xlsx"
    for report in (markdown, workbook):
        assert cli("batch", _respondents(tmp_path), "-o", str(tmp_path / "uit.csv"), "--per", "wijk", "--rapport",
                   str(report), "--stil").exit_code == 0
    text = markdown.read_text(encoding="utf-8")
    assert "## Rijen per wijk en leeftijdsband, met de preventieniveaus" in text
    assert "| Noord | 65-74 jaar | 4 |  | 25,0% (4,6–69,9) |" in text
    assert "| onbekend | 35-49 jaar | 1 | 0 | 0 | 1 |" in text
    sheet = openpyxl.load_workbook(workbook)["per_gebied"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("gebied", "leeftijdsband", "aantal", "niveau_1", "niveau_2", "niveau_3", "eenzaam_respondenten")
    assert rows[1][:7] == ("Noord", "65-74 jaar", 4, 3, 0, 1, 4)


def test_per_needs_a_column_of_the_file(cli, tmp_path):
    result = cli("batch", _respondents(tmp_path), "--per", "buurt")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: --per: kolom 'buurt' staat niet in {tmp_path / 'enquete.csv'} "
                                          f"(kolommen: {HEADER.replace(',', ', ')})"]


# --- C: batch -> populatie --waargenomen ---

def test_batch_feeds_populatie_waargenomen(cli, tmp_path):
    observed = tmp_path / "waargenomen.csv"
    result = cli("batch", _respondents(tmp_path), "-o", str(tmp_path / "uit.csv"), "--per", "wijk",
                 "--waargenomen-uit", str(observed), "--stil")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == ("eenzaam: --waargenomen-uit: 1 respondenten niet in het bestand (zonder "
                                             "monitorband of zonder wijk)")
    assert list(csv.reader(observed.open(encoding="utf-8"))) == [
        ["gebied", "leeftijd", "maat", "respondenten", "waargenomen"],
        ["Noord", "65-74", "eenzaam", "4", "1"], ["Oost", "35-49", "eenzaam", "3", "2"],
        ["Zuid", "65-74", "eenzaam", "2", "2"]]
    segments = tmp_path / "wijken.csv"
    segments.write_text("gebied,leeftijd,aantal\nNoord,65-74,1000\nOost,35-49,700\nZuid,65-74,500\n", encoding="utf-8")
    result = cli("populatie", str(segments), "--waargenomen", str(observed), "-f", "json")
    assert result.exit_code == 0, result.stderr
    compared = {c["gebied"]: c for c in json.loads(result.stdout)["vergelijking"]}
    # observed shares by hand: 1/4, 2/3, 2/2; expected = respondents × the 2016 band figure (43.9%, 40.8%)
    assert {a: (c["respondenten"], c["waargenomen"], c["aandeel"]) for a, c in compared.items()} == {
        "Noord": (4, 1, 25), "Oost": (3, 2, pytest.approx(66.667, abs=0.001)), "Zuid": (2, 2, 100)}
    assert compared["Noord"]["verwacht_waargenomen"] == pytest.approx(4 * 0.439)
    assert compared["Oost"]["verwacht_waargenomen"] == pytest.approx(3 * 0.408)


def test_waargenomen_uit_without_per_and_for_ernstig(cli, tmp_path):
    observed = tmp_path / "w.csv"
    assert cli("batch", _respondents(tmp_path), "-o", str(tmp_path / "uit.csv"), "--maat", "ernstig",
               "--waargenomen-uit", str(observed), "--stil").exit_code == 0
    assert list(csv.reader(observed.open(encoding="utf-8"))) == [
        ["leeftijd", "maat", "respondenten", "waargenomen"], ["35-49", "ernstig", "4", "3"],
        ["65-74", "ernstig", "6", "3"]]  # the bands in the monitor's order
    segments = tmp_path / "stad.csv"
    segments.write_text("leeftijd,aantal\n65-74,1000\n35-49,700\n", encoding="utf-8")
    result = cli("populatie", str(segments), "--waargenomen", str(observed), "--maat", "eenzaam", "--stil")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {observed}:2: maat: 'ernstig' past niet bij --maat eenzaam; "
                                          "vergelijk met --maat ernstig of tel eenzaam (batch --maat eenzaam "
                                          "--waargenomen-uit)"]
    result = cli("populatie", str(segments), "--waargenomen", str(observed), "--maat", "ernstig", "-f", "json")
    assert result.exit_code == 0, result.stderr
    (total,) = json.loads(result.stdout)["vergelijking"]
    assert (total["respondenten"], total["waargenomen"]) == (10, 6)


def test_waargenomen_uit_counts_respondents_also_with_weights(cli, tmp_path):
    """populatie --waargenomen reads respondents: with --gewicht (or a koppeling's gewicht) the report is weighted,
    the file still counts each respondent once, so it never says more are lonely than were asked."""
    observed = tmp_path / "w.csv"
    result = cli("batch", _respondents(tmp_path), "-o", str(tmp_path / "uit.csv"), "--per", "wijk", "--gewicht", "w",
                 "--waargenomen-uit", str(observed), "--stil")
    assert result.exit_code == 0, result.stderr
    assert list(csv.reader(observed.open(encoding="utf-8"))) == [  # as without weights (by hand: 1/4, 2/3, 2/2)
        ["gebied", "leeftijd", "maat", "respondenten", "waargenomen"],
        ["Noord", "65-74", "eenzaam", "4", "1"], ["Oost", "35-49", "eenzaam", "3", "2"],
        ["Zuid", "65-74", "eenzaam", "2", "2"]]
