"""Analysts' own files: a starter folder and own sources (A), the monitor table named everywhere (B), CBS's age
labels (C). Every expected value is written out by hand; the made-up figures are test data, not figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eenzaam_cli.core.reference.loading import bundled_data_dir

BUNDLED = (bundled_data_dir() / "monitor_2016.csv").read_text(encoding="utf-8")
OWN_SOURCE = """\
bronnen:
  - id: ggd_test_2020
    auteurs: "GGD Testregio"
    jaar: 2020
    titel: "Testmonitor"
    url: "https://www.example.org/testmonitor"
"""


def own_table(folder: Path, *, area: str | None = None, source: str = "ggd_test_2020", sources: str | None = OWN_SOURCE,
              total: bool = False) -> Path:
    """`folder` with monitor_2020.csv: the bundled table as 2020, 19-34 eenzaam 40.1 instead of 38.7, own source."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = BUNDLED.replace(",gm_2016,2016,", f",{source},2020,").replace("38.7", "40.1").splitlines()
    if area is not None:
        lines = [lines[0] + ",gebied", *(line + f",{area}" for line in lines[1:])]
        if total:
            lines.append(f"totaal,,,41.0,9.9,,,{source},2020,,{area}")
    (folder / "monitor_2020.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if sources is not None:
        (folder / "bronnen.yaml").write_text(sources, encoding="utf-8")
    return folder


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- item 8: own data without copying everything ---


def test_own_table_names_its_own_source_without_copying_the_bibliography(cli, tmp_path):
    folder = own_table(tmp_path / "mijn")
    result = cli("prevalentie", "--data", str(folder), "-f", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert (rows[0]["groep"], rows[0]["eenzaam"], rows[0]["bron"], rows[0]["jaar"]) == ("19-34 jaar", 40.1, "ggd_test_2020", 2020)
    assert rows[-1]["bron"] == "eenzaam:gm_2016;ernstig:movisie"  # the bundled sources are still there
    source = cli("bronnen", "ggd_test_2020", "--data", str(folder), "-f", "json")
    assert source.exit_code == 0
    data = json.loads(source.stdout)
    assert data["auteurs"] == "GGD Testregio" and data["gebruikt_door"][:2] == ["monitor:19-34 jaar", "monitor:35-49 jaar"]
    bundled = json.loads(cli("bronnen", "gm_2016", "--data", str(folder), "-f", "json").stdout)
    assert "monitor 2016:19-34 jaar" in bundled["gebruikt_door"]  # the bundled table, not in use, still cites it


def test_an_unknown_source_of_a_table_is_one_line(cli, tmp_path):
    folder = own_table(tmp_path / "mijn", sources=None)
    result = cli("data", "valideer", str(folder))
    assert result.exit_code == 3
    assert one_line(result.stdout) == (
        f"{folder / 'monitor_2020.csv'}:2: bron: onbekende bron 'ggd_test_2020' (niet in bronnen.yaml; ook in 5 andere "
        "rij(en)); beschrijf haar in een eigen bronnen.yaml naast deze tabel")


def test_the_same_own_source_in_two_files_is_one_line_naming_both(cli, tmp_path):
    first = own_table(tmp_path / "een")
    second = tmp_path / "twee"
    second.mkdir()
    (second / "bronnen.yaml").write_text("# tweede\n" + OWN_SOURCE, encoding="utf-8")
    result = cli("data", "valideer", str(first), str(second))
    assert result.exit_code == 3
    assert one_line(result.stdout) == (
        f"{second / 'bronnen.yaml'}:3: bronnen[0].id: bron 'ggd_test_2020' staat al in {first / 'bronnen.yaml'}:2; "
        "geef elke eigen bron één keer")


def test_an_own_entry_replaces_the_bundled_one_of_its_id(cli, tmp_path):
    folder = tmp_path / "mijn"
    folder.mkdir()
    (folder / "bronnen.yaml").write_text(
        "bronnen:\n  - id: gm_2016\n    auteurs: \"GGD-en, CBS en RIVM (eigen notitie)\"\n    jaar: 2016\n"
        "    vermeld_in: [\"3.2\"]\n", encoding="utf-8")
    result = cli("bronnen", "gm_2016", "--data", str(folder), "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["auteurs"] == "GGD-en, CBS en RIVM (eigen notitie)"
    assert json.loads(cli("bronnen", "movisie", "--data", str(folder), "-f", "json").stdout)["auteurs"] == "Movisie"


def test_data_start_writes_a_folder_to_fill_in_and_never_overwrites(cli, tmp_path):
    folder = tmp_path / "nieuw"
    result = cli("data", "start", str(folder))
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["LEESMIJ.txt", "bronnen.yaml", "monitor_eigen.csv"]
    assert (folder / "monitor_eigen.csv").read_text(encoding="utf-8") == (
        "groep,leeftijd_van,leeftijd_tot,eenzaam,ernstig,emotioneel,sociaal,bron,jaar,gebied,notitie\n"
        "19-34 jaar,19,34,,,,,mijn_monitor,,,\n35-49 jaar,35,49,,,,,mijn_monitor,,,\n"
        "50-64 jaar,50,64,,,,,mijn_monitor,,,\n65-74 jaar,65,74,,,,,mijn_monitor,,,\n"
        "75-84 jaar,75,84,,,,,mijn_monitor,,,\n85+,85,,,,,,mijn_monitor,,,\n")
    assert "  - id: mijn_monitor\n" in (folder / "bronnen.yaml").read_text(encoding="utf-8")
    assert "eenzaam data valideer" in (folder / "LEESMIJ.txt").read_text(encoding="utf-8")
    # Filled in by hand: a year, a figure, the area.
    table = folder / "monitor_eigen.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("mijn_monitor,,,", "mijn_monitor,2022,Testregio,")
                     .replace("19-34 jaar,19,34,,", "19-34 jaar,19,34,41.5,"), encoding="utf-8")
    shown = cli("prevalentie", "--data", str(folder), "--leeftijd", "20", "-f", "markdown")
    assert shown.exit_code == 0, shown.stderr
    assert "## Eenzaamheid naar leeftijd (%): monitortabel Testregio 2022" in shown.stdout
    assert "| 19-34 jaar | 41,5 | – | – | – |" in shown.stdout
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = cli("data", "start", str(folder))
    assert again.exit_code == 2
    assert one_line(again.stderr) == (f"eenzaam: {folder / 'LEESMIJ.txt'}: bestaat al; eenzaam data start overschrijft "
                                      "niets (kies een nieuwe of lege map)")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_data_start_refuses_a_file_and_data_pad_names_the_bundled_folder(cli, tmp_path):
    target = tmp_path / "bestand"
    target.write_text("x", encoding="utf-8")
    result = cli("data", "start", str(target))
    assert result.exit_code == 2 and target.read_text(encoding="utf-8") == "x"
    assert one_line(result.stderr) == f"eenzaam: {target}: is een bestand, geen map; kies een nieuwe of lege map"
    shown = cli("data", "pad")
    assert shown.exit_code == 0
    assert (Path(one_line(shown.stdout)) / "monitor_2016.csv").read_text(encoding="utf-8").startswith("groep,")


# --- item 9: year and origin everywhere ---


def test_prevalence_names_its_table_and_the_population_row_its_year(cli, tmp_path):
    bundled = cli("prevalentie", "-f", "markdown").stdout
    assert "## Eenzaamheid naar leeftijd (%): monitortabel Landelijk 2016" in bundled
    assert "| Nederlandse bevolking | 43 | 10 | – | – |" in bundled  # the 2016 table: the 2016 figure, as before
    own = cli("prevalentie", "--data", str(own_table(tmp_path / "mijn")), "-f", "markdown").stdout
    assert "## Eenzaamheid naar leeftijd (%): monitortabel Landelijk 2020" in own
    assert "| Nederlandse bevolking (2016) | 43 | 10 | – | – |" in own
    assert ("- Nederlandse bevolking (2016): 43% eenzaam [gm_2016, 2016], 10% (zeer) ernstig eenzaam [movisie, geen "
            "jaar genoemd]. Deze bevolkingscijfers komen uit maten.yaml, niet uit de monitortabel Landelijk 2020.") in own


def test_a_regional_table_is_called_by_its_own_name(cli, tmp_path):
    folder = own_table(tmp_path / "mijn", area="Testregio", total=True)
    shown = cli("prevalentie", "--data", str(folder), "-f", "markdown").stdout
    assert "## Eenzaamheid naar leeftijd (%): monitortabel Testregio 2020" in shown
    assert "| Testregio, alle leeftijden | 41,0 | 9,9 | – | – |" in shown
    compared = cli("prevalentie", "--data", str(folder), "--vergelijk", "2016", "2020", "--maat", "eenzaam",
                   "-f", "markdown").stdout
    assert "## Eenzaam naar leeftijd: Landelijk 2016 en Testregio 2020 (%)" in compared
    english = cli("prevalentie", "--jaar", "2016", "--data", str(folder), "--taal", "en", "-f", "markdown").stdout
    assert "## Loneliness by age (%): monitor table National 2016" in english


def test_an_area_that_differs_between_rows_is_one_line(cli, tmp_path):
    folder = own_table(tmp_path / "mijn", area="Testregio")
    table = folder / "monitor_2020.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("85+,85,,62.7,14.8,53.1,52.0,ggd_test_2020,2020,afbeelding 3,Testregio",
                                                               "85+,85,,62.7,14.8,53.1,52.0,ggd_test_2020,2020,afbeelding 3,Elders"),
                     encoding="utf-8")
    result = cli("data", "valideer", str(folder))
    assert result.exit_code == 3
    assert one_line(result.stdout) == (f"{table}:7: gebied: 'Elders' wijkt af van 'Testregio' (regel 2); een "
                                       "monitorbestand is één tabel van één gebied")


def test_profile_shows_the_table_of_its_starting_figure(cli, tmp_path):
    folder = own_table(tmp_path / "mijn", area="Testregio")
    shown = cli("profiel", "--leeftijd", "25", "--burgerlijke-staat", "verweduwd", "--data", str(folder),
                "-f", "markdown").stdout
    assert "Leeftijd 25 · leeftijdsband 19-34 jaar (monitortabel Testregio 2020) · levensfase:" in shown
    assert "| startpunt | 40,1% | leeftijdsband 19-34 jaar, Testregio 2020 | – | 40,1% |" in shown
    bundled = cli("profiel", "--leeftijd", "25", "--burgerlijke-staat", "verweduwd", "-f", "markdown").stdout
    assert "| startpunt | 38,7% | leeftijdsband 19-34 jaar, Landelijk 2016 | – | 38,7% |" in bundled


def test_population_and_batch_report_name_the_table(cli, tmp_path):
    folder = own_table(tmp_path / "mijn", area="Testregio")
    segments = tmp_path / "wijken.csv"
    segments.write_text("gebied,leeftijd,aantal\nA,19-34,100\n", encoding="utf-8")
    shown = cli("populatie", str(segments), "--data", str(folder), "-f", "markdown").stdout
    assert "## Populatieprofiel: monitortabel Testregio 2020" in shown
    assert "| A | 100 | 0 | 40,1 |" in shown  # 100 people × the table's 40.1%
    answers = tmp_path / "antwoorden.csv"
    answers.write_text("leeftijd," + ",".join(f"djg_{i}" for i in range(1, 12)) + "\n"
                       "25,ja,ja,ja,ja,ja,ja,nee,nee,nee,nee,nee\n", encoding="utf-8")
    report = tmp_path / "rapport.md"
    json_report = tmp_path / "rapport.json"
    for target in (report, json_report):
        result = cli("batch", str(answers), "--stil", "--data", str(folder), "--rapport", str(target),
                     "-o", str(tmp_path / "uit.csv"))
        assert result.exit_code == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Rapport eenzaam batch: monitortabel Testregio 2020\n")
    assert "| Leeftijd | Respondenten | n effectief (Kish) | Aandeel (95%-BI, Wilson) | Testregio 2020 |" in text
    data = json.loads(json_report.read_text(encoding="utf-8"))
    assert (data["monitortabel"], data["jaar_landelijk"], data["bron_landelijk"]) == ("Testregio 2020", 2020, "ggd_test_2020")
    assert data["prevalentie"]["eenzaam"][0]["landelijk_2020"] == 40.1


# --- item 10: CBS labels ---


def test_cbs_age_labels_are_read():
    """('0 tot 15 jaar', '65 jaar en ouder' and the like were read before; the CLI test below has them too.)"""
    from eenzaam_cli.core.population import parse_age_range

    labels = ["65 jaar of ouder", "80 jaar of ouder", "80 Jaar  of ouder", "15 t/m 24 jaar", "15 jaar tot 25 jaar"]
    spans = {label: (span.low, span.high) for label in labels for span in [parse_age_range(label, "x")]}
    assert spans == {"65 jaar of ouder": (65, None), "80 jaar of ouder": (80, None), "80 Jaar  of ouder": (80, None),
                     "15 t/m 24 jaar": (15, 24), "15 jaar tot 25 jaar": (15, 24)}


def test_populatie_herverdeel_reads_a_cbs_table(cli, tmp_path):
    segments = tmp_path / "cbs.csv"
    segments.write_text("gebied;leeftijd;aantal\nA;0 tot 15 jaar;100\nA;65 jaar of ouder;300\n"
                        "B;80 jaar of ouder;50\nB;75 tot 80 jaar;50\nC;65 jaar en ouder;0\n", encoding="utf-8")
    result = cli("populatie", str(segments), "--herverdeel", "--hoogste-leeftijd", "94", "-f", "json")
    assert result.exit_code == 0, result.stderr
    areas = {area["gebied"]: area for area in json.loads(result.stdout)["gebieden"]}
    # A: 0-14 is outside the monitor; 65-94 is 30 years, 10 in each of 65-74, 75-84 and 85+:
    # 100 × (43.9% + 52.5% + 62.7%) = 159.1 lonely.
    assert (areas["A"]["inwoners"], areas["A"]["buiten_monitor"]) == (300, 100)
    assert areas["A"]["verwacht"]["eenzaam"]["gekalibreerd"] == pytest.approx(159.1, abs=1e-3)
    # B: 75-79 (5 years) and 80-84 (5 of 15 years of 80-94) in 75-84, 85-94 (10 of 15) in 85+:
    # 50 + 50/3 in 75-84, 100/3 in 85+: 66.667 × 52.5% + 33.333 × 62.7% = 35 + 20.9 = 55.9 lonely.
    assert areas["B"]["verwacht"]["eenzaam"]["gekalibreerd"] == pytest.approx(55.9, abs=1e-3)


def test_an_open_band_without_a_top_age_is_one_line_for_the_whole_file(cli, tmp_path):
    """Every row with "80 jaar of ouder" needs --hoogste-leeftijd: said once, at the first such row, not per row."""
    segments = tmp_path / "wijken.csv"
    segments.write_text("gebied,leeftijd,aantal\nA,65 tot 80 jaar,100\nA,80 jaar of ouder,50\n"
                        "B,80 jaar of ouder,70\n", encoding="utf-8")
    result = cli("populatie", str(segments), "--herverdeel", "--stil")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"eenzaam: {segments}:3: leeftijd: de open band '80 jaar of ouder' kan alleen naar rato van de jaren verdeeld "
        "worden met een bovengrens; geef --hoogste-leeftijd (bijv. 100)"]
