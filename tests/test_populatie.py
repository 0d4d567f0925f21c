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

from eenzaam_cli.core.reference.loading import load_reference
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
        assert Decimal(str(district["verwacht"]["eenzaam"]["gekalibreerd"])) == lonely
        tiers = district["niveaus"]
        assert abs(sum(Decimal(str(v)) for v in tiers.values()) - sum(Decimal(r["aantal"]) for r in rows)) < Decimal("0.01")
        # tier 3 is the expected (very) severely lonely, by the tier-3 rule of niveaus.yaml
        assert Decimal(str(tiers["3"])) == Decimal(str(district["verwacht"]["ernstig"]["gekalibreerd"]))
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

    import math

    # a band given as one segment comes back to the band's figure: the factor has no one to redistribute to
    alone = run([{"leeftijd": "85+", "burgerlijke_staat": "verweduwd", "aantal": "1000"}])
    assert alone.total.expected["eenzaam"] == 1000 * Decimal("62.7") / 100 and alone.focus_excess == ()
    # split over two levels, the calibrated shares keep the engine's contrast (a difference of logits)
    result = run([{"leeftijd": "85+", "burgerlijke_staat": state, "aantal": "500"} for state in ("verweduwd", "gehuwd")])
    combined = {}
    for state in ("verweduwd", "gehuwd"):
        person = PersonReader(REFERENCE).read([("leeftijd", 85, "t"), ("burgerlijke_staat", state, "t")])
        combined[state] = float(Engine(REFERENCE).profile(person).stacks["eenzaam"].combined)
    shares = {dict(f.items)["burgerlijke_staat"]: float(f.expected / f.count * 100) for f in result.focus_expected}
    logit = lambda p: math.log(p / (100 - p))  # noqa: E731
    assert logit(shares["verweduwd"]) - logit(shares["gehuwd"]) == pytest.approx(
        logit(combined["verweduwd"]) - logit(combined["gehuwd"]), abs=1e-9)
    assert float(result.focus_excess[0].excess) == pytest.approx(shares["verweduwd"] - 62.7, abs=1e-9)


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
    result = cli("populatie", str(bad), "--stil")
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
    assert "Populatieprofiel" in text and "Centrum" in text and ">5.439<" in text  # the chart: whole people
    assert "<td class=\"num\">5439,5</td>" in html.read_text(encoding="utf-8")  # the table: one decimal
    assert not list(tmp_path.glob(".eenzaam-*"))  # no temporary file left behind


def test_english(cli):
    out = cli("populatie", CITY, "--taal", "en").stdout
    assert "Population profile" in out and "Indicative group information" in out


# --- item 5: population estimates are calibrated ---


def _hand_logit(p: float) -> float:
    import math

    return math.log(p / (100 - p))


def _hand_expit(x: float) -> float:
    import math

    return 100 / (1 + math.exp(-x))


def _hand_intercept(terms: list[tuple[float, float]], target: float) -> float:
    """c with sum(n * expit(L + c)) / 100 = target, by plain bisection (independent of the engine's solver)."""
    low, high = -20.0, 20.0
    for _ in range(200):
        middle = (low + high) / 2
        if sum(n * _hand_expit(x + middle) / 100 for n, x in terms) > target:
            high = middle
        else:
            low = middle
    return (low + high) / 2


def test_worked_example_of_methode_section_8_recomputed():
    """docs/methode.md §8: band 35-49 (40.8%), 1000 people, education low/intermediate/high 200/400/400.

    The levels' combinations are re-derived here from the data figures (63 and 36 on the population footing of
    43, rounded to one decimal as the engine gives it); c is found by this test's own bisection.
    """
    band = _hand_logit(40.8)
    combination = {"laag": round(_hand_expit(band + _hand_logit(63) - _hand_logit(43)), 1), "midden": 40.8,
                   "hoog": round(_hand_expit(band + _hand_logit(36) - _hand_logit(43)), 1)}
    assert combination == {"laag": 60.9, "midden": 40.8, "hoog": 33.9}  # as methode.md prints them
    counts = {"laag": 200, "midden": 400, "hoog": 400}
    c = _hand_intercept([(counts[k], _hand_logit(combination[k])) for k in counts], 408)
    assert round(c, 4) == -0.0541 and round(c, 6) == -0.054114
    people = {k: counts[k] * _hand_expit(_hand_logit(combination[k]) + c) / 100 for k in counts}
    assert {k: round(v, 2) for k, v in people.items()} == {"laag": 119.21, "midden": 158.00, "hoog": 130.79}
    text = (Path(__file__).parent.parent / "docs" / "methode.md").read_text(encoding="utf-8")
    for printed in ("**c = −0.0541** (−0.054114)", "| low | 0.3890 | 59.60% | 119.21 |",
                    "| intermediate | −0.4264 | 39.50% | 158.00 |", "| high | −0.7219 | 32.70% | 130.79 |"):
        assert printed in text, printed
    # the tool gives the same
    result = run([{"leeftijd": "35-49", "opleiding": k, "aantal": str(n)} for k, n in counts.items()])
    (cell,) = result.calibration
    assert cell.computed == Decimal("42.06") and cell.deviation == Decimal("1.26")  # (200×60.9+400×40.8+400×33.9)/1000
    assert cell.intercept == pytest.approx(c, abs=1e-10)
    expected = {dict(f.items)["opleiding"]: f.expected for f in result.focus_expected}
    for level, value in people.items():
        assert float(expected[level]) == pytest.approx(value, abs=1e-9)
    assert abs(result.total.expected["eenzaam"] - 408) < Decimal("1e-9")
    assert result.total.expected["ernstig"] == 104  # no education figure for ernstig: 10.4% of 1000, c = 0
    tiers = result.total.tiers
    assert tiers[3] == 104
    assert float(tiers[2]) == pytest.approx(408 - 104 + 200 - people["laag"], abs=1e-9)  # + not lonely, low educated
    assert float(tiers[1]) == pytest.approx(1000 - 408 - (200 - people["laag"]), abs=1e-9)
    (above,) = result.focus_excess  # only the low educated are above the band once calibrated
    assert dict(above.items) == {"opleiding": "laag"}
    assert float(above.excess) == pytest.approx(people["laag"] / 2 - 40.8, abs=1e-9)


def test_a_city_split_by_factors_comes_back_to_the_monitor_in_every_area_and_band(cli, tmp_path):
    """The review's city: three areas, each band split by one factor with realistic shares."""
    bands = {"19-34": 1800, "35-49": 1500, "50-64": 1600, "65-74": 900, "75-84": 600, "85+": 200}
    splits = {"A": ("burgerlijke_staat", {"gehuwd": 5, "ongehuwd": 3, "gescheiden": 1, "verweduwd": 1}),
              "B": ("opleiding", {"laag": 2, "midden": 4, "hoog": 4}),
              "C": ("migratie", {"nederlands": 7, "turks": 1, "marokkaans": 1, "surinaams": 1})}
    rows = []
    for area, (factor, shares) in splits.items():
        for band, people in bands.items():
            for level, share in shares.items():
                rows.append((area, band, factor, level, people * share // 10))
    path = tmp_path / "stad.csv"
    header = "gebied;leeftijd;burgerlijke_staat;opleiding;migratie;aantal"
    keys = ("burgerlijke_staat", "opleiding", "migratie")
    path.write_text("\n".join([header] + [";".join([a, b, *(lvl if k == f else "" for k in keys), str(n)])
                                          for a, b, f, lvl, n in rows]) + "\n", encoding="utf-8")
    data = json_run(cli, str(path))
    for area in data["gebieden"]:
        name = area["gebied"]
        for measure in ("eenzaam", "ernstig"):
            by_hand = sum(Decimal(n) * FIGURES[LABEL[b]][measure] / 100 for a, b, *_, n in rows if a == name)
            assert abs(Decimal(str(area["verwacht"][measure]["gekalibreerd"])) - by_hand) <= Decimal("0.001"), (name, measure)
        assert "hoogste_groepscijfer" not in area["verwacht"]["eenzaam"]
    result = PopulationEngine(REFERENCE).profile((f"{path}:{i}", dict(zip(header.split(";"), line.split(";"))))
                                                 for i, line in enumerate(path.read_text().splitlines()[1:], 2))
    for band, totals in result.bands.items():
        for measure in ("eenzaam", "ernstig"):
            assert abs(totals.expected[measure] - totals.count * FIGURES[band][measure] / 100) < Decimal("1e-9")
    assert result.calibration and any(c.intercept != 0 for c in result.calibration)
    csv_rows = list(csv.DictReader(io.StringIO(cli("populatie", str(path), "-f", "csv").stdout)))
    assert "verwacht_eenzaam_hoogste_groepscijfer" not in csv_rows[0] and "verwacht_eenzaam" in csv_rows[0]
    table = cli("populatie", str(path)).stdout
    assert "Idem, hoogste groepscijfer" not in table and "Intercept (logit)" in table and "gekalibreerd" in table


def test_a_missing_combination_counts_as_the_band_figure(monkeypatch):
    """Where the engine gives no combination (None), that age uses the band's figure: no contrast, nothing to solve."""
    from eenzaam_cli.core.profile import Engine, Profile, Stack

    real = Engine.profile

    def without_combination(self, person):
        profile = real(self, person)
        stacks = {m: Stack(**{f: getattr(s, f) for f in s._fields} | {"combined": None}) for m, s in profile.stacks.items()}
        return Profile(**{f: getattr(profile, f) for f in profile._fields} | {"stacks": stacks})

    monkeypatch.setattr(Engine, "profile", without_combination)
    rows = [{"leeftijd": "50-64", "migratie": level, "aantal": "300"} for level in ("turks", "nederlands")]
    result = run(rows)
    assert result.total.expected == {"eenzaam": 600 * Decimal("44.7") / 100, "ernstig": 600 * FIGURES["50-64 jaar"]["ernstig"] / 100}
    assert result.focus_excess == () and result.calibration[0].intercept == 0


def _property_case():
    from hypothesis import strategies as st

    levels = {f: [level.value for level in REFERENCE.factors[f].levels]
              for f in ("opleiding", "burgerlijke_staat", "migratie")}
    band = st.sampled_from(REFERENCE.monitor.bands)

    @st.composite
    def case(draw):
        chosen = draw(band)
        high = chosen.max_age if chosen.max_age is not None else chosen.min_age + 15
        segments = []
        for _ in range(draw(st.integers(1, 6))):
            age = draw(st.one_of(st.just(chosen.label), st.integers(chosen.min_age, high).map(str)))
            factors = draw(st.dictionaries(st.sampled_from(sorted(levels)), st.none(), max_size=3))
            row = {"leeftijd": age, "aantal": str(draw(st.integers(0, 10**10)))}  # up to MAX_COUNT
            row |= {f: draw(st.sampled_from(levels[f])) for f in factors}
            segments.append(row)
        return chosen, segments

    return case()


def test_property_any_composition_of_a_band_comes_back_to_the_band_figure():
    from hypothesis import HealthCheck, given, settings

    engine = PopulationEngine(REFERENCE)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_property_case())
    def check(case):
        band, segments = case
        result = engine.profile((f"t:{i}", row) for i, row in enumerate(segments, 2))
        totals = result.bands[band.label]
        assert totals.count == sum(Decimal(row["aantal"]) for row in segments)
        for measure in ("eenzaam", "ernstig"):
            target = totals.count * band.values[measure] / 100
            assert abs(totals.expected[measure] - target) <= Decimal("1e-9"), (measure, totals.expected[measure], target)
        assert abs(sum(totals.tiers.values()) - totals.count) <= Decimal("1e-9")

    check()


# --- item: tests that know the answers (population) ---
#
# How each expected value below was computed by hand (z = 1.959964, the 97.5% normal quantile):
#
# | case                         | value                       | computed as                                             |
# |------------------------------|-----------------------------|---------------------------------------------------------|
# | no segment above its band    | focus "above" list empty    | every combination is the band's (age only, opleiding    |
# |                              |                             | midden has no figure): excess 0 is not "above"          |
# | zero count, cell with people | A: 100 × 40.8% = 40.8       | the 0-count segment adds 0 and is no focus group        |
# | zero count, whole cell       | B: 0 people, 0 expected     | calibration: computed = band figure 43.9, deviation 0   |
# | 100% observed, 20 of 20      | share 100%, Wilson upper 100| Wilson with x = n: upper (2n+2z²)/(2(n+z²)) = 1          |
# |                              | Wilson lower 83.887%        | n / (n + z²) = 20 / 23.841459                           |
# |                              | expected 8.16               | 20 respondents × 40.8% (band 35-49)                     |
# |                              | ratio 2.45098 (1.49650-     | Byar (20 ≥ 10): 20(1 − 1/180 − z/(3√20))³ = 12.211429,  |
# |                              | 3.78552), hoger             | 21(1 − 1/189 + z/(3√21))³ = 30.889880; ÷ 8.16           |
# | verdict from the interval    | 5 of 10: expected 4.08,     | exact Poisson (5 < 10): qchisq(.025, 10)/2 = 1.623486,  |
# |                              | ratio 1.2255 (0.39791-      | qchisq(.975, 12)/2 = 11.668332 (chi-square table); ÷ 4.08|
# |                              | 2.85989): niet te onderscheiden, though the point estimate is above 1                  |
# |                              | 3 of 10: ratio 0.73529      | qchisq(.025, 6)/2 = 0.618672, qchisq(.975, 8)/2 =       |
# |                              | (0.15164-2.14884): niet te  | 8.767273; ÷ 4.08: the point estimate is below 1         |
# |                              | onderscheiden               |                                                         |


def test_no_segment_above_its_band_gives_an_empty_above_list(cli, tmp_path):
    path = tmp_path / "vlak.csv"
    path.write_text("gebied;leeftijd;opleiding;aantal\nA;35-49;;100\nA;35-49;midden;300\nA;65-74;;200\n", encoding="utf-8")
    result = PopulationEngine(REFERENCE).profile((f"t:{i}", r) for i, r in enumerate(
        [{"gebied": "A", "leeftijd": "35-49", "aantal": "100"}, {"gebied": "A", "leeftijd": "35-49", "opleiding": "midden",
                                                                  "aantal": "300"}, {"gebied": "A", "leeftijd": "65-74", "aantal": "200"}], 2))
    assert result.focus_excess == ()
    assert len(result.focus_expected) == 3  # all three hold lonely people
    data = json_run(cli, str(path))
    assert data["focusgroepen"]["boven_bandcijfer"] == []
    assert "het verst boven het bandcijfer" not in cli("populatie", str(path)).stdout


def test_a_zero_count_is_counted_and_never_a_focus_group(cli, tmp_path):
    rows = [{"gebied": "A", "leeftijd": "35-49", "aantal": "100"},
            {"gebied": "A", "leeftijd": "35-49", "opleiding": "laag", "aantal": "0"},
            {"gebied": "B", "leeftijd": "50-64", "aantal": "0"},
            {"gebied": "B", "leeftijd": "65-74", "burgerlijke_staat": "verweduwd", "aantal": "0"}]
    result = run(rows)
    assert result.areas["A"].count == 100 and result.areas["A"].expected["eenzaam"] == Decimal("40.8")
    assert result.areas["B"].count == 0 and result.areas["B"].expected == {"eenzaam": 0, "ernstig": 0}
    assert sum(result.areas["B"].tiers.values()) == 0
    assert [f.items for f in result.focus_expected] == [()]  # only A's 100 people: no 0-count segment
    assert result.focus_excess == ()  # the 0 low educated people are above their band, but they are no one
    assert result.age_only_cells == 1 and result.age_only_worst == 0  # B's 50-64, with no one in it
    calibration = {(c.area, c.band): c for c in result.calibration}
    assert calibration[("A", "35-49 jaar")].deviation == 0 and calibration[("A", "35-49 jaar")].intercept == 0
    empty = calibration[("B", "65-74 jaar")]
    assert empty.count == 0 and empty.computed == Decimal("43.9") and empty.deviation == 0 and empty.intercept == 0


def _observed_run(cli, tmp_path, observed: str) -> dict:
    segments = tmp_path / "seg.csv"
    segments.write_text("gebied;leeftijd;aantal\nA;35-49;1000\nB;35-49;1000\n", encoding="utf-8")
    path = tmp_path / "waargenomen.csv"
    path.write_text("gebied;leeftijd;waargenomen;respondenten\n" + observed, encoding="utf-8")
    return {c["gebied"]: c for c in json_run(cli, str(segments), "--waargenomen", str(path))["vergelijking"]}


def test_a_row_with_every_respondent_lonely_is_accepted(cli, tmp_path):
    a = _observed_run(cli, tmp_path, "A;35-49;20;20\n")["A"]
    assert a["aandeel"] == 100 and a["aandeel_boven"] == 100
    assert a["aandeel_onder"] == pytest.approx(83.887, abs=1e-3)
    assert a["verwacht_waargenomen"] == pytest.approx(8.16, abs=1e-9) and a["methode"] == "byars"
    assert a["ratio"] == pytest.approx(2.451, abs=1e-3)
    assert (a["ratio_onder"], a["ratio_boven"]) == (pytest.approx(1.496, abs=1e-3), pytest.approx(3.786, abs=1e-3))
    assert a["oordeel"] == "hoger"


def test_the_verdict_is_taken_from_the_interval_not_the_point_estimate(cli, tmp_path):
    found = _observed_run(cli, tmp_path, "A;35-49;5;10\nB;35-49;3;10\n")
    a, b = found["A"], found["B"]
    assert a["verwacht_waargenomen"] == pytest.approx(4.08, abs=1e-9) and a["methode"] == "exact"
    assert a["ratio"] == pytest.approx(1.225, abs=1e-3)  # above 1 ...
    assert (a["ratio_onder"], a["ratio_boven"]) == (pytest.approx(0.398, abs=1e-3), pytest.approx(2.860, abs=1e-3))
    assert a["oordeel"] == "niet_te_onderscheiden"  # ... but the interval holds 1
    assert b["ratio"] == pytest.approx(0.735, abs=1e-3)  # below 1 ...
    assert (b["ratio_onder"], b["ratio_boven"]) == (pytest.approx(0.152, abs=1e-3), pytest.approx(2.149, abs=1e-3))
    assert b["oordeel"] == "niet_te_onderscheiden"  # ... but the interval holds 1
