"""`eenzaam populatie` and the population engine: expected numbers, calibration, tiers, focus groups, comparison.

tests/data/stad.csv is a synthetic city: five districts × the monitor's six bands (invented counts).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest

from eenzaam_cli.core.loading import load_reference
from eenzaam_cli.core.population import PopulationEngine, parse_age_range
from eenzaam_cli.core.stats import standardised_ratio, wilson

DATA = Path(__file__).parent / "data"
CITY, OBSERVED = str(DATA / "stad.csv"), str(DATA / "stad_waargenomen.csv")
REFERENCE = load_reference()
FIGURES = {band.label: band.values for band in REFERENCE.monitor.bands}
LABEL = {"19-34": "19-34 jaar", "35-49": "35-49 jaar", "50-64": "50-64 jaar", "65-74": "65-74 jaar",
         "75-84": "75-84 jaar", "85+": "85+"}


def city_rows() -> list[dict[str, str]]:
    with open(CITY, encoding="utf-8") as file:
        return list(csv.DictReader(file, delimiter=";"))


def run(rows, **options):
    return PopulationEngine(REFERENCE).profile(((f"t:{i}", r) for i, r in enumerate(rows, 2)), **options)


def json_run(cli, *args):
    result = cli("populatie", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- the done-when city -------------------------------------------------------------------------------


def test_city_gives_per_district_expected_counts_tiers_and_ratios(cli):
    data = json_run(cli, CITY, "--waargenomen", OBSERVED)
    districts = {d["gebied"]: d for d in data["gebieden"]}
    assert set(districts) == {"Centrum", "Noord", "Oost", "Zuid", "West"}
    for name, district in districts.items():
        rows = [r for r in city_rows() if r["gebied"] == name]
        lonely = sum(Decimal(r["aantal"]) * FIGURES[LABEL[r["leeftijd"]]]["eenzaam"] / 100 for r in rows)
        assert Decimal(str(district["verwacht"]["eenzaam"]["combinatie_onafhankelijk"])) == lonely
        tiers = district["niveaus"]
        assert abs(sum(Decimal(str(v)) for v in tiers.values()) - sum(Decimal(r["aantal"]) for r in rows)) < Decimal("0.01")
        # tier 3 is the expected (very) severely lonely, by the tier-3 rule of niveaus.yaml
        assert Decimal(str(tiers["3"])) == Decimal(str(district["verwacht"]["ernstig"]["combinatie_onafhankelijk"]))
    comparisons = {c["gebied"]: c for c in data["vergelijking"]}
    zuid = comparisons["Zuid"]
    expected = sum(Decimal(r["aantal"]) * FIGURES[LABEL[r["leeftijd"]]]["eenzaam"] for r in city_rows()
                   if r["gebied"] == "Zuid") / sum(Decimal(r["aantal"]) for r in city_rows() if r["gebied"] == "Zuid") / 100 * 1000
    ratio = standardised_ratio(520, float(expected))
    assert zuid["ratio"] == pytest.approx(ratio.value, abs=1e-3) and zuid["methode"] == "byars"
    assert zuid["ratio_onder"] == pytest.approx(ratio.lower, abs=1e-3) and zuid["oordeel"] == "hoger"
    interval = wilson(520, 1000)
    assert zuid["aandeel_onder"] == pytest.approx(interval.lower * 100, abs=1e-3)
    assert comparisons["West"]["methode"] == "exact"  # fewer than 10 observed
    assert data["duiding"].startswith("Indicatieve groepsinformatie")


def test_city_table_and_csv(cli):
    out = cli("populatie", CITY, "--waargenomen", OBSERVED).stdout
    for word in ("Populatieprofiel", "Centrum", "Niveau 3", "Verwacht eenzaam naar leeftijdsband", "█", "hoger",
                 "Focusgroepen", "Kalibratie", "Indicatieve groepsinformatie"):
        assert word in out, word
    rows = list(csv.DictReader(io.StringIO(cli("populatie", CITY, "--waargenomen", OBSERVED, "-f", "csv").stdout)))
    assert [r["gebied"] for r in rows] == ["Centrum", "Noord", "Oost", "West", "Zuid"]
    assert rows[4]["oordeel"] == "hoger" and rows[0]["duiding"]


def test_age_only_calibration_is_exact():
    result = run(city_rows())
    total = sum(Decimal(r["aantal"]) * FIGURES[LABEL[r["leeftijd"]]]["eenzaam"] / 100 for r in city_rows())
    assert result.total.expected["eenzaam"] == total  # exactly, not approximately
    assert result.calibration == () and result.age_only_cells == 30 and result.age_only_worst == 0
    for band, totals in result.bands.items():
        assert totals.expected["eenzaam"] == totals.count * FIGURES[band]["eenzaam"] / 100


def test_a_band_split_by_a_factor_reports_its_deviation():
    rows = [{"leeftijd": "35-49", "opleiding": level, "aantal": n} for level, n in
            (("laag", "300"), ("midden", "400"), ("hoog", "300"))]
    result = run(rows)
    (cell,) = result.calibration
    assert cell.split and cell.band_figure == Decimal("40.8")
    assert cell.deviation == cell.computed - Decimal("40.8") and cell.deviation != 0


def test_stacked_segments_use_the_profile_engine(cli):
    from eenzaam_cli.core.person import PersonReader
    from eenzaam_cli.core.profile import Engine

    result = run([{"leeftijd": "85+", "burgerlijke_staat": "verweduwd", "aantal": "1000"}])
    person = PersonReader(REFERENCE).read([("leeftijd", 85, "t"), ("burgerlijke_staat", "verweduwd", "t")])
    stack = Engine(REFERENCE).profile(person).stacks["eenzaam"]
    assert result.total.expected["eenzaam"] == 1000 * stack.combined / 100
    assert result.total.expected_highest["eenzaam"] == 1000 * stack.highest_group / 100
    assert result.focus_excess[0].excess == stack.combined - Decimal("62.7")


def test_tiers_follow_the_rules_in_order():
    adolescents = run([{"leeftijd": "19-34", "aantal": "1600"}]).total.tiers
    # ages 19-24 (6 of 16 years) are adolescents, a risk level: tier 2 for the part not lonely
    lonely, severe = Decimal("38.7") / 100, Decimal("8.9") / 100
    assert adolescents[3] == 1600 * severe
    assert adolescents[2] == 1600 * (lonely - severe) + 1600 * Decimal(6) / 16 * (1 - lonely)
    assert sum(adolescents.values()) == 1600


# --- bands ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, low, high", [("45", 45, 45), ("75-84", 75, 84), ("75-84 jaar", 75, 84), ("85+", 85, None),
                                             ("15 tot 25", 15, 24), ("65 jaar en ouder", 65, None)])
def test_age_ranges(text, low, high):
    span = parse_age_range(text, "t")
    assert (span.low, span.high) == (low, high)


def test_cbs_bands_need_redistribute_and_are_split_by_years(cli, tmp_path):
    cbs = tmp_path / "cbs.csv"
    cbs.write_text("gebied,leeftijd,aantal\nWijk,0 tot 15,1500\nWijk,15 tot 25,1000\nWijk,25 tot 45,2000\n"
                   "Wijk,45 tot 65,2000\nWijk,65+,1800\n", encoding="utf-8")
    refused = cli("populatie", str(cbs))
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "cbs.csv:3: leeftijd: '15 tot 25' is geen band van de monitor (banden: 19-34 jaar" in refused.stderr
    assert "--herverdeel" in refused.stderr and "Traceback" not in refused.stderr
    open_band = cli("populatie", str(cbs), "--herverdeel")
    assert open_band.exit_code == 2 and "--hoogste-leeftijd" in open_band.stderr
    data = json_run(cli, str(cbs), "--herverdeel", "--hoogste-leeftijd", "100")
    total = data["totaal"]
    assert total["buiten_monitor"] == 1500 + 400  # 0-14 wholly, and 15-18 of 15-24
    assert total["inwoners"] == 1000 - 400 + 2000 + 2000 + 1800
    assert data["herverdeelde_rijen"] == 4
    bands = {b["band"]: b["inwoners"] for b in data["banden"]}
    assert bands["19-34 jaar"] == 600 + 1000  # 19-24 of 15-24, and 25-34 of 25-44
    assert bands["85+"] == pytest.approx(1800 * 16 / 36, abs=1e-3)


def test_every_bad_row_is_named(cli, tmp_path):
    bad = tmp_path / "fout.csv"
    bad.write_text("gebied;leeftijd;aantal\nA;19-34;100\nA;35-49;-5\nA;50-64;abc\nA;65-74;12,5\nA;20-30;40\n"
                   "A;75-84;\nA;85+;10\n", encoding="utf-8")
    result = cli("populatie", str(bad))
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines] == [f"{bad}:{n}" for n in (3, 4, 5, 6, 7)]
    assert "-5 is negatief" in lines[0] and "'abc' is geen getal" in lines[1]
    assert "12,5 is geen geheel getal" in lines[2]
    assert "'20-30' is geen band van de monitor" in lines[3] and "aantal ontbreekt" in lines[4]


def test_dutch_spreadsheet_export_and_yaml_give_the_same_result(cli, tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes("\ufeffgebied;leeftijd;burgerlijke_staat;aantal\r\nA;75-84;verweduwd;300\r\nA;85+;;200\r\n".encode())
    segments = tmp_path / "segmenten.yaml"
    segments.write_text("- {gebied: A, leeftijd: 75-84, burgerlijke_staat: verweduwd, aantal: 300}\n"
                        "- {gebied: A, leeftijd: 85+, aantal: 200}\n", encoding="utf-8")
    assert json_run(cli, str(export))["totaal"] == json_run(cli, str(segments))["totaal"]


def test_unknown_key_or_value_is_bad_input(cli, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("leeftijd,burgerlijke_staat,aantal\n45,misschien,10\n", encoding="utf-8")
    result = cli("populatie", str(path))
    assert result.exit_code == 2 and f"{path}:2: burgerlijke_staat: 'misschien' is onbekend" in result.stderr


def test_svg_and_html_export(cli, tmp_path):
    svg, html = tmp_path / "stad.svg", tmp_path / "stad.html"
    result = cli("populatie", CITY, "--svg", str(svg), "--html", str(html))
    assert result.exit_code == 0
    root = ElementTree.parse(svg).getroot()  # well-formed
    assert root.tag.endswith("svg")
    text = svg.read_text(encoding="utf-8")
    assert "Populatieprofiel" in text and "Centrum" in text and "5439,5" in text
    assert "5439,5" in html.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".eenzaam-*"))  # no temporary file left behind


def test_english(cli):
    out = cli("populatie", CITY, "--taal", "en").stdout
    assert "Population profile" in out and "Indicative group information" in out
