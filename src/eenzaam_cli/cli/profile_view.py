"""A profile as a View (tables for people) and as the documented JSON object.

The JSON object is described by schema/profiel.schema.json; a test validates
every profile the CLI writes against it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.djg import DjgScore
from ..core.model import Figure, Reference
from ..core.profile import MEASURED, START, STATED, FigureUse, Finding, Profile, Stack
from .djg_view import score_data
from .output import Column, Section, View, number
from .text import t
from .views import comparison_text, figure_text, level_sources, printed, sources_line


def profile_view(profile: Profile, reference: Reference, language: str) -> View:
    return View(
        [_summary(profile, reference, language), _group_figures(profile, reference, language),
         _factors(profile, reference, language),
         *(_stack(stack, profile, reference, language) for stack in profile.stacks.values()),
         _fits(profile, reference, language), *_signals(profile, reference, language)],
        data=profile_data(profile, reference, language),
        csv_fields=["factor", "niveau", "richting", "waarde", "maat", "vergeleken_waarde", "grondslag", "gestapeld", "bron",
                    "jaar", "duiding"],
        csv_section=2,  # the factors: one row per figure that applies
    )


# --- sections ---------------------------------------------------------------------------------


def _summary(profile: Profile, reference: Reference, language: str) -> Section:
    person = profile.person
    lines = []
    if person.age is not None:
        stages = ", ".join(stage.label(language) for stage in profile.life_stages) or "–"
        band = profile.band.label if profile.band else "–"
        lines.append(t("person_line", language, age=person.age, band=band, stages=stages))
    if person.djg is not None:  # measured beats estimated: the measurement leads
        lines.append(t("measured", language, what=djg_text(person.djg, language) if person.djg.total is not None
                       else t("djg_no_score", language, reason=person.djg.reason)))
    if person.lonely is not None:
        lines.append(t(f"stated_{person.lonely}", language))
    lines.append(reason(profile, language))
    lines += [_note(code, profile, reference, language) for code in profile.notes]
    lines.append(t("caption", language))  # whatever is stacked: every figure below is group information
    return Section(t("profile", language), intro=lines)


def _group_figures(profile: Profile, reference: Reference, language: str) -> Section:
    """The headline: what the sources measured in the person's groups, per measure, and the highest per stacked
    measure. The band first, then every figure that applies, whether or not the illustration stacks it."""
    rows = []
    if profile.band is not None:
        band = profile.band
        rows += [{"maat": reference.measures[m].label(language) if m in reference.measures else m,
                  "groep": t("age_band", language, band=band.label), "cijfer": f"{number(value, language)}%",
                  "bron": _cited(band.source, band.year)}
                 for m, value in band.values.items() if value is not None and m in profile.stacks]
    rows += [{"maat": reference.measures[u.figure.measure].label(language), "groep": u.figure.group(language),
              "cijfer": printed(u.figure.value, u.figure.text, language, u.figure.approximation),
              "bron": _cited(u.figure.source, u.figure.year)}
             for finding in profile.findings for u in finding.figures if u.reason != START]
    columns = [Column("maat", t("measure", language)), Column("groep", t("group", language)),
               Column("cijfer", t("figure", language)), Column("bron", t("source", language))]
    notes = [_highest_line(stack, profile, reference, language) for stack in profile.stacks.values()]
    return Section(t("group_figures", language), columns, rows, notes=[*notes, t("group_figures_note", language)])


def _highest_line(stack: Stack, profile: Profile, reference: Reference, language: str) -> str:
    """'Hoogste groepscijfer, eenzaam: 67% (zelfstandig wonende Turkse 55-plussers, uysal_bozkir_2017 (2017)).'"""
    figure = _highest_figure(stack, profile)
    measure = reference.measures[stack.measure].label(language)
    if figure is None:
        assert profile.band is not None
        return t("highest_line", language, measure=measure, value=f"{number(stack.highest_group, language)}%",
                 group=t("age_band", language, band=profile.band.label),
                 source=_cited(profile.band.source, profile.band.year))
    return t("highest_line", language, measure=measure,
             value=printed(figure.value, figure.text, language, figure.approximation), group=figure.group(language),
             source=_cited(figure.source, figure.year))


def _highest_figure(stack: Stack, profile: Profile) -> Figure | None:
    """The figure behind the highest group figure (None: the age band's)."""
    finding = profile.finding(stack.highest_group_from)
    if finding is None:
        return None
    return next(u.figure for u in finding.figures
                if u.figure.measure == stack.measure and u.figure.value == stack.highest_group and u.reason != START)


def _cited(source: str, year: int | None) -> str:
    return f"{source} ({year})" if year else source


def _factors(profile: Profile, reference: Reference, language: str) -> Section:
    rows = [row | {"factor_label": row["factor_label"] if index == 0 else ""}
            for finding in profile.findings for index, row in enumerate(_finding_rows(finding, reference, language))]
    for row in rows:
        if row["factor_label"]:
            row["factor_label"] += f": {row['niveau_label']}"
    columns = [Column("factor_label", t("factor", language)), Column("richting_label", t("direction", language)),
               Column("cijfer", t("figure", language)), Column("vergelijking", t("compared_with", language)),
               Column("gebruik", t("use", language)), Column("bron", t("source", language))]
    notes = [] if profile.findings else [t("no_factors", language)]
    return Section(t("factors_present", language), columns, rows, notes=notes)


def _finding_rows(finding: Finding, reference: Reference, language: str) -> list[dict[str, Any]]:
    factor, level = finding.factor, finding.level
    base = {
        "factor": factor.id, "factor_label": factor.label(language), "niveau": level.value,
        "niveau_label": (level.label(language) if level.label else t(level.value, language))
        + (f" ({finding.count})" if finding.count is not None else ""),
        "richting": finding.direction, "richting_label": t(finding.direction, language), "duiding": t("caption", language),
    }
    if not finding.figures:
        return [base | {"bron": ", ".join(level_sources(factor, level)), "gebruik": t("qualitative", language)}]
    return [base | {
        "waarde": use.figure.value, "maat": use.figure.measure, "cijfer": figure_text(use.figure, reference, language),
        "vergelijking": comparison_text(use.figure, language),
        "vergeleken_waarde": use.figure.compared_with.value if use.figure.compared_with else None,
        "grondslag": use.figure.footing, "gestapeld": "ja" if use.stacked else "nee",
        "gebruik": _use(use, reference, language),
        "bron": use.figure.source, "jaar": use.figure.year,
    } for use in finding.figures]


def _use(use: FigureUse, reference: Reference, language: str) -> str:
    """How a figure is used: stacked (at a share, where an overlap counts it partly), or why not."""
    if use.overlap is not None:
        overlap = next(o for o in reference.overlaps if o.id == use.overlap)
        return t("overlap", language, paragraph=overlap.paragraph, share=f"{use.share * 100:.0f}")
    return t("stacked", language) if use.stacked else t(use.reason or "", language)


def _stack(stack: Stack, profile: Profile, reference: Reference, language: str) -> Section:
    measure = reference.measures[stack.measure].label(language)
    assert profile.band is not None
    rows = [{"stap": t("start", language), "cijfer": f"{number(stack.start, language)}%",
             "grondslag": t("age_band", language, band=profile.band.label), "na": f"{number(stack.start, language)}%"}]
    for step in stack.steps:
        finding = profile.finding(step.factor)
        assert finding is not None
        rows.append({
            "stap": f"{finding.factor.label(language)}: {_level_label(finding, step.level, language)}",
            "cijfer": printed(step.figure.value, step.figure.text, language, step.figure.approximation),
            "grondslag": (t("replaces", language, band=profile.band.label, value=f"{number(stack.start, language)}%")
                          if step.replaces_start else footing_text(step.figure, reference, language)),
            "verschuiving": f"{step.shift:+.2f}".replace(".", "," if language == "nl" else "."),
            "na": _pct(Decimal(f"{step.after:.1f}"), language, computed=True),  # rounded as the combination is
        })
    columns = [Column("stap", t("step", language)), Column("cijfer", t("figure", language)),
               Column("grondslag", t("footing", language)),
               Column("verschuiving", t("shift", language), numeric=True), Column("na", t("after", language), numeric=True)]
    notes = [two_numbers_line(stack, profile, reference, language), t("method_line", language)]
    title = t("suggested" if profile.measured else "stacking", language, measure=measure)
    intro = [t("measured_leads", language)] if profile.measured else []
    return Section(title, columns, rows, intro=intro, notes=notes)


def footing_text(figure: Figure, reference: Reference, language: str) -> str:
    """'t.o.v. 43% (de algemene Nederlandse bevolking)': what a stacked figure shifts against."""
    if figure.footing == "vergelijkingsgroep" and figure.compared_with is not None:
        other = figure.compared_with
        return t("vs", language, value=printed(other.value, other.text, language), group=other.group(language))
    population = reference.measures[figure.measure].population
    assert population is not None
    return t("vs", language, value=printed(population.value, population.text, language), group=population.group(language))


def two_numbers_line(stack: Stack, profile: Profile, reference: Reference, language: str) -> str:
    """The two numbers of a stack, each named for what it is."""
    measures = reference.measures
    if stack.highest_group_from == "leeftijdsband" and profile.band:
        group = t("age_band", language, band=profile.band.label)
    else:
        group = reference.factors[stack.highest_group_from].label(language)
    if stack.combined is None:
        combined = t("inconsistent", language, part=measures[stack.inconsistent_with or ""].label(language),
                     whole=measures[stack.measure].label(language))
    else:
        combined = _pct(stack.combined, language, computed=bool(stack.steps))
    text = t("two_numbers", language, measure=_capitalise(measures[stack.measure].label(language)),
             highest=_pct(stack.highest_group, language), group=group, combined=combined)
    if stack.combined is not None and stack.combined < stack.highest_group:
        text += " " + t("combined_lower", language)
    return text


def _capitalise(text: str) -> str:
    index = next((i for i, char in enumerate(text) if char.isalpha()), 0)
    return text[:index] + text[index:index + 1].upper() + text[index + 1:]


def _fits(profile: Profile, reference: Reference, language: str) -> Section:
    rows = []
    for fit in profile.fits:
        item = fit.intervention
        rows.append({
            "id": item.id, "naam": item.name(language), "waarom": ", ".join(_why(r, profile, reference, language) for r in fit.reasons),
            "uitvoerders": ", ".join(item.performed_by) or "–", "paragraaf": item.paragraph,
        })
    columns = [Column("naam", t("intervention", language)), Column("waarom", t("why", language)),
               Column("uitvoerders", t("performed_by", language)), Column("paragraaf", "§")]
    notes = [t("fits_note", language)]
    return Section(t("fits", language), columns, rows, notes=notes)


def _signals(profile: Profile, reference: Reference, language: str) -> list[Section]:
    if not profile.signals:
        return []
    labels = {s.id: (c, s) for c in reference.signals.categories for s in c.signals}
    rows = [{"categorie": labels[sid][0].label(language), "signaal": labels[sid][1].label(language)} for sid in profile.signals]
    notes = [t("signals_no_tier", language), reference.signals.advice(language),
             sources_line(reference, [reference.signals.source], language)]
    return [Section(t("signals_given", language), [Column("categorie", t("category", language)),
                                                    Column("signaal", t("signal", language))], rows, notes=notes)]


def cited(finding: Finding) -> list[str]:
    """The sources a finding's rows cite: those of its figures that apply, else the level's own."""
    return list(dict.fromkeys(u.figure.source for u in finding.figures)) if finding.figures \
        else list(level_sources(finding.factor, finding.level))


# --- words ---------------------------------------------------------------------------------------


def reason(profile: Profile, language: str) -> str:
    """The tier rule's reason from the data, with the deciding factors filled in."""
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
            labels.append(f"{finding.factor.label(language).lower()}: {_level_label(finding, finding.level.value, language)}")
    return decision.rule.reason(language).replace("{factoren}", "; ".join(labels))


def djg_text(score: DjgScore, language: str) -> str:
    """'De Jong Gierveld-score 9 van 11: ernstig eenzaam'"""
    text = t("djg_score", language, total=score.total, max=len(score.scale.items),
             category=score.category.label(language) if score.category else t("undetermined", language))
    return text + (f" ({t('incomplete', language)})" if not score.complete else "")


def _level_label(finding: Finding, value: str, language: str) -> str:
    level = finding.factor.level(value)
    return level.label(language) if level is not None and level.label else t(value, language)


def _why(code: str, profile: Profile, reference: Reference, language: str) -> str:
    kind, _, value = code.partition(":")
    if kind == "risicogroep":
        factor_id, _, level = value.partition("=")
        factor = reference.factors[factor_id]
        chosen = factor.level(level)
        return f"{factor.label(language).lower()}: {chosen.label(language) if chosen and chosen.label else t(level, language)}"
    if kind == "levensfase":
        return reference.life_stages[value].label(language)
    if kind == "universeel":
        return t("universal", language)
    return f"{t('tier', language).lower()} {value}"


def _note(code: str, profile: Profile, reference: Reference, language: str) -> str:
    monitor = reference.monitor
    covered = f"{monitor.min_age}+" if monitor.max_age is None else f"{monitor.min_age}-{monitor.max_age}"
    sources = ", ".join(f"{key} ({year})" if year else key for key, year in profile.sources)
    return t(code, language, age=profile.person.age, covered=covered, sources=sources)


def _pct(value: Decimal, language: str, computed: bool = False) -> str:
    """A source figure as printed; a computed combination in whole percents (no false precision)."""
    return f"{value:.0f}%" if computed else f"{number(value, language)}%"


# --- JSON ------------------------------------------------------------------------------------------


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
        "groepscijfers": [
            *({"factor": "leeftijdsband", "niveau": band.label, "maat": m, "waarde": value, "tekst": None,
               "groep": band.label, "bron": band.source, "jaar": band.year}
              for m, value in (band.values.items() if band is not None else ()) if value is not None and m in profile.stacks),
            *({"factor": f.factor.id, "niveau": u.level, "maat": u.figure.measure, "waarde": u.figure.value,
               "tekst": u.figure.text, "groep": u.figure.group(language), "bron": u.figure.source, "jaar": u.figure.year}
              for f in profile.findings for u in f.figures if u.reason != START)],
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
        "opmerkingen": [_note(code, profile, reference, language) for code in profile.notes],
        "methode": t("method_line", language),
        "duiding": t("caption", language),
    }
