"""Population profiles: a population is a sum of segments, each profiled once by the same engine as a person.

A segment is a row of counts (`aantal`) with person keys (`leeftijd` as an age or a band such as `75-84` or
`85+`, `burgerlijke_staat`, `migratie`, …) and an optional area (`gebied`). For each segment the engine's
profile gives, per stacked measure, the combination assuming independence. A band is profiled at every whole
age in it (uniform within the band) so that age-dependent parts (the adolescent level 15-24, figures for 55
and over) count only for the ages they hold for. Each distinct segment key is profiled once, however many rows
share it.

The expected numbers are calibrated: within each area and monitor band, per measure, one intercept `c` is
added to the logit of every segment's combination, so that the segments' expected people add up to the count
times the band's monitor figure. The factors' contrasts (differences of logits) are kept; they redistribute
the band's lonely people over the segments and never add to them (`solve_intercept`, docs/methode.md §8). A
cell whose combinations already add up exactly (an age-only population) keeps them as they are, in decimals.

Bands that are not the monitor's are an error, unless `redistribute` is set: the count is then split over
the monitor bands it overlaps in proportion to the years (uniform within the band); ages under the monitor's
range are counted as outside it, never dropped.

The tier split applies the rules of niveaus.yaml in order to the expected figures: the share severely lonely
(the `ernstig` indicator's measure) falls under the tier-3 rule, the further share lonely under the
moderately-lonely rule, and the rest under the risk-factor rule or the last rule. The comparison with
observed figures uses the methods in core/stats.py: a Wilson interval for the observed proportion and the
indirectly standardised ratio against the age structure.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import add, itemgetter
from typing import Any, NamedTuple

from .errors import InputError
from .record import Record
from .reference.model import AgeBand, Reference
from .person import AGE, DJG, PersonReader, Recognised, column_keys, known_keys, recognise, shortened
from .profile import Engine, Profile, Stack
from .stats import Interval, Ratio, standardised_ratio, wilson
from .files.tabular import open_table, plain_number

COUNT, AREA = "aantal", "gebied"
OBSERVED, RESPONDENTS, MEASURE = "waargenomen", "respondenten", "maat"
OUTSIDE = "buiten_monitor"  # the key of people outside the monitor's ages
HUNDRED = Decimal(100)
MAX_COUNT = 10**10  # people in one row or one area: more than live on Earth
_COUNT_ALLOWED = "een geheel getal van 0 tot en met 10 miljard"
TIERS = (1, 2, 3)
ABOVE = Decimal("1e-9")  # percentage points: above the band's figure by more than the calibration's rounding

_BAND = re.compile(r"^(\d+)(?: ?jaar)?\s*(?:-|–|tot(?: en met)?|t/m)\s*(\d+)(?:\s*jaar)?$")
_OPEN = re.compile(r"^(\d+)\s*(?:\+|(?:jaar )?(?:en|of) ouder|plus)(?:\s*jaar)?$")  # CBS: '65 jaar of ouder'
_AGE = re.compile(r"^(\d+)(?:[.,]0+)?$")  # 76, and 76.0 or 76,0 as a spreadsheet or SPSS writes it


def count_of(value: Any, where: str, name: str = COUNT) -> Decimal:
    """A number of people: a whole number from 0 to MAX_COUNT, written plainly; InputError naming `where` and `name`.

    The bound keeps every sum and product of the Decimal figures exact to well within their 28 digits.
    """
    text = "" if value is None else str(value).strip()
    if not text:
        raise InputError(f"{where}: {name} ontbreekt ({_COUNT_ALLOWED})")
    try:
        number = plain_number(text, decimal_comma=True)  # a decimal comma is read as one, to say what is wrong with '12,5'
    except ValueError as error:
        raise InputError(f"{where}: {name}: {error} ({_COUNT_ALLOWED})") from None
    assert number is not None
    if number < 0:
        raise InputError(f"{where}: {name}: {text} is negatief ({_COUNT_ALLOWED})")
    if number != number.to_integral_value():
        raise InputError(f"{where}: {name}: {text} is geen geheel getal (een aantal mensen wordt niet afgerond)")
    if number > MAX_COUNT:
        raise InputError(f"{where}: {name}: {text} is meer dan 10 miljard (meer mensen dan er op aarde wonen)")
    return number.to_integral_value()


def table_rows(name: Any, check: Callable[[Sequence[str], str], Any] | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """(where, row) of every row of a CSV, Excel or SPSS file (or `-`), its columns checked at the header first
    (by `check`, given the header and its place, such as `PopulationEngine.recognise`)."""
    with open_table(name) as table:
        (check or column_keys)(table.header, f"{table.file}:1")
        for line, row in table.rows():
            yield f"{table.file}:{line}", row


class OptionNeeded(InputError):
    """A row that only an option can make readable (an open band without --hoogste-leeftijd): every such row would
    say the same, so the run stops at the first."""


class AgeRange(Record):
    """An age or a band as written: inclusive bounds, `high` None for an open band (85+)."""

    low: int
    high: int | None
    text: str

    @property
    def single(self) -> bool:
        return self.high == self.low


def parse_age_range(value: Any, where: str) -> AgeRange:
    """'45', '75-84', '75-84 jaar', '85+', '15 tot 25' (half open, as CBS writes it: 15-24), CBS's '0 tot 15 jaar',
    '65 jaar of ouder' and '65 jaar en ouder'; '15 t/m 24' and '15 tot en met 24' include 24."""
    text = " ".join(str(value).strip().lower().split())
    if match := _AGE.match(text):
        return AgeRange(low=int(match.group(1)), high=int(match.group(1)), text=match.group(1))
    if match := _BAND.match(text):
        low, high = int(match.group(1)), int(match.group(2))
        if " tot " in f" {text} " and "tot en met" not in text:
            high -= 1  # '15 tot 25': up to 25, not including it
        if high < low:
            raise InputError(f"{where}: leeftijd: band {str(value).strip()!r} loopt achteruit")
        return AgeRange(low=low, high=high, text=text)
    if match := _OPEN.match(text):
        return AgeRange(low=int(match.group(1)), high=None, text=text)
    raise InputError(f"{where}: leeftijd: {str(value).strip()!r} is geen leeftijd of band "
                     "(bijv. 45, 75-84, 85+ of '15 tot 25')")


class Part(Record):
    """Where a row's people go: a monitor band, the whole ages of it they cover, and their share of the row."""

    band: AgeBand
    ages: tuple[int, ...]
    share: Decimal
    key: int = -1  # the segment key's number (its ages and person keys), set once the template is known


class Template(Record):
    """What every row with the same age and person keys becomes: computed once, reused for every such row."""

    parts: tuple[Part, ...]
    outside: Decimal  # the share of the row outside the monitor's ages
    items: tuple[tuple[str, str], ...]  # the person keys other than age, as read (factor id, level or count)
    split: bool = False  # spread over more than one monitor band, or only partly in one


class Point(NamedTuple):
    """The ages of a segment key that the engine profiles alike: their share of its ages and their figures."""

    weight: Decimal  # the share of the key's whole ages (the weights of a key add up to 1)
    figures: tuple[Decimal | None, ...]  # per stacked measure: the combination at these ages (%), None without a stack
    risk: bool  # whether a risk factor decides the tier at these ages


class Estimate(Record):
    """What the engine says about one segment key, averaged over the ages it covers (not yet calibrated)."""

    combined: dict[str, Decimal]  # measure -> the combination assuming independence (%), averaged over the ages
    band: dict[str, Decimal]  # measure -> the age band's own figure (%)
    points: tuple[Point, ...]  # the ages, grouped by their figures and risk
    factors: tuple[Decimal, ...]  # per stacked measure: combined, band (%); then the tier shares
    flat: bool  # every combination is the band's own figure: nothing to calibrate


class Totals(Record):
    """Expected numbers for a group of segments (an area, a band, everything)."""

    count: Decimal
    outside: Decimal  # people outside the monitor's ages: counted, not estimated
    expected: dict[str, Decimal]  # measure -> expected people (calibrated)
    band_expected: dict[str, Decimal]  # measure -> expected people from the age bands alone
    tiers: dict[int, Decimal]  # tier -> expected people


class Focus(Record):
    row: str
    area: str
    band: str
    items: tuple[tuple[str, str], ...]
    count: Decimal
    expected: Decimal  # expected lonely people (calibrated)
    excess: Decimal  # percentage points above the band's figure (calibrated)


class Calibration(NamedTuple):
    """Per area and band: how far the uncalibrated segments drift from the band's figure, and the intercept applied."""

    area: str
    band: str
    count: Decimal
    band_figure: Decimal
    computed: Decimal  # the count-weighted combination of the segments before calibration (%)
    deviation: Decimal  # percentage points, before calibration
    split: bool  # whether the band was split by factors (else it must be exact)
    intercept: float = 0.0  # the c added to every segment's logit (0 where nothing drifts)


class Comparison(Record):
    """An area's observed figure against what its age structure predicts."""

    area: str
    respondents: int
    observed: int
    proportion: Decimal
    interval: Interval  # Wilson, as a proportion
    expected: float
    expected_from: str  # 'banden' (respondents per band) or 'leeftijdsopbouw' (the area's age structure)
    ratio: Ratio
    verdict: str  # 'hoger', 'lager' or 'niet_te_onderscheiden'


class PopulationProfile(Record):
    measure: str  # the measure focus groups, calibration and comparisons are about
    areas: dict[str, Totals]
    bands: dict[str, Totals]
    total: Totals
    segments: int  # rows read
    distinct: int  # distinct segment keys profiled
    redistributed: int  # rows split over monitor bands
    calibration: tuple[Calibration, ...]  # the cells split by factors
    age_only_cells: int  # cells with age only: they must give the band's figure exactly
    age_only_worst: Decimal  # the largest deviation among those (percentage points; 0 when exact)
    focus_expected: tuple[Focus, ...]
    focus_excess: tuple[Focus, ...]
    comparisons: tuple[Comparison, ...]


class InputProblems(InputError):
    """Several bad rows, each reported on its own line (exit 2)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class PopulationEngine:
    """Profiles populations against one reference; build once, reuse.

    Rows are streamed: each row adds its count to a cell (area, band, segment key), and the engine's figures
    are computed once per distinct segment key when the cells are summed up.
    """

    def __init__(self, reference: Reference, engine: Engine | None = None, reader: PersonReader | None = None):
        self.reference = reference
        self.engine = engine or Engine(reference)
        self.reader = reader or PersonReader(reference)
        self.monitor = reference.monitor
        self.stackable = self.engine.stackable
        self._keys: dict[tuple, int] = {}  # (ages, person keys) -> segment key number
        self._estimates: dict[int, Estimate] = {}
        self._key_items: dict[int, tuple[tuple[str, str], ...]] = {}
        self._templates: dict[tuple, Template] = {}
        self._layouts: dict[tuple[Any, ...], _Layout] = {}
        self._solved: dict[tuple, tuple[dict[int, tuple[Decimal, ...]], dict[str, float]]] = {}  # composition -> calibration
        indicators = {i.id: i.measure for scale in reference.djg.scales for i in scale.indicators}
        self.rules = [(rule, indicators.get(rule.indicator) if rule.indicator else None) for rule in reference.tiers.rules]

    # --- reading rows ------------------------------------------------------------------------------

    def layout(self, where: str, row: Mapping[str, Any]) -> _Layout:
        """Where a row's count, area, age and person keys are; rows of one file share it, so it is found once.

        Two columns for one key (`Leeftijd` and `leeftijd`) are an InputError naming both.
        """
        columns = tuple(row)
        layout = self._layouts.get(columns)
        if layout is None:
            self.recognise(columns, where)
            layout = self._layouts[columns] = _Layout.of(column_keys(columns, where))
        return layout

    def recognise(self, columns: Sequence[Any], where: str) -> Recognised:
        """What segment columns are; a header without `aantal` or `leeftijd`, or with a column that is no key, is
        one InputError naming what is missing and what was found (`where` is the header's place)."""
        keys = dict(zip(column_keys(columns, where), map(str, columns)))
        missing = [key for key in (COUNT, AGE) if key not in keys]
        if missing:
            raise InputError(f"{where}: geen kolom {' en geen kolom '.join(missing)} (gevonden: "
                             f"{shortened([repr(str(c)) for c in columns])}); een segmentenbestand heeft een kolom "
                             f"{COUNT}, een kolom {AGE} (leeftijd of band) en eventueel {AREA} en persoonssleutels; koppel "
                             "de kolommen met --kolom DOEL=BRON of --koppeling KOPPELING.yaml")
        recognised = recognise(columns, self.reference, where, also={DJG}, count=keys[COUNT],
                               area=keys.get(AREA))
        if recognised.passed:
            raise InputError(f"{where}: onbekende kolom {shortened([repr(c) for c in recognised.passed])} (toegestaan: "
                             f"{COUNT}, {AREA}, {shortened(known_keys(self.reference))}); koppel de kolommen met "
                             "--kolom DOEL=BRON of --koppeling KOPPELING.yaml")
        return recognised

    def read_row(self, where: str, row: Mapping[str, Any], redistribute: bool = False,
                 top_age: int | None = None) -> tuple[Decimal, str, Template]:
        """(count, area, template) of one row."""
        columns = tuple(row)
        layout = self.layout(where, row)
        values = tuple(row.values())
        count = values[layout.count] if layout.count is not None else None
        area = values[layout.area] if layout.area is not None else None
        rest = layout.rest(values)
        key = (columns, rest, redistribute, top_age)
        try:
            template = self._templates.get(key)
        except TypeError:  # an unhashable value (a list in a YAML row): read it, uncached
            key, template = None, None
        if template is None:
            age = values[layout.age] if layout.age is not None else None
            given = tuple((columns[i], values[i]) for i in layout.others)
            template = self.template(where, age, given, redistribute, top_age)
            if key is not None:
                self._templates[key] = template
        return count_of(count, where), "" if area is None else str(area).strip(), template

    def template(self, where: str, age: Any, given: tuple[tuple[Any, Any], ...], redistribute: bool = False,
                 top_age: int | None = None) -> Template:
        """The parts of a row with this age and these person keys (errors name `where`)."""
        person = self.reader.read((str(k), v, f"{where}: {k}") for k, v in given)  # keys and values checked here
        items = tuple(sorted((k, str(person.counts.get(k, v))) for k, v in person.factors.items()))
        if age is None or not str(age).strip():
            raise InputError(f"{where}: leeftijd ontbreekt (een leeftijd of een band van de monitor, "
                             f"bijv. {self._bands_text()})")
        parts, outside = self._parts(where, age, parse_age_range(age, where), redistribute, top_age)
        parts = tuple(Part(band=p.band, ages=p.ages, share=p.share, key=self._key(p.ages, items)) for p in parts)
        return Template(parts=parts, outside=outside, items=items,
                        split=len(parts) > 1 or any(part.share != 1 for part in parts))

    def _parts(self, where: str, age: Any, span: AgeRange, redistribute: bool,
               top_age: int | None) -> tuple[tuple[Part, ...], Decimal]:
        one = Decimal(1)
        if span.single:
            band = self.monitor.band_for(span.low)
            # younger than the monitor (or older than a closed top band): outside it, counted
            return ((Part(band=band, ages=(span.low,), share=one),), Decimal(0)) if band else ((), one)
        exact = next((b for b in self.monitor.bands if (b.min_age, b.max_age) == (span.low, span.high)), None)
        if exact is not None:
            return (Part(band=exact, ages=self._ages(exact), share=one),), Decimal(0)
        if span.high is not None and span.high < self.monitor.min_age:
            return (), one  # a band wholly under the monitor's ages: outside it, counted
        if not redistribute:
            raise InputError(f"{where}: leeftijd: {str(age).strip()!r} is geen band van de monitor "
                             f"(banden: {self._bands_text()}); gebruik --herverdeel om het aantal naar rato van de "
                             "jaren over de monitorbanden te verdelen")
        return self._redistribute(where, span, top_age)

    def _redistribute(self, where: str, span: AgeRange, top_age: int | None) -> tuple[tuple[Part, ...], Decimal]:
        """Split a band over the monitor bands it overlaps, in proportion to the years (uniform within the band)."""
        open_band = self.monitor.bands[-1] if self.monitor.bands[-1].max_age is None else None
        high = span.high
        if high is None:
            if open_band is not None and span.low >= (open_band.min_age or 0):
                high = span.low  # 90+ lies wholly in the monitor's open band 85+
            elif top_age is None:
                raise OptionNeeded(f"{where}: leeftijd: de open band {span.text!r} kan alleen naar rato van de jaren "
                                 "verdeeld worden met een bovengrens; geef --hoogste-leeftijd (bijv. 100)")
            elif top_age < span.low:
                raise InputError(f"{where}: leeftijd: --hoogste-leeftijd {top_age} ligt onder de band {span.text!r}")
            else:
                high = top_age
        years = high - span.low + 1
        parts: list[Part] = []
        covered = 0
        for band in self.monitor.bands:
            band_low = band.min_age or 0
            band_high = band.max_age if band.max_age is not None else max(high, band_low)
            low, up = max(span.low, band_low), min(high, band_high)
            if up < low:
                continue
            covered += up - low + 1
            ages = tuple(range(low, up + 1)) if band.max_age is not None else (low,)
            parts.append(Part(band=band, ages=ages, share=Decimal(up - low + 1) / years))
        return tuple(parts), Decimal(years - covered) / years

    def _ages(self, band: AgeBand) -> tuple[int, ...]:
        low = band.min_age or 0
        return tuple(range(low, band.max_age + 1)) if band.max_age is not None else (low,)

    def _bands_text(self) -> str:
        return ", ".join(b.label for b in self.monitor.bands)

    # --- profiling ----------------------------------------------------------------------------------

    def _key(self, ages: tuple[int, ...], items: tuple[tuple[str, str], ...]) -> int:
        """The number of a segment key; its figures are computed here, once per distinct key."""
        key = self._keys.get((ages, items))
        if key is None:
            key = self._keys[(ages, items)] = len(self._keys)
            self._estimates[key] = self.estimate(ages, items)
            self._key_items[key] = items
        return key

    def estimate(self, ages: tuple[int, ...], items: tuple[tuple[str, str], ...]) -> Estimate:
        """The engine's figures for a segment key, averaged over the whole ages it covers."""
        profiles = [self.engine.profile(self.reader.read(
            [(AGE, age, "leeftijd"), *((k, v, k) for k, v in items)])) for age in ages]
        return self._average(profiles)

    def _average(self, profiles: list[Profile]) -> Estimate:
        n = len(profiles)
        combined: dict[str, Decimal] = {}
        figures: dict[str, Decimal] = {}
        for measure in self.stackable:
            stacks = [p.stacks.get(measure) for p in profiles]
            if any(s is None for s in stacks):
                continue
            combined[measure] = sum((_figure(s) for s in stacks), Decimal(0)) / n  # type: ignore[arg-type]
            figures[measure] = stacks[0].start  # type: ignore[union-attr]
        ages: dict[tuple, int] = defaultdict(int)
        for profile in profiles:
            stacks = profile.stacks
            ages[(tuple(_figure(stacks[m]) if m in combined else None for m in self.stackable),
                  profile.tier.rule.condition == "risicofactor_aanwezig")] += 1
        points = tuple(Point(Decimal(k) / n, figures_, risk) for (figures_, risk), k in ages.items())
        shares = [{m: f / HUNDRED for m, f in zip(self.stackable, point.figures) if f is not None} for point in points]
        return Estimate(combined=combined, band=figures, points=points,
                        factors=self._factors(combined, figures, points, shares),
                        flat=all(f is None or f == figures[m] for point in points for m, f in zip(self.stackable, point.figures)))

    def _factors(self, expected: Mapping[str, Decimal], band: Mapping[str, Decimal], points: Sequence[Point],
                 shares: Sequence[Mapping[str, Decimal]]) -> tuple[Decimal, ...]:
        """A segment's factors, which `_Sum` multiplies by its people: per stacked measure its expected share and the
        band's figure (%), then the share of each tier (the rules applied at each point's shares, 0..1)."""
        zero = Decimal(0)
        tiers: dict[int, Decimal] = defaultdict(Decimal)
        for point, share in zip(points, shares):
            for tier, part in self._tier_shares(point.risk, share).items():
                tiers[tier] += point.weight * part
        return (*(value for m in self.stackable for value in (expected.get(m, zero), band.get(m, zero))),
                *(tiers.get(tier, zero) for tier in TIERS))

    def _tier_shares(self, risk: bool, shares: Mapping[str, Decimal]) -> dict[int, Decimal]:
        """The tier rules of niveaus.yaml applied, in order, to the expected shares (0..1) of some people."""
        result: dict[int, Decimal] = defaultdict(Decimal)
        assigned = Decimal(0)
        for rule, measure in self.rules:
            if rule.condition == "eenzaamheid_vastgesteld":
                if measure not in shares:
                    continue
                share = max(shares[measure] - assigned, Decimal(0))
            elif rule.condition == "risicofactor_aanwezig" and not risk:
                continue
            else:
                share = 1 - assigned
            result[rule.tier] += share
            assigned += share
            if assigned >= 1:
                break
        return dict(result)

    # --- calibration --------------------------------------------------------------------------------

    def _cell(self, group: Mapping[int, Decimal]) -> tuple[dict[int, tuple[Decimal, ...]] | None, dict[str, float]]:
        """The calibrated factors of each segment key of one area-band cell, and the intercept per measure.

        None where nothing drifts (every combination adds up to the band's figure exactly, as for age only): the
        estimates' own factors, exact decimals. The result depends on the segments' shares of the cell only, so
        cells with the same composition (a band given as one segment, in every area) are solved once.
        """
        estimates = self._estimates
        if all(estimates[key].flat for key in group):
            return None, {}
        first = estimates[next(iter(group))]
        people = sum(group.values(), Decimal(0))
        drifting = [m for m in first.combined
                    if sum(n * estimates[key].combined[m] for key, n in group.items()) != people * first.band[m]]
        if not drifting:
            return None, {}
        composition = tuple(sorted((key, n / people) for key, n in group.items()))
        solved = self._solved.get(composition)
        if solved is None:
            solved = self._solved[composition] = self._calibrate(composition, drifting)
        return solved

    def _calibrate(self, composition: tuple[tuple[int, Decimal], ...],
                   drifting: Sequence[str]) -> tuple[dict[int, tuple[Decimal, ...]], dict[str, float]]:
        """Solve the intercept of each drifting measure for segments with these shares of a cell (docs/methode.md §8).

        The float solution's last rounding error is removed by scaling the cell's shares by a factor that differs
        from 1 by about the solver's tolerance, so the cell's expected people add up to its count × the band's
        figure in decimals.
        """
        estimates = [self._estimates[key] for key, _ in composition]
        band = estimates[0].band
        shares: list[list[dict[str, Decimal]]] = [[{} for _ in e.points] for e in estimates]
        intercepts: dict[str, float] = {}
        for i, measure in enumerate(self.stackable):
            if measure not in band:
                continue
            figures = [[point.figures[i] for point in e.points] for e in estimates]
            if measure not in drifting:  # this measure adds up already: its shares as they are, exactly
                for cell_shares, values in zip(shares, figures):
                    for share, value in zip(cell_shares, values):
                        share[measure] = value / HUNDRED
                continue
            terms: dict[float, float] = defaultdict(float)
            for (_, part), e, values in zip(composition, estimates, figures):
                for point, value in zip(e.points, values):
                    terms[logit(value)] += float(part * point.weight)
            c = intercepts[measure] = solve_intercept(terms.items(), float(band[measure] / HUNDRED))
            calibrated = [[Decimal(expit(logit(value) + c)) for value in values] for values in figures]
            raw = sum((part * sum((p.weight * v for p, v in zip(e.points, values)), Decimal(0))
                       for (_, part), e, values in zip(composition, estimates, calibrated)), Decimal(0))
            scale = band[measure] / HUNDRED / raw if raw else Decimal(1)
            for cell_shares, values in zip(shares, calibrated):
                for share, value in zip(cell_shares, values):
                    share[measure] = value * scale
        factors = {}
        for (key, _), e, segment in zip(composition, estimates, shares):
            expected = {m: sum((p.weight * s[m] for p, s in zip(e.points, segment)), Decimal(0)) * HUNDRED for m in band}
            factors[key] = self._factors(expected, band, e.points, segment)
        return factors, intercepts

    # --- the whole population ------------------------------------------------------------------------

    def profile(self, rows: Iterable[tuple[str, Mapping[str, Any]]], redistribute: bool = False,
                top_age: int | None = None, measure: str = "eenzaam",
                observed: Iterable[tuple[str, Mapping[str, Any]]] = (), top: int = 10,
                confidence: float = 0.95) -> PopulationProfile:
        """Stream the rows into cells, then sum the cells up; every bad row is reported (InputProblems)."""
        if measure not in self.stackable:
            raise InputError(f"--maat: {measure!r} kan niet (toegestaan: {', '.join(self.stackable)})")
        if top < 1:  # the focus groups keep the `top` largest in a heap, which must hold one at least
            raise InputError(f"--top: {top} kan niet (toegestaan: 1 of meer)")
        cells, first, outside, count_rows, split = self._fill(rows, redistribute, top_age)
        tally = self._sum_cells(cells, first, measure, top)
        for area, people in outside.items():
            tally.areas[area].outside += people
            tally.total.outside += people
        return PopulationProfile(
            measure=measure, areas={a: summed.totals() for a, summed in sorted(tally.areas.items())},
            bands={b.label: tally.bands[b.label].totals() for b in self.monitor.bands if b.label in tally.bands},
            total=tally.total.totals(), segments=count_rows, distinct=len(self._estimates), redistributed=split,
            **_calibration_summary(tally.calibration),
            focus_expected=tuple(_focus(entry) for _, entry in sorted(tally.most, reverse=True)),
            focus_excess=tuple(_focus(entry) for _, entry in sorted(tally.excess, reverse=True)),
            comparisons=tuple(self._comparisons(observed, self._structure(tally.calibration), confidence, measure)))

    def _fill(self, rows: Iterable[tuple[str, Mapping[str, Any]]], redistribute: bool, top_age: int | None) -> tuple[
            dict[tuple[str, str], dict[int, Decimal]], dict[tuple, str], dict[str, Decimal], int, int]:
        """Stream the rows into cells: (cells, the first row of each segment key, people outside the monitor's ages
        per area, rows read, rows split over bands); InputProblems with every bad row."""
        cells: dict[tuple[str, str], dict[int, Decimal]] = {}  # (area, band) -> segment key -> people
        first: dict[tuple, str] = {}  # (area, band, key) -> the first row that added to it
        outside: dict[str, Decimal] = defaultdict(Decimal)
        problems: list[str] = []
        count_rows = split = 0
        for where, row in rows:
            count_rows += 1
            self.layout(where, row)  # two columns for one key: every row has them, so the run stops at once
            try:
                count, area, template = self.read_row(where, row, redistribute, top_age)
            except OptionNeeded:
                raise  # the same for every such row: one line, at the first
            except InputError as error:
                problems.extend(error.lines())
                continue
            split += template.split
            if template.outside:
                outside[area] += count * template.outside
            for part in template.parts:
                group = cells.get((area, part.band.label))
                if group is None:
                    group = cells[(area, part.band.label)] = {}
                group[part.key] = group.get(part.key, Decimal(0)) + (count if part.share == 1 else count * part.share)
                first.setdefault((area, part.band.label, part.key), where)
        if problems:
            raise InputProblems(problems)
        if not count_rows:
            raise InputError("geen segmenten: het bestand bevat geen rijen")
        return cells, first, outside, count_rows, split

    def _sum_cells(self, cells: Mapping[tuple[str, str], Mapping[int, Decimal]], first: Mapping[tuple, str],
                   measure: str, top: int) -> _Tally:
        """Each cell calibrated and added to its area, its band and the total; its calibration and focus groups."""
        tally = _Tally(self.stackable, top)
        keys: dict[tuple[str, int], Decimal] = defaultdict(Decimal)  # (band, key) -> people not calibrated, summed once
        share_at = 2 * self.stackable.index(measure)  # where a segment's share of `measure` is in its factors
        order = 0
        for (area, band), group in cells.items():
            calibrated, intercepts = self._cell(group)
            cell = None
            for key, people in group.items():
                order += 1
                estimate = self._estimates[key]
                factors = estimate.factors if calibrated is None else calibrated[key]
                vector = tuple(map(people.__mul__, factors))
                tally.areas[area].add(people, vector)
                if calibrated is None:
                    keys[(band, key)] += people
                else:
                    tally.bands[band].add(people, vector)
                    tally.total.add(people, vector)
                if measure not in estimate.combined:
                    continue
                if cell is None:
                    cell = tally.calibration[(area, band)] = [Decimal(0), Decimal(0), estimate.band[measure], False,
                                                              intercepts.get(measure, 0.0)]
                items = self._key_items[key]
                cell[0] += people
                cell[1] += people * estimate.combined[measure]
                cell[3] = cell[3] or bool(items)
                if people:  # else no one to focus on
                    tally.focus((first[(area, band, key)], area, band, items, people, vector[share_at] / HUNDRED,
                                 factors[share_at] - estimate.band[measure]), order)
        for (band, key), people in keys.items():
            vector = tuple(map(people.__mul__, self._estimates[key].factors))
            tally.bands[band].add(people, vector)
            tally.total.add(people, vector)
        return tally

    @staticmethod
    def _structure(calibration: Mapping[tuple[str, str], list]) -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
        """area -> band -> (people, the band's figure): the age structure the comparison needs."""
        structure: dict[str, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
        for (area, band), (people, _, figure, *_) in calibration.items():
            structure[area][band] = (people, figure)
        return structure

    def _comparisons(self, observed: Iterable[tuple[str, Mapping[str, Any]]],
                     structure: Mapping[str, Mapping[str, tuple[Decimal, Decimal]]],
                     confidence: float, measure: str) -> Iterable[Comparison]:
        for area, given in sorted(self._observed(observed, measure).items()):
            yield _comparison(area, given, structure.get(area), confidence)

    def _observed(self, observed: Iterable[tuple[str, Mapping[str, Any]]],
                  measure: str) -> dict[str, dict[str | None, tuple[int, int]]]:
        """area -> band (None: the area's total) -> (observed, respondents), from the rows of observed figures;
        a row's optional `maat` (as `batch --waargenomen-uit` writes it) must be the measure compared."""
        per_area: dict[str, dict[str | None, tuple[int, int]]] = defaultdict(dict)
        for where, row in observed:
            values = dict(zip(column_keys(row, where), row.values()))
            given = str(values.get(MEASURE) or "").strip()
            if given and given != measure:
                raise InputError(f"{where}: maat: {given!r} past niet bij --maat {measure}; vergelijk met --maat {given} "
                                 f"of tel {measure} (batch --maat {measure} --waargenomen-uit)")
            area = "" if values.get(AREA) is None else str(values[AREA]).strip()
            band = self._observed_band(values.get(AGE), where)
            seen = int(count_of(values.get(OBSERVED), where, OBSERVED))
            asked = int(count_of(values.get(RESPONDENTS), where, RESPONDENTS))
            if seen > asked:
                raise InputError(f"{where}: waargenomen ({seen}) is groter dan respondenten ({asked})")
            if asked == 0:
                raise InputError(f"{where}: respondenten is 0; een aandeel vraagt om minstens één respondent")
            if band in per_area[area]:
                raise InputError(f"{where}: gebied {area or '–'}" + (f", band {band}" if band else "") + " staat er al in")
            per_area[area][band] = (seen, asked)
        return per_area

    def _observed_band(self, age: Any, where: str) -> str | None:
        """The monitor band an observed row's age names (it must be one of them); None without an age."""
        if age is None or not str(age).strip():
            return None
        span = parse_age_range(age, where)
        match = next((b for b in self.monitor.bands if (b.min_age, b.max_age) == (span.low, span.high)), None)
        if match is None:
            raise InputError(f"{where}: leeftijd: {str(age).strip()!r} is geen band van de monitor "
                             f"(banden: {self._bands_text()})")
        return match.label


def _comparison(area: str, given: Mapping[str | None, tuple[int, int]],
                bands: Mapping[str, tuple[Decimal, Decimal]] | None, confidence: float) -> Comparison:
    """An area's observed figures (by band, or its total) against what its age structure in the segments predicts."""
    if None in given and len(given) > 1:
        raise InputError(f"waargenomen: gebied {area or '–'} heeft zowel een totaal als banden; geef één van beide")
    if not bands:
        raise InputError(f"waargenomen: gebied {area!r} staat niet in de segmenten")
    seen = sum(s for s, _ in given.values())
    asked = sum(a for _, a in given.values())
    if None in given:
        people = sum(n for n, _ in bands.values())
        rate = sum(n * figure for n, figure in bands.values()) / people / HUNDRED
        expected, source = float(asked * rate), "leeftijdsopbouw"
    else:
        missing = [b for b in given if b not in bands]
        if missing:
            raise InputError(f"waargenomen: gebied {area!r}: band {missing[0]} staat niet in de segmenten")
        expected = float(sum(given[b][1] * bands[b][1] for b in given) / HUNDRED)  # type: ignore[index]
        source = "banden"
    ratio = standardised_ratio(seen, expected, confidence)
    verdict = ("hoger" if ratio.lower is not None and ratio.lower > 1
               else "lager" if ratio.upper is not None and ratio.upper < 1 else "niet_te_onderscheiden")
    return Comparison(area=area, respondents=asked, observed=seen, proportion=Decimal(seen) / Decimal(asked),
                      interval=wilson(seen, asked, confidence), expected=expected, expected_from=source,
                      ratio=ratio, verdict=verdict)


def _calibration_summary(calibration: Mapping[tuple[str, str], list]) -> dict[str, Any]:
    """The PopulationProfile's fields on calibration: the cells split by factors, and how exact the age-only ones are."""
    return {
        "calibration": tuple(Calibration(area=area, band=band, count=n, band_figure=figure,
                                         computed=weighted / n if n else figure,
                                         deviation=(weighted / n if n else figure) - figure, split=True,
                                         intercept=intercept)
                             for (area, band), (n, weighted, figure, was_split, intercept) in calibration.items()
                             if was_split),
        "age_only_cells": sum(1 for *_, was_split, _ in calibration.values() if not was_split),
        "age_only_worst": max((abs(weighted / n - figure) for n, weighted, figure, was_split, _ in calibration.values()
                               if not was_split and n), default=Decimal(0)),
    }


class _Tally:
    """What summing the cells builds: the sums per area and band and in all, each cell's calibration
    ([people, weighted combination, band figure, split by factors, intercept]), and the `top` focus groups."""

    def __init__(self, measures: tuple[str, ...], top: int):
        self.areas: dict[str, _Sum] = defaultdict(lambda: _Sum(measures))
        self.bands: dict[str, _Sum] = defaultdict(lambda: _Sum(measures))
        self.total = _Sum(measures)
        self.calibration: dict[tuple[str, str], list] = {}
        self.top = top
        self.most: list[tuple] = []  # min-heaps of (rank, entry)
        self.excess: list[tuple] = []

    def focus(self, entry: tuple, order: int) -> None:
        """Keep a segment among the most expected lonely people, and among the most above its band, where it ranks."""
        expected, excess = entry[5], entry[6]
        if expected > 0 and (len(self.most) < self.top or expected > self.most[0][0][0]):
            _keep(self.most, (expected, -order), entry, self.top)
        if excess > ABOVE and (len(self.excess) < self.top or excess >= self.excess[0][0][0]):
            _keep(self.excess, (excess, expected, -order), entry, self.top)


class _Layout:
    """Where a file's columns are: the count, the area, the age, and the person keys (indexes into a row)."""

    @classmethod
    def of(cls, keys: Sequence[str | None]) -> _Layout:
        position = {key: i for i, key in enumerate(keys)}
        others = tuple(i for i, key in enumerate(keys) if key not in (COUNT, AREA, AGE))
        return cls(count=position.get(COUNT), area=position.get(AREA), age=position.get(AGE), others=others)

    def __init__(self, count: int | None, area: int | None, age: int | None, others: tuple[int, ...]):
        self.count, self.area, self.age, self.others = count, area, age, others
        wanted = tuple(i for i in (age, *others) if i is not None)
        getter = itemgetter(*wanted) if wanted else (lambda values: ())
        self.rest = getter if len(wanted) != 1 else (lambda values: (getter(values),))


def _keep(heap: list[tuple], rank: tuple, entry: tuple, size: int) -> None:
    """Keep the `size` entries of highest rank in a min-heap."""
    item = (rank, entry)
    if len(heap) < size:
        heapq.heappush(heap, item)
    elif rank > heap[0][0]:
        heapq.heapreplace(heap, item)


def _focus(entry: tuple) -> Focus:
    where, area, band, items, people, expected, excess = entry
    return Focus(row=where, area=area, band=band, items=items, count=people, expected=expected, excess=excess)


class _Sum:
    """Running sums for one group of segments: count × each factor of an Estimate, divided by 100 at the end.

    The factors of every estimate line up (`Estimate.factors`), so a cell's products are made once and added
    to every group it belongs to with C-level map calls: a city of 72,000 cells sums in well under a second.
    """

    __slots__ = ("measures", "count", "outside", "values")

    def __init__(self, measures: tuple[str, ...]):
        self.measures = measures
        self.count = Decimal(0)
        self.outside = Decimal(0)
        self.values = [Decimal(0)] * (2 * len(measures) + len(TIERS))

    def add(self, count: Decimal, products: tuple[Decimal, ...]) -> None:
        self.count += count
        self.values = list(map(add, self.values, products))

    def totals(self) -> Totals:
        values = self.values
        n = len(self.measures)
        return Totals(count=self.count, outside=self.outside,
                      expected={m: values[2 * i] / HUNDRED for i, m in enumerate(self.measures)},
                      band_expected={m: values[2 * i + 1] / HUNDRED for i, m in enumerate(self.measures)},
                      tiers={tier: values[2 * n + j] for j, tier in enumerate(TIERS)})


def _figure(stack: Stack) -> Decimal:
    """A stack's combination, or the band's figure where the engine gives none (no contrast at that age)."""
    return stack.start if stack.combined is None else stack.combined


def logit(percent: Decimal) -> float:
    """ln(p / (100 - p)) of a percentage; minus or plus infinity at 0 and 100."""
    p = float(percent)
    return -math.inf if p <= 0 else math.inf if p >= 100 else math.log(p / (100 - p))


def expit(x: float) -> float:
    """1 / (1 + e^-x), the inverse of logit as a share (0..1), without overflow."""
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def solve_intercept(terms: Iterable[tuple[float, float]], target: float, tolerance: float = 1e-12) -> float:
    """The c with sum(weight * expit(logit + c)) = target, for (logit, weight) terms whose weights add up to 1.

    The sum increases with c, so a bracket is kept and Newton's step is taken where it stays inside it, else
    the bracket is halved; c is found to `tolerance`. A logit of ±infinity (a figure of 0 or 100%) does not
    move. Where the target cannot be reached at all (0 or 1, or held off by such fixed terms), the c at the end
    of the bracket is returned.
    """
    terms = [(x, w) for x, w in terms if w > 0]
    finite = [x for x, _ in terms if math.isfinite(x)]
    if not finite or not 0 < target < 1:
        return 0.0

    def excess(c: float) -> tuple[float, float]:
        value = slope = 0.0
        for x, w in terms:
            p = expit(x + c)
            value += w * p
            slope += w * p * (1 - p)
        return value - target, slope

    goal = math.log(target / (1 - target))
    low, high = goal - max(finite) - 1, goal - min(finite) + 1  # every finite term below, resp. above, the target
    for _ in range(64):  # terms fixed at 0% or 100% can push the root further out
        if excess(low)[0] <= 0:
            break
        low -= high - low
    for _ in range(64):
        if excess(high)[0] >= 0:
            break
        high += high - low
    c = min(max(0.0, low), high)
    for _ in range(200):
        value, slope = excess(c)
        if value == 0:
            return c
        if value > 0:
            high = c
        else:
            low = c
        step = c - value / slope if slope > 0 else math.nan
        following = step if low < step < high else (low + high) / 2
        if abs(following - c) <= tolerance or high - low <= tolerance:
            return following
        c = following
    return c
