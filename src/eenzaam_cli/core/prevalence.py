"""Prevalence look-up: the monitor's figures by age band and measure."""

from __future__ import annotations

import re

from .errors import InputError
from .record import Record
from .reference.model import AgeBand, PopulationFigure, Reference

MAX_AGE = 120  # a sanity bound on input, not a figure from the source
_WHOLE = re.compile(r"([+-]?[0-9]+)(?:[.,]0+)?")  # 76, and 76.0 or 76,0 as a spreadsheet or SPSS writes it


def parse_age(text: str | int, name: str = "leeftijd") -> int:
    """A whole number of years from 0 to MAX_AGE, or an InputError naming `name`; `76,0` and `76.0` are 76.

    A number of any length is refused by its length first: Python turns no more than 4,300 digits into
    a number or back into text.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        digits = text.bit_length() * 0.302  # about its number of decimal digits, without writing it out
        written = str(text) if digits < 20 else ""
    else:
        written = str(text).strip()
        whole = None if isinstance(text, bool) else _WHOLE.fullmatch(written)
        if whole is None:
            shown = str(text).lower() if isinstance(text, bool) else repr(written)
            raise InputError(f"{name}: {shown} is geen geheel getal (een leeftijd in jaren, 0 tot en met {MAX_AGE})")
        written = whole.group(1)
        digits = len(written.lstrip("+-").lstrip("0"))
    age = int(written) if digits < 20 else -1
    if not 0 <= age <= MAX_AGE:
        shown = written if written and digits < 20 else "een getal van 20 of meer cijfers"
        raise InputError(f"{name}: {shown} is geen geldige leeftijd (toegestaan: 0 tot en met {MAX_AGE})")
    return age


class Prevalence(Record):
    """The rows asked for, the measures shown, and the whole population's figures.

    `total` is the monitor's own whole-population row, where a (local) monitor file
    has one; `population` holds each shown measure's population figure from
    maten.yaml, each with its own source (the source document's 43% and 10%).
    """

    bands: tuple[AgeBand, ...]
    measures: tuple[str, ...]
    total: AgeBand | None
    population: dict[str, PopulationFigure] = {}


def prevalence(reference: Reference, age: int | None = None, measure: str | None = None) -> Prevalence:
    """All age bands, or the band holding `age`; all measures, or only `measure`."""
    monitor = reference.monitor
    if measure is not None and measure not in monitor.measures:
        raise InputError(f"maat: {measure!r} staat niet in de monitor (toegestaan: {', '.join(monitor.measures)})")
    measures = (measure,) if measure else monitor.measures
    population = {m: figure for m in measures
                  if m in reference.measures and (figure := reference.measures[m].population) is not None}
    if age is None:
        return Prevalence(monitor.bands, measures, monitor.total, population)
    band = monitor.band_for(age)
    if band is None:
        covered = (f"{monitor.min_age} jaar en ouder" if monitor.max_age is None
                   else f"{monitor.min_age} tot en met {monitor.max_age} jaar")
        raise InputError(f"leeftijd: {age} valt buiten de monitor, die cijfers geeft voor {covered} "
                         f"(banden: {', '.join(b.label for b in monitor.bands)})")
    return Prevalence((band,), measures, monitor.total, population)
