"""The slide of `eenzaam stapel`: one person's risk stacking on a 16:9 canvas a trainer can project.

From top to bottom: the title; the persona in one line; one row per step, its label and source, and under them
its group figures, beside the running figures as a stepped chart down the rows (*eenzaam* a solid line over a
filled area, *ernstig* a dashed line over a hatched one, each named where it starts and labelled where it moves);
the outcome, large (the tier, and the last figures with the highest group figure, said to be an illustration);
one line of notes. Every word and figure is the step table's (`stack_view`): the same profile, the same wording,
the reasons in their short form. Text is never smaller than 28 px; what a row has no room for is cut with '…'.
The HTML page holds the slide and what it leaves out: the whole step table, every note and every source.
"""
from __future__ import annotations

from html import escape
from typing import Any

from ...core.contract import capitalise, percent, source_text
from ...core.reference.model import Reference
from ...core.text import t
from ...core.trainer import Demonstration, TrainerStep
from ..output import html_page
from ..stack_view import closing, running, short_measure, stack_view, step_figures, step_label
from .canvas import (GRID, HEIGHT_PX, INK, MEASURE_COLOUR, MEASURE_HATCH, MUTED, TEXT_PX, WIDTH_PX, Ruler, figure,
                     points, requested, save, svg_text)

MARGIN = 60  # px around the slide
SMALL, NORMAL, HEAD, LARGE = TEXT_PX["klein"], TEXT_PX["gewoon"], TEXT_PX["kop"], 80
LINE_PX = SMALL * 1.2  # the height of a line of small text
ROWS_TOP = 196  # px: the first step's row (the title, the persona and the chart's percentages above it)
ROW_PAD = 4  # px above and below a row's text
TEXT_LEFT = MARGIN + 40  # px: the rows' text (their number left of it)
TEXT_RIGHT = 1230  # px: where the rows' text ends
CHART_LEFT = 1270  # px: the chart, right of the rows
OUTCOME_HEIGHT = 36 + LARGE * 1.15 + NORMAL * 1.2
PAD = 14  # px between texts side by side
STYLE = {"eenzaam": "-", "ernstig": "--"}


def slide(demo: Demonstration, reference: Reference, language: str, option: str = "--svg") -> Any:
    """The slide as a matplotlib figure (1920×1080 px); `option` names the request if matplotlib is missing."""
    picture = figure(option)
    page = _Page(picture)
    profile = demo.profile
    page.line(MARGIN, 28, _title(demo, language), HEAD, weight="bold", shrink=True)
    example = demo.example
    if example is not None:
        page.line(MARGIN, 94, example.description(language), NORMAL, colour=MUTED, shrink=True,
                  keep=" " + t("illustration", language))
    else:
        page.line(MARGIN, 94, " · ".join(step_label(step, profile, language).split("\n")[0] for step in demo.steps),
                  NORMAL, colour=MUTED, shrink=True)
    notes_top = HEIGHT_PX - 40 - LINE_PX
    outcome_top = notes_top - 24 - OUTCOME_HEIGHT
    top, bottom = ROWS_TOP, outcome_top - 24
    height = (bottom - top) / len(demo.steps)
    for index, step in enumerate(demo.steps):
        _row(page, index, step, demo, reference, language, top + index * height, height)
    _chart(picture, page, demo, reference, language, top, height)
    _outcome(page, demo, reference, language, outcome_top)
    notes = [t("slide_method" if profile.stacks else "caption", language), t("slide_more", language)]
    page.line(MARGIN, notes_top, " ".join(notes), SMALL, colour=MUTED, shrink=True)
    return picture


def write(demo: Demonstration, reference: Reference, language: str, svg: str | None = None, png: str | None = None,
          html: str | None = None) -> None:
    """The slide to each file asked for: SVG, PNG (1920×1080) and an HTML page with the slide and all the rest."""
    from ..output import OutputFile

    picture = slide(demo, reference, language, requested(svg, png, html, False) or "--svg")
    save(picture, svg=svg, png=png)
    if html:
        page = _html(demo, reference, language, svg_text(picture))
        with OutputFile(html) as target:
            target.write(page)


# --- the canvas in pixels, from the top ---------------------------------------------------------------------------


class _Page:
    def __init__(self, picture: Any):
        self.picture = picture
        self.ruler = Ruler(picture)

    def line(self, x: float, y: float, text: str, size: float, weight: str = "normal", colour: str = INK,
             shrink: bool = False, keep: str = "", right: float = WIDTH_PX - MARGIN) -> float:
        """One line of text (and `keep` after it) with its top at `y` px, up to `right` px; the x where it ends.
        `shrink`: a line too long is set smaller, down to the smallest size; one too long even then keeps its size
        and is cut with '…' (never `keep`)."""
        room = right - x
        if shrink:
            size = next((smaller for smaller in range(int(size), SMALL - 1, -1)
                         if self.ruler.width(text + keep, smaller, weight) <= room), size)
        if self.ruler.width(text + keep, size, weight) > room:
            text = self.ruler.shorten(text, room - self.ruler.width(keep, size, weight), size, weight)
        text += keep
        self.picture.text(x / WIDTH_PX, 1 - y / HEIGHT_PX, text, fontsize=points(size), fontweight=weight,
                          color=colour, ha="left", va="top")
        return x + self.ruler.width(text, size, weight)


def _title(demo: Demonstration, language: str) -> str:
    example = demo.example
    return example.label(language) if example is not None else t("stack_title", language)


# --- one row per step: the step and its source, then its group figures -------------------------------------------


def _row(page: _Page, index: int, step: TrainerStep, demo: Demonstration, reference: Reference, language: str, top: float,
         height: float) -> None:
    """A step's row left of the chart: '2  Burgerlijke staat: verweduwd' with its source, and under them its group
    figures (one not stacked in grey, with why), in the lines the row has room for; what does not fit is cut with
    '…' (the HTML page has it all)."""
    profile = demo.profile
    label = step_label(step, profile, language).split("\n")[0]
    shown = step_figures(step, profile, reference, language, short=True)
    cited = "; ".join(_cite(ids, where, reference) for ids, where in shown.sources)
    lines = int((height - 2 * ROW_PAD) // LINE_PX)
    y = top + ROW_PAD
    page.line(MARGIN, y, str(index + 1), SMALL, weight="bold", colour=MUTED)
    end = page.line(TEXT_LEFT, y, label, SMALL, weight="bold", right=TEXT_RIGHT)
    beside = not cited or end + 24 + page.ruler.width(cited, SMALL) <= TEXT_RIGHT or lines < 3
    if cited and beside and TEXT_RIGHT - end > 200:
        page.line(end + 24, y, cited, SMALL, colour=MUTED, right=TEXT_RIGHT)
    room = lines - 1 - (0 if beside else 1)
    figures = [(f"{words} – {why}" if why else words, INK if why is None else MUTED) for words, why in shown.lines]
    width = TEXT_RIGHT - TEXT_LEFT
    if len(figures) > room or any(page.ruler.width(text, SMALL) > width for text, _ in figures):
        wrapped = page.ruler.wrap(" · ".join(text for text, _ in figures), width, SMALL)
        colour = INK if any(colour == INK for _, colour in figures) else MUTED
        figures = [(line, colour) for line in wrapped[:room]]
        if len(wrapped) > room and figures:
            figures[-1] = (" ".join(wrapped[room - 1:]), colour)  # too long for the line: cut with '…'
    for number, (text, colour) in enumerate(figures[:room], start=1):
        page.line(TEXT_LEFT, y + number * LINE_PX, text, SMALL, colour=colour, right=TEXT_RIGHT)
    if not beside:
        page.line(TEXT_LEFT, y + (len(figures[:room]) + 1) * LINE_PX, cited, SMALL, colour=MUTED, right=TEXT_RIGHT)


def _cite(ids: tuple[str, ...], where: str, reference: Reference) -> str:
    """'Gezondheidsmonitor Volwassenen 2016 §3.3': a source by its title (else its authors) and year."""
    names = []
    for key in ids:
        source = reference.sources.get(key)
        name = key if source is None else source.title or source.authors
        names.append(f"{name} {source.year}" if source is not None and source.year else name)
    return f"{', '.join(names)} {where}".rstrip()


# --- the stepped chart ----------------------------------------------------------------------------------------------


def _chart(picture: Any, page: _Page, demo: Demonstration, reference: Reference, language: str, top: float, height: float) -> None:
    """The running figures as steps down the rows, 0-100% across: a solid line over a filled area for the first
    measure, a dashed one over a hatched area for the second; each figure where it moves, the first with its name."""
    steps = demo.steps
    count = len(steps)
    axes = picture.add_axes((CHART_LEFT / WIDTH_PX, 1 - (top + count * height) / HEIGHT_PX,
                             (WIDTH_PX - MARGIN - CHART_LEFT) / WIDTH_PX, count * height / HEIGHT_PX))
    axes.set_xlim(0, 100)
    axes.set_ylim(count, 0)
    axes.xaxis.tick_top()
    axes.set_xticks([0, 50, 100], [f"{tick}%" for tick in (0, 50, 100)], fontsize=points(SMALL))
    axes.set_yticks([])
    axes.tick_params(axis="x", length=0, pad=8)
    axes.grid(axis="x", color=GRID, linewidth=1.5)
    axes.set_axisbelow(True)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.spines["left"].set_color(MUTED)
    for row in range(1, count):
        axes.axhline(row, color=GRID, linewidth=1.5, zorder=0)
    for row in range(1, count + 1):  # the rows' lines across their text; the chart draws its own under its lines
        picture.add_artist(_rule(top + row * height, CHART_LEFT))
    axes.axhline(count, color=GRID, linewidth=1.5, zorder=0)
    profile = demo.profile
    if not profile.stacks:
        lines = page.ruler.wrap(t("slide_no_start", language, low=reference.monitor.min_age),
                                WIDTH_PX - MARGIN - CHART_LEFT - 2 * PAD, SMALL)
        axes.text(50, count / 2, "\n".join(lines), ha="center", va="center", fontsize=points(SMALL), color=MUTED,
                  backgroundcolor="white")
        return
    measures = list(profile.stacks)
    for order, measure in enumerate(measures):
        values = [step.values[measure] for step in steps]
        xs = [value for value in values for _ in (0, 1)]
        ys = [row + end for row in range(count) for end in (0, 1)]
        colour = MEASURE_COLOUR.get(measure, INK)
        hatch = MEASURE_HATCH.get(measure, "")
        if hatch:
            axes.fill_betweenx(ys, 0, xs, facecolor="none", edgecolor=colour, hatch=hatch, linewidth=0)
        else:
            axes.fill_betweenx(ys, 0, xs, color=colour, alpha=0.14, linewidth=0)
        axes.plot(xs, ys, color=colour, linewidth=5, linestyle=STYLE.get(measure, "-"), solid_joinstyle="miter")
        for row, value in enumerate(values):
            if row and abs(value - values[row - 1]) < 1e-9:
                continue  # the line says it: the figure did not move
            text = running(value, profile.stacks[measure], language)
            if row == 0:
                text = f"{short_measure(measure, reference, language)} {text}"
            at = _label_at(value, [steps[row].values[m] for m in measures[:order]], text, page)
            axes.annotate(text, (at, row + (order + 1) / (len(measures) + 1)), xytext=(12, 0),
                          textcoords="offset pixels", ha="left", va="center", fontsize=points(SMALL),
                          fontweight="bold", color=colour)


def _label_at(value: float, before: list[float], text: str, page: _Page) -> float:
    """Where a figure's label starts (in %): right of its line, or right of the lines of the measures above it
    that the label would cross, or left of its line where the chart ends first."""
    scale = (WIDTH_PX - MARGIN - CHART_LEFT) / 100  # px per percent
    width = (12 + page.ruler.width(text, SMALL, "bold")) / scale
    start = value
    for other in sorted(before):
        if start < other <= start + width:
            start = other
    return start if start + width <= 100 else value - width - 24 / scale


# --- the outcome, large --------------------------------------------------------------------------------------------


def _outcome(page: _Page, demo: Demonstration, reference: Reference, language: str, top: float) -> None:
    """'Uitkomst na 4 stappen', the tier, and the figures after the last step, large, each with its measure and the
    highest group figure, under what they are: group figures stacked, an illustration, not a prediction. The large
    size is the largest at which all of it fits the width of the slide."""
    profile = demo.profile
    tier = profile.tier.tier
    big = top + 36
    ruler = page.ruler
    heading, name = t("slide_tier", language, number=tier.number), tier.name(language)
    figures = []
    for measure, stack in profile.stacks.items():
        figure = "–" if stack.combined is None else percent(stack.combined, language, computed=bool(stack.steps))
        figures.append((MEASURE_COLOUR.get(measure, INK), figure, capitalise(reference.measures[measure].label(language)),
                        t("slide_highest", language, value=percent(stack.highest_group, language))))
    words = max((max(ruler.width(label, SMALL), ruler.width(highest, SMALL)) for _, _, label, highest in figures),
                default=0)

    def width(size: int) -> float:
        left = max(ruler.width(heading, size, "bold"), ruler.width(name, NORMAL))
        return left + sum(4 * PAD + ruler.width(figure, size, "bold") + PAD + words for _, figure, _, _ in figures)

    size = next((size for size in range(LARGE, SMALL, -4) if width(size) <= WIDTH_PX - 2 * MARGIN), SMALL)
    page.line(MARGIN, top, t("slide_outcome", language, n=len(demo.steps)), SMALL, colour=MUTED)
    page.line(MARGIN, big, heading, size, weight="bold")
    page.line(MARGIN, big + LARGE * 1.15, name, NORMAL)
    x = MARGIN + max(ruler.width(heading, size, "bold"), ruler.width(name, NORMAL)) + 4 * PAD
    if not figures:
        page.line(x, big, t("slide_no_start", language, low=reference.monitor.min_age), NORMAL, colour=MUTED)
        return
    page.line(x, top, t("slide_illustration", language), SMALL, colour=MUTED)
    for colour, figure, label, highest in figures:
        end = page.line(x, big + (LARGE - size) / 2, figure, size, weight="bold", colour=colour) + PAD
        page.line(end, big + 12, label, SMALL)
        page.line(end, big + 12 + LINE_PX, highest, SMALL, colour=MUTED)
        x = end + words + 4 * PAD


def _rule(y: float, right: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([MARGIN / WIDTH_PX, right / WIDTH_PX], [1 - y / HEIGHT_PX] * 2, color=GRID, linewidth=1.5)


# --- the HTML page: the slide, the whole step table, every note and source ----------------------------------------


def _html(demo: Demonstration, reference: Reference, language: str, svg: str) -> str:
    section = stack_view(demo, reference, language).sections[0]
    columns = [c for c in section.columns if c.key != "balk"]
    measures = list(demo.profile.stacks)
    header = [c.header for c in columns] + [f"{t('after_short', language)}: {short_measure(m, reference, language)}"
                                            for m in measures]
    rows = []
    for row, step in zip(section.rows, demo.steps):
        cells = [_cell(row.get(c.key)) for c in columns]
        cells += [escape(running(step.values[m], demo.profile.stacks[m], language)) for m in measures]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    notes = closing(demo, reference, language)
    keys = dict.fromkeys(key for step in demo.steps
                         for ids, _ in step_figures(step, demo.profile, reference, language).sources for key in ids)
    sources = [f"<li>{escape(source_text(reference.sources[k], language))} [{escape(k)}]</li>"
               for k in keys if k in reference.sources]
    title = _title(demo, language)
    example = demo.example
    intro = [f"{example.description(language)} {t('illustration', language)}"] if example is not None else []
    body = [*(f"<p>{escape(line)}</p>" for line in intro), f"<figure>{svg}</figure>",
            f"<h2>{escape(t('stack_title', language))}</h2><table><tr>"
            + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>", *rows, "</table>",
            f"<h2>{escape(t('slide_outcome_title', language))}</h2>", *(f"<p>{escape(line)}</p>" for line in notes),
            f"<h2>{escape(t('sources', language))}</h2><ul>", *sources, "</ul>"]
    return html_page(title, body, language)


def _cell(value: Any) -> str:
    return "–" if value is None else "<br>".join(escape(line) for line in str(value).split("\n"))
