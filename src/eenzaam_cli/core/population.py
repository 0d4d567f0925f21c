"""Population profiles: a population is a sum of segments, each profiled once by the same engine as a person.

A segment is a row of counts (`aantal`) with person keys (`leeftijd` as an age or a band such as `75-84` or
`85+`, `burgerlijke_staat`, `migratie`, …) and an optional area (`gebied`). For each segment the engine's
profile gives, per stacked measure, the combination assuming independence and the highest group figure; the
expected number is the count times that figure. A band is profiled at every whole age in it (uniform within
the band) so that age-dependent parts (the adolescent level 15-24, figures for 55 and over) count only for
the ages they hold for. Each distinct segment key is profiled once, however many rows share it.

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
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import add, itemgetter
from typing import Any, NamedTuple

from .errors import InputError
from .model import AgeBand, Record, Reference
from .person import AGE, PersonReader, column_keys
from .profile import Engine, Profile
from .stats import Interval, Ratio, standardised_ratio, wilson
from .tabular import open_table, plain_number

COUNT, AREA = "aantal", "gebied"
OBSERVED, RESPONDENTS = "waargenomen", "respondenten"
OUTSIDE = "buiten_monitor"  # the key of people outside the monitor's ages
HUNDRED = Decimal(100)
MAX_COUNT = 10**10  # people in one row or one area: more than live on Earth
_COUNT_ALLOWED = "een geheel getal van 0 tot en met 10 miljard"
TIERS = (1, 2, 3)

_BAND = re.compile(r"^(\d+)\s*(?:-|–|tot(?: en met)?)\s*(\d+)(?:\s*jaar)?$")
_OPEN = re.compile(r"^(\d+)\s*(?:\+|(?:jaar )?en ouder|plus)(?:\s*jaar)?$")
_AGE = re.compile(r"^\d+$")


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


def table_rows(name: Any) -> Iterator[tuple[str, dict[str, str]]]:
    """(where, row) of every row of a CSV, Excel or SPSS file (or `-`), its columns checked at the header first."""
    with open_table(name) as table:
        column_keys(table.header, f"{table.file}:1")
        for line, row in table.rows():
            yield f"{table.file}:{line}", row


class AgeRange(Record):
    """An age or a band as written: inclusive bounds, `high` None for an open band (85+)."""

    low: int
    high: int | None
    text: str

    @property
    def single(self) -> bool:
        return self.high == self.low


def parse_age_range(value: Any, where: str) -> AgeRange:
    """'45', '75-84', '75-84 jaar', '85+', '15 tot 25' (half open, as CBS writes it: 15-24)."""
    text = " ".join(str(value).strip().lower().split())
    if _AGE.match(text):
        return AgeRange(low=int(text), high=int(text), text=text)
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


class Estimate(Record):
    """What the engine says about one segment key, averaged over the ages it covers."""

    combined: dict[str, Decimal]  # measure -> the combination assuming independence (%)
    highest: dict[str, Decimal]  # measure -> the highest group figure (%)
    band: dict[str, Decimal]  # measure -> the age band's own figure (%)
    tiers: dict[int, Decimal]  # tier number -> share of the segment (0..1)
    factors: tuple[Decimal, ...] = ()  # per stacked measure: combined, highest, band (%); then the tier shares


class Totals(Record):
    """Expected numbers for a group of segments (an area, a band, everything)."""

    count: Decimal
    outside: Decimal  # people outside the monitor's ages: counted, not estimated
    expected: dict[str, Decimal]  # measure -> expected people (combination)
    expected_highest: dict[str, Decimal]  # measure -> expected people (highest group figure)
    band_expected: dict[str, Decimal]  # measure -> expected people from the age bands alone
    tiers: dict[int, Decimal]  # tier -> expected people


class Focus(Record):
    row: str
    area: str
    band: str
    items: tuple[tuple[str, str], ...]
    count: Decimal
    expected: Decimal  # expected lonely people (combination)
    excess: Decimal  # percentage points above the band's figure


class Calibration(NamedTuple):
    """Per area and band: does the sum of the segments come back to the band's figure? (one per cell: a tuple)"""

    area: str
    band: str
    count: Decimal
    band_figure: Decimal
    computed: Decimal  # the count-weighted combination of the segments (%)
    deviation: Decimal  # percentage points
    split: bool  # whether the band was split by factors (else it must be exact)


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
            layout = self._layouts[columns] = _Layout.of(column_keys(columns, where))
        return layout

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
                raise InputError(f"{where}: leeftijd: de open band {span.text!r} kan alleen naar rato van de jaren "
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
        n = Decimal(len(profiles))
        combined: dict[str, Decimal] = {}
        highest: dict[str, Decimal] = {}
        figures: dict[str, Decimal] = {}
        for measure in self.stackable:
            stacks = [p.stacks.get(measure) for p in profiles]
            if any(s is None for s in stacks):
                continue
            combined[measure] = sum((s.combined for s in stacks), Decimal(0)) / n  # type: ignore[union-attr]
            highest[measure] = sum((s.highest_group for s in stacks), Decimal(0)) / n  # type: ignore[union-attr]
            figures[measure] = stacks[0].start  # type: ignore[union-attr]
        tiers: dict[int, Decimal] = defaultdict(Decimal)
        for profile in profiles:
            for tier, share in self._tier_shares(profile, combined).items():
                tiers[tier] += share / n
        factors = tuple(value for m in self.stackable for value in (combined.get(m, Decimal(0)), highest.get(m, Decimal(0)),
                                                                     figures.get(m, Decimal(0))))
        factors += tuple(tiers.get(tier, Decimal(0)) for tier in TIERS)
        return Estimate(combined=combined, highest=highest, band=figures, tiers=dict(tiers),
                        factors=factors)

    def _tier_shares(self, profile: Profile, combined: Mapping[str, Decimal]) -> dict[int, Decimal]:
        """The tier rules of niveaus.yaml applied, in order, to the expected shares of a segment."""
        shares: dict[int, Decimal] = defaultdict(Decimal)
        assigned = Decimal(0)
        risk = profile.tier.rule.condition == "risicofactor_aanwezig"
        for rule, measure in self.rules:
            if rule.condition == "eenzaamheid_vastgesteld":
                if measure not in combined:
                    continue
                share = max(combined[measure] / HUNDRED - assigned, Decimal(0))
            elif rule.condition == "risicofactor_aanwezig" and not risk:
                continue
            else:
                share = 1 - assigned
            shares[rule.tier] += share
            assigned += share
            if assigned >= 1:
                break
        return dict(shares)

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
        cells: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)  # (area, band, segment key) -> people
        first: dict[tuple, str] = {}  # cell -> the first row that added to it
        outside: dict[str, Decimal] = defaultdict(Decimal)
        problems: list[str] = []
        count_rows = split = 0
        for where, row in rows:
            count_rows += 1
            self.layout(where, row)  # two columns for one key: every row has them, so the run stops at once
            try:
                count, area, template = self.read_row(where, row, redistribute, top_age)
            except InputError as error:
                problems.extend(error.lines())
                continue
            split += template.split
            if template.outside:
                outside[area] += count * template.outside
            for part in template.parts:
                cell = (area, part.band.label, part.key)
                cells[cell] += count if part.share == 1 else count * part.share
                if cell not in first:
                    first[cell] = where
        if problems:
            raise InputProblems(problems)
        if not count_rows:
            raise InputError("geen segmenten: het bestand bevat geen rijen")
        areas: dict[str, _Sum] = defaultdict(lambda: _Sum(self.stackable))
        keys: dict[tuple[str, int], Decimal] = defaultdict(Decimal)  # (band, key) -> people, for the band and total sums
        calibration: dict[tuple[str, str], list] = {}
        focus_most: list[tuple] = []
        focus_excess: list[tuple] = []
        for order, ((area, band, key), people) in enumerate(cells.items()):
            estimate = self._estimates[key]
            items = self._key_items[key]
            areas[area].add(people, tuple(map(people.__mul__, estimate.factors)))
            keys[(band, key)] += people
            if measure not in estimate.combined:
                continue
            cell = calibration.setdefault((area, band), [Decimal(0), Decimal(0), estimate.band[measure], False])
            cell[0] += people
            cell[1] += people * estimate.combined[measure]
            cell[3] = cell[3] or bool(items)
            expected = people * estimate.combined[measure] / HUNDRED
            excess = estimate.combined[measure] - estimate.band[measure]
            entry = (first[(area, band, key)], area, band, items, people, expected, excess)
            if len(focus_most) < top or expected > focus_most[0][0][0]:
                _keep(focus_most, (expected, -order), entry, top)
            if excess > 0 and (len(focus_excess) < top or excess >= focus_excess[0][0][0]):
                _keep(focus_excess, (excess, expected, -order), entry, top)
        band_sums: dict[str, _Sum] = defaultdict(lambda: _Sum(self.stackable))
        total = _Sum(self.stackable)
        for (band, key), people in keys.items():
            vector = tuple(map(people.__mul__, self._estimates[key].factors))
            band_sums[band].add(people, vector)
            total.add(people, vector)
        for area, people in outside.items():
            areas[area].outside += people
            total.outside += people
        structure = self._structure(calibration)
        return PopulationProfile(
            measure=measure, areas={a: summed.totals() for a, summed in sorted(areas.items())},
            bands={b.label: band_sums[b.label].totals() for b in self.monitor.bands if b.label in band_sums},
            total=total.totals(), segments=count_rows, distinct=len(self._estimates), redistributed=split,
            calibration=tuple(Calibration(area=area, band=band, count=n, band_figure=figure,
                                          computed=weighted / n if n else figure,
                                          deviation=(weighted / n if n else figure) - figure, split=True)
                              for (area, band), (n, weighted, figure, was_split) in calibration.items() if was_split),
            age_only_cells=sum(1 for *_, was_split in calibration.values() if not was_split),
            age_only_worst=max((abs(weighted / n - figure) for n, weighted, figure, was_split in calibration.values()
                                if not was_split and n), default=Decimal(0)),
            focus_expected=tuple(_focus(entry) for _, entry in sorted(focus_most, reverse=True)),
            focus_excess=tuple(_focus(entry) for _, entry in sorted(focus_excess, reverse=True)),
            comparisons=tuple(self._comparisons(observed, structure, confidence)))

    @staticmethod
    def _structure(calibration: Mapping[tuple[str, str], list]) -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
        """area -> band -> (people, the band's figure): the age structure the comparison needs."""
        structure: dict[str, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
        for (area, band), (people, _, figure, _) in calibration.items():
            structure[area][band] = (people, figure)
        return structure

    def _comparisons(self, observed: Iterable[tuple[str, Mapping[str, Any]]],
                     structure: Mapping[str, Mapping[str, tuple[Decimal, Decimal]]],
                     confidence: float) -> Iterable[Comparison]:
        per_area: dict[str, dict[str | None, tuple[int, int]]] = defaultdict(dict)
        for where, row in observed:
            values = dict(zip(column_keys(row, where), row.values()))
            area = "" if values.get(AREA) is None else str(values[AREA]).strip()
            band = None
            age = values.get(AGE)
            if age is not None and str(age).strip():
                span = parse_age_range(age, where)
                match = next((b for b in self.monitor.bands if (b.min_age, b.max_age) == (span.low, span.high)), None)
                if match is None:
                    raise InputError(f"{where}: leeftijd: {str(age).strip()!r} is geen band van de monitor "
                                     f"(banden: {self._bands_text()})")
                band = match.label
            seen = int(count_of(values.get(OBSERVED), where, OBSERVED))
            asked = int(count_of(values.get(RESPONDENTS), where, RESPONDENTS))
            if seen > asked:
                raise InputError(f"{where}: waargenomen ({seen}) is groter dan respondenten ({asked})")
            if asked == 0:
                raise InputError(f"{where}: respondenten is 0; een aandeel vraagt om minstens één respondent")
            if band in per_area[area]:
                raise InputError(f"{where}: gebied {area or '–'}" + (f", band {band}" if band else "") + " staat er al in")
            per_area[area][band] = (seen, asked)
        for area, given in sorted(per_area.items()):
            if None in given and len(given) > 1:
                raise InputError(f"waargenomen: gebied {area or '–'} heeft zowel een totaal als banden; geef één van beide")
            bands = structure.get(area)
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
            yield Comparison(area=area, respondents=asked, observed=seen, proportion=Decimal(seen) / Decimal(asked),
                             interval=wilson(seen, asked, confidence), expected=expected, expected_from=source,
                             ratio=ratio, verdict=verdict)


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
        self.values = [Decimal(0)] * (3 * len(measures) + len(TIERS))

    def add(self, count: Decimal, products: tuple[Decimal, ...]) -> None:
        self.count += count
        self.values = list(map(add, self.values, products))

    def totals(self) -> Totals:
        values = self.values
        n = len(self.measures)
        return Totals(count=self.count, outside=self.outside,
                      expected={m: values[3 * i] / HUNDRED for i, m in enumerate(self.measures)},
                      expected_highest={m: values[3 * i + 1] / HUNDRED for i, m in enumerate(self.measures)},
                      band_expected={m: values[3 * i + 2] / HUNDRED for i, m in enumerate(self.measures)},
                      tiers={tier: values[3 * n + j] for j, tier in enumerate(TIERS)})
