"""What a file's columns were recognised as, header problems said once, every bad column of a row, and rows
without an age counted apart (issue 19: findings 1, 2, 4 and 5)."""

from __future__ import annotations

import csv
import io
import json

import pytest

SHORT = ["djg_3", "djg_4", "djg_7", "djg_8", "djg_9", "djg_10"]
LONELY = ["ja", "nee", "nee", "nee", "ja", "ja"]  # 6 of 6: (very) severely lonely
NOT_LONELY = ["nee", "ja", "ja", "ja", "nee", "nee"]  # 0 of 6
MAP = "koppel de kolommen met --kolom DOEL=BRON of --koppeling KOPPELING.yaml"
STATES = "gehuwd, samenwonend, ongehuwd, gescheiden, verweduwd"


def write_csv(path, header, *rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


# --- A: say what was recognised ---


def test_a_file_of_codebook_names_stops_with_one_line_and_writes_nothing(cli, tmp_path):
    path = write_csv(tmp_path / "enquete.csv", ["id", "AGLFA401", "GGEEA201"], ["1", "76", "1"], ["2", "80", "3"])
    out, report = tmp_path / "uit.csv", tmp_path / "r.html"
    result = cli("batch", str(path), "-o", str(out), "--rapport", str(report))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"eenzaam: {path}:1: geen kolom herkend als persoonssleutel of De Jong Gierveld-item (kolommen: id, AGLFA401, "
        "GGEEA201; bekende sleutels: leeftijd, eenzaam, signalen, djg, djg_1 … djg_11, opleiding, rondkomen, werk "
        f"… en 29 andere); {MAP}\n")
    assert not out.exists() and not report.exists()


def test_an_spss_file_of_codebook_names_stops_and_one_of_known_names_says_what_it_read(cli, tmp_path):
    pytest.importorskip("pyreadstat")
    import pandas
    import pyreadstat

    coded = tmp_path / "monitor.sav"
    pyreadstat.write_sav(pandas.DataFrame({"AGLFA401": [76.0, 80.0], "GGRLS202": [1.0, 3.0]}), str(coded))
    result = cli("batch", str(coded))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"eenzaam: {coded}:1: geen kolom herkend als persoonssleutel of De Jong "
                                    "Gierveld-item (kolommen: AGLFA401, GGRLS202; ")
    named = tmp_path / "named.sav"
    pyreadstat.write_sav(pandas.DataFrame({"Leeftijd": [76.0], "wijk": ["A"], **{item: [1.0] for item in SHORT}}),
                         str(named), variable_value_labels={item: {1.0: "ja", 2.0: "min of meer", 3.0: "nee"}
                                                            for item in SHORT})
    result = cli("batch", str(named), "-o", str(tmp_path / "uit.csv"))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"eenzaam: {named}: herkend: persoonssleutels Leeftijd→leeftijd; De Jong Gierveld-items djg_3 … djg_10 (6); "
        "doorgegeven wijk",
        f"eenzaam: geschreven: {tmp_path / 'uit.csv'}",  # the file -o wrote, once complete
        "eenzaam: 1 rijen gelezen = 1 geschreven + 0 afgewezen"]


def test_batch_names_keys_items_weight_and_passed_columns_in_one_line(cli, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["ID", "Leeftijd", "burgerlijke_staat", *SHORT, "wijk", "w"],
                     ["1", "80", "verweduwd", *LONELY, "A", "1.5"])
    result = cli("batch", str(path), "--gewicht", "w", "-o", str(tmp_path / "uit.csv"))
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"eenzaam: {path}: herkend: persoonssleutels Leeftijd→leeftijd, burgerlijke_staat; De Jong Gierveld-items "
        "djg_3 … djg_10 (6); gewicht w; doorgegeven ID, wijk")
    english = cli("batch", str(path), "--taal", "en", "-o", str(tmp_path / "uit.csv"))
    assert english.stderr.splitlines()[0] == (
        f"eenzaam: {path}: recognised: person keys Leeftijd→leeftijd, burgerlijke_staat; De Jong Gierveld items "
        "djg_3 … djg_10 (6); passed through ID, wijk, w")
    quiet = cli("batch", str(path), "--stil", "-o", str(tmp_path / "uit.csv"))
    assert quiet.stderr == "eenzaam: 1 rijen gelezen = 1 geschreven + 0 afgewezen\n"


def test_two_hundred_columns_are_one_line(cli, tmp_path):
    extra = [f"vraag{n}" for n in range(1, 200)]
    path = write_csv(tmp_path / "r.csv", ["leeftijd", *extra], ["80", *["x"] * 199])
    result = cli("batch", str(path), "-o", str(tmp_path / "uit.csv"))
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"eenzaam: {path}: herkend: persoonssleutels leeftijd; De Jong Gierveld-items geen; doorgegeven vraag1, vraag2, "
        "vraag3, vraag4, vraag5, vraag6, vraag7, vraag8 … en 191 andere")


def test_djg_and_populatie_say_what_they_read_and_are_quiet_with_stil(cli, tmp_path):
    answers = write_csv(tmp_path / "a.csv", ["id", "leeftijd", *SHORT], ["1", "80", *LONELY])
    result = cli("djg", "--invoer", str(answers), "-f", "csv")
    assert result.exit_code == 0
    assert result.stderr == (f"eenzaam: {answers}: herkend: persoonssleutels geen; De Jong Gierveld-items djg_3 … "
                             "djg_10 (6); doorgegeven id, leeftijd\n")
    assert cli("djg", "--invoer", str(answers), "-f", "csv", "--stil").stderr == ""
    segments = write_csv(tmp_path / "s.csv", ["Aantal", "Leeftijd", "gebied", "opleiding"], ["10", "80", "A", "laag"])
    result = cli("populatie", str(segments), "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == (f"eenzaam: {segments}: herkend: persoonssleutels Leeftijd→leeftijd, opleiding; De Jong "
                             "Gierveld-items geen; gebied; aantal Aantal; doorgegeven geen\n")
    assert cli("populatie", str(segments), "-f", "json", "--stil").stderr == ""


def test_the_api_refuses_a_file_with_nothing_recognised(tmp_path):
    from eenzaam_cli import api
    from eenzaam_cli.core.errors import InputError

    path = write_csv(tmp_path / "enquete.csv", ["id", "AGLFA401"], ["1", "76"])
    with pytest.raises(InputError, match=r"enquete.csv:1: geen kolom herkend als persoonssleutel"):
        list(api.batch(str(path)))


# --- B: a header problem is one line ---


def test_a_weight_column_of_text_is_one_line_and_no_rows_are_written(cli, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["id", "leeftijd", "wijk"], *[[str(n), "80", "Noord"] for n in range(2000)])
    out = tmp_path / "uit.csv"
    result = cli("batch", str(path), "--gewicht", "wijk", "-o", str(out), "--stil")
    assert result.exit_code == 2
    assert result.stderr == (f"eenzaam: --gewicht: de kolom 'wijk' van {path} bevat geen weegfactoren (bijv. 'Noord' "
                             "op regel 2); kies een kolom met getallen van een miljardste tot en met een miljard\n")
    assert not out.exists()


def test_a_statline_export_given_to_populatie_is_one_line(cli, tmp_path):
    path = write_csv(tmp_path / "cbs.csv", ["Wijken en buurten", "Bevolking (aantal)"],
                     *[[f"Wijk {n:02d}", str(100 + n)] for n in range(120)])
    result = cli("populatie", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"eenzaam: {path}:1: geen kolom aantal en geen kolom leeftijd (gevonden: 'Wijken en buurten', "
        "'Bevolking (aantal)'); een segmentenbestand heeft een kolom aantal, een kolom leeftijd (leeftijd of band) en "
        f"eventueel gebied en persoonssleutels; {MAP}\n")


def test_an_unknown_segment_column_is_one_line_not_one_per_row(cli, tmp_path):
    path = write_csv(tmp_path / "s.csv", ["aantal", "leeftijd", "hobby"], *[["10", "80", "x"]] * 50)
    result = cli("populatie", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"eenzaam: {path}:1: onbekende kolom 'hobby' (toegestaan: aantal, gebied, leeftijd, eenzaam, signalen, djg, "
        f"djg_1 … djg_11, opleiding, rondkomen, werk … en 29 andere); {MAP}"]


# --- C: every bad column of a row ---


def test_a_row_with_a_bad_age_and_a_bad_state_is_reported_for_both(cli, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["id", "leeftijd", "burgerlijke_staat"],
                     ["1", "80", "gehuwd"], ["2", "abc", "5"], ["3", "70", "verweduwd"])
    errors = tmp_path / "fouten.csv"
    result = cli("batch", str(path), "--fouten", str(errors), "-o", str(tmp_path / "uit.csv"), "--stil")
    assert result.exit_code == 3
    assert result.stderr == "eenzaam: 3 rijen gelezen = 2 geschreven + 1 afgewezen\n"
    assert list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8")))) == [
        ["rij", "kolom", "waarde", "reden"],
        ["3", "leeftijd", "abc", "'abc' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"],
        ["3", "burgerlijke_staat", "5", f"'5' is onbekend (toegestaan: {STATES})"]]
    result = cli("batch", str(path), "-o", str(tmp_path / "uit.csv"), "--stil")
    assert result.stderr.splitlines() == [
        f"eenzaam: {path}:3: leeftijd: 'abc' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)",
        f"eenzaam: {path}:3: burgerlijke_staat: '5' is onbekend (toegestaan: {STATES})",
        "eenzaam: 3 rijen gelezen = 2 geschreven + 1 afgewezen"]


def test_a_bad_answer_is_reported_with_the_bad_person_values(cli, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["opleiding", "leeftijd", *SHORT], ["heel_hoog", "80", "ja", "ja", "ja", "ja",
                                                                            "misschien", "ja"])
    result = cli("batch", str(path), "-o", str(tmp_path / "uit.csv"), "--stil")
    assert result.stderr.splitlines() == [
        f"eenzaam: {path}:2: opleiding: 'heel_hoog' is onbekend (toegestaan: laag, midden, hoog)",
        f"eenzaam: {path}:2: djg_9: 'misschien' is geen geldig antwoord (toegestaan: ja!, ja, min of meer, min-of-meer, nee, nee!)",
        "eenzaam: 1 rijen gelezen = 0 geschreven + 1 afgewezen"]


def test_the_person_reader_collects_every_problem_in_one_error():
    from eenzaam_cli.core.errors import InputErrors
    from eenzaam_cli.core.person import PersonReader
    from eenzaam_cli.core.reference.loading import load_reference

    with pytest.raises(InputErrors) as caught:
        PersonReader(load_reference()).read([("leeftijd", "abc", "r:2: leeftijd"),
                                             ("opleiding", "laag", "r:2: opleiding"),
                                             ("burgerlijke_staat", "5", "r:2: burgerlijke_staat")])
    assert str(caught.value) == ("r:2: leeftijd: 'abc' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120); "
                                 f"burgerlijke_staat: '5' is onbekend (toegestaan: {STATES})")
    assert [str(error) for error in caught.value.errors] == [
        "r:2: leeftijd: 'abc' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)",
        f"r:2: burgerlijke_staat: '5' is onbekend (toegestaan: {STATES})"]


def test_the_api_lists_both_columns_and_counts_one_rejected_row():
    from eenzaam_cli import api

    run = api.batch([{"leeftijd": "abc", "burgerlijke_staat": "5"}, {"leeftijd": "80"}])
    assert len(list(run)) == 1
    assert [(r["rij"], r["kolom"]) for r in run.rejected] == [(1, "leeftijd"), (1, "burgerlijke_staat")]
    assert repr(run) == "<BatchRun rijen: done, 2 read = 1 written + 1 rejected>"
    assert run.to_dict()["rijen_afgewezen"] == 1


def test_every_bad_column_of_every_row_is_named_and_each_row_counted_once():
    from hypothesis import given, settings, strategies as st

    from eenzaam_cli.core.batch import BatchEngine, Tally
    from eenzaam_cli.core.reference.loading import load_reference

    reference = load_reference()
    header = ["id", "leeftijd", "burgerlijke_staat", "opleiding", *SHORT]
    good = {"leeftijd": "80", "burgerlijke_staat": "gehuwd", "opleiding": "laag", "djg_9": "ja"}
    bad = {"leeftijd": "oud", "burgerlijke_staat": "5", "opleiding": "heel_hoog", "djg_9": "misschien"}

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sets(st.sampled_from(sorted(good))), min_size=1, max_size=12))
    def check(broken):
        rows = []
        for index, columns in enumerate(broken):
            values = {c: (bad if c in columns else good)[c] for c in good}
            rows.append([str(index), values["leeftijd"], values["burgerlijke_staat"], values["opleiding"],
                         "ja", "nee", "nee", "nee", values["djg_9"], "ja"])
        engine = BatchEngine(reference, header, file="r")
        found = []
        counted = engine.run([(list(range(2, len(rows) + 2)), rows, None)], Tally(engine.measures, False),
                             lambda chunk: None, lambda problem: found.append((problem.line, problem.column)))
        expected = [(index + 2, column) for index, columns in enumerate(broken) for column in header if column in columns]
        assert found == expected
        assert counted.rejected == sum(1 for columns in broken if columns)
        assert counted.read == counted.written + counted.rejected == len(rows)

    check()


# --- D: a row without an age is counted apart ---


def _report(cli, tmp_path, suffix):
    path = write_csv(tmp_path / "r.csv", ["id", "leeftijd", *SHORT],
                     ["1", "", *LONELY], ["2", "80", *NOT_LONELY], ["3", "10", *LONELY])
    report = tmp_path / f"rapport{suffix}"
    result = cli("batch", str(path), "--rapport", str(report), "-o", str(tmp_path / "uit.csv"), "--stil")
    assert result.exit_code == 0, result.stderr
    return report


def test_the_json_report_counts_unknown_ages_and_ages_outside_the_bands_apart(cli, tmp_path):
    data = json.loads(_report(cli, tmp_path, ".json").read_text(encoding="utf-8"))
    assert data["per_leeftijdsband"] == {"75-84 jaar": 1}
    assert (data["leeftijd_onbekend"], data["buiten_monitor"]) == (1, 1)
    assert [(s["leeftijdsband"], s["respondenten"], s["aandeel"]) for s in data["prevalentie"]["eenzaam"]] == [
        ("75-84 jaar", 1, 0.0)]


def test_the_html_and_markdown_reports_draw_no_bar_for_rows_without_a_band(cli, tmp_path):
    html = _report(cli, tmp_path, ".html").read_text(encoding="utf-8")
    assert "buiten_monitor" not in html and "100,0%" not in html
    assert "<td>Leeftijd onbekend</td><td>1</td>" in html
    assert "<td>Buiten de banden van de monitor</td><td>1</td>" in html
    markdown = _report(cli, tmp_path, ".md").read_text(encoding="utf-8")
    assert "## Rijen zonder leeftijdsband (in geen aandeel geteld)" in markdown
    assert "| Leeftijd onbekend | 1 |" in markdown and "| 75-84 jaar | 1 |" in markdown
    assert "buiten_monitor" not in markdown


def test_the_english_and_workbook_reports_name_unknown_ages(cli, tmp_path):
    pytest.importorskip("openpyxl")
    import openpyxl

    book = openpyxl.load_workbook(_report(cli, tmp_path, ".xlsx"))
    overview = dict(book["overzicht"].iter_rows(values_only=True))
    assert (overview["leeftijd_onbekend"], overview["buiten_monitor"]) == (1, 1)
    assert list(book["per_leeftijdsband"].iter_rows(values_only=True)) == [("leeftijdsband", "aantal"),
                                                                            ("75-84 jaar", 1)]
