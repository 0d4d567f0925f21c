"""The report pictures: `prevalentie` (bars per age band), `prevalentie --vergelijk` (two years side by side),
`populatie` (expected people per band and per area) and its funnel plot with `--waargenomen`.

Each `*_figure` function builds one matplotlib figure on the shared canvas (canvas.py): a title and a subtitle at
the top, the chart, and the sources as a caption at the bottom. Every value label is a text with the gid `waarde`,
so the tests can check that none overlaps another. `write` turns a command's request (--svg, --png, --html,
--terminalbeeld) into files: the first figure to SVG/PNG, all of them inline in one HTML page with the tables.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ...core.contract import capitalise, comparison_rows, monitor_label, number, prevalence_rows, source_text
from ...core.text import band_label, band_labels, t
from ..years_view import signed
from . import canvas
from .canvas import GRID, INK, MEASURE_COLOUR, MEASURE_HATCH, MUTED, SERIES_COLOUR, TEXT_PX, points

MARGIN_PX = 70  # left and right edge of the canvas to the text
VALUE = "waarde"  # the gid of every value label
HEADLINE = ("eenzaam", "ernstig")  # the measures a chart shows when none is chosen
LIGHT = {"eenzaam": "#9cc9e8", "ernstig": "#f0b48f"}  # the first year of a comparison: the measure's colour, lighter
PANEL_ROWS_MAX = 15  # areas in the per-area panel (one bar each, the focus measure); the rest are in the tables


def _px(value: float, fig: Any, axis: str = "y") -> float:
    """Canvas pixels as a fraction of the figure's width (`x`) or height (`y`)."""
    return value / (canvas.WIDTH_PX if axis == "x" else canvas.HEIGHT_PX)


def _frame(fig: Any, title: str, subtitle: str | None, caption: Sequence[str]) -> tuple[float, float]:
    """Title and subtitle at the top, the caption lines at the bottom; returns (bottom, top) of the space between
    them as fractions of the figure's height."""
    width = canvas.WIDTH_PX - 2 * MARGIN_PX
    ruler = canvas.Ruler(fig)
    top = canvas.HEIGHT_PX - 36
    for line in ruler.wrap(title, width, TEXT_PX["kop"], "bold"):
        fig.text(_px(MARGIN_PX, fig, "x"), _px(top, fig), line, fontsize=points(TEXT_PX["kop"]),
                 fontweight="bold", va="top", ha="left", color=INK)
        top -= TEXT_PX["kop"] * 1.3
    if subtitle:
        for line in ruler.wrap(subtitle, width, TEXT_PX["gewoon"]):
            fig.text(_px(MARGIN_PX, fig, "x"), _px(top, fig), line, fontsize=points(TEXT_PX["gewoon"]),
                     va="top", ha="left", color=MUTED)
            top -= TEXT_PX["gewoon"] * 1.3
    bottom = 24
    lines = [wrapped for text in caption for wrapped in ruler.wrap(text, width, TEXT_PX["klein"])]
    for line in reversed(lines):
        fig.text(_px(MARGIN_PX, fig, "x"), _px(bottom, fig), line, fontsize=points(TEXT_PX["klein"]),
                 va="bottom", ha="left", color=MUTED)
        bottom += TEXT_PX["klein"] * 1.3
    return _px(bottom + 16, fig), _px(top - 16, fig)


def _style(ax: Any, grid: str = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=points(TEXT_PX["klein"]), length=0, pad=10)
    ax.grid(axis=grid, color=GRID, linewidth=1.5)
    ax.set_axisbelow(True)


def _colour(measure: str, index: int) -> str:
    return MEASURE_COLOUR.get(measure, SERIES_COLOUR[index % len(SERIES_COLOUR)])


def _chosen(measures: Sequence[str]) -> list[str]:
    """The measures a chart shows: eenzaam and ernstig of all four, or the one chosen with --maat."""
    return [m for m in measures if m in HEADLINE] or list(measures)


def _measure(reference: Any, measure: str, language: str) -> str:
    known = reference.measures.get(measure)
    return capitalise(known.label(language) if known is not None else measure)


def _sources(reference: Any, keys: Sequence[str], language: str) -> str:
    keys = [k for k in dict.fromkeys(keys) if k]
    cited = "; ".join(f"{source_text(reference.sources[k], language)} [{k}]" if k in reference.sources else k
                      for k in keys)
    return t("picture_source", language, source=cited)


def _figure_value(value: Any) -> float | None:
    return None if value is None else float(value)


def _label(value: float | Decimal, language: str, digits: str = "0.1") -> str:
    return number(Decimal(str(value)).quantize(Decimal(digits)), language)


def _legend(owner: Any, handles: list[Any], **place: Any) -> None:
    """The legend of an axes or, placed by `bbox_to_anchor`, of the whole figure."""
    legend = owner.legend(handles=handles, fontsize=points(TEXT_PX["klein"]), frameon=False, handlelength=1.6,
                          handleheight=1.0, **place)
    legend.set_gid("legenda")


def _patch(label: str, colour: str, hatch: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor="white", hatch=hatch, label=label)


# --- prevalentie ----------------------------------------------------------------------------------------------


def prevalence_figure(result: Any, reference: Any, language: str, option: str) -> Any:
    """Bars per age band (and the whole population after a gap), the measures side by side, each value on its bar."""
    rows = prevalence_rows(result)
    measures = _chosen(result.measures)
    fig = canvas.figure(option)
    monitor = reference.monitor
    whole = t("area_all_ages", language, area=monitor.area) if result.total and monitor.area else t("all_ages", language)
    whole_shown = len(rows) > len(result.bands)
    labels = [band_label(band, language) for band in result.bands] + [whole] * whole_shown
    keys = [band.source for band in result.bands]
    if whole_shown:
        keys += [result.total.source] if result.total else [f.source for m, f in result.population.items() if m in measures]
    bottom, top = _frame(fig, _title("prevalence_title", monitor, language),
                         t("picture_prevalence", language) if whole_shown else None, [_sources(reference, keys, language)])
    ax = fig.add_axes((_px(150, fig, "x"), bottom + _px(90, fig), 1 - _px(150 + MARGIN_PX, fig, "x"),
                       top - bottom - _px(90, fig)))
    _style(ax)
    width = 0.8 / len(measures)
    highest = max((float(row[m]) for row in rows for m in measures if row.get(m) is not None), default=1.0)
    gap = [0.6 if row["leeftijd_van"] is None else 0.0 for row in rows]  # the whole population stands apart
    for index, measure in enumerate(measures):
        for place, row in enumerate(rows):
            value = _figure_value(row.get(measure))
            x = place + gap[place] + (index - (len(measures) - 1) / 2) * width
            if value is None:
                continue
            ax.bar(x, value, width * 0.92, color=_colour(measure, index), hatch=MEASURE_HATCH.get(measure, ""),
                   edgecolor="white", linewidth=0, alpha=0.6 if gap[place] else 1.0, gid=f"balk:{measure}:{place}")
            ax.text(x, value + highest * 0.015, number(row[measure], language), ha="center", va="bottom",
                    fontsize=points(TEXT_PX["klein"]), color=INK, gid=VALUE)
    places = [place + gap[place] for place in range(len(rows))]
    ax.set_xticks(places, ["\n".join(textwrap.wrap(label, 12)) for label in labels])
    _at_least(ax.set_xlim, places[0], places[-1])
    if any(gap):
        ax.axvline(len(rows) - 1 + gap[-1] / 2 - 0.5, color=MUTED, linewidth=1.5, linestyle=":")
    ax.set_ylim(0, highest * 1.18)
    _percent_axis(ax.yaxis, language)
    _legend(ax, [_patch(_measure(reference, m, language), _colour(m, i), MEASURE_HATCH.get(m, ""))
                 for i, m in enumerate(measures)], loc="upper left", ncols=len(measures))
    return fig


def _title(key: str, monitor: Any, language: str) -> str:
    return t("with_table", language, title=t(key, language), table=monitor_label(monitor, language))


def _percent_axis(axis: Any, language: str) -> None:
    """An axis of percentages: whole numbers in steps of 1, 2 or 5 times a power of ten."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10], integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{number(Decimal(round(value)), language)}%"))


def _at_least(set_limits: Any, first: float, last: float, places: float = 4.0) -> None:
    """Limits around positions `first` to `last` as wide as `places` at least, so one band's bars stay bars."""
    span = max(last - first + 1.2, places)
    middle = (first + last) / 2
    set_limits(middle - span / 2, middle + span / 2)


def comparison_figure(result: Any, reference: Any, language: str, option: str) -> Any:
    """Two monitor tables: one panel per measure side by side, per band a bar for each year (the first lighter
    and dotted), each value at its bar's end and the difference in percentage points in a column of its own."""
    first, second = result.years
    rows = comparison_rows(result)
    measures = _chosen(result.measures)
    fig = canvas.figure(option)
    names = [monitor_label(table, language) for table in result.tables]
    labels = [band_label(pair, language) if not pair.total else t("whole_table", language) for pair in result.rows]
    keys = [band.source for table in result.tables for band in (*table.bands, *((table.total,) if table.total else ()))]
    caption = [t("difference_note", language, first=first, second=second)]
    if result.unmatched:
        caption.append(t("bands_differ", language, first=first, second=second, bands=", ".join(result.unmatched)))
    caption.append(_sources(reference, keys, language))
    title = t("years_chart_title", language, first=names[0], second=names[1])
    bottom, top = _frame(fig, title, None, caption)
    label_px = 40 + 0.6 * TEXT_PX["klein"] * max(len(line) for label in labels for line in textwrap.wrap(label, 14))
    left, gutter = MARGIN_PX + label_px, 60
    panel = (canvas.WIDTH_PX - left - MARGIN_PX - gutter * (len(measures) - 1) - label_px * (len(measures) - 1))
    panel /= len(measures)
    legend_px, ticks_px = 70, 60
    count = len(rows)
    for index, measure in enumerate(measures):
        highest = max((float(row[f"{measure}_{y}"]) for row in rows for y in (first, second)
                       if row.get(f"{measure}_{y}") is not None), default=1.0)
        x0 = left + index * (panel + gutter + label_px)
        ax = fig.add_axes((_px(x0, fig, "x"), bottom + _px(ticks_px, fig), _px(panel, fig, "x"),
                           top - bottom - _px(legend_px + 50 + ticks_px, fig)))
        _style(ax, grid="x")
        for place, row in enumerate(rows):
            y = count - 1 - place
            for side, (year, offset) in enumerate(((first, 0.2), (second, -0.2))):
                value = _figure_value(row.get(f"{measure}_{year}"))
                if value is None:
                    ax.text(0, y + offset, " –", va="center", fontsize=points(TEXT_PX["klein"]), color=MUTED, gid=VALUE)
                    continue
                colour = LIGHT.get(measure, "#bbbbbb") if side == 0 else _colour(measure, index)
                ax.barh(y + offset, value, 0.38, color=colour, hatch=".." if side == 0 else "",
                        edgecolor="white", linewidth=0, gid=f"balk:{measure}:{year}:{place}")
                ax.text(value + highest * 0.015, y + offset, number(row[f"{measure}_{year}"], language),
                        va="center", ha="left", fontsize=points(TEXT_PX["klein"]), color=INK, gid=VALUE)
            difference = row.get(f"{measure}_verschil")
            ax.text(1.0, y, signed(difference, language), transform=ax.get_yaxis_transform(), ha="right",
                    va="center", fontsize=points(TEXT_PX["klein"]), fontweight="bold", color=INK, gid=VALUE)
        ax.text(1.0, 1.0, t("difference_pp", language), transform=ax.transAxes, ha="right", va="bottom",
                fontsize=points(TEXT_PX["klein"]), color=MUTED)
        ax.set_yticks(range(count), ["\n".join(textwrap.wrap(label, 14)) for label in reversed(labels)])
        _at_least(ax.set_ylim, 0, count - 1)
        ax.set_xlim(0, highest * 1.55)
        _percent_axis(ax.xaxis, language)
        ax.set_title(_measure(reference, measure, language), loc="left", fontsize=points(TEXT_PX["gewoon"]),
                     fontweight="bold", pad=16)
    legend = [_patch(names[0], "#bbbbbb", ".."), _patch(names[1], "#555555", "")]
    _legend(fig, legend, loc="upper left", bbox_to_anchor=(_px(left, fig, "x"), top), ncols=2)
    return fig


# --- populatie ---------------------------------------------------------------------------------------------------


def population_figures(result: Any, reference: Any, language: str, option: str) -> list[Any]:
    """The expected people per band and per area; with observed figures the funnel plot first (the picture of
    --svg and --png), then the bars."""
    bars = population_figure(result, reference, language, option)
    return [funnel_figure(result, reference, language, option), bars] if result.comparisons else [bars]


def _people(value: Decimal | float, language: str) -> str:
    """Expected people in a chart: whole numbers with thousands grouped as the language writes them (24.969 in
    Dutch, 24,969 in English; the tables keep one decimal)."""
    text = f"{round(value):,}"
    return text.replace(",", ".") if language == "nl" else text


def population_figure(result: Any, reference: Any, language: str, option: str) -> Any:
    """Expected lonely and severely lonely people per age band (left), and per area the focus measure (--maat) for
    at most PANEL_ROWS_MAX areas, those with the most (right; with one area, the prevention tiers instead)."""
    measures = [m for m in HEADLINE if m in result.total.expected] or list(result.total.expected)[:2]
    fig = canvas.figure(option)
    caption = [t("picture_population", language), _sources(reference, [reference.monitor.bands[0].source], language)]
    areas = [(area, totals) for area, totals in result.areas.items()]
    several = len(areas) > 1
    if several and len(areas) > PANEL_ROWS_MAX:
        areas = sorted(areas, key=lambda item: -item[1].expected[result.measure])[:PANEL_ROWS_MAX]
        caption.insert(0, t("picture_areas_shown", language, shown=PANEL_ROWS_MAX, areas=len(result.areas),
                            measure=reference.measures[result.measure].label(language)))
    bottom, top = _frame(fig, _title("population_title", reference.monitor, language), None, caption)
    handles = [_patch(_measure(reference, m, language), _colour(m, i), MEASURE_HATCH.get(m, ""))
               for i, m in enumerate(measures)]
    _legend(fig, handles, loc="upper left", bbox_to_anchor=(_px(MARGIN_PX + 10, fig, "x"), top), ncols=len(measures))
    top -= _px(70, fig)
    labels = band_labels(reference.monitor.bands, language)
    bands = [(labels.get(band, band), totals) for band, totals in result.bands.items()]
    right = [(area or t("all_areas", language), totals) for area, totals in areas]
    panels = [(t("picture_by_band", language), bands, measures, "band")]
    if several:
        measure = reference.measures[result.measure].label(language)
        panels.append((t("chart_by_area", language, measure=measure), right, [result.measure], "gebied"))
    else:
        tiers = [(f"{t('tier', language)} {tier}", people) for tier, people in result.total.tiers.items()]
        panels.append((t("picture_tiers", language), tiers, None, "niveau"))
    label_px = [40 + 0.6 * TEXT_PX["klein"] * max((len(name) for name, _ in rows), default=4) for _, rows, _, _ in panels]
    gutter = 80
    space = canvas.WIDTH_PX - 2 * MARGIN_PX - sum(label_px) - gutter
    x0 = MARGIN_PX
    for (heading, rows, shown, kind), labels in zip(panels, label_px):
        x0 += labels
        ax = fig.add_axes((_px(x0, fig, "x"), bottom + _px(60, fig), _px(space / 2, fig, "x"),
                           top - bottom - _px(120, fig)))
        _style(ax, grid="x")
        ax.set_title(heading, loc="left", fontsize=points(TEXT_PX["gewoon"]), fontweight="bold", pad=16)
        if shown is None:
            _tier_bars(ax, rows, language)
        else:
            _grouped_bars(ax, rows, shown, kind, language)
        x0 += space / 2 + gutter
    return fig


def _grouped_bars(ax: Any, rows: list[tuple[str, Any]], measures: list[str], kind: str, language: str) -> None:
    count = len(rows)
    highest = max((float(totals.expected[m]) for _, totals in rows for m in measures), default=1.0) or 1.0
    height = 0.8 / len(measures)
    for place, (_, totals) in enumerate(rows):
        for index, measure in enumerate(measures):
            y = count - 1 - place + ((len(measures) - 1) / 2 - index) * height
            _people_bar(ax, y, totals.expected[measure], height * 0.92, highest, language, color=_colour(measure, index),
                        hatch=MEASURE_HATCH.get(measure, ""), gid=f"balk:{kind}:{measure}:{place}")
    _rows_axis(ax, [name for name, _ in rows], highest, language)


def _tier_bars(ax: Any, rows: list[tuple[str, Decimal]], language: str) -> None:
    highest = max((float(people) for _, people in rows), default=1.0) or 1.0
    for place, (_, people) in enumerate(rows):
        _people_bar(ax, len(rows) - 1 - place, people, 0.6, highest, language,
                    color=SERIES_COLOUR[(place + 2) % len(SERIES_COLOUR)], hatch=("", "..", "//")[place % 3],
                    gid=f"balk:niveau:{place}")
    _rows_axis(ax, [name for name, _ in rows], highest, language)


def _people_bar(ax: Any, y: float, value: Decimal, height: float, highest: float, language: str, **style: Any) -> None:
    """A horizontal bar of expected people with its number at its end."""
    ax.barh(y, float(value), height, edgecolor="white", linewidth=0, **style)
    ax.text(float(value) + highest * 0.015, y, _people(value, language), va="center", ha="left",
            fontsize=points(TEXT_PX["klein"]), color=INK, gid=VALUE)


def _rows_axis(ax: Any, names: list[str], highest: float, language: str) -> None:
    """Names down the side, the first at the top; room to the right of the longest bar for its number."""
    ax.set_yticks(range(len(names)), list(reversed(names)))
    _at_least(ax.set_ylim, 0, len(names) - 1, 3.0)
    ax.set_xlim(0, highest * 1.3)
    _people_axis(ax.xaxis, language)


def _people_axis(axis: Any, language: str) -> None:
    """An axis of counts of people: at most five whole numbers, so five digits each still fit side by side."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10], integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _: _people(value, language)))


# --- the funnel plot ---------------------------------------------------------------------------------------------

_VERDICT_MARK = {"hoger": ("^", "#D55E00"), "lager": ("v", "#0072B2"), "niet_te_onderscheiden": ("o", "#777777")}


def funnel_figure(result: Any, reference: Any, language: str, option: str) -> Any:
    """Each area's ratio observed / expected against its expected count, within the 95% and 99.8% control limits
    (core/stats.py `funnel`); the areas outside the 95% limits are named, where a name fits."""
    from ...core.stats import funnel, funnel_counts

    comparisons = result.comparisons
    measure = reference.measures[result.measure].label(language)
    fig = canvas.figure(option)
    caption = [t("picture_funnel", language), _sources(reference, [reference.monitor.bands[0].source], language)]
    bottom, top = _frame(fig, t("funnel_title", language, measure=measure), None, caption)
    ax = fig.add_axes((_px(170, fig, "x"), bottom + _px(80, fig), 1 - _px(170 + MARGIN_PX, fig, "x"),
                       top - bottom - _px(80, fig)))
    _style(ax, grid="both")
    largest = max(c.expected for c in comparisons) * 1.1
    ratios = [c.ratio.value for c in comparisons]
    low, high = min(0.5, min(ratios) * 0.9), max(1.5, max(ratios) * 1.1)
    counts = funnel_counts(largest)
    for confidence, style in ((0.95, "--"), (0.998, "-")):
        limits = funnel(counts, confidence)
        for line in (limits.lower, limits.upper):
            xs, ys = zip(*line)
            ax.plot(xs, ys, style, color=MUTED, linewidth=2.5, gid=f"grens:{confidence}")
    ax.axhline(1.0, color=INK, linewidth=2)
    outside = []
    for comparison in comparisons:
        mark, colour = _VERDICT_MARK[comparison.verdict]
        ax.plot(comparison.expected, comparison.ratio.value, mark, color=colour, markersize=18, markeredgecolor="white",
                markeredgewidth=1.5, gid="gebied", zorder=3)
        if comparison.verdict != "niet_te_onderscheiden":
            outside.append(comparison)
    ax.set_xlim(0, largest)
    ax.set_ylim(low, high)
    ax.set_xlabel(t("funnel_x", language, measure=measure), fontsize=points(TEXT_PX["klein"]), labelpad=12)
    ax.set_ylabel(t("funnel_y", language), fontsize=points(TEXT_PX["klein"]), labelpad=12)
    _people_axis(ax.xaxis, language)
    ax.yaxis.set_major_formatter(_ratio_axis(language))
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="--", color=MUTED, linewidth=2.5, label=t("funnel_95", language)),
               Line2D([], [], linestyle="-", color=MUTED, linewidth=2.5, label=t("funnel_998", language))]
    handles += [Line2D([], [], linestyle="", marker=mark, color=colour, markersize=16, label=t(f"short_{v}", language))
                for v, (mark, colour) in _VERDICT_MARK.items() if any(c.verdict == v for c in comparisons)]
    _legend(ax, handles, loc="upper right", ncols=1)
    missed = _name_outside(fig, ax, outside, language)
    if missed:
        ax.text(0.01, 0.02, t("funnel_unnamed", language, count=missed), transform=ax.transAxes, ha="left",
                va="bottom", fontsize=points(TEXT_PX["klein"]), color=MUTED)
    return fig


def _ratio_axis(language: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: number(Decimal(str(round(value, 2))).quantize(Decimal("0.1")), language))


def _name_outside(fig: Any, ax: Any, outside: list[Any], language: str) -> int:
    """Name each area outside the limits beside its point, in the first place where the name overlaps no other
    text, point or the axes' edge; returns how many found no place."""
    renderer = canvas.renderer(fig)
    box = ax.get_window_extent(renderer)
    taken = [text.get_window_extent(renderer) for text in ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    points_px = [ax.transData.transform((c.expected, c.ratio.value)) for c in outside]
    taken += [_point_box(x, y) for x, y in points_px]
    missed = 0
    for comparison, (x, y) in sorted(zip(outside, points_px), key=lambda item: -abs(item[0].ratio.value - 1)):
        name = comparison.area or t("all_areas", language)
        for dx, dy, ha, va in ((16, 0, "left", "center"), (-16, 0, "right", "center"), (0, 18, "center", "bottom"),
                               (0, -18, "center", "top")):
            at = ax.transData.inverted().transform((x + dx, y + dy))
            text = ax.text(*at, name, ha=ha, va=va, fontsize=points(TEXT_PX["klein"]), color=INK, gid=VALUE,
                           bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85})
            extent = text.get_window_extent(renderer)
            inside = box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1
            if inside and not any(extent.overlaps(other) for other in taken):
                taken.append(extent)
                break
            text.remove()
        else:
            missed += 1
    return missed


def _point_box(x: float, y: float) -> Any:
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(x - 10, y - 10, x + 10, y + 10)


# --- writing -----------------------------------------------------------------------------------------------------


def write(build: Callable[[str], list[Any]], view: Any, tables: Any, language: str, *,
          svg: str | None, png: str | None, html: str | None, terminal: bool) -> None:
    """The pictures a command was asked for: `build(option)` makes the figures (the first is the picture of --svg
    and --png; the HTML page shows them all, with the tables of the view `tables`); with `terminal` --svg and --html are
    the old print of the terminal tables (`view`). `tables` may be a function that builds them."""
    if terminal and (svg or html):
        from ..output import export

        export(view, language, svg=svg, html=html)
        svg = html = None
    option = canvas.requested(svg, png, html, False)
    if option is None:
        return
    figures = build(option)
    canvas.save(figures[0], svg=svg, png=png)
    if html:
        from ..output import OutputFile, html_page, html_sections, part

        shown = part(tables)
        title = part(shown.sections)[0].title
        pictures = [f"<figure>{canvas.svg_text(figure, f'f{index}-')}</figure>" for index, figure in enumerate(figures)]
        with OutputFile(html) as target:
            target.write(html_page(title, pictures + html_sections(shown, language), language))
