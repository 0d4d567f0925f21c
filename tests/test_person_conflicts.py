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
    from eenzaam_cli.core.reference.loading import load_reference

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


# --- item 3: a stated loneliness that contradicts the measured score ---

# The 11-item scale of data/djg.yaml: items 2, 3, 5, 6, 9, 10 (emotional) score on "ja", items 1, 4, 7, 8, 11
# (social) on "nee". So LONELY_11 scores 11, its mirror image 0. Indicators: eenzaam from 3, ernstig from 9.
ZERO_11 = "ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,ja"  # 0: not lonely
FIVE_11 = "nee,ja,ja,nee,ja,nee,ja,ja,nee,nee,ja"  # items 1, 2, 3, 4, 5 score: 5, matig eenzaam
TWO_OF_TEN = "1=nee,2=ja,3=nee,4=ja,5=nee,6=nee,7=ja,8=ja,9=nee,10=nee,11=-"  # 2, one missing: eenzaam undetermined
NINE_OF_TEN = "1=nee,2=ja,3=ja,4=nee,5=ja,6=ja,7=nee,8=nee,9=nee,10=nee,11=-"  # 8 + one missing: ernstig undetermined


@pytest.mark.parametrize("stated, answers, score", [
    ("ernstig", ZERO_11, "score 0 van 11: niet eenzaam"),
    ("ja", ZERO_11, "score 0 van 11: niet eenzaam"),
    ("ernstig", FIVE_11, "score 5 van 11: niet (zeer) ernstig eenzaam"),
    ("nee", FIVE_11, "score 5 van 11: eenzaam"),
    ("nee", LONELY_11, "score 11 van 11: eenzaam"),
])
def test_a_stated_loneliness_the_score_contradicts_stops_the_run(cli, stated, answers, score):
    result = cli("profiel", "--leeftijd", "40", "--djg", answers, "--eenzaam", stated)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"eenzaam: --eenzaam: '{stated}' conflicteert met --djg ({score}); "
                             "geef één van beide of laat --eenzaam weg\n")


@pytest.mark.parametrize("stated, answers, tier", [
    ("ja", FIVE_11, 2),  # lonely, and the score says lonely
    ("ja", LONELY_11, 3),  # 'ja' says lonely; a severe score is lonely too: no conflict, the score decides tier 3
    ("ernstig", LONELY_11, 3),
    ("nee", ZERO_11, 1),
    ("nee", TWO_OF_TEN, 1),  # an undetermined indicator contradicts nothing
    ("ja", TWO_OF_TEN, 2),
    ("ernstig", NINE_OF_TEN, 3),  # eenzaam holds (8), ernstig undetermined: no conflict
])
def test_a_statement_the_score_does_not_contradict_is_accepted(cli, stated, answers, tier):
    result = cli("profiel", "--leeftijd", "40", "--djg", answers, "--eenzaam", stated, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["niveau"]["nummer"] == tier


def test_a_person_file_with_a_contradicting_statement(cli, tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text(f"leeftijd: 40\neenzaam: ernstig\ndjg: {ZERO_11}\n", encoding="utf-8")
    result = cli("profiel", "--invoer", str(person))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"eenzaam: {person}:2: eenzaam: 'ernstig' conflicteert met {person}:3: djg "
                             "(score 0 van 11: niet eenzaam); geef één van beide of laat eenzaam weg\n")
    items = "".join(f"djg_{i}: {a}\n" for i, a in enumerate(ZERO_11.split(","), start=1))
    person.write_text(f"leeftijd: 40\neenzaam: ja\n{items}", encoding="utf-8")
    result = cli("profiel", "--invoer", str(person))
    assert result.exit_code == 2 and f"{person}:3: djg_1 (score 0 van 11: niet eenzaam)" in result.stderr


def test_the_option_and_the_file_together(cli, tmp_path):
    person = tmp_path / "persoon.yaml"
    person.write_text(f"leeftijd: 40\ndjg: {ZERO_11}\n", encoding="utf-8")
    result = cli("profiel", "--invoer", str(person), "--eenzaam", "ernstig")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"eenzaam: --eenzaam: 'ernstig' conflicteert met {person}:2: djg (score 0 van 11")


def test_a_batch_row_with_a_contradicting_statement_is_rejected(cli, tmp_path):
    header = "id,leeftijd,eenzaam," + ",".join(f"djg_{i}" for i in range(1, 12))
    source = tmp_path / "in.csv"
    source.write_text(f"{header}\n1,40,ernstig,{ZERO_11}\n2,40,ja,{LONELY_11}\n3,40,Nee,{LONELY_11}\n4,40,,{ZERO_11}\n",
                      encoding="utf-8")
    errors, out = tmp_path / "fouten.csv", tmp_path / "uit.csv"
    result = cli("batch", str(source), "-o", str(out), "--fouten", str(errors), "--stil")
    assert result.exit_code == 3
    assert errors.read_text(encoding="utf-8").splitlines() == [
        "rij,kolom,waarde,reden",
        "2,eenzaam,ernstig,'ernstig' conflicteert met djg_1 … djg_11 (score 0 van 11: niet eenzaam); "
        "geef één van beide of laat eenzaam weg",
        "4,eenzaam,Nee,'Nee' conflicteert met djg_1 … djg_11 (score 11 van 11: eenzaam); "
        "geef één van beide of laat eenzaam weg",
    ]
    assert [line.split(",")[0] for line in out.read_text(encoding="utf-8").splitlines()[1:]] == ["2", "4"]
