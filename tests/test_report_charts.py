"""The report pictures of `prevalentie` and `populatie` (cli/charts/report.py) and the funnel plot's limits.

The figures are taken from real runs of the commands (canvas.save and canvas.svg_text are wrapped to keep each
figure they are given), so what is checked is what a user gets: the canvas, text sizes, every text inside the
canvas, no value label on another, and bars equal to the `--format json` figures of the same command.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from eenzaam_cli.cli.charts import canvas  # noqa: E402
from eenzaam_cli.core.stats import funnel, funnel_counts  # noqa: E402

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parent.parent / "docs" / "voorbeeld"
STAD = str(DATA / "stad.csv")
OBSERVED = str(DATA / "stad_waargenomen.csv")
YEARS = str(DOCS / "jaren")
PX_PER_POINT = canvas.DPI / 72


@pytest.fixture
def figures(monkeypatch):
    """Every figure a run saves or puts in a page, in order."""
    kept: list = []
    save, svg_text = canvas.save, canvas.svg_text

    def keep_save(picture, svg=None, png=None):
        kept.append(picture)
        save(picture, svg=svg, png=png)

    def keep_svg(picture, prefix=""):
        if not any(picture is other for other in kept):
            kept.append(picture)
        return svg_text(picture, prefix)

    monkeypatch.setattr(canvas, "save", keep_save)
    monkeypatch.setattr(canvas, "svg_text", keep_svg)
    return kept


def _texts(picture):
    """Every text the figure draws (titles, captions, ticks, labels, legends) with its extent in pixels: the
    renderer's `draw_text` is wrapped, so a tick label outside the axes' limits, which is never drawn, is left out."""
    renderer = canvas.renderer(picture)
    drawn: dict[int, object] = {}
    draw_text = renderer.draw_text

    def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if mtext is not None and s.strip():
            drawn[id(mtext)] = mtext
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = record
    try:
        picture.draw(renderer)
    finally:
        del renderer.draw_text
    return [(artist, artist.get_window_extent(renderer)) for artist in drawn.values()]


def _check_picture(picture):
    """16:9 at 1920×1080, no text under 28 px, every text inside the canvas, no text over another."""
    width, height = picture.get_size_inches() * picture.dpi
    assert (round(width), round(height)) == (1920, 1080)
    texts = _texts(picture)
    assert texts
    for artist, box in texts:
        assert artist.get_fontsize() * PX_PER_POINT >= 28 - 1e-6, artist.get_text()
        assert 0 <= box.x0 and box.x1 <= 1920 and 0 <= box.y0 and box.y1 <= 1080, (artist.get_text(), box)
    assert any(artist.get_gid() == "waarde" for artist, _ in texts)
    for index, (artist, box) in enumerate(texts):  # value labels, ticks, titles, legends: none on another
        for other, other_box in texts[index + 1:]:
            assert not box.overlaps(other_box), (artist.get_text(), other.get_text())
    return [artist.get_text() for artist, _ in texts]


def _bars(picture, prefix="balk:"):
    return {patch.get_gid(): patch for patch in picture.findobj(lambda a: (a.get_gid() or "").startswith(prefix))}


# --- item 1: prevalentie --svg/--png/--html ---


def test_prevalence_picture_files_parse_and_hold_the_canvas(cli, tmp_path, figures):
    svg, png, html = tmp_path / "p.svg", tmp_path / "p.png", tmp_path / "p.html"
    result = cli("prevalentie", "--svg", str(svg), "--png", str(png), "--html", str(html))
    assert result.exit_code == 0, result.stderr
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg")
    _, _, w, h = map(float, root.get("viewBox").split())
    assert abs(w / h - 16 / 9) < 1e-6
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1920, 1080)
    page = html.read_text(encoding="utf-8")
    assert page.count("<!DOCTYPE html>") == 1 and "<svg" in page and "<table>" in page and "█" not in page
    texts = _check_picture(figures[0])
    assert "38,7" in texts and "19-34 jaar" in texts and any("Gezondheidsmonitor Volwassenen [gm_2016]" in x for x in texts)


def test_prevalence_bars_are_the_json_figures(cli, tmp_path, figures):
    assert cli("prevalentie", "--png", str(tmp_path / "p.png")).exit_code == 0
    rows = json.loads(cli("prevalentie", "-f", "json").stdout)
    bars = _bars(figures[0])
    assert len(bars) == 2 * len(rows) == 14  # six bands and the population, eenzaam and ernstig
    by_hand = {("eenzaam", 0): 38.7, ("ernstig", 0): 8.9, ("eenzaam", 5): 62.7, ("ernstig", 6): 10}
    for (measure, place), value in by_hand.items():
        assert bars[f"balk:{measure}:{place}"].get_height() == pytest.approx(value)
    for place, row in enumerate(rows):
        for measure in ("eenzaam", "ernstig"):
            assert bars[f"balk:{measure}:{place}"].get_height() == pytest.approx(row[measure])


def test_comparison_is_side_by_side_with_the_differences(cli, tmp_path, figures):
    out = tmp_path / "v.png"
    result = cli("prevalentie", "--data", YEARS, "--vergelijk", "2016", "2022", "--png", str(out))
    assert result.exit_code == 0, result.stderr
    texts = _check_picture(figures[0])
    assert "+1,4" in texts and "−2,7" in texts  # 40.1 − 38.7 and 60.0 − 62.7 in the 19-34 and 85+ bands
    panels = [ax for ax in figures[0].axes if ax.get_title(loc="left")]
    assert len(panels) == 2
    (a, b) = (panel.get_position() for panel in panels)
    assert abs(a.y0 - b.y0) < 1e-9 and a.x1 < b.x0  # next to each other, not stacked
    rows = json.loads(cli("prevalentie", "--data", YEARS, "--vergelijk", "2016", "2022", "-f", "json").stdout)
    bars = _bars(figures[0])
    assert bars["balk:eenzaam:2016:0"].get_width() == pytest.approx(38.7)
    assert bars["balk:eenzaam:2022:0"].get_width() == pytest.approx(40.1)
    for place, row in enumerate(rows):
        for measure in ("eenzaam", "ernstig"):
            for year in (2016, 2022):
                assert bars[f"balk:{measure}:{year}:{place}"].get_width() == pytest.approx(row[f"{measure}_{year}"])


# --- item 2: populatie pictures and the funnel plot ---


def test_population_bars_are_the_json_figures(cli, tmp_path, figures):
    result = cli("populatie", STAD, "--png", str(tmp_path / "p.png"), "--stil")
    assert result.exit_code == 0, result.stderr
    _check_picture(figures[0])
    data = json.loads(cli("populatie", STAD, "-f", "json", "--stil").stdout)
    bars = _bars(figures[0])
    assert bars["balk:band:eenzaam:0"].get_width() == pytest.approx(6424.2)  # 16,600 × 38.7%
    for place, band in enumerate(data["banden"]):
        for measure in ("eenzaam", "ernstig"):
            assert bars[f"balk:band:{measure}:{place}"].get_width() == pytest.approx(
                band["verwacht"][measure]["gekalibreerd"], abs=5e-3)
    for place, area in enumerate(data["gebieden"]):
        assert bars[f"balk:gebied:eenzaam:{place}"].get_width() == pytest.approx(
            area["verwacht"]["eenzaam"]["gekalibreerd"], abs=5e-3)


def test_population_picture_of_a_city_with_fourteen_districts(cli, tmp_path, figures):
    result = cli("populatie", str(DOCS / "wijken.csv"), "--png", str(tmp_path / "p.png"), "--stil", "--taal", "en")
    assert result.exit_code == 0, result.stderr
    texts = _check_picture(figures[0])  # five-digit ticks and 20 value labels, none on another
    assert "Expected lonely by area" in texts and "Binnenstad" in texts and "85+ years" in texts


def test_funnel_points_limits_and_names(cli, tmp_path, figures):
    wijken, seen = str(DOCS / "wijken.csv"), str(DOCS / "waargenomen.csv")
    result = cli("populatie", wijken, "--waargenomen", seen, "--png", str(tmp_path / "f.png"), "--stil")
    assert result.exit_code == 0, result.stderr
    picture = figures[0]
    texts = _check_picture(picture)
    data = json.loads(cli("populatie", wijken, "--waargenomen", seen, "-f", "json", "--stil").stdout)
    points = picture.findobj(lambda a: a.get_gid() == "gebied")
    assert len(points) == len(data["vergelijking"]) == 14
    plotted = sorted((round(p.get_xdata()[0], 3), round(p.get_ydata()[0], 3)) for p in points)
    assert plotted == sorted((row["verwacht_waargenomen"], row["ratio"]) for row in data["vergelijking"])
    outside = {row["gebied"] for row in data["vergelijking"] if row["oordeel"] != "niet_te_onderscheiden"}
    assert outside == {"Stationsbuurt", "Parkwijk", "Het Veld"}
    named = {text for text in texts if text in {row["gebied"] for row in data["vergelijking"]}}
    assert named == outside  # the areas outside the limits are named, the rest not
    limits = picture.findobj(lambda a: (a.get_gid() or "").startswith("grens:"))
    assert {line.get_gid() for line in limits} == {"grens:0.95", "grens:0.998"}


def test_funnel_limits_by_hand():
    """The limits at three observed counts, each computed by hand:
    - 0 observed: the lower line reaches ratio 0 where e^-E = 0.025, E = -ln 0.025 = 3.688879;
    - 1 observed: the upper line at E = -ln 0.975 = 0.0253178 (P(X >= 1) = 0.025), ratio 1/E = 39.4979;
      the lower line where e^-E (1 + E) = 0.025: E = 5.571643 (= qchisq(0.975, 4) / 2 = 11.14329 / 2), ratio 1/E = 0.1794803;
    - 2 observed: the upper line where 1 - e^-E (1 + E) = 0.025 (P(X >= 2) = 0.025), E = 0.2422093 (=
      qchisq(0.025, 4) / 2 = 0.4844186 / 2), ratio 2/E = 8.257325.
    """
    limits = funnel([0, 1, 2], 0.95)
    assert limits.lower[0] == pytest.approx((3.688879, 0.0), rel=1e-6)
    assert limits.lower[1] == pytest.approx((5.571643, 0.1794803), rel=1e-6)
    assert limits.upper[0] == pytest.approx((0.0253178, 39.4979), rel=1e-5)
    assert limits.upper[1] == pytest.approx((0.2422093, 8.257325), rel=1e-6)
    assert len(limits.upper) == 2  # nothing is too high from 0 observed


# Published vectors: PHStatsMethods (DataS-DHSC/PHStatsMethods, the Python port of PHEindicatormethods),
# ph_statistical_methods/tests/test_data/testdata_funnel_ratio_outputs.csv, values unchanged: for an observed
# count, the expected count at which it lies on the lower and upper funnel line, at 2 sigma (95%) and 3 sigma
# (99.8%). Columns: Observed_events, lower_2s_exp_events, upper_2s_exp_events, lower_3s_exp_events,
# upper_3s_exp_events.
PHE_FUNNEL_RATIO = [
    (1, 5.571644585, 0.025317898, 9.233410143, 0.001000547),
    (2, 7.224687515, 0.242209467, 11.22886836, 0.04540199),
    (5, 11.6683331, 1.623486324, 16.45474478, 0.739371928),
    (10, 18.39035799, 4.795387629, 24.13397235, 2.960519925),
    (20, 30.88838097, 12.21651877, 38.04188668, 8.958211233),
    (55, 71.59006222, 41.4335243, 81.99762083, 34.89470271),
    (100, 121.6268111, 81.36400699, 134.9243187, 71.92139974),
    (249, 281.925722, 219.0300984, 301.7230493, 203.0712581),
    (716, 770.4222128, 664.5083011, 802.60414, 636.1521174),
]


@pytest.mark.parametrize("observed, lower_2s, upper_2s, lower_3s, upper_3s", PHE_FUNNEL_RATIO)
def test_funnel_limits_reproduce_the_published_vectors(observed, lower_2s, upper_2s, lower_3s, upper_3s):
    """PHE finds each expected count E by halving v = E / (E + 1 + o) until the step is below 1e-7; so the
    published E are exact to about that in v, and the lines are compared there."""
    def v(expected: float) -> float:
        return expected / (expected + 1 + observed)

    for confidence, lower, upper in ((0.95, lower_2s, upper_2s), (0.998, lower_3s, upper_3s)):
        limits = funnel([observed], confidence)
        assert v(limits.lower[0][0]) == pytest.approx(v(lower), abs=2e-7)
        assert v(limits.upper[0][0]) == pytest.approx(v(upper), abs=2e-7)
        assert limits.lower[0][1] == pytest.approx(observed / lower, rel=1e-5)


def test_funnel_counts_reach_past_the_largest_expected():
    counts = funnel_counts(400)
    assert counts[:21] == list(range(21)) and counts == sorted(set(counts))
    assert funnel(counts, 0.998).upper[-1][0] > 400  # the upper line spans the whole axis


# --- item 3: the HTML pages ---


def test_population_page_has_pictures_and_real_tables(cli, tmp_path, figures):
    page = tmp_path / "p.html"
    result = cli("populatie", STAD, "--waargenomen", OBSERVED, "--html", str(page), "--stil")
    assert result.exit_code == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 2  # the funnel plot and the bars
    assert "<table>" in text and "<td>Centrum</td>" in text and "█" not in text
    assert text.startswith("<!DOCTYPE html><html lang=\"nl\">")


def test_terminal_picture_keeps_the_rich_print(cli, tmp_path):
    svg = tmp_path / "t.svg"
    result = cli("prevalentie", "--svg", str(svg), "--terminalbeeld")
    assert result.exit_code == 0, result.stderr
    assert "Leeftijd" in svg.read_text(encoding="utf-8") and "┃" in svg.read_text(encoding="utf-8")


# --- item 4: --taal en ---


def test_english_pictures_have_english_labels(cli, tmp_path, figures):
    for arguments in (("prevalentie",), ("prevalentie", "--data", YEARS, "--vergelijk", "2016", "2022"),
                      ("populatie", STAD, "--waargenomen", OBSERVED, "--stil"), ("populatie", STAD, "--stil")):
        figures.clear()
        result = cli(*arguments, "--taal", "en", "--html", str(tmp_path / "p.html"))
        assert result.exit_code == 0, result.stderr
        for picture in figures:
            texts = _check_picture(picture) if picture.findobj(lambda a: a.get_gid() == "waarde") else []
            joined = " | ".join(texts)
            for dutch in (" jaar", "Bron", "Verwacht", "Eenzaamheid", "Verschil", "grenzen", "Leeftijd", "hoger"):
                assert dutch not in joined, (dutch, joined)
    assert "19-34 years" in joined


# --- item 5: without matplotlib ---


def _without_matplotlib(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    hide = tmp_path / "hide"
    hide.mkdir(exist_ok=True)
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['matplotlib'] = None\n", encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(hide)}
    script = Path(sys.executable).parent / "eenzaam"
    return subprocess.run([str(script), *arguments], capture_output=True, text=True, env=environment, cwd=tmp_path)


def test_without_the_extra_one_line_and_exit_2(tmp_path):
    out = tmp_path / "p.png"
    result = _without_matplotlib(tmp_path, "prevalentie", "--png", str(out))
    assert result.returncode == 2
    assert result.stderr == ("eenzaam: --png: een afbeelding vraagt het pakket matplotlib, dat niet geïnstalleerd is; "
                             "installeer het met: pip install 'eenzaam[grafiek]'\n")
    assert not out.exists() and result.stdout == ""
    result = _without_matplotlib(tmp_path, "populatie", STAD, "--html", str(tmp_path / "p.html"), "--stil")
    assert result.returncode == 2 and "pip install 'eenzaam[grafiek]'" in result.stderr
    assert result.stderr.count("\n") == 1
    terminal = _without_matplotlib(tmp_path, "prevalentie", "--svg", str(tmp_path / "t.svg"), "--terminalbeeld")
    assert terminal.returncode == 0 and (tmp_path / "t.svg").exists()


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_funnel_narrows_towards_one(confidence):
    """Every limit lies on its side of 1, and both lines close in on 1 as the expected count grows."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None)
    @given(st.floats(min_value=1.0, max_value=20000.0))
    def check(largest):
        limits = funnel(funnel_counts(largest), confidence)
        lower, upper = [ratio for _, ratio in limits.lower], [ratio for _, ratio in limits.upper]
        assert all(ratio < 1 for ratio in lower) and all(ratio > 1 for ratio in upper)
        assert all(a < b for a, b in zip(lower, lower[1:])) and all(a > b for a, b in zip(upper, upper[1:]))
        assert [e for e, _ in limits.lower] == sorted(e for e, _ in limits.lower)

    check()


# --- merge: ids on a page with several pictures ---
def test_a_page_with_two_pictures_has_each_id_once(cli, tmp_path):
    """matplotlib numbers its ids per figure (figure_1, patch_1 …) and a gid may be given to both lines of a
    limit; on one HTML page every id must be unique, and every url(#…) must still find its element."""
    import re

    page = tmp_path / "p.html"
    done = cli("populatie", "docs/voorbeeld/wijken.csv", "--waargenomen", "docs/voorbeeld/waargenomen.csv",
               "--html", str(page))
    assert done.exit_code == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 2
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert ids and len(ids) == len(set(ids))
    references = [a or b for a, b in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', text)]
    assert references and set(references) <= set(ids)


# --- counts of people with their thousands grouped ---
def test_counts_of_people_are_grouped_as_the_language_writes_them(cli, tmp_path, figures):
    """The example city's 19-34 band: 64,520 residents × 38.7% = 24,969.24 expected lonely people, written
    24.969 in Dutch and 24,969 in English; the axis too (10.000 / 10,000)."""
    for language, expected, tick in (("nl", "24.969", "10.000"), ("en", "24,969", "10,000")):
        figures.clear()
        result = cli("populatie", str(DOCS / "wijken.csv"), "--png", str(tmp_path / "p.png"), "--stil",
                     "--taal", language)
        assert result.exit_code == 0, result.stderr
        texts = _check_picture(figures[0])
        assert expected in texts and tick in texts and "24969" not in texts


# --- one rule for --terminalbeeld in every command that draws ---
@pytest.mark.parametrize("command", [["prevalentie"], ["populatie", STAD], ["stapel", "--voorbeeld", "tiener"]])
def test_terminalbeeld_has_one_rule_everywhere(cli, tmp_path, command):
    png = cli(*command, "--terminalbeeld", "--png", str(tmp_path / "x.png"))
    assert png.exit_code == 2 and png.stderr == ("eenzaam: --terminalbeeld: een afdruk van de terminal is er als --svg "
                                                 "of --html, niet als --png; laat --png of --terminalbeeld weg\n")
    alone = cli(*command, "--terminalbeeld")
    assert alone.exit_code == 2 and "--terminalbeeld: geldt voor --svg en --html" in alone.stderr
    assert not list(tmp_path.iterdir())
