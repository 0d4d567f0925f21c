"""The compiled reference data: plain, frozen dataclasses with lookup helpers.

Field names are English; each field's `key` metadata names the Dutch key it has
in the data files and in JSON output, so one generic mapping (`from_data` /
`to_data`) serves every record. This module imports only the standard library,
so loading a cached reference costs next to nothing at start-up.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any


def key(name: str, default: Any = dataclasses.MISSING) -> Any:
    """A dataclass field stored under the Dutch key `name` in files and JSON."""
    if default is dataclasses.MISSING:
        return field(metadata={"key": name})
    return field(default=default, metadata={"key": name})


@dataclass(frozen=True, slots=True)
class Text:
    nl: str
    en: str

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.nl


@dataclass(frozen=True, slots=True)
class Source:
    id: str = key("id")
    authors: str = key("auteurs")
    year: int | None = key("jaar", None)
    title: str | None = key("titel", None)
    cited_in: tuple[str, ...] = key("vermeld_in", ())
    note: Text | None = key("notitie", None)


@dataclass(frozen=True, slots=True)
class Measure:
    id: str = key("id")
    label: Text = key("label")
    explanation: Text = key("uitleg")
    stackable: bool = key("stapelbaar")


@dataclass(frozen=True, slots=True)
class AgeCondition:
    min_age: int | None = key("leeftijd_min", None)
    max_age: int | None = key("leeftijd_max", None)

    def holds(self, age: int | None) -> bool:
        """True when `age` lies within the bounds; an unknown age meets no bound."""
        if self.min_age is None and self.max_age is None:
            return True
        if age is None:
            return False
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)

    @property
    def specificity(self) -> int:
        return (self.min_age is not None) + (self.max_age is not None)


@dataclass(frozen=True, slots=True)
class Comparison:
    value: Decimal = key("waarde")
    text: str = key("tekst")
    group: Text = key("groep")
    note: Text | None = key("notitie", None)


@dataclass(frozen=True, slots=True)
class Figure:
    value: Decimal = key("waarde")
    text: str = key("tekst")
    measure: str = key("maat")
    group: Text = key("groep")
    condition: AgeCondition | None = key("voorwaarde", None)
    compared_with: Comparison | None = key("vergeleken_met", None)
    source: str = key("bron", "")
    year: int | None = key("jaar", None)
    paragraph: str = key("paragraaf", "")
    note: Text | None = key("notitie", None)

    def applies_at(self, age: int | None) -> bool:
        return self.condition is None or self.condition.holds(age)


@dataclass(frozen=True, slots=True)
class Range:
    min: int | None = key("min", None)
    max: int | None = key("max", None)

    def __contains__(self, number: int) -> bool:
        return (self.min is None or number >= self.min) and (self.max is None or number <= self.max)


@dataclass(frozen=True, slots=True)
class Level:
    value: str = key("waarde")
    direction: str = key("richting")
    label: Text | None = key("label", None)
    broader: str | None = key("valt_onder", None)
    range: Range | None = key("bereik", None)
    explanation: Text | None = key("uitleg", None)
    figures: tuple[Figure, ...] = key("cijfers", ())


@dataclass(frozen=True, slots=True)
class Factor:
    id: str = key("id")
    category: str = key("categorie")
    label: Text = key("label")
    explanation: Text = key("uitleg")
    input: str = key("invoer")
    sources: tuple[str, ...] = key("bron")
    paragraph: str = key("paragraaf")
    levels: tuple[Level, ...] = key("niveaus")
    theme: Text | None = key("thema", None)
    stack: bool = key("stapelen", True)

    def level(self, value: str) -> Level | None:
        return next((level for level in self.levels if level.value == value), None)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(figure for level in self.levels for figure in level.figures)


@dataclass(frozen=True, slots=True)
class AgeBand:
    """One row of the monitor table: an age band, or the whole population (`total`)."""

    label: str = key("groep")
    values: dict[str, Decimal | None] = key("waarden")
    source: str = key("bron")
    year: int = key("jaar")
    min_age: int | None = key("leeftijd_van", None)
    max_age: int | None = key("leeftijd_tot", None)
    note: str | None = key("notitie", None)

    def contains(self, age: int) -> bool:
        return self.min_age is not None and age >= self.min_age and (self.max_age is None or age <= self.max_age)


@dataclass(frozen=True, slots=True)
class Monitor:
    """The age table (Afbeelding 3) and the whole-population row."""

    file: str
    measures: tuple[str, ...]
    bands: tuple[AgeBand, ...]
    total: AgeBand | None

    @property
    def min_age(self) -> int:
        return self.bands[0].min_age or 0

    @property
    def max_age(self) -> int | None:
        return self.bands[-1].max_age

    def band_for(self, age: int) -> AgeBand | None:
        return next((band for band in self.bands if band.contains(age)), None)


@dataclass(frozen=True, slots=True)
class LifeStage:
    id: str = key("id")
    label: Text = key("label")
    min_age: int = key("leeftijd_min")
    explanation: Text = key("toelichting")
    source: str = key("bron")
    paragraph: str = key("paragraaf")
    max_age: int | None = key("leeftijd_max", None)

    def contains(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


@dataclass(frozen=True, slots=True)
class Tier:
    number: int = key("nummer")
    id: str = key("id")
    name: Text = key("naam")
    target_group: Text = key("doelgroep")
    aim: Text = key("doel")
    focus: str = key("focus")
    source: str = key("bron")
    paragraph: str = key("paragraaf")


@dataclass(frozen=True, slots=True)
class TierRule:
    tier: int = key("niveau")
    condition: str = key("als")
    reason: Text = key("reden")


@dataclass(frozen=True, slots=True)
class Phase:
    number: int = key("nummer")
    name: Text = key("naam")
    parts: tuple[Text, ...] = key("onderdelen")


@dataclass(frozen=True, slots=True)
class PreventionModel:
    name: Text = key("naam")
    for_whom: Text = key("voor_wie")
    source: str = key("bron")
    paragraph: str = key("paragraaf")
    phases: tuple[Phase, ...] = key("fasen")


@dataclass(frozen=True, slots=True)
class Tiers:
    tiers: tuple[Tier, ...] = key("niveaus")
    rules: tuple[TierRule, ...] = key("regels")
    model: PreventionModel = key("preventiemodel")

    def tier(self, number: int) -> Tier:
        return next(tier for tier in self.tiers if tier.number == number)


@dataclass(frozen=True, slots=True)
class Signal:
    id: str = key("id")
    label: Text = key("label")


@dataclass(frozen=True, slots=True)
class SignalCategory:
    id: str = key("id")
    label: Text = key("label")
    signals: tuple[Signal, ...] = key("signalen")


@dataclass(frozen=True, slots=True)
class Signals:
    source: str = key("bron")
    paragraph: str = key("paragraaf")
    advice: Text = key("advies")
    categories: tuple[SignalCategory, ...] = key("categorieen")


@dataclass(frozen=True, slots=True)
class Intervention:
    id: str = key("id")
    name: Text = key("naam")
    description: Text = key("beschrijving")
    tiers: tuple[int, ...] = key("niveaus")
    sources: tuple[str, ...] = key("bron")
    paragraph: str = key("paragraaf")
    life_stages: tuple[str, ...] = key("levensfasen", ())
    risk_groups: tuple[str, ...] = key("risicogroepen", ())
    performed_by: tuple[str, ...] = key("uitvoerders", ())
    age: AgeCondition | None = key("leeftijd", None)


@dataclass(frozen=True, slots=True)
class Reference:
    """Everything the tool knows, compiled once from the data files."""

    sources: dict[str, Source]
    measures: dict[str, Measure]
    life_stages: dict[str, LifeStage]
    factors: dict[str, Factor]
    monitor: Monitor
    tiers: Tiers
    signals: Signals
    interventions: dict[str, Intervention]
    files: dict[str, str]  # data file name -> the path it was read from


# --- the one generic mapping between records and their Dutch-keyed form ---------------


@cache
def _fields(cls: type) -> tuple[tuple[str, str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, f.metadata.get("key", f.name), hints[f.name]) for f in dataclasses.fields(cls))


def _build(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        inner = [arg for arg in args if arg is not type(None)]
        return _build(inner[0], value)
    if origin is tuple:
        return tuple(_build(args[0], item) for item in value)
    if origin is dict:
        return {k: _build(args[1], v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return from_data(hint, value)
    return value


def from_data(cls: type, data: dict[str, Any]) -> Any:
    """Build record `cls` from a validated, Dutch-keyed mapping."""
    return cls(**{name: _build(hint, data[k]) for name, k, hint in _fields(cls) if k in data})


def to_data(value: Any) -> Any:
    """The Dutch-keyed, JSON-ready form of a record (Decimals stay Decimal)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, Text):
            return {"nl": value.nl, "en": value.en}
        return {k: to_data(getattr(value, name)) for name, k, _ in _fields(type(value))}
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value
