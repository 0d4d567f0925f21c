"""A population profile as a View: areas, a bar chart by band, observed against expected, focus groups, calibration.

JSON and CSV are `core.contract`'s, with machine numbers (expected people to three decimals, so that an age-only
population reproduces the monitor table exactly); tables and markdown round expected people to one decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.contract import number, population_data, population_fields, population_rows, sources_line, table_title
from ..core.reference.model import Reference
from ..core.population import Focus, PopulationProfile, Totals
from ..core.text import band_labels, t
from .output import Column, Section, View

BAR_WIDTH = 30


def _people(value: Decimal | float, language: str) -> str:
    """Expected people to one decimal; a whole count as a whole number."""
    value = Decimal(value)
    return number(value.quantize(Decimal(1) if value == value.to_integral_value() else Decimal("0.1")), language)


def _pct(value: float | Decimal | None, language: str, digits: str = "0.1") -> str:
    return "–" if value is None else number(Decimal(value).quantize(Decimal(digits)), language)


def population_view(result: PopulationProfile, reference: Reference, language: str, bars: bool = True) -> View:
    """The view; each part is built only when the chosen format shows it (a city of 12,000 areas is a big table).
    Without `bars`, the bar charts of block characters are left out (a page that shows the pictures instead)."""

    def sections() -> list[Section]:
        measures = [m for m in reference.monitor.measures if m in result.total.expected]
        built = [_areas(result, reference, measures, language)]
        if bars:
            built.append(_chart(result, reference, language))
        if bars and len(result.areas) > 1:
            built.append(_area_chart(result, reference, language))
        if result.comparisons:
            built.append(_comparisons(result, reference, language))
        return [*built, _focus(result, reference, language), _calibration(result, reference, language)]

    return View(sections, data=lambda: population_data(result, reference, language),
                csv_fields=population_fields(result, reference),  # one row per area, no total row
                csv_rows=lambda: population_rows(result, language))


def _label(area: str, language: str) -> str:
    return area or t("all_areas", language)


def _area_row(area: str, totals: Totals, language: str) -> dict[str, Any]:
    """An area for people: expected numbers to one decimal, in --taal."""
    row: dict[str, Any] = {"gebied_label": _label(area, language), "inwoners_label": _people(totals.count, language),
                           "buiten_label": _people(totals.outside, language)}
    for m in totals.expected:
        row[f"{m}_label"] = _people(totals.expected[m], language)
    for tier, people in totals.tiers.items():
        row[f"niveau_{tier}_label"] = _people(people, language)
    return row


def _areas(result: PopulationProfile, reference: Reference, measures: list[str], language: str) -> Section:
    rows = [_area_row(area, totals, language) for area, totals in result.areas.items()]
    if len(result.areas) > 1:
        rows.append(_area_row("", result.total, language) | {"gebied_label": t("total_row", language)})
    columns = [Column("gebied_label", t("area", language)), Column("inwoners_label", t("people_in_monitor", language), True),
               Column("buiten_label", t("outside_monitor", language), True)]
    for m in measures:
        label = reference.measures[m].label(language)
        columns.append(Column(f"{m}_label", t("expected_measure", language, measure=label), True))
    columns += [Column(f"niveau_{tier}_label", f"{t('tier', language)} {tier}", True) for tier in (1, 2, 3)]
    total = result.total
    intro = [t("population_intro", language, rows=result.segments, distinct=result.distinct,
               people=_people(total.count, language), areas=len(result.areas))]
    if total.outside:
        intro.append(t("population_outside", language, people=_people(total.outside, language),
                       low=reference.monitor.min_age))
    if result.redistributed:
        intro.append(t("population_redistributed", language, rows=result.redistributed))
    notes = [t("population_method", language, measure=reference.measures[result.measure].label(language)),
             t("population_tiers", language), t("caption_population", language),
             sources_line(reference, [reference.monitor.bands[0].source], language)]
    return Section(table_title("population_title", reference, language), columns, rows, intro=intro, notes=notes)


def _bar(value: Decimal, top: Decimal) -> str:
    if top <= 0:
        return ""
    cells = float(value / top) * BAR_WIDTH
    whole = int(cells)
    return "█" * whole + ("▌" if cells - whole >= 0.5 else "")


def _chart(result: PopulationProfile, reference: Reference, language: str) -> Section:
    measure = result.measure
    top = max((b.expected[measure] for b in result.bands.values()), default=Decimal(0))
    names = band_labels(reference.monitor.bands, language)
    rows = [{"band": names.get(band, band), "inwoners": _people(totals.count, language),
             "verwacht": _people(totals.expected[measure], language), "balk": _bar(totals.expected[measure], top)}
            for band, totals in result.bands.items()]
    label = reference.measures[measure].label(language)
    return Section(t("chart_by_band", language, measure=label),
                   [Column("band", t("age", language)), Column("inwoners", t("people_in_monitor", language), True),
                    Column("verwacht", t("expected_measure", language, measure=label), True), Column("balk", "")], rows)


def _area_chart(result: PopulationProfile, reference: Reference, language: str) -> Section:
    measure = result.measure
    top = max((a.expected[measure] for a in result.areas.values()), default=Decimal(0))
    rows = [{"gebied": _label(area, language), "verwacht": _people(totals.expected[measure], language),
             "balk": _bar(totals.expected[measure], top)} for area, totals in result.areas.items()]
    label = reference.measures[measure].label(language)
    return Section(t("chart_by_area", language, measure=label),
                   [Column("gebied", t("area", language)), Column("verwacht", t("expected_measure", language, measure=label), True),
                    Column("balk", "")], rows)


def _comparisons(result: PopulationProfile, reference: Reference, language: str) -> Section:
    rows = []
    for c in result.comparisons:
        rows.append({
            "gebied": _label(c.area, language), "respondenten": c.respondents, "waargenomen": c.observed,
            "aandeel": f"{_pct(c.proportion * 100, language)}% ({_pct(c.interval.lower * 100, language)}–"
                       f"{_pct(c.interval.upper * 100, language)})",
            "verwacht": _people(Decimal(c.expected), language),
            "ratio": f"{_pct(c.ratio.value, language, '0.01')} ({_pct(c.ratio.lower, language, '0.01')}–"
                     f"{_pct(c.ratio.upper, language, '0.01')})",
            "methode": t(f"method_{c.ratio.method}", language), "oordeel": t(f"short_{c.verdict}", language),
        })
    label = reference.measures[result.measure].label(language)
    columns = [Column("gebied", t("area", language)), Column("respondenten", t("respondents", language), True),
               Column("waargenomen", t("observed", language, measure=label), True),
               Column("aandeel", t("observed_share", language), True),
               Column("verwacht", t("expected_from_age", language), True),
               Column("ratio", t("isr", language), True), Column("methode", t("interval_method", language)),
               Column("oordeel", t("verdict", language))]
    notes = [*(f"{t(f'short_{v}', language)}: {t(f'verdict_{v}', language)}" for v in ("hoger", "lager", "niet_te_onderscheiden")),
             t("comparison_note", language), t("poisson_note", language)]
    return Section(t("comparison_title", language, measure=label), columns, rows, notes=notes)


def _focus_rows(focus: tuple[Focus, ...], reference: Reference, language: str) -> list[dict[str, Any]]:
    rows = []
    names = band_labels(reference.monitor.bands, language)
    for f in focus:
        keys = ", ".join(_item_label(k, v, reference, language) for k, v in f.items) or "–"
        rows.append({"rij": f.row.rpartition("/")[2], "gebied": _label(f.area, language), "band": names.get(f.band, f.band),
                     "kenmerken": keys,
                     "inwoners": _people(f.count, language), "verwacht": _people(f.expected, language),
                     "boven": f"{'+' if f.excess > 0 else ''}{_pct(f.excess, language)}"})
    return rows


def _item_label(key: str, value: str, reference: Reference, language: str) -> str:
    factor = reference.factors.get(key)
    if factor is None:
        return f"{key}={value}"
    level = factor.level(value)
    return f"{factor.label(language).lower()}: {level.label(language) if level is not None and level.label else value}"


def _focus(result: PopulationProfile, reference: Reference, language: str) -> Section:
    label = reference.measures[result.measure].label(language)
    columns = [Column("gebied", t("area", language)), Column("band", t("age", language)),
               Column("kenmerken", t("characteristics", language)), Column("inwoners", t("people_in_monitor", language), True),
               Column("verwacht", t("expected_measure", language, measure=label), True),
               Column("boven", t("excess", language), True), Column("rij", t("row", language), nowrap=True)]
    most = _focus_rows(result.focus_expected, reference, language)
    excess = _focus_rows(result.focus_excess, reference, language)
    marker = {"gebied": "", "band": "", "kenmerken": t("focus_excess", language), "inwoners": "", "verwacht": "",
              "boven": "", "rij": ""}
    rows = most + ([marker] + excess if excess else [])
    return Section(t("focus_title", language), columns, rows, intro=[t("focus_intro", language)])


def _calibration(result: PopulationProfile, reference: Reference, language: str) -> Section:
    split = sorted(result.calibration, key=lambda c: -abs(c.deviation))
    lines = []
    if result.age_only_cells:
        lines.append(t("calibration_age_only", language, cells=result.age_only_cells,
                       worst=_pct(result.age_only_worst, language, "0.001")))
    if split:
        lines.append(t("calibration_split", language, cells=len(split)))
    names = band_labels(reference.monitor.bands, language)
    rows = [{"gebied": _label(c.area, language), "band": names.get(c.band, c.band), "inwoners": _people(c.count, language),
             "bandcijfer": _pct(c.band_figure, language), "berekend": _pct(c.computed, language, "0.01"),
             "afwijking": f"{'+' if c.deviation > 0 else ''}{_pct(c.deviation, language, '0.01')}",
             "intercept": f"{'+' if c.intercept > 0 else ''}{_pct(c.intercept, language, '0.0001')}"} for c in split[:10]]
    columns = [Column("gebied", t("area", language)), Column("band", t("age", language)),
               Column("inwoners", t("people_in_monitor", language), True), Column("bandcijfer", t("band_figure", language), True),
               Column("berekend", t("computed_figure", language), True), Column("afwijking", t("deviation_pp", language), True),
               Column("intercept", t("intercept", language), True)]
    return Section(t("calibration_title", language), columns if rows else (), rows, intro=lines,
                   notes=[t("calibration_note", language)] if split else [])
