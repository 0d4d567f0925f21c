"""Each validation rule of the data files has an example that fails, with file, line and field."""

from __future__ import annotations

import pytest

from eenzaam_cli.core.errors import DataError
from eenzaam_cli.core.reference.loading import compile_files, find_files, load_reference


def problems_after(data_copy, name: str, old: str, new: str) -> list[str]:
    data_copy(name, old, new)
    reference, problems = compile_files(find_files([data_copy.dir]))
    assert reference is None
    return [str(p) for p in problems]


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_bundled_data_is_valid():
    reference, problems = compile_files(find_files())
    assert problems == [] and reference is not None


# Each case: file, text to replace, replacement, and what the one problem line must contain.
CASES = {
    "unknown key": ("risicofactoren.yaml", "    invoer: keuze\n", "    invoer: keuze\n    gewicht: 3\n",
                    ["risicofactoren.yaml:", "factoren[0].gewicht: onbekende sleutel (toegestaan: id, categorie"]),
    "percentage over 100": ("risicofactoren.yaml", "          - waarde: 63\n", "          - waarde: 163\n",
                            ["factoren[0].niveaus[0].cijfers[0].waarde: mag hoogstens 100 zijn (gekregen: 163)"]),
    "percentage as text": ("risicofactoren.yaml", "          - waarde: 63\n", "          - waarde: '63'\n",
                           ["cijfers[0].waarde: moet een getal zijn"]),
    "missing field": ("risicofactoren.yaml", "            maat: eenzaam\n            groep: {nl: \"laagopgeleiden",
                      "            groep: {nl: \"laagopgeleiden", ["factoren[0].niveaus[0].cijfers[0].maat: ontbreekt"]),
    "unknown direction": ("risicofactoren.yaml", "        richting: risico\n        cijfers:\n          - waarde: 63",
                          "        richting: gevaar\n        cijfers:\n          - waarde: 63",
                          ["niveaus[0].richting: moet een van deze zijn: 'risico', 'beschermend', 'referentie' of 'neutraal'"]),
    "unknown source": ("risicofactoren.yaml", "            bron: gm_2016\n            jaar: 2016\n            paragraaf: \"3.2\"\n      - waarde: midden",
                       "            bron: gm_2017\n            jaar: 2016\n            paragraaf: \"3.2\"\n      - waarde: midden",
                       ["factoren[0].niveaus[0].cijfers[0].bron: onbekende bron 'gm_2017' (niet in bronnen.yaml)"]),
    "unknown measure": ("risicofactoren.yaml", "            maat: eenzaam\n            groep: {nl: \"laagopgeleiden",
                        "            maat: verdrietig\n            groep: {nl: \"laagopgeleiden",
                        ["cijfers[0].maat: onbekende maat 'verdrietig' (toegestaan: eenzaam, ernstig"]),
    "duplicate id": ("bronnen.yaml", "bronnen:\n", "bronnen:\n  - id: gm_2016\n    auteurs: nogmaals\n    vermeld_in: ['3.2']\n",
                     ["bronnen[2].id: dubbele id 'gm_2016'"]),
    "outside source without url": ("bronnen.yaml", "bronnen:\n", "bronnen:\n  - id: blog_2020\n    auteurs: iemand\n",
                                   ["bronnen[0]: bron 'blog_2020': een bron die de brontekst niet noemt (vermeld_in leeg) heeft een url nodig"]),
    "DJG categories with a gap": ("djg.yaml", "van: 3, tot: 8}", "van: 4, tot: 8}",
                                  ["schalen[0]: schaal 'djg11': categorie 'matig_eenzaam' moet bij 3 beginnen"]),
    "DJG subscales not covering the items": ("djg.yaml", "items: [2, 3, 5, 6, 9, 10]", "items: [2, 3, 5, 6, 9]",
                                             ["schaal 'djg11': de subschalen moeten samen precies de items"]),
    "DJG unknown answer in a coding": ("djg.yaml", '"3": ja}', '"3": jawel}', ["coderingen[0].codes.3: onbekend antwoord 'jawel'"]),
    "bad id": ("bronnen.yaml", "  - id: gm_2012\n", "  - id: GM 2012\n", ["bronnen[2].id: ongeldige id"]),
    "duplicate key": ("maten.yaml", "    stapelbaar: true\n", "    stapelbaar: true\n    stapelbaar: false\n",
                      ["maten.yaml:", "maten[0].stapelbaar: dubbele sleutel"]),
    "YAML 1.1 'no' stays text": ("maten.yaml", "    stapelbaar: true\n", "    stapelbaar: no\n",
                                 ["maten[0].stapelbaar: moet true of false zijn (gekregen: 'no')"]),
    "YAML 1.1 date stays text": ("bronnen.yaml", "    jaar: 2012\n", "    jaar: 2012-05-01\n",
                                 ["bronnen[2].jaar: moet een geheel getal zijn (gekregen: '2012-05-01')"]),
    "yes/no levels": ("risicofactoren.yaml", "      - {waarde: ja, richting: risico}\n      - {waarde: nee, richting: neutraal}\n\n  - id: partner_gezondheidsproblemen",
                      "      - {waarde: yes, richting: risico}\n      - {waarde: nee, richting: neutraal}\n\n  - id: partner_gezondheidsproblemen",
                      ["factoren[3]: een ja_nee-factor heeft precies de niveaus 'ja' en 'nee'"]),
    "count ranges with a gap": ("risicofactoren.yaml", "bereik: {min: 4}", "bereik: {min: 5}",
                                ["bereik: moet aansluiten: verwacht min 4, gekregen 5"]),
    "unknown risk group": ("interventies.yaml", "mantelzorger=ja", "mantelzorger=soms",
                           ["factor 'mantelzorger' heeft geen niveau 'soms' (toegestaan: ja, nee)"]),
    "unknown life stage": ("interventies.yaml", "levensfasen: [jongeren]", "levensfasen: [pubers]", ["onbekende levensfase 'pubers'"]),
    "bad YAML": ("signalen.yaml", "categorieen:", "categorieen: [", ["signalen.yaml:", "geen geldige YAML"]),
    "overlapping bands": ("monitor_2016.csv", "35-49 jaar,35,", "35-49 jaar,30,",
                          ["monitor_2016.csv:3: leeftijd_van: overlapt met band '19-34 jaar' (tot en met 34)"]),
    "gap between bands": ("monitor_2016.csv", "35-49 jaar,35,", "35-49 jaar,36,",
                          ["monitor_2016.csv:3: leeftijd_van: sluit niet aan op band '19-34 jaar': verwacht 35"]),
    "CSV percentage out of range": ("monitor_2016.csv", "52.5,", "152.5,", ["monitor_2016.csv:6: eenzaam: mag hoogstens 100 zijn"]),
    "CSV not a number": ("monitor_2016.csv", "52.5,", "veel,", ["monitor_2016.csv:6: eenzaam: 'veel' is geen getal"]),
    "CSV row too short": ("monitor_2016.csv", "75-84 jaar,75,84,52.5,", "75-84 jaar,75,84,",
                          ["monitor_2016.csv:6: 9 velden, de kopregel heeft er 10"]),
    "CSV unknown column": ("monitor_2016.csv", ",sociaal,", ",verdriet,", ["monitor_2016.csv:1: onbekende kolom(men) verdriet"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_rule_fails_with_one_located_line(data_copy, case):
    name, old, new, expected = CASES[case]
    line = only(problems_after(data_copy, name, old, new))
    assert "\n" not in line
    for fragment in expected:
        assert fragment in line, line
    assert line.split(":")[1].isdigit() or case == "bad YAML", f"no line number in {line!r}"


def test_load_reference_raises_with_every_problem(data_copy):
    data_copy("monitor_2016.csv", "52.5,", "152.5,")
    data_copy("maten.yaml", "    stapelbaar: true\n", "    stapelbaar: nee\n")
    with pytest.raises(DataError) as caught:
        load_reference([data_copy.dir])
    assert len(caught.value.problems) == 2
