"""The Python API (eenzaam_cli.api): the command's data, plain; DataFrames when pandas is there; no CLI imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eenzaam_cli import api
from eenzaam_cli.core.errors import InputError
from years_testdata import make_test_folder

SEGMENTS = [
    {"gebied": "Noord", "leeftijd": "75-84", "aantal": "1200"},
    {"gebied": "Noord", "leeftijd": "85+", "aantal": "300", "burgerlijke_staat": "verweduwd"},
    {"gebied": "Zuid", "leeftijd": "19-34", "aantal": "2500", "opleiding": "laag"},
]


def cli_json(cli, *args):
    result = cli(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def write_csv(path: Path, rows: list[dict]) -> Path:
    header = list(dict.fromkeys(key for row in rows for key in row))
    lines = [",".join(header)] + [",".join(str(row.get(key, "")) for key in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_profile_is_the_json_of_eenzaam_profiel(cli):
    # the CLI reads its options in a fixed order (leeftijd, …, opleiding, rondkomen, …, migratie); the findings
    # follow the order given, so the dict gives them in that order too
    result = api.profile({"leeftijd": 70, "opleiding": "laag"}, rondkomen="moeite", migratie="turks")
    assert result.to_dict() == cli_json(cli, "profiel", "--leeftijd", "70", "--migratie", "turks", "--opleiding", "laag",
                                        "--rondkomen", "moeite")
    assert result.to_dict("en") == cli_json(cli, "profiel", "--leeftijd", "70", "--migratie", "turks", "--opleiding",
                                            "laag", "--rondkomen", "moeite", "--taal", "en")
    assert result.tier == 2 and str(result.illustration["eenzaam"]) == "75.3"  # docs/methode.md, second worked example


def test_a_key_given_twice_must_agree():
    with pytest.raises(InputError, match="leeftijd"):
        api.profile({"leeftijd": 80}, leeftijd=30)
    assert api.profile({"leeftijd": 80}, leeftijd="80").tier == 2


def test_score_djg_is_the_json_of_eenzaam_djg(cli):
    answers = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee"
    assert api.score_djg(answers).to_dict() == cli_json(cli, "djg", answers)
    assert api.score_djg(answers.split(",")).to_dict() == cli_json(cli, "djg", answers)
    numbered = {f"djg_{item}": answer for item, answer in zip((3, 4, 7, 9, 8, 10), "ja nee ja nee nee ja".split())}
    assert api.score_djg(numbered).to_dict() == cli_json(cli, "djg", "3=ja,4=nee,7=ja,9=nee,8=nee,10=ja")


def test_population_is_the_json_and_csv_of_eenzaam_populatie(cli, tmp_path):
    path = write_csv(tmp_path / "segmenten.csv", SEGMENTS)
    result = api.population(SEGMENTS)
    expected = cli_json(cli, "populatie", str(path))
    assert api.population(path).to_dict() == expected  # the path of a CSV file, read by the same reader

    def rows_named(data: dict, name) -> dict:  # a focus group names its row: 'file:3', or 'rij 3' for a list
        for groups in data["focusgroepen"].values():
            for group in groups:
                group["rij"] = name(group["rij"])
        return data

    assert rows_named(result.to_dict(), lambda rij: rij.replace("rij ", "")) == \
        rows_named(expected, lambda rij: str(int(rij.rsplit(":", 1)[1]) - 1))  # line 2 of a file is its first row
    csv_rows = cli("populatie", str(path), "-f", "csv").stdout.splitlines()
    assert list(result.records()[0]) == csv_rows[0].split(",")


def test_prevalence_and_years_are_the_rows_of_eenzaam_prevalentie(cli, tmp_path):
    assert api.prevalence().records() == cli_json(cli, "prevalentie")
    assert api.prevalence(80, "eenzaam").records() == cli_json(cli, "prevalentie", "-l", "80", "--maat", "eenzaam")
    folder = make_test_folder(tmp_path / "mijn_map")  # made-up figures: test data
    mine = api.load(folder)
    assert api.compare_years(2016, 2022, reference=mine).records() == cli_json(
        cli, "prevalentie", "--data", str(folder), "--vergelijk", "2016", "2022")
    assert api.load(folder, year=2016).monitor.year == 2016


def test_batch_rows_are_those_of_eenzaam_batch(cli, tmp_path):
    rows = [{"id": "1", "leeftijd": "80", "burgerlijke_staat": "verweduwd"},
            {"id": "2", "leeftijd": "tachtig", "burgerlijke_staat": ""},
            {"id": "3", "leeftijd": "45", "burgerlijke_staat": "gescheiden"}]
    path = write_csv(tmp_path / "respondenten.csv", rows)
    report = tmp_path / "rapport.json"
    out = cli("batch", str(path), "-f", "jsonl", "--rapport", str(report), "--stil")
    assert out.exit_code == 3  # a rejected row
    expected = [json.loads(line) for line in out.stdout.splitlines()]
    run = api.batch(rows)
    assert list(run) == expected
    assert run.read == 3 and run.written == 2
    assert run.rejected == [{"rij": 2, "kolom": "leeftijd", "waarde": "tachtig",
                             "reden": "'tachtig' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"}]
    written = json.loads(report.read_text(encoding="utf-8"))
    assert run.to_dict() == written | {"bestand": "rijen"}
    from_file = api.batch(path)
    assert list(from_file) == expected and from_file.rejected[0]["rij"] == 3  # a file counts its header line
    with pytest.raises(RuntimeError, match="once"):
        list(run)


def test_batch_streams_a_generator_and_names_a_column_the_first_row_lacks():
    def rows():
        yield {"leeftijd": 80}
        yield {"leeftijd": 70, "opleiding": "laag"}

    run = api.batch(rows())
    assert len(list(run)) == 1
    assert "kolom 'opleiding' staat niet in de eerste rij" in run.rejected[0]["reden"]
    with pytest.raises(InputError, match="opleiding: 'x' is onbekend"):
        list(api.batch([{"leeftijd": 80, "opleiding": "x"}], strict=True))


def test_every_result_is_a_table_in_a_notebook():
    shown = [api.profile(leeftijd=80)._repr_html_(), api.score_djg("nee,ja,ja,ja,nee,nee")._repr_html_(),
             api.population(SEGMENTS)._repr_html_(), api.prevalence()._repr_html_()]
    run = api.batch([{"leeftijd": 80}])
    list(run)
    shown.append(run._repr_html_())
    for html in shown:
        assert html.startswith("<div class=\"eenzaam\">") and "<table>" in html and "<script" not in html
    assert "<td style=\"text-align:right\">52,5</td>" in shown[3]
    assert "&lt;" in api.profile(leeftijd=80)._repr_html_() or "<" not in api.profile(leeftijd=80).to_dict()["methode"]


def test_the_api_imports_neither_typer_nor_rich_nor_pandas():
    code = ("import sys; from eenzaam_cli import api; api.profile(leeftijd=80).to_dict(); api.prevalence()._repr_html_();"
            "list(api.batch([{'leeftijd': 80}])); api.population([{'leeftijd': 80, 'aantal': 1}]).records();"
            "print(sorted(m for m in ('typer', 'rich', 'pandas', 'click') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_the_cli_imports_none_of_the_new_modules_on_its_way():
    code = ("import sys; sys.argv = ['eenzaam', 'prevalentie', '-l', '70', '-f', 'json'];\n"
            "from eenzaam_cli.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('eenzaam_cli') and m.rsplit('.', 1)[-1] in "
            "('api', 'completion', 'helptext', 'years', 'years_view', 'usage')), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip() == "[]", result.stderr


# --- pandas ----------------------------------------------------------------------------------------------


def test_population_takes_a_dataframe():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(SEGMENTS).astype({"aantal": int})
    assert api.population(frame).to_dict() == api.population(SEGMENTS).to_dict()
    assert list(api.population(frame).to_frame()["gebied"]) == ["Noord", "Zuid"]


def test_batch_of_a_dataframe_is_a_dataframe_with_every_row():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"leeftijd": [80, None, 45, 70], "opleiding": ["laag", "hoog", None, "x"]},
                             index=[10, 20, 30, 40])
    out = api.batch(frame)
    assert list(out.index) == [10, 20, 30, 40]
    assert list(out["leeftijdsband"][:3].fillna("")) == ["75-84 jaar", "", "35-49 jaar"]  # 80.0 is read as 80
    assert out.loc[40, "afgewezen"] == "opleiding: 'x' is onbekend (toegestaan: laag, midden, hoog)"
    assert out["afgewezen"][:3].isna().all() and pandas.isna(out.loc[40, "preventieniveau"])
    plain = list(api.batch([{"leeftijd": 80, "opleiding": "laag"}]))[0]
    assert {k: v for k, v in out.loc[10].items() if k not in ("afgewezen", "leeftijd")} == \
        {k: v for k, v in plain.items() if k != "leeftijd"}
