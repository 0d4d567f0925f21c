"""Horizontal bars drawn with block characters, and the prevalence table as a bar chart (Afbeelding 3).

A bar is text, so it goes through every renderer like any other cell: a Rich table on a
terminal, the SVG and HTML pictures of `output.export`, and markdown. Eighth blocks give a
bar of 25 characters a resolution of half a percentage point on a 0-100% scale.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.contract import capitalise, number, table_title
from ..core.prevalence import Prevalence
from ..core.reference.model import Reference
from ..core.text import t
from .output import Column, Section, View

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


# --- prevalentie --grafiek ------------------------------------------------------------------------------

CHART_WIDTH = 18  # characters for the highest figure of the chart


def prevalence_chart_view(result: Prevalence, table: View, reference: Reference, language: str) -> View:
    """The prevalence table drawn as bars, one column per measure and one row per age band.

    Every bar shares one scale (the highest figure fills `CHART_WIDTH` characters), so bars can be
    compared across measures as well as down the bands. JSON and CSV stay those of `table`.
    """
    measures = list(result.measures)
    rows = [row for row in table.sections[0].rows]
    values = [float(row[m]) for row in rows for m in measures if row.get(m) is not None]
    top = max(values, default=0.0)
    chart_rows = []
    for row in rows:
        cells = {m: _bar_cell(row.get(m), top, language) for m in measures}
        chart_rows.append({"groep_label": row["groep_label"], **cells})
    columns = [Column("groep_label", t("age", language))]
    columns += [Column(m, capitalise(reference.measures[m].label(language))) for m in measures]
    notes = [t("chart_scale", language, top=number(Decimal(f"{top:g}"), language), width=CHART_WIDTH),
             *table.sections[0].notes]
    section = Section(table_title("prevalence_chart_title", reference, language), columns, chart_rows, notes=notes)
    return View([section], data=table.data, csv_fields=table.csv_fields, csv_rows=table.sections[0].rows)


def _bar_cell(value: Decimal | None, top: float, language: str) -> str:
    if value is None:
        return "–"
    # The bar first, the figure at its end: every bar starts at the column's edge (a cell that starts with
    # spaces would not line up in every SVG renderer: some drop leading spaces).
    return f"{bar(value, CHART_WIDTH, top)} {number(value, language)}"
