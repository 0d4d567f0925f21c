"""Reading a person: the keys and values of a profile, a person file or a batch row.

The keys are the factor ids of the reference data (`opleiding`, `burgerlijke_staat`,
`alleenwonend`, …) plus `leeftijd`, `eenzaam` and `signalen`; the same keys are
the column names of batch input. Values are matched as real exports need: case
and surrounding spaces do not matter, spaces and hyphens count as `_`
(`min of meer` = `min_of_meer`), and a yes/no factor takes ja/nee, yes/no,
true/false, j/n or 1/0. A key left out or left empty is unknown, never "no".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .errors import InputError
from .model import Record, Reference
from .prevalence import parse_age

AGE, LONELY, SIGNALS = "leeftijd", "eenzaam", "signalen"
_YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1"})
_NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise(value: Any) -> str:
    """' Min of meer ' -> 'min_of_meer'; 'Niet-westers' -> 'niet_westers'."""
    return _SEPARATORS.sub("_", str(value).strip().lower())


class Person(Record):
    """One person as the engine sees them: every field optional, nothing assumed."""

    age: int | None = None
    factors: dict[str, str] = {}  # factor id -> level value (for count factors: the level the count falls in)
    counts: dict[str, int] = {}  # factor id -> the number given, for count factors
    lonely: bool | None = None  # observed loneliness, where known
    signals: tuple[str, ...] = ()


class PersonReader:
    """Turns (key, value, where) items into a Person, with one-line errors naming `where`.

    Build it once per reference and reuse it: the lookup tables are compiled here.
    """

    def __init__(self, reference: Reference):
        self.reference = reference
        self.choices: dict[str, dict[str, str]] = {}
        for factor in reference.factors.values():
            if factor.input == "keuze":
                self.choices[factor.id] = {normalise(level.value): level.value for level in factor.levels}
        self.signals = {signal.id for category in reference.signals.categories for signal in category.signals}
        self.keys = [AGE, LONELY, SIGNALS, *(f for f in reference.factors if f != AGE)]

    def read(self, items: Iterable[tuple[str, Any, str]]) -> Person:
        age: int | None = None
        lonely: bool | None = None
        factors: dict[str, str] = {}
        counts: dict[str, int] = {}
        signals: list[str] = []
        for raw_key, value, where in items:
            key = normalise(raw_key)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue  # unknown, not "no"
            if key == AGE:
                age = parse_age(value, where)
            elif key == LONELY:
                lonely = self._yes_no(value, where) == "ja"
            elif key == SIGNALS:
                signals += self._signals(value, where)
            elif key in self.reference.factors:
                factors[key], count = self._level(key, value, where)
                if count is not None:
                    counts[key] = count
            else:
                raise InputError(f"{where}: onbekende factor {raw_key!r} (toegestaan: {', '.join(self.keys)})")
        if age is not None and AGE in self.reference.factors:
            factors[AGE] = self._count_level(AGE, age, where="leeftijd")
            counts[AGE] = age
        return Person(age=age, factors=factors, counts=counts, lonely=lonely, signals=tuple(dict.fromkeys(signals)))

    def _level(self, factor_id: str, value: Any, where: str) -> tuple[str, int | None]:
        factor = self.reference.factors[factor_id]
        if factor.input == "ja_nee":
            return self._yes_no(value, where), None
        if factor.input == "aantal":
            text = str(value).strip()
            if not text.isdigit():
                raise InputError(f"{where}: {text!r} is geen aantal (een geheel getal vanaf 0)")
            return self._count_level(factor_id, int(text), where), int(text)
        level = self.choices[factor_id].get(normalise(value))
        if level is None:
            allowed = ", ".join(self.choices[factor_id].values())
            raise InputError(f"{where}: {str(value).strip()!r} is onbekend (toegestaan: {allowed})")
        return level, None

    def _count_level(self, factor_id: str, number: int, where: str) -> str:
        for level in self.reference.factors[factor_id].levels:
            if level.range is not None and number in level.range:
                return level.value
        raise InputError(f"{where}: {number} valt in geen enkel niveau van {factor_id!r}")

    @staticmethod
    def _yes_no(value: Any, where: str) -> str:
        text = normalise(value)
        if text in _YES:
            return "ja"
        if text in _NO:
            return "nee"
        raise InputError(f"{where}: {str(value).strip()!r} is geen ja of nee (toegestaan: ja, nee, true, false, 1, 0)")

    def _signals(self, value: Any, where: str) -> list[str]:
        items = value if isinstance(value, (list, tuple)) else str(value).split(",")
        found = []
        for item in items:
            signal = normalise(item)
            if not signal:
                continue
            if signal not in self.signals:
                raise InputError(f"{where}: onbekend signaal {str(item).strip()!r} (zie `eenzaam signalen` voor de ids)")
            found.append(signal)
        return found
