"""A profile as a View (tables for people) and as the documented JSON object.

The JSON object is described by schema/profiel.schema.json; a test validates
every profile the CLI writes against it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.djg import DjgScore
from ..core.model import Figure, Reference
from ..core.profile import Finding, Profile, Stack
from .djg_view import score_data
from .output import Column, Section, View, number
from .text import t
from .views import comparison_text, figure_text, printed, sources_line


def profile_view(profile: Profile, reference: Reference, language: str) -> View:
    return View(
        [_summary(profile, reference, language), _factors(profile, reference, language),
         *(_stack(stack, profile, reference, language) for stack in profile.stacks.values()),
         _fits(profile, reference, language), *_signals(profile, reference, language)],
        data=profile_data(profile, reference, language),
        csv_fields=["factor", "niveau", "richting", "waarde", "maat", "vergeleken_waarde", "gestapeld", "bron", "jaar"],
        csv_section=1,  # the factors: one row per figure that applies
    )


# --- sections ---------------------------------------------------------------------------------


def _summary(profile: Profile, reference: Reference, language: str) -> Section:
    person = profile.person
    lines = []
    if person.age is not None:
        stages = ", ".join(stage.label(language) for stage in profile.life_stages) or "–"
        band = profile.band.label if profile.band else "–"
        lines.append(t("person_line", language, age=person.age, band=band, stages=stages))
    lines += [_note(code, profile, reference, language) for code in profile.notes]
    if person.djg is not None:
        lines.append(djg_text(person.djg, language) if person.djg.total is not None
                     else t("djg_no_score", language, reason=person.djg.reason))
    lines.append(reason(profile, language))
    if person.lonely is False:
        lines.append(t("not_lonely_given", language))
    return Section(t("profile", language), intro=lines)


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
        "richting": level.direction, "richting_label": t(level.direction, language),
    }
    if not finding.figures:
        return [base | {"bron": ", ".join(factor.sources), "gebruik": t("qualitative", language)}]
    return [base | {
        "waarde": use.figure.value, "maat": use.figure.measure, "cijfer": figure_text(use.figure, reference, language),
        "vergelijking": comparison_text(use.figure, language),
        "vergeleken_waarde": use.figure.compared_with.value if use.figure.compared_with else None,
        "gestapeld": "ja" if use.stacked else "nee",
        "gebruik": t("stacked", language) if use.stacked else t(use.reason or "", language),
        "bron": use.figure.source, "jaar": use.figure.year,
    } for use in finding.figures]


def _stack(stack: Stack, profile: Profile, reference: Reference, language: str) -> Section:
    measure = reference.measures[stack.measure].label(language)
    assert profile.band is not None
    rows = [{"stap": t("start", language), "cijfer": f"{number(stack.start, language)}%",
             "vergelijking": t("age_band", language, band=profile.band.label), "na": f"{number(stack.start, language)}%"}]
    for step in stack.steps:
        finding = profile.finding(step.factor)
        assert finding is not None
        rows.append({
            "stap": f"{finding.factor.label(language)}: {_level_label(finding, step.level, language)}",
            "cijfer": printed(step.figure.value, step.figure.text, language, step.figure.approximation),
            "vergelijking": comparison_text(step.figure, language),
            "verschuiving": f"{step.shift:+.2f}".replace(".", "," if language == "nl" else "."),
            "na": f"{step.after:.0f}%",
        })
    columns = [Column("stap", t("step", language)), Column("cijfer", t("figure", language)),
               Column("vergelijking", t("compared_with", language)),
               Column("verschuiving", t("shift", language), numeric=True), Column("na", t("after", language), numeric=True)]
    notes = [range_line(stack, profile, reference, language), t("method_line", language)]
    return Section(t("stacking", language, measure=measure), columns, rows, notes=notes)


def range_line(stack: Stack, profile: Profile, reference: Reference, language: str) -> str:
    measure = reference.measures[stack.measure].label(language)
    lower, upper = (_pct(bound, language, computed=bound == stack.combined and bool(stack.steps))
                    for bound in (stack.lower, stack.upper))
    single = (t("age_band", language, band=profile.band.label) if stack.highest_single_from == "leeftijdsband" and profile.band
              else reference.factors[stack.highest_single_from].label(language))
    text = t("range_line", language, measure=measure, lower=lower, upper=upper, single=single)
    if stack.combined < stack.highest_single:
        text += " " + t("range_flipped", language)
    return text


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


# --- words ---------------------------------------------------------------------------------------


def reason(profile: Profile, language: str) -> str:
    """The tier rule's reason from the data, with the deciding factors filled in."""
    decision = profile.tier
    labels = []
    for key in decision.deciding:
        finding = profile.finding(key)
        if key == "djg" and profile.person.djg is not None:
            labels.append(djg_text(profile.person.djg, language))
        elif finding is None:
            labels.append(t("lonely_given", language))
        else:
            labels.append(f"{finding.factor.label(language).lower()}: {_level_label(finding, finding.level.value, language)}")
    return decision.rule.reason(language).replace("{factoren}", "; ".join(labels))


def djg_text(score: DjgScore, language: str) -> str:
    """'De Jong Gierveld-score 9 van 11: ernstig eenzaam'"""
    text = t("djg_score", language, total=score.total, max=len(score.scale.items),
             category=score.category.label(language) if score.category else "–")
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
    return f"{t('tier', language).lower()} {value}"


def _note(code: str, profile: Profile, reference: Reference, language: str) -> str:
    monitor = reference.monitor
    covered = f"{monitor.min_age}+" if monitor.max_age is None else f"{monitor.min_age}-{monitor.max_age}"
    return t(code, language, age=profile.person.age, covered=covered)


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
        "factoren": [{
            "factor": f.factor.id, "label": f.factor.label(language), "categorie": f.factor.category,
            "niveau": f.level.value, "aantal": f.count, "richting": f.level.direction, "bron": list(f.factor.sources),
            "cijfers": [_figure_data(u.figure, language) | {"niveau": u.level, "gestapeld": u.stacked,
                                                           "reden_niet_gestapeld": u.reason} for u in f.figures],
        } for f in profile.findings],
        "stapeling": {measure: {
            "start": stack.start,
            "stappen": [{"factor": s.factor, "niveau": s.level, "waarde": s.figure.value,
                         "vergeleken_met": s.figure.compared_with.value if s.figure.compared_with else None,
                         "verschuiving_logit": round(s.shift, 4), "na_stap": round(s.after, 1)} for s in stack.steps],
            "hoogste_losse_cijfer": stack.highest_single, "hoogste_losse_cijfer_van": stack.highest_single_from,
            "combinatie": stack.combined, "ondergrens": stack.lower, "bovengrens": stack.upper,
            "toelichting": range_line(stack, profile, reference, language),
        } for measure, stack in profile.stacks.items()},
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
    }
