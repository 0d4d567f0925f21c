"""`eenzaam niveaus`, `signalen` and `interventies`: browsing for professionals and trainers."""

from __future__ import annotations

import json


def test_three_tiers_with_rules_and_model(cli):
    data = json.loads(cli("niveaus", "-f", "json").stdout)
    assert [t["nummer"] for t in data["niveaus"]] == [1, 2, 3]
    assert [t["focus"] for t in data["niveaus"]] == ["collectief", "collectief_en_individueel", "individueel"]
    assert [(r["niveau"], r["als"], r["indicator"]) for r in data["regels"]] == [
        (3, "eenzaamheid_vastgesteld", "ernstig"), (2, "eenzaamheid_vastgesteld", "eenzaam"),
        (2, "risicofactor_aanwezig", None), (1, "altijd", None)]
    assert "niet of slechts matig eenzaam" in data["regels"][0]["onderbouwing"]["nl"]
    assert len(data["preventiemodel"]["fasen"]) == 3
    table = cli("niveaus").stdout
    assert "Universele" in table and "Bewustwording" in table


def test_signals_by_category(cli):
    data = json.loads(cli("signalen", "-f", "json").stdout)
    assert len(data) == 30
    social = json.loads(cli("signalen", "--categorie", "sociaal", "-f", "json").stdout)
    assert [s["id"] for s in social][0] == "weinig_sociale_contacten" and len(social) == 4
    assert "conclusies" in cli("signalen", "-c", "psychisch").stdout  # the advice comes along
    bad = cli("signalen", "-c", "geestelijk")
    assert bad.exit_code == 2 and "lichamelijk, psychisch, sociaal, gedragsmatig" in bad.stderr


def test_interventions_filter_by_tier_and_group(cli):
    everything = json.loads(cli("interventies", "-f", "json").stdout)
    tier2 = json.loads(cli("interventies", "--niveau", "2", "-f", "json").stdout)
    assert 0 < len(tier2) < len(everything) and all(2 in i["niveaus"] for i in tier2)
    carers = json.loads(cli("interventies", "--doelgroep", "mantelzorger=ja", "-f", "json").stdout)
    assert any(i["id"] == "respijtzorg" for i in carers)
    young = json.loads(cli("interventies", "--doelgroep", "jongeren", "-f", "json").stdout)
    assert any(i["id"] == "kanjertraining" for i in young)
    assert all(not i["levensfasen"] or "jongeren" in i["levensfasen"] for i in young)


def test_intervention_filters_reject_unknown_values(cli):
    assert "toegestaan: 1, 2, 3" in cli("interventies", "--niveau", "4").stderr
    bad = cli("interventies", "--doelgroep", "katten")
    assert bad.exit_code == 2 and "jongeren" in bad.stderr
