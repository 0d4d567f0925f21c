"""Analysts' files as they come: a koppeling (--koppeling, --kolom) of column names, codes and missing codes, ages
written as 76,0, and missing answers ("weet niet", SPSS user-missing codes, the koppeling's codes) that never reject
a row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

ITEMS = [f"djg_{i}" for i in range(1, 12)]
NONE = ["ja", "nee", "nee", "ja", "nee", "nee", "ja", "ja", "nee", "nee", "ja"]  # 0 points
SOME = ["ja", "ja", "ja", "ja", "ja", "nee", "ja", "ja", "ja", "nee", "ja"]  # 4 points: matig eenzaam
RESULT = ["leeftijdsband", "djg_totaal", "djg_emotioneel", "djg_sociaal", "djg_categorie", "risicofactoren",
          "n_risicofactoren", "hoogste_groepscijfer_eenzaam", "illustratie_onafhankelijk_eenzaam",
          "hoogste_groepscijfer_ernstig", "illustratie_onafhankelijk_ernstig", "preventieniveau"]
CODE = {"ja": "1", "min of meer": "2", "nee": "3"}


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files named as a user names them, so each message can be compared whole


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> str:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path.name


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def results(text: str) -> list[list[str]]:
    return [[row[column] for column in RESULT] for row in rows_of(text)]


def batch(cli, *args: str):
    result = cli("batch", *args, "--stil")
    return result


# --- item C: values as files hold them ---


def test_ages_written_with_a_zero_fraction_are_whole_years(cli, tmp_path):
    header = ["id", "leeftijd", *ITEMS]
    plain = write_csv(tmp_path / "plain.csv", header, [["1", "76", *SOME], ["2", "76", *SOME], ["3", "90", *NONE]])
    written = write_csv(tmp_path / "written.csv", header, [["1", "76,0", *SOME], ["2", "76.0", *SOME],
                                                           ["3", "90,00", *NONE]])
    expected, got = batch(cli, str(plain)), batch(cli, str(written))
    assert got.exit_code == 0, got.stderr
    assert results(got.stdout) == results(expected.stdout)
    assert [row["leeftijdsband"] for row in rows_of(got.stdout)] == ["75-84 jaar", "75-84 jaar", "85+"]
    assert [row["leeftijd"] for row in rows_of(got.stdout)] == ["76,0", "76.0", "90,00"]  # cells as written
    # an age with a real fraction is still refused, with the reason
    path = write_csv(tmp_path / "in.csv", ["id", "leeftijd"], [["1", "76,5"]])
    result = batch(cli, str(path))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == ("eenzaam: in.csv:2: leeftijd: '76,5' is geen geheel getal (een leeftijd "
                                             "in jaren, 0 tot en met 120)")


@pytest.mark.parametrize("word", ["weet niet", "Weigert", "geen antwoord", "WEET NIET"])
def test_missing_words_are_missing_answers_in_every_column(cli, tmp_path, word):
    header = ["id", "leeftijd", "burgerlijke_staat", "eenzaam", *ITEMS]
    known = write_csv(tmp_path / "known.csv", header, [["1", "", "", "", "", *SOME[1:]]])
    said = write_csv(tmp_path / "said.csv", header, [["1", word, word, word, word, *SOME[1:]]])
    expected, got = batch(cli, str(known)), batch(cli, str(said))
    assert got.exit_code == 0, got.stderr
    assert got.stderr.strip().endswith("1 rijen gelezen = 1 geschreven + 0 afgewezen")
    row = rows_of(got.stdout)[0]
    # djg_1 (social, 'ja' gives no point) missing: the emotional items still give 4 points, an incomplete score
    assert row["leeftijdsband"] == "" and row["risicofactoren"] == "" and row["djg_totaal"] == "4"
    assert row["djg_sociaal"] == "" and row["djg_emotioneel"] == "4"
    assert results(got.stdout) == results(expected.stdout)


def test_a_missing_word_in_a_population_segment_is_unknown(cli, tmp_path):
    known = write_csv(tmp_path / "known.csv", ["aantal", "leeftijd", "burgerlijke_staat"], [["100", "80", ""]])
    said = write_csv(tmp_path / "said.csv", ["aantal", "leeftijd", "burgerlijke_staat"], [["100", "80,0", "weet niet"]])
    expected, got = cli("populatie", str(known), "-f", "csv"), cli("populatie", str(said), "-f", "csv")
    assert got.exit_code == 0, got.stderr
    assert got.stdout == expected.stdout


def spss():
    pyreadstat = pytest.importorskip("pyreadstat", reason="the spss extra is not installed (pip install '.[spss]')")
    pandas = pytest.importorskip("pandas", reason="pyreadstat.write_sav needs pandas")
    return pyreadstat, pandas


def test_spss_user_missing_codes_are_missing_answers_also_with_a_label(cli, tmp_path):
    pyreadstat, pandas = spss()
    # 9 is declared user-missing; 8 is not, but its label says "weigert": a missing answer too
    columns = {"leeftijd": [80.0, 999.0, 80.0], "burgerlijke_staat": [9.0, 9.0, 8.0],
               **{item: [float(CODE[answer])] * 3 for item, answer in zip(ITEMS, SOME)}}
    columns["djg_1"] = [9.0, 9.0, 8.0]
    labels = {item: {1.0: "ja", 2.0: "min of meer", 3.0: "nee", 8.0: "weigert", 9.0: "weet niet"} for item in ITEMS}
    labels["burgerlijke_staat"] = {1.0: "gehuwd", 5.0: "verweduwd", 8.0: "weigert", 9.0: "weet niet"}
    labels["leeftijd"] = {999.0: "weigert"}
    path = tmp_path / "in.sav"
    pyreadstat.write_sav(pandas.DataFrame(columns), str(path), variable_value_labels=labels,
                         missing_ranges={"leeftijd": [999.0], "burgerlijke_staat": [9.0], **{i: [9.0] for i in ITEMS}},
                         variable_measure={"leeftijd": "scale", **{c: "nominal" for c in columns if c != "leeftijd"}})
    plain = write_csv(tmp_path / "plain.csv", ["leeftijd", "burgerlijke_staat", *ITEMS],
                      [["80", "", "", *SOME[1:]], ["", "", "", *SOME[1:]], ["80", "", "", *SOME[1:]]])
    got, expected = batch(cli, str(path)), batch(cli, str(plain))
    assert got.exit_code == 0, got.stderr
    assert results(got.stdout) == results(expected.stdout)
    assert [row["leeftijdsband"] for row in rows_of(got.stdout)] == ["75-84 jaar", "", "75-84 jaar"]
    assert [row["djg_totaal"] for row in rows_of(got.stdout)] == ["4", "4", "4"]
    assert [row["burgerlijke_staat"] for row in rows_of(got.stdout)] == ["", "", "weigert"]


# --- item A: the koppeling (--koppeling, --kolom) ---

CODEBOOK = ["RESPNR", "AGLFA401", "BURGST", *[f"GZEEA2{i:02d}" for i in range(1, 12)], "WEEGFACTOR", "WIJK"]
MAPPING = ("kolommen:\n  leeftijd: AGLFA401\n  burgerlijke_staat: BURGST\n  gewicht: WEEGFACTOR\n"
           + "".join(f"  djg_{i}: GZEEA2{i:02d}\n" for i in range(1, 12))
           + "codes:\n  burgerlijke_staat: {1: gehuwd, 2: gescheiden, 5: verweduwd}\n"
           + "".join(f"  djg_{i}: {{1: ja, 2: min of meer, 3: nee}}\n" for i in range(1, 12))
           + "ontbrekend: [9, 999]\n")


def coded(answers: list[str]) -> list[str]:
    return [CODE[answer] for answer in answers]


def test_a_koppeling_reads_codebook_names_and_codes_as_the_tools_own(cli, tmp_path):
    codebook = write_csv(tmp_path / "enquete.csv", CODEBOOK, [
        ["1", "76,0", "5", *coded(SOME), "1.5", "A"],
        ["2", "999", "9", "9", *coded(SOME)[1:], "0.5", "B"],
        ["3", "45", "1", *coded(NONE), "1", "A"]])
    own = write_csv(tmp_path / "own.csv", ["RESPNR", "leeftijd", "burgerlijke_staat", *ITEMS, "gewicht", "WIJK"], [
        ["1", "76", "verweduwd", *SOME, "1.5", "A"],
        ["2", "", "", "", *SOME[1:], "0.5", "B"],
        ["3", "45", "gehuwd", *NONE, "1", "A"]])
    mapping = tmp_path / "koppeling.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    got = batch(cli, str(codebook), "--koppeling", mapping.name, "--rapport", str(tmp_path / "a.json"))
    expected = batch(cli, str(own), "--gewicht", "gewicht", "--rapport", str(tmp_path / "b.json"))
    assert got.exit_code == 0, got.stderr
    assert results(got.stdout) == results(expected.stdout)
    assert rows_of(got.stdout)[0]["risicofactoren"] == "burgerlijke_staat;leeftijd"  # verweduwd, 75-84
    assert [row["AGLFA401"] for row in rows_of(got.stdout)] == ["76,0", "999", "45"]  # cells as written
    assert list(rows_of(got.stdout)[0])[:len(CODEBOOK)] == CODEBOOK
    # the weight named by the koppeling is the report's weight
    assert (tmp_path / "a.json").read_text(encoding="utf-8").replace("enquete.csv", "own.csv") == \
        (tmp_path / "b.json").read_text(encoding="utf-8").replace(': "gewicht"', ': "WEEGFACTOR"')


def test_kolom_overrides_the_files_entry(cli, tmp_path):
    path = write_csv(tmp_path / "in.csv", ["A", "B"], [["50", "80"]])
    mapping = tmp_path / "k.yaml"
    mapping.write_text("kolommen: {leeftijd: A}\n", encoding="utf-8")
    result = batch(cli, str(path), "--koppeling", mapping.name, "--kolom", "leeftijd=B")
    assert result.exit_code == 0, result.stderr
    assert rows_of(result.stdout)[0]["leeftijdsband"] == "75-84 jaar"


def test_djg_invoer_and_populatie_read_the_koppeling(cli, tmp_path):
    codebook = write_csv(tmp_path / "d.csv", ["id", *CODEBOOK[3:14]], [["1", "9", *coded(SOME)[1:]]])
    own = write_csv(tmp_path / "own.csv", ["id", *ITEMS], [["1", "", *SOME[1:]]])
    mapping = tmp_path / "k.yaml"
    mapping.write_text(MAPPING.replace("  leeftijd: AGLFA401\n  burgerlijke_staat: BURGST\n  gewicht: WEEGFACTOR\n",
                                       ""), encoding="utf-8")
    got = cli("djg", "--invoer", str(codebook), "--koppeling", mapping.name, "-f", "csv")
    expected = cli("djg", "--invoer", str(own), "-f", "csv")
    assert got.exit_code == 0, got.stderr
    assert [row["djg_totaal"] for row in rows_of(got.stdout)] == ["4"]
    assert [list(row.values())[12:] for row in rows_of(got.stdout)] == \
        [list(row.values())[12:] for row in rows_of(expected.stdout)]
    mapping.write_text("codes:\n  burgerlijke_staat: {1: gehuwd, 5: verweduwd}\nontbrekend: [9, 999]\n", encoding="utf-8")
    segments = write_csv(tmp_path / "s.csv", ["N", "LFT", "BS"], [["100", "80", "5"], ["50", "80,0", "9"]])
    plain = write_csv(tmp_path / "p.csv", ["aantal", "leeftijd", "burgerlijke_staat"],
                      [["100", "80", "verweduwd"], ["50", "80", ""]])
    got = cli("populatie", str(segments), "--kolom", "aantal=N", "--kolom", "leeftijd=LFT", "--kolom",
              "burgerlijke_staat=BS", "--koppeling", mapping.name, "-f", "csv")
    expected = cli("populatie", str(plain), "-f", "csv")
    assert got.exit_code == 0, got.stderr
    assert got.stdout == expected.stdout


@pytest.mark.parametrize(("text", "options", "line"), [
    ("kolommen: {leeftijd: AGLFA40}\n", (),
     "k.yaml:1: kolommen.leeftijd: de kolom 'AGLFA40' staat niet in in.csv (kolommen: AGLFA401, BURGST, leeftijd2)"),
    ("kolommen:\n  leeftijdd: AGLFA401\n", (),
     "k.yaml:2: kolommen.leeftijdd: 'leeftijdd' is geen sleutel van het hulpmiddel (toegestaan: leeftijd, eenzaam, "
     "signalen, djg_1 … djg_11, "),
    ("codes:\n  burgerlijke_staat:\n    1: gehuwd\n    5: weduwe\n", (),
     "k.yaml:4: codes.burgerlijke_staat.5: 'weduwe' is onbekend (toegestaan: gehuwd, samenwonend, ongehuwd, "
     "gescheiden, verweduwd)"),
    ("codes:\n  djg_3: {1: jaaa}\n", (),
     "k.yaml:2: djg_3: 'jaaa' is geen geldig antwoord (toegestaan: ja!, ja, min of meer, min-of-meer, nee, nee!)"),
    ("codes:\n  leeftijd: {9: 80}\nontbrekend: [9]\n", (),
     "k.yaml:2: codes.leeftijd: de code '9' staat ook bij ontbrekend; geef haar één betekenis"),
    ("kolommen: {leeftijd: BURGST}\nnieuw: 1\n", (),
     "k.yaml:2: nieuw: onbekende sleutel (toegestaan: kolommen, codes, ontbrekend)"),
    ("kolommen: {leeftijd: AGLFA401}\n", ("--kolom", "leeftijd"),
     "--kolom: 'leeftijd' heeft niet de vorm DOEL=BRON (bijv. leeftijd=AGLFA401)"),
    ("kolommen: {leeftijd: AGLFA401}\n", ("--kolom", "burgerlijke_staat=AGLFA401"),
     "--kolom burgerlijke_staat: de kolom 'AGLFA401' is al gekoppeld aan 'leeftijd'; koppel elke kolom aan één "
     "sleutel"),
    ("kolommen: {leeftijd: AGLFA401}\n", ("--kolom", "leeftijd=X"),
     "--kolom leeftijd: de kolom 'X' staat niet in in.csv (kolommen: AGLFA401, BURGST, leeftijd2)"),
])
def test_each_koppeling_problem_is_one_line_before_any_row(cli, tmp_path, text, options, line):
    path = write_csv(tmp_path / "in.csv", ["AGLFA401", "BURGST", "leeftijd2"], [["80", "1", "x"]])
    mapping = tmp_path / "k.yaml"
    mapping.write_text(text, encoding="utf-8")
    output = tmp_path / "uit.csv"
    result = batch(cli, str(path), "--koppeling", mapping.name, *options, "-o", str(output))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"eenzaam: {line}") and result.stderr.count("\n") == 1
    assert not output.exists()


def test_a_mapped_target_the_file_also_has_is_refused(cli, tmp_path):
    path = write_csv(tmp_path / "in.csv", ["Leeftijd", "LFT"], [["80", "81"]])
    result = batch(cli, str(path), "--kolom", "leeftijd=LFT")
    assert result.exit_code == 2
    assert result.stderr == ("eenzaam: --kolom leeftijd: in.csv heeft zelf al een kolom 'Leeftijd' voor 'leeftijd'; "
                             "koppel er één\n")


# --- item B: eenzaam data koppeling ---


def test_data_koppeling_places_what_it_can_and_marks_the_rest(cli, tmp_path):
    pyreadstat, pandas = spss()
    frame = pandas.DataFrame({"RESPNR": [1.0], "Burgerlijke_Staat": [5.0], "MIGR": [1.0], "DJG_01": [1.0],
                              "GZEEA202": [1.0], "WEEG": [1.0]})
    pyreadstat.write_sav(frame, str(tmp_path / "in.sav"), variable_value_labels={
        "Burgerlijke_Staat": {1.0: "gehuwd", 5.0: "verweduwd", 9.0: "weet niet"},
        "MIGR": {1.0: "Nederlands", 2.0: "Niet-westers", 3.0: "Turks"},
        "GZEEA202": {1.0: "ja", 2.0: "min of meer", 3.0: "nee"}})
    result = cli("data", "koppeling", "in.sav", "-o", "k.yaml")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "k.yaml").read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if line.startswith("  ")]
    assert body == ["  burgerlijke_staat: Burgerlijke_Staat  # herkend aan de naam",
                    "  migratie: MIGR  # herkend aan de waardelabels",
                    "  djg_1: DJG_01  # herkend aan de naam",
                    "  # TODO: RESPNR",
                    "  # TODO: GZEEA202  (labels: 1=ja, 2=min of meer, 3=nee); een De Jong Gierveld-item: djg_1 … djg_11",
                    "  # TODO: WEEG"]
    assert max(map(len, text.splitlines())) <= 120
    # it loads as it is, and once completed
    assert cli("batch", "in.sav", "--koppeling", "k.yaml", "--stil").exit_code == 2  # djg_1 alone is no scale
    (tmp_path / "k.yaml").write_text(text.replace("  # TODO: WEEG", "  gewicht: WEEG"), encoding="utf-8")
    assert cli("batch", "in.sav", "--koppeling", "k.yaml", "--kolom", "djg_1=RESPNR", "--stil").exit_code == 2


def test_an_spss_file_with_a_completed_starting_koppeling_gives_the_results_of_the_renamed_file(cli, tmp_path):
    """The issue's done-when: codebook names, coded answers with labels, user-missing 9 and 999, a weight, areas."""
    pyreadstat, pandas = spss()
    people = [  # age, marital status code, answers, weight, municipality, district
        (76.0, 5.0, SOME, 1.25, 363.0, 1.0), (999.0, 1.0, NONE, 0.75, 363.0, 2.0), (45.0, 9.0, SOME, 1.0, 363.0, 1.0),
        (88.0, 2.0, ["nee"] * 11, 2.0, 599.0, 3.0), (30.0, 1.0, [None, *NONE[1:]], 0.5, 599.0, 3.0)]
    coded_columns = {"RESPNR": [float(i) for i in range(1, 6)], "AGLFA401": [p[0] for p in people],
                     "BURGST": [p[1] for p in people]}
    for index, item in enumerate(CODEBOOK[3:14]):
        coded_columns[item] = [9.0 if p[2][index] is None else float(CODE[p[2][index]]) for p in people]
    coded_columns.update({"WEEGFACTOR": [p[3] for p in people], "GEMEENTE": [p[4] for p in people],
                          "WIJK": [p[5] for p in people]})
    answers = {item: {1.0: "ja", 2.0: "min of meer", 3.0: "nee", 9.0: "weet niet"} for item in CODEBOOK[3:14]}
    pyreadstat.write_sav(pandas.DataFrame(coded_columns), str(tmp_path / "enquete.sav"),
                         variable_value_labels={**answers, "AGLFA401": {999.0: "weigert"}},
                         missing_ranges={"AGLFA401": [999.0], "BURGST": [9.0], **{i: [9.0] for i in answers}},
                         variable_measure={"AGLFA401": "scale", "WEEGFACTOR": "scale", "BURGST": "nominal",
                                           **{i: "ordinal" for i in answers}})
    assert cli("data", "koppeling", "enquete.sav", "-o", "koppeling.yaml").exit_code == 0
    text = (tmp_path / "koppeling.yaml").read_text(encoding="utf-8")
    for target, source in [("leeftijd", "AGLFA401"), ("burgerlijke_staat", "BURGST"), ("gewicht", "WEEGFACTOR"),
                           *((f"djg_{i}", f"GZEEA2{i:02d}") for i in range(1, 12))]:
        line = next(line for line in text.splitlines() if line.startswith(f"  # TODO: {source}"))
        text = text.replace(line, f"  {target}: {source}")
    text = text.replace("codes: {}", "codes:\n  burgerlijke_staat: {1: gehuwd, 2: gescheiden, 5: verweduwd}")
    text = text.replace("ontbrekend: []", "ontbrekend: [9, 999]")
    (tmp_path / "koppeling.yaml").write_text(text, encoding="utf-8")
    got = cli("batch", "enquete.sav", "--koppeling", "koppeling.yaml", "--stil")
    names = {"ja": "ja", "min of meer": "min of meer", "nee": "nee"}
    status = {1.0: "gehuwd", 2.0: "gescheiden", 5.0: "verweduwd", 9.0: ""}
    renamed = write_csv(tmp_path / "renamed.csv", ["RESPNR", "leeftijd", "burgerlijke_staat", *ITEMS, "gewicht",
                                                   "GEMEENTE", "WIJK"],
                        [[str(i + 1), "" if p[0] == 999.0 else str(int(p[0])), status[p[1]],
                          *("" if a is None else names[a] for a in p[2]), str(p[3]), str(int(p[4])), str(int(p[5]))]
                         for i, p in enumerate(people)])
    expected = cli("batch", renamed, "--gewicht", "gewicht", "--stil")
    assert got.exit_code == 0, got.stderr
    assert results(got.stdout) == results(expected.stdout)
    assert len(rows_of(got.stdout)) == 5 and [r["leeftijdsband"] for r in rows_of(got.stdout)] == \
        ["75-84 jaar", "", "35-49 jaar", "85+", "19-34 jaar"]
