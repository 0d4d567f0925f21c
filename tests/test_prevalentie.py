"""`eenzaam prevalentie`: the monitor's figures by age band, in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest


def test_age_80_shows_the_75_84_row_exactly_as_printed(cli):
    result = cli("prevalentie", "--leeftijd", "80")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "75-84 jaar" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")] == ["75-84 jaar", "52,5", "10,3", "37,2", "49,8"]
    assert "gm_2016" in result.stdout


def test_all_bands_and_the_whole_population(cli):
    result = cli("prevalentie", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["groep"] for r in rows] == ["19-34 jaar", "35-49 jaar", "50-64 jaar", "65-74 jaar", "75-84 jaar", "85+", "bevolking"]
    assert rows[-1]["eenzaam"] == "43" and rows[-1]["ernstig"] == "10" and rows[-1]["emotioneel"] == ""
    # each population figure with its own source: the text cites the monitor for 43%, nothing for 10%
    assert rows[-1]["bron"] == "eenzaam:gm_2016;ernstig:movisie" and rows[-1]["jaar"] == ""
    assert rows[5]["sociaal"] == "52.0"  # the printed digits survive, decimal point for machines


def test_json_contract(cli):
    rows = json.loads(cli("prevalentie", "-l", "70", "-f", "json").stdout)
    assert rows == [{"groep": "65-74 jaar", "leeftijd_van": 65, "leeftijd_tot": 74, "eenzaam": 43.9, "ernstig": 8.4,
                     "emotioneel": 26.4, "sociaal": 46.9, "bron": "gm_2016", "jaar": 2016}]


def test_one_measure(cli):
    rows = json.loads(cli("prevalentie", "--maat", "ernstig", "-f", "json").stdout)
    assert [r["ernstig"] for r in rows][:6] == [8.9, 10.4, 10.9, 8.4, 10.3, 14.8]
    assert all("eenzaam" not in r for r in rows)


def test_band_boundaries(cli):
    for age, band in [(19, "19-34 jaar"), (34, "19-34 jaar"), (35, "35-49 jaar"), (84, "75-84 jaar"), (85, "85+"), (120, "85+")]:
        assert json.loads(cli("prevalentie", "-l", str(age), "-f", "json").stdout)[0]["groep"] == band


def test_markdown_and_english(cli):
    md = cli("prevalentie", "-l", "80", "-f", "markdown").stdout
    assert "| 75-84 jaar | 52,5 | 10,3 | 37,2 | 49,8 |" in md
    en = cli("prevalentie", "-l", "80", "-f", "markdown", "--taal", "en").stdout
    assert "| 75-84 years | 52.5 | 10.3 | 37.2 | 49.8 |" in en and "Lonely" in en


@pytest.mark.parametrize("age, expected", [
    ("12", "12 valt buiten de monitor, die cijfers geeft voor 19 jaar en ouder"),
    ("-3", "-3 is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
    ("130", "130 is geen geldige leeftijd"),
    ("oud", "'oud' is geen geheel getal"),
])
def test_bad_ages_give_one_line_and_exit_2(cli, age, expected):
    result = cli("prevalentie", "--leeftijd", age)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "--leeftijd" in result.stderr and expected in result.stderr


def test_unknown_measure_lists_the_allowed(cli):
    result = cli("prevalentie", "--maat", "boos")
    assert result.exit_code == 2
    assert "toegestaan: eenzaam, ernstig, emotioneel, sociaal" in result.stderr
