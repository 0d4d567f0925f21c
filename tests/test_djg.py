"""`eenzaam djg` and the De Jong Gierveld scorer: answers, codes, missing items, files, profiles."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eenzaam_cli.core.djg import Scorer
from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.loading import load_reference

KEY = load_reference().djg
SCORER = Scorer(KEY)
LONELY_11 = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee"  # every item scores
NOT_LONELY_11 = "ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,ja"  # no item scores
EMOTIONAL = (2, 3, 5, 6, 9, 10)
SOCIAL = (1, 4, 7, 8, 11)


def answers(lonely_items: set[int], *, missing: set[int] = frozenset(), items=range(1, 12)) -> str:
    """Answers that make exactly `lonely_items` score (the rest not), with `missing` left empty."""
    out = []
    for item in items:
        if item in missing:
            out.append("")
        elif item in EMOTIONAL:
            out.append("ja" if item in lonely_items else "nee")
        else:
            out.append("nee" if item in lonely_items else "ja")
    return ",".join(out)


# --- answer pattern classes ---------------------------------------------------------------------


def test_done_when_all_lonely(cli):
    out = cli("djg", LONELY_11).stdout
    assert "zeer ernstig eenzaam" in out
    data = json.loads(cli("djg", LONELY_11, "-f", "json").stdout)
    assert (data["djg_totaal"], data["djg_emotioneel"], data["djg_sociaal"]) == (11, 6, 5)
    assert data["djg_categorie"] == "zeer_ernstig_eenzaam" and data["djg_volledig"] is True
    assert all(data[f"djg_indicator_{i}"] for i in ("eenzaam", "ernstig", "emotioneel", "sociaal"))


def test_all_not_lonely():
    score = SCORER.read(NOT_LONELY_11, "t")
    assert (score.total, score.subscales, score.category.id) == (0, {"emotioneel": 0, "sociaal": 0}, "niet_eenzaam")
    assert not any(score.indicators.values())


def test_each_subscale_alone():
    emotional = SCORER.read(answers(set(EMOTIONAL)), "t")
    assert (emotional.total, emotional.subscales["emotioneel"], emotional.subscales["sociaal"]) == (6, 6, 0)
    assert emotional.indicators == {"eenzaam": True, "ernstig": False, "emotioneel": True, "sociaal": False}
    social = SCORER.read(answers(set(SOCIAL)), "t")
    assert (social.total, social.subscales["sociaal"], social.category.id) == (5, 5, "matig_eenzaam")


@pytest.mark.parametrize("total, category", [(0, "niet_eenzaam"), (2, "niet_eenzaam"), (3, "matig_eenzaam"),
                                             (8, "matig_eenzaam"), (9, "ernstig_eenzaam"), (10, "ernstig_eenzaam"),
                                             (11, "zeer_ernstig_eenzaam")])
def test_category_boundaries(total, category):
    order = [2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    score = SCORER.read(answers(set(order[:total])), "t")
    assert score.total == total and score.category.id == category
    assert score.indicators["eenzaam"] is (total >= 3) and score.indicators["ernstig"] is (total >= 9)


def test_social_cut_off_is_two():
    """The monitor's 2016 convention: 2 unfavourable social items make 'sociaal eenzaam', not 'eenzaam'."""
    score = SCORER.read(answers({1, 4}), "t")
    assert score.total == 2 and score.indicators["sociaal"] is True and score.indicators["eenzaam"] is False


def test_more_or_less_scores_on_both_kinds_of_item():
    score = SCORER.read(",".join(["min of meer"] * 11), "t")
    assert score.total == 11


def test_five_categories_score_like_three():
    five = SCORER.read("nee!,ja!,Ja,NEE,ja!,ja,nee!,nee,ja!,min-of-meer,nee!", "t")
    assert five.total == 11


def test_numeric_codes_need_a_named_coding(cli):
    coded = "1,3,3,1,3,3,1,1,3,3,1"
    assert json.loads(cli("djg", coded, "--codering", "handleiding", "-f", "json").stdout)["djg_totaal"] == 11
    own = coded.replace("1", "0").replace("3", "2")
    assert json.loads(cli("djg", own, "--codering", "0=nee,1=min of meer,2=ja", "-f", "json").stdout)["djg_totaal"] == 11
    result = cli("djg", coded)
    assert result.exit_code == 2 and "djg_1: '1' is een code; noem de codering met --codering" in result.stderr


# --- missing answers -------------------------------------------------------------------------------


def test_one_missing_item_counts_as_not_lonely_and_is_marked_incomplete():
    score = SCORER.read(answers(set(EMOTIONAL) | set(SOCIAL), missing={5}), "t")
    assert score.total == 10 and score.missing == (5,) and not score.complete
    assert score.subscales == {"emotioneel": None, "sociaal": 5}  # a subscale with a gap gets no score
    assert score.indicators["emotioneel"] is None and score.indicators["eenzaam"] is True


def test_two_missing_items_give_no_score_with_the_reason():
    score = SCORER.read(answers({1, 2, 3}, missing={5, 6}), "t")
    assert score.total is None and score.category is None and score.indicators["eenzaam"] is None
    assert score.reason == "2 ontbrekende antwoorden (hoogstens 1 toegestaan)"


def test_the_missing_rule_is_configurable(cli):
    data = json.loads(cli("djg", answers({1, 2, 3}, missing={5, 6}), "--max-ontbrekend", "2", "-f", "json").stdout)
    assert data["djg_totaal"] == 3 and data["djg_ontbrekend"] == 2 and data["djg_volledig"] is False


def test_missing_markers():
    assert SCORER.read(answers(set(), missing={4}).replace(",,", ",-,"), "t").missing == (4,)


# --- the short scale -----------------------------------------------------------------------------------


def test_short_scale():
    lonely = SCORER.read("ja,nee,nee,nee,ja,ja", "t")  # items 3, 4, 7, 8, 9, 10 in that order
    assert lonely.scale.id == "djg6" and lonely.total == 6 and lonely.category.id == "ernstig_eenzaam"
    assert lonely.subscales == {"emotioneel": 3, "sociaal": 3}
    one_point = SCORER.read("ja,ja,ja,ja,nee,nee", "t")
    assert one_point.total == 1 and one_point.category.id == "niet_eenzaam"
    assert SCORER.read("ja,nee,ja,ja,nee,nee", "t").category.id == "matig_eenzaam"


# --- bad answers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["misschien" + LONELY_11[3:]], "ANTWOORDEN: djg_1: 'misschien' is geen geldig antwoord (toegestaan: ja!, ja, min of meer"),
    ([",".join(["ja"] * 10)], "ANTWOORDEN: 11 of 6 antwoorden verwacht, 10 gekregen"),
    (["1,3,3,1,3,3,1,1,3,4,1", "--codering", "handleiding"], "djg_10: '4' staat niet in de codering (1=nee, 2=min_of_meer, 3=ja)"),
    (["ja,ja,ja,ja,ja,ja", "--codering", "1=wel"], "--codering: '1=wel' is geen code=antwoord"),
    ([], "geef antwoorden of --invoer BESTAND"),
    (["ja,ja,ja,ja,ja,ja", "--max-ontbrekend", "veel"], "--max-ontbrekend: 'veel' is geen aantal"),
])
def test_bad_answers_one_line_exit_2(cli, args, message):
    result = cli("djg", *args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


# --- files -----------------------------------------------------------------------------------------------------


def test_file_keeps_every_column_and_adds_scores(cli, tmp_path):
    path = tmp_path / "respondenten.csv"
    header = "id;gemeente;" + ";".join(f"djg_{i}" for i in range(1, 12))
    rows = [f"1;Utrecht;{LONELY_11.replace(',', ';')}", f"2;Zwolle;{answers(set(), missing={5, 6}).replace(',', ';')}"]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    out = list(csv.DictReader(io.StringIO(cli("djg", "--invoer", str(path), "-f", "csv").stdout), delimiter=";"))
    assert [r["id"] for r in out] == ["1", "2"] and out[0]["gemeente"] == "Utrecht"
    assert (out[0]["djg_totaal"], out[0]["djg_categorie"], out[0]["djg_indicator_eenzaam"]) == ("11", "zeer_ernstig_eenzaam", "ja")
    assert out[1]["djg_totaal"] == "" and out[1]["djg_reden"] == "2 ontbrekende antwoorden (hoogstens 1 toegestaan)"
    as_json = json.loads(cli("djg", "-i", str(path), "-f", "json").stdout)
    assert as_json[0]["djg_totaal"] == 11 and as_json[1]["djg_totaal"] is None
    summary = cli("djg", "-i", str(path), "-f", "tabel").stdout
    assert "2 rijen, 1 met een totaalscore" in summary


def test_short_scale_file(cli, tmp_path):
    path = tmp_path / "kort.csv"
    path.write_text("djg_3,djg_4,djg_7,djg_8,djg_9,djg_10\nja,nee,nee,nee,ja,ja\n")
    row = next(csv.DictReader(io.StringIO(cli("djg", "-i", str(path), "-f", "csv").stdout)))
    assert row["djg_schaal"] == "djg6" and row["djg_totaal"] == "6"


def test_bad_answer_in_a_file_names_file_line_and_item(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(",".join(f"djg_{i}" for i in range(1, 12)) + "\n" + LONELY_11 + "\n" + LONELY_11.replace("nee", "misschien", 1) + "\n")
    result = cli("djg", "-i", str(path), "-f", "csv")
    assert result.exit_code == 2 and f"{path}:3: djg_1: 'misschien' is geen geldig antwoord" in result.stderr


def test_file_without_item_columns(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,djg_1\n1,ja\n")
    result = cli("djg", "-i", str(path))
    assert result.exit_code == 2 and "geen volledige set itemkolommen" in result.stderr


def test_existing_score_column_is_not_overwritten(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(",".join(f"djg_{i}" for i in range(1, 12)) + ",djg_totaal\n" + LONELY_11 + ",7\n")
    result = cli("djg", "-i", str(path))
    assert result.exit_code == 2 and "djg_totaal bestaan al" in result.stderr


# --- in the profile ------------------------------------------------------------------------------------------------


def test_profile_with_a_lonely_pattern_is_tier_3(cli):
    data = json.loads(cli("profiel", "--leeftijd", "45", "--djg", LONELY_11, "-f", "json").stdout)
    assert data["niveau"]["nummer"] == 3 and data["niveau"]["besluitend"] == ["djg"]
    assert "De Jong Gierveld-score 11 van 11: zeer ernstig eenzaam" in data["niveau"]["reden"]
    assert data["djg"]["djg_categorie"] == "zeer_ernstig_eenzaam"


def test_profile_with_a_not_lonely_pattern_keeps_its_tier(cli):
    data = json.loads(cli("profiel", "--leeftijd", "45", "--djg", NOT_LONELY_11, "-f", "json").stdout)
    assert data["niveau"]["nummer"] == 1


def test_profile_from_djg_keys_in_a_person_file(cli, tmp_path):
    person = tmp_path / "p.yaml"
    person.write_text("leeftijd: 70\n" + "\n".join(f"djg_{i}: {a}" for i, a in zip(range(1, 12), LONELY_11.split(","))) + "\n")
    data = json.loads(cli("profiel", "-i", str(person), "-f", "json").stdout)
    assert data["niveau"]["nummer"] == 3 and data["djg"]["djg_totaal"] == 11
    person.write_text("leeftijd: 70\ndjg_3: ja\ndjg_9: ja\n")  # short-scale items only: the 6-item scale, 4 missing
    data = json.loads(cli("profiel", "-i", str(person), "-f", "json").stdout)
    assert data["djg"]["djg_schaal"] == "djg6" and data["djg"]["djg_totaal"] is None


# --- property ----------------------------------------------------------------------------------------------------------


@given(st.lists(st.sampled_from(["ja", "ja!", "min of meer", "nee", "nee!"]), min_size=11, max_size=11))
def test_total_is_the_sum_of_the_subscales_and_decides_the_category(items):
    score = SCORER.read(",".join(items), "t")
    assert score.total == sum(score.subscales.values())
    assert score.category.low <= score.total <= score.category.high
    assert score.indicators["eenzaam"] is (score.total >= 3)


def test_scorer_rejects_unknown_named_coding():
    with pytest.raises(InputError):
        Scorer(KEY, coding="onbekend")
