"""The one place where a profile is computed: factors, risk stacking, tier, what fits.

Individual profiles, population profiles, batch runs and trainer views all call
`Engine.profile`. The method is written down in docs/methode.md; in short:

* Every factor the person has is shown with the figures the source gives for
  their level (and for broader levels, e.g. `turks` falls under `niet_westers`),
  as far as the figure's condition (e.g. age 55+) holds.
* The group figures lead: per stackable measure, the highest group figure that
  applies counts every figure that applies, stacked or not.
* The illustration, per stackable measure, is a worked example assuming
  independence, never a figure for the person: start from the age band's
  figure; an age-conditioned figure with an age-matched comparison group
  (Turkish people 55+) replaces that start inside its own condition; every
  other factor's most specific figure shifts the log-odds by logit(figure) minus
  the logit of the population figure, but only where that population figure
  comes from the same survey and year. Where the source says factors partly
  overlap, the smaller side counts for a share set in the data, never so little
  that the group ranks below one the source puts lower. Where a measure that is
  part of another (ernstig of eenzaam) would exceed it, the whole gets no number.
* The tier follows the ordered rules in niveaus.yaml; signals never change it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from decimal import Decimal
from itertools import islice
from typing import Any, NamedTuple

from .reference.model import (
    AgeBand,
    Factor,
    Figure,
    Intervention,
    Level,
    LifeStage,
    Overlap,
    Record,
    Reference,
    Tier,
    TierRule,
)
from .djg import DjgScore
from .person import Person

# Why a figure that applies is shown but not stacked (codes; the CLI words them).
START = "startpunt"  # the age factor: its figure is the starting point itself
OTHER_MEASURE = "andere_maat"  # a measure that is not stacked (e.g. 'weleens eenzaam', 'sterk eenzaam')
NO_FOOTING = "geen_grondslag"  # the data gives no footing (e.g. the figure is itself a comparison group)
LESS_SPECIFIC = "minder_specifiek"  # a more specific figure of the same factor and measure decides
EXTREME = "uiterste_waarde"  # 0% or 100%: no log-odds
NOT_COMPARABLE = "niet_vergelijkbaar"  # no population figure of the same survey and year to shift against

# Notes about the profile as a whole.
NO_AGE = "leeftijd_onbekend"
OUTSIDE_MONITOR = "buiten_monitor"
MIXED_SOURCES = "gemengde_bronnen"

AGE_FACTOR = "leeftijd"  # the factor whose levels are age ranges

# The `deciding` entries of a tier decided by a measurement or a statement.
MEASURED, STATED = "djg", "eenzaam"


class FigureUse(Record):
    figure: Figure
    level: str  # the level the figure belongs to (the person's own, or a broader one)
    stacked: bool
    reason: str | None = None  # why it is not stacked
    overlap: str | None = None  # the declared overlap that counts this stacked figure's shift at `share`
    share: float = 1.0  # the part of its shift that counts (below 1 only on the smaller side of an overlap)


class Finding(Record):
    """A factor the person has, at their level, with the figures that apply."""

    factor: Factor
    level: Level
    direction: str  # the level's direction at the person's age ('neutraal' outside its condition)
    figures: tuple[FigureUse, ...] = ()
    count: int | None = None  # for count factors: the number given


class Step(Record):
    factor: str
    level: str
    figure: Figure
    footing: Decimal  # the figure it shifts against: the population figure, or the age band's when it replaces it
    shift: float  # the part that counts of logit(figure) - logit(footing)
    after: float  # the illustration's running percentage after this step
    replaces_start: bool = False  # an age-matched group figure that becomes the starting point
    share: float = 1.0  # the part of the shift that counts (an overlap's smaller side)


class PathPoint(Record):
    """The combined figures after the start (factor None) or after one factor, for every stacked measure."""

    factor: str | None
    level: str | None
    values: dict[str, float]


class Stack(Record):
    """One measure: the highest group figure that applies, and the illustration assuming independence."""

    measure: str
    start: Decimal  # the age band figure
    steps: tuple[Step, ...]
    highest_group: Decimal  # the highest group figure that applies, stacked or not (the band included)
    highest_group_from: str  # 'leeftijdsband' or the factor id
    combined: Decimal | None  # the illustration assuming independence, to one decimal; None where inconsistent
    inconsistent_with: str | None = None  # the part-of measure whose illustration would exceed this one's


class TierDecision(Record):
    tier: Tier
    rule: TierRule
    deciding: tuple[str, ...]  # the factor ids, or 'djg' / 'eenzaam', that decided


class Fit(Record):
    """An intervention that fits, and why: a tier and life stage, a risk group, or universal for everyone."""

    intervention: Intervention
    reasons: tuple[str, ...]  # 'niveau:2', 'levensfase:ouderen', 'risicogroep:mantelzorger=ja', 'universeel'


class GroupFigure(NamedTuple):
    """One figure the source measured in a group the person belongs to (`figure` None: the age band's own)."""

    factor: str  # a factor id, or 'leeftijdsband'
    level: str
    measure: str
    value: Decimal
    figure: Figure | None
    source: str
    year: int | None


class Profile(Record):
    person: Person
    band: AgeBand | None
    life_stages: tuple[LifeStage, ...]
    findings: tuple[Finding, ...]
    stacks: dict[str, Stack]
    path: tuple[PathPoint, ...]  # the joint running figures, one point per factor that shifted something
    sources: tuple[tuple[str, int | None], ...]  # (source, year) of every figure the stacking combined
    tier: TierDecision
    fits: tuple[Fit, ...]
    signals: tuple[str, ...]
    notes: tuple[str, ...]

    def finding(self, factor_id: str) -> Finding | None:
        return next((f for f in self.findings if f.factor.id == factor_id), None)

    def group_figures(self) -> list[GroupFigure]:
        """What the sources measured in the person's groups, the profile's headline: the band's figures of the
        stacked measures, then every figure that applies to a level, whether or not the illustration stacks it."""
        band = self.band
        found = [GroupFigure("leeftijdsband", band.label, m, value, None, band.source, band.year)
                 for m, value in (band.values.items() if band is not None else ()) if value is not None and m in self.stacks]
        return found + [GroupFigure(f.factor.id, u.level, u.figure.measure, u.figure.value, u.figure, u.figure.source,
                                    u.figure.year)
                        for f in self.findings for u in f.figures if u.reason != START]

    @property
    def measured(self) -> bool:
        """Whether loneliness itself was measured or stated: then that leads, not the group figures."""
        return self.person.djg is not None or self.person.lonely is not None


def logit(percentage: Decimal | float) -> float:
    p = float(percentage) / 100
    return math.log(p / (1 - p))


def expit(log_odds: float) -> float:
    return 100 / (1 + math.exp(-log_odds))


def _matches(selector: str, factor_id: str, levels: list[str]) -> bool:
    """'migratie=turks' or 'opleiding' against a factor and the person's level lineage."""
    wanted, _, value = selector.partition("=")
    return wanted == factor_id and (not value or value in levels)


class StackInput(NamedTuple):
    """What the stacking reads of one finding: its factor and level, and its figures of stacked measures."""

    factor: str
    level: str
    uses: tuple[FigureUse, ...]


# The keys of the engine's caches, each the inputs of what it keeps. Figures and bands live as long as the
# reference, so their ids are stable keys; findings are kept per _finding_key, so the ids of findings that a key
# names are checked against the entry, which holds on to them.

def _finding_key(factor: Factor, value: str, count: int | None, age_class: int) -> tuple:
    return factor.id, value, count, age_class


def _shift_key(figure: Figure, band: AgeBand) -> tuple:
    return id(figure), id(band)


def _overlap_key(band: AgeBand, age_class: int, named: tuple[Finding, ...]) -> tuple:
    return id(band), age_class, *map(id, named)


def _stacking_key(band: AgeBand | None, parts: tuple[StackInput, ...]) -> tuple:
    return id(band), *((p.factor, p.level, *((id(u.figure), u.level, u.stacked, u.share) for u in p.uses)) for p in parts)


def remember(cache: dict, key: Any, value: Any, limit: int) -> Any:
    """Keep `value` under `key` and return it; a cache of `limit` entries first drops its oldest quarter (flat
    memory, and the three quarters kept recently still hit: a file with more distinct keys than `limit` refills
    a quarter at a time, never the whole cache)."""
    if len(cache) >= limit:
        for old in list(islice(cache, max(1, limit // 4))):
            del cache[old]
    cache[key] = value
    return value


class Engine:
    """Profiles people against one reference; build once, call `profile` per person."""

    def __init__(self, reference: Reference):
        self.reference = reference
        self.stackable = tuple(m for m in reference.monitor.measures
                               if m in reference.measures and reference.measures[m].stackable)
        # measure -> the measure it is part of (ernstig -> eenzaam), where both are stacked
        self.part_of = {m: p for m in self.stackable if (p := reference.measures[m].part_of) in self.stackable}
        self.indicator_measure = {i.id: i.measure for scale in reference.djg.scales for i in scale.indicators}
        self._shifts: dict[int, float] = {}
        self._breaks = self.age_breaks()
        self._findings: dict[tuple, Finding] = {}
        # per declared overlap: each side's selectors as (factor id, level or '') pairs
        self._overlaps = [(o, [tuple(s.partition("=")[::2]) for s in o.group], [tuple(s.partition("=")[::2]) for s in o.by])
                          for o in reference.overlaps]
        self._overlap_factors = {factor_id for _, group, by in self._overlaps for factor_id, _ in group + by}
        self._resolved: dict[tuple, tuple] = {}  # ids of the findings overlaps name -> (those, id -> as resolved)
        self._stacked: dict[tuple, tuple] = {}  # what the stacking depends on -> (stacks, path, sources)
        self._lineages: dict[tuple[str, str], list[str]] = {}  # (factor id, level value) -> lineage values
        self._stack_inputs: dict[int, tuple[Finding, StackInput | None]] = {}  # id(finding) -> (finding, its input)

    def profile(self, person: Person, fits: bool = True) -> Profile:
        """The profile of one person; `fits=False` leaves out what fits (a batch run has no use for it)."""
        reference = self.reference
        band, findings, (stacks, path, sources) = self.figures(person)
        notes = [] if person.age is not None else [NO_AGE]
        if person.age is not None and band is None:
            notes.append(OUTSIDE_MONITOR)
        if len(sources) > 1:
            notes.append(MIXED_SOURCES)
        stages = tuple(s for s in reference.life_stages.values() if person.age is not None and s.contains(person.age))
        tier = self.tier(person, findings)
        return Profile(person=person, band=band, life_stages=stages, findings=findings, stacks=stacks, path=path,
                       sources=sources, tier=tier, signals=person.signals, notes=tuple(notes),
                       fits=self._fits(person, findings, stages, tier.tier.number) if fits else ())

    def figures(self, person: Person) -> tuple[AgeBand | None, tuple[Finding, ...], tuple]:
        """What a profile's figures are: the band, the findings (overlaps resolved) and the stacking (stacks, path,
        sources). `profile` adds the tier, life stages, notes and what fits; a batch run needs only these."""
        band = self.reference.monitor.band_for(person.age) if person.age is not None else None
        age_class = self._age_class(person.age)
        factors = self.reference.factors
        findings = tuple(self._finding(factors[fid], value, person.counts.get(fid), age_class)
                         for fid, value in person.factors.items())
        findings = self._resolve_overlaps(findings, band, age_class)
        return band, findings, self._stacking(band, findings)

    # --- factors and their figures --------------------------------------------------------

    def _finding(self, factor: Factor, value: str, count: int | None, age_class: int) -> Finding:
        """A factor at a level (with the number given, for a count factor), kept per age class."""
        key = _finding_key(factor, value, count, age_class)
        found = self._findings.get(key)
        if found is None:
            found = remember(self._findings, key, self._new_finding(factor, value, count, age_class), 10_000)
        return found

    def _age_class(self, age: int | None) -> int:
        """The ages between two `age_breaks` give the same profile: -1 for no age, else the breaks at or below it."""
        return -1 if age is None else bisect_right(self._breaks, age)

    def _class_age(self, age_class: int) -> int | None:
        """An age of the age class (its lowest), for what depends on the age only through its class."""
        if age_class < 0:
            return None
        return self._breaks[age_class - 1] if age_class > 0 else self._breaks[0] - 1

    def _new_finding(self, factor: Factor, value: str, count: int | None, age_class: int) -> Finding:
        age = self._class_age(age_class)
        lineage = factor.lineage(value)
        candidates = [(distance, figure, level.value) for distance, level in enumerate(lineage)
                      for figure in level.figures if figure.applies_at(age)]
        chosen = self._most_specific(factor, candidates)
        uses = []
        for _, figure, level_value in candidates:
            reason = self._why_not_stacked(factor, figure, chosen)
            uses.append(FigureUse(figure=figure, level=level_value, stacked=reason is None, reason=reason))
        return Finding(factor=factor, level=lineage[0], direction=lineage[0].direction_at(age), figures=tuple(uses),
                       count=count)

    def _most_specific(self, factor: Factor, candidates: list[tuple[int, Figure, str]]) -> dict[str, Figure]:
        """Per stackable measure, the figure closest to the person's own level, then with the narrowest condition.

        The most specific figure decides even when it has no footing: a native Dutch person of 60 is
        described by the 55+ comparison group (no shift), not by the all-ages figure for native Dutch people.
        """
        best: dict[str, tuple[tuple[int, int], Figure]] = {}
        for distance, figure, _ in candidates:
            if not factor.stack or figure.measure not in self.stackable:
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
        if chosen.get(figure.measure) is not figure:
            return LESS_SPECIFIC
        if figure.footing is None:
            return NO_FOOTING
        population = self.reference.measures[figure.measure].population
        if figure.footing == "bevolking":
            assert population is not None  # validated
            if (population.source, population.year) != (figure.source, figure.year):
                return NOT_COMPARABLE
            if population.value in (0, 100):
                return EXTREME
        if figure.value in (0, 100):
            return EXTREME
        return None

    def _footing(self, figure: Figure, band: AgeBand) -> Decimal:
        """What a stacked figure shifts against: the population figure, or, for a figure compared with an
        age-matched group (Turkish people 55+), the age band's figure, which it replaces as the starting point."""
        if figure.footing == "vergelijkingsgroep":
            value = band.values.get(figure.measure)
            assert value is not None
            return value
        population = self.reference.measures[figure.measure].population
        assert population is not None
        return population.value

    def _shift(self, figure: Figure, band: AgeBand) -> float:
        key = _shift_key(figure, band)
        shift = self._shifts.get(key)
        if shift is None:
            shift = self._shifts[key] = logit(figure.value) - logit(self._footing(figure, band))
        return shift

    def _resolve_overlaps(self, findings: tuple[Finding, ...], band: AgeBand | None, age_class: int) -> tuple[Finding, ...]:
        """Where the data declares an overlap and the person has both sides, the smaller side counts at a share."""
        named = tuple(f for f in findings if f.factor.id in self._overlap_factors)
        if band is None or not named:
            return findings
        key = _overlap_key(band, age_class, named)
        entry = self._resolved.get(key)
        if entry is None or any(a is not b for a, b in zip(entry[0], named)):
            shares = self._shares(named, band, age_class)  # only the named findings can change
            entry = remember(self._resolved, key, (named, {id(f): self._with_shares(f, shares) for f in named}
                                                   if shares else {}), 10_000)
        replaced = entry[1]
        if not replaced:
            return findings
        return tuple(replaced.get(id(f), f) for f in findings)

    def _shares(self, findings: tuple[Finding, ...], band: AgeBand, age_class: int) -> dict[tuple[str, str], tuple[str, float]]:
        """(factor id, measure) -> (overlap id, share) for the stacked shifts an overlap counts at a share.

        Two excesses overlap: where both sides raise the figure, the larger side counts in full and the smaller
        at the overlap's `smaller_counts`, raised where needed so that the group never comes out below a level
        of its own factor that the source ranks lower in the same comparison (`_rank_floor`).
        """
        shares: dict[tuple[str, str], tuple[str, float]] = {}
        present = {f.factor.id: f for f in findings}
        lineages = {f.factor.id: self._lineage(f) for f in findings}

        def named(selectors: list[tuple[str, str]]) -> bool:
            return any(factor_id in present and (not value or value in lineages[factor_id])
                       for factor_id, value in selectors)

        for overlap, group, by in self._overlaps:
            if not (named(group) and named(by)):
                continue
            for measure in self.stackable:
                sides = [self._side(findings, lineages, selectors, measure, band)
                         for selectors in (overlap.group, overlap.by)]
                totals = [sum(shift for _, shift in side) for side in sides]
                if not all(sides) or min(totals) <= 0:
                    continue
                smaller = 0 if totals[0] < totals[1] else 1
                floor = self._rank_floor(overlap, sides[0], totals, measure, band, age_class, present)
                share = max(float(overlap.smaller_counts), (floor - max(totals)) / min(totals))
                if share < 1:
                    shares |= {(factor_id, measure): (overlap.id, share) for factor_id, _ in sides[smaller]}
        return shares

    def _rank_floor(self, overlap: Overlap, group_side: list[tuple[str, float]], totals: list[float], measure: str,
                    band: AgeBand, age_class: int, present: dict[str, Finding]) -> float:
        """The largest combined shift the person would get with another level of a group-side factor that the
        source ranks lower in the same comparison (a figure of the same study and age condition: Moroccan,
        Surinamese or native Dutch people 55+ for a Turkish person of 55+): the floor of theirs."""
        floor = float("-inf")
        for factor_id, shift in group_side:
            factor = self.reference.factors[factor_id]
            finding = present[factor_id]
            own = self._figure_of(finding, measure)
            if own is None:
                continue
            for level in factor.levels:
                other = self._finding(factor, level.value, finding.count, age_class)
                figure = self._figure_of(other, measure)
                if (figure is None or figure.value >= own.value
                        or (figure.source, figure.condition) != (own.source, own.condition)):
                    continue
                other_shift = sum(self._shift(u.figure, band) for u in other.figures
                                  if u.stacked and u.figure.measure == measure)
                side = totals[0] - shift + other_shift
                in_group = any(_matches(s, factor_id, self._lineage(other)) for s in overlap.group)
                if in_group and side > 0:
                    combined = max(side, totals[1]) + float(overlap.smaller_counts) * min(side, totals[1])
                else:
                    combined = side + totals[1]
                floor = max(floor, combined)
        return floor

    @staticmethod
    def _figure_of(finding: Finding, measure: str) -> Figure | None:
        """The finding's most specific figure of a measure (stacked or not), by which the source ranks levels."""
        return next((u.figure for u in finding.figures if u.figure.measure == measure and u.reason != LESS_SPECIFIC),
                    None)

    @staticmethod
    def _with_shares(finding: Finding, shares: dict[tuple[str, str], tuple[str, float]]) -> Finding:
        """The finding with the shifts an overlap counts at a share marked so."""
        if not any(u.stacked and (finding.factor.id, u.figure.measure) in shares for u in finding.figures):
            return finding
        uses = []
        for u in finding.figures:
            found = shares.get((finding.factor.id, u.figure.measure)) if u.stacked else None
            uses.append(u if found is None else FigureUse(figure=u.figure, level=u.level, stacked=True,
                                                          overlap=found[0], share=found[1]))
        return Finding(factor=finding.factor, level=finding.level, direction=finding.direction, count=finding.count,
                       figures=tuple(uses))

    def _lineage(self, finding: Finding) -> list[str]:
        """The values of a finding's level and the levels it belongs to (`turks` -> turks, niet_westers)."""
        key = (finding.factor.id, finding.level.value)
        values = self._lineages.get(key)
        if values is None:
            values = self._lineages[key] = [level.value for level in finding.factor.lineage(finding.level.value)]
        return values

    def _side(self, findings: tuple[Finding, ...], lineages: dict[str, list[str]], selectors: tuple[str, ...],
              measure: str, band: AgeBand) -> list[tuple[str, float]]:
        """(factor id, shift) of the person's stacked figures of `measure` that one side of an overlap names."""
        return [(f.factor.id, self._shift(u.figure, band)) for f in findings for u in f.figures
                if u.stacked and u.figure.measure == measure
                and any(_matches(s, f.factor.id, lineages[f.factor.id]) for s in selectors)]

    # --- risk stacking ---------------------------------------------------------------------

    def _stacking(self, band: AgeBand | None, findings: tuple[Finding, ...]) -> tuple:
        """(stacks, path, sources): kept per band and stacked figures, which many people share.

        Profiles with the same key share these objects: records are immutable, and nothing writes to the
        stacks dict or a path point's values after `_stacks` made them.
        """
        parts = tuple(filter(None, map(self._stack_input, findings)))
        key = _stacking_key(band, parts)
        found = self._stacked.get(key)
        if found is None:
            stacks, path = self._stacks(band, parts)
            # an entry holds a few dozen records: about 3 KiB
            found = remember(self._stacked, key, (stacks, path, self._sources(band, stacks)), 2_000)
        return found

    def _stack_input(self, finding: Finding) -> StackInput | None:
        """What of a finding the stacking reads (None: nothing): every figure of a stacked measure, stacked or
        not, since the highest group figure counts them all; kept per finding object, which the entry holds on
        to, so an id is never taken for another finding's."""
        entry = self._stack_inputs.get(id(finding))
        if entry is None or entry[0] is not finding:
            uses = tuple(u for u in finding.figures if u.figure.measure in self.stackable and u.reason != START)
            entry = remember(self._stack_inputs, id(finding),
                             (finding, StackInput(finding.factor.id, finding.level.value, uses) if uses else None), 10_000)
        return entry[1]

    def _stacks(self, band: AgeBand | None, parts: tuple[StackInput, ...]) -> tuple[dict[str, Stack], tuple[PathPoint, ...]]:
        """Per stackable measure the illustration (its steps and the joint path) and the highest group figure."""
        starts = {m: v for m in self.stackable
                  if band is not None and (v := band.values.get(m)) is not None and v not in (0, 100)}
        if not starts:
            return {}, ()
        assert band is not None
        steps, path = self._walk(band, starts, parts)
        highest = self._highest(starts, parts)
        final = path[-1].values
        inconsistent = {whole: part for part, whole in self.part_of.items()
                        if part in final and whole in final and final[part] > final[whole]}
        stacks = {}
        for m, start in starts.items():
            combined = Decimal(f"{final[m]:.1f}") if len(path) > 1 else start
            stacks[m] = Stack(measure=m, start=start, steps=tuple(steps[m]), highest_group=highest[m][0],
                              highest_group_from=highest[m][1], combined=None if m in inconsistent else combined,
                              inconsistent_with=inconsistent.get(m))
        return stacks, tuple(path)

    def _walk(self, band: AgeBand, starts: dict[str, Decimal],
              parts: tuple[StackInput, ...]) -> tuple[dict[str, list[Step]], list[PathPoint]]:
        """The illustration factor by factor: each stacked figure adds its share of its shift to the log-odds."""
        log_odds = {m: logit(v) for m, v in starts.items()}
        steps: dict[str, list[Step]] = {m: [] for m in starts}
        path = [PathPoint(factor=None, level=None, values={m: float(v) for m, v in starts.items()})]
        for factor_id, level, figures in parts:
            uses = [u for u in figures if u.stacked and u.figure.measure in starts]
            if not uses:
                continue
            for use in uses:
                log_odds[use.figure.measure] += use.share * self._shift(use.figure, band)
            values = {m: expit(x) for m, x in log_odds.items()}
            path.append(PathPoint(factor=factor_id, level=level, values=values))
            for use in uses:
                figure = use.figure
                steps[figure.measure].append(Step(
                    factor=factor_id, level=use.level, figure=figure, footing=self._footing(figure, band),
                    shift=use.share * self._shift(figure, band), after=values[figure.measure],
                    replaces_start=figure.footing == "vergelijkingsgroep", share=use.share))
        return steps, path

    @staticmethod
    def _highest(starts: dict[str, Decimal], parts: tuple[StackInput, ...]) -> dict[str, tuple[Decimal, str]]:
        """Per measure the highest group figure and where it comes from: every figure that applies counts, stacked
        or not, so none is ever displaced (the age factor's own figure is the band's, and no part of the input)."""
        highest = {m: (v, "leeftijdsband") for m, v in starts.items()}
        for factor_id, _, uses in parts:
            for use in uses:
                m = use.figure.measure
                if m in highest and use.figure.value > highest[m][0]:
                    highest[m] = (use.figure.value, factor_id)
        return highest

    def _sources(self, band: AgeBand | None, stacks: dict[str, Stack]) -> tuple[tuple[str, int | None], ...]:
        """(source, year) of the band and of every figure and footing an illustration combined: more than one is
        worth saying. A measure that nothing shifted combines nothing; a figure that replaces the band as the
        starting point leaves the band out."""
        found: list[tuple[str, int | None]] = []
        for stack in stacks.values():
            if not stack.steps:
                continue
            if band is not None and not any(step.replaces_start for step in stack.steps):
                found.append((band.source, band.year))
            for step in stack.steps:
                found.append((step.figure.source, step.figure.year))
                population = self.reference.measures[stack.measure].population
                if step.figure.footing == "bevolking" and population is not None:
                    found.append((population.source, population.year))
        return tuple(dict.fromkeys(found))

    # --- the tier ----------------------------------------------------------------------------

    def age_breaks(self) -> tuple[int, ...]:
        """Every age at which some part of a profile can change: a band, a level's range or condition, a
        figure's condition. Two ages between the same breaks give the same profile (what fits aside)."""
        reference = self.reference
        breaks = set()
        for band in reference.monitor.bands:
            breaks.add(band.min_age or 0)
            if band.max_age is not None:
                breaks.add(band.max_age + 1)
        for factor in reference.factors.values():
            for level in factor.levels:
                bounds = [level.condition, *(figure.condition for figure in level.figures)]
                ranges = [(level.range.min, level.range.max)] if factor.id == AGE_FACTOR and level.range else []
                for low, high in ranges + [(c.min_age, c.max_age) for c in bounds if c is not None]:
                    if low is not None:
                        breaks.add(low)
                    if high is not None:
                        breaks.add(high + 1)
        return tuple(sorted(breaks))

    def tier(self, person: Person, findings: tuple[Finding, ...]) -> TierDecision:
        """The first rule of niveaus.yaml that holds for this person and these findings (batch runs reuse it)."""
        risks = tuple(f.factor.id for f in findings if f.direction == "risico")
        rule, deciding = self.tier_rule(bool(risks), person.lonely, person.djg)
        return TierDecision(tier=self.reference.tiers.tier(rule.tier), rule=rule,
                            deciding=risks if rule.condition == "risicofactor_aanwezig" else deciding)

    def tier_rule(self, risky: bool, lonely: str | None, djg: DjgScore | None) -> tuple[TierRule, tuple[str, ...]]:
        """The first rule that holds, given whether there is a risk factor, the loneliness stated and the score,
        with the measurement or statement that decided it (all that decides the tier: a batch run keeps it so)."""
        for rule in self.reference.tiers.rules:
            if rule.condition == "eenzaamheid_vastgesteld":
                # A measurement decides before a statement; both are named when both say so.
                deciding = ((MEASURED,) if self._measured(djg, rule.indicator) else ()) + (
                    (STATED,) if self._stated(lonely, rule.indicator) else ())
                if deciding:
                    return rule, deciding
            elif (rule.condition == "risicofactor_aanwezig" and risky) or rule.condition == "altijd":
                return rule, ()
        raise AssertionError("niveaus.yaml ends with an 'altijd' rule (validated)")

    @staticmethod
    def _measured(djg: DjgScore | None, indicator: str | None) -> bool:
        return djg is not None and indicator is not None and djg.indicators.get(indicator) is True

    def _stated(self, lonely: str | None, indicator: str | None) -> bool:
        """`eenzaam: ja` states the measure 'eenzaam', `eenzaam: ernstig` 'ernstig' (which is part of 'eenzaam')."""
        if lonely in (None, "nee") or indicator is None:
            return False
        wanted = self.indicator_measure.get(indicator)
        return lonely == wanted or self.reference.measures[lonely].part_of == wanted

    # --- what fits -----------------------------------------------------------------------------

    def _fits(self, person: Person, findings: tuple[Finding, ...], stages: tuple[LifeStage, ...], tier: int) -> tuple[Fit, ...]:
        present = {f"{finding.factor.id}={level.value}"  # a Turkish person also belongs to 'niet_westers'
                   for finding in findings for level in finding.factor.lineage(finding.level.value)}
        stage_ids = {s.id for s in stages}
        specific, general, universal = [], [], []
        for intervention in self.reference.interventions.values():
            if person.age is not None:
                if intervention.age is not None and not intervention.age.holds(person.age):
                    continue
                if intervention.life_stages and not stage_ids & set(intervention.life_stages):
                    continue
            groups = tuple(g for g in intervention.risk_groups if g in present)
            stages_hit = tuple(f"levensfase:{s}" for s in intervention.life_stages if s in stage_ids)
            if groups:
                specific.append(Fit(intervention=intervention, reasons=tuple(f"risicogroep:{g}" for g in groups)))
            # Targeted at risk groups only (not also universal): fits only when such a group is present.
            elif tier in intervention.tiers and (not intervention.risk_groups or 1 in intervention.tiers):
                general.append(Fit(intervention=intervention, reasons=(f"niveau:{tier}", *stages_hit)))
            elif 1 in intervention.tiers:
                # Universal measures reach everyone (the pyramid of Afbeelding 1), whatever their own tier.
                universal.append(Fit(intervention=intervention, reasons=("universeel", *stages_hit)))
        return (*specific, *general, *universal)


def profile(person: Person, reference: Reference) -> Profile:
    """Profile one person (builds an Engine; reuse an Engine for many people)."""
    return Engine(reference).profile(person)
