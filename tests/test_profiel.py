"""`eenzaam profiel` and the profile engine: factors, stacking, tier, what fits."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from eenzaam_cli.core.loading import load_reference
from eenzaam_cli.core.person import PersonReader
from eenzaam_cli.core.profile import Engine

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schema" / "profiel.schema.json").read_text(encoding="utf-8"))
DONE_WHEN = ["profiel", "--leeftijd", "87", "--burgerlijke-staat", "verweduwd", "--opleiding", "laag",
             "--migratie", "turks", "--netwerk", "kindgericht"]


@pytest.fixture(scope="module")
def engine() -> tuple[PersonReader, Engine]:
    reference = load_reference()
    return PersonReader(reference), Engine(reference)


def make(engine, **values):
    reader, eng = engine
    return eng.profile(reader.read((k, v, k) for k, v in values.items()))


def expit_logit_sum(start: float, pairs: list[tuple[float, float]]) -> float:
    """The method of docs/methode.md, written out independently of the engine."""
    def logit(p: float) -> float:
        return math.log(p / (100 - p))
    total = logit(start) + sum(logit(a) - logit(b) for a, b in pairs)
    return 100 / (1 + math.exp(-total))


def json_profile(cli, *args: str) -> dict:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return data


# --- the done-when example ---------------------------------------------------------------------


def test_done_when_example_in_dutch(cli):
    out = cli(*DONE_WHEN).stdout
    assert "Niveau 2 (selectief)" in out and "burgerlijke staat: verweduwd" in out
    assert "Bandbreedte eenzaam: 67% tot 97%" in out
    assert "Bandbreedte (zeer) ernstig eenzaam: 17% tot 24%" in out
    assert "Verbondenheid met een gemeenschap" in out  # connection with one's own community, for migrant elders
    assert "naive" in out and "docs/methode.md" in out


def test_done_when_example_in_english(cli):
    out = cli(*DONE_WHEN, "--taal", "en").stdout
    assert "Tier 2 (selective)" in out and "marital status: widowed" in out
    assert "Range lonely: 67% to 97%" in out and "combination under independence" in out


def test_done_when_json_follows_the_schema(cli):
    data = json_profile(cli, *DONE_WHEN)
    assert data["niveau"]["nummer"] == 2 and data["niveau"]["regel"] == "risicofactor_aanwezig"
    assert set(data["niveau"]["besluitend"]) == {"burgerlijke_staat", "opleiding", "migratie", "netwerk", "leeftijd"}
    lonely = data["stapeling"]["eenzaam"]
    assert lonely["start"] == 62.7 and lonely["ondergrens"] == 67 and lonely["bovengrens"] == 97.1
    assert [s["factor"] for s in lonely["stappen"]] == ["burgerlijke_staat", "opleiding", "migratie"]
    assert data["leeftijdsband"]["groep"] == "85+" and data["levensfasen"] == ["ouderen"]


# --- stacking arithmetic, pinned on hand-computed cases --------------------------------------------


def test_stacking_hand_computed(engine):
    profile = make(engine, leeftijd=87, burgerlijke_staat="verweduwd", opleiding="laag", migratie="turks")
    lonely = profile.stacks["eenzaam"]
    # logit(62.7) + [logit(60) - logit(43)] + [logit(63) - logit(36)] + [logit(67) - logit(38)]
    #   = 0.5194 + 0.6873 + 1.1076 + 1.1977 = 3.5120  ->  97.1%
    assert lonely.combined == Decimal("97.1")
    assert round(expit_logit_sum(62.7, [(60, 43), (63, 36), (67, 38)]), 1) == 97.1
    assert [round(s.shift, 4) for s in lonely.steps] == [0.6873, 1.1076, 1.1977]
    assert (lonely.lower, lonely.upper) == (Decimal("67"), Decimal("97.1"))
    severe = profile.stacks["ernstig"]
    # logit(14.8) + [logit(17) - logit(10)] = -1.7504 + 0.6116 = -1.1388  ->  24.3%
    assert severe.combined == Decimal("24.3") and severe.lower == Decimal("17")


def test_a_lower_base_than_the_comparison_gives_a_flipped_range(engine):
    """25-year-old, divorced: combination 55.7% < the single figure 60%; the range says so."""
    stack = make(engine, leeftijd=25, burgerlijke_staat="gescheiden").stacks["eenzaam"]
    assert stack.combined == Decimal(f"{expit_logit_sum(38.7, [(60, 43)]):.1f}") == Decimal("55.7")
    assert (stack.lower, stack.upper) == (Decimal("55.7"), Decimal("60"))


def test_measures_are_stacked_separately(engine):
    profile = make(engine, leeftijd=50, mantelzorger="ja", opleiding="laag")
    assert [s.factor for s in profile.stacks["ernstig"].steps] == ["mantelzorger"]
    assert [s.factor for s in profile.stacks["eenzaam"].steps] == ["opleiding"]


def test_other_measures_are_shown_not_stacked(engine):
    finding = make(engine, leeftijd=40, verstandelijke_beperking="ja").finding("verstandelijke_beperking")
    assert [(u.figure.measure, u.stacked, u.reason) for u in finding.figures] == [("weleens_eenzaam", False, "andere_maat")]


# --- the most specific figure wins ------------------------------------------------------------------


@pytest.mark.parametrize("age, expected", [(87, ("turks", "67")), (55, ("turks", "67")), (40, ("niet_westers", "64"))])
def test_most_specific_figure(engine, age, expected):
    finding = make(engine, leeftijd=age, migratie="turks").finding("migratie")
    stacked = [(u.level, str(u.figure.value)) for u in finding.figures if u.stacked]
    assert stacked == [expected]


def test_education_figure_needs_age_19(engine):
    finding = make(engine, leeftijd=17, opleiding="laag").finding("opleiding")
    assert finding.figures == ()  # '63% of the low-educated over 19' does not describe a 17-year-old


# --- tier rules ---------------------------------------------------------------------------------------


def test_tier_1_without_risk_factors(engine):
    profile = make(engine, leeftijd=45, opleiding="hoog", vrijwilligerswerk="ja")
    assert profile.tier.tier.number == 1 and profile.tier.deciding == ()


def test_tier_2_names_the_deciding_factors(engine):
    assert make(engine, leeftijd=45, alleenwonend="ja").tier.deciding == ("alleenwonend",)


def test_tier_3_when_loneliness_is_present(engine):
    profile = make(engine, leeftijd=45, alleenwonend="ja", eenzaam="ja")
    assert profile.tier.tier.number == 3 and profile.tier.deciding == ("eenzaam",)


def test_signals_alone_do_not_change_the_tier(cli):
    data = json_profile(cli, "profiel", "--leeftijd", "45", "--signaal", "slaapproblemen", "--signaal", "weinig_bezoek")
    assert data["niveau"]["nummer"] == 1 and data["signalen"]["ids"] == ["slaapproblemen", "weinig_bezoek"]
    assert data["signalen"]["advies"]
    assert "Signalen veranderen het preventieniveau niet" in cli("profiel", "-l", "45", "--signaal", "hoofdpijn").stdout


# --- under 19 ---------------------------------------------------------------------------------------------


def test_under_19_gets_a_profile_without_monitor_figures(cli):
    data = json_profile(cli, "profiel", "--leeftijd", "16", "--factor", "sport=ja")
    assert data["leeftijdsband"] is None and data["stapeling"] == {}
    assert data["levensfasen"] == ["jongeren"]
    assert data["niveau"]["nummer"] == 2 and data["niveau"]["besluitend"] == ["leeftijd"]  # adolescence (15-24)
    assert "Geen monitorcijfers voor 16 jaar" in data["opmerkingen"][0]
    assert any(i["id"] == "kanjertraining" for i in data["interventies"])  # 4 to 16 years
    young = json_profile(cli, "profiel", "--leeftijd", "12")
    assert young["niveau"]["nummer"] == 1 and any(i["id"] == "kanjertraining" for i in young["interventies"])


# --- what fits ----------------------------------------------------------------------------------------------


def test_risk_groups_bring_their_interventions(engine):
    fits = {f.intervention.id: f.reasons for f in make(engine, leeftijd=50, mantelzorger="ja", rondkomen="moeite").fits}
    assert fits["respijtzorg"] == ("risicogroep:mantelzorger=ja",)
    assert "risicogroep:rondkomen=moeite" in fits["korting_activiteiten"]


def test_low_ses_elders_get_sociaal_vitaal(engine):
    fits = {f.intervention.id for f in make(engine, leeftijd=70, opleiding="laag").fits}
    assert "sociaal_vitaal" in fits


def test_intellectual_disability_gets_abcdate(engine):
    assert "abcdate" in {f.intervention.id for f in make(engine, leeftijd=30, verstandelijke_beperking="ja").fits}


# --- input --------------------------------------------------------------------------------------------------


def test_forgiving_values(engine):
    profile = make(engine, leeftijd=" 70 ", migratie=" Niet-Westers ", mantelzorger="TRUE", alleenwonend="1",
                   belangrijke_relaties="2")
    assert profile.person.factors | {} == {"migratie": "niet_westers", "mantelzorger": "ja", "alleenwonend": "ja",
                                           "belangrijke_relaties": "minder_dan_vier", "leeftijd": "volwassene"}
    assert profile.finding("belangrijke_relaties").count == 2


def test_a_factor_left_out_is_unknown_not_no(engine):
    profile = make(engine, leeftijd=70, mantelzorger="")
    assert "mantelzorger" not in profile.person.factors


def test_person_file_yaml_and_json(cli, tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text("leeftijd: 87\nburgerlijke_staat: verweduwd\nmantelzorger: no\nsignalen: [hoofdpijn]\n")
    data = json_profile(cli, "profiel", "--invoer", str(person))
    assert data["persoon"]["factoren"]["mantelzorger"] == "nee" and data["persoon"]["signalen"] == ["hoofdpijn"]
    as_json = tmp_path / "persoon.json"
    as_json.write_text(json.dumps({"leeftijd": 87, "burgerlijke_staat": "verweduwd"}))
    assert json_profile(cli, "profiel", "-i", str(as_json))["niveau"]["nummer"] == 2
    # options override the file
    assert json_profile(cli, "profiel", "-i", str(person), "--leeftijd", "50")["persoon"]["leeftijd"] == 50


def test_csv_has_one_row_per_figure(cli):
    import csv as csv_module
    import io

    rows = list(csv_module.DictReader(io.StringIO(cli(*DONE_WHEN, "-f", "csv").stdout)))
    stacked = {(r["factor"], r["waarde"]) for r in rows if r["gestapeld"] == "ja"}
    assert stacked == {("burgerlijke_staat", "60"), ("burgerlijke_staat", "17"), ("opleiding", "63"), ("migratie", "67")}
    assert any(r["factor"] == "netwerk" and r["waarde"] == "" for r in rows)


def test_person_from_stdin(cli):
    result = cli("profiel", "--invoer", "-", "-f", "json", input="leeftijd: 70\nopleiding: laag\n")
    assert result.exit_code == 0 and json.loads(result.stdout)["persoon"]["factoren"]["opleiding"] == "laag"


@pytest.mark.parametrize("args, message", [
    (["--leeftijd", "-3"], "--leeftijd: -3 is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
    (["--leeftijd", "130"], "--leeftijd: 130 is geen geldige leeftijd"),
    (["--opleiding", "heel_hoog"], "--opleiding: 'heel_hoog' is onbekend (toegestaan: laag, midden, hoog)"),
    (["--factor", "hobby=ja"], "--factor hobby: onbekende factor 'hobby' (toegestaan: leeftijd, eenzaam, signalen, djg, djg_1 … djg_11, opleiding"),
    (["--factor", "alleenwonend"], "--factor: 'alleenwonend' heeft niet de vorm ID=WAARDE"),
    (["--factor", "alleenwonend=misschien"], "--factor alleenwonend: 'misschien' is geen ja of nee"),
    (["--factor", "belangrijke_relaties=veel"], "--factor belangrijke_relaties: 'veel' is geen aantal"),
    (["--eenzaam", "soms"], "--eenzaam: 'soms' is geen ja of nee"),
    (["--signaal", "hoest"], "--signaal: onbekend signaal 'hoest'"),
])
def test_bad_input_is_one_line_exit_2(cli, args, message):
    result = cli("profiel", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_malformed_person_file_names_the_line(cli, tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text("leeftijd: 87\nopleiding: [laag\n")
    result = cli("profiel", "--invoer", str(person))
    assert result.exit_code == 2 and result.stderr.startswith(f"eenzaam: {person}:3: geen geldige YAML")
    person.write_text("leeftijd: 87\nopleiding: heel_hoog\n")
    result = cli("profiel", "--invoer", str(person))
    assert result.stderr == f"eenzaam: {person}:2: opleiding: 'heel_hoog' is onbekend (toegestaan: laag, midden, hoog)\n"
