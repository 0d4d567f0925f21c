"""Batch runs: profile every row of a respondent file with the same engine as `profiel`, streamed.

A row's columns are the person keys of a profile (`leeftijd`, `burgerlijke_staat`, …), the De Jong
Gierveld answers (`djg_1` … of exactly one scale) and anything else, which passes through untouched.

The work per row depends on a handful of categorical values and eleven answers, so it is keyed and the
reference is compiled into lookup tables once:

* an age is mapped to its age class: the ages between two `Engine.age_breaks` give the same profile;
* the profile (without the measurement) is computed once per (age class, values of the columns that can move a
  figure); a column of a factor that no figure, age condition or overlap touches (`direction_only`) only adds its
  factor to the risk list or not, so those columns are read once per combination of their texts, and the risk
  list once per set of risk factors: a file with many such columns has no more profiles to compute than without;
* an answer's text is looked up once per column and text, giving its points and missing answer per
  subscale packed in one number; the scale is scored once per such sum (a few hundred at most);
* the tier once per profile basis (a risk factor or not, loneliness stated) and measured outcome.

A row's result is four cached parts (`Profiled`, `Risks`, `Scored`, `Outcome`) that hold their cells, and their
text as the output writes it, so the per-row work is a few lookups. The caches are bounded (`CACHE_LIMIT`), so
memory stays flat whatever the file's size. `BatchEngine.result` raises InputError naming the row's place and
column; nothing is dropped without a word.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from operator import attrgetter, itemgetter, or_
from typing import Any, NamedTuple

from .djg import DjgScore, Scorer
from .errors import InputError, InputErrors
from .files.tabular import Batch, Block
from .person import AGE, LONELY, PersonReader, normalise, nothing_recognised, recognise
from .prevalence import parse_age
from .profile import AGE_FACTOR, NO_AGE, OUTSIDE_MONITOR, Engine, remember
from .record import Record
from .reference.model import Reference
from .stats import Interval, wilson

MIN_WEIGHT, MAX_WEIGHT = Decimal("0.000000001"), Decimal(1_000_000_000)  # a weight of `batch --gewicht`
CACHE_LIMIT = 20_000  # entries per cache; a full cache drops its oldest quarter (`remember`: flat memory)
# Profiles by the values read (`BatchEngine._by_value`): the bundled reference allows 18,144 combinations of the
# figure-moving columns' levels (and unknown) times 12 age classes, 217,728 keys. An entry is a tuple of the age
# class and the shared values read (128 bytes) and its dict slot, under 200 bytes with the dict's spare room, and
# points to a Profiled shared by every key with the same cells (a few thousand at most): 32,768 entries take about
# 5.5 MiB (tracemalloc), which holds the distinct profiles of a realistic file (2,664 in the standard benchmark
# file) and keeps a file with many more near the default install's 64 MiB; a full cache drops its oldest quarter.
PROFILE_LIMIT = 32_768
_UNSEEN = 1 << 64  # the packed part of answers not seen before: far above any real key
# Cached keys join a row's texts with NUL: one string hashes faster than a tuple of them. A key is only
# cached for texts that were read without error, which hold no NUL, so no other texts give that key.
_KEY = "\x00"
RISK = "risico"  # the direction of a risk factor (the risk list, and the basis of the tier)


# Importing pyarrow (0.3 s) pays off for a file of more than about 60,000 rows: one of 8 MiB (about 65,000 rows) or
# more comes in blocks from its first line; one read from a stream after its first 65,536 lines.
COLUMNAR_SIZE, COLUMNAR_AFTER = 8 * 2**20, 65_536


def columnar_after(size: int | None, at_size: int = COLUMNAR_SIZE, after: int = COLUMNAR_AFTER) -> int | None:
    """After how many lines a file of `size` bytes (None: unknown, a stream) comes in blocks for core/columnar.py
    (`TableReader.batches(blocks_after=…)`): from its first line at `at_size` bytes or more, else after `after`
    lines; None, never, when pyarrow (the extra `snel`) is not installed."""
    from importlib.util import find_spec

    if find_spec("pyarrow") is None:
        return None
    return 0 if size is not None and size >= at_size else after


def result_columns(measures: Sequence[str]) -> list[str]:
    """The columns a batch run adds to every row, in order (docs/gebruik.md documents them)."""
    columns = ["leeftijdsband", "djg_totaal", "djg_emotioneel", "djg_sociaal", "djg_categorie", "risicofactoren",
               "n_risicofactoren"]
    for measure in measures:
        columns += [f"hoogste_groepscijfer_{measure}", f"illustratie_onafhankelijk_{measure}"]
    return columns + ["preventieniveau"]


class RowProblem(Record):
    """Why one row could not be profiled: its line, the column and value at fault, and the reason."""

    line: int
    column: str
    value: str
    reason: str


class Profiled:
    """The profile part of a row's result, shared by every row with the same key (cached): the band and the
    figures, from the age and the columns that can move a figure.

    `group` is what a report counts the row under: its band, `leeftijd_onbekend` (no age) or `buiten_monitor`.
    `bits` holds the positions of its risk factors and its stated loneliness (what `Risks` is made of, with the
    risk factors of the other columns).
    """

    __slots__ = ("band", "band_text", "bits", "cells", "group", "text")

    def __init__(self, band: str | None, cells: list[str], bits: int, join: Callable[[Sequence[str]], str],
                 group: str | None = None):
        self.band, self.cells, self.bits = band, cells, bits
        self.group = group or band or OUTSIDE_MONITOR
        self.band_text, self.text = join([band or ""]), join(cells)


class Risks:
    """The risk factors of a row, from every person column, in the order of the columns (the age's last), and
    how many; `basis` is what the tier rules look at besides the measurement (`basis_key`)."""

    __slots__ = ("basis", "cells", "text")

    def __init__(self, ids: Sequence[str], basis: int, join: Callable[[Sequence[str]], str]):
        self.cells, self.basis = [";".join(ids), str(len(ids))], basis
        self.text = join(self.cells)


class Scored:
    """The De Jong Gierveld part of a row's result, shared by every row with the same points and missing answers."""

    __slots__ = ("cells", "indicators", "score", "text")

    def __init__(self, cells: Sequence[str], indicators: tuple, score: DjgScore | None, join: Callable[[Sequence[str]], str]):
        self.cells, self.indicators, self.score, self.text = tuple(cells), indicators, score, join(cells)


class Outcome:
    """The tier of a row and what a report counts of it: (measure, lonely by the scale's indicator) pairs.

    One object per distinct outcome, so a report counts rows per (band, outcome) with a cheap key.
    """

    __slots__ = ("indicators", "text", "tier")

    def __init__(self, tier: int, indicators: tuple[tuple[str, bool | None], ...], join: Callable[[Sequence[str]], str] = "".join):
        self.tier, self.indicators, self.text = tier, indicators, join([str(tier)])


Result = tuple[Profiled, Risks, Scored, Outcome]
_NO_RISKS = Risks((), -1, "".join)  # a row whose risks are not known yet: no outcome has basis -1
_REJECTED = object()  # the outcome of a row that could not be profiled, while a chunk is looked up
_BASIS, _BITS, _GROUP = attrgetter("basis"), attrgetter("bits"), attrgetter("group")


class Chunk(NamedTuple):
    """Profiled rows of a batch run, as columns: each row's fields and its result's four parts.

    `texts` holds each row's fields joined by the separator, where the reader had them (else None).
    """

    rows: Sequence[list[str]]
    texts: Sequence[str] | None
    profiled: Sequence[Profiled]
    risks: Sequence[Risks]
    scored: Sequence[Scored]
    outcomes: Sequence[Outcome]

    def results(self) -> Iterator[Result]:
        return zip(self.profiled, self.risks, self.scored, self.outcomes)


class Done(NamedTuple):
    """A block's rows profiled as columns (core/columnar.py): their output as UTF-8, each line as read with its result
    cells, and how many rows each (group, outcome) has (what `Tally` counts). Unweighted, without areas."""

    rows: int
    output: memoryview
    counts: list[tuple[tuple, int]]


class Counted(NamedTuple):
    """A batch run's accounting: every row read was written or rejected."""

    read: int
    written: int
    rejected: int


def _plain(cells: Sequence[str]) -> str:
    return ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class BatchEngine:
    """Profiles the rows of one file; build once per file (the caches belong to its columns).

    `result(fields, line)` takes a row as the list of its texts in header order. `join` turns a part
    of the result cells into the text an output writes after the input cells (a CSV writer gives one
    that quotes and separates as it does), so that text is made once per cached part, not per row.
    """

    def __init__(self, reference: Reference, header: Sequence[str], scorer: Scorer | None = None, file: str = "invoer",
                 join: Callable[[Sequence[str]], str] | None = None, where: Callable[[int], str] | None = None,
                 weight: str | None = None):
        self.reference = reference
        self.scorer = scorer or Scorer(reference.djg)
        self.reader = PersonReader(reference, self.scorer)
        self.engine = Engine(reference)
        self.measures = self.engine.stackable
        self.columns = result_columns(self.measures)
        self.header = list(header)
        self.file = file
        self.where = where or (lambda line: f"{file}:{line}")
        self.join = join or _plain
        clash = [c for c in header if c in self.columns]
        if clash:
            raise InputError(f"{file}:1: de kolom {clash[0]!r} is een uitvoerkolom van eenzaam batch; hernoem haar "
                             f"(uitvoerkolommen: {', '.join(self.columns)})")
        # the header as read: a column the koppeling maps (core/mapping.py) is named by its key; messages name the source
        self.mapping = self.scorer.mapping
        self.names = self.mapping.header(header, file) if self.mapping is not None else list(header)
        self.source = dict(zip(self.names, header))
        weight = next((name for name, column in self.source.items() if column == weight), weight)
        recognised = recognise(self.names, reference, f"{file}:1", weight=weight)
        if recognised.nothing:
            raise nothing_recognised(f"{file}:1", header, reference)
        self.recognised = recognised.as_written(self.source)  # what the file's columns were read as, by their names
        position = {column: index for index, column in enumerate(self.names)}
        self._person_columns(recognised.keys, position)
        self._answer_columns(position)
        self._caches()

    def _person_columns(self, keys: Sequence[tuple[str, str]], position: dict[str, int]) -> None:
        """The columns of the profile's key: the age (its class) and the other person values as written."""
        self.age_column = next((c for c, key in keys if key == AGE), None)
        self.person = tuple(c for c, key in keys if key != AGE)
        self.lonely_column = next((c for c, key in keys if key == LONELY), None)
        self._age_text = itemgetter(position[self.age_column]) if self.age_column is not None else (lambda row: "")
        self._others = _getter([position[c] for c in self.person])
        key_of = dict(keys)
        self.direction_only = tuple(c for c in self.person if self._direction_only(key_of[c]))
        self.figured = tuple(c for c in self.person if c not in self.direction_only)
        self._figured = _getter([position[c] for c in self.figured])
        self._directed = _getter([position[c] for c in self.direction_only])
        # a risk factor's bit: its column's place among the person columns, the age's factor after them; the stated
        # loneliness in the bits above those
        self._risk_ids = [key_of[c] for c in self.person] + [AGE_FACTOR]
        self._risk_bit = {key: 1 << index for index, key in enumerate(self._risk_ids)}
        self._lonely_shift = len(self._risk_ids)
        self._lonely_codes: dict[str | None, int] = {None: 0}
        self._unseen = 1 << (self._lonely_shift + 8)  # bits no row has: far above the loneliness stated
        self._unprofiled = Profiled(None, [], self._unseen, self.join)  # a row whose key has no profile yet

    def _direction_only(self, key: str) -> bool:
        """Whether all a factor's value changes in a profile is whether the factor is a risk, the same at every age:
        no level with a figure of a stacked measure, no risk level with an age condition (another level's condition
        only turns it neutral), no count, no overlap naming it."""
        factor = self.reference.factors.get(key)
        return (factor is not None and key != AGE_FACTOR and factor.input != "aantal"
                and key not in self.engine._overlap_factors
                and all((level.condition is None or level.direction != RISK)
                        and not any(f.measure in self.measures for f in level.figures) for level in factor.levels))

    def _answer_columns(self, position: dict[str, int]) -> None:
        """The columns of the score's key: the answers of one scale, read per subscale (`_parts`)."""
        names = self.names
        self.scale, answer_columns = (self.scorer.scale_for_columns(names, f"{self.file}:1")
                                      if any(column.strip().lower().startswith("djg") for column in names) else (None, []))
        self.answer_columns = tuple(answer_columns)
        self._answer_texts = _getter([position[c] for c in self.answer_columns])
        subscales = self.scale.subscales if self.scale else ()
        items = self.scale.items if self.scale else ()
        self._subscale_of = [next(i for i, s in enumerate(subscales) if item in s.items) for item in items]
        # per subscale: its answers as written -> its points and missing answers, packed (`pack`)
        self._parts = [(_getter([position[c] for c, sub in zip(self.answer_columns, self._subscale_of) if sub == index]),
                        {}) for index in range(len(subscales))]

    def _caches(self) -> None:
        """The caches, each keyed by one of the key functions below the class (the fast path uses the same)."""
        self._breaks = self.engine.age_breaks()
        self._ages: dict[str, int] = {}  # age as written -> age class
        self._profiles: dict[tuple, Profiled] = {}  # profile_keys (the texts as written) -> the profile's part
        # per figured column, and the age's: text -> `reader.parsed`
        self._read_columns = (*self.figured, *(() if self.age_column is None else (self.age_column,)))
        self._values: list[dict[str, Any]] = [{} for _ in self._read_columns]
        self._by_value: dict[tuple, Profiled] = {}  # the age class and the figured values read -> the profile's part
        self._shared: dict[tuple, Profiled] = {}  # a profile's part by what it holds: one object for each
        self._directions: dict[str, int] = {}  # direction_keys -> the bits of the risk factors among those columns
        self._risks: dict[int, Risks] = {}  # risk_bits -> the risks' part
        self._scores: dict[int, Scored] = {}  # score_keys (packed points and missing answers) -> the score's part
        self._bases: dict[tuple, int] = {}  # basis_key -> a small number, the Profiled's basis
        self._basis_inputs: list[tuple[bool, str | None]] = []  # per basis number: what its key was made of
        self._outcomes: dict[tuple, Outcome] = {}  # (basis, indicators) -> one shared Outcome
        self._outcome_of: dict[tuple[int, Scored], Outcome] = {}  # outcome_keys -> its outcome
        self._indicator_measures = {i.id: i.measure for scale in self.reference.djg.scales for i in scale.indicators}
        if self.scale is None:
            self._scores[0] = Scored(("",) * 4, (), None, self.join)

    # --- one row ------------------------------------------------------------------------------------

    def result(self, fields: Sequence[str], line: int) -> Result:
        """The cached parts of one row's result, or InputError naming the row's place and column (InputErrors
        naming every bad column)."""
        try:
            return self._result(fields, line)
        except InputError as error:
            raise self._every_problem(fields, line, error) from None

    def _every_problem(self, fields: Sequence[str], line: int, error: InputError) -> InputError:
        """All bad columns of a row, where `error` is the first found: its person values and age read together,
        then each answer. Only a row with a problem comes here."""
        where = self.where(line)
        found: list[InputError] = []
        items = [(column, value, f"{where}: {column}") for column, value in zip(self.person, self._others(fields))]
        if self.age_column is not None:
            items.append((AGE, self._age_text(fields), f"{where}: {self.age_column}"))
        try:
            self.reader.read(items)
        except InputError as person:
            found += getattr(person, "errors", (person,))
        for item, text in zip(self.scale.items if self.scale else (), self._answer_texts(fields)):
            try:
                self.scorer.answer(text, item, where)
            except InputError as answer:
                found.append(answer)
        return InputErrors(found) if len(found) > 1 else error

    def _result(self, fields: Sequence[str], line: int) -> Result:
        profiled, risks = self._person(self._age_text(fields), self._figured(fields), self._directed(fields), line)
        parts = [(self.part(index, key, texts, line),) for index, (key, texts) in
                 enumerate((next(answer_keys((texts,))), texts) for texts in (of(fields) for of, _ in self._parts))]
        scored = self.scored(next(score_keys(parts), 0), lambda: self._answer_texts(fields), line)
        return profiled, risks, scored, self.outcome(risks, scored, fields, line)

    def _person(self, age: str, figured: tuple[str, ...], directed: tuple[str, ...], line: int) -> tuple[Profiled, Risks]:
        """The profile's part and the risks' part of a person: the age as written, the values of the columns that can
        move a figure and of those that only add a risk factor (`direction_only`); InputError for a bad value."""
        profiled = self.profiled(next(profile_keys((self.age_class(age, line),), (figured,))), age, figured, line)
        bits = self.directions(next(direction_keys((directed,))), directed, line) if self.direction_only else 0
        return profiled, self.risks(next(risk_bits((profiled,), (bits,))))

    # Each part of a row's result from its cache, else made and kept: what `_result` is made of, and what a reader
    # of columns (core/columnar.py) asks once per distinct key of a block. Each takes its key as `*_keys` makes it,
    # and the texts it is made of.

    def age_class(self, text: str, line: int) -> int:
        """The age class of an age as written (`Engine.age_breaks`; -1 for a missing age)."""
        age_class = self._ages.get(text)
        return self._age_class(text, line) if age_class is None else age_class

    def profiled(self, key: tuple, age: str, values: Sequence[str], line: int) -> Profiled:
        """The profile's part of an age (as written; only its class counts) and the `figured` values.

        Texts as written that are new are read column by column (a small cache per column), and the profile is
        kept by the values read (a factor's by its level, `_level`), which the reference bounds: texts spelled many
        ways share one profile."""
        profiled = self._profiles.get(key)
        if profiled is None:
            where = self.where(line)
            read = [self._value(index, text, where) for index, text in enumerate(values)]
            value_key = (self.age_class(age, line), *map(self._level, read))
            profiled = self._by_value.get(value_key)
            if profiled is None:
                profiled = remember(self._by_value, value_key, self._profile(age, read, where), PROFILE_LIMIT)
            _put(self._profiles, key, profiled)
        return profiled

    def _value(self, index: int, text: str, where: str) -> tuple[str, tuple[Any, Any, str]] | None:
        """A figured column's text, or the age's (after them), as the person reader takes it (`PersonReader.parsed`),
        kept per column and text."""
        cache = self._values[index]
        entry = cache.get(text, cache)
        if entry is cache:
            column = self._read_columns[index]
            entry = _put(cache, text, self.reader.parsed(column, text, f"{where}: {self.source[column]}"))
        return entry

    def _level(self, entry: tuple[str, tuple[Any, Any, str]] | None) -> Any:
        """What of a value read (`_value`) a profile's part depends on: a factor's level (a count counts only by the
        level it falls in, as an age by its class), any other key's value; None for unknown."""
        if entry is None:
            return None
        key, (value, _, _) = entry
        return value[0] if key in self.reference.factors else value

    def directions(self, key: str, values: Sequence[str], line: int) -> int:
        """The bits of the risk factors among the `direction_only` values."""
        bits = self._directions.get(key)
        return _put(self._directions, key, self._direction(values, line)) if bits is None else bits

    def risks(self, bits: int) -> Risks:
        """The risks' part of the risk factors and stated loneliness in `bits` (`risk_bits`)."""
        risks = self._risks.get(bits)
        return _put(self._risks, bits, self._risks_of(bits)) if risks is None else risks

    def part(self, index: int, key: str, answers: Sequence[str], line: int) -> int:
        """The packed points and missing answers of subscale `index`'s answers."""
        table = self._parts[index][1]
        part = table.get(key)
        return _put(table, key, self._part(index, answers, line)) if part is None else part

    def scored(self, packed: int, answers: Callable[[], Sequence[str]], line: int) -> Scored:
        """The score's part of the packed parts' sum (`score_keys`); `answers()` gives a row's answers, for a new one."""
        scored = self._scores.get(packed)
        if scored is None:
            scored = self._scores[packed] = self._score(answers(), line)  # a few hundred at most
        return scored

    def outcome(self, risks: Risks, scored: Scored, fields: Sequence[str], line: int) -> Outcome:
        """The outcome of a row with these risks and score (`fields`: the row, for a new one)."""
        key, = outcome_keys((risks,), (scored,))
        outcome = self._outcome_of.get(key)
        if outcome is None:
            outcome = self._outcome_of[key] = self._outcome(risks.basis, scored, fields, line)
        return outcome

    def profile_cells(self, age: str, values: Sequence[str], line: int = 0) -> tuple[str | None, list[str], int]:
        """A person's band, profile cells (risk factors, their number, the figures) and tier basis (`basis_key`'s
        number): what a row with this age and these person values (in `person` order) gets. For the same job done
        another way (benchmarks/)."""
        row = dict(zip(self.person, values))
        profiled, risks = self._person(age, tuple(row[c] for c in self.figured), tuple(row[c] for c in self.direction_only),
                                       line)
        return profiled.band, [*risks.cells, *profiled.cells], risks.basis

    def chunk(self, rows: Sequence[Any], lines: Sequence[int]) -> tuple[list[Any], list[Any], list[Any], list[Any],
                                                                         dict[int, InputError]]:
        """`result` for many rows at once, as columns (profiled, risks, scored, outcomes) and the errors by index.

        The cache lookups run over all rows in C (map and zip), which is what makes a batch fast; a
        row that misses a cache goes through `result`, so every row gets exactly what `result` gives.
        A row may be the reader's RowError for it: that is its error.
        """
        errors: dict[int, InputError] = {}
        if not all(map(isinstance, rows, repeat(list))):  # the reader's own problems with some rows
            errors = {index: row for index, row in enumerate(rows) if isinstance(row, InputError)}
            rows = [[] if isinstance(row, InputError) else row for row in rows]  # looked up one by one below
        if errors:
            profiled: list[Any] = [self._unprofiled] * len(rows)
            risks: list[Any] = [_NO_RISKS] * len(rows)
            scored: list[Any] = [None] * len(rows)
            outcomes: list[Any] = [None if index not in errors else _REJECTED for index in range(len(rows))]
        else:
            keys = profile_keys(map(self._ages.get, map(self._age_text, rows)), map(self._figured, rows))
            profiled = list(map(self._profiles.get, keys, repeat(self._unprofiled)))
            self._new_profiles(rows, lines, profiled)
            directed: Iterable[int] = repeat(0)
            if self.direction_only:  # an unseen combination: bits no risks have
                directed = map(self._directions.get, direction_keys(map(self._directed, rows)), repeat(self._unseen))
            risks = list(map(self._risks.get, risk_bits(profiled, directed), repeat(_NO_RISKS)))
            parts = [map(table.get, answer_keys(map(texts_of, rows)), repeat(_UNSEEN)) for texts_of, table in self._parts]
            packed = score_keys(parts) if parts else [0] * len(rows)  # an unseen part: a key no score has
            scored = list(map(self._scores.get, packed))
            outcomes = list(map(self._outcome_of.get, outcome_keys(risks, scored)))
        index = -1
        while True:  # a row that missed a cache: that row alone, through `result`
            try:
                index = outcomes.index(None, index + 1)
            except ValueError:
                return profiled, risks, scored, outcomes, errors
            try:
                profiled[index], risks[index], scored[index], outcomes[index] = self.result(rows[index], lines[index])
            except InputError as error:
                errors[index] = error
                outcomes[index] = _REJECTED

    def _new_profiles(self, rows: Sequence[list[str]], lines: Sequence[int], profiled: list[Any]) -> None:
        """The profile's part of each row whose texts as written are new (`profiled` holds `_unprofiled` there),
        without the rest of the row: new spellings of known values cost a lookup per column. A row with a bad value
        keeps `_unprofiled` and goes through `result`, which names every problem."""
        index = -1
        while True:
            try:
                index = profiled.index(self._unprofiled, index + 1)
            except ValueError:
                return
            fields, line = rows[index], lines[index]
            age, figured = self._age_text(fields), self._figured(fields)
            try:
                profiled[index] = self.profiled(next(profile_keys((self.age_class(age, line),), (figured,))), age,
                                                figured, line)
            except InputError:
                pass

    def cells(self, result: Result) -> list[str]:
        """The result cells of a row, in `columns` order."""
        profiled, risks, scored, outcome = result
        return [profiled.band or "", *scored.cells, *risks.cells, *profiled.cells, str(outcome.tier)]

    def row(self, row: Mapping[str, str], line: int) -> tuple[list[str], Result]:
        """`result` for a row given as {column: text}, with its cells."""
        result = self.result([row[column] for column in self.header], line)
        return self.cells(result), result

    def run(self, batches: Iterable[Batch | Block | Done], tally: Tally, write: Callable[[Chunk | memoryview], None],
            reject: Callable[[RowProblem], None], *, weight: Callable[[list[str], int], float] | None = None,
            strict: bool = False, every: Callable[[int], None] | None = None) -> Counted:
        """Profile a stream of rows, as `TableReader.batches(keep_going=True)` yields them.

        The profiled rows of each batch go to `write` as a Chunk and are counted in `tally` (with their
        `weight`, when given); each row that cannot be profiled, the reader's own problems included, goes
        to `reject`, and with `strict` the run stops there. `every` is called with the rows read so far
        after each batch (a progress bar). Returns the accounting: read = written + rejected.

        A `Block` of lines (unsplit) comes as rows, in batches; a `Done` block, profiled as columns already
        (core/columnar.py), is written and counted as it is.
        """
        read = written = rejected = 0
        for batch in batches:
            if isinstance(batch, Done):
                tally.add_counts(batch.counts)
                read += batch.rows
                written += batch.rows
                write(batch.output)
                if every is not None:
                    every(read)
                continue
            for lines, rows, texts in batch.batches if isinstance(batch, Block) else (batch,):
                counted = self._batch(lines, rows, texts, tally, write, reject, weight, strict, read == 0)
                read += counted.read
                written += counted.written
                rejected += counted.rejected
                if every is not None:
                    every(read)
                if strict and rejected:
                    return Counted(read, written, rejected)
        return Counted(read, written, rejected)

    def _batch(self, lines: Sequence[int], rows: list, texts: list[str] | None, tally: Tally,
               write: Callable[[Chunk], None], reject: Callable[[RowProblem], None],
               weight: Callable[[list[str], int], float] | None, strict: bool, first: bool) -> Counted:
        """One batch of `run`: its rows profiled, written, counted or rejected."""
        read = written = rejected = 0
        profiled, risks, scored, outcomes, errors = self.chunk(rows, lines)
        weights = None
        if weight is not None:
            weights = [1.0] * len(rows)
            weighed: dict[int, InputError] = {}
            for index, fields in enumerate(rows):
                if index not in errors:
                    try:
                        weights[index] = weight(fields, lines[index])
                    except InputError as error:
                        weighed[index] = error
            if first and weighed and len(weighed) + len(errors) == len(rows):
                raise self._weight_column(lines, rows, weighed)  # not one weight: the column, not its rows
            errors.update(weighed)
        if errors:
            bad = sorted(errors)[:1] if strict else sorted(errors)
            for index in bad:
                for problem in self.problems(lines[index], rows[index], errors[index]):
                    reject(problem)
            end = bad[0] if strict else len(rows)
            keep = [index for index in range(end) if index not in errors]
            read += len(bad)
            rejected += len(bad)
            rows, profiled, risks, scored, outcomes = ([column[i] for i in keep]
                                                       for column in (rows, profiled, risks, scored, outcomes))
            texts = [texts[i] for i in keep] if texts is not None else None
            weights = [weights[i] for i in keep] if weights is not None else None
        read += len(rows)
        written += len(rows)
        chunk = Chunk(rows, texts, profiled, risks, scored, outcomes)
        write(chunk)
        tally.add_chunk(chunk, weights)
        return Counted(read, written, rejected)

    # --- what the caches are filled with --------------------------------------------------------------

    def _read(self, key: str, text: str) -> str:
        """A cell's text as the key's reader takes it: through the koppeling's codes and missing codes, if any."""
        return text if self.mapping is None else self.mapping.value(key, text)

    def _age_class(self, text: str, line: int) -> int:
        age = self._read(AGE, text)
        if self.scorer.is_missing(age):
            age_class = -1  # unknown age: a profile without a band
        else:
            age_class = bisect_right(self._breaks, parse_age(age, f"{self.where(line)}: {self.source[self.age_column]}"))
        return _put(self._ages, text, age_class)

    def _profile(self, age: str, read: Sequence[tuple[str, tuple[Any, Any, str]] | None], where: str) -> Profiled:
        """The profile's part of the person with these values read (of the `figured` columns, `_value`); the age
        counts only by its class (`Engine.age_breaks`), the key's other part."""
        given = dict(filter(None, read))
        if self.age_column is not None:
            given.update(filter(None, [self._value(len(self.figured), age, where)]))
        person = self.reader.person(given)
        band_of, findings, (stacks, _, _) = self.engine.figures(person)
        cells = []
        for measure in self.measures:
            stack = stacks.get(measure)
            cells += [_text(stack.highest_group), _text(stack.combined)] if stack else ["", ""]
        code = self._lonely_codes.setdefault(person.lonely, len(self._lonely_codes))
        bits = sum(self._risk_bit[f.factor.id] for f in findings if f.direction == RISK) | code << self._lonely_shift
        band = band_of.label if band_of else None
        group = NO_AGE if person.age is None else None
        shared = (band, *cells, bits, group)
        profiled = self._shared.get(shared)
        if profiled is None:
            profiled = _put(self._shared, shared, Profiled(band, cells, bits, self.join, group))
        return profiled

    def _direction(self, values: tuple[str, ...], line: int) -> int:
        """The bits of the risk factors among the values of the `direction_only` columns (the same at every age)."""
        where = self.where(line)
        person = self.reader.read([(column, value, f"{where}: {self.source[column]}")
                                   for column, value in zip(self.direction_only, values)])
        factors = self.reference.factors
        return sum(self._risk_bit[key] for key, level in person.factors.items()
                   if self.engine._finding(factors[key], level, None, -1).direction == RISK)

    def _risks_of(self, bits: int) -> Risks:
        """The risks' part of a person whose risk factors and stated loneliness are these bits (`risk_bits`)."""
        ids = [key for index, key in enumerate(self._risk_ids) if bits >> index & 1]
        lonely = next(value for value, code in self._lonely_codes.items() if code == bits >> self._lonely_shift)
        risky = bool(ids)
        basis = basis_key(risky, lonely)
        number = self._bases.get(basis)
        if number is None:
            number = self._bases[basis] = len(self._basis_inputs)
            self._basis_inputs.append((risky, lonely))
        return Risks(ids, number, self.join)

    def _part(self, index: int, texts: Sequence[str], line: int) -> int:
        """The packed points and missing answers of one subscale's answers (`texts`); InputError for a bad answer."""
        scale = self.scale
        assert scale is not None
        subscale = scale.subscales[index]
        items = [item for item, sub in zip(scale.items, self._subscale_of) if sub == index]
        answers = [self.scorer.answer(text, item, self.where(line)) for item, text in zip(items, texts)]
        points = sum(answer in subscale.scores_on for answer in answers)
        return pack(index, len(scale.subscales), points, answers.count(None))

    def _score(self, texts: tuple, line: int) -> Scored:
        scale = self.scale
        where = self.where(line)
        ids = [self.scorer.answer(text, item, where) for item, text in zip(scale.items, texts)]  # type: ignore[union-attr]
        score: DjgScore = self.scorer.score(scale, ids)  # type: ignore[arg-type]
        cells = (_text(score.total), _text(score.subscales.get("emotioneel")), _text(score.subscales.get("sociaal")),
                 score.category.id if score.category else "")
        return Scored(cells, tuple(sorted(score.indicators.items())), score, self.join)

    def _outcome(self, basis: int, scored: Scored, fields: Sequence[str], line: int) -> Outcome:
        """The tier depends only on the profile's basis and the measured indicators: a handful of keys.

        A stated loneliness that the score contradicts is the row's InputError, and no outcome is kept for it.
        """
        risky, lonely = self._basis_inputs[basis]
        if lonely is not None and scored.score is not None and self.lonely_column is not None:
            where = self.where(line)
            self.reader.check_lonely(lonely, fields[self.header.index(self.source[self.lonely_column])],
                                     f"{where}: {self.source[self.lonely_column]}", scored.score,
                                     f"{self.source[self.answer_columns[0]]} … {self.source[self.answer_columns[-1]]}")
        key = (basis, scored.indicators)
        outcome = self._outcomes.get(key)
        if outcome is None:
            rule, _ = self.engine.tier_rule(risky, lonely, scored.score)
            indicators = tuple((self._indicator_measures[i], v) for i, v in scored.indicators)
            outcome = self._outcomes[key] = Outcome(rule.tier, indicators, self.join)
        return outcome

    # --- problems -----------------------------------------------------------------------------------

    def _weight_column(self, lines: Sequence[int], rows: Sequence[Any], errors: Mapping[int, InputError]) -> InputError:
        """The one line for a weight column of which no row of the first batch holds a weight."""
        first = min(errors)
        problem = self.problem(lines[first], rows[first], errors[first])
        return InputError(f"--gewicht: de kolom {problem.column!r} van {self.file} bevat geen weegfactoren (bijv. "
                          f"{problem.value.strip()!r} op regel {problem.line}); kies een kolom met getallen van een "
                          "miljardste tot en met een miljard")

    def problems(self, line: int, row: Any, error: InputError) -> list[RowProblem]:
        """Every problem of a row (InputErrors holds several), in the order of its columns."""
        found = [self.problem(line, row, one) for one in getattr(error, "errors", (error,))]
        order = {column: index for index, column in enumerate(self.header)}
        return sorted(found, key=lambda problem: order.get(problem.column, -1))

    def problem(self, line: int, row: Any, error: InputError) -> RowProblem:
        """The problem of a row (its fields, or the reader's own error), split into its column, value and reason."""
        message = str(error)
        where = self.where(line)
        if isinstance(row, Sequence) and not isinstance(row, str):
            row = dict(zip(self.header, row))
        if not isinstance(row, Mapping):  # the reader's own problem with the row (its number of fields, a code)
            column = getattr(error, "field", "")
            if column:  # an SPSS code without a label: the reader names the column and the code
                return RowProblem(line=line, column=column, value=getattr(error, "value", ""), reason=error.message)
            row = {}
        text = message[len(where) + 2:] if message.startswith(where + ": ") else message
        column, _, reason = text.partition(": ")
        column = self.source.get(column, column)
        key = next((c for c in row if c == column or normalise(c) == normalise(column)), None)
        if key is None:  # a message about the row as a whole
            return RowProblem(line=line, column="", value="", reason=text)
        return RowProblem(line=line, column=key, value=str(row.get(key, "")), reason=reason)


# --- the caches' keys ------------------------------------------------------------------------------------
# Each cache's key is made by one function, over many rows at once: `BatchEngine.chunk` looks a batch up with it
# (map and zip run in C) and a row alone (`BatchEngine.result`, which fills the caches) makes its key with the same.

def profile_keys(age_classes: Iterable[int | None], values: Iterable[tuple[str, ...]]) -> Iterator[tuple]:
    """The profile's key of each row: its age class and its values of the `figured` columns as written (one string)."""
    return zip(age_classes, map(_KEY.join, values))


def direction_keys(values: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """The key of each row's values of the `direction_only` columns, as written (one string)."""
    return map(_KEY.join, values)


def risk_bits(profiled: Iterable[Profiled], directed: Iterable[int]) -> Iterator[int]:
    """The risks' key of each row: the bits of its profile part (risk factors, loneliness stated) and of the risk
    factors among its `direction_only` columns."""
    return map(or_, map(_BITS, profiled), directed)


def answer_keys(texts: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """A subscale's key of each row: its answers as written (one string)."""
    return map(_KEY.join, texts)


def pack(index: int, subscales: int, points: int, missing: int) -> int:
    """A subscale's points and missing answers, in bits of their own (8 each: at most 11 items), so that their sum
    over the subscales (`score_keys`) holds every subscale's points and missing answers: what the score reads."""
    return (points << (8 * index)) | (missing << (8 * (subscales + index)))


def score_keys(parts: Iterable[Iterable[int]]) -> Iterator[int]:
    """The score's key of each row, from its packed part per subscale (one iterable per subscale)."""
    return map(sum, zip(*parts))


def basis_key(risky: bool, lonely: str | None) -> tuple:
    """What the tier rules look at besides the measurement: a risk factor or not, and the loneliness stated."""
    return risky, lonely


def outcome_keys(risks: Iterable[Risks], scored: Iterable[Scored]) -> Iterator[tuple]:
    """The outcome's key of each row: its risks' basis and its score's part."""
    return zip(map(_BASIS, risks), scored)


def weigher(table: Any, column: str, where: Callable[[int], str], mapping: Any = None) -> Callable[[list[str], int], float]:
    """The weight of a row: a number from MIN_WEIGHT to MAX_WEIGHT in `column`, or InputError naming the row's place.

    A code of the koppeling (`mapping`, core/mapping.py) for `gewicht` is read first, so a missing code is no weight.

    Real survey weights lie within a thousandth and a hundred thousand; the bounds leave room far past that while
    every sum of weights and of their squares stays a finite float above 0, so every share and interval is a number.
    """
    at = table.header.index(column)

    def weight(fields: list[str], line: int) -> float:
        text = fields[at] if mapping is None else mapping.value("gewicht", fields[at])
        try:
            value = table.number(text)
        except ValueError:
            value = None
        if value is None or not MIN_WEIGHT <= value <= MAX_WEIGHT:
            raise InputError(f"{where(line)}: {column}: {text.strip()!r} is geen weegfactor (een getal van een "
                             "miljardste tot en met een miljard)")
        return float(value)

    return weight


class Share(Record):
    """A prevalence with its Wilson interval: weighted when weights were given (n is then Kish's effective n)."""

    band: str
    respondents: int
    n: float  # the (effective) sample size the interval uses
    value: float  # proportion 0..1
    lonely: float  # the (weighted) number lonely: value × the sum of the weights
    interval: Interval
    national: Decimal | None  # the bundled 2016 figure for the band (%), where there is one


UNKNOWN_AREA = "onbekend"  # the area of a row whose area column is empty (`batch --per`)


def area_of(header: Sequence[str], column: str) -> Callable[[Sequence[str]], str]:
    """A row's area for `batch --per`: the column's text, or UNKNOWN_AREA when it is empty."""
    at = list(header).index(column)
    return lambda row: row[at].strip() or UNKNOWN_AREA


class Tally:
    """What a batch report needs, counted while streaming (the rows themselves are not kept).

    Rows are counted per (band, outcome): a few dozen keys, however many rows. With `area` (a row -> its area)
    they are counted per (area, band, outcome), so the keys grow with the areas, never with the rows.
    """

    def __init__(self, measures: Sequence[str], weighted: bool,
                 area: Callable[[Sequence[str]], str] | None = None):
        self.measures = tuple(measures)
        self.weighted = weighted
        self.area = area
        self.counts: dict[tuple, Any] = Counter()  # -> rows, or [rows, Σw, Σw²] when weighted

    def add(self, band: str | None, outcome: Outcome, weight: float = 1.0, area: str | None = None) -> None:
        self._add((band, outcome) if self.area is None else (area, band, outcome), weight)

    def _add(self, key: tuple, weight: float) -> None:
        if not self.weighted:
            self.counts[key] = self.counts.get(key, 0) + 1
            return
        cell = self.counts.get(key)
        if cell is None:
            cell = self.counts[key] = [0, 0.0, 0.0]
        cell[0] += 1
        cell[1] += weight
        cell[2] += weight * weight

    def add_counts(self, counts: Iterable[tuple[tuple, int]]) -> None:
        """Count rows already counted per key, unweighted: (key, rows) pairs."""
        assert not self.weighted
        for key, n in counts:
            self.counts[key] = self.counts.get(key, 0) + n

    def add_chunk(self, chunk: Chunk, weights: Sequence[float] | None = None) -> None:
        """Count a batch run's chunk: each row's band and outcome, with its weight when weighted."""
        keys: Iterable[tuple] = zip(map(_GROUP, chunk.profiled), chunk.outcomes)
        if self.area is not None:
            keys = zip(map(self.area, chunk.rows), map(_GROUP, chunk.profiled), chunk.outcomes)
        if not self.weighted:
            self.counts.update(keys)  # type: ignore[attr-defined]
            return
        for key, weight in zip(keys, weights or repeat(1.0)):
            self._add(key, weight)

    def _cells(self) -> Iterator[tuple[str, Outcome, int, float, float]]:
        """(band, outcome, rows, Σw, Σw²) per key (over every area)."""
        for key, cell in self.counts.items():
            band, outcome = key[-2:]
            n, total, squares = cell if self.weighted else (cell, float(cell), float(cell))
            yield band or OUTSIDE_MONITOR, outcome, n, total, squares

    @property
    def areas(self) -> list[str]:
        """The areas counted, sorted, UNKNOWN_AREA last (none without `area`)."""
        found = {key[0] for key in self.counts} if self.area is not None else set()
        return sorted(found - {UNKNOWN_AREA}) + [UNKNOWN_AREA] * (UNKNOWN_AREA in found)

    def unweighted(self) -> Tally:
        """The same rows, each counted once (what `populatie --waargenomen` reads: respondents, not weights)."""
        if not self.weighted:
            return self
        part = Tally(self.measures, False, self.area)
        part.counts = Counter({key: cell[0] for key, cell in self.counts.items()})
        return part

    def for_area(self, area: str) -> Tally:
        """The rows of one area, as a tally of their own."""
        part = Tally(self.measures, self.weighted)
        part.counts = Counter({key[1:]: cell for key, cell in self.counts.items() if key[0] == area})
        return part

    @property
    def tiers(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for _, outcome, n, _, _ in self._cells():
            counts[outcome.tier] += n
        return counts

    @property
    def band_tiers(self) -> dict[str, dict[int, int]]:
        """Per band: the rows per tier."""
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for band, outcome, n, _, _ in self._cells():
            counts[band][outcome.tier] += n
        return counts

    @property
    def bands(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for band, _, n, _, _ in self._cells():
            counts[band] += n
        return counts

    def shares(self, measure: str, national: Mapping[str, Decimal | None], confidence: float = 0.95) -> list[Share]:
        """Per band of `national` (the monitor's): the share lonely by `measure`, with a Wilson interval (Kish's
        effective n when weighted). Rows without an age or outside the monitor's bands are in no band's share."""
        sums: dict[str, list[float]] = {}  # band -> [n, Σw, Σw², Σw·lonely] over rows whose indicator is determined
        for band, outcome, n, total, squares in self._cells():
            if band not in national:
                continue
            for indicator_measure, lonely in outcome.indicators:
                if indicator_measure != measure or lonely is None:
                    continue
                cell = sums.setdefault(band, [0, 0.0, 0.0, 0.0])
                cell[0] += n
                cell[1] += total
                cell[2] += squares
                cell[3] += total if lonely else 0.0
        out = []
        for band, (n, total, squares, lonely) in sums.items():
            if not n or total <= 0:
                continue
            effective = total * total / squares if self.weighted else float(n)
            value = lonely / total
            out.append(Share(band=band, respondents=n, n=effective, value=value, lonely=lonely,
                             interval=wilson(value * effective, effective, confidence), national=national.get(band)))
        order = {band: i for i, band in enumerate(national)}
        return sorted(out, key=lambda s: order.get(s.band, len(order)))


def _getter(positions: Sequence[int]) -> Any:
    """A fast function row -> tuple of the values at those positions."""
    if not positions:
        return lambda row: ()
    get = itemgetter(*positions)
    return get if len(positions) > 1 else (lambda row: (get(row),))


def _put(cache: dict, key: Any, value: Any) -> Any:
    return remember(cache, key, value, CACHE_LIMIT)
