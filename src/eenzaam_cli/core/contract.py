"""The result contract: core results as the plain data that JSON, CSV, the Python API and the reports share.

Every Dutch key of the documented JSON (schema/*.schema.json) and of the CSV columns is written here, once:
`profile_data` is what `eenzaam profiel -f json` prints and `profile_rows` its CSV rows, `population_data` and
`population_rows` those of `populatie`, and so on. Values stay machine values (Decimal, int, bool, None, ids);
`to_json` writes them. The command line builds its tables for people around this data, the Python API returns
it as it is, and the batch report's markdown, HTML and workbook are made from `report_data`.

Labels and explanations come from `text.t` in the language asked for. Imports neither typer nor rich, and the
engines only where a function needs one of their names, so a command that shows none of these results pays
nothing for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .text import band_label, band_labels, t

if TYPE_CHECKING:
    from .batch import Share, Tally
    from .djg import DjgScore
    from .reference.model import Factor, Figure, Level, Reference, Scale, Source
    from .population import Calibration, Comparison, Focus, PopulationProfile, Totals
    from .prevalence import Prevalence
    from .profile import Finding, Profile, Stack
    from .trainer import Demonstration
    from .reference.years import YearComparison


# --- numbers and JSON -------------------------------------------------------------------------------


def number(value: Decimal | int | None, language: str) -> str:
    """A figure as printed: its own digits, with a decimal comma in Dutch."""
    if value is None:
        return "–"
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",") if language == "nl" else text


def figure_words(value: Decimal, text: str | None, measure: str | None, language: str,
                 approximation: str | None = None) -> str:
    """A figure worded one way, wherever it is shown: the number with its measure ('52,5% eenzaam'; None: the
    number alone), and the source's own words where they say more than the number ("60% eenzaam (bron: 'Ruim
    60%')"; '55 procent' is just '55%'). In English the source's hedge is translated ("60% lonely (source: 'over
    60%')"); its other words are Dutch and stay out. `text` is the figure as the source prints it (None: a figure
    of a table, such as the monitor's)."""
    plain = f"{number(value, language)}%"
    words = f"{plain} {measure}" if measure else plain
    if language != "nl":
        own = f"{t(approximation, language)} {plain}" if approximation else None
    elif text is None or _bare(text) == _bare(plain):
        own = None
    else:
        own = text
    return words if own is None else f"{words} {t('source_words', language, text=own)}"


def _bare(text: str) -> str:
    return text.lower().replace("procent", "%").replace(" ", "").replace("\xa0", "")


def cell(value: Any, language: str) -> str:
    """A value in a table for people: numbers in `language`, lists joined, None as –."""
    if value is None:
        return "–"
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return number(value, language)
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(item, language) for item in value)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        whole = value.is_finite() and value == value.to_integral_value() and value.as_tuple().exponent >= 0
        return int(value) if whole else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    """JSON text; NaN or infinity anywhere in `data` is a ValueError (a bug), never the invalid JSON `NaN`."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default, allow_nan=False)


def capitalise(label: str) -> str:
    """'(zeer) ernstig eenzaam' -> '(Zeer) ernstig eenzaam', as the source's table heads it."""
    index = next((i for i, char in enumerate(label) if char.isalpha()), 0)
    return label[:index] + label[index:index + 1].upper() + label[index + 1:]


# --- sources ----------------------------------------------------------------------------------------


def source_text(source: Source, language: str) -> str:
    """'GGD-en, CBS en RIVM (2016). Gezondheidsmonitor Volwassenen'"""
    text = source.authors or "–"
    if source.year:
        text += f" ({source.year})"
    if source.title:
        text += f". {source.title}"
    return text


def level_sources(factor: Factor, level: Level) -> tuple[str, ...]:
    """What a level cites where none of its figures applies: its own source, else the factor's."""
    return (level.source,) if level.source else factor.sources


def sources_line(reference: Reference, keys: Iterable[str], language: str) -> str:
    keys = list(dict.fromkeys(keys))
    cited = "; ".join(f"{source_text(reference.sources[k], language)} [{k}]" for k in keys)
    return t("source_line", language, source=cited, id=keys[0] if keys else "")


# --- De Jong Gierveld ---------------------------------------------------------------------------------

DJG_PREFIX = "djg_"


def score_data(score: DjgScore) -> dict[str, Any]:
    """The score as a flat record; the same keys are the added columns of a scored file (`score_columns`)."""
    return {
        f"{DJG_PREFIX}schaal": score.scale.id,
        f"{DJG_PREFIX}totaal": score.total,
        **{f"{DJG_PREFIX}{sub}": value for sub, value in score.subscales.items()},
        f"{DJG_PREFIX}categorie": score.category.id if score.category else None,
        **{f"{DJG_PREFIX}indicator_{key}": value for key, value in score.indicators.items()},
        f"{DJG_PREFIX}ontbrekend": len(score.missing),
        f"{DJG_PREFIX}volledig": score.complete,
        f"{DJG_PREFIX}reden": score.reason,
    }


def score_columns(scale: Scale) -> list[str]:
    """The keys of `score_data` for a scale, in order: the columns `djg --invoer` adds to a file."""
    return [f"{DJG_PREFIX}schaal", f"{DJG_PREFIX}totaal", *(f"{DJG_PREFIX}{s.id}" for s in scale.subscales),
            f"{DJG_PREFIX}categorie", *(f"{DJG_PREFIX}indicator_{i.id}" for i in scale.indicators),
            f"{DJG_PREFIX}ontbrekend", f"{DJG_PREFIX}volledig", f"{DJG_PREFIX}reden"]


def djg_data(score: DjgScore) -> dict[str, Any]:
    """`eenzaam djg -f json`: the score and the answers it read."""
    return score_data(score) | {"antwoorden": dict(zip((f"djg_{i}" for i in score.scale.items), score.answers))}


def score_rows(score: DjgScore, language: str) -> list[dict[str, Any]]:
    """`eenzaam djg -f csv`: the total and each subscale with its range."""
    scale = score.scale
    rows = [{"score": t("total", language).capitalize(), "waarde": score.total, "bereik": f"0–{len(scale.items)}"}]
    rows += [{"score": sub.label(language).capitalize(), "waarde": score.subscales[sub.id], "bereik": f"0–{len(sub.items)}"}
             for sub in scale.subscales]
    return rows


SCORE_FIELDS = ["score", "waarde", "bereik"]


# --- a profile ------------------------------------------------------------------------------------------

PROFILE_FIELDS = ["factor", "niveau", "richting", "waarde", "maat", "vergeleken_waarde", "grondslag", "gestapeld",
                  "bron", "jaar", "duiding"]


def finding_rows(finding: Finding, language: str) -> list[dict[str, Any]]:
    """The CSV rows of a factor the person has: one per figure that applies, or one without a figure."""
    base = {"factor": finding.factor.id, "niveau": finding.level.value, "richting": finding.direction,
            "duiding": t("caption", language)}
    if not finding.figures:
        return [base | {"bron": ", ".join(level_sources(finding.factor, finding.level))}]
    return [base | {
        "waarde": use.figure.value, "maat": use.figure.measure,
        "vergeleken_waarde": use.figure.compared_with.value if use.figure.compared_with else None,
        "grondslag": use.figure.footing, "gestapeld": "ja" if use.stacked else "nee",
        "bron": use.figure.source, "jaar": use.figure.year,
    } for use in finding.figures]


def profile_rows(profile: Profile, language: str) -> list[dict[str, Any]]:
    """`eenzaam profiel -f csv`: one row per figure that applies (`PROFILE_FIELDS`)."""
    return [row for finding in profile.findings for row in finding_rows(finding, language)]


def cited(finding: Finding) -> list[str]:
    """The sources a finding's rows cite: those of its figures that apply, else the level's own."""
    return list(dict.fromkeys(u.figure.source for u in finding.figures)) if finding.figures \
        else list(level_sources(finding.factor, finding.level))


def _figure_data(figure: Figure, language: str) -> dict[str, Any]:
    compared = figure.compared_with
    return {
        "waarde": figure.value, "tekst": figure.text, "benadering": figure.approximation, "maat": figure.measure,
        "groep": figure.group(language),
        "vergeleken_met": None if compared is None else {"waarde": compared.value, "tekst": compared.text,
                                                          "groep": compared.group(language)},
        "grondslag": figure.footing,
        "bron": figure.source, "jaar": figure.year, "paragraaf": figure.paragraph,
    }


def profile_data(profile: Profile, reference: Reference, language: str) -> dict[str, Any]:
    """`eenzaam profiel -f json` (schema/profiel.schema.json)."""
    person = profile.person
    band = profile.band
    return {
        "persoon": {"leeftijd": person.age, "factoren": dict(person.factors), "aantallen": dict(person.counts),
                    "eenzaam": person.lonely, "signalen": list(person.signals)},
        "djg": None if person.djg is None else score_data(person.djg),
        "leeftijdsband": None if band is None else {
            "groep": band.label, "leeftijd_van": band.min_age, "leeftijd_tot": band.max_age,
            "waarden": dict(band.values), "bron": band.source, "jaar": band.year},
        "levensfasen": [stage.id for stage in profile.life_stages],
        "groepscijfers": [{"factor": g.factor, "niveau": g.level, "maat": g.measure, "waarde": g.value,
                           "tekst": g.figure.text if g.figure else None,
                           "groep": g.figure.group(language) if g.figure else g.level, "bron": g.source, "jaar": g.year}
                          for g in profile.group_figures()],
        "factoren": [{
            "factor": f.factor.id, "label": f.factor.label(language), "categorie": f.factor.category,
            "niveau": f.level.value, "aantal": f.count, "richting": f.direction, "bron": cited(f),
            "cijfers": [_figure_data(u.figure, language) | {"niveau": u.level, "gestapeld": u.stacked,
                                                           "reden_niet_gestapeld": u.reason, "overlap": u.overlap,
                                                           "aandeel": round(u.share, 4)}
                        for u in f.figures],
        } for f in profile.findings],
        "stapeling": {measure: {
            "start": stack.start,
            "stappen": [{"factor": s.factor, "niveau": s.level, "waarde": s.figure.value,
                         "grondslag": s.figure.footing, "grondslag_waarde": s.footing, "vervangt_start": s.replaces_start,
                         "aandeel": round(s.share, 4), "verschuiving_logit": round(s.shift, 4),
                         "na_stap": round(s.after, 1)} for s in stack.steps],
            "hoogste_groepscijfer": stack.highest_group, "hoogste_groepscijfer_van": stack.highest_group_from,
            "illustratie_onafhankelijk": stack.combined, "tegenstrijdig_met": stack.inconsistent_with,
            "toelichting": two_numbers_line(stack, profile, reference, language),
        } for measure, stack in profile.stacks.items()},
        "pad": [{"factor": p.factor, "niveau": p.level, "waarden": {m: round(v, 1) for m, v in p.values.items()}}
                for p in profile.path],
        "stapeling_bronnen": [{"bron": key, "jaar": year} for key, year in profile.sources],
        "gemeten_gaat_voor": profile.measured,
        "niveau": {"nummer": profile.tier.tier.number, "id": profile.tier.tier.id, "naam": profile.tier.tier.name(language),
                   "regel": profile.tier.rule.condition, "besluitend": list(profile.tier.deciding),
                   "reden": reason(profile, language)},
        "interventies": [{"id": fit.intervention.id, "naam": fit.intervention.name(language), "waarom": list(fit.reasons),
                          "niveaus": list(fit.intervention.tiers), "uitvoerders": list(fit.intervention.performed_by),
                          "bron": list(fit.intervention.sources), "paragraaf": fit.intervention.paragraph}
                         for fit in profile.fits],
        "signalen": {"ids": list(profile.signals), "advies": reference.signals.advice(language) if profile.signals else None},
        "opmerkingen": [note(code, profile, reference, language) for code in profile.notes],
        "methode": t("method_line", language),
        "duiding": t("caption", language),
    }


def reason(profile: Profile, language: str) -> str:
    """The tier rule's reason from the data, with the deciding factors filled in."""
    from .profile import MEASURED, STATED

    decision = profile.tier
    labels = []
    for key in decision.deciding:
        finding = profile.finding(key)
        if key == MEASURED and profile.person.djg is not None:
            labels.append(djg_text(profile.person.djg, language))
        elif key == STATED:
            labels.append(t(f"stated_short_{profile.person.lonely}", language))
        elif finding is None:
            continue
        else:
            labels.append(f"{finding.factor.label(language).lower()}: {level_label(finding, finding.level.value, language)}")
    return decision.rule.reason(language).replace("{factoren}", "; ".join(labels))


def djg_text(score: DjgScore, language: str) -> str:
    """'De Jong Gierveld-score 9 van 11: ernstig eenzaam'"""
    text = t("djg_score", language, total=score.total, max=len(score.scale.items),
             category=score.category.label(language) if score.category else t("undetermined", language))
    return text + (f" ({t('incomplete', language)})" if not score.complete else "")


def level_label(finding: Finding, value: str, language: str) -> str:
    level = finding.factor.level(value)
    return level.label(language) if level is not None and level.label else t(value, language)


def monitor_label(monitor: Any, language: str) -> str:
    """The monitor table's own name: 'Hollands Midden 2020' (its `gebied` column), else 'Landelijk 2016'."""
    return f"{monitor.area} {monitor.year}" if monitor.area else t("national", language, year=monitor.year)


def table_title(key: str, reference: Reference, language: str) -> str:
    """A title that names the monitor table in use: 'Populatieprofiel: monitortabel Landelijk 2016'."""
    return t("with_table", language, title=t(key, language), table=monitor_label(reference.monitor, language))


def source_year(source: str, year: int | None) -> str:
    """'gm_2016 (2016)': a source key with its year, where it has one."""
    return f"{source} ({year})" if year else source


def note(code: str, profile: Profile, reference: Reference, language: str) -> str:
    """A note of the profile (outside the monitor's ages, sources combined) in words."""
    monitor = reference.monitor
    covered = f"{monitor.min_age}+" if monitor.max_age is None else f"{monitor.min_age}-{monitor.max_age}"
    sources = ", ".join(source_year(key, year) for key, year in profile.sources)
    return t(code, language, age=profile.person.age, covered=covered, sources=sources)


def percent(value: Decimal, language: str, computed: bool = False) -> str:
    """A source figure as printed; a computed combination in whole percents (no false precision)."""
    return f"{value:.0f}%" if computed else f"{number(value, language)}%"


def two_numbers_line(stack: Stack, profile: Profile, reference: Reference, language: str) -> str:
    """The two numbers of a stack, each named for what it is."""
    measures = reference.measures
    if stack.highest_group_from == "leeftijdsband" and profile.band:
        group = t("age_band", language, band=band_label(profile.band, language))
    else:
        group = reference.factors[stack.highest_group_from].label(language)
    if stack.combined is None:
        combined = t("inconsistent", language, part=measures[stack.inconsistent_with or ""].label(language),
                     whole=measures[stack.measure].label(language))
    else:
        combined = percent(stack.combined, language, computed=bool(stack.steps))
    text = t("two_numbers", language, measure=capitalise(measures[stack.measure].label(language)),
             highest=percent(stack.highest_group, language), group=group, combined=combined)
    if stack.combined is not None and stack.combined < stack.highest_group:
        text += " " + t("combined_lower", language)
    return text


# --- a trainer's steps (`eenzaam stapel`) ----------------------------------------------------------------


def stack_data(demo: Demonstration, reference: Reference, language: str) -> dict[str, Any]:
    """`eenzaam stapel -f json`: the steps in the order given, with the running figures."""
    from .person import AGE

    profile = demo.profile
    example = demo.example
    return {
        "voorbeeld": None if example is None else {"id": example.id, "label": example.label(language),
                                                   "beschrijving": example.description(language),
                                                   "illustratie": True},
        "leeftijdsband": profile.band.label if profile.band else None,
        "stappen": [{
            "stap": index, "factor": step.factor, "niveau": step.finding.level.value if step.finding else None,
            "waarde": step.written,
            "cijfers": [] if step.finding is None or step.factor == AGE else [{
                "waarde": u.figure.value, "tekst": u.figure.text, "maat": u.figure.measure,
                "gestapeld": u.stacked and u.figure.measure in profile.stacks, "reden_niet_gestapeld": u.reason,
                "overlap": u.overlap, "aandeel": round(u.share, 4), "bron": u.figure.source, "jaar": u.figure.year, "paragraaf": u.figure.paragraph,
            } for u in step.finding.figures],
            "verschuift": step.shifted,
            "na_stap": {m: round(v, 1) for m, v in step.values.items()},
        } for index, step in enumerate(demo.steps, start=1)],
        "start": {m: s.start for m, s in profile.stacks.items()},
        "illustratie_onafhankelijk": {m: s.combined for m, s in profile.stacks.items()},
        "hoogste_groepscijfer": {m: s.highest_group for m, s in profile.stacks.items()},
        "niveau": {"nummer": profile.tier.tier.number, "naam": profile.tier.tier.name(language),
                   "besluitend": list(profile.tier.deciding), "reden": reason(profile, language)},
        "opmerkingen": [note(code, profile, reference, language) for code in profile.notes],
        "duiding": t("caption", language),
    }


# --- a population ------------------------------------------------------------------------------------------

MACHINE = Decimal("0.001")


def machine(value: Decimal | float | None) -> Decimal | None:
    """Expected people to three decimals (an age-only population reproduces the monitor table exactly)."""
    return None if value is None else Decimal(value).quantize(MACHINE).normalize() + Decimal(0)


def population_fields(result: PopulationProfile, reference: Reference) -> list[str]:
    """The CSV columns of `eenzaam populatie`."""
    fields = ["gebied", "inwoners", "buiten_monitor"]
    for m in reference.monitor.measures:
        if m in result.total.expected:
            fields += [f"verwacht_{m}", f"verwacht_{m}_leeftijdsbanden"]
    fields += ["niveau_1", "niveau_2", "niveau_3", "respondenten", "waargenomen", "aandeel", "aandeel_onder",
               "aandeel_boven", "verwacht_waargenomen", "verwacht_uit", "ratio", "ratio_onder", "ratio_boven", "methode",
               "oordeel", "duiding"]
    return fields


def population_rows(result: PopulationProfile, language: str) -> list[dict[str, Any]]:
    """`eenzaam populatie -f csv`: one row per area, machine numbers, no total row."""
    comparisons = {c.area: c for c in result.comparisons}
    return [_area_data(area, totals, comparisons.get(area), language) for area, totals in result.areas.items()]


def _area_data(area: str, totals: Totals, comparison: Comparison | None, language: str) -> dict[str, Any]:
    row: dict[str, Any] = {"gebied": area, "inwoners": machine(totals.count), "buiten_monitor": machine(totals.outside),
                           "duiding": t("caption_population", language)}
    for m in totals.expected:
        row[f"verwacht_{m}"] = machine(totals.expected[m])
        row[f"verwacht_{m}_leeftijdsbanden"] = machine(totals.band_expected[m])
    for tier, people in totals.tiers.items():
        row[f"niveau_{tier}"] = machine(people)
    if comparison is not None:
        row |= _comparison_fields(comparison)
    return row


def _comparison_fields(c: Comparison) -> dict[str, Any]:
    return {"respondenten": c.respondents, "waargenomen": c.observed, "aandeel": machine(c.proportion * 100),
            "aandeel_onder": machine(c.interval.lower * 100) if c.interval.lower is not None else None,
            "aandeel_boven": machine(c.interval.upper * 100) if c.interval.upper is not None else None,
            "verwacht_waargenomen": machine(c.expected), "verwacht_uit": c.expected_from,
            "ratio": machine(c.ratio.value), "ratio_onder": machine(c.ratio.lower), "ratio_boven": machine(c.ratio.upper),
            "methode": c.ratio.method, "oordeel": c.verdict}


def _totals_data(totals: Totals) -> dict[str, Any]:
    return {"inwoners": machine(totals.count), "buiten_monitor": machine(totals.outside),
            "verwacht": {m: {"gekalibreerd": machine(totals.expected[m]),
                             "leeftijdsbanden": machine(totals.band_expected[m])} for m in totals.expected},
            "niveaus": {str(tier): machine(people) for tier, people in totals.tiers.items()}}


def _focus_data(focus: tuple[Focus, ...]) -> list[dict[str, Any]]:
    return [{"rij": f.row, "gebied": f.area, "band": f.band, "kenmerken": dict(f.items), "inwoners": machine(f.count),
             "verwacht": machine(f.expected), "boven_bandcijfer": machine(f.excess)} for f in focus]


def _calibration_data(c: Calibration) -> dict[str, Any]:
    return {"gebied": c.area, "band": c.band, "inwoners": machine(c.count), "bandcijfer": c.band_figure,
            "berekend": machine(c.computed), "afwijking": machine(c.deviation), "gesplitst": c.split,
            "intercept": round(c.intercept, 12)}


def population_data(result: PopulationProfile, reference: Reference, language: str) -> dict[str, Any]:
    """`eenzaam populatie -f json`."""
    return {
        "maat": result.measure,
        "gebieden": [{"gebied": area} | _totals_data(totals) for area, totals in result.areas.items()],
        "totaal": _totals_data(result.total),
        "banden": [{"band": band} | _totals_data(totals) for band, totals in result.bands.items()],
        "vergelijking": [{"gebied": c.area} | _comparison_fields(c) | {"betrouwbaarheid": c.ratio.confidence}
                         for c in result.comparisons],
        "focusgroepen": {"meeste_verwacht": _focus_data(result.focus_expected),
                         "boven_bandcijfer": _focus_data(result.focus_excess)},
        "kalibratie": {"alleen_leeftijd": {"cellen": result.age_only_cells,
                                           "grootste_afwijking": result.age_only_worst},
                       "gesplitst": [_calibration_data(c) for c in result.calibration]},
        "rijen": result.segments, "verschillende_segmenten": result.distinct, "herverdeelde_rijen": result.redistributed,
        "methode": t("population_method", language, measure=reference.measures[result.measure].label(language)),
        "duiding": t("caption_population", language),
    }


# --- prevalence and monitor years -----------------------------------------------------------------------------


def prevalence_fields(result: Prevalence) -> list[str]:
    return ["groep", "leeftijd_van", "leeftijd_tot", *result.measures, "bron", "jaar"]


def prevalence_rows(result: Prevalence) -> list[dict[str, Any]]:
    """`eenzaam prevalentie -f json` and its CSV: one row per band, then the whole population where the table or
    the data gives it and more than one band is shown."""
    rows = [_band_data(band, result.measures) for band in result.bands]
    if len(result.bands) > 1 and result.total is not None:  # a (local) monitor file's own whole-population row
        rows.append(_band_data(result.total, result.measures))
    elif len(result.bands) > 1 and result.population:
        figures = result.population
        rows.append({"groep": "bevolking", "leeftijd_van": None, "leeftijd_tot": None,
                     **{m: figures[m].value if m in figures else None for m in result.measures},
                     "bron": ";".join(f"{m}:{f.source}" for m, f in figures.items()), "jaar": None})
    return rows


def _band_data(band: Any, measures: Iterable[str]) -> dict[str, Any]:
    row: dict[str, Any] = {"groep": band.label, "leeftijd_van": band.min_age, "leeftijd_tot": band.max_age}
    row.update({m: band.values.get(m) for m in measures})
    return row | {"bron": band.source, "jaar": band.year}


def comparison_fields(result: YearComparison) -> list[str]:
    first, second = result.years
    fields = ["groep", "leeftijd_van", "leeftijd_tot"]
    for measure in result.measures:
        fields += [f"{measure}_{first}", f"{measure}_{second}", f"{measure}_verschil"]
    return fields + [f"bron_{first}", f"bron_{second}"]


def comparison_rows(result: YearComparison) -> list[dict[str, Any]]:
    """`eenzaam prevalentie --vergelijk A B -f json` and its CSV: one flat row per band, the difference in
    percentage points (the second year minus the first); a figure a table lacks, and its difference, None."""
    first, second = result.years
    rows = []
    for pair in result.rows:
        row: dict[str, Any] = {"groep": pair.label, "leeftijd_van": pair.min_age, "leeftijd_tot": pair.max_age}
        for measure in result.measures:
            row[f"{measure}_{first}"] = pair.first.values.get(measure) if pair.first else None
            row[f"{measure}_{second}"] = pair.second.values.get(measure) if pair.second else None
            row[f"{measure}_verschil"] = pair.difference.get(measure)
        row[f"bron_{first}"] = pair.first.source if pair.first else None
        row[f"bron_{second}"] = pair.second.source if pair.second else None
        rows.append(row)
    return rows


# --- a batch run ------------------------------------------------------------------------------------------

_TEXT_COLUMNS = frozenset({"leeftijdsband", "djg_categorie", "risicofactoren"})  # ids and labels, never numbers


def json_value(column: str, cell: str) -> Any:
    """A batch result cell for JSON: empty as null, numbers as numbers; a label (a band of --data: `007`, `NaN`)
    as text."""
    if cell == "":
        return None
    if column in _TEXT_COLUMNS:
        return cell
    try:
        return int(cell)
    except ValueError:
        return float(cell)


def national_key(year: int) -> str:
    return f"landelijk_{year}"


# Rows a report counts apart from the bands (the groups of `batch.Profiled`), with their labels in text.py.
_APART = {"leeftijd_onbekend": "age_unknown", "buiten_monitor": "outside_bands"}


def report_data(tally: Tally, reference: Reference, language: str, **counts: Any) -> dict[str, Any]:
    """The report of `eenzaam batch --rapport`: `landelijk_<jaar>` is the national figure of the monitor table in
    use (2016, or --jaar)."""
    national = {band.label: band.values for band in reference.monitor.bands}
    key = national_key(reference.monitor.year)
    prevalence = {}
    for measure in tally.measures:
        shares = tally.shares(measure, {band: values.get(measure) for band, values in national.items()})
        prevalence[measure] = [_share_data(share, key) for share in shares]
    per_area = {} if tally.area is None else {"per_gebied": {"kolom": counts.get("per"),
                                                             "rijen": area_rows(tally, reference)}}
    return {
        "bestand": counts["file"], "rijen_gelezen": counts["read"], "rijen_geschreven": counts["written"],
        "rijen_afgewezen": counts["rejected"], "gewicht": counts.get("weight"),
        "per_niveau": {str(tier): tally.tiers.get(tier, 0) for tier in (1, 2, 3)},
        "per_leeftijdsband": {band: tally.bands[band] for band in national if band in tally.bands},
        **{key: tally.bands.get(key, 0) for key in _APART},
        "prevalentie": prevalence,
        "jaar_landelijk": reference.monitor.year,
        "bron_landelijk": reference.monitor.bands[0].source,
        "monitortabel": monitor_label(reference.monitor, language),
        "methode": t("batch_report_method", language, table=monitor_label(reference.monitor, language)) + " "
                   + sources_line(reference, [reference.monitor.bands[0].source], language),
        "duiding": t("batch_report_caption", language),
    } | per_area


def area_rows(tally: Tally, reference: Reference) -> list[dict[str, Any]]:
    """`batch --per`: a row per area and age band (areas sorted, `onbekend` last; bands in the table's order) with
    its rows, its rows per tier, and per measure its share with the Wilson interval (None: no one determined)."""
    national = {band.label: band.values for band in reference.monitor.bands}
    key = national_key(reference.monitor.year)
    order = {band: index for index, band in enumerate(national)}
    rows = []
    for area in tally.areas:
        part = tally.for_area(area)
        shares = {measure: {share.band: _share_data(share, key) for share in
                            part.shares(measure, {band: values.get(measure) for band, values in national.items()})}
                  for measure in tally.measures}
        tiers = part.band_tiers
        for band, n in sorted(part.bands.items(), key=lambda item: order.get(item[0], len(order))):
            rows.append({"gebied": area, "leeftijdsband": band, "aantal": n,
                         **{f"niveau_{tier}": tiers[band].get(tier, 0) for tier in (1, 2, 3)},
                         "prevalentie": {measure: shares[measure].get(band) for measure in tally.measures}})
    return rows


def _share_data(share: Share, national: str) -> dict[str, Any]:
    return {"leeftijdsband": share.band, "respondenten": share.respondents, "n_effectief": round(share.n, 1),
            "aandeel": round(share.value * 100, 2), "onder": round(share.interval.lower * 100, 2),
            "boven": round(share.interval.upper * 100, 2), national: share.national}


def report_accounting(data: dict[str, Any], language: str) -> str:
    """'r.csv: 5 rijen gelezen = 3 geschreven + 2 afgewezen', from a report's data."""
    return t("batch_accounting", language, file=data["bestand"], read=data["rijen_gelezen"],
             written=data["rijen_geschreven"], rejected=data["rijen_afgewezen"])


def one_decimal(value: Any, language: str) -> str:
    if value is None:
        return "–"
    text = f"{float(value):.1f}"
    return text.replace(".", ",") if language == "nl" else text


def report_tables(data: dict[str, Any], reference: Reference,
                  language: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, headers, rows) of the report's tables for people, shared by its markdown and HTML and notebooks."""
    tiers = [[f"{t('tier', language)} {tier}", str(n)] for tier, n in data["per_niveau"].items()]
    names = band_labels(reference.monitor.bands, language)
    bands = [[names.get(band, band), str(n)] for band, n in data["per_leeftijdsband"].items()]
    year = data["jaar_landelijk"]
    tables = [(t("batch_per_tier", language), [t("tier", language), t("count", language)], tiers),
              (t("batch_per_band", language), [t("age", language), t("count", language)], bands)]
    apart = [[t(label, language), str(data[key])] for key, label in _APART.items() if data[key]]
    if apart:  # rows counted apart: never a band of their own, nor in a band's share
        tables.append((t("batch_without_band", language), [t("age", language), t("count", language)], apart))
    for measure, shares in data["prevalentie"].items():
        label = reference.measures[measure].label(language)
        rows = [[names.get(s["leeftijdsband"], s["leeftijdsband"]), str(s["respondenten"]),
                 one_decimal(s["n_effectief"], language) if data["gewicht"] else "",
                 f"{one_decimal(s['aandeel'], language)}% ({one_decimal(s['onder'], language)}–"
                 f"{one_decimal(s['boven'], language)})",
                 f"{one_decimal(s[national_key(year)], language)}%"] for s in shares]
        tables.append((t("batch_prevalence", language, measure=label),
                       [t("age", language), t("respondents", language), t("effective_n", language),
                        t("share_wilson", language), data["monitortabel"]], rows))
    if "per_gebied" in data:
        tables += _area_tables(data, reference, language)
    return tables


def observed_rows(tally: Tally, reference: Reference, measure: str) -> tuple[list[dict[str, Any]], int]:
    """`batch --waargenomen-uit`: the rows `populatie --waargenomen` reads (gebied with `--per`, leeftijd as the
    band's ages, maat, respondenten, waargenomen: counts of respondents, unweighted), and the respondents left out: those outside the monitor's bands
    (or without an age) and, with `--per`, those without an area, which no segment file can hold."""
    from .batch import UNKNOWN_AREA

    tally = tally.unweighted()  # whole respondents, also when the report is weighted
    bands = {band.label: f"{band.min_age}-{band.max_age}" if band.max_age is not None else f"{band.min_age}+"
             for band in reference.monitor.bands if band.min_age is not None}
    parts = [(area, tally.for_area(area)) for area in tally.areas] if tally.area is not None else [(None, tally)]
    rows, left_out = [], 0
    for area, part in parts:
        for share in part.shares(measure, {band: None for band in bands}):
            if area == UNKNOWN_AREA or share.band not in bands:
                left_out += share.respondents
                continue
            rows.append(({} if area is None else {"gebied": area})
                        | {"leeftijd": bands[share.band], "maat": measure, "respondenten": share.respondents,
                           "waargenomen": round(share.lonely)})
    return rows, left_out


def _area_tables(data: dict[str, Any], reference: Reference,
                 language: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """`batch --per`: the rows per area and band with their tiers, and per measure the shares per area and band."""
    column, rows = data["per_gebied"]["kolom"], data["per_gebied"]["rijen"]
    names = band_labels(reference.monitor.bands, language)
    tiers = [f"{t('tier', language)} {tier}" for tier in (1, 2, 3)]
    tables = [(t("batch_per_area", language, column=column), [column, t("age", language), t("count", language), *tiers],
               [[r["gebied"], names.get(r["leeftijdsband"], r["leeftijdsband"]), str(r["aantal"]),
                 *(str(r[f"niveau_{tier}"]) for tier in (1, 2, 3))]
                for r in rows])]
    for measure in data["prevalentie"]:
        shown = [(r["gebied"], r["prevalentie"][measure]) for r in rows if r["prevalentie"][measure] is not None]
        tables.append((t("batch_area_prevalence", language, measure=reference.measures[measure].label(language),
                         column=column),
                       [column, t("age", language), t("respondents", language), t("effective_n", language),
                        t("share_wilson", language)],
                       [[area, names.get(s["leeftijdsband"], s["leeftijdsband"]), str(s["respondenten"]),
                         one_decimal(s["n_effectief"], language) if data["gewicht"] else "",
                         f"{one_decimal(s['aandeel'], language)}% ({one_decimal(s['onder'], language)}–"
                         f"{one_decimal(s['boven'], language)})"] for area, s in shown]))
    return tables
