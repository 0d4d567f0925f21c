"""Monitor years: several monitor tables side by side, one chosen for the engines, two compared.

Every `monitor*.csv` file is one table of one year (its `jaar` column). The bundled data holds the
source's 2016 table; a user's `--data` may add tables of other years (their region's 2020 or 2022
figures, with their own source in their `bronnen.yaml`). A user's table of a year replaces the bundled
table of that year. Without a choice the engines use the newest table of the user's own, or else the
bundled one (`Reference.monitor`); `for_year` gives the same reference with another year's table, so the
profile, population and batch engines, which all read `reference.monitor`, use that year unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import InputError
from ..record import Record
from .model import AgeBand, Monitor, Reference


def years(reference: Reference) -> tuple[int, ...]:
    """The years of the monitor tables, oldest first."""
    return tuple(monitor.year for monitor in reference.monitors)


def monitor_for(reference: Reference, year: int, name: str = "--jaar") -> Monitor:
    """The table of `year`, or an InputError naming the years there are."""
    if reference.monitor.year == year:
        return reference.monitor
    for monitor in reference.other_monitors:
        if monitor.year == year:
            return monitor
    raise InputError(f"{name}: geen monitortabel van {year} (jaren: {', '.join(map(str, years(reference)))}); "
                     "voeg een tabel toe met --data MAP met een monitor*.csv")


def parse_year(text: Any, name: str = "--jaar") -> int:
    """A year as written ('2022') or as a number (2022), or an InputError naming `name`."""
    if isinstance(text, int) and not isinstance(text, bool) and 1000 <= text <= 9999:
        return text
    written = str(text).strip() if not isinstance(text, int) or abs(text) < 10**20 else "…"  # no 5,000-digit text
    if isinstance(text, bool) or not (written.isascii() and written.isdigit() and len(written) == 4):
        raise InputError(f"{name}: {written!r} is geen jaartal (bijv. 2016)")
    return int(written)


def for_year(reference: Reference, year: int | str | None, name: str = "--jaar") -> Reference:
    """`reference` with the table of `year` as its `monitor`; None (or its own year) gives `reference` itself."""
    if year is None:
        return reference
    year = parse_year(year, name)
    if reference.monitor.year == year:
        return reference
    return YearReference(reference, monitor_for(reference, year, name))


class YearReference(Reference):
    """A Reference that reads everything from another one, except which monitor table it uses.

    Nothing is copied: a cached reference still decodes only the parts a command touches.
    """

    def __init__(self, base: Reference, monitor: Monitor):
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "monitor", monitor)
        object.__setattr__(self, "other_monitors", tuple(m for m in base.monitors if m is not monitor))

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not hold itself
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(object.__getattribute__(self, "_base"), name)


YearReference._fields, YearReference._known = Reference._fields, Reference._known  # compares and prints as a Reference


# --- two years side by side ----------------------------------------------------------------------


class BandPair(Record):
    """One age band (or the whole-population row) in two tables; a side is None where its table lacks the band."""

    label: str
    min_age: int | None
    max_age: int | None
    first: AgeBand | None
    second: AgeBand | None
    difference: dict[str, Decimal | None]  # per measure: second minus first, in percentage points; None if either lacks it

    @property
    def total(self) -> bool:
        return self.min_age is None


class YearComparison(Record):
    """Two monitor tables side by side, band by band, with their differences in percentage points."""

    years: tuple[int, int]
    measures: tuple[str, ...]
    tables: tuple[Monitor, Monitor]
    rows: tuple[BandPair, ...]
    unmatched: tuple[str, ...] = ()  # labels of bands that only one of the tables has


def compare(reference: Reference, first: int | str, second: int | str, age: int | None = None,
            measure: str | None = None, name: str = "--vergelijk") -> YearComparison:
    """The tables of `first` and `second` side by side; bands are matched by their ages (19-34 with 19-34).

    With `age`, only the band holding that age in either table; with `measure`, only that measure.
    """
    one = monitor_for(reference, parse_year(first, name), name)
    two = monitor_for(reference, parse_year(second, name), name)
    measures = tuple(dict.fromkeys((*one.measures, *two.measures)))
    if measure is not None:
        if measure not in measures:
            raise InputError(f"--maat: {measure!r} staat in geen van beide tabellen (toegestaan: {', '.join(measures)})")
        measures = (measure,)
    by_ages: dict[tuple[int | None, int | None], list[AgeBand | None]] = {}
    for side, monitor in enumerate((one, two)):
        for band in (*monitor.bands, *((monitor.total,) if monitor.total else ())):
            by_ages.setdefault((band.min_age, band.max_age), [None, None])[side] = band
    if age is not None:
        by_ages = {ages: pair for ages, pair in by_ages.items()
                   if ages[0] is not None and any(band is not None and band.contains(age) for band in pair)}
        if not by_ages:
            raise InputError(f"--leeftijd: {age} valt in geen van beide tabellen "
                             f"({one.year}: vanaf {one.min_age} jaar, {two.year}: vanaf {two.min_age} jaar)")
    rows = []
    for (low, high), (a, b) in sorted(by_ages.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0)):
        difference = {m: (b.values[m] - a.values[m]) if a and b and a.values.get(m) is not None
                      and b.values.get(m) is not None else None for m in measures}
        label = (a or b).label  # type: ignore[union-attr]
        rows.append(BandPair(label=label, min_age=low, max_age=high, first=a, second=b, difference=difference))
    unmatched = tuple(row.label for row in rows if (row.first is None) != (row.second is None))
    return YearComparison(years=(one.year, two.year), measures=measures, tables=(one, two), rows=tuple(rows),
                          unmatched=unmatched)
