"""The trainer's slide (`eenzaam stapel --svg/--png/--html`): a 16:9 canvas, text at least 28 px at 1920×1080,
every text inside the canvas and none overlapping another, the figures of `stapel --format json`; the one wording of
a figure; every bundled example stacking a figure; the terminal picture behind --terminalbeeld."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest

pytest.importorskip("matplotlib")

from eenzaam_cli.core.reference.loading import load_reference
from eenzaam_cli.core.trainer import demonstrate, example_items, parse_steps

REFERENCE = load_reference(use_cache=False)
EXAMPLES = list(REFERENCE.examples)
ISSUE = ["leeftijd=78", "burgerlijke_staat=verweduwd", "rondkomen=moeite", "mantelzorger=ja"]
PEOPLE = [
    ["leeftijd=50", "dak_thuisloos=geweest"],  # two steps
    ["leeftijd=87", "opleiding=laag", "migratie=turks", "burgerlijke_staat=verweduwd", "rondkomen=moeite",
     "mantelzorger=ja", "ingrijpende_gebeurtenis=ja"],  # seven steps, long labels, two figures in a step
    ["leeftijd=16", "transgender=ja", "persoonskenmerken=ja"],  # nothing to stack
    ["leeftijd=60", "netwerk=divers", "migratie=nederlands", "werk=betaald", "belangrijke_relaties=12",
     "alleenwonend=ja"],  # protective levels, long source names of qualitative factors
]
BLUE, ORANGE = "#0072B2", "#D55E00"  # eenzaam, ernstig (canvas.MEASURE_COLOUR)


def _slide(texts: list[str] | None = None, example: str | None = None, language: str = "nl"):
    from eenzaam_cli.cli.charts.slide import slide

    chosen = REFERENCE.examples[example] if example else None
    items = example_items(chosen) if chosen else parse_steps(texts or [])
    return slide(demonstrate(REFERENCE, items, chosen), REFERENCE, language)


def _texts(picture) -> list:
    """Every visible text of the figure with its box on the canvas (pixels, from the bottom left)."""
    from matplotlib.text import Text

    picture.canvas.draw()
    renderer = picture.canvas.get_renderer()
    found = [text for text in picture.findobj(Text) if text.get_visible() and text.get_text().strip()]
    return [(text, text.get_window_extent(renderer)) for text in found]


def _check_canvas(picture) -> None:
    assert tuple(round(v) for v in picture.get_size_inches() * picture.dpi) == (1920, 1080)
    placed = _texts(picture)
    assert placed
    for text, box in placed:
        assert text.get_fontsize() * picture.dpi / 72 >= 28 - 1e-9, text.get_text()
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= 1920 and box.y1 <= 1080, (text.get_text(), box)
    for index, (text, box) in enumerate(placed):
        for other, other_box in placed[index + 1:]:
            width = min(box.x1, other_box.x1) - max(box.x0, other_box.x0)
            height = min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
            assert width <= 0.5 or height <= 0.5, (text.get_text(), other.get_text())


CASES = [(None, e, lang) for e in EXAMPLES for lang in ("nl", "en")] + [(p, None, "nl") for p in PEOPLE] \
    + [(PEOPLE[1], None, "en")]


@pytest.mark.parametrize("texts, example, language", CASES,
                         ids=[f"{e or len(p)}-{lang}" for p, e, lang in CASES])
def test_text_is_28_px_or_more_inside_the_canvas_and_never_overlaps(texts, example, language):
    _check_canvas(_slide(texts, example, language))


def test_any_steps_make_a_slide_that_fits():
    """Any person of 2 to 7 steps, in any order and either language: the rules of the canvas hold."""
    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import strategies as st

    from eenzaam_cli.core.errors import InputError

    pairs = [f"{f.id}={level.value}" for f in REFERENCE.factors.values() if f.id != "leeftijd" for level in f.levels
             if level.range is None]

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(0, 100), st.lists(st.sampled_from(pairs), min_size=1, max_size=6,
                                         unique_by=lambda p: p.split("=")[0]), st.sampled_from(["nl", "en"]))
    def check(age, steps, language):
        try:
            picture = _slide([f"leeftijd={age}", *steps], None, language)
        except InputError:
            assume(False)
        _check_canvas(picture)

    check()


def test_the_svg_and_png_are_16_9_and_the_svg_text_28_px_or_more(cli, tmp_path):
    from PIL import Image

    svg, png = tmp_path / "s.svg", tmp_path / "s.png"
    assert cli("stapel", "--voorbeeld", "weduwe_migratie", "--svg", str(svg), "--png", str(png)).exit_code == 0
    root = ElementTree.parse(svg).getroot()
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert abs(width / height - 16 / 9) < 1e-6
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg.read_text(encoding="utf-8"))]
    assert sizes and min(sizes) * 1920 / width >= 28 - 1e-6
    assert "window" not in svg.read_text(encoding="utf-8").lower()  # no terminal chrome
    with Image.open(png) as image:
        assert image.size == (1920, 1080)


@pytest.mark.parametrize("example, language", [*((e, "nl") for e in EXAMPLES), (EXAMPLES[-1], "en")])
def test_every_example_and_english_write_all_three_files(cli, tmp_path, example, language):
    files = {kind: tmp_path / f"{example}-{language}.{kind}" for kind in ("svg", "png", "html")}
    result = cli("stapel", "--voorbeeld", example, "--taal", language,
                 *(arg for kind, path in files.items() for arg in (f"--{kind}", str(path))))
    assert result.exit_code == 0, result.stderr
    ElementTree.parse(files["svg"])  # parses
    assert files["png"].read_bytes().startswith(b"\x89PNG")
    page = files["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page


def test_the_slide_and_the_page_of_the_issue(cli, tmp_path):
    svg, html = tmp_path / "stapel.svg", tmp_path / "stapel.html"
    result = cli("stapel", *ISSUE, "--svg", str(svg), "--html", str(html))
    assert result.exit_code == 0 and "eenzaam   69%" in result.stdout  # the table is printed as well
    slide = " ".join("".join(ElementTree.parse(svg).getroot().itertext()).split())
    for text in ("Risicostapeling stap voor stap", "52,5% eenzaam", "10,3% (zeer) ernstig eenzaam",
                 "60% eenzaam (bron: 'Ruim 60%')", "55% eenzaam – niet gestapeld: ander onderzoek of jaar",
                 "43% sterk eenzaam – andere maat, niet gestapeld", "Gezondheidsmonitor Volwassenen 2016 §3.3",
                 "Uitkomst na 4 stappen", "Niveau 2", "Selectieve preventie", "69%", "hoogste groepscijfer 60%",
                 "een illustratie, geen voorspelling voor deze persoon", "Alle noten en bronnen: --html."):
        assert text in slide, text
    assert "█" not in slide and "procent" not in slide
    from html import unescape

    page = " ".join(unescape(re.sub(r"<[^>]+>", " ", html.read_text(encoding="utf-8"))).split())
    for text in ("ander onderzoek of jaar dan het bevolkingscijfer, niet gestapeld",  # the whole reason
                 "Uitkomst na stap 4: Niveau 2 (selectief): er is ten minste één risicofactor aanwezig",
                 "Indicatieve groepsinformatie, geen gevalideerde voorspelling voor deze persoon.",
                 "GGD-en, CBS en RIVM (2016). Gezondheidsmonitor Volwassenen [gm_2016]", "Movisie [movisie]"):
        assert text in page, text


def test_english_slide_has_english_labels(cli, tmp_path):
    svg = tmp_path / "en.svg"
    assert cli("stapel", "--voorbeeld", "oudere_opeenstapeling", "--taal", "en", "--svg", str(svg)).exit_code == 0
    slide = " ".join("".join(ElementTree.parse(svg).getroot().itertext()).split())
    for text in ("Older person with an accumulation of events", "An illustration, not a real person.",
                 "Marital status: widowed", "60% lonely (source: 'over 60%')", "Outcome after 4 steps", "Tier 2",
                 "Selective prevention", "highest group figure 60%", "lonely 52.5%", "severe 10.3%",
                 "All notes and sources: --html."):
        assert text in slide, text
    for dutch in ("eenzaam", "Niveau", "Uitkomst", "stappen", "Bron", "gestapeld", "groepscijfer", "Ruim"):
        assert dutch not in slide, dutch


def _numbers(texts: list[str]) -> list[float]:
    return [float(match.replace(",", ".")) for text in texts for match in re.findall(r"(\d+(?:,\d)?)%", text)]


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_slides_figures_are_those_of_the_json(cli, example):
    data = json.loads(cli("stapel", "--voorbeeld", example, "-f", "json").stdout)
    picture = _slide(example=example)
    axes = [a for a in picture.axes if a.lines][0]
    lines = {line.get_color().upper(): list(line.get_xdata()) for line in axes.lines if line.get_linewidth() == 5}
    for measure, colour in (("eenzaam", BLUE), ("ernstig", ORANGE)):
        running = [row["na_stap"][measure] for row in data["stappen"]]
        assert [round(x, 1) for x in lines[colour][::2]] == running  # the step line, one level per step
        shown = [text.get_text() for text in axes.texts if text.get_color().upper() == colour]
        moved = [value for index, value in enumerate(running) if index == 0 or value != running[index - 1]]
        start = float(data["start"][measure])
        assert _numbers(shown) == [value if value == start else round(value) for value in moved]
        final = float(data["illustratie_onafhankelijk"][measure])
        big = [t.get_text() for t in picture.texts if t.get_fontsize() * picture.dpi / 72 >= 56]
        assert (final if final == start else round(final)) in _numbers(big)


def test_the_widow_by_hand():
    """52.5% (75-84) with widowhood 60% against the population's 43% (both 2016): expit(logit 52.5 + logit 60 -
    logit 43) = expit(0.1001 + 0.4055 + 0.2819) = 68.7, shown as 69%; (zeer) ernstig stays 10.3%: the widowed 17% is
    not stacked (its footing is not of the same survey and year)."""
    picture = _slide(example="oudere_opeenstapeling")
    axes = [a for a in picture.axes if a.lines][0]
    lines = {line.get_color().upper(): line.get_xdata() for line in axes.lines if line.get_linewidth() == 5}
    assert [round(x, 1) for x in lines[BLUE][::2]] == [52.5, 68.7, 68.7, 68.7]
    assert [round(x, 1) for x in lines[ORANGE][::2]] == [10.3] * 4
    labels = sorted(text.get_text() for text in axes.texts)
    assert labels == ["69%", "eenzaam 52,5%", "ernstig 10,3%"]
    logit = lambda p: math.log(p / (100 - p))  # noqa: E731
    assert round(100 / (1 + math.exp(-(logit(52.5) + logit(60) - logit(43)))), 1) == 68.7


# --- item 1: the options ----------------------------------------------------------------------------------------


def test_terminalbeeld_keeps_the_terminal_picture_with_its_last_line_whole(cli, tmp_path):
    svg = tmp_path / "t.svg"
    assert cli("stapel", "--voorbeeld", "gescheiden_zonder_werk", "--terminalbeeld", "--svg", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert "█" in text.replace("&#9608;", "█")  # the terminal's bars
    root = ElementTree.parse(svg).getroot()
    spaces = "{http://www.w3.org/2000/svg}"
    clip = next(c for c in root.iter(f"{spaces}clipPath") if c.get("id", "").endswith("clip-terminal"))
    height = float(clip.find(f"{spaces}rect").get("height"))
    size = float(re.search(r"font-size: ([\d.]+)px", text).group(1))
    lowest = max(float(t.get("y")) for t in root.iter(f"{spaces}text") if (t.text or "").strip() and t.get("y"))
    assert lowest + 0.3 * size <= height  # the descenders of the last line are inside the picture


@pytest.mark.parametrize("args, line", [
    (["--terminalbeeld", "--png", "x.png"], "--terminalbeeld: een afdruk van de terminal is er als --svg of --html, "
                                            "niet als --png; laat --png of --terminalbeeld weg"),
    (["--terminalbeeld"], "--terminalbeeld: geldt voor --svg en --html; geef ook een van beide"),
])
def test_terminalbeeld_refusals_are_one_line_exit_2(cli, tmp_path, args, line):
    result = cli("stapel", "--voorbeeld", "tiener", *[str(tmp_path / a) if a.endswith(".png") else a for a in args])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"eenzaam: {line}"), result.stderr
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("option", ["--svg", "--png", "--html"])
def test_without_matplotlib_one_line_naming_the_extra(tmp_path, option):
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text("import sys\nsys.modules['matplotlib'] = None\n", encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(shim), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "EENZAAM_CACHE_DIR": str(tmp_path / "cache")}
    target = tmp_path / f"slide{option.replace('--', '.')}"
    result = subprocess.run([sys.executable, "-m", "eenzaam_cli", "stapel", "--voorbeeld", "tiener", option,
                             str(target)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"eenzaam: {option}: een afbeelding vraagt het pakket matplotlib, dat niet geïnstalleerd "
                             "is; installeer het met: pip install 'eenzaam[grafiek]'\n")
    assert not target.exists()


# --- item 2: one wording of a figure --------------------------------------------------------------------------------


@pytest.mark.parametrize("value, text, approximation, dutch, english", [
    ("52.5", None, None, "52,5% eenzaam", "52.5% lonely"),
    ("55", "55 procent", None, "55% eenzaam", "55% lonely"),
    ("60", "Ruim 60%", "ruim", "60% eenzaam (bron: 'Ruim 60%')", "60% lonely (source: 'over 60%')"),
    ("40", "bijna 40%", "bijna", "40% eenzaam (bron: 'bijna 40%')", "40% lonely (source: 'almost 40%')"),
    ("34", "een op de drie (34%)", None, "34% eenzaam (bron: 'een op de drie (34%)')", "34% lonely"),
    ("63", "63%", None, "63% eenzaam", "63% lonely"),
])
def test_a_figure_is_worded_one_way(value, text, approximation, dutch, english):
    from eenzaam_cli.core.contract import figure_words

    assert figure_words(Decimal(value), text, "eenzaam", "nl", approximation) == dutch
    assert figure_words(Decimal(value), text, "lonely", "en", approximation) == english


def test_the_terminal_view_words_figures_as_the_slide_does(cli):
    out = " ".join(cli("stapel", *ISSUE).stdout.split())
    for text in ("52,5% eenzaam", "60% eenzaam (bron: 'Ruim 60%')", "55% eenzaam: ander onderzoek of jaar",
                 "43% sterk eenzaam"):
        assert text in out, text
    assert "Ruim 60% eenzaam" not in out and "55 procent" not in out
    english = " ".join(cli("stapel", *ISSUE, "--taal", "en").stdout.split())
    assert "60% lonely (source: 'over 60%')" in english and "over 60% lonely" not in english


# --- item 3: every example stacks ------------------------------------------------------------------------------------


def test_every_example_stacks_a_figure_of_the_source(cli):
    still = []
    for example in EXAMPLES:
        data = json.loads(cli("stapel", "--voorbeeld", example, "-f", "json").stdout)
        stacked = [row for row in data["stappen"][1:] if row["verschuift"]]
        assert all(any(figure["gestapeld"] for figure in row["cijfers"]) for row in stacked)
        if not stacked or data["stappen"][-1]["na_stap"] == data["stappen"][0]["na_stap"]:
            still.append(example)  # the story does not move
    assert still == []


# --- one wording in profiel and factoren too ---
def test_profiel_words_a_figure_as_the_slide_does(cli, monkeypatch):
    """The source prints 'Ruim 60%' and '55 procent'; profiel's tables show the number first, the source's words
    after it where they say more ('55 procent' says nothing more than 55%)."""
    monkeypatch.setenv("COLUMNS", "200")
    out = cli("profiel", "--leeftijd", "70", "--burgerlijke-staat", "verweduwd", "--rondkomen", "moeite").stdout
    assert "60% (bron: 'Ruim 60%')" in out and "│ 55%" in out
    assert "55 procent" not in out and "│ Ruim 60%" not in out
