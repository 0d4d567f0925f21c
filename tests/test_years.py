"""Monitor years: a user's tables of other years beside the bundled 2016 table, `--jaar`, `--vergelijk`.

The 2022 table used here is made up (tests/years_testdata.py): test data, not figures from any source.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from eenzaam_cli.core.reference import years
from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.reference.loading import compile_files, find_files, load_reference
from eenzaam_cli.core.reference.model import CachedReference
from years_testdata import HEADER, TEST_TABLE_2022, make_test_folder


@pytest.fixture
def folder(tmp_path):
    return make_test_folder(tmp_path / "mijn_map")


def test_a_local_2022_table_loads_beside_the_bundled_2016(folder):
    reference = load_reference([folder])
    assert years.years(reference) == (2016, 2022)
    assert reference.monitor.year == 2022  # without --jaar: the user's own (newest) table
    assert reference.monitor.band_for(80).values["eenzaam"] == Decimal("50.5")
    bundled = years.for_year(reference, 2016)
    assert bundled.monitor.band_for(80).values["eenzaam"] == Decimal("52.5")
    assert bundled.factors is reference.factors and [m.year for m in bundled.monitors] == [2016, 2022]
    assert load_reference().monitor.year == 2016 and years.years(load_reference()) == (2016,)


def test_the_cache_keeps_every_table_and_sees_a_changed_one(folder):
    first = load_reference([folder])
    cached = load_reference([folder])
    assert isinstance(cached, CachedReference)
    assert cached.monitors == first.monitors and cached.monitor == first.monitor
    (folder / "monitor_2022.csv").write_text(TEST_TABLE_2022.replace("50.5", "50.6"), encoding="utf-8")
    assert load_reference([folder]).monitor.band_for(80).values["eenzaam"] == Decimal("50.6")


def test_compare_matches_bands_by_their_ages(folder):
    result = years.compare(load_reference([folder]), 2016, 2022)
    assert result.years == (2016, 2022) and not result.unmatched
    row = next(r for r in result.rows if r.label == "75-84 jaar")
    assert row.difference == {"eenzaam": Decimal("-2.0"), "ernstig": Decimal("0.2"), "emotioneel": Decimal("-1.2"),
                              "sociaal": Decimal("-1.8")}


def test_tables_with_other_bands_compare_only_the_bands_they_share(tmp_path):
    table = HEADER + ("19-64 jaar,19,64,41.0,9.0,,,testgegevens_2022,2022,\n"
                      "65-74 jaar,65,74,44.0,8.0,,,testgegevens_2022,2022,\n"
                      "75+,75,,55.0,12.0,,,testgegevens_2022,2022,\n")
    folder = make_test_folder(tmp_path / "regio", table)
    result = years.compare(load_reference([folder]), 2016, 2022, measure="eenzaam")
    shared = [r for r in result.rows if r.first and r.second]
    assert [r.label for r in shared] == ["65-74 jaar"] and shared[0].difference == {"eenzaam": Decimal("0.1")}
    assert set(result.unmatched) == {"19-34 jaar", "35-49 jaar", "50-64 jaar", "75-84 jaar", "85+", "19-64 jaar", "75+"}
    assert all(r.difference == {"eenzaam": None} for r in result.rows if not (r.first and r.second))


def test_an_unknown_year_names_the_years_there_are(folder):
    with pytest.raises(InputError, match=r"--jaar: geen monitortabel van 2020 \(jaren: 2016, 2022\)"):
        years.for_year(load_reference([folder]), 2020)
    with pytest.raises(InputError, match="'twintig' is geen jaartal"):
        years.for_year(load_reference(), "twintig")


# --- the command line --------------------------------------------------------------------------------------


def test_prevalentie_jaar_picks_a_table(cli, folder):
    own = json.loads(cli("prevalentie", "--data", str(folder), "-l", "80", "-f", "json").stdout)
    bundled = json.loads(cli("prevalentie", "--data", str(folder), "-l", "80", "--jaar", "2016", "-f", "json").stdout)
    assert (own[0]["eenzaam"], own[0]["jaar"], own[0]["bron"]) == (50.5, 2022, "testgegevens_2022")
    assert (bundled[0]["eenzaam"], bundled[0]["jaar"], bundled[0]["bron"]) == (52.5, 2016, "gm_2016")
    table = cli("prevalentie", "--data", str(folder), "-l", "80").stdout
    assert "Monitortabel van 2022; ook beschikbaar: 2016 (kies met --jaar)." in table
    assert "Monitortabel" not in cli("prevalentie", "-l", "80").stdout  # one table: nothing to choose


def test_profiel_and_populatie_use_the_chosen_year(cli, folder, tmp_path):
    def band(*extra):
        out = cli("profiel", "--leeftijd", "80", "--data", str(folder), *extra, "-f", "json")
        assert out.exit_code == 0, out.stderr
        return json.loads(out.stdout)["leeftijdsband"]

    assert (band()["jaar"], band()["waarden"]["eenzaam"]) == (2022, 50.5)
    assert (band("--jaar", "2016")["jaar"], band("--jaar", "2016")["waarden"]["eenzaam"]) == (2016, 52.5)
    segments = tmp_path / "segmenten.csv"
    segments.write_text("leeftijd,aantal\n75-84,1000\n", encoding="utf-8")
    for year, expected in (("2016", 525), ("2022", 505)):
        out = cli("populatie", str(segments), "--data", str(folder), "--jaar", year, "-f", "json")
        assert out.exit_code == 0, out.stderr
        assert json.loads(out.stdout)["totaal"]["verwacht"]["eenzaam"]["gekalibreerd"] == expected


def test_vergelijk_in_every_format(cli, folder):
    args = ("prevalentie", "--data", str(folder), "--vergelijk", "2016", "2022")
    rows = json.loads(cli(*args, "-f", "json").stdout)
    assert rows[4] == {"groep": "75-84 jaar", "leeftijd_van": 75, "leeftijd_tot": 84,
                       "eenzaam_2016": 52.5, "eenzaam_2022": 50.5, "eenzaam_verschil": -2.0,
                       "ernstig_2016": 10.3, "ernstig_2022": 10.5, "ernstig_verschil": 0.2,
                       "emotioneel_2016": 37.2, "emotioneel_2022": 36.0, "emotioneel_verschil": -1.2,
                       "sociaal_2016": 49.8, "sociaal_2022": 48.0, "sociaal_verschil": -1.8,
                       "bron_2016": "gm_2016", "bron_2022": "testgegevens_2022"}
    assert len(rows) == 6
    table = list(csv.DictReader(io.StringIO(cli(*args, "-f", "csv").stdout)))
    assert [r["eenzaam_verschil"] for r in table] == ["1.4", "0.2", "0.8", "0.1", "-2.0", "-2.7"]
    tabel = cli(*args, "--maat", "eenzaam").stdout
    assert "Eenzaam naar leeftijd: Landelijk 2016 en Landelijk 2022 (%)" in " ".join(tabel.split())
    assert "│ 75-84 jaar │ 52,5 │ 50,5 │          −2,0 │" in tabel
    assert "verschillende bronnen (gm_2016, testgegevens_2022)" in " ".join(tabel.split())
    markdown = cli(*args, "--maat", "ernstig", "-f", "markdown").stdout
    assert "| 75-84 jaar | 10,3 | 10,5 | +0,2 |" in markdown
    english = cli(*args, "--maat", "eenzaam", "--taal", "en").stdout
    assert "Difference (pp)" in english and "−2.0" in english
    one = json.loads(cli(*args, "-l", "80", "--maat", "eenzaam", "-f", "json").stdout)
    assert [(r["groep"], r["eenzaam_verschil"]) for r in one] == [("75-84 jaar", -2.0)]


def test_vergelijk_refuses_what_it_cannot_do(cli, folder):
    def line(*args):
        out = cli("prevalentie", "--data", str(folder), *args)
        assert out.exit_code == 2 and out.stderr.count("\n") == 1, out.stderr
        return out.stderr

    assert "--vergelijk: geen monitortabel van 2021 (jaren: 2016, 2022)" in line("--vergelijk", "2016", "2021")
    assert "--vergelijk: verwacht 2 waarden" in line("--vergelijk", "2016")
    assert "--jaar: kies één tabel" in line("--vergelijk", "2016", "2022", "--jaar", "2016")


def test_data_valideer_checks_every_table(cli, folder):
    result = cli("data", "valideer", str(folder))
    assert result.exit_code == 0 and "Geldig: 12 gegevensbestanden" in result.stdout  # own bronnen.yaml beside the bundled
    assert "monitor_2016.csv" in result.stdout and "monitor_2022.csv" in result.stdout


def test_two_own_tables_of_one_year_are_refused(cli, folder):
    (folder / "monitor_ook_2022.csv").write_text(TEST_TABLE_2022, encoding="utf-8")
    result = cli("data", "valideer", str(folder))
    assert result.exit_code == 3
    assert "ook " in result.stdout and "is een tabel van 2022; geef één monitorbestand per jaar" in result.stdout


def test_a_table_is_of_one_year(folder):
    mixed = TEST_TABLE_2022.replace("85+,85,,60.0,13.0,45.0,50.0,testgegevens_2022,2022",
                                    "85+,85,,60.0,13.0,45.0,50.0,testgegevens_2022,2021")
    (folder / "monitor_2022.csv").write_text(mixed, encoding="utf-8")
    _, problems = compile_files(find_files([folder]))
    assert [(p.line, p.field) for p in problems] == [(7, "jaar")]
    assert "2021 wijkt af van 2022 (regel 2); een monitorbestand is één tabel van één jaar" in problems[0].message


def test_an_own_table_of_2016_replaces_the_bundled_one(tmp_path):
    table = TEST_TABLE_2022.replace("testgegevens_2022,2022", "gm_2016,2016")
    folder = make_test_folder(tmp_path / "eigen_2016", table, name="monitor_regio.csv")
    reference = load_reference([folder])
    assert years.years(reference) == (2016,) and reference.monitor.band_for(80).values["eenzaam"] == Decimal("50.5")


def test_batch_uses_the_chosen_year(cli, folder, tmp_path):
    """The bands, the stacked figures and the report's national figures come from the table of --jaar."""
    rows = tmp_path / "r.csv"
    rows.write_text("id,leeftijd," + ",".join(f"djg_{i}" for i in range(1, 12)) + "\n"
                    "1,80,nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee\n", encoding="utf-8")
    for year, national in (("2016", 52.5), ("2022", 50.5)):
        report = tmp_path / f"r{year}.json"
        out = cli("batch", str(rows), "--data", str(folder), "--jaar", year, "--rapport", str(report))
        assert out.exit_code == 0, out.stderr
        assert f",{national},{national}," in out.stdout  # the band's own figure is both stacked numbers
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["jaar_landelijk"] == int(year)
        assert data["prevalentie"]["eenzaam"][0][f"landelijk_{year}"] == national
    html = tmp_path / "r.html"
    assert cli("batch", str(rows), "--data", str(folder), "--jaar", "2022", "--rapport", str(html), "-o",
               str(tmp_path / "uit.csv")).exit_code == 0
    assert "Landelijk 2022" in html.read_text(encoding="utf-8")
