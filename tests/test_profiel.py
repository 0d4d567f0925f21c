"""`eenzaam profiel` and the profile engine: factors, stacking, tier, what fits."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from eenzaam_cli.core.reference.loading import load_reference
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
#
# 87, widowed, low education, Turkish, a child-centred network. Band 85+: 62.7% lonely, 14.8% severely.
#   Turkish 55+ 67% replaces the band as the start:   logit(67) - logit(62.7) = 0.7082 - 0.5198 = 0.1888
#   widowed 60% against the population's 43% (both the 2016 monitor): logit(60) - logit(43) = 0.6873
#   low education 63% against 43%:                    logit(63) - logit(43) = 0.8141
#   Turkish and low education overlap partly (3.6): the smaller side (0.1888) counts for half: 0.0944
#   x = 0.5198 + 0.6873 + 0.8141 + 0.0944 = 2.1156 -> expit = 89.2%, shown as 89%
# Severely lonely: widowed 17% cannot be footed on the 10% (the source names no survey or year for it), so the
# illustration stays at the band's 14.8%; the highest group figure is 17%.


def test_done_when_example_in_dutch(cli):
    out = cli(*DONE_WHEN).stdout
    assert "Niveau 2 (selectief)" in out and "burgerlijke staat: verweduwd" in out
    assert "Groepscijfers die voor deze persoon gelden" in out
    assert out.index("Groepscijfers die voor deze persoon gelden") < out.index("Illustratie bij onafhankelijkheid")
    assert ("Eenzaam: hoogste groepscijfer 67% (Migratieachtergrond); illustratie bij onafhankelijkheid 89%, een "
            "rekenvoorbeeld, geen cijfer voor deze persoon.") in out
    assert "(Zeer) ernstig eenzaam: hoogste groepscijfer 17% (Burgerlijke staat); illustratie bij onafhankelijkheid 14,8%" in out
    assert "Verbondenheid met een gemeenschap" in out  # connection with one's own community, for migrant elders
    assert "docs/methode.md" in out
    assert "Indicatieve groepsinformatie, geen gevalideerde voorspelling voor deze persoon." in out
    assert "ondergrens" not in out.lower() and "bovengrens" not in out.lower()


def test_done_when_example_in_english(cli):
    out = cli(*DONE_WHEN, "--taal", "en").stdout
    assert "Tier 2 (selective)" in out and "marital status: widowed" in out
    assert ("Lonely: highest group figure 67% (Migration background); illustration assuming independence 89%, a "
            "worked example, not a figure for this person.") in out
    assert "Indicative group information, not a validated prediction for this person." in out


def test_done_when_json_follows_the_schema(cli):
    data = json_profile(cli, *DONE_WHEN)
    assert data["niveau"]["nummer"] == 2 and data["niveau"]["regel"] == "risicofactor_aanwezig"
    assert set(data["niveau"]["besluitend"]) == {"burgerlijke_staat", "opleiding", "migratie", "netwerk", "leeftijd"}
    lonely = data["stapeling"]["eenzaam"]
    assert lonely["start"] == 62.7 and lonely["hoogste_groepscijfer"] == 67 and lonely["illustratie_onafhankelijk"] == 89.2
    assert "ondergrens" not in json.dumps(data) and "bovengrens" not in json.dumps(data)
    assert [(s["factor"], s["vervangt_start"], s["aandeel"]) for s in lonely["stappen"]] == [
        ("burgerlijke_staat", False, 1), ("opleiding", False, 1), ("migratie", True, 0.5)]
    assert [round(s["verschuiving_logit"], 4) for s in lonely["stappen"]] == [0.6873, 0.8141, 0.0944]
    assert data["stapeling"]["ernstig"]["stappen"] == [] and data["stapeling"]["ernstig"]["illustratie_onafhankelijk"] == 14.8
    assert data["leeftijdsband"]["groep"] == "85+" and data["levensfasen"] == ["ouderen"]
    assert data["duiding"].startswith("Indicatieve groepsinformatie")
    assert {(g["factor"], g["maat"], g["waarde"]) for g in data["groepscijfers"]} >= {
        ("leeftijdsband", "eenzaam", 62.7), ("migratie", "eenzaam", 67), ("burgerlijke_staat", "ernstig", 17)}


# --- the illustration, pinned on hand-computed cases -------------------------------------------------


def test_illustration_hand_computed(engine):
    """The first worked example of docs/methode.md: money trouble is a 2012 figure, so it is shown, not stacked."""
    profile = make(engine, leeftijd=40, opleiding="laag", rondkomen="moeite", burgerlijke_staat="gescheiden")
    lonely = profile.stacks["eenzaam"]
    # logit(40.8) + [logit(63) - logit(43)] + [logit(60) - logit(43)] = -0.3722 + 0.8141 + 0.6873 = 1.1292 -> 75.6%
    assert round(expit_logit_sum(40.8, [(63, 43), (60, 43)]), 1) == 75.6
    assert lonely.combined == Decimal("75.6")
    by_order = make(engine, leeftijd=40, burgerlijke_staat="gescheiden", opleiding="laag", rondkomen="moeite")
    assert [round(p.values["eenzaam"], 1) for p in by_order.path] == [40.8, 57.8, 75.6]  # the table in the doc
    assert [round(s.shift, 4) for s in lonely.steps] == [0.8141, 0.6873]
    assert [s.footing for s in lonely.steps] == [Decimal(43)] * 2
    assert (lonely.highest_group, lonely.highest_group_from) == (Decimal("63"), "opleiding")
    money = profile.finding("rondkomen").figures
    assert [(u.figure.value, u.stacked, u.reason) for u in money] == [(Decimal(55), False, "niet_vergelijkbaar")]
    severe = profile.stacks["ernstig"]
    assert (severe.steps, severe.combined, severe.highest_group) == ((), Decimal("10.4"), Decimal("22"))


def test_reference_levels_move_the_estimate_down(engine):
    """High education (36% against 43%) lowers the estimate."""
    stack = make(engine, leeftijd=40, opleiding="hoog").stacks["eenzaam"]
    assert stack.combined == Decimal(f"{expit_logit_sum(40.8, [(36, 43)]):.1f}") == Decimal("33.9")
    assert stack.steps[0].shift < 0


@pytest.mark.parametrize("factor, level", [("werk", "betaald"), ("werk", "geen_betaald"), ("rondkomen", "moeite"),
                                           ("rondkomen", "geen_moeite"), ("dak_thuisloos", "geweest")])
def test_figures_of_another_survey_or_year_are_not_footed_on_this_ones_population(engine, factor, level):
    """Paid work 33% (2012 monitor) would pull a 40-year-old from 40.8% to 33.9%: another survey's figure on the
    2016 population figure. Formerly homeless (a local study) against the national 10% (no survey named)."""
    profile = make(engine, leeftijd=40, **{factor: level})
    assert all(stack.steps == () and stack.combined == profile.band.values[m] for m, stack in profile.stacks.items())
    assert {u.reason for u in profile.finding(factor).figures} == {"niet_vergelijkbaar"}


def test_an_age_matched_figure_is_the_starting_point_inside_its_condition(engine):
    """Turkish 55+ (67%) replaces the band at 60: one factor never goes above its own group figure (it was 72.8%)."""
    turkish = make(engine, leeftijd=60, migratie="turks").stacks["eenzaam"]
    assert turkish.combined == Decimal("67.0") and turkish.highest_group == Decimal(67)
    (step,) = turkish.steps
    assert step.replaces_start and step.footing == Decimal("44.7") and step.after == pytest.approx(67.0)
    native = make(engine, leeftijd=70, migratie="nederlands")
    assert native.stacks["eenzaam"].steps == ()
    assert [(u.figure.value, u.reason) for u in native.finding("migratie").figures] == [
        (Decimal(39), "minder_specifiek"), (Decimal(38), "geen_grondslag")]


def test_crossing_the_55_boundary_moves_no_more_than_a_neighbouring_band(engine):
    """54: non-Western 64% against 43% on the band 50-64 (44.7%): 65.6%. 55: Turkish 55+ 67% itself. The step,
    1.4 points, is below the band steps around it: 40.8 -> 44.7 (3.9) and 44.7 -> 43.9 (0.8); the larger."""
    at_54 = make(engine, leeftijd=54, migratie="turks").stacks["eenzaam"].combined
    at_55 = make(engine, leeftijd=55, migratie="turks").stacks["eenzaam"].combined
    assert at_54 == Decimal(f"{expit_logit_sum(44.7, [(64, 43)]):.1f}") == Decimal("65.6") and at_55 == Decimal("67.0")
    assert abs(at_55 - at_54) <= max(abs(Decimal("44.7") - Decimal("40.8")), abs(Decimal("43.9") - Decimal("44.7")))


def test_a_partial_overlap_counts_the_smaller_side_for_half_and_keeps_the_sources_ranking(engine):
    """70, low education and money trouble (money is a 2012 figure: not stacked). Turkish 67% replaces the band:
    logit(67) - logit(43.9) = 0.9534; education 0.8141 is the smaller side and counts for half:
    x = 0.7082 + 0.4070 = 1.1153 -> 75.3%. Native Dutch (38% is a comparison group, no shift): logit(43.9) + 0.8141
    -> 63.8%. Moroccan 55%: its shift, logit(55) - logit(43.9) = 0.4459, is the smaller side: 0.8141 + 0.2230 + the
    band -> 68.8%. Surinamese (no overlap declared): logit(47) + 0.8141 -> 66.7%. The source's order 67 > 55 > 47 > 38
    holds; 67% stays the highest group figure, and no figure is dropped."""
    results = {}
    for origin in ("turks", "marokkaans", "surinaams", "nederlands"):
        profile = make(engine, leeftijd=70, migratie=origin, opleiding="laag", rondkomen="moeite")
        results[origin] = profile.stacks["eenzaam"].combined
        assert all(u.stacked or u.reason != "overlap" for f in profile.findings for u in f.figures)
    assert results == {"turks": Decimal("75.3"), "marokkaans": Decimal("68.8"), "surinaams": Decimal("66.7"),
                       "nederlands": Decimal("63.8")}
    turkish = make(engine, leeftijd=70, migratie="turks", opleiding="laag", rondkomen="moeite")
    assert turkish.stacks["eenzaam"].highest_group == Decimal(67)
    (education,) = [u for u in turkish.finding("opleiding").figures if u.stacked]
    assert (education.overlap, education.share) == ("migratie_ses", 0.5)


def test_the_ranking_floor_raises_the_share_where_half_would_reverse_the_order(data_copy):
    """With the smaller side counting for nothing (kleinste_zijde_telt: 0), a Moroccan person of 70 with a low
    education would get 0.8141 alone: the native Dutch result, below the Surinamese 66.7%. The floor raises the
    share of the Moroccan shift (0.4459) to what the Surinamese get, (1.1366... - 0.8141) / 0.4459."""
    data_copy("risicofactoren.yaml", "kleinste_zijde_telt: 0.5", "kleinste_zijde_telt: 0")
    reference = load_reference([data_copy.dir])
    engine = (PersonReader(reference), Engine(reference))
    moroccan = make(engine, leeftijd=70, migratie="marokkaans", opleiding="laag").stacks["eenzaam"]
    surinamese = make(engine, leeftijd=70, migratie="surinaams", opleiding="laag").stacks["eenzaam"]
    assert moroccan.combined == surinamese.combined == Decimal("66.7")
    floor = (math.log(47 / 53) - math.log(43.9 / 56.1) + math.log(63 / 37) - math.log(43 / 57)
             - (math.log(63 / 37) - math.log(43 / 57))) / (math.log(55 / 45) - math.log(43.9 / 56.1))
    (migration,) = [s for s in moroccan.steps if s.factor == "migratie"]
    assert migration.share == pytest.approx(floor)


def test_the_highest_group_figure_is_the_persons_own_whoever_came_before(engine):
    """The stacking is kept per band and figures: a figure that is shown but not stacked (money trouble, 55%, a 2012
    figure) counts for the highest group figure, so it must be part of that key. A Western 50-year-old profiled
    right after one with money trouble has 51% (Western), never the other's 55%."""
    before = make(engine, leeftijd=50, migratie="westers", rondkomen="moeite").stacks["eenzaam"]
    after = make(engine, leeftijd=50, migratie="westers").stacks["eenzaam"]
    assert (before.highest_group, before.highest_group_from) == (Decimal(55), "rondkomen")
    assert (after.highest_group, after.highest_group_from) == (Decimal(51), "migratie")


def test_no_number_is_copied_from_severe_to_lonely(engine, data_copy, cli):
    """Formerly homeless: 40% severely lonely is shown, not stacked, and never makes anyone 40% lonely."""
    profile = make(engine, leeftijd=40, burgerlijke_staat="gescheiden", dak_thuisloos="geweest")
    lonely = profile.stacks["eenzaam"]
    assert lonely.combined == Decimal(f"{expit_logit_sum(40.8, [(60, 43)]):.1f}") == Decimal("57.8")
    assert (lonely.highest_group, lonely.highest_group_from) == (Decimal(60), "burgerlijke_staat")
    # Where the severe illustration would exceed the lonely one, the lonely one gets no number at all. Make the 10%
    # a 2016 monitor figure and the divorced severe figure 90%: a divorced 25-year-old would then be 89% severely
    # lonely against 55.7% lonely.
    data_copy("maten.yaml", "      bron: movisie\n      paragraaf: \"3.2\"", "      bron: gm_2016\n      jaar: 2016\n      paragraaf: \"3.2\"")
    data_copy("risicofactoren.yaml", "- waarde: 22\n", "- waarde: 90\n")
    data = json.loads(cli("profiel", "--leeftijd", "25", "--burgerlijke-staat", "gescheiden", "--data", str(data_copy.dir),
                          "-f", "json").stdout)
    lonely, severe = data["stapeling"]["eenzaam"], data["stapeling"]["ernstig"]
    assert severe["illustratie_onafhankelijk"] == round(expit_logit_sum(8.9, [(90, 10)]), 1)
    assert (lonely["illustratie_onafhankelijk"], lonely["tegenstrijdig_met"]) == (None, "ernstig")
    assert "spreken de cijfers elkaar tegen" in lonely["toelichting"]
    assert lonely["hoogste_groepscijfer"] == 60  # the lonely figure itself, never the severe one


def test_unknown_measures_are_shown_not_stacked(engine):
    profile = make(engine, leeftijd=40, mantelzorger="ja")
    assert "ernstig" in profile.stacks and profile.stacks["ernstig"].steps == ()
    assert [(u.figure.measure, u.stacked, u.reason) for u in profile.finding("mantelzorger").figures] == [
        ("sterk_eenzaam", False, "andere_maat")]


def test_mixed_sources_are_flagged(cli):
    data = json_profile(cli, "profiel", "--leeftijd", "70", "--opleiding", "laag", "--migratie", "turks")
    assert {(s["bron"], s["jaar"]) for s in data["stapeling_bronnen"]} == {("uysal_bozkir_2017", 2017), ("gm_2016", 2016)}
    assert any("verschillende onderzoeken, jaren of populaties" in line for line in data["opmerkingen"])
    single = json_profile(cli, "profiel", "--leeftijd", "40", "--burgerlijke-staat", "gescheiden")
    assert single["stapeling_bronnen"] == [{"bron": "gm_2016", "jaar": 2016}]  # band, figure and footing alike
    # Turkish 55+ replaces the band, and the severe measure, which nothing shifts, combines nothing: one study
    turkish = json_profile(cli, "profiel", "--leeftijd", "60", "--migratie", "turks")
    assert turkish["stapeling_bronnen"] == [{"bron": "uysal_bozkir_2017", "jaar": 2017}]
    assert not any("verschillende onderzoeken" in line for line in turkish["opmerkingen"])


def test_caption_in_every_format(cli):
    caption = {"nl": "Indicatieve groepsinformatie, geen gevalideerde voorspelling voor deze persoon.",
               "en": "Indicative group information, not a validated prediction for this person."}
    for language, text in caption.items():
        for fmt in ("tabel", "json", "csv", "markdown"):
            out = cli("profiel", "--leeftijd", "40", "--factor", "alleenwonend=ja", "-f", fmt, "--taal", language).stdout
            assert text in out, (language, fmt)


def test_measured_leads_and_group_figures_are_what_they_would_suggest(cli):
    out = cli("profiel", "--leeftijd", "45", "--opleiding", "laag", "--djg", "nee,ja,ja,nee,ja,nee,nee,nee,nee,nee,nee").stdout
    lines = out.splitlines()
    assert lines[1].startswith("Leeftijd 45") and lines[2].startswith("Gemeten: De Jong Gierveld-score")
    assert "Wat de groepscijfers zouden suggereren: eenzaam" in out and "Gemeten gaat voor geschat" in out
    assert "Risicostapeling:" not in out


def test_measures_are_stacked_separately(engine):
    profile = make(engine, leeftijd=50, burgerlijke_staat="verweduwd", opleiding="laag")
    assert profile.stacks["ernstig"].steps == ()  # 17% severely lonely: no 2016 population figure to foot it on
    assert [s.factor for s in profile.stacks["eenzaam"].steps] == ["burgerlijke_staat", "opleiding"]


def test_other_measures_are_shown_not_stacked(engine):
    finding = make(engine, leeftijd=40, verstandelijke_beperking="ja").finding("verstandelijke_beperking")
    assert [(u.figure.measure, u.stacked, u.reason) for u in finding.figures] == [("weleens_eenzaam", False, "andere_maat")]


def test_a_lower_band_than_the_population_gives_a_combination_below_the_group_figure(cli, engine):
    """25-year-old, divorced: combination 55.7% < the group figure 60%; the output says so."""
    stack = make(engine, leeftijd=25, burgerlijke_staat="gescheiden").stacks["eenzaam"]
    assert stack.combined == Decimal(f"{expit_logit_sum(38.7, [(60, 43)]):.1f}") == Decimal("55.7")
    assert stack.highest_group == Decimal("60")
    out = " ".join(cli("profiel", "-l", "25", "--burgerlijke-staat", "gescheiden").stdout.split())
    assert "Hier is de illustratie lager dan het hoogste groepscijfer" in out


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


def test_stated_loneliness_tier_follows_its_severity(engine):
    moderate = make(engine, leeftijd=45, alleenwonend="ja", eenzaam="ja")
    assert moderate.tier.tier.number == 2 and moderate.tier.deciding == ("eenzaam",)
    assert moderate.tier.rule.indicator == "eenzaam"
    severe = make(engine, leeftijd=45, eenzaam="ernstig")
    assert severe.tier.tier.number == 3 and severe.tier.deciding == ("eenzaam",)


@pytest.mark.parametrize("answers, total, tier", [
    ("ja,ja,ja,ja,ja,nee,ja,ja,ja,nee,ja", 4, 2),  # matig eenzaam: still prevention
    ("nee,ja,ja,nee,ja,nee,nee,nee,ja,nee,nee", 9, 3),  # ernstig eenzaam
    ("ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,ja", 0, 1),
])
def test_djg_threshold_for_tier_3_is_read_from_data(cli, answers, total, tier):
    data = json_profile(cli, "profiel", "--leeftijd", "45", "--djg", answers)
    assert data["djg"]["djg_totaal"] == total and data["niveau"]["nummer"] == tier


@pytest.mark.parametrize("points, tier", [(2, 1), (5, 2), (8, 2), (9, 3), (11, 3)])
def test_djg_5_gives_tier_2_and_djg_9_tier_3(engine, points, tier):
    reader, eng = engine
    key = reader.reference.djg
    scale = key.scales[0]
    answers = []
    for index, item in enumerate(scale.items):  # the first `points` items answered so that they score
        scores_on = next(sub.scores_on for sub in scale.subscales if item in sub.items)
        answers.append(next(a.id for a in key.answers if (a.id in scores_on) == (index < points)))
    person = reader.read([("leeftijd", 45, "t"), ("djg", ",".join(a.replace("_", " ") for a in answers), "t")])
    assert person.djg.total == points
    assert eng.profile(person).tier.tier.number == tier


def test_tier_3_threshold_comes_from_niveaus_yaml(data_copy, cli):
    data_copy("niveaus.yaml", "    indicator: ernstig\n", "    indicator: eenzaam\n")
    result = cli("profiel", "--data", str(data_copy.dir), "--leeftijd", "45", "--eenzaam", "ja", "-f", "json")
    assert json.loads(result.stdout)["niveau"]["nummer"] == 3


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
    # universal measures reach everyone: the school-wide, healthy-school and sport measures of the 12-year-old too
    universal = {i["id"] for i in data["interventies"] if i["waarom"][0] == "universeel"}
    twelve = {i["id"] for i in json_profile(cli, "profiel", "--leeftijd", "12")["interventies"]}
    assert {"gezonde_school", "sportparticipatie_jongeren", "schoolbrede_aanpak"} <= universal and universal <= twelve
    young = json_profile(cli, "profiel", "--leeftijd", "12")
    assert young["niveau"]["nummer"] == 1 and any(i["id"] == "kanjertraining" for i in young["interventies"])


# --- what fits ----------------------------------------------------------------------------------------------


def test_risk_groups_bring_their_interventions(engine):
    fits = {f.intervention.id: f.reasons for f in make(engine, leeftijd=50, mantelzorger="ja", rondkomen="moeite").fits}
    assert fits["respijtzorg"] == ("risicogroep:mantelzorger=ja",)
    assert "risicogroep:rondkomen=moeite" in fits["korting_activiteiten"]


def test_universal_measures_come_after_the_own_tier(engine):
    """A widowed 70-year-old (tier 2) keeps the third-age and volunteering measures, marked universal, listed last."""
    fits = make(engine, leeftijd=70, burgerlijke_staat="verweduwd").fits
    kinds = [fit.reasons[0].partition(":")[0] for fit in fits]
    assert kinds == sorted(kinds, key=["risicogroep", "niveau", "universeel"].index)
    universal = {fit.intervention.id for fit in fits if fit.reasons[0] == "universeel"}
    assert {"vrijwilligerswerk_stimuleren", "pensioen_in_zicht"} <= universal


def test_volunteering_protects_only_from_65(engine):
    assert make(engine, leeftijd=70, vrijwilligerswerk="ja").finding("vrijwilligerswerk").direction == "beschermend"
    assert make(engine, leeftijd=40, vrijwilligerswerk="ja").finding("vrijwilligerswerk").direction == "neutraal"


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
    assert stacked == {("burgerlijke_staat", "60"), ("opleiding", "63"), ("migratie", "67")}
    assert any(r["factor"] == "netwerk" and r["waarde"] == "" for r in rows)
    assert {r["grondslag"] for r in rows if r["gestapeld"] == "ja"} == {"bevolking", "vergelijkingsgroep"}
    assert all(r["duiding"].startswith("Indicatieve groepsinformatie") for r in rows)


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
    (["--eenzaam", "soms"], "--eenzaam: 'soms' is onbekend (toegestaan: ja, nee, ernstig)"),
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


@pytest.mark.parametrize("args", [DONE_WHEN[1:], ["--leeftijd", "78", "--burgerlijke-staat", "verweduwd", "--rondkomen", "moeite"],
                                  ["--leeftijd", "40", "--opleiding", "laag", "--rondkomen", "moeite"]])
def test_the_last_step_shows_the_combination_as_rounded(cli, args):
    """A step's running figure is rounded as the combination is: the last step and the closing line agree."""
    out = cli("profiel", *args, "-f", "markdown").stdout
    for section in out.split("## Risicostapeling")[1:]:
        table = section.split("\n- ")[0]  # the step table, before the notes
        last = [line for line in table.splitlines() if line.startswith("| ")][-1]
        combined = section.split("combinatie bij onafhankelijkheid ")[1].split("%")[0]
        assert last.rstrip(" |").endswith(f"{combined}%"), (last, combined)


# --- item 1: the caption in every format, whatever is stacked ---

CAPTION = {"nl": "Indicatieve groepsinformatie, geen gevalideerde voorspelling voor deze persoon.",
           "en": "Indicative group information, not a validated prediction for this person."}


@pytest.mark.parametrize("args", [
    ["--leeftijd", "16"],  # under the monitor's ages: no stacking at all
    ["--leeftijd", "40", "--mantelzorger", "ja"],  # a figure of another measure: nothing shifts
    ["--leeftijd", "40"],
    ["--leeftijd", "40", "--burgerlijke-staat", "gescheiden"],
    ["--factor", "alleenwonend=ja"],  # no age
    ["--leeftijd", "45", "--eenzaam", "ja"],  # measured leads
], ids=" ".join)
@pytest.mark.parametrize("fmt", ["tabel", "markdown", "json", "csv"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_caption_whatever_is_stacked(cli, args, fmt, language):
    result = cli("profiel", *args, "-f", fmt, "--taal", language)
    assert result.exit_code == 0, result.stderr
    assert CAPTION[language] in result.stdout, (args, fmt)
    if fmt == "json":
        assert json.loads(result.stdout)["duiding"] == CAPTION[language]


def test_caption_once_at_the_top_of_a_table(cli):
    out = cli("profiel", "--leeftijd", "40", "--burgerlijke-staat", "gescheiden", "-f", "markdown").stdout
    assert out.count(CAPTION["nl"]) == 1 and out.index(CAPTION["nl"]) < out.index("## Factoren van deze persoon")


# --- item 2: every row cites its level's own source ---


def _rows(cli, *args):
    import csv
    import io

    return list(csv.DictReader(io.StringIO(cli("profiel", *args, "-f", "csv").stdout)))


def test_adolescents_cite_the_source_text_not_the_monitor(cli):
    # data/risicofactoren.yaml: leeftijd=adolescent has `bron: movisie` and no figure; the factor cites gm_2016
    [row] = _rows(cli, "--leeftijd", "16")
    assert (row["niveau"], row["bron"]) == ("adolescent", "movisie")
    data = json.loads(cli("profiel", "--leeftijd", "16", "-f", "json").stdout)
    assert data["factoren"][0]["bron"] == ["movisie"]
    assert "│ movisie" in cli("profiel", "--leeftijd", "16").stdout


@pytest.mark.parametrize("level, source", [("ja", "movisie"), ("geweest", "van_amelsfort_2013"), ("nee", "movisie")])
def test_homeless_people_do_not_cite_the_study_of_formerly_homeless_people(cli, level, source):
    rows = _rows(cli, "--leeftijd", "40", "--factor", f"dak_thuisloos={level}")
    assert [row["bron"] for row in rows if row["factor"] == "dak_thuisloos"] == [source]
    data = json.loads(cli("profiel", "--leeftijd", "40", "--factor", f"dak_thuisloos={level}", "-f", "json").stdout)
    assert next(f for f in data["factoren"] if f["factor"] == "dak_thuisloos")["bron"] == [source]


def _raw_factors():
    """The factors as written in data/risicofactoren.yaml, read with PyYAML, not through the library."""
    import yaml

    path = Path(__file__).resolve().parents[1] / "data" / "risicofactoren.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["factoren"]


def _expected_sources(factor: dict, level: dict, age: int) -> set[str]:
    """What a row must cite: the sources of the level's figures (and its broader level's) that apply at `age`,
    else the level's own `bron`, else the factor's."""
    levels = {lv["waarde"]: lv for lv in factor["niveaus"]}
    applying, current = set(), level
    while current is not None:
        for figure in current.get("cijfers", []):
            condition = figure.get("voorwaarde") or {}
            if condition.get("leeftijd_min", 0) <= age <= condition.get("leeftijd_max", 200):
                applying.add(figure["bron"])
        current = levels.get(current.get("valt_onder"))
    if applying:
        return applying
    return {level["bron"]} if level.get("bron") else set(factor["bron"])


def test_sources_cited_for_every_level_are_its_figures_or_its_own(engine):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from eenzaam_cli.cli.profile_view import profile_data

    reader, eng = engine
    reference = eng.reference
    pairs = [(factor, level) for factor in _raw_factors() for level in factor["niveaus"]]

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(pairs), st.integers(min_value=0, max_value=105))
    def check(pair, age):
        factor, level = pair
        if factor["id"] == "leeftijd":
            bounds = level["bereik"]
            age = min(max(age, bounds["min"]), bounds.get("max", 200))
            items = [("leeftijd", str(age), "a")]
        else:
            value = level["waarde"] if factor["invoer"] != "aantal" else str(level["bereik"]["min"])
            items = [("leeftijd", str(age), "a"), (factor["id"], value, "b")]
        data = profile_data(eng.profile(reader.read(items)), reference, "nl")
        found = next(f for f in data["factoren"] if f["factor"] == factor["id"])
        assert set(found["bron"]) == _expected_sources(factor, level, age), (factor["id"], level["waarde"], age)
        assert {figure["bron"] for figure in found["cijfers"]} <= set(found["bron"])

    check()
