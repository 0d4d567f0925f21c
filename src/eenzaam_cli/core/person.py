"""Reading a person: the keys and values of a profile, a person file or a batch row.

The keys are the factor ids of the reference data (`opleiding`, `burgerlijke_staat`,
`alleenwonend`, …) plus `leeftijd`, `eenzaam`, `signalen`, and the De Jong
Gierveld answers `djg_1` … `djg_11` (or `djg` with all answers comma-separated);
the same keys are the column names of batch input. Values are matched as real exports need: case
and surrounding spaces do not matter, spaces and hyphens count as `_`
(`min of meer` = `min_of_meer`), and a yes/no factor takes ja/nee, yes/no,
true/false, j/n or 1/0. A key left out, left empty or answered with one of the scale's missing words
(djg.yaml `ontbrekend_waarden`: "weet niet", "weigert", …) is unknown, never "no".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from .djg import ITEM_COLUMN, DjgScore, Scorer
from .errors import InputError, InputErrors
from .record import Record
from .reference.model import Reference
from .prevalence import parse_age
from .files.reading import MAX_DIGITS

AGE, LONELY, SIGNALS, DJG = "leeftijd", "eenzaam", "signalen", "djg"
_YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1"})
_NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})
_SEVERE = frozenset({"ernstig", "zeer_ernstig", "ernstig_eenzaam", "zeer_ernstig_eenzaam", "severe", "severely_lonely"})
_STATED_YES = "eenzaam"  # the measure `eenzaam: ja` states
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise(value: Any) -> str:
    """' Min of meer ' -> 'min_of_meer'; 'Niet-westers' -> 'niet_westers'."""
    text = str(value)
    found = _normalised.get(text)
    if found is None:
        found = _SEPARATORS.sub("_", text.strip().lower())
        if len(_normalised) < 10_000:  # column names and category values: a few hundred in practice
            _normalised[text] = found
    return found


_normalised: dict[str, str] = {}


_ITEM = "djg_"  # the key of one De Jong Gierveld item: djg_1 … djg_11


def column_keys(columns: Iterable[Any], where: str, keys: Collection[str] | None = None) -> list[str | None]:
    """The key each column names, as `PersonReader` reads it; None for a column that names none of `keys`.

    `Burgerlijke Staat` and `burgerlijke_staat` name one key, and so do `DJG_01` and `djg_1`: two such
    columns are refused with one line naming both (`where` is the header's place), whatever their values,
    so that no column is ever read in place of another.
    """
    found: list[str | None] = []
    first: dict[str, Any] = {}
    for column in columns:
        key = normalise(column)
        item = ITEM_COLUMN.match(key)
        if item:
            key = _ITEM + (item.group(1).lstrip("0") or "0")
        if keys is not None and key not in keys:
            found.append(None)
            continue
        if key in first:
            raise InputError(f"{where}: de kolommen {str(first[key])!r} en {str(column)!r} zijn allebei {key!r}; "
                             "houd er één")
        first[key] = column
        found.append(key)
    return found


class Recognised(Record):
    """What a table's header was read as: the columns of person keys (column, key), the De Jong Gierveld items,
    the weight, area and count columns a command named, and the columns passed through untouched."""

    keys: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    weight: str | None = None
    area: str | None = None
    count: str | None = None
    passed: tuple[str, ...] = ()

    @property
    def nothing(self) -> bool:
        """Neither a person key nor a De Jong Gierveld item: nothing to profile."""
        return not self.keys and not self.items

    def as_written(self, source: dict[str, str]) -> Recognised:
        """The same, each column by the name the file gives it (`source`: a koppeling's key -> the file's column)."""
        def named(column: str | None) -> Any:
            return source.get(column, column) if column is not None else None

        return Recognised(keys=tuple((named(c), key) for c, key in self.keys), items=tuple(map(named, self.items)),
                          weight=named(self.weight), area=named(self.area), count=named(self.count),
                          passed=tuple(map(named, self.passed)))


def recognise(header: Sequence[Any], reference: Reference, where: str, *, person: bool = True, also: Collection[str] = (),
              weight: str | None = None, area: str | None = None, count: str | None = None) -> Recognised:
    """Which column of `header` is which: person keys (unless `person` is False; `also` adds keys a command reads,
    such as `djg`), De Jong Gierveld items, and the `weight`, `area` and `count` columns as named; every other
    column is passed through.

    Two columns for one key are refused (`column_keys`); `where` is the header's place.
    """
    items = {f"{_ITEM}{item}" for scale in reference.djg.scales for item in scale.items}
    known = items | ({AGE, LONELY, SIGNALS, *reference.factors} if person else set()) | set(also)
    roles = {weight: "weight", area: "area", count: "count"}
    found: dict[str, Any] = {"keys": [], "items": [], "passed": []}
    for column, key in zip(header, column_keys(header, where, known)):
        column = str(column)
        if column in roles:
            found[roles[column]] = column
        elif key in items:
            found["items"].append(column)
        elif key is not None:
            found["keys"].append((column, key))
        else:
            found["passed"].append(column)
    return Recognised(**{name: tuple(value) if isinstance(value, list) else value for name, value in found.items()})


def known_keys(reference: Reference) -> list[str]:
    """The person keys a file's columns may have, as a message lists them."""
    last = max(item for scale in reference.djg.scales for item in scale.items)
    return [AGE, LONELY, SIGNALS, DJG, f"{_ITEM}1 … {_ITEM}{last}", *(f for f in reference.factors if f != AGE)]


def nothing_recognised(where: str, header: Sequence[Any], reference: Reference) -> InputError:
    """The one line of a file of which no column is a person key or a De Jong Gierveld item."""
    return InputError(f"{where}: geen kolom herkend als persoonssleutel of De Jong Gierveld-item (kolommen: "
                      f"{shortened(list(map(str, header)))}; bekende sleutels: {shortened(known_keys(reference))}); "
                      "koppel de kolommen met --kolom DOEL=BRON of --koppeling KOPPELING.yaml")


def shortened(names: Sequence[str], limit: int = 8, language: str = "nl") -> str:
    """'a, b, c' or, for more than `limit` names, the first `limit` and '… en 192 andere'."""
    if len(names) <= limit:
        return ", ".join(names)
    rest = len(names) - limit
    return ", ".join(names[:limit]) + (f" … en {rest} andere" if language == "nl" else f" … and {rest} others")


def _group(key: str) -> str:
    """What a key overrides: itself, except that all De Jong Gierveld answers (djg, djg_N) go together."""
    return DJG if key.startswith(_ITEM) else key


def _same(value: Any) -> Any:
    """What two readings of one key must share to agree (a score by its scale and answers)."""
    return (value.scale.id, tuple(value.answers)) if isinstance(value, DjgScore) else value


def _written(value: Any) -> str:
    """A value as the user wrote it, for a message."""
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value).strip()


class Person(Record):
    """One person as the engine sees them: every field optional, nothing assumed."""

    age: int | None = None
    factors: dict[str, str] = {}  # factor id -> level value (for count factors: the level the count falls in)
    counts: dict[str, int] = {}  # factor id -> the number given, for count factors
    lonely: str | None = None  # stated loneliness, where known: 'nee', 'eenzaam' or 'ernstig' (a measure id)
    signals: tuple[str, ...] = ()
    djg: DjgScore | None = None  # the De Jong Gierveld score, where answers were given


class PersonReader:
    """Turns (key, value, where) items into a Person, with one-line errors naming `where`.

    Build it once per reference and reuse it: the lookup tables are compiled here.
    """

    def __init__(self, reference: Reference, scorer: Scorer | None = None):
        self.reference = reference
        self.scorer = scorer or Scorer(reference.djg)
        self.mapping = self.scorer.mapping  # the analyst's codes and missing codes (core/mapping.py), or None
        self.choices: dict[str, dict[str, str]] = {}
        for factor in reference.factors.values():
            if factor.input == "keuze":
                self.choices[factor.id] = {normalise(level.value): level.value for level in factor.levels}
        self.signals = {signal.id for category in reference.signals.categories for signal in category.signals}
        self.items = frozenset(item for scale in reference.djg.scales for item in scale.items)
        self._levels: dict[tuple[str, str], tuple[str, int | None]] = {}
        self.keys = known_keys(reference)

    def read(self, items: Iterable[tuple[str, Any, str]], base: Iterable[tuple[str, Any, str]] = ()) -> Person:
        """A Person from (key, value, where) items; `where` names the origin in every error.

        A key given twice must have the same value both times, also when it is written two ways
        (`Opleiding` and `opleiding`, `--leeftijd` and `--factor leeftijd`, two columns of one row):
        otherwise the run stops with one line naming both. `base` holds items that `items` override
        key by key, such as a person file under the command-line options; `djg` and the items
        `djg_1` … count as one key there.
        """
        given = self._parse(items)
        if base:
            overridden = {_group(key) for key in given}
            given = {key: entry for key, entry in self._parse(base).items() if _group(key) not in overridden} | given
        return self.person(given)

    def parsed(self, key: str, value: Any, where: str) -> tuple[str, tuple[Any, Any, str]] | None:
        """One item as `read` takes it: its key and (the value read, the value as written, where); None for a value
        left empty or missing (unknown). A batch run keeps it per column and text, and keys profiles on the values
        read (`person` makes the Person of such items)."""
        parsed: dict[str, tuple[Any, Any, str]] = {}
        self._parse_item(parsed, key, value, where)
        return next(iter(parsed.items()), None)

    def person(self, given: dict[str, tuple[Any, Any, str]]) -> Person:
        """The Person of parsed items: key -> (the value read, the value as written, where), as `_parse` gives them."""
        age: int | None = None
        lonely: str | None = None
        factors: dict[str, str] = {}
        counts: dict[str, int] = {}
        signals: tuple[str, ...] = ()
        answers: dict[int, tuple[str | None, str]] = {}
        djg: DjgScore | None = None
        for key, (value, _, where) in given.items():
            if key.startswith(_ITEM):
                answers[int(key[len(_ITEM):])] = (value, where)
            elif key == DJG:
                djg = value
            elif key == AGE:
                age = value
            elif key == LONELY:
                lonely = value
            elif key == SIGNALS:
                signals = value
            else:
                factors[key], count = value
                if count is not None:
                    counts[key] = count
        if age is not None and AGE in self.reference.factors:
            factors[AGE] = self._count_level(AGE, age, where="leeftijd")
            counts[AGE] = age
        if answers:
            if djg is not None:
                raise InputError(f"{answers[min(answers)][1]}: De Jong Gierveld-antwoorden twee keer gegeven (djg en djg_*)")
            djg = self._djg_items(answers)
        if lonely is not None and djg is not None:
            score_where = given[DJG][2] if DJG in given else answers[min(answers)][1]
            self.check_lonely(lonely, given[LONELY][1], given[LONELY][2], djg, score_where)
        return Person(age=age, factors=factors, counts=counts, lonely=lonely, signals=signals, djg=djg)

    def check_lonely(self, lonely: str, written: Any, where: str, score: DjgScore, score_where: str) -> None:
        """InputError when a stated loneliness contradicts a measured score, naming both.

        `ja` states the measure `eenzaam`, `ernstig` the measure `ernstig`: each says the person is in that
        measure and in every measure it is part of (maten.yaml `deel_van`), so an indicator of one of those
        that is False contradicts it. `nee` denies `eenzaam` and every measure part of it, so such an
        indicator that is True contradicts it. An undetermined indicator (None) contradicts nothing.
        """
        for indicator in score.scale.indicators:
            found = score.indicators.get(indicator.id)
            if found is None:
                continue
            if (found and lonely == "nee" and self._within(indicator.measure, _STATED_YES)) or (
                    not found and lonely != "nee" and self._within(lonely, indicator.measure)):
                total = f"score {score.total} van {len(score.scale.items)}" + ("" if score.complete else ", onvolledig")
                said = ("" if found else "niet ") + indicator.label("nl")
                raise InputError(f"{where}: {_written(written)!r} conflicteert met {score_where} ({total}: {said}); "
                                 f"geef één van beide of laat {where.rpartition(': ')[2]} weg")

    def _within(self, measure: str, whole: str) -> bool:
        """Whether everyone in `measure` is in `whole`: the same measure, or part of it (ernstig of eenzaam)."""
        seen = set()
        while measure not in seen:
            if measure == whole:
                return True
            seen.add(measure)
            found = self.reference.measures.get(measure)
            if found is None or found.part_of is None:
                return False
            measure = found.part_of
        return False

    def _parse(self, items: Iterable[tuple[str, Any, str]]) -> dict[str, tuple[Any, Any, str]]:
        """key -> (the value read, the value as written, where); a key given twice must agree with itself.

        Every bad item is found, not just the first: one InputError, or InputErrors with all of them.
        """
        parsed: dict[str, tuple[Any, Any, str]] = {}
        errors: list[InputError] = []
        for raw_key, value, where in items:
            try:
                self._parse_item(parsed, raw_key, value, where)
            except InputError as error:
                errors.append(error)
        if errors:
            raise errors[0] if len(errors) == 1 else InputErrors(errors)
        return parsed

    def _parse_item(self, parsed: dict[str, tuple[Any, Any, str]], raw_key: str, value: Any, where: str) -> None:
        """Read one item into `parsed`; InputError for a bad one."""
        key = normalise(raw_key)
        item = ITEM_COLUMN.match(key)
        if isinstance(value, str) and self.mapping is not None and not item:
            value = self.mapping.value(key, value)  # an item's answer goes through the koppeling in the scorer
        empty = value is None or (isinstance(value, str) and self.scorer.is_missing(value))
        if item:
            digits = item.group(1).lstrip("0")
            number = int(digits) if len(digits) <= MAX_DIGITS else 0  # a page of digits is no item either
            if number not in self.items:
                raise InputError(f"{where}: onbekend De Jong Gierveld-item (toegestaan: djg_1 … djg_{max(self.items)})")
            key = f"{_ITEM}{number}"
            read = self.scorer.answer(value, number, where)  # an empty answer is a missing answer
            if key in parsed and read is None:
                return  # a missing answer adds nothing to one that was given
            if key in parsed and parsed[key][0] is None:
                del parsed[key]
        elif empty:
            return  # unknown, not "no"
        elif key == DJG:
            read = self.scorer.read(str(value), where)
        elif key == AGE:
            read = parse_age(value, where)
        elif key == LONELY:
            read = self._lonely(value, where)
        elif key == SIGNALS:
            read = tuple(dict.fromkeys(self._signals(value, where)))
        elif key in self.reference.factors:
            read = self._level(key, value, where)
        else:
            raise InputError(f"{where}: onbekende factor {raw_key!r} (toegestaan: {', '.join(self.keys)})")
        if key in parsed:
            first, first_written, first_where = parsed[key]
            if _same(first) != _same(read):
                raise InputError(f"{where}: {_written(value)!r} conflicteert met {first_where} "
                                 f"({_written(first_written)!r}); geef één waarde")
            return
        parsed[key] = (read, value, where)

    def _djg_items(self, answers: dict[int, tuple[str | None, str]]) -> DjgScore:
        """Score answers given per item; the smallest scale that holds every item given, the rest missing."""
        first = answers[min(answers)][1]
        scales = sorted(self.scorer.key.scales, key=lambda s: len(s.items))
        scale = next((s for s in scales if set(answers) <= set(s.items)), None)
        if scale is None:
            raise InputError(f"{first}: onbekend De Jong Gierveld-item (toegestaan: djg_1 … djg_{max(scales[-1].items)})")
        return self.scorer.score(scale, [answers[i][0] if i in answers else None for i in scale.items])

    def _level(self, factor_id: str, value: Any, where: str) -> tuple[str, int | None]:
        """(level, count) of a factor's value as written; kept per text, as a batch run meets the same ones."""
        key = (factor_id, value) if isinstance(value, str) else None
        found = self._levels.get(key) if key is not None else None
        if found is None:
            found = self._new_level(factor_id, value, where)  # InputError for a value that is no level
            if key is not None and len(self._levels) < 10_000:
                self._levels[key] = found
        return found

    def _new_level(self, factor_id: str, value: Any, where: str) -> tuple[str, int | None]:
        factor = self.reference.factors[factor_id]
        if factor.input == "ja_nee":
            return self._yes_no(value, where), None
        if factor.input == "aantal":
            text = str(value).strip()
            if not (text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS):
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

    @classmethod
    def _lonely(cls, value: Any, where: str) -> str:
        """'ja' -> 'eenzaam', 'ernstig' -> 'ernstig', 'nee' -> 'nee' (the measure stated, as the monitor names it)."""
        if normalise(value) in _SEVERE:
            return "ernstig"
        try:
            return _STATED_YES if cls._yes_no(value, where) == "ja" else "nee"
        except InputError:
            raise InputError(f"{where}: {str(value).strip()!r} is onbekend (toegestaan: ja, nee, ernstig)") from None

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
