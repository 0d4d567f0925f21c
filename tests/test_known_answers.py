"""Answers known by hand, for the data's age limits and a batch run's tally and tiers.

Every expected value below is worked out from the data files or by arithmetic, never by calling the code it
checks. Each test names the mutation it catches: an earlier review changed the code (or the data) in these ways
and no test noticed.

| case | value | how it was computed |
|---|---|---|
| Sociaal Vitaal at 59 / 60 / 85 / 86, low education | no / yes / yes / no | interventies.yaml `sociaal_vitaal`: `leeftijd_min: 60`, `leeftijd_max: 85`, risk group `opleiding=laag` |
| volunteering at 64 / 65 | neutraal / beschermend | risicofactoren.yaml `vrijwilligerswerk=ja`: `richting: beschermend`, `voorwaarde: {leeftijd_min: 65}` |
| third agers at 59 / 60 / 75 / 76 | no / yes / yes / no | levensfasen.yaml `third_agers`: `leeftijd_min: 60`, `leeftijd_max: 75` |
| weighted share *eenzaam*, band 35-49 | 50.00% | weights 1, 2, 3; lonely (score 11, 5, 0): yes, yes, no; (1 + 2) / (1 + 2 + 3) = 3/6 |
| Kish effective n, band 35-49 | 2.6 | (1 + 2 + 3)² / (1² + 2² + 3²) = 36/14 = 2.571… |
| Wilson interval of 3/6 at n = 36/14 | 11.30–88.70% | (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), p = 0.5, z = 1.959964 |
| weighted share *ernstig*, band 35-49 | 16.67% | only the score 11 (≥ 9) is severe: 1/6 |
| weighted share *eenzaam*, band 65-74 | 80.00% | weights 4 (score 5, lonely) and 1 (score 0): 4/5; Kish n = 25/17 = 1.47 |
| undetermined *eenzaam* (total 2, one answer missing) | left out | 2 + 1 missing straddles the cut-off 3: neither lonely nor not; share 1 of 2 = 50%, not 1/3 or 2/3 |
| the same row for *ernstig* | counted, not lonely | 2 + 1 < 9: determined; share 1 of 3 = 33.33% |
| tier with `eenzaam` ernstig / nee / empty / ja at 40 | 3 / 1 / 1 / 2 | niveaus.yaml: ernstig stated → 3; ja → 2; age 40 is level `volwassene`, neutral: no risk factor → 1 |

Sociaal Vitaal is also limited to the life stages third agers (60-75) and older people (65+): at 59 those leave it
out too, so a `leeftijd_min` lowered below 60 changes nothing a user sees. A raised one (61) fails at 60, a
changed `leeftijd_max` (84 or 86) at 85 or 86.

De Jong Gierveld answers (11-item scale, data/djg.yaml): items 2, 3, 5, 6, 9, 10 score on "ja", items 1, 4, 7, 8,
11 on "nee". The report rounds shares and bounds to 2 decimals (percent) and Kish's n to 1 decimal.
"""

from __future__ import annotations

import json
import math

import pytest

SCORE_11 = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee"  # every item scores: 11, eenzaam and ernstig
SCORE_5 = "nee,ja,ja,nee,ja,nee,ja,ja,nee,nee,ja"  # items 1-5 score: 5, eenzaam, not ernstig
SCORE_0 = "ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,ja"  # nothing scores: 0
SCORE_2_MISSING = "nee,ja,nee,ja,nee,nee,ja,ja,nee,nee,"  # items 1, 2 score, item 11 missing: 2 or 3
HEADER = "id,leeftijd,w," + ",".join(f"djg_{i}" for i in range(1, 12))


def _profile(cli, *args):
    result = cli("profiel", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- data: age limits --------------------------------------------------------------------------------


@pytest.mark.parametrize("age, fits", [(59, False), (60, True), (85, True), (86, False)])
def test_sociaal_vitaal_from_60_to_85(cli, age, fits):
    """Mutation caught: another `leeftijd_min`/`leeftijd_max` for sociaal_vitaal in data/interventies.yaml."""
    ids = [item["id"] for item in _profile(cli, "--leeftijd", str(age), "--opleiding", "laag")["interventies"]]
    assert ("sociaal_vitaal" in ids) is fits


@pytest.mark.parametrize("age, direction", [(64, "neutraal"), (65, "beschermend")])
def test_volunteering_protects_from_65(cli, age, direction):
    """Mutation caught: another `voorwaarde` for vrijwilligerswerk=ja in data/risicofactoren.yaml."""
    data = _profile(cli, "--leeftijd", str(age), "--factor", "vrijwilligerswerk=ja")
    assert next(f for f in data["factoren"] if f["factor"] == "vrijwilligerswerk")["richting"] == direction


@pytest.mark.parametrize("age, third_ager", [(59, False), (60, True), (75, True), (76, False)])
def test_third_agers_from_60_to_75(cli, age, third_ager):
    """Mutation caught: another age bound of third_agers in data/levensfasen.yaml."""
    assert ("third_agers" in _profile(cli, "--leeftijd", str(age))["levensfasen"]) is third_ager


# --- batch: the report's tally ---------------------------------------------------------------------------


def _report(cli, tmp_path, rows: list[str], *options: str) -> dict:
    source = tmp_path / "in.csv"
    source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = tmp_path / "rapport.json"
    result = cli("batch", str(source), "-o", str(tmp_path / "uit.csv"), "--rapport", str(report), "--stil", *options)
    assert result.exit_code == 0, result.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def _band(report: dict, measure: str, band: str) -> dict:
    return next(share for share in report["prevalentie"][measure] if share["leeftijdsband"] == band)


def _wilson_percent(p: float, n: float) -> tuple[float, float]:
    """The Wilson score interval in its textbook form (not the code's), in percent, 95%."""
    z = 1.959963984540054
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (round(100 * (centre - half) / (1 + z * z / n), 2), round(100 * (centre + half) / (1 + z * z / n), 2))


def test_a_weighted_tally_with_several_rows_per_band(cli, tmp_path):
    """Mutation caught: the weights dropped (unweighted: 2/3 lonely, n 3), or Kish's n replaced by the rows."""
    report = _report(cli, tmp_path, [
        f"1,40,1,{SCORE_11}", f"2,40,2,{SCORE_5}", f"3,40,3,{SCORE_0}",  # band 35-49
        f"4,70,4,{SCORE_5}", f"5,70,1,{SCORE_0}",  # band 65-74
    ], "--gewicht", "w")
    lonely = _band(report, "eenzaam", "35-49 jaar")
    assert (lonely["respondenten"], lonely["n_effectief"], lonely["aandeel"]) == (3, 2.6, 50.0)
    assert (lonely["onder"], lonely["boven"]) == _wilson_percent(0.5, 36 / 14) == (11.3, 88.7)
    severe = _band(report, "ernstig", "35-49 jaar")
    assert (severe["respondenten"], severe["n_effectief"], severe["aandeel"]) == (3, 2.6, 16.67)
    older = _band(report, "eenzaam", "65-74 jaar")
    assert (older["respondenten"], older["n_effectief"], older["aandeel"]) == (2, 1.5, 80.0)
    assert (older["onder"], older["boven"]) == _wilson_percent(0.8, 25 / 17)
    assert report["per_leeftijdsband"] == {"35-49 jaar": 3, "65-74 jaar": 2}


def test_an_undetermined_indicator_is_left_out_of_its_share(cli, tmp_path):
    """Mutation caught: an undetermined indicator counted as lonely (2/3) or as not lonely (1/3)."""
    report = _report(cli, tmp_path, [f"1,40,1,{SCORE_11}", f"2,40,1,{SCORE_0}", f"3,40,1,{SCORE_2_MISSING}"])
    lonely = _band(report, "eenzaam", "35-49 jaar")
    assert (lonely["respondenten"], lonely["aandeel"]) == (2, 50.0)
    severe = _band(report, "ernstig", "35-49 jaar")
    assert (severe["respondenten"], severe["aandeel"]) == (3, 33.33)


# --- batch: the tier cache ---------------------------------------------------------------------------------


def test_the_tier_cache_keys_on_the_stated_loneliness(cli, tmp_path):
    """Mutation caught: `lonely` dropped from the tier cache's key in core/batch.py (every row got tier 3)."""
    source = tmp_path / "in.csv"
    source.write_text("id,leeftijd,eenzaam\n1,40,ernstig\n2,40,nee\n3,40,\n4,40,ja\n", encoding="utf-8")
    out = tmp_path / "uit.csv"
    result = cli("batch", str(source), "-o", str(out), "--stil")
    assert result.exit_code == 0, result.stderr
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    tier = rows[0].index("preventieniveau")
    assert [row[tier] for row in rows[1:]] == ["3", "1", "1", "2"]
