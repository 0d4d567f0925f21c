"""`eenzaam djg` and the De Jong Gierveld scorer: answers, codes, missing items, files, profiles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eenzaam_cli.core.djg import Scorer
from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.reference.loading import compile_files, find_files, load_reference

KEY = load_reference().djg
SCORER = Scorer(KEY)
SCALES = {scale.id: scale for scale in KEY.scales}
SHORT = SCALES["djg6"]
LONELY_11 = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee"  # every item scores
NOT_LONELY_11 = "ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,ja"  # no item scores
EMOTIONAL = (2, 3, 5, 6, 9, 10)
SOCIAL = (1, 4, 7, 8, 11)


def answer(item: int, lonely: bool) -> str:
    """The answer that makes `item` score (lonely) or not."""
    return ("ja" if lonely else "nee") if item in EMOTIONAL else ("nee" if lonely else "ja")


def answers(lonely_items: set[int], *, missing: set[int] = frozenset(), items=range(1, 12)) -> str:
    """Answers that make exactly `lonely_items` score (the rest not), with `missing` left empty."""
    return ",".join("" if item in missing else answer(item, item in lonely_items) for item in items)


def numbered(lonely_items: set[int], items, *, missing: set[int] = frozenset()) -> str:
    """The same, as item=answer pairs in the order of `items`."""
    return ",".join(f"{item}={'-' if item in missing else answer(item, item in lonely_items)}" for item in items)


# --- answer pattern classes ---------------------------------------------------------------------


def test_done_when_all_lonely(cli):
    out = cli("djg", LONELY_11).stdout
    assert "(zeer) ernstig eenzaam" in out
    data = json.loads(cli("djg", LONELY_11, "-f", "json").stdout)
    assert (data["djg_totaal"], data["djg_emotioneel"], data["djg_sociaal"]) == (11, 6, 5)
    assert data["djg_categorie"] == "ernstig_eenzaam" and data["djg_volledig"] is True
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
                                             (11, "ernstig_eenzaam")])
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
    lonely = SCORER.read("ja,nee,nee,ja,nee,ja", "t")  # items 3, 4, 7, 9, 8, 10 in that order
    assert lonely.scale.id == "djg6" and lonely.total == 6 and lonely.category.id == "ernstig_eenzaam"
    assert lonely.subscales == {"emotioneel": 3, "sociaal": 3}
    one_point = SCORER.read("ja,ja,ja,nee,ja,nee", "t")
    assert one_point.total == 1 and one_point.category.id == "niet_eenzaam"
    assert SCORER.read("ja,nee,ja,nee,ja,nee", "t").category.id == "matig_eenzaam"


def test_short_scale_order_is_data_with_its_source():
    """The manual (section 8) and CBS present the six items as 3, 4, 7, 9, 8, 10."""
    assert SHORT.order is not None and SHORT.order.items == (3, 4, 7, 9, 8, 10) == SHORT.positional
    assert SHORT.order.source == "djg_handleiding_1999" and "CBS" in SHORT.order.note("nl")
    assert SCALES["djg11"].order is None and SCALES["djg11"].positional == SCALES["djg11"].items  # default: items


@pytest.mark.parametrize("position", range(6))
def test_short_scale_answers_are_read_in_the_data_order(position):
    """Only the answer at `position` scores: it lands on the item the data's order puts there."""
    item = SHORT.positional[position]
    score = SCORER.read(answers({item}, items=SHORT.positional), "t")
    assert score.total == 1 and score.answers == tuple(
        ("ja" if i in EMOTIONAL else "nee") if i == item else ("nee" if i in EMOTIONAL else "ja") for i in SHORT.items)


def test_the_issues_example_scores_two_not_zero(cli):
    score = SCORER.read("nee,ja,ja,ja,nee,nee", "t")  # 3=nee 4=ja 7=ja 9=ja 8=nee 10=nee: items 9 and 8 score
    assert (score.total, score.subscales, score.category.id) == (2, {"emotioneel": 1, "sociaal": 1}, "matig_eenzaam")
    data = json.loads(cli("djg", "nee,ja,ja,ja,nee,nee", "-f", "json").stdout)
    assert data["djg_totaal"] == 2 and data["antwoorden"]["djg_9"] == "ja" and data["antwoorden"]["djg_8"] == "nee"


def test_an_own_order_in_the_data_is_followed(cli, data_copy):
    data_copy("djg.yaml", "items: [3, 4, 7, 9, 8, 10]", "items: [10, 8, 9, 7, 4, 3]")
    key = load_reference([data_copy.dir]).djg
    reversed_short = ",".join(reversed("nee,ja,ja,ja,nee,nee".split(",")))
    assert Scorer(key).read(reversed_short, "t").total == 2
    data = json.loads(cli("djg", reversed_short, "--data", str(data_copy.dir), "-f", "json").stdout)
    assert data["djg_totaal"] == 2


@pytest.mark.parametrize("old, new, message", [
    ("items: [3, 4, 7, 9, 8, 10]", "items: [3, 4, 7, 9, 8, 8]", "schaal 'djg6': volgorde moet de items [3, 4, 7, 8, 9, 10] elk één keer noemen"),
    ("items: [3, 4, 7, 9, 8, 10]", "items: [3, 4, 7, 9, 8]", "schaal 'djg6': volgorde moet de items"),
    ("items: [3, 4, 7, 9, 8, 10]\n      bron: djg_handleiding_1999", "items: [3, 4, 7, 9, 8, 10]\n      bron: cbs_2019",
     "schalen[1].volgorde.bron: onbekende bron 'cbs_2019'"),
])
def test_a_bad_order_in_the_data_is_a_located_problem(data_copy, old, new, message):
    data_copy("djg.yaml", old, new)
    _, problems = compile_files(find_files([data_copy.dir]))
    assert len(problems) == 1 and message in str(problems[0]) and str(problems[0]).split(":")[1].isdigit(), problems


def test_help_and_guide_print_the_order_from_the_data(cli):
    order = ", ".join(str(item) for item in SHORT.positional)
    help_text = " ".join(cli("djg", "--help").stdout.replace("│", " ").split())
    assert f"de 6 van de korte schaal in de volgorde {order}" in help_text
    assert "3=ja,4=nee,7=ja,9=nee,8=nee,10=ja" in help_text and "-- -,ja" in help_text
    guide = (Path(__file__).resolve().parents[1] / "docs" / "gebruik.md").read_text(encoding="utf-8")
    assert f"in the order **{order}**" in guide


# --- numbered answers ----------------------------------------------------------------------------------------


def test_numbered_answers_in_any_order(cli):
    score = SCORER.read("3=ja,4=nee,7=ja,9=nee,8=nee,10=ja", "t")
    assert score.scale.id == "djg6" and score.total == 4 and score.subscales == {"emotioneel": 2, "sociaal": 2}
    assert SCORER.read("10=ja,8=nee,9=nee,7=ja,4=nee,3=ja", "t") == score
    data = json.loads(cli("djg", "3=ja,4=nee,7=ja,9=nee,8=nee,10=ja", "-f", "json").stdout)
    assert data["djg_schaal"] == "djg6" and data["djg_totaal"] == 4


def test_numbered_answers_pick_the_scale_and_equal_positional_ones():
    shuffled = [7, 1, 11, 4, 2, 9, 3, 10, 5, 8, 6]
    long = SCORER.read(numbered({1, 2, 5, 8}, shuffled), "t")
    assert long.scale.id == "djg11" and long == SCORER.read(answers({1, 2, 5, 8}), "t")
    short = SCORER.read(numbered({3, 8}, [8, 3, 10, 4, 9, 7]), "t")
    assert short.scale.id == "djg6" and short == SCORER.read(answers({3, 8}, items=SHORT.positional), "t")


def test_numbered_missing_answers():
    score = SCORER.read(numbered({3, 4, 7}, SHORT.items, missing={10}), "t")
    assert score.missing == (10,) and score.total == 3
    assert SCORER.read("3=ja,4=nee,7=ja,9=nee,8=nee,10=", "t").missing == (10,)


def test_numbered_answers_with_a_coding(cli):
    data = json.loads(cli("djg", "3=3,4=1,7=3,9=1,8=1,10=3", "--codering", "handleiding", "-f", "json").stdout)
    assert data["djg_totaal"] == 4


def test_numbered_answers_in_a_profile(cli):
    data = json.loads(cli("profiel", "--leeftijd", "45", "--djg", numbered(set(SHORT.items), SHORT.items), "-f", "json").stdout)
    assert data["djg"]["djg_schaal"] == "djg6" and data["djg"]["djg_totaal"] == 6


@pytest.mark.parametrize("text, message", [
    ("3=ja,3=nee,7=ja,9=nee,8=nee,10=ja", "ANTWOORDEN: item 3 staat er twee keer in (3=ja, 3=nee); geef elk item één keer"),
    ("3=ja,4=nee,7=ja,9=nee,8=nee,12=ja", "ANTWOORDEN: '12=ja': item 12 bestaat niet (toegestaan: 1 … 11)"),
    ("3=ja,4=nee,7=ja,0=nee,8=nee,10=ja", "ANTWOORDEN: '0=nee': item 0 bestaat niet (toegestaan: 1 … 11)"),
    ("3=ja,nee,7=ja,9=nee,8=nee,10=ja", "ANTWOORDEN: antwoord 2 ('nee') heeft geen itemnummer; geef alle antwoorden met "
                                        "itemnummer (bijv. 3=ja) of geen enkel"),
    ("ja,nee,ja,nee,nee,10=ja", "ANTWOORDEN: antwoord 1 ('ja') heeft geen itemnummer"),
    ("3=ja,4=nee,7=ja,9=nee,8=nee", "ANTWOORDEN: de items 3, 4, 7, 8, 9 vormen geen schaal (verwacht precies de items van "
                                    "één schaal: djg11: 1 … 11; djg6: 3, 4, 7, 8, 9, 10; een ontbrekend antwoord als 10=-)"),
    ("3=ja,4=nee,7=ja,9=nee,8=nee,10=ja,5=nee", "ANTWOORDEN: de items 3, 4, 5, 7, 8, 9, 10 vormen geen schaal"),
    ("drie=ja,4=nee", "ANTWOORDEN: 'drie=ja' is geen itemnummer=antwoord (bijv. 1=ja)"),
    ("³=ja,4=nee", "ANTWOORDEN: '³=ja' is geen itemnummer=antwoord"),
    ("3=misschien,4=nee,7=ja,9=nee,8=nee,10=ja", "ANTWOORDEN: djg_3: 'misschien' is geen geldig antwoord"),
])
def test_bad_numbered_answers_one_line_exit_2(cli, text, message):
    result = cli("djg", text)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    with pytest.raises(InputError, match="ANTWOORDEN: "):
        SCORER.read(text, "ANTWOORDEN")


def test_bad_numbered_answers_in_a_profile_name_the_option(cli):
    result = cli("profiel", "--leeftijd", "45", "--djg", "3=ja,3=nee")
    assert result.exit_code == 2 and "--djg: item 3 staat er twee keer in" in result.stderr, result.stderr


# --- undetermined outcomes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lonely, missing, eenzaam, ernstig, category", [
    ({1, 2}, {5}, None, False, None),  # 2 or 3: the cut-off of 3 is not settled
    ({1}, {5}, False, False, "niet_eenzaam"),  # 1 or 2: below 3 either way
    ({1, 2, 3}, {5}, True, False, "matig_eenzaam"),  # 3 or 4
    ({1, 2, 3, 4, 6, 7, 8, 9}, {5}, True, None, None),  # 8 or 9: matig or ernstig
    ({1, 2, 3, 4, 6, 7, 8, 9, 10, 11}, {5}, True, True, "ernstig_eenzaam"),  # 10 or 11: (zeer) ernstig either way
])
def test_an_outcome_the_missing_answer_could_change_is_undetermined(lonely, missing, eenzaam, ernstig, category):
    score = SCORER.read(answers(lonely, missing=missing), "t")
    assert score.total == len(lonely) and not score.complete
    assert (score.indicators["eenzaam"], score.indicators["ernstig"]) == (eenzaam, ernstig)
    assert (score.category.id if score.category else None) == category
    assert len(score.categories) == (1 if category else 2)


def test_the_reason_names_what_is_undetermined():
    score = SCORER.read(answers({1, 2}, missing={5}), "t")
    assert score.reason == "categorie en indicator eenzaam onbepaald: met 1 ontbrekend antwoord ligt het totaal tussen 2 en 3"
    assert [c.id for c in score.categories] == ["niet_eenzaam", "matig_eenzaam"]
    assert score.indicators["eenzaam"] is None  # so it decides no tier
    assert SCORER.read(answers({1}, missing={5}), "t").reason is None  # incomplete, but everything is settled


def test_short_scale_undetermined():
    score = SCORER.read(answers({3}, missing={10}, items=SHORT.positional), "t")
    assert score.total == 1 and score.indicators["eenzaam"] is None and score.category is None
    settled = SCORER.read(answers({3, 4}, missing={10}, items=SHORT.positional), "t")
    assert settled.indicators["eenzaam"] is True and settled.category.id == "matig_eenzaam"


def test_all_blank_with_a_high_missing_limit_is_undetermined_not_zero(cli):
    blank = "," * 10
    score = Scorer(KEY, max_missing=99).read(blank, "t")
    assert score.total == 0 and score.category is None and set(score.indicators.values()) == {None}
    assert score.reason == ("categorie, indicator eenzaam en indicator ernstig onbepaald: "
                            "met 11 ontbrekende antwoorden ligt het totaal tussen 0 en 11")
    data = json.loads(cli("djg", blank, "--max-ontbrekend", "99", "-f", "json").stdout)
    assert data["djg_totaal"] == 0 and data["djg_categorie"] is None and data["djg_indicator_eenzaam"] is None


def test_the_missing_rule_override_keeps_settled_outcomes(cli):
    data = json.loads(cli("djg", answers({1, 2, 3}, missing={5, 6}), "--max-ontbrekend", "2", "-f", "json").stdout)
    assert data["djg_categorie"] == "matig_eenzaam" and data["djg_indicator_eenzaam"] is True  # 3 to 5: matig
    assert data["djg_indicator_ernstig"] is False and data["djg_reden"] is None


def test_undetermined_in_the_table_in_both_languages(cli):
    undetermined = answers({1, 2}, missing={5})
    out = cli("djg", undetermined).stdout
    assert "Categorie: onbepaald (niet eenzaam of matig eenzaam)" in out
    assert "Met 1 ontbrekend antwoord ligt het totaal tussen 2 en 3" in out
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") > 3}
    assert rows["eenzaam"] == "onbepaald" and rows["(zeer) ernstig eenzaam"] == "nee"
    assert rows["emotioneel eenzaam"] == "–"  # the subscale with the gap has no score: not undetermined, absent
    english = cli("djg", undetermined, "--taal", "en").stdout
    assert "Category: undetermined (not lonely or moderately lonely)" in english and "│ undetermined │" in english
    markdown = cli("djg", undetermined, "-f", "markdown").stdout
    assert "| eenzaam | onbepaald |" in markdown


def test_undetermined_in_a_file(cli, tmp_path):
    path = tmp_path / "r.csv"
    header = ";".join(f"djg_{i}" for i in range(1, 12))
    rows = [answers({1, 2}, missing={5}), LONELY_11, answers({1}, missing={5})]
    path.write_text(header + "\n" + "\n".join(r.replace(",", ";") for r in rows) + "\n")
    out = list(csv.DictReader(io.StringIO(cli("djg", "-i", str(path), "-f", "csv").stdout), delimiter=";"))
    assert (out[0]["djg_totaal"], out[0]["djg_categorie"], out[0]["djg_indicator_eenzaam"]) == ("2", "", "")
    assert out[0]["djg_reden"].startswith("categorie en indicator eenzaam onbepaald")
    assert (out[2]["djg_categorie"], out[2]["djg_indicator_eenzaam"]) == ("niet_eenzaam", "nee")
    as_json = json.loads(cli("djg", "-i", str(path), "-f", "json").stdout)
    assert as_json[0]["djg_categorie"] is None and as_json[0]["djg_indicator_eenzaam"] is None
    markdown = cli("djg", "-i", str(path), "-f", "markdown").stdout.splitlines()
    cells = dict(zip(markdown[0].strip("| ").split(" | "), markdown[2].strip("| ").split(" | ")))
    assert cells["djg_categorie"] == cells["djg_indicator_eenzaam"] == "onbepaald" and cells["djg_indicator_ernstig"] == "nee"
    summary = cli("djg", "-i", str(path), "-f", "tabel").stdout
    assert "categorie onbepaald" in summary and "indicator eenzaam 1" in " ".join(summary.split())


def test_an_undetermined_tier_indicator_does_not_decide_tier_3(cli):
    data = json.loads(cli("profiel", "--leeftijd", "45", "--djg", answers({1, 2}, missing={5}), "-f", "json").stdout)
    assert data["djg"]["djg_indicator_eenzaam"] is None and "djg" not in data["niveau"]["besluitend"]
    assert data["niveau"]["nummer"] != 3


@given(st.lists(st.sampled_from(["ja", "nee", "min of meer", ""]), min_size=11, max_size=11))
def test_an_indicator_is_settled_exactly_when_every_completion_agrees(items):
    """Fill the missing answers every way (the extremes suffice: scoring is monotone) and compare."""
    score = Scorer(KEY, max_missing=11).read(",".join(items), "t")
    low = SCORER.read(",".join(a or answer(i, False) for i, a in enumerate(items, 1)), "t")
    high = SCORER.read(",".join(a or answer(i, True) for i, a in enumerate(items, 1)), "t")
    for indicator in SCALES["djg11"].indicators:
        if indicator.score == "totaal":
            ends = {low.indicators[indicator.id], high.indicators[indicator.id]}
            assert score.indicators[indicator.id] == (ends.pop() if len(ends) == 1 else None)
    assert score.category == (low.category if low.category == high.category else None)  # categories are ranges
    assert score.total == low.total


# --- a list that starts with the missing-value marker ----------------------------------------------------------


DASHED = "-," + LONELY_11.split(",", 1)[1]


def test_a_dashed_list_after_double_dash(cli):
    data = json.loads(cli("djg", "-f", "json", "--", DASHED).stdout)
    assert data["djg_totaal"] == 10 and data["djg_ontbrekend"] == 1 and data["antwoorden"]["djg_1"] is None


def test_a_dashed_list_without_double_dash_is_an_option_error_not_a_traceback(cli):
    """The parser reads '-,…' as options; `--` (documented in --help and the README) is the way."""
    result = cli("djg", DASHED)
    assert result.exit_code == 2 and "-," in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("marker", ["", ".", "?"])
def test_other_missing_markers_need_no_double_dash(cli, marker):
    data = json.loads(cli("djg", marker + DASHED[1:], "-f", "json").stdout)
    assert data["djg_totaal"] == 10 and data["djg_ontbrekend"] == 1


def test_a_dashed_list_as_the_profile_option(cli):
    for args in (["--djg", DASHED], [f"--djg={DASHED}"]):
        data = json.loads(cli("profiel", "--leeftijd", "45", *args, "-f", "json").stdout)
        assert data["djg"]["djg_totaal"] == 10 and data["djg"]["djg_ontbrekend"] == 1


# --- bad answers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["misschien" + LONELY_11[3:]], "ANTWOORDEN: djg_1: 'misschien' is geen geldig antwoord (toegestaan: ja!, ja, min of meer"),
    ([",".join(["ja"] * 10)], "ANTWOORDEN: 11 of 6 antwoorden verwacht, 10 gekregen"),
    (["1,3,3,1,3,3,1,1,3,4,1", "--codering", "handleiding"], "djg_10: '4' staat niet in de codering (1=nee, 2=min_of_meer, 3=ja)"),
    (["ja,ja,ja,ja,ja,ja", "--codering", "1=wel"], "--codering: '1=wel' is geen code=antwoord"),
    ([], "geef antwoorden of --invoer BESTAND"),
    (["ja,ja,ja,ja,ja,ja", "--max-ontbrekend", "veel"], "--max-ontbrekend: 'veel' is geen aantal"),
    (["ja,ja,ja,ja,ja,ja", "--max-ontbrekend", "²"], "--max-ontbrekend: '²' is geen aantal"),
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
    assert (out[0]["djg_totaal"], out[0]["djg_categorie"], out[0]["djg_indicator_eenzaam"]) == ("11", "ernstig_eenzaam", "ja")
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


def test_a_file_is_read_by_column_name_not_by_the_order(cli, tmp_path):
    path = tmp_path / "kort.csv"
    path.write_text("djg_10,djg_8,djg_9,djg_7,djg_4,djg_3\nja,ja,nee,ja,ja,ja\n")  # only 10 and 3 score
    row = next(csv.DictReader(io.StringIO(cli("djg", "-i", str(path), "-f", "csv").stdout)))
    assert (row["djg_totaal"], row["djg_emotioneel"], row["djg_sociaal"]) == ("2", "2", "0")


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
    assert "De Jong Gierveld-score 11 van 11: (zeer) ernstig eenzaam" in data["niveau"]["reden"]
    assert data["djg"]["djg_categorie"] == "ernstig_eenzaam"


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


# --- item 21A: scoring a file keyed, and in blocks as columns (pyarrow) ---

FILE_HEADER = "id;djg_1;djg_2;djg_3;djg_4;djg_5;djg_6;djg_7;djg_8;djg_9;djg_10;djg_11"
ADDED = ("djg_schaal;djg_totaal;djg_emotioneel;djg_sociaal;djg_categorie;djg_indicator_eenzaam;djg_indicator_ernstig;"
         "djg_indicator_emotioneel;djg_indicator_sociaal;djg_ontbrekend;djg_volledig;djg_reden")
LONELY_ROW = "nee;ja;ja;nee;ja;ja;nee;nee;ja;ja;nee"  # every item scores
NOT_LONELY_ROW = "ja;nee;nee;ja;nee;nee;ja;ja;nee;nee;ja"  # no item scores


def _scored_three_ways(cli, path, *options):
    """`djg --invoer path -f csv` as installed, with every line in blocks (pyarrow) and without pyarrow; and how many
    blocks were scored as columns. Small chunks and blocks, so that a small file comes in many blocks."""
    pytest.importorskip("pyarrow", reason="pyarrow (the extra `snel`) is not installed: no blocks to compare")
    import eenzaam_cli.cli.djg_view as djg_view
    import eenzaam_cli.core.djg_columns as djg_columns
    import eenzaam_cli.core.files.tabular as tabular

    columnar = []
    profile = djg_columns.ScoreColumns.profile

    def counted(self, block):
        done = profile(self, block)
        columnar.append(done is not None)
        return done

    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tabular, "CHUNK", 300)
        patch.setattr(tabular, "BLOCK_CHARS", 600)
        patch.setattr(djg_columns.ScoreColumns, "profile", counted)
        for mode, after in (("installed", None), ("blocks", lambda size: 0), ("rows", lambda size: None)):
            if after is not None:
                patch.setattr(djg_view, "_blocks_after", after)
            results[mode] = cli("djg", "--invoer", str(path), "-f", "csv", "--stil", *options)
    return results, sum(columnar)


def test_a_file_scores_the_same_in_blocks_and_row_by_row(cli, tmp_path):
    clean = [f"{n};{LONELY_ROW if n % 2 else NOT_LONELY_ROW}" for n in range(60)]
    odd = ['"a;b";;ja;ja;nee;ja;ja;nee;nee;ja;ja;nee',  # quoted, one answer missing
           "=1+1;" + NOT_LONELY_ROW, "-5;nee;;;;ja;ja;nee;nee;ja;ja;nee", "@x;" + LONELY_ROW[:-3] + "NEE!",
           "", ";;;;;;;;;;;", "7; Ja ;nee;nee;ja;nee;nee;ja;ja;nee;nee;min-of-meer"]
    path = tmp_path / "r.csv"
    path.write_bytes(("\r\n".join([FILE_HEADER, *clean, *odd, *clean]) + "\r\n").encode())
    results, columnar = _scored_three_ways(cli, path)
    assert {mode: result.exit_code for mode, result in results.items()} == {"installed": 0, "blocks": 0, "rows": 0}
    assert results["blocks"].stdout == results["rows"].stdout == results["installed"].stdout
    assert columnar >= 2  # the clean lines before and after the odd ones came as columns
    lines = results["rows"].stdout.split("\n")
    assert lines[0] == f"{FILE_HEADER};{ADDED}"
    assert lines[1] == f"0;{NOT_LONELY_ROW};djg11;0;0;0;niet_eenzaam;nee;nee;nee;nee;0;ja;"
    assert lines[2] == f"1;{LONELY_ROW};djg11;11;6;5;ernstig_eenzaam;ja;ja;ja;ja;0;ja;"
    assert lines[61:66] == [
        '"a;b";;ja;ja;nee;ja;ja;nee;nee;ja;ja;nee;djg11;10;6;;ernstig_eenzaam;ja;ja;ja;;1;nee;',
        f"'=1+1;{NOT_LONELY_ROW};djg11;0;0;0;niet_eenzaam;nee;nee;nee;nee;0;ja;",
        "-5;nee;;;;ja;ja;nee;nee;ja;ja;nee;djg11;;;;;;;;;3;nee;3 ontbrekende antwoorden (hoogstens 1 toegestaan)",
        f"'@x;{LONELY_ROW[:-3]}NEE!;djg11;11;6;5;ernstig_eenzaam;ja;ja;ja;ja;0;ja;",
        f"7; Ja ;nee;nee;ja;nee;nee;ja;ja;nee;nee;min-of-meer;djg11;1;0;1;niet_eenzaam;nee;nee;nee;nee;0;ja;"]
    assert len(lines) == 1 + 60 + 5 + 60 + 1 and lines[-1] == ""  # the blank lines are no rows


def test_a_bad_answer_in_a_block_is_named_by_its_line(cli, tmp_path):
    rows = [f"{n};{LONELY_ROW}" for n in range(80)]
    rows[70] = "70;" + LONELY_ROW.replace("nee", "misschien", 1)
    path = tmp_path / "r.csv"
    path.write_text("\n".join([FILE_HEADER, *rows]) + "\n", encoding="utf-8")
    results, columnar = _scored_three_ways(cli, path)
    assert columnar >= 1
    for result in results.values():
        assert result.exit_code == 2
        assert result.stderr.strip() == f"eenzaam: {path}:72: djg_1: 'misschien' is geen geldig antwoord (toegestaan: " \
                                         "ja!, ja, min of meer, min-of-meer, nee, nee!)"
        # the rows before it were written, the row itself not
        assert result.stdout.split("\n")[-2] == f"69;{LONELY_ROW};djg11;11;6;5;ernstig_eenzaam;ja;ja;ja;ja;0;ja;"
    assert results["blocks"].stdout == results["rows"].stdout


def test_a_koppeling_of_codes_scores_the_same_in_blocks(cli, tmp_path):
    codes = {"ja": "1", "min of meer": "2", "nee": "3"}
    header = "id;" + ";".join(f"Q{i}" for i in range(1, 12))
    rows = [f"{n};" + ";".join(codes[a] for a in (LONELY_ROW if n % 3 else NOT_LONELY_ROW).split(";")) for n in range(90)]
    rows[5] = "5;9;" + rows[5].split(";", 2)[2]  # 9: a missing answer by the koppeling
    path = tmp_path / "q.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    mapping = tmp_path / "k.yaml"
    mapping.write_text("kolommen:\n" + "".join(f"  djg_{i}: Q{i}\n" for i in range(1, 12)) + "codes:\n"
                       + "".join(f"  djg_{i}: {{1: ja, 2: min of meer, 3: nee}}\n" for i in range(1, 12))
                       + "ontbrekend: [9]\n", encoding="utf-8")
    results, columnar = _scored_three_ways(cli, path, "--koppeling", str(mapping))
    assert columnar >= 1 and results["rows"].exit_code == 0, results["rows"].stderr
    assert results["blocks"].stdout == results["rows"].stdout == results["installed"].stdout
    lines = results["rows"].stdout.split("\n")
    assert lines[1] == "0;1;3;3;1;3;3;1;1;3;3;1;djg11;0;0;0;niet_eenzaam;nee;nee;nee;nee;0;ja;"
    assert lines[2] == "1;3;1;1;3;1;1;3;3;1;1;3;djg11;11;6;5;ernstig_eenzaam;ja;ja;ja;ja;0;ja;"
    assert lines[6] == "5;9;1;1;3;1;1;3;3;1;1;3;djg11;10;6;;ernstig_eenzaam;ja;ja;ja;;1;nee;"


ANSWER_TEXTS = {"ja": "ja", "JA!": "ja", " nee": "nee", "nee!": "nee", "min-of-meer": "min_of_meer",
                "min of meer": "min_of_meer", "": None, "-": None, "weet niet": None}
BAD_ANSWERS = ["misschien", "=1+1", "@x", "3"]
RANDOM_ROWS = st.lists(st.tuples(st.sampled_from(["1"] * 12 + ["=2", "-5", "@x", "a;b", 'say "x"', "r\nr", ""]),
                                 st.lists(st.sampled_from(sorted(ANSWER_TEXTS)), min_size=11, max_size=11),
                                 st.sampled_from([False] * 9 + [True])), min_size=1, max_size=60)
A_BAD_ANSWER = st.none() | st.tuples(st.integers(0, 39), st.integers(0, 10), st.sampled_from(BAD_ANSWERS))


def _random_rows_score_the_same(rows, bad, end, columnar):
    import tempfile

    from typer.testing import CliRunner

    from eenzaam_cli.cli.app import app

    def cell(text, quoted):
        return '"' + text.replace('"', '""') + '"' if quoted or any(c in text for c in ';"\n') else text

    if bad is not None and bad[0] < len(rows):
        rows[bad[0]][1][bad[1]] = bad[2]
    lines = [";".join(cell(text, quoted) for text in [first, *answers]) for first, answers, quoted in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_bytes((end.join([FILE_HEADER, *lines]) + end).encode())
        runner = CliRunner()
        results, blocks = _scored_three_ways(lambda *args: runner.invoke(app, list(args), catch_exceptions=False), path)
    columnar.append(blocks)
    outcomes = {(result.exit_code, result.stdout, result.stderr) for result in results.values()}
    assert len(outcomes) == 1
    (code, stdout, stderr), = outcomes
    starts = [2 + n + sum(first.count("\n") for first, _, _ in rows[:n]) for n in range(len(rows))]  # first lines
    kept = [(line, answers) for line, (first, answers, _) in zip(starts, rows)
            if first.strip() or any(a.strip() for a in answers)]  # a line of only separators and spaces is no row
    if bad is not None and bad[0] < len(rows):
        assert code == 2 and stderr.startswith(f"eenzaam: {path}:{starts[bad[0]]}: djg_{bad[1] + 1}: ")
        return
    if not kept:
        assert code == 2 and stderr == f"eenzaam: {path}: bevat geen rijen, alleen een kopregel\n"
        return
    assert code == 0
    out = list(csv.reader(io.StringIO(stdout), delimiter=";"))
    assert len(out) == 1 + len(kept)
    total = out[0].index("djg_totaal")
    for row, (_, answers) in zip(out[1:], kept):
        read = [ANSWER_TEXTS[a] for a in answers]
        points = sum(answer in (("ja", "min_of_meer") if item in EMOTIONAL else ("nee", "min_of_meer"))
                     for item, answer in enumerate(read, 1))
        assert row[total] == (str(points) if read.count(None) <= 1 else "")


def test_random_rows_score_the_same_in_blocks_and_row_by_row():
    """Rows with quotes, formulas, bad and missing answers: the same bytes, error and exit code either way."""
    from hypothesis import settings

    columnar: list[int] = []
    settings(deadline=None, max_examples=60)(given(RANDOM_ROWS, A_BAD_ANSWER, st.sampled_from(["\n", "\r\n"]))(
        lambda rows, bad, end: _random_rows_score_the_same(rows, bad, end, columnar)))()
    assert sum(columnar) > 0  # some blocks were scored as columns


def test_a_large_file_comes_in_blocks_only_with_pyarrow(monkeypatch):
    pytest.importorskip("pyarrow", reason="pyarrow (the extra `snel`) is not installed: no blocks")
    import importlib.util

    from eenzaam_cli.cli import djg_view

    assert djg_view._blocks_after(24 * 2**20) == 0  # 24 MiB: from the first line
    assert djg_view._blocks_after(24 * 2**20 - 1) == 262_144
    assert djg_view._blocks_after(None) == 262_144  # a stream
    spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None if name == "pyarrow" else spec(name, *rest))
    assert djg_view._blocks_after(24 * 2**20) is None
