"""The compiled reference data: immutable records with lookup helpers.

Every class here is a `Record` (core/record.py), created on every start of the CLI (decoding a cached
reference needs them). Field names are English; a field annotated `Annotated[T, "sleutel"]` has the Dutch
key `sleutel` in the data files and in JSON output, so one generic mapping (`from_data` / `to_data`) serves
every record. Only the standard library is imported here.
"""

from __future__ import annotations

import types
import typing
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from ..record import Record


class Text(Record):
    nl: str
    en: str

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class Source(Record):
    id: str
    authors: Annotated[str, "auteurs"]
    year: Annotated[int | None, "jaar"] = None
    title: Annotated[str | None, "titel"] = None
    cited_in: Annotated[tuple[str, ...], "vermeld_in"] = ()
    url: str | None = None
    note: Annotated[Text | None, "notitie"] = None


class PopulationFigure(Record):
    value: Annotated[Decimal, "waarde"]
    text: Annotated[str, "tekst"]
    group: Annotated[Text, "groep"]
    source: Annotated[str, "bron"]
    paragraph: Annotated[str, "paragraaf"]
    year: Annotated[int | None, "jaar"] = None
    note: Annotated[Text | None, "notitie"] = None


class Measure(Record):
    id: str
    label: Text
    explanation: Annotated[Text, "uitleg"]
    stackable: Annotated[bool, "stapelbaar"]
    population: Annotated[PopulationFigure | None, "bevolking"] = None
    part_of: Annotated[str | None, "deel_van"] = None


class AgeCondition(Record):
    min_age: Annotated[int | None, "leeftijd_min"] = None
    max_age: Annotated[int | None, "leeftijd_max"] = None

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


class Comparison(Record):
    value: Annotated[Decimal, "waarde"]
    text: Annotated[str, "tekst"]
    group: Annotated[Text, "groep"]
    note: Annotated[Text | None, "notitie"] = None


class Figure(Record):
    value: Annotated[Decimal, "waarde"]
    text: Annotated[str, "tekst"]
    measure: Annotated[str, "maat"]
    approximation: Annotated[str | None, "benadering"] = None  # 'ruim' (a little more) or 'bijna' (a little less)
    group: Annotated[Text, "groep"]
    condition: Annotated[AgeCondition | None, "voorwaarde"] = None
    compared_with: Annotated[Comparison | None, "vergeleken_met"] = None
    footing: Annotated[str | None, "grondslag"] = None  # 'bevolking' or 'vergelijkingsgroep'; None: not stacked
    source: Annotated[str, "bron"] = ""
    year: Annotated[int | None, "jaar"] = None
    paragraph: Annotated[str, "paragraaf"] = ""
    note: Annotated[Text | None, "notitie"] = None

    def applies_at(self, age: int | None) -> bool:
        return self.condition is None or self.condition.holds(age)


class Range(Record):
    min: int | None = None
    max: int | None = None

    def __contains__(self, number: int) -> bool:
        return (self.min is None or number >= self.min) and (self.max is None or number <= self.max)


class Level(Record):
    value: Annotated[str, "waarde"]
    direction: Annotated[str, "richting"]
    label: Text | None = None
    broader: Annotated[str | None, "valt_onder"] = None
    range: Annotated[Range | None, "bereik"] = None
    condition: Annotated[AgeCondition | None, "voorwaarde"] = None  # the direction holds only at these ages
    source: Annotated[str | None, "bron"] = None  # where the level's own source differs from the factor's
    explanation: Annotated[Text | None, "uitleg"] = None
    figures: Annotated[tuple[Figure, ...], "cijfers"] = ()

    def direction_at(self, age: int | None) -> str:
        """The direction, or 'neutraal' where the level's age condition does not hold."""
        return self.direction if self.condition is None or self.condition.holds(age) else "neutraal"


class Factor(Record):
    id: str
    category: Annotated[str, "categorie"]
    label: Text
    explanation: Annotated[Text, "uitleg"]
    input: Annotated[str, "invoer"]
    sources: Annotated[tuple[str, ...], "bron"]
    paragraph: Annotated[str, "paragraaf"]
    levels: Annotated[tuple[Level, ...], "niveaus"]
    theme: Annotated[Text | None, "thema"] = None
    stack: Annotated[bool, "stapelen"] = True

    def level(self, value: str) -> Level | None:
        levels = self.__dict__.get("_by_value")
        if levels is None:  # a lookup table, made on first use (not a field: equality and the cache ignore it)
            levels = self.__dict__["_by_value"] = {level.value: level for level in self.levels}
        return levels.get(value)

    def lineage(self, value: str) -> list[Level]:
        """The level and every broader level it falls under (turks -> niet_westers)."""
        levels, current = [], self.level(value)
        while current is not None:
            levels.append(current)
            current = self.level(current.broader) if current.broader else None
        return levels


class Overlap(Record):
    """Factors the source says partly explain one another (risicofactoren.yaml `overlap`)."""

    id: str
    group: Annotated[tuple[str, ...], "groep"]  # 'factor' or 'factor=level'
    by: Annotated[tuple[str, ...], "door"]
    smaller_counts: Annotated[Decimal, "kleinste_zijde_telt"]  # the share of the smaller side's shift that counts
    explanation: Annotated[Text, "uitleg"]
    source: Annotated[str, "bron"]
    paragraph: Annotated[str, "paragraaf"]


class AgeBand(Record):
    """One row of the monitor table: an age band, or the whole population (`total`)."""

    label: Annotated[str, "groep"]
    values: Annotated[dict[str, Decimal | None], "waarden"]
    source: Annotated[str, "bron"]
    year: Annotated[int, "jaar"]
    min_age: Annotated[int | None, "leeftijd_van"] = None
    max_age: Annotated[int | None, "leeftijd_tot"] = None
    note: Annotated[str | None, "notitie"] = None

    def contains(self, age: int) -> bool:
        return self.min_age is not None and age >= self.min_age and (self.max_age is None or age <= self.max_age)


class Monitor(Record):
    """The age table (Afbeelding 3) and the whole-population row."""

    file: str
    measures: tuple[str, ...]
    bands: tuple[AgeBand, ...]
    total: AgeBand | None
    area: Annotated[str | None, "gebied"] = None  # a regional table's area (its `gebied` column); None: national

    @property
    def year(self) -> int:
        """The table's year (its `jaar` column: one year per monitor file)."""
        return self.bands[0].year

    @property
    def min_age(self) -> int:
        return self.bands[0].min_age or 0

    @property
    def max_age(self) -> int | None:
        return self.bands[-1].max_age

    def band_for(self, age: int) -> AgeBand | None:
        return next((band for band in self.bands if band.contains(age)), None)


class LifeStage(Record):
    id: str
    label: Text
    min_age: Annotated[int, "leeftijd_min"]
    explanation: Annotated[Text, "toelichting"]
    source: Annotated[str, "bron"]
    paragraph: Annotated[str, "paragraaf"]
    max_age: Annotated[int | None, "leeftijd_max"] = None

    def contains(self, age: int) -> bool:
        return age >= self.min_age and (self.max_age is None or age <= self.max_age)


class Tier(Record):
    number: Annotated[int, "nummer"]
    id: str
    name: Annotated[Text, "naam"]
    target_group: Annotated[Text, "doelgroep"]
    aim: Annotated[Text, "doel"]
    focus: str
    source: Annotated[str, "bron"]
    paragraph: Annotated[str, "paragraaf"]


class TierRule(Record):
    tier: Annotated[int, "niveau"]
    condition: Annotated[str, "als"]
    reason: Annotated[Text, "reden"]
    indicator: str | None = None  # for 'eenzaamheid_vastgesteld': the De Jong Gierveld indicator that establishes it
    grounds: Annotated[Text | None, "onderbouwing"] = None
    source: Annotated[str | None, "bron"] = None
    paragraph: Annotated[str | None, "paragraaf"] = None


class Phase(Record):
    number: Annotated[int, "nummer"]
    name: Annotated[Text, "naam"]
    parts: Annotated[tuple[Text, ...], "onderdelen"]


class PreventionModel(Record):
    name: Annotated[Text, "naam"]
    for_whom: Annotated[Text, "voor_wie"]
    source: Annotated[str, "bron"]
    paragraph: Annotated[str, "paragraaf"]
    phases: Annotated[tuple[Phase, ...], "fasen"]


class Tiers(Record):
    tiers: Annotated[tuple[Tier, ...], "niveaus"]
    rules: Annotated[tuple[TierRule, ...], "regels"]
    model: Annotated[PreventionModel, "preventiemodel"]

    def tier(self, number: int) -> Tier:
        return next(tier for tier in self.tiers if tier.number == number)


class Signal(Record):
    id: str
    label: Text


class SignalCategory(Record):
    id: str
    label: Text
    signals: Annotated[tuple[Signal, ...], "signalen"]


class Signals(Record):
    source: Annotated[str, "bron"]
    paragraph: Annotated[str, "paragraaf"]
    advice: Annotated[Text, "advies"]
    categories: Annotated[tuple[SignalCategory, ...], "categorieen"]


class Intervention(Record):
    id: str
    name: Annotated[Text, "naam"]
    description: Annotated[Text, "beschrijving"]
    tiers: Annotated[tuple[int, ...], "niveaus"]
    sources: Annotated[tuple[str, ...], "bron"]
    paragraph: Annotated[str, "paragraaf"]
    life_stages: Annotated[tuple[str, ...], "levensfasen"] = ()
    risk_groups: Annotated[tuple[str, ...], "risicogroepen"] = ()
    performed_by: Annotated[tuple[str, ...], "uitvoerders"] = ()
    age: Annotated[AgeCondition | None, "leeftijd"] = None


class Answer(Record):
    id: str
    label: Text
    variants: Annotated[tuple[str, ...], "varianten"]


class Coding(Record):
    id: str
    explanation: Annotated[Text, "uitleg"]
    codes: dict[str, str]  # code as written -> answer id
    source: Annotated[str, "bron"]


class Subscale(Record):
    id: str
    label: Text
    items: tuple[int, ...]
    scores_on: Annotated[tuple[str, ...], "scoort_bij"]  # answer ids worth 1 point


class MissingRule(Record):
    total_max: Annotated[int, "totaal_max"]
    subscale_max: Annotated[int, "subschaal_max"]
    source: Annotated[str, "bron"]
    note: Annotated[Text | None, "notitie"] = None


class ScoreCategory(Record):
    id: str
    label: Text
    low: Annotated[int, "van"]
    high: Annotated[int, "tot"]


class ItemOrder(Record):
    """The order in which answers given without item numbers are read (`volgorde` of a scale)."""

    items: tuple[int, ...]
    source: Annotated[str, "bron"]
    note: Annotated[Text | None, "notitie"] = None


class Indicator(Record):
    id: str
    label: Text
    score: str  # 'totaal' or a subscale id
    threshold: Annotated[int, "drempel"]
    measure: Annotated[str, "maat"]
    source: Annotated[str, "bron"]
    note: Annotated[Text | None, "notitie"] = None


class Scale(Record):
    id: str
    name: Annotated[Text, "naam"]
    items: tuple[int, ...]
    subscales: Annotated[tuple[Subscale, ...], "subschalen"]
    missing: Annotated[MissingRule, "ontbrekend"]
    categories: Annotated[tuple[ScoreCategory, ...], "categorieen"]
    categories_source: Annotated[str, "categorieen_bron"]
    source: Annotated[str, "bron"]
    indicators: Annotated[tuple[Indicator, ...], "indicatoren"] = ()
    order: Annotated[ItemOrder | None, "volgorde"] = None

    @property
    def positional(self) -> tuple[int, ...]:
        """The item numbers in the order answers without item numbers are read: `volgorde`, else `items`."""
        return self.order.items if self.order is not None else self.items

    def category(self, total: int) -> ScoreCategory:
        return next(c for c in self.categories if c.low <= total <= c.high)

    def categories_between(self, low: int, high: int) -> tuple[ScoreCategory, ...]:
        """The categories a total from `low` to `high` (inclusive) can fall in."""
        return tuple(c for c in self.categories if c.low <= high and c.high >= low)


class DjgKey(Record):
    """The De Jong Gierveld scale's scoring key (data/djg.yaml)."""

    source: Annotated[str, "bron"]
    answers: Annotated[tuple[Answer, ...], "antwoorden"]
    missing_values: Annotated[tuple[str, ...], "ontbrekend_waarden"]
    scales: Annotated[tuple[Scale, ...], "schalen"]
    codings: Annotated[tuple[Coding, ...], "coderingen"] = ()


class Example(Record):
    """A ready-made demonstration for trainers (voorbeelden.yaml): an illustration, not a real person."""

    id: str
    label: Text
    description: Annotated[Text, "beschrijving"]
    steps: Annotated[tuple[str, ...], "stappen"]  # 'factor=waarde', in the order they are added
    sources: Annotated[tuple[str, ...], "bron"]
    paragraph: Annotated[str, "paragraaf"]
    note: Annotated[Text | None, "notitie"] = None


class Reference(Record):
    """Everything the tool knows, compiled once from the data files."""

    sources: dict[str, Source]
    measures: dict[str, Measure]
    life_stages: dict[str, LifeStage]
    factors: dict[str, Factor]
    overlaps: tuple[Overlap, ...]
    monitor: Monitor  # the table the engines use: without --jaar, the newest own table, else the bundled one
    other_monitors: tuple[Monitor, ...]  # the other tables, one per year (`core.reference.years` picks one for --jaar)
    tiers: Tiers
    signals: Signals
    interventions: dict[str, Intervention]
    djg: DjgKey
    examples: dict[str, Example]
    files: dict[str, str]  # data file name -> the path it was read from

    @property
    def monitors(self) -> tuple[Monitor, ...]:
        """Every monitor table, oldest first."""
        return tuple(sorted((self.monitor, *self.other_monitors), key=lambda monitor: monitor.year))


class CachedReference(Reference):
    """A Reference read from the cache: each part is decoded from its JSON on first use.

    `parts` holds each part's `encode_part` form, already checked against the cache
    file's SHA-256 by `loading`. Decoding builds only records, strings, numbers and
    containers: nothing in the file is run. A command pays only for the parts it
    touches (`prevalentie` needs the monitor, the measures and the sources, not the
    43 interventions). Should a part still fail to decode, it is taken from a
    reference that `rebuild` compiles afresh: never a wrong figure, never a crash.
    """

    def __init__(self, parts: dict[str, bytes], rebuild: typing.Callable[[], Reference]):
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_rebuild", rebuild)

    def __getattr__(self, name: str) -> Any:
        parts = object.__getattribute__(self, "_parts")
        if name not in parts:
            raise AttributeError(name)
        try:
            value = decode_part(parts[name])
        except Exception:
            value = getattr(object.__getattribute__(self, "_rebuild")(), name)
        object.__setattr__(self, name, value)
        return value


# --- the one generic mapping between records and their Dutch-keyed form ---------------


@cache
def _record_fields(cls: type) -> tuple[tuple[str, str, Any], ...]:
    """(field name, Dutch key, type) for each field of record class `cls`."""
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = []
    for name in cls._fields:
        hint = hints[name]
        key = name
        if typing.get_origin(hint) is Annotated:
            hint, key = typing.get_args(hint)[0], typing.get_args(hint)[1]
        fields.append((name, key, hint))
    return tuple(fields)


def _is_record(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, Record)


def _build(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _build(next(arg for arg in args if arg is not type(None)), value)
    if origin is tuple:
        return tuple(_build(args[0], item) for item in value)
    if origin is dict:
        return {k: _build(args[1], v) for k, v in value.items()}
    if _is_record(hint):
        return from_data(hint, value)
    return value


def from_data(cls: type, data: dict[str, Any]) -> Any:
    """Build record `cls` from a validated, Dutch-keyed mapping."""
    return cls(**{name: _build(hint, data[k]) for name, k, hint in _record_fields(cls) if k in data})


def to_data(value: Any) -> Any:
    """The Dutch-keyed, JSON-ready form of a record (Decimals stay Decimal)."""
    if _is_record(type(value)):
        return {k: to_data(getattr(value, name)) for name, k, _ in _record_fields(type(value))}
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


# --- the cache's form of a Reference part: JSON, read without running any code -----------


def encode_part(value: Any) -> bytes:
    """One part of a Reference as one line of JSON; `decode_part` reverses it exactly.

    A record becomes {"$Class": [its field values in order]}, a Decimal {"$decimal": "52.0"}
    (its exact digits and exponent), a tuple an array; dicts with string keys, strings,
    ints, booleans and None stay as they are. Anything else raises TypeError. No type hints
    are read, so decoding stays cheap at start-up.
    """
    import json

    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _plain(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is Decimal:
        return {"$decimal": str(value)}
    if kind is tuple:
        return [_plain(item) for item in value]
    if kind is dict and all(type(key) is str for key in value):
        if len(value) == 1 and next(iter(value)).startswith("$"):
            raise TypeError("a dict whose only key starts with '$' would read back as a tag")
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Record) and _record_classes().get(kind.__name__) is kind:
        return {f"${kind.__name__}": [_plain(getattr(value, name)) for name in value._fields]}
    raise TypeError(f"no cache form for {kind.__name__}")


def decode_part(text: bytes) -> Any:
    """The value `encode_part` wrote; raises ValueError (or another error) on anything else."""
    try:
        from _json import make_scanner  # the C parser behind json.loads, without the regexes `import json` compiles
    except ImportError:  # a Python without it
        import json

        return _tuples(json.loads(text, object_hook=_unplain))
    string = text.decode()
    context = types.SimpleNamespace(strict=True, object_hook=_unplain, object_pairs_hook=None,
                                    parse_float=float, parse_int=int, parse_constant=_no_constant)
    value, end = make_scanner(context)(string, 0)
    if end != len(string):
        raise ValueError("extra data after the JSON value")
    return _tuples(value)


def _unplain(data: dict[str, Any]) -> Any:
    """A JSON object (its members already decoded) as the value `_plain` made it from."""
    if len(data) == 1:
        key = next(iter(data))
        if key == "$decimal":
            return Decimal(data[key])
        if key[:1] == "$":
            cls = _record_classes().get(key[1:])
            if cls is None:
                raise ValueError(f"unknown tag {key!r}")  # a name can select no other class
            values = data[key]
            if type(values) is not list or len(values) != len(cls._fields):
                raise ValueError(f"{cls.__name__} needs {len(cls._fields)} values")
            record = object.__new__(cls)  # as pickle does: the fields straight into __dict__, skipping __init__
            record.__dict__.update(zip(cls._fields, [_tuples(v) if type(v) is list else v for v in values]))
            return record
    for key, item in data.items():
        if type(item) is list:
            data[key] = _tuples(item)
    return data


def _tuples(value: Any) -> Any:
    return tuple(map(_tuples, value)) if type(value) is list else value


def _no_constant(name: str) -> Any:
    raise ValueError(f"no {name} in the cache")


@cache
def _record_classes() -> dict[str, type]:
    """The record classes a cache may name; a name can select nothing else."""
    return {name: value for name, value in globals().items()
            if isinstance(value, type) and issubclass(value, Record) and value not in (Record, CachedReference)}
