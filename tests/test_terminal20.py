"""What a terminal shows: charts that fit its width, tables that break no word, a profile's interventions in
order, one line for every file written, band labels in --taal, help texts without a Python type."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from eenzaam_cli.cli import output

sys.path.insert(0, str(Path(__file__).parent))
from years_testdata import make_test_folder  # noqa: E402

# Afbeelding 3 of the source (data/monitor_2016.csv), as printed: eenzaam, (zeer) ernstig, emotioneel, sociaal
FIGURES_2016 = {"19-34 jaar": ("38,7", "8,9", "32,2", "35,6"), "35-49 jaar": ("40,8", "10,4", "29,9", "41,5"),
                "50-64 jaar": ("44,7", "10,9", "29,3", "47,4"), "65-74 jaar": ("43,9", "8,4", "26,4", "46,9"),
                "75-84 jaar": ("52,5", "10,3", "37,2", "49,8"), "85+": ("62,7", "14,8", "53,1", "52,0")}
# the made-up table of years_testdata.py: eenzaam in 2022, and its difference with 2016 in pp
EENZAAM_2022 = {"19-34 jaar": ("40,1", "+1,4"), "35-49 jaar": ("41,0", "+0,2"), "50-64 jaar": ("45,5", "+0,8"),
                "65-74 jaar": ("44,0", "+0,1"), "75-84 jaar": ("50,5", "−2,0"), "85+": ("60,0", "−2,7")}
BAR = "[█▏▎▍▌▋▊▉]+"


def _lines(text: str, width: int) -> list[str]:
    lines = text.splitlines()
    too_long = [line for line in lines if cell_len(line) > width]
    assert not too_long, (width, too_long)
    return lines


# --- item 1: prevalentie --grafiek fits the terminal ---


@pytest.mark.parametrize("columns", [80, 120, 40])
def test_grafiek_fits_the_width_with_each_figure_on_its_bar(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("prevalentie", "--grafiek")
    assert result.exit_code == 0, result.stderr
    lines = _lines(result.stdout, columns)
    for band, figures in FIGURES_2016.items():
        for figure in figures:  # the bar and its figure on one line, never the figure wrapped off it
            assert any(re.search(f"{BAR} {figure}(?![0-9])", line) for line in lines), (columns, band, figure)
    if columns >= 80:  # a table: each band's four bars on the band's own line
        for band, figures in FIGURES_2016.items():
            assert any(band in line and all(f" {figure} " in line for figure in figures) for line in lines), band


def test_grafiek_bars_grow_with_the_width(cli, monkeypatch):
    sizes = []
    for columns in (80, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        out = cli("prevalentie", "--grafiek").stdout
        size = int(re.search(r"schaal: (\d+) tekens = 62,7%", out).group(1))
        assert "█" * size + " 62,7" in out and "█" * (size + 1) not in out  # the highest figure fills the scale
        sizes.append(size)
    assert sizes[0] < sizes[1]


# --- item 2: prevalentie --vergelijk A B --grafiek ---


@pytest.mark.parametrize("columns", [80, 120])
def test_vergelijk_grafiek_pairs_the_years_per_band(cli, monkeypatch, tmp_path, columns):
    folder = make_test_folder(tmp_path / "jaren")
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("prevalentie", "--data", str(folder), "--vergelijk", "2016", "2022", "--grafiek")
    assert result.exit_code == 0, result.stderr
    lines = _lines(result.stdout, columns)
    first = lines.index(next(line for line in lines if line.startswith("Eenzaam naar leeftijd")))
    for band, (figure_2022, difference) in EENZAAM_2022.items():
        figure_2016 = FIGURES_2016[band][0]
        at = next(i for i, line in enumerate(lines) if i > first and re.search(f"2016 │ {BAR} {figure_2016} ", line))
        assert difference in lines[at], (band, lines[at])  # the difference on the band's first line
        assert re.search(f"2022 │ {BAR} {figure_2022} ", lines[at + 1]), (band, lines[at + 1])  # 2022 right under it
    assert "Alle balken op één schaal" in result.stdout


def test_vergelijk_grafiek_narrow_and_for_scripts(cli, monkeypatch, tmp_path):
    folder = make_test_folder(tmp_path / "jaren")
    monkeypatch.setenv("COLUMNS", "40")
    args = ("prevalentie", "--data", str(folder), "--vergelijk", "2016", "2022", "--maat", "eenzaam")
    narrow = cli(*args, "--grafiek")
    assert narrow.exit_code == 0, narrow.stderr
    lines = _lines(narrow.stdout, 40)
    for band, (figure_2022, _) in EENZAAM_2022.items():
        for figure in (FIGURES_2016[band][0], figure_2022):
            assert any(re.search(f"{BAR} {figure}$", line) for line in lines), (band, figure)
    for fmt in ("json", "csv"):  # the chart is for people: the data stays that of the comparison
        assert cli(*args, "--grafiek", "-f", fmt).stdout == cli(*args, "-f", fmt).stdout
    rows = json.loads(cli(*args, "--grafiek", "-f", "json").stdout)
    assert [(row["groep"], row["eenzaam_verschil"]) for row in rows][-1] == ("85+", -2.7)


# --- item 3: no word broken in a table cell ---

PROFILE = ("profiel", "-l", "80", "--burgerlijke-staat", "verweduwd", "--opleiding", "hoog", "--rondkomen", "moeite",
           "--werk", "geen_betaald", "--migratie", "turks", "--mantelzorger", "ja", "--netwerk", "beperkt",
           "--factor", "alleenwonend=ja")


def _words_whole(cli, monkeypatch, args, language="nl"):
    """Every word of every title, header and cell the `tabel` renderer got stands whole in the output."""
    views = []
    real = output._rich
    monkeypatch.setattr(output, "_rich", lambda view, lang, *rest: (views.append(view), real(view, lang, *rest)))
    result = cli(*args, "--taal", language)
    assert result.exit_code == 0 and views, (args, result.stderr)
    shown = set(re.split(r"[\s│┃]+", result.stdout))
    for view in views:
        for section in output.part(view.sections):
            texts = [*(c.header for c in section.columns)]
            texts += [output._cell(row.get(c.key), language) for row in section.rows for c in section.columns]
            for word in (word for text in texts for word in text.split()):
                assert word in shown or f"{word}:" in shown, (args, word)  # a header before a block's value
    return result.stdout


@pytest.mark.parametrize("language", ["nl", "en"])
def test_profiel_at_80_columns_breaks_no_word(cli, monkeypatch, language):
    monkeypatch.setenv("COLUMNS", "80")
    out = _words_whole(cli, monkeypatch, PROFILE, language)
    _lines(out, 80)
    if language == "nl":
        assert "Opleidingsniveau: hoog" in out and "vereenzamingsproces" in out


@pytest.mark.parametrize("args", [("factoren",), ("interventies",), ("niveaus",), ("signalen",), ("bronnen",),
                                  ("populatie", "tests/data/stad.csv", "--stil")])
def test_other_commands_at_80_columns_break_no_word(cli, monkeypatch, args):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(Path(__file__).parent.parent)
    _words_whole(cli, monkeypatch, args)


def test_a_table_that_fits_keeps_its_columns_at_their_longest_word():
    columns = [output.Column("a", "Interventie"), output.Column("b", "§")]
    cells = [["Deskundigheidsbevordering van professionals", "kader Vrijwilligerswerk"]]
    # 80 columns: room for both texts on one line
    assert output.column_widths(80, columns, ["Interventie", "§"], cells) == [43, 23]
    # 40: 40 - 7 (lines and padding) = 33 for the text; neither column below its longest word (25 and 17)
    assert output.column_widths(40, columns, ["Interventie", "§"], cells) is None
    assert output.column_widths(49, columns, ["Interventie", "§"], cells) == [25, 17]
    assert output.column_widths(55, columns, ["Interventie", "§"], cells) == [25, 23]


# --- item 6: --taal en translates age-band labels ---

ENGLISH_BANDS = ["19-34 years", "35-49 years", "50-64 years", "65-74 years", "75-84 years", "85+ years"]


def test_band_label_in_each_language():
    from eenzaam_cli.core.reference.loading import load_reference
    from eenzaam_cli.core.text import band_label

    bands = load_reference().monitor.bands
    assert [band_label(band, "en") for band in bands] == ENGLISH_BANDS
    assert [band_label(band, "nl") for band in bands] == list(FIGURES_2016)  # the table's own labels
    whole = type("Row", (), {"label": "Nederlandse bevolking", "min_age": None, "max_age": None})()
    assert band_label(whole, "en") == "Nederlandse bevolking"


def test_prevalentie_in_english_labels_bands_but_keeps_the_data(cli):
    out = cli("prevalentie", "--taal", "en").stdout
    assert all(label in out for label in ENGLISH_BANDS) and "jaar" not in out
    rows = json.loads(cli("prevalentie", "--taal", "en", "-f", "json").stdout)
    assert [row["groep"] for row in rows][:6] == list(FIGURES_2016)  # data values stay as the table has them
    assert "19-34 jaar" in cli("prevalentie", "--taal", "en", "-f", "csv").stdout


def test_profiel_populatie_and_report_in_english_label_bands(cli, tmp_path, monkeypatch):
    profile = cli("profiel", "-l", "80", "--taal", "en").stdout
    assert "age band 75-84 years" in profile and "Age: 75-84 years (80)" in profile and "75-84 jaar" not in profile
    data = json.loads(cli("profiel", "-l", "80", "--taal", "en", "-f", "json").stdout)
    assert data["leeftijdsband"]["groep"] == "75-84 jaar"
    monkeypatch.chdir(Path(__file__).parent.parent)
    population = cli("populatie", "tests/data/stad.csv", "--stil", "--taal", "en").stdout
    assert "85+ years" in population and "19-34 years" in population and "jaar" not in population
    people = tmp_path / "in.csv"
    people.write_text("id;leeftijd\n1;80\n2;90\n", encoding="utf-8")
    report = tmp_path / "rapport.md"
    result = cli("batch", str(people), "--rapport", str(report), "-o", str(tmp_path / "uit.csv"), "--taal", "en")
    assert result.exit_code == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert "| 75-84 years |" in text and "| 85+ years |" in text and "jaar" not in text


# --- item 7: help texts: no Python type, no summary broken mid-sentence ---

PYTHON_TYPE = re.compile(r"<(?:list|tuple|dict|str|int|float|bool|path|Path)\b|\[Path\]|\[str\]")


def _help_paths():
    from eenzaam_cli.cli.app import COMMANDS

    paths = [[]]
    for name in COMMANDS:
        paths += [["data"], ["data", "valideer"], ["data", "schema"], ["data", "koppeling"], ["data", "pad"],
                  ["data", "start"]] if name == "data" else [[name]]
    return paths


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_help_shows_a_python_type(cli, monkeypatch, language):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("EENZAAM_TAAL", language)
    for path in _help_paths():
        result = cli(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        found = PYTHON_TYPE.findall(result.stdout)
        assert not found, (path, found)
    assert "PAD..." in cli("data", "valideer", "--help").stdout
    assert "--categorie  -c      CATEGORIE" in cli("factoren", "--help").stdout


def _summaries(text: str) -> dict[str, tuple[list[str], int]]:
    """The command list of a help text: per command its summary lines, and the width its column has."""
    panel = text[text.index("─ Opdrachten ") if "─ Opdrachten " in text else text.index("─ Commands "):]
    out: dict[str, tuple[list[str], int]] = {}
    name = None
    for line in panel.splitlines()[1:]:
        if not line.startswith("│"):
            break
        match = re.match(r"│ (\S+)?(\s+)(.*?)\s*│$", line)
        start = line.index(match.group(3))
        if match.group(1):
            name = match.group(1)
            out[name] = ([], len(line) - 2 - start)  # up to the space before the right-hand line
        out[name][0].append(match.group(3))
    return out


@pytest.mark.parametrize("columns", [80, 120])
def test_each_command_summary_is_one_sentence_wrapped_only_at_the_width(cli, monkeypatch, columns):
    import inspect

    from eenzaam_cli.cli.app import app, load_commands

    load_commands()
    group = __import__("typer").main.get_command(app)
    monkeypatch.setenv("COLUMNS", str(columns))
    for path, commands in (([], group.commands), (["data"], group.commands["data"].commands)):
        summaries = _summaries(cli(*path, "--help").stdout)
        assert set(summaries) == set(commands), path
        for name, (lines, width) in summaries.items():
            for line, after in zip(lines, lines[1:]):  # a line ends only where the next word would not fit
                assert len(line) + 1 + len(after.split()[0]) > width, (name, line, after)
            text = " ".join(lines)
            first = " ".join(inspect.cleandoc(commands[name].help).split("\n\n")[0].split())
            assert text == first and text.endswith("."), (name, text)


# --- item 4: profiel shows its own tier's interventions, and counts the universal ones ---

UNIVERSAL_80 = ["bewustwordingscampagne", "netwerkinzicht_training", "creatieve_campagne", "vrijwilligerswerk_stimuleren",
                "ontmoeting_bij_ondernemers", "burenhulp_bewonersinitiatieven", "investeer_in_divers_netwerk",
                "praten_en_luisteren", "groet_buren"]


def test_profiel_lists_its_own_tier_first_and_counts_the_universal_ones(cli):
    out = cli("profiel", "-l", "80").stdout  # tier 2 (75-84), life stage ouderen
    fits = out[out.index("Wat past"):]
    assert "universeel" not in fits and "Ken je buurtgenoten" not in fits and "Laten zien hoe je contacten" in fits
    assert fits.count("│ niveau 2") == 13
    assert ("Nog 9 universele maatregelen bereiken iedereen in deze levensfase; ze staan in "
            "`eenzaam interventies --niveau 1 --doelgroep ouderen`.") in out
    english = cli("profiel", "-l", "80", "--taal", "en").stdout
    assert ("9 more universal measures reach everyone in this life stage; "
            "`eenzaam interventies --niveau 1 --doelgroep ouderen` lists them.") in english
    listed = {item["id"] for item in json.loads(cli("interventies", "--niveau", "1", "--doelgroep", "ouderen",
                                                     "-f", "json").stdout)}
    assert set(UNIVERSAL_80) <= listed  # the command named lists every one of them
    data = json.loads(cli("profiel", "-l", "80", "-f", "json").stdout)  # scripts keep every fit
    assert len(data["interventies"]) == 22
    assert [item["id"] for item in data["interventies"] if "universeel" in item["waarom"]] == UNIVERSAL_80
    tier_1 = cli("profiel", "-l", "30").stdout  # tier 1: the universal measures are its tier's own
    assert "Bewustwordingscampagne" in tier_1 and "universele maatregelen bereiken" not in tier_1


@pytest.mark.parametrize("columns", [80, 120])
def test_each_command_help_wraps_its_paragraphs_only_at_the_width(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    for path in _help_paths():
        text = cli(*path, "--help").stdout
        head = [line.strip() for line in text[:text.index("╭")].splitlines()]
        for line, after in zip(head, head[1:]):
            if line and after:  # within a paragraph: a line ends only where the next word would not fit
                assert len(line) + 1 + len(after.split()[0]) > columns - 2, (path, line, after)


# --- item 5: one line on stderr for every file written ---


def test_every_export_says_what_it_wrote(cli, tmp_path):
    svg, html = tmp_path / "a.svg", tmp_path / "a.html"
    result = cli("prevalentie", "--grafiek", "--svg", str(svg), "--html", str(html))
    assert result.exit_code == 0 and svg.exists() and html.exists()
    assert result.stderr == f"eenzaam: geschreven: {svg}\neenzaam: geschreven: {html}\n"
    english = cli("stapel", "--voorbeeld", "weduwe_migratie", "--taal", "en", "-f", "json",
                  "--svg", str(tmp_path / "p.svg"))
    assert english.stderr == f"eenzaam: written: {tmp_path / 'p.svg'}\n"
    assert cli("prevalentie").stderr == ""  # standard output is not a file written


def test_batch_files_each_get_a_line_unless_quiet(cli, tmp_path):
    people = tmp_path / "in.csv"
    people.write_text("id;leeftijd\n1;80\n2;90\n", encoding="utf-8")
    files = {option: tmp_path / name for option, name in (("-o", "uit.csv"), ("--fouten", "fout.csv"),
                                                          ("--rapport", "r.md"), ("--waargenomen-uit", "w.csv"))}
    args = ["batch", str(people), *(part for option, path in files.items() for part in (option, str(path)))]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert sorted(line for line in lines if "geschreven: " in line and " rijen " not in line) == sorted(
        f"eenzaam: geschreven: {path}" for path in files.values())
    assert lines[-1] == "eenzaam: 2 rijen gelezen = 2 geschreven + 0 afgewezen"
    quiet = cli(*args, "--stil", "--taal", "en")
    assert quiet.stderr == "eenzaam: 2 rows read = 2 written + 0 rejected\n"


def test_data_files_each_get_a_line(cli, tmp_path):
    start = cli("data", "start", str(tmp_path / "mijn"))
    assert start.exit_code == 0, start.stderr
    written = sorted(line.rpartition(": ")[2] for line in start.stderr.splitlines() if "geschreven: " in line)
    assert written == sorted(str(path) for path in (tmp_path / "mijn").iterdir())
    schemas = cli("data", "schema", "--uit", str(tmp_path / "schema"))
    assert schemas.exit_code == 0, schemas.stderr
    assert schemas.stderr.count("eenzaam: geschreven: ") == len(list((tmp_path / "schema").iterdir())) > 5


def test_a_block_puts_each_line_of_a_value_under_its_first(cli, monkeypatch, tmp_path):
    folder = make_test_folder(tmp_path / "jaren")
    monkeypatch.setenv("COLUMNS", "30")
    out = cli("prevalentie", "--data", str(folder), "--vergelijk", "2016", "2022", "--maat", "eenzaam",
              "--grafiek").stdout
    lines = _lines(out, 30)
    at = lines.index("Leeftijd: 85+")
    assert lines[at + 1:at + 3] == ["Jaar: 2016", "      2022"]
    assert re.fullmatch(f"Eenzaam: {BAR} 62,7", lines[at + 3]) and re.fullmatch(f" {{9}}{BAR} 60,0", lines[at + 4])
    assert lines[at + 5] == "Verschil (pp): −2,7"


# --- profiel says its method once ---
def test_profiel_says_the_method_once(cli):
    """Two illustrations (eenzaam and ernstig) used to repeat the same eight-line method paragraph."""
    out = cli("profiel", "--leeftijd", "80", "--burgerlijke-staat", "verweduwd").stdout
    assert out.count("Illustratie bij onafhankelijkheid") == 2
    assert out.count("Methode:") == 1


# --- a band's label stays on one line beside its two bars ---
def test_compared_bars_keep_each_band_label_on_one_line(cli, monkeypatch):
    """At 80 columns the bars took the room and '19-34 jaar' wrapped to '19-34' / 'jaar'."""
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("prevalentie", "--data", "docs/voorbeeld/jaren", "--vergelijk", "2016", "2022", "--grafiek",
              "--maat", "eenzaam").stdout
    for band in ("19-34 jaar", "35-49 jaar", "50-64 jaar", "65-74 jaar", "75-84 jaar"):
        assert f"│ {band} │ 2016 │" in out
    assert all(len(line) <= 80 for line in out.splitlines())
