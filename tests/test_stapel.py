"""`eenzaam stapel` (trainer mode), its examples, its pictures and `prevalentie --grafiek`.

The step table must be the profile engine's own stacking: every running figure is checked
against `Engine.profile(person).path`, and the last step against the profile's combination
and against `eenzaam profiel` for the same person.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
import sys
import termios
import time
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.reference.loading import load_reference
from eenzaam_cli.core.person import PersonReader
from eenzaam_cli.core.profile import Engine
from eenzaam_cli.core.trainer import demonstrate, example_items, parse_steps, steps

REFERENCE = load_reference(use_cache=False)
ENGINE, READER = Engine(REFERENCE), PersonReader(REFERENCE)
CAPTION_NL = "Indicatieve groepsinformatie, geen gevalideerde voorspelling voor deze persoon."
CAPTION_EN = "Indicative group information, not a validated prediction for this person."

ISSUE = ["leeftijd=78", "burgerlijke_staat=verweduwd", "rondkomen=moeite", "mantelzorger=ja"]
PEOPLE = [
    ISSUE,
    ["leeftijd=40", "burgerlijke_staat=gescheiden", "opleiding=laag", "rondkomen=moeite"],  # methode.md, worked example
    ["leeftijd=70", "migratie=turks", "opleiding=laag", "rondkomen=moeite"],  # the overlap: education counts half
    ["leeftijd=87", "opleiding=laag", "migratie=turks", "burgerlijke_staat=verweduwd"],  # the overlap: Turkish counts half
    ["leeftijd=50", "dak_thuisloos=geweest", "alleenwonend=ja"],  # a local study: shown, not stacked
    ["leeftijd=60", "netwerk=divers", "migratie=nederlands", "werk=betaald"],  # protective and reference levels
    ["leeftijd=16", "transgender=ja", "persoonskenmerken=ja"],  # under the monitor: nothing stacks
    *[list(example.steps) for example in REFERENCE.examples.values()],
]


def _profile(texts: list[str]):
    items = parse_steps(texts)
    return ENGINE.profile(READER.read(items)), items


# --- the arithmetic is the engine's -----------------------------------------------------------------------


@pytest.mark.parametrize("texts", PEOPLE, ids=[" ".join(p) for p in PEOPLE])
def test_every_running_figure_is_the_engines_path_and_the_last_is_the_combination(cli, texts):
    profile, items = _profile(texts)
    points = {point.factor: point.values for point in profile.path[1:]}
    data = json.loads(cli("stapel", *texts, "-f", "json").stdout)
    rows = data["stappen"]
    assert [row["factor"] for row in rows] == [key for key, _, _ in items]
    running: dict[str, float] = {}
    for row in rows:
        if row["factor"] == "leeftijd":
            running = dict(profile.path[0].values) if profile.path else {}
        elif row["factor"] in points:
            running = points[row["factor"]]
        assert row["verschuift"] == (row["factor"] in points or (row["factor"] == "leeftijd" and bool(profile.path)))
        assert row["na_stap"] == {m: round(v, 1) for m, v in running.items()}, row["factor"]
    last = rows[-1]["na_stap"]
    assert set(last) == set(profile.stacks)
    for measure, stack in profile.stacks.items():
        assert Decimal(str(last[measure])) == stack.combined
        assert data["illustratie_onafhankelijk"][measure] == float(stack.combined)


@pytest.mark.parametrize("texts", PEOPLE[:5], ids=[" ".join(p) for p in PEOPLE[:5]])
def test_the_last_step_equals_profiel_for_the_same_person(cli, texts):
    options = [arg for text in texts for arg in ("--factor", text)]
    profiel = json.loads(cli("profiel", *options, "-f", "json").stdout)
    stapel = json.loads(cli("stapel", *texts, "-f", "json").stdout)
    assert stapel["stappen"][-1]["na_stap"] == {m: s["illustratie_onafhankelijk"] for m, s in profiel["stapeling"].items()}
    for point in profiel["pad"][1:]:
        row = next(row for row in stapel["stappen"] if row["factor"] == point["factor"])
        assert row["na_stap"] == point["waarden"]
    assert stapel["niveau"]["reden"] == profiel["niveau"]["reden"]


def test_the_worked_example_of_the_method_step_by_step():
    """docs/methode.md: 40.8 -> 57.8 -> 75.6 for eenzaam, and money trouble (2012) shifts nothing; ernstig stays."""
    demo = demonstrate(REFERENCE, parse_steps(PEOPLE[1]))
    assert [round(step.values["eenzaam"], 1) for step in demo.steps] == [40.8, 57.8, 75.6, 75.6]
    assert [round(step.values["ernstig"], 1) for step in demo.steps] == [10.4] * 4


def test_steps_refuse_an_order_that_is_not_the_engines():
    profile, items = _profile(PEOPLE[1])  # divorce and education both shift
    order = [(key, value) for key, value, _ in items]
    with pytest.raises(ValueError):
        steps(profile, [order[0], order[2], order[1], order[3]])
    with pytest.raises(ValueError):
        steps(profile, order[1:] + order[:1])


# --- the table ------------------------------------------------------------------------------------------------


def test_the_step_table_of_the_issue(cli):
    out = cli("stapel", *ISSUE).stdout
    for text in ("Leeftijd: 78 jaar", "52,5% eenzaam", "Burgerlijke staat: verweduwd", "60% eenzaam (bron: 'Ruim 60%')",
                 "gm_2016 §3.3", "eenzaam   69%", "ernstig 10,3%", "55% eenzaam: ander onderzoek", "gm_2012 §3.2",
                 "ander onderzoek of jaar dan het bevolkingscijfer",
                 "43% sterk eenzaam: andere maat, niet gestapeld", "Uitkomst na stap 4: Niveau 2 (selectief)",
                 "illustratie bij onafhankelijkheid 69%", CAPTION_NL, "0%      50%     100%", "█████████████▊"):
        assert text in out, text
    assert out.index("Uitkomst na stap 4") > out.index("Mantelzorger: ja")  # the table ends with the tier


def test_not_stacked_figures_say_why_and_qualitative_steps_have_no_number(cli):
    out = cli("stapel", "--voorbeeld", "weduwe_migratie").stdout
    assert "67% eenzaam: overlapt deels met opleidingsniveau (3.6), telt voor 50%" in out
    assert "64% eenzaam: ruimer cijfer, niet gestapeld" in out
    assert "geen cijfer (kwalitatief, risico)" in out
    english = cli("stapel", "--voorbeeld", "weduwe_migratie", "--taal", "en").stdout
    assert "67% lonely: partly overlaps with education level (3.6), counts at 50%" in english
    assert "no figure (qualitative, risk)" in english and CAPTION_EN in english


def test_under_19_there_are_steps_but_nothing_to_stack(cli):
    steps = ["leeftijd=16", "persoonskenmerken=ja", "ingrijpende_gebeurtenis=ja", "belangrijke_relaties=1"]
    result = cli("stapel", *steps)
    assert result.exit_code == 0
    assert "geen startpunt: de Gezondheidsmonitor begint bij 19 jaar" in result.stdout
    assert "risicofactor: adolescent (15-24 jaar)" in result.stdout and "Na deze stap" not in result.stdout
    data = json.loads(cli("stapel", *steps, "-f", "json").stdout)
    assert all(row["na_stap"] == {} for row in data["stappen"]) and data["niveau"]["nummer"] == 2


def test_a_measure_not_yet_shifted_keeps_the_band_figure_as_printed(cli):
    out = cli("stapel", "--voorbeeld", "jonge_mantelzorger").stdout
    assert out.count("ernstig  8,9%") == 5  # the carers' figure is another measure, education has none: nothing moves
    assert "illustratie bij onafhankelijkheid 8,9%" in out


def test_examples_are_listed_one_line_each_and_said_to_be_illustrations(cli):
    result = cli("stapel", "--voorbeelden", "-f", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "id,label,beschrijving,stappen" and len(lines) == 1 + len(REFERENCE.examples)
    table = cli("stapel", "--voorbeelden", "--taal", "en").stdout
    assert "Illustrations, not real people" in table and "eenzaam stapel --voorbeeld ID" in table
    for example in REFERENCE.examples.values():
        assert "\n" not in example.description.nl + example.description.en
        shown = cli("stapel", "--voorbeeld", example.id).stdout
        assert "Een illustratie, geen echt persoon." in shown and CAPTION_NL in shown


def test_each_kind_of_example_the_issue_asks_for():
    examples = REFERENCE.examples
    assert {"weduwe_migratie", "jonge_mantelzorger", "gescheiden_zonder_werk", "tiener"} <= set(examples)
    for example in examples.values():
        demo = demonstrate(REFERENCE, example_items(example), example)
        assert demo.example is example and len(demo.steps) == len(example.steps)


ERRORS = [
    ([], "geef de stappen (FACTOR=WAARDE …, te beginnen met leeftijd=N) of --voorbeeld NAAM"),
    (["burgerlijke_staat=verweduwd", "leeftijd=78"], "burgerlijke_staat: de eerste stap is de leeftijd"),
    (["leeftijd=78", "burgerlijke_staat=weduwe"], "burgerlijke_staat: 'weduwe' is onbekend (toegestaan: gehuwd,"),
    (["leeftijd=78", "hobby=ja"], "hobby: onbekende factor 'hobby' (toegestaan: leeftijd, opleiding,"),
    (["leeftijd=78", "eenzaam=ja"], "eenzaam: eenzaam is geen risicofactor en dus geen stap"),
    (["leeftijd=78", "rondkomen=moeite", "rondkomen=moeite"], "rondkomen: rondkomen staat al eerder in de stappen"),
    (["leeftijd=78", "rondkomen"], "rondkomen: 'rondkomen' heeft niet de vorm FACTOR=WAARDE"),
    (["leeftijd=78", "rondkomen="], "rondkomen: geef een waarde na '='"),
    (["leeftijd=oud"], "leeftijd: 'oud' is geen geheel getal"),
    (["--voorbeeld", "opa"], "--voorbeeld: 'opa' is onbekend (toegestaan: oudere_opeenstapeling,"),
    (["--voorbeeld", "tiener", "leeftijd=16"], "--voorbeeld: geef een voorbeeld of stappen"),
    (["--voorbeelden", "leeftijd=16"], "--voorbeelden: toont alleen de lijst"),
    (["--voorbeeld", "tiener", "--interactief"], "--interactief: standaardinvoer is geen terminal"),
    (["--voorbeeld", "tiener", "--interactief", "-f", "json"], "--interactief: toont tabellen; --format json"),
]


@pytest.mark.parametrize("args, line", ERRORS, ids=[" ".join(e[0]) or "nothing" for e in ERRORS])
def test_bad_input_is_one_line_exit_2(cli, args, line):
    result = cli("stapel", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"eenzaam: {line}"), result.stderr


def test_parse_steps_for_the_library():
    assert parse_steps(["Leeftijd=78", "Burgerlijke-Staat= verweduwd"]) == [
        ("leeftijd", "78", "Leeftijd"), ("burgerlijke_staat", "verweduwd", "Burgerlijke-Staat")]
    with pytest.raises(InputError):
        parse_steps([])


# --- the pictures ------------------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _flat(text: str) -> str:
    return text.replace("\xa0", " ")


def test_svg_and_html_are_well_formed_and_hold_the_tables_figures(cli, tmp_path):
    svg, html = tmp_path / "stapel.svg", tmp_path / "stapel.html"
    result = cli("stapel", *ISSUE, "--terminalbeeld", "--svg", str(svg), "--html", str(html))
    assert result.exit_code == 0 and "eenzaam   69%" in result.stdout  # the table is printed as well
    root = ElementTree.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = _flat("".join(root.itertext()))
    parser = _Text()
    parser.feed(html.read_text(encoding="utf-8"))
    parser.close()
    page = _flat("".join(parser.text))
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    for picture in (text, page):
        for figure in ("52,5%", "69%", "10,3%", "60% eenzaam (bron: 'Ruim 60%')", "55% eenzaam", "43% sterk eenzaam",
                       "Uitkomst na stap 4", "Indicatieve groepsinformatie", "█"):
            assert figure in picture, figure


def test_the_picture_has_a_fixed_width_whatever_the_terminal(cli, tmp_path, monkeypatch):
    widths = []
    for columns in ("80", "200"):
        monkeypatch.setenv("COLUMNS", columns)
        target = tmp_path / f"{columns}.svg"
        cli("stapel", "--voorbeeld", "gescheiden_zonder_werk", "--taal", "en", "--svg", str(target))
        widths.append(ElementTree.parse(target).getroot().get("viewBox"))
    assert widths[0] == widths[1]


def test_prevalentie_grafiek(cli, tmp_path):
    out = cli("prevalentie", "--grafiek").stdout
    assert "Eenzaamheid naar leeftijd (%), als grafiek" in out and "██████████████████ 62,7" in out
    for label in ("Eenzaam", "(Zeer) ernstig eenzaam", "Emotioneel eenzaam", "Sociaal eenzaam", "85+"):
        assert label in out
    for fmt in ("json", "csv"):
        assert cli("prevalentie", "--grafiek", "-f", fmt).stdout == cli("prevalentie", "-f", fmt).stdout
    svg = tmp_path / "afbeelding3.svg"
    assert cli("prevalentie", "--grafiek", "--taal", "en", "--svg", str(svg), "--terminalbeeld").exit_code == 0
    assert "Loneliness by age (%), as a chart" in _flat("".join(ElementTree.parse(svg).getroot().itertext()))


# --- --interactief in a real terminal ------------------------------------------------------------------------------

SCRIPT = shutil.which("eenzaam", path=str(Path(sys.executable).parent)) or shutil.which("eenzaam")
needs_script = pytest.mark.skipif(SCRIPT is None, reason="the installed `eenzaam` script is not on the path")


def _run_in_terminal(args: list[str], keys: list[bytes], tmp_path: Path) -> tuple[int, str, list]:
    """Run the installed script on a pseudo-terminal, type `keys` one by one; (exit code, screen, tty settings)."""
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, as in a real one
        os.environ.update({"COLUMNS": "120", "LINES": "40", "TERM": "xterm", "EENZAAM_CACHE_DIR": str(tmp_path / "c")})
        os.execv(SCRIPT, [SCRIPT, *args])
    screen = b""

    def read_until(done, seconds: float = 30.0) -> None:
        nonlocal screen
        end = time.monotonic() + seconds
        while not done() and time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the program ended and closed the terminal
                    return
                if not chunk:
                    return
                screen += chunk

    prompt = b"q: stop"  # the end of every prompt, in Dutch (stoppen) and English (stop)
    try:
        for count, key in enumerate(keys, start=1):
            # Wait until the program shows its count-th prompt: then it waits for this key.
            read_until(lambda: screen.count(prompt) >= count)
            assert screen.count(prompt) >= count, (count, screen[-300:])
            os.write(master, key)
        read_until(lambda: b"\x1b[?25h" in screen)  # the cursor shown again: the program is ending
        end = time.monotonic() + 30  # a program that did not end is a failure, never a test that waits forever
        while not (ended := os.waitpid(pid, os.WNOHANG))[0] and time.monotonic() < end:
            time.sleep(0.05)
        assert ended[0], ("the program did not end", screen[-300:])
        status = ended[1]
        settings = termios.tcgetattr(master)  # the terminal's settings, as the program left them
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(master)
    return os.waitstatus_to_exitcode(status), screen.decode("utf-8", "replace"), settings


def _restored(settings: list) -> bool:
    return bool(settings[3] & termios.ECHO) and bool(settings[3] & termios.ICANON)


@needs_script
def test_interactive_space_enter_then_q(tmp_path):
    code, screen, settings = _run_in_terminal(["stapel", *ISSUE, "--interactief"], [b" ", b"\r", b"q"], tmp_path)
    assert code == 0 and _restored(settings)
    assert "Stap 1 van 4" in screen and "Stap 3 van 4" in screen and "Stap 4 van 4" not in screen
    assert "Rondkomen van het" in screen and "Mantelzorger: ja" not in screen  # step 3 shown, step 4 not
    assert CAPTION_NL in screen and "Traceback" not in screen
    assert screen.rstrip().endswith("\x1b[?25h")  # the cursor is back


@needs_script
def test_interactive_to_the_outcome_and_back(tmp_path):
    keys = [b" ", b"\x1b[D", b"\x1b[6~", b" ", b"\n", b" "]  # next, back, Page Down, next, next, the outcome
    code, screen, settings = _run_in_terminal(["stapel", "--voorbeeld", "oudere_opeenstapeling", "--interactief",
                                               "--taal", "en"], keys, tmp_path)
    assert code == 0 and _restored(settings)
    assert "All 4 steps shown" in screen and "Outcome after step 4: Tier 2 (selective)" in screen
    assert "Traceback" not in screen


@needs_script
def test_interactive_ctrl_c_exits_130_with_the_terminal_restored(tmp_path):
    code, screen, settings = _run_in_terminal(["stapel", "--voorbeeld", "weduwe_migratie", "--interactief"],
                                              [b" ", b"\x03"], tmp_path)
    assert code == 130 and _restored(settings)
    assert "Traceback" not in screen and "KeyboardInterrupt" not in screen
    assert "Stap 2 van 5" in screen


# --- voorbeelden.yaml is validated like every data file ---------------------------------------------------------


def test_every_step_of_an_example_must_be_a_real_factor_level(cli, data_copy):
    data_copy("voorbeelden.yaml", "stappen: [leeftijd=78, burgerlijke_staat=verweduwd, rondkomen=moeite, mantelzorger=ja]",
              "stappen: [rondkomen=moeite, burgerlijke_staat=weduwe, mantelzorger=soms, leeftijd=150, hobby=ja, "
              "rondkomen=moeite, belangrijke_relaties=veel]")
    data_copy("voorbeelden.yaml", "bron: [movisie, lodder_2016, gm_2016]", "bron: [movisie, lodder_2099, gm_2016]")
    result = cli("data", "valideer", str(data_copy.dir))
    assert result.exit_code == 3
    at = f"{data_copy.dir / 'voorbeelden.yaml'}:21: voorbeelden[0].stappen"
    assert result.stdout.splitlines() == [
        f"{at}[0]: de eerste stap moet de leeftijd zijn, het startpunt van de stapeling (bijv. leeftijd=78)",
        f"{at}[1]: factor 'burgerlijke_staat' heeft geen niveau 'weduwe' (toegestaan: gehuwd, samenwonend, ongehuwd, "
        "gescheiden, verweduwd)",
        f"{at}[2]: factor 'mantelzorger' heeft geen niveau 'soms' (toegestaan: ja, nee)",
        f"{at}[3]: leeftijd '150' is geen leeftijd (0 tot en met 120)",
        f"{at}[4]: onbekende factor 'hobby' (toegestaan: leeftijd, " + ", ".join(
            f for f in REFERENCE.factors if f != "leeftijd") + ")",
        f"{at}[5]: factor 'rondkomen' staat al eerder in de stappen",
        f"{at}[6]: factor 'belangrijke_relaties' verwacht een aantal (een geheel getal vanaf 0), niet 'veel'",
        f"{data_copy.dir / 'voorbeelden.yaml'}:70: voorbeelden[4].bron[1]: onbekende bron 'lodder_2099' (niet in bronnen.yaml)",
    ]
    broken = cli("stapel", "--voorbeeld", "tiener", "--data", str(data_copy.dir))
    assert broken.exit_code == 3 and "Traceback" not in broken.stderr


def test_an_example_description_is_one_line(cli, data_copy):
    data_copy("voorbeelden.yaml", 'nl: "Een 19-jarige met', 'nl: "Een 19-jarige\\nmet')
    result = cli("data", "valideer", str(data_copy.dir))
    assert result.exit_code == 3 and "beschrijving moet één regel zijn" in result.stdout


def test_the_sources_of_an_example_cite_it(cli):
    assert "voorbeeld:weduwe_migratie" in json.loads(cli("bronnen", "uysal_bozkir_2017", "-f", "json").stdout)["gebruikt_door"]


@pytest.mark.parametrize("columns", ["80", "100", "132"])
def test_on_a_narrow_terminal_no_word_is_cut_and_nothing_is_lost(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    out = cli("stapel", "--voorbeeld", "oudere_opeenstapeling").stdout
    assert max(len(line) for line in out.splitlines()) <= int(columns)
    for text in ("Burgerlijke staat:", "verweduwd", "Mantelzorger: ja", "gm_2012 §3.2", "eenzaam   69%", "Groepscijfer"):
        assert text in out, text
