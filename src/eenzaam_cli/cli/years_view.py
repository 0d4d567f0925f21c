"""`eenzaam prevalentie --vergelijk A B`: two monitor tables side by side, with the differences per band; with
--grafiek as bars, the two years of a band one above the other.

One row per age band (matched by its ages) and the whole-population row where a table has one; per
measure the figure of each year and the difference (the second year minus the first, in percentage
points). JSON and CSV carry the same flat rows with machine numbers: `eenzaam_2016`, `eenzaam_2022`,
`eenzaam_verschil`, …; a figure a table does not give, and so its difference, is null (empty in CSV).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.contract import capitalise, comparison_fields, comparison_rows, monitor_label, number, sources_line
from ..core.reference.model import Reference
from ..core.reference.years import BandPair, YearComparison
from ..core.text import band_label, t
from .output import Column, Section, View


def comparison_chart_view(result: YearComparison, table: View, reference: Reference, language: str,
                          width: int) -> View:
    """`--vergelijk A B --grafiek`: per measure a chart of `width` characters, per band the bars of both years one
    above the other on one scale, and the difference. JSON and CSV stay those of `table` (`comparison_view`)."""
    from .bars import bar_cell, fitted

    first, second = result.years
    values = [float(v) for pair in result.rows for band in (pair.first, pair.second) if band is not None
              for m in result.measures if (v := band.values.get(m)) is not None]
    top = max(values, default=0.0)
    years = f"{first}\n{second}"

    def make(size: int) -> list[Section]:
        scale = t("chart_scale_years", language, top=number(Decimal(f"{top:g}"), language), width=size)
        sections = []
        for index, (measure, section) in enumerate(zip(result.measures, table.sections)):
            columns = [Column("groep_label", t("age", language), nowrap=True), Column("jaar", t("year", language)),
                       Column("balk", _label(reference, measure, language), nowrap=True),
                       Column("verschil", t("difference_pp", language), numeric=True)]
            rows = [{"groep_label": row["groep_label"], "jaar": years, "verschil": row[f"{measure}_verschil_label"],
                     "balk": "\n".join(bar_cell(row[f"{measure}_{year}"], size, top, language) for year in (first, second))}
                    for row in section.rows]
            last = index == len(result.measures) - 1
            sections.append(Section(section.title, columns, rows, notes=[scale, *section.notes] if last else ()))
        return sections

    return View(fitted(width, make), data=table.data, csv_fields=table.csv_fields, csv_rows=table.csv_rows)


def signed(value: Decimal | None, language: str) -> str:
    """+1,4 / −2,0 / 0,0: a difference with its sign; – when there is none."""
    if value is None:
        return "–"
    text = number(abs(value), language)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def comparison_view(result: YearComparison, reference: Reference, language: str) -> View:
    """One small table per measure (age, the two years, the difference); JSON and CSV: one flat row per band."""
    first, second = result.years
    data = comparison_rows(result)
    rows = [_row(row, pair, result, language) for row, pair in zip(data, result.rows)]
    notes = [t("difference_note", language, first=first, second=second)]
    if result.unmatched:
        notes.append(t("bands_differ", language, first=first, second=second, bands=", ".join(result.unmatched)))
    keys = [band.source for table in result.tables for band in (*table.bands, *((table.total,) if table.total else ()))]
    if len(set(keys)) > 1:
        notes.append(t("different_sources", language, sources=", ".join(dict.fromkeys(keys))))
    notes.append(sources_line(reference, keys, language))
    sections = []
    for index, measure in enumerate(result.measures):
        columns = [Column("groep_label", t("age", language)),
                   Column(f"{measure}_{first}", str(first), numeric=True),
                   Column(f"{measure}_{second}", str(second), numeric=True),
                   Column(f"{measure}_verschil_label", t("difference_pp", language), numeric=True)]
        title = t("years_title", language, measure=_label(reference, measure, language),
                  first=monitor_label(result.tables[0], language), second=monitor_label(result.tables[1], language))
        sections.append(Section(title, columns, rows, notes=notes if index == len(result.measures) - 1 else ()))
    return View(sections, data=data, csv_fields=comparison_fields(result), csv_rows=data)


def _row(row: dict[str, Any], pair: BandPair, result: YearComparison, language: str) -> dict[str, Any]:
    """A row of the contract with its labels for people."""
    labels = {f"{measure}_verschil_label": signed(pair.difference.get(measure), language) for measure in result.measures}
    return row | labels | {"groep_label": t("whole_table", language) if pair.total else band_label(pair, language)}


def _label(reference: Reference, measure: str, language: str) -> str:
    return capitalise(reference.measures[measure].label(language) if measure in reference.measures else measure)
