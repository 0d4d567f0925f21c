"""A profile as a View: tables for people around the documented JSON object and CSV rows of `core.contract`.

The JSON object is described by schema/profiel.schema.json; a test validates
every profile the CLI writes against it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.contract import (PROFILE_FIELDS, djg_text, finding_rows, level_label, monitor_label, note, number,
                             percent, profile_data, profile_rows, reason, source_year, sources_line, two_numbers_line)
from ..core.reference.model import Figure, Reference
from ..core.profile import START, FigureUse, Finding, Profile, Stack
from ..core.text import band_label, t
from .output import Column, Section, View
from .views import comparison_text, figure_text, printed


def profile_view(profile: Profile, reference: Reference, language: str) -> View:
    last = len(profile.stacks) - 1  # the method is said once, under the last illustration
    return View(
        [_summary(profile, reference, language), _group_figures(profile, reference, language),
         _factors(profile, reference, language),
         *(_stack(stack, profile, reference, language, index == last)
           for index, stack in enumerate(profile.stacks.values())),
         _fits(profile, reference, language), *_signals(profile, reference, language)],
        data=profile_data(profile, reference, language),
        csv_fields=PROFILE_FIELDS, csv_rows=profile_rows(profile, language),  # one row per figure that applies
    )


# --- sections ---------------------------------------------------------------------------------


def _summary(profile: Profile, reference: Reference, language: str) -> Section:
    person = profile.person
    lines = []
    if person.age is not None:
        stages = ", ".join(stage.label(language) for stage in profile.life_stages) or "–"
        band = (t("band_of_table", language, band=band_label(profile.band, language),
                  table=monitor_label(reference.monitor, language))
                if profile.band else "–")
        lines.append(t("person_line", language, age=person.age, band=band, stages=stages))
    if person.djg is not None:  # measured beats estimated: the measurement leads
        lines.append(t("measured", language, what=djg_text(person.djg, language) if person.djg.total is not None
                       else t("djg_no_score", language, reason=person.djg.reason)))
    if person.lonely is not None:
        lines.append(t(f"stated_{person.lonely}", language))
    lines.append(reason(profile, language))
    lines += [note(code, profile, reference, language) for code in profile.notes]
    lines.append(t("caption", language))  # whatever is stacked: every figure below is group information
    return Section(t("profile", language), intro=lines)


def _group_figures(profile: Profile, reference: Reference, language: str) -> Section:
    """The headline: what the sources measured in the person's groups, per measure, and the highest per stacked
    measure. The band first, then every figure that applies, whether or not the illustration stacks it."""
    rows = [{"maat": reference.measures[g.measure].label(language),
             "groep": g.figure.group(language) if g.figure or profile.band is None
             else t("age_band", language, band=band_label(profile.band, language)),
             "cijfer": (printed(g.value, g.figure.text, language, g.figure.approximation) if g.figure
                        else f"{number(g.value, language)}%"),
             "bron": source_year(g.source, g.year)}
            for g in profile.group_figures()]
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
                 group=t("age_band", language, band=band_label(profile.band, language)),
                 source=source_year(profile.band.source, profile.band.year))
    return t("highest_line", language, measure=measure,
             value=printed(figure.value, figure.text, language, figure.approximation), group=figure.group(language),
             source=source_year(figure.source, figure.year))


def _highest_figure(stack: Stack, profile: Profile) -> Figure | None:
    """The figure behind the highest group figure (None: the age band's)."""
    finding = profile.finding(stack.highest_group_from)
    if finding is None:
        return None
    return next(u.figure for u in finding.figures
                if u.figure.measure == stack.measure and u.figure.value == stack.highest_group and u.reason != START)


def _factors(profile: Profile, reference: Reference, language: str) -> Section:
    rows = [row | {"factor_label": f"{row['factor_label']}: {row['niveau_label']}"}
            for finding in profile.findings for row in _finding_rows(finding, reference, language)]
    columns = [Column("factor_label", t("factor", language), grouped=True), Column("richting_label", t("direction", language)),
               Column("cijfer", t("figure", language)), Column("vergelijking", t("compared_with", language)),
               Column("gebruik", t("use", language)), Column("bron", t("source", language))]
    notes = [] if profile.findings else [t("no_factors", language)]
    return Section(t("factors_present", language), columns, rows, notes=notes)


def _finding_rows(finding: Finding, reference: Reference, language: str) -> list[dict[str, Any]]:
    """The contract's rows of a factor, with the labels and figures in words for people."""
    factor, level = finding.factor, finding.level
    labels = {
        "factor_label": factor.label(language),
        "niveau_label": (level.label(language) if level.label else t(level.value, language))
        + (f" ({finding.count})" if finding.count is not None else ""),
        "richting_label": t(finding.direction, language),
    }
    rows = finding_rows(finding, language)
    if not finding.figures:
        return [rows[0] | labels | {"gebruik": t("qualitative", language)}]
    return [row | labels | {"cijfer": figure_text(use.figure, reference, language),
                            "vergelijking": comparison_text(use.figure, language),
                            "gebruik": _use(use, reference, language)}
            for row, use in zip(rows, finding.figures)]


def _use(use: FigureUse, reference: Reference, language: str) -> str:
    """How a figure is used: stacked (at a share, where an overlap counts it partly), or why not."""
    if use.overlap is not None:
        overlap = next(o for o in reference.overlaps if o.id == use.overlap)
        return t("overlap", language, paragraph=overlap.paragraph, share=f"{use.share * 100:.0f}")
    return t("stacked", language) if use.stacked else t(use.reason or "", language)


def _stack(stack: Stack, profile: Profile, reference: Reference, language: str, method: bool) -> Section:
    measure = reference.measures[stack.measure].label(language)
    assert profile.band is not None
    rows = [{"stap": t("start", language), "cijfer": f"{number(stack.start, language)}%",
             "grondslag": f"{t('age_band', language, band=band_label(profile.band, language))}, "
                          f"{monitor_label(reference.monitor, language)}",
             "na": f"{number(stack.start, language)}%"}]
    for step in stack.steps:
        finding = profile.finding(step.factor)
        assert finding is not None
        rows.append({
            "stap": f"{finding.factor.label(language)}: {level_label(finding, step.level, language)}",
            "cijfer": printed(step.figure.value, step.figure.text, language, step.figure.approximation),
            "grondslag": (t("replaces", language, band=band_label(profile.band, language),
                            value=f"{number(stack.start, language)}%")
                          if step.replaces_start else footing_text(step.figure, reference, language)),
            "verschuiving": f"{step.shift:+.2f}".replace(".", "," if language == "nl" else "."),
            "na": percent(Decimal(f"{step.after:.1f}"), language, computed=True),  # rounded as the combination is
        })
    columns = [Column("stap", t("step", language)), Column("cijfer", t("figure", language)),
               Column("grondslag", t("footing", language)),
               Column("verschuiving", t("shift", language), numeric=True), Column("na", t("after", language), numeric=True)]
    notes = [two_numbers_line(stack, profile, reference, language), *([t("method_line", language)] if method else [])]
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


def _fits(profile: Profile, reference: Reference, language: str) -> Section:
    """What fits this person's risk groups and tier; the universal measures, which reach everyone in the life stage,
    as one line that counts them and names the command listing them (JSON and CSV keep every fit)."""
    rows = []
    own = [fit for fit in profile.fits if "universeel" not in fit.reasons]
    for fit in own:
        item = fit.intervention
        rows.append({
            "id": item.id, "naam": item.name(language), "waarom": ", ".join(_why(r, profile, reference, language) for r in fit.reasons),
            "uitvoerders": ", ".join(item.performed_by) or "–", "paragraaf": item.paragraph,
        })
    columns = [Column("naam", t("intervention", language)), Column("waarom", t("why", language)),
               Column("uitvoerders", t("performed_by", language)), Column("paragraaf", "§")]
    notes = [t("fits_note", language)]
    universal = len(profile.fits) - len(own)
    if universal:
        stages = profile.life_stages
        command = "eenzaam interventies --niveau 1" + (f" --doelgroep {stages[0].id}" if len(stages) == 1 else "")
        notes.append(t("fits_universal", language, n=universal, command=command))
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


# --- words ---------------------------------------------------------------------------------------


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
