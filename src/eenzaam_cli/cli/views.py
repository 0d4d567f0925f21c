"""Turn core results into Views: titles, columns and rows in the user's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.contract import (capitalise, figure_words, level_sources, monitor_label, number, prevalence_fields,
                             prevalence_rows, source_text, sources_line, table_title)
from ..core.reference.model import Factor, Figure, Intervention, Reference, Source, to_data
from ..core.prevalence import Prevalence
from ..core.text import band_label, t
from .output import Column, Section, View


def printed(value: Decimal, text: str | None, language: str, approximation: str | None = None) -> str:
    """A figure's number, with the source's own words where they say more ("60% (bron: 'Ruim 60%')")."""
    return figure_words(value, text, None, language, approximation)


def figure_text(figure: Figure, reference: Reference, language: str) -> str:
    """"60% eenzaam (bron: 'Ruim 60%') (gescheiden mensen en weduwen of weduwnaars)"""
    measure = reference.measures[figure.measure].label(language)
    return f"{figure_words(figure.value, figure.text, measure, language, figure.approximation)} ({figure.group(language)})"


def comparison_text(figure: Figure, language: str) -> str | None:
    if figure.compared_with is None:
        return None
    other = figure.compared_with
    return t("vs", language, value=printed(other.value, other.text, language), group=other.group(language))


# --- prevalentie ---------------------------------------------------------------------------


def prevalence_view(result: Prevalence, reference: Reference, language: str) -> View:
    columns = [Column("groep_label", t("age", language))]
    columns += [Column(m, capitalise(reference.measures[m].label(language)), numeric=True) for m in result.measures]
    data = prevalence_rows(result)
    monitor = reference.monitor
    whole = t("area_all_ages", language, area=monitor.area) if result.total and monitor.area else t("all_ages", language)
    notes: list[str] = []
    total = result.total
    keys = [band.source for band in result.bands]
    if total is not None:  # a (local) monitor file's own whole-population row
        keys.append(total.source)
        if len(result.bands) == 1:
            given = [f"{number(total.values[m], language)}% {reference.measures[m].label(language)}"
                     for m in result.measures if total.values.get(m) is not None]
            if given:
                notes.append(f"{whole}: {', '.join(given)}.")
    elif result.population:
        figures = result.population
        keys += [figure.source for figure in figures.values()]
        years = sorted({f.year for f in figures.values() if f.year is not None})
        other = years != [monitor.year]  # maten.yaml's figures, not of the table in use: they say their year
        if other:
            whole += f" ({', '.join(map(str, years)) or t('no_year', language)})"
        notes.append(f"{whole}: " + ", ".join(
            f"{figure_words(f.value, f.text, reference.measures[m].label(language), language)} [{f.source}"
            + (f", {f.year or t('no_year', language)}]" if other else "]") for m, f in figures.items()) + "."
            + (" " + t("population_not_table", language, table=monitor_label(monitor, language)) if other else ""))
    rows = [row | {"groep_label": band_label(result.bands[index], language) if index < len(result.bands) else whole}
            for index, row in enumerate(data)]  # after the bands: the whole population
    others = [str(monitor.year) for monitor in reference.other_monitors]
    if others:  # several monitor tables (--data): say which one this is
        notes.append(t("monitor_year_line", language, year=reference.monitor.year, others=", ".join(others)))
    notes.append(sources_line(reference, keys, language))
    return View([Section(table_title("prevalence_title", reference, language), columns, rows, notes=notes)], data=data,
                csv_fields=prevalence_fields(result))


# --- factoren -----------------------------------------------------------------------------------


_FIGURE_FIELDS = ["factor", "niveau", "richting", "waarde", "tekst", "maat", "groep",
                  "vergeleken_waarde", "vergeleken_groep", "bron", "jaar", "paragraaf"]


def _figure_rows(factor: Factor, reference: Reference, language: str) -> list[dict[str, Any]]:
    """One row per figure; a level without figures gets one row of its own."""
    rows = []
    for level in factor.levels:
        label = level.label(language) if level.label else t(level.value, language)
        for figure in level.figures or (None,):
            row: dict[str, Any] = {
                "factor": factor.id, "factor_label": factor.label(language), "niveau": level.value,
                "niveau_label": label, "richting": level.direction,
                "richting_label": t(level.direction, language) + _condition_text(level.condition, language),
            }
            if figure is not None:
                compared = figure.compared_with
                row |= {
                    "waarde": figure.value, "tekst": figure.text, "maat": figure.measure, "groep": figure.group(language),
                    "cijfer": figure_text(figure, reference, language), "vergelijking": comparison_text(figure, language),
                    "vergeleken_waarde": compared.value if compared else None,
                    "vergeleken_groep": compared.group(language) if compared else None,
                    "bron": figure.source, "jaar": figure.year, "paragraaf": figure.paragraph,
                    "bron_label": f"{figure.source}" + (f" ({figure.year})" if figure.year else ""),
                }
            else:
                sources = ", ".join(level_sources(factor, level))
                row |= {"bron": sources, "bron_label": sources, "paragraaf": factor.paragraph}
            rows.append(row)
    return rows


def _condition_text(condition: Any, language: str) -> str:
    """' (vanaf 65 jaar)' for a level whose direction holds only at some ages."""
    if condition is None:
        return ""
    low, high = condition.min_age, condition.max_age
    if high is None:
        return t("from_age", language, age=low)
    return t("age_range", language, low=low or 0, high=high)


def _figure_columns(language: str, with_factor: bool) -> list[Column]:
    columns = [Column("factor_label", t("factor", language), grouped=True)] if with_factor else []
    return columns + [
        Column("niveau_label", t("level", language)),
        Column("richting_label", t("direction", language)),
        Column("cijfer", t("figure", language)),
        Column("vergelijking", t("compared_with", language)),
        Column("bron_label", t("source", language)),
    ]


def factors_view(factors: list[Factor], reference: Reference, language: str) -> View:
    rows = []
    for factor in factors:
        rows += _figure_rows(factor, reference, language)
    notes = [t("source_line", language, source="bronnen.yaml", id="ID")]
    return View([Section(t("factors", language), _figure_columns(language, True), rows, notes=notes)],
                data=[to_data(f) for f in factors], csv_fields=_FIGURE_FIELDS)


def factor_view(factor: Factor, reference: Reference, language: str) -> View:
    intro = [
        f"{t('category', language)}: {t(factor.category, language)}"
        + (f" · {t('theme', language)}: {factor.theme(language)}" if factor.theme else ""),
        factor.explanation(language),
        f"{t('paragraph', language)} {factor.paragraph} · {sources_line(reference, factor.sources, language)}",
    ]
    rows = _figure_rows(factor, reference, language)
    notes = []
    for level in factor.levels:
        if level.explanation:
            notes.append(f"{level.label(language) if level.label else level.value}: {level.explanation(language)}")
        notes += [f"{figure.text} — {figure.note(language)}" for figure in level.figures if figure.note]
    notes = list(dict.fromkeys(notes))  # a figure shared by two levels has one note
    section = Section(f"{factor.label(language)} ({factor.id})", _figure_columns(language, False), rows, intro, notes)
    return View([section], data=to_data(factor), csv_fields=_FIGURE_FIELDS)


# --- bronnen ---------------------------------------------------------------------------------------


def sources_view(sources: list[Source], language: str) -> View:
    columns = [Column("id", "ID", nowrap=True), Column("auteurs", t("authors", language)),
               Column("jaar", t("year", language)), Column("titel", t("title", language)),
               Column("vermeld_in_label", t("cited_in", language))]
    rows = [to_data(source) | {"jaar": source.year, "buiten_brontekst": not source.cited_in,
                               "vermeld_in_label": ", ".join(source.cited_in) or t("outside_source", language, url=source.url)}
            for source in sources]
    notes = [f"{s.id}: {s.note(language)}" for s in sources if s.note]
    return View([Section(t("sources", language), columns, rows, notes=notes)],
                data=[{k: row[k] for k in (*_SOURCE_FIELDS, "notitie") if k in row} for row in rows],
                csv_fields=_SOURCE_FIELDS)


_SOURCE_FIELDS = ["id", "auteurs", "jaar", "titel", "vermeld_in", "buiten_brontekst", "url"]


def source_view(source: Source, places: list[str], language: str) -> View:
    """One source in full, with every place in the data that cites it."""
    intro = [f"{source_text(source, language)}",
             f"{t('cited_in', language)}: {', '.join(source.cited_in) or t('outside_source', language, url=source.url)}"]
    if source.note:
        intro.append(source.note(language))
    rows = [{"plaats": place} for place in places]
    return View([Section(f"{t('source', language)} {source.id}", [Column("plaats", t("used_by", language), nowrap=True)],
                         rows, intro)],
                data=to_data(source) | {"buiten_brontekst": not source.cited_in, "gebruikt_door": places},
                csv_fields=["plaats"])


def citations(reference: Reference, key: str) -> list[str]:
    """Every place in the reference data that cites source `key`."""
    places = [*_monitor_citations(reference, key), *_factor_citations(reference, key)]
    places += [f"interventie:{i.id}" for i in reference.interventions.values() if key in i.sources]
    places += [f"levensfase:{s.id}" for s in reference.life_stages.values() if s.source == key]
    places += [*_tier_citations(reference, key), *_djg_citations(reference, key)]
    places += [f"voorbeeld:{e.id}" for e in reference.examples.values() if key in e.sources]
    return list(dict.fromkeys(places))


def _monitor_citations(reference: Reference, key: str) -> list[str]:
    """The bands of every monitor table (the one in use as `monitor:`, the others with their year) and the measures'
    population figures that cite `key`."""
    places = []
    for monitor in (reference.monitor, *reference.other_monitors):
        prefix = "monitor" if monitor is reference.monitor else f"monitor {monitor.year}"
        bands = (*monitor.bands, *([monitor.total] if monitor.total else []))
        places += [f"{prefix}:{band.label}" for band in bands if band.source == key]
    places += [f"bevolking:{m.id}:{m.population.text}" for m in reference.measures.values()
               if m.population is not None and m.population.source == key]
    return places


def _factor_citations(reference: Reference, key: str) -> list[str]:
    """The factors, their levels, their levels' figures and the overlaps that cite `key`."""
    places: list[str] = []
    for factor in reference.factors.values():
        if key in factor.sources:
            places.append(f"factor:{factor.id}")
        for level in factor.levels:
            if level.source == key:
                places.append(f"niveau:{factor.id}={level.value}")
            places += [f"cijfer:{factor.id}={level.value}:{f.text}" for f in level.figures if f.source == key]
    places += [f"overlap:{o.id}" for o in reference.overlaps if o.source == key]
    return places


def _tier_citations(reference: Reference, key: str) -> list[str]:
    """The tiers, their rules, the prevention model and the signals that cite `key`."""
    tiers = reference.tiers
    places = [f"niveau:{tier.id}" for tier in tiers.tiers if tier.source == key]
    places += [f"niveauregel:{rule.tier}:{rule.indicator or rule.condition}" for rule in tiers.rules
               if rule.source == key]
    places += ["preventiemodel"] if tiers.model.source == key else []
    places += ["signalen"] if reference.signals.source == key else []
    return places


def _djg_citations(reference: Reference, key: str) -> list[str]:
    """The De Jong Gierveld scales, their indicators and the codings that cite `key`."""
    djg = reference.djg
    places: list[str] = []
    for scale in djg.scales:
        if key in (scale.source, scale.categories_source, scale.missing.source):
            places.append(f"djg:{scale.id}")
        places += [f"djg:{scale.id}:indicator:{i.id}" for i in scale.indicators if i.source == key]
    places += [f"djg:codering:{c.id}" for c in djg.codings if c.source == key]
    return places


# --- niveaus, signalen, interventies -------------------------------------------------------------------


def tiers_view(reference: Reference, language: str) -> View:
    tiers = reference.tiers
    tier_rows = [{"nummer": tier.number, "naam": tier.name(language), "doelgroep": tier.target_group(language),
                  "focus": t(tier.focus, language), "doel": tier.aim(language)} for tier in tiers.tiers]
    rule_rows = [{"niveau": rule.tier, "als": rule.condition + (f" ({rule.indicator})" if rule.indicator else ""),
                  "reden": rule.reason(language) + (f"\n{rule.grounds(language)}" if rule.grounds else "")}
                 for rule in tiers.rules]
    model = tiers.model
    phase_rows = [{"fase": phase.number, "naam": phase.name(language),
                   "onderdelen": "\n".join(f"- {part(language)}" for part in phase.parts)} for phase in model.phases]
    sources = sources_line(reference, [tier.source for tier in tiers.tiers], language)
    return View([
        Section(t("tiers", language), [Column("nummer", "#", True), Column("naam", t("name", language)),
                                        Column("doelgroep", t("target_group", language)), Column("focus", t("focus", language)),
                                        Column("doel", t("aim", language))], tier_rows, notes=[sources]),
        Section(t("rules", language), [Column("niveau", t("tier", language), True), Column("als", t("condition", language)),
                                        Column("reden", t("reason", language))], rule_rows),
        Section(model.name(language), [Column("fase", t("phase", language), True), Column("naam", t("name", language)),
                                        Column("onderdelen", t("parts", language))], phase_rows,
                intro=[model.for_whom(language)],
                notes=[f"{t('paragraph', language)} {model.paragraph} · {sources_line(reference, [model.source], language)}"]),
    ], data=to_data(tiers), csv_fields=["nummer", "naam", "doelgroep", "focus", "doel"])


def signals_view(reference: Reference, categories: list[Any], language: str) -> View:
    signals = reference.signals
    rows = [{"categorie": category.id, "categorie_label": category.label(language), "id": signal.id, "signaal": signal.label(language)}
            for category in categories for signal in category.signals]
    data = [{"categorie": row["categorie"], "id": row["id"], "label": to_data(s.label)}
            for row, s in zip(rows, (s for c in categories for s in c.signals))]
    notes = [signals.advice(language), sources_line(reference, [signals.source], language)]
    columns = [Column("categorie_label", t("category", language)), Column("id", "ID"), Column("signaal", t("signal", language))]
    return View([Section(t("signals", language), columns, rows, notes=notes)], data=data,
                csv_fields=["categorie", "id", "signaal"])


def interventions_view(interventions: list[Intervention], reference: Reference, language: str) -> View:
    rows = []
    for item in interventions:
        stages = [reference.life_stages[s].label(language) for s in item.life_stages]
        rows.append({
            "id": item.id, "naam": item.name(language), "beschrijving": item.description(language),
            "niveaus": list(item.tiers), "levensfasen": list(item.life_stages) or [],
            "levensfasen_label": ", ".join(stages) or ("alle" if language == "nl" else "all"),
            "risicogroepen": list(item.risk_groups), "bron": list(item.sources), "paragraaf": item.paragraph,
        })
    columns = [Column("naam", t("intervention", language)), Column("niveaus", t("tier", language)),
               Column("levensfasen_label", t("life_stages", language)), Column("risicogroepen", t("risk_groups", language)),
               Column("beschrijving", t("explanation", language)), Column("paragraaf", "§")]
    notes = [t("source_line", language, source="bronnen.yaml", id="ID")]
    return View([Section(t("interventions", language), columns, rows, notes=notes)],
                data=[to_data(i) for i in interventions],
                csv_fields=["id", "naam", "niveaus", "levensfasen", "risicogroepen", "bron", "paragraaf"])
