"""The one place where a profile is computed: factors, risk stacking, tier, what fits.

Individual profiles, population profiles, batch runs and trainer views all call
`Engine.profile`. The method is written down in docs/methode.md; in short:

* Every factor the person has is shown with the figures the source gives for
  their level (and for broader levels, e.g. `turks` falls under `niet_westers`),
  as far as the figure's condition (e.g. age 55+) holds.
* Risk stacking, per stackable measure: start from the age band's figure; each
  factor then shifts the log-odds by logit(figure) - logit(figure it is compared
  with). Per factor only the most specific applicable figure is used. The range
  runs from the highest single figure that applies to the combination under
  independence (which overstates when factors go together).
* The tier follows the ordered rules in niveaus.yaml; signals never change it.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .model import (
    AgeBand,
    Factor,
    Figure,
    Intervention,
    Level,
    LifeStage,
    Record,
    Reference,
    Tier,
    TierRule,
)
from .person import Person

# Why a figure that applies is shown but not stacked (codes; the CLI words them).
START = "startpunt"  # the age factor: its figure is the starting point itself
OTHER_MEASURE = "andere_maat"  # a measure that is not stacked (e.g. 'weleens eenzaam')
NO_COMPARISON = "geen_vergelijking"  # the source compares it with nothing
LESS_SPECIFIC = "minder_specifiek"  # a more specific figure of the same factor and measure is used
NO_START = "geen_startpunt"  # no age band figure to start from (age unknown or outside the monitor)
EXTREME = "uiterste_waarde"  # 0% or 100%: no log-odds

# Notes about the profile as a whole.
NO_AGE = "leeftijd_onbekend"
OUTSIDE_MONITOR = "buiten_monitor"


class FigureUse(Record):
    figure: Figure
    level: str  # the level the figure belongs to (the person's own, or a broader one)
    stacked: bool
    reason: str | None = None  # why it is not stacked


class Finding(Record):
    """A factor the person has, at their level, with the figures that apply."""

    factor: Factor
    level: Level
    figures: tuple[FigureUse, ...] = ()
    count: int | None = None  # for count factors: the number given


class Step(Record):
    factor: str
    level: str
    figure: Figure
    shift: float  # logit(figure) - logit(comparison)
    after: float  # the combined percentage after this step


class Stack(Record):
    """Risk stacking for one measure, with its honest range."""

    measure: str
    start: Decimal  # the age band figure
    steps: tuple[Step, ...]
    highest_single: Decimal  # the highest single figure that applies (the start included)
    highest_single_from: str  # 'leeftijdsband' or the factor id
    combined: Decimal  # the combination under independence, to one decimal

    @property
    def lower(self) -> Decimal:
        return min(self.highest_single, self.combined)

    @property
    def upper(self) -> Decimal:
        return max(self.highest_single, self.combined)


class TierDecision(Record):
    tier: Tier
    rule: TierRule
    deciding: tuple[str, ...]  # the factor ids, or 'eenzaam', that decided


class Fit(Record):
    """An intervention that fits, and why: a tier and life stage, or a risk group."""

    intervention: Intervention
    reasons: tuple[str, ...]  # 'niveau:2', 'levensfase:ouderen', 'risicogroep:mantelzorger=ja'


class Profile(Record):
    person: Person
    band: AgeBand | None
    life_stages: tuple[LifeStage, ...]
    findings: tuple[Finding, ...]
    stacks: dict[str, Stack]
    tier: TierDecision
    fits: tuple[Fit, ...]
    signals: tuple[str, ...]
    notes: tuple[str, ...]

    def finding(self, factor_id: str) -> Finding | None:
        return next((f for f in self.findings if f.factor.id == factor_id), None)


def logit(percentage: Decimal | float) -> float:
    p = float(percentage) / 100
    return math.log(p / (1 - p))


def expit(log_odds: float) -> float:
    return 100 / (1 + math.exp(-log_odds))


class Engine:
    """Profiles people against one reference; build once, call `profile` per person."""

    def __init__(self, reference: Reference):
        self.reference = reference
        self.stackable = tuple(m for m in reference.monitor.measures
                               if m in reference.measures and reference.measures[m].stackable)

    def profile(self, person: Person) -> Profile:
        reference = self.reference
        band = reference.monitor.band_for(person.age) if person.age is not None else None
        notes = [] if person.age is not None else [NO_AGE]
        if person.age is not None and band is None:
            notes.append(OUTSIDE_MONITOR)
        findings = tuple(self._finding(reference.factors[fid], value, person) for fid, value in person.factors.items())
        stacks = {m: stack for m in self.stackable if (stack := self._stack(m, band, findings)) is not None}
        stages = tuple(s for s in reference.life_stages.values() if person.age is not None and s.contains(person.age))
        tier = self._tier(person, findings)
        fits = self._fits(person, findings, stages, tier.tier.number)
        return Profile(person=person, band=band, life_stages=stages, findings=findings, stacks=stacks,
                       tier=tier, fits=fits, signals=person.signals, notes=tuple(notes))

    # --- factors and their figures --------------------------------------------------------

    def _finding(self, factor: Factor, value: str, person: Person) -> Finding:
        level = factor.level(value)
        assert level is not None
        candidates: list[tuple[int, Figure, str]] = []  # (distance from the person's own level, figure, level)
        distance, current = 0, level
        while current is not None:
            candidates += [(distance, f, current.value) for f in current.figures if f.applies_at(person.age)]
            current = factor.level(current.broader) if current.broader else None
            distance += 1
        chosen = self._most_specific(factor, candidates)
        uses = []
        for _, figure, level_value in candidates:
            reason = self._why_not_stacked(factor, figure, chosen)
            uses.append(FigureUse(figure=figure, level=level_value, stacked=reason is None, reason=reason))
        return Finding(factor=factor, level=level, figures=tuple(uses), count=person.counts.get(factor.id))

    def _stackable(self, factor: Factor, figure: Figure) -> bool:
        return factor.stack and figure.measure in self.stackable and figure.compared_with is not None

    def _most_specific(self, factor: Factor, candidates: list[tuple[int, Figure, str]]) -> dict[str, Figure]:
        """Per measure, the figure closest to the person's own level, then with the narrowest condition."""
        best: dict[str, tuple[tuple[int, int], Figure]] = {}
        for distance, figure, _ in candidates:
            if not self._stackable(factor, figure):
                continue
            rank = (distance, -(figure.condition.specificity if figure.condition else 0))
            if figure.measure not in best or rank < best[figure.measure][0]:
                best[figure.measure] = (rank, figure)
        return {measure: figure for measure, (_, figure) in best.items()}

    def _why_not_stacked(self, factor: Factor, figure: Figure, chosen: dict[str, Figure]) -> str | None:
        if not factor.stack:
            return START
        if figure.measure not in self.stackable:
            return OTHER_MEASURE
        if figure.compared_with is None:
            return NO_COMPARISON
        if chosen.get(figure.measure) is not figure:
            return LESS_SPECIFIC
        if any(v in (0, 100) for v in (figure.value, figure.compared_with.value)):
            return EXTREME
        return None

    # --- risk stacking ---------------------------------------------------------------------

    def _stack(self, measure: str, band: AgeBand | None, findings: tuple[Finding, ...]) -> Stack | None:
        start = band.values.get(measure) if band is not None else None
        if start is None or start in (0, 100):
            return None
        log_odds = logit(start)
        steps: list[Step] = []
        highest, highest_from = start, "leeftijdsband"
        for finding in findings:
            for use in finding.figures:
                if not use.stacked or use.figure.measure != measure:
                    continue
                figure = use.figure
                assert figure.compared_with is not None
                shift = logit(figure.value) - logit(figure.compared_with.value)
                log_odds += shift
                steps.append(Step(factor=finding.factor.id, level=use.level, figure=figure, shift=shift,
                                  after=expit(log_odds)))
                if figure.value > highest:
                    highest, highest_from = figure.value, finding.factor.id
        combined = Decimal(f"{expit(log_odds):.1f}") if steps else start
        return Stack(measure=measure, start=start, steps=tuple(steps), highest_single=highest,
                     highest_single_from=highest_from, combined=combined)

    # --- the tier ----------------------------------------------------------------------------

    def _tier(self, person: Person, findings: tuple[Finding, ...]) -> TierDecision:
        risks = tuple(f.factor.id for f in findings if f.level.direction == "risico")
        measured = person.djg is not None and person.djg.lonely
        for rule in self.reference.tiers.rules:
            if rule.condition == "eenzaamheid_vastgesteld" and (measured or person.lonely):
                # A measurement decides before a statement; both are named when both say so.
                deciding: tuple[str, ...] = (("djg",) if measured else ()) + (("eenzaam",) if person.lonely else ())
            elif rule.condition == "risicofactor_aanwezig" and risks:
                deciding = risks
            elif rule.condition == "altijd":
                deciding = ()
            else:
                continue
            return TierDecision(tier=self.reference.tiers.tier(rule.tier), rule=rule, deciding=deciding)
        raise AssertionError("niveaus.yaml ends with an 'altijd' rule (validated)")

    # --- what fits -----------------------------------------------------------------------------

    def _fits(self, person: Person, findings: tuple[Finding, ...], stages: tuple[LifeStage, ...], tier: int) -> tuple[Fit, ...]:
        present = set()
        for finding in findings:
            level: Level | None = finding.level
            while level is not None:  # a Turkish person also belongs to the group 'niet_westers'
                present.add(f"{finding.factor.id}={level.value}")
                level = finding.factor.level(level.broader) if level.broader else None
        stage_ids = {s.id for s in stages}
        fits = []
        for intervention in self.reference.interventions.values():
            if person.age is not None:
                if intervention.age is not None and not intervention.age.holds(person.age):
                    continue
                if intervention.life_stages and not stage_ids & set(intervention.life_stages):
                    continue
            groups = tuple(g for g in intervention.risk_groups if g in present)
            # Targeted at risk groups only (not also universal): fits only when such a group is present.
            general = tier in intervention.tiers and (not intervention.risk_groups or 1 in intervention.tiers)
            if groups:
                fits.append(Fit(intervention=intervention, reasons=tuple(f"risicogroep:{g}" for g in groups)))
            elif general:
                stages_hit = [s for s in intervention.life_stages if s in stage_ids]
                fits.append(Fit(intervention=intervention,
                                reasons=(f"niveau:{tier}", *(f"levensfase:{s}" for s in stages_hit))))
        # The specific (risk group) fits first; within each kind, the data's order.
        return tuple(sorted(fits, key=lambda fit: not fit.reasons[0].startswith("risicogroep")))


def profile(person: Person, reference: Reference) -> Profile:
    """Profile one person (builds an Engine; reuse an Engine for many people)."""
    return Engine(reference).profile(person)
