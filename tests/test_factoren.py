"""`eenzaam factoren` and `eenzaam bronnen`: factors with figures, and tracing them to sources."""

from __future__ import annotations

import csv
import io
import json


def test_list_covers_every_factor_and_category(cli):
    data = json.loads(cli("factoren", "-f", "json").stdout)
    assert len(data) >= 30
    assert {f["categorie"] for f in data} == {"leefomstandigheden", "sociale_integratie", "macro"}
    opleiding = next(f for f in data if f["id"] == "opleiding")
    figure = opleiding["niveaus"][0]["cijfers"][0]
    assert figure == {
        "waarde": 63, "tekst": "63%", "maat": "eenzaam",
        "groep": {"nl": "laagopgeleiden boven de 19 jaar", "en": "people with a low education, over 19"},
        "voorwaarde": {"leeftijd_min": 19, "leeftijd_max": None},
        "vergeleken_met": {"waarde": 36, "tekst": "36%", "groep": {"nl": "hoogopgeleiden", "en": "the highly educated"},
                           "notitie": None},
        "grondslag": "bevolking", "bron": "gm_2016", "jaar": 2016, "paragraaf": "3.2", "notitie": None, "benadering": None,
    }


def test_csv_has_one_row_per_figure(cli):
    rows = list(csv.DictReader(io.StringIO(cli("factoren", "-f", "csv").stdout)))
    turks = [r for r in rows if r["factor"] == "migratie" and r["niveau"] == "turks"]
    assert len(turks) == 1 and turks[0]["waarde"] == "67" and turks[0]["vergeleken_waarde"] == "38"
    assert turks[0]["bron"] == "uysal_bozkir_2017"
    assert any(r["factor"] == "lhbti" and r["niveau"] == "ja" and r["waarde"] == "" for r in rows)


def test_category_filter(cli):
    ids = [f["id"] for f in json.loads(cli("factoren", "--categorie", "macro", "-f", "json").stdout)]
    assert ids == ["culturele_normen", "sociaaleconomische_context"]
    bad = cli("factoren", "--categorie", "weer")
    assert bad.exit_code == 2 and "toegestaan: leefomstandigheden, sociale_integratie, macro" in bad.stderr


def test_one_factor_in_detail(cli):
    out = cli("factoren", "burgerlijke_staat").stdout
    assert out.count("Ruim 60% —") == 1  # the shared figure's note is shown once
    # one wording: the number with its measure, then the source's own words ("Ruim 60%" is worded by the source)
    assert "60% eenzaam (bron: 'Ruim 60%')" in out and "22% (zeer) ernstig eenzaam" in out and "17%" in out
    english = cli("factoren", "burgerlijke_staat", "--taal", "en").stdout
    assert "Marital status" in english and "widowed" in english and "60% lonely (source: 'over 60%')" in english


def test_unknown_factor(cli):
    result = cli("factoren", "geluk")
    assert result.exit_code == 2 and "onbekende factor 'geluk'" in result.stderr and "opleiding" in result.stderr


def test_bibliography(cli):
    sources = json.loads(cli("bronnen", "-f", "json").stdout)
    ids = {s["id"] for s in sources}
    assert {"movisie", "gm_2016", "gm_2012", "uysal_bozkir_2017", "van_de_maat_van_xanten_2013"} <= ids


def test_every_figure_traces_to_a_source(cli):
    """Each figure's source resolves, and `bronnen ID` lists the figure among its users."""
    factors = json.loads(cli("factoren", "-f", "json").stdout)
    for factor in factors:
        for level in factor["niveaus"]:
            for figure in level["cijfers"]:
                traced = json.loads(cli("bronnen", figure["bron"], "-f", "json").stdout)
                assert f"cijfer:{factor['id']}={level['waarde']}:{figure['tekst']}" in traced["gebruikt_door"]


def test_unknown_source(cli):
    result = cli("bronnen", "wikipedia")
    assert result.exit_code == 2 and "onbekende bron 'wikipedia'" in result.stderr
