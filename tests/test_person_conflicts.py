"""A key given twice must agree: two options, two keys of one file, two columns of one batch row.

Options still override a person file (documented in the README); that is not a conflict.
"""

from __future__ import annotations

import json

import pytest

from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.person import PersonReader

LONELY_11 = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee"


@pytest.fixture(scope="module")
def reader():
    from eenzaam_cli.core.loading import load_reference

    return PersonReader(load_reference())


@pytest.mark.parametrize("args, line", [
    (["--leeftijd", "80", "--factor", "leeftijd=30"], "--factor leeftijd: '30' conflicteert met --leeftijd ('80')"),
    (["--factor", "alleenwonend=ja", "--factor", "alleenwonend=nee"],
     "--factor alleenwonend: 'nee' conflicteert met --factor alleenwonend ('ja')"),
    (["--opleiding", "laag", "--factor", "opleiding=hoog"], "--factor opleiding: 'hoog' conflicteert met --opleiding ('laag')"),
    (["--eenzaam", "ja", "--factor", "eenzaam=nee"], "--factor eenzaam: 'nee' conflicteert met --eenzaam ('ja')"),
    (["--djg", LONELY_11, "--factor", "djg=" + LONELY_11.replace("nee", "ja")], "--factor djg: "),
    (["--signaal", "vermoeidheid", "--factor", "signalen=uitgeblustheid"],
     "--signaal: 'vermoeidheid' conflicteert met --factor signalen ('uitgeblustheid')"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_two_options_that_disagree_stop_the_run(cli, args, line):
    result = cli("profiel", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"eenzaam: {line}"), result.stderr
    assert "conflicteert met" in result.stderr and result.stderr.rstrip().endswith("; geef één waarde")


@pytest.mark.parametrize("args", [
    ["--leeftijd", "80", "--factor", "leeftijd=80"],
    ["--factor", "alleenwonend=ja", "--factor", "Alleenwonend=1"],  # the same, written two ways
    ["--opleiding", "laag", "--factor", "opleiding= Laag "],
    ["--factor", "opleiding=", "--opleiding", "hoog"],  # an empty value is unknown, not a second value
    ["--djg", LONELY_11, "--factor", "djg=" + LONELY_11.upper()],
], ids=" ".join)
def test_the_same_value_twice_is_accepted(cli, args):
    result = cli("profiel", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr


def test_options_override_the_person_file(cli, tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text("leeftijd: 80\nopleiding: laag\nsignalen: [vermoeidheid]\n")
    data = json.loads(cli("profiel", "--invoer", str(person), "--opleiding", "hoog", "--signaal", "uitgeblustheid",
                          "--leeftijd", "70", "-f", "json").stdout)
    assert data["persoon"]["factoren"]["opleiding"] == "hoog" and data["persoon"]["leeftijd"] == 70
    assert data["persoon"]["signalen"] == ["uitgeblustheid"]


def test_options_override_all_djg_answers_of_the_file(cli, tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text("leeftijd: 45\n" + "".join(f"djg_{i}: nee\n" for i in range(1, 12)))
    data = json.loads(cli("profiel", "--invoer", str(person), "--djg", LONELY_11, "-f", "json").stdout)
    assert data["niveau"]["nummer"] == 3


def test_two_keys_of_one_file_that_disagree(cli, tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text("leeftijd: 80\nOpleiding: laag\nopleiding: hoog\n")
    result = cli("profiel", "--invoer", str(person))
    assert result.exit_code == 2
    assert result.stderr == (f"eenzaam: {person}:3: opleiding: 'hoog' conflicteert met {person}:2: Opleiding "
                             "('laag'); geef één waarde\n")


def test_a_batch_row_with_two_columns_for_one_key(reader):
    row = [("burgerlijke staat", "gehuwd", "b.csv:2: burgerlijke staat"),
           ("Burgerlijke_Staat", "verweduwd", "b.csv:2: Burgerlijke_Staat")]
    with pytest.raises(InputError, match=r"^b\.csv:2: Burgerlijke_Staat: 'verweduwd' conflicteert met b\.csv:2: "
                                         r"burgerlijke staat \('gehuwd'\); geef één waarde$"):
        reader.read(row)
    same = [("burgerlijke staat", "gehuwd", "a"), ("Burgerlijke_Staat", "Gehuwd", "b")]
    assert reader.read(same).factors["burgerlijke_staat"] == "gehuwd"


def test_a_batch_row_with_an_item_twice(reader):
    row = [(f"djg_{i}", answer, f"b.csv:2: djg_{i}") for i, answer in enumerate(LONELY_11.split(","), 1)]
    with pytest.raises(InputError, match="b.csv:2: DJG_3: 'nee' conflicteert met b.csv:2: djg_3 \\('ja'\\)"):
        reader.read([*row, ("DJG_3", "nee", "b.csv:2: DJG_3")])
    assert reader.read([*row, ("DJG_3", "ja", "x")]).djg.total == 11
    assert reader.read([*row, ("DJG_3", "", "x")]).djg.total == 11  # an empty column adds no answer


def test_count_factors_compare_by_number(reader):
    person = reader.read([("belangrijke_relaties", "2", "a"), ("belangrijke relaties", " 02", "b")])
    assert person.counts["belangrijke_relaties"] == 2
    with pytest.raises(InputError, match="conflicteert"):
        reader.read([("belangrijke_relaties", "2", "a"), ("belangrijke relaties", "3", "b")])
