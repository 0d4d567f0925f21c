"""Horizontal bars drawn with block characters, and the prevalence table as a bar chart (Afbeelding 3).

A bar is text, so it goes through every renderer like any other cell: a Rich table on a
terminal, the SVG and HTML pictures of `output.export`, and markdown. Eighth blocks give a
bar of 25 characters a resolution of half a percentage point on a 0-100% scale. A chart is
drawn for a width (`fitted`): its bars as long as that width allows, no line wrapping.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..core.contract import capitalise, number, table_title
from ..core.prevalence import Prevalence
from ..core.reference.model import Reference
from ..core.text import t
from .output import Column, Section, View, column_widths, fits_as_blocks

FULL = "█"
EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")


def bar(value: float | Decimal, width: int, top: float = 100.0) -> str:
    """`value` on a scale from 0 to `top` as a bar of at most `width` characters (eighths of a character)."""
    share = min(max(float(value) / top, 0.0), 1.0) if top > 0 else 0.0
    eighths = round(share * width * 8)
    return FULL * (eighths // 8) + EIGHTHS[eighths % 8]


def ruler(width: int, top: float = 100.0) -> str:
    """The scale under (or over) bars of `width` characters: '0%', the middle and the top, in place."""
    left, right = "0%", f"{top:.0f}%"
    middle = f"{top / 2:.0f}%"
    line = [" "] * width
    line[:len(left)] = left
    start = max(len(left) + 1, round(width / 2 - len(middle) / 2))
    if start + len(middle) < width - len(right):  # only where it fits between the ends
        line[start:start + len(middle)] = middle
    line[width - len(right):] = right
    return "".join(line)[:width]


# --- charts that fit the width ---------------------------------------------------------------------------

MAX_BAR = 40  # characters for the highest figure of a chart, however wide the terminal
MIN_BAR = 6  # a table with shorter bars than this becomes one block per row, where bars can be longer


def fitted(width: int, make: Callable[[int], list[Section]]) -> list[Section]:
    """The sections `make(size)` (bars of `size` characters for the top of the scale) with the longest bars, at
    most MAX_BAR, that show at `width` without a line wrapping: as tables where bars of MIN_BAR fit in one, else as
    one block per row (`output._rows_as_list`). Bar columns are `nowrap`, so a table that fits keeps each bar and
    its figure on one line."""
    def cells(section: Section) -> tuple[list[str], list[list[str]]]:
        return [c.header for c in section.columns], [[row.get(c.key, "") for c in section.columns]
                                                     for row in section.rows]

    for size in range(MAX_BAR, MIN_BAR - 1, -1):
        sections = make(size)
        if all(column_widths(width, s.columns, *cells(s)) is not None for s in sections):
            return sections
    for size in range(MAX_BAR, 1, -1):
        sections = make(size)
        if all(fits_as_blocks(width, *cells(s)) for s in sections):
            return sections
    return make(1)


def bar_cell(value: Decimal | None, size: int, top: float, language: str) -> str:
    """A figure as its bar (`size` characters for `top`) with the figure at its end; – when there is none."""
    if value is None:
        return "–"
    # The bar first, the figure at its end: every bar starts at the column's edge (a cell that starts with
    # spaces would not line up in every SVG renderer: some drop leading spaces).
    return f"{bar(value, size, top)} {number(value, language)}"


# --- prevalentie --grafiek ------------------------------------------------------------------------------


def prevalence_chart_view(result: Prevalence, table: View, reference: Reference, language: str, width: int) -> View:
    """The prevalence table drawn as bars, one column per measure and one row per age band, `width` characters wide.

    Every bar shares one scale (the highest figure fills the longest bar that fits, `fitted`), so bars can be
    compared across measures as well as down the bands. JSON and CSV stay those of `table`.
    """
    measures = list(result.measures)
    rows = list(table.sections[0].rows)
    values = [float(row[m]) for row in rows for m in measures if row.get(m) is not None]
    top = max(values, default=0.0)
    columns = [Column("groep_label", t("age", language))]
    columns += [Column(m, capitalise(reference.measures[m].label(language)), nowrap=True) for m in measures]
    title = table_title("prevalence_chart_title", reference, language)

    def make(size: int) -> list[Section]:
        chart_rows = [{"groep_label": row["groep_label"], **{m: bar_cell(row.get(m), size, top, language)
                                                             for m in measures}} for row in rows]
        notes = [t("chart_scale", language, top=number(Decimal(f"{top:g}"), language), width=size),
                 *table.sections[0].notes]
        return [Section(title, columns, chart_rows, notes=notes)]

    return View(fitted(width, make), data=table.data, csv_fields=table.csv_fields, csv_rows=table.sections[0].rows)
