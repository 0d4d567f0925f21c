"""Batch runs: profile every row of a respondent file with the same engine as `profiel`, streamed.

A row's columns are the person keys of a profile (`leeftijd`, `burgerlijke_staat`, …), the De Jong
Gierveld answers (`djg_1` … of exactly one scale) and anything else, which passes through untouched.

The work per row depends on a handful of categorical values and eleven answers, so it is keyed and the
reference is compiled into lookup tables once:

* an age is mapped to its age class: the ages between two `Engine.age_breaks` give the same profile;
* the profile (without the measurement) is computed once per (age class, other person values);
* an answer's text is looked up once per column and text, giving its points and missing answer per
  subscale packed in one number; the scale is scored once per such sum (a few hundred at most);
* the tier once per profile basis (a risk factor or not, loneliness stated) and measured outcome.

A row's result is three cached parts (`Profiled`, `Scored`, `Outcome`) that hold their cells, and their text
as the output writes it, so the per-row work is a few lookups. The caches are bounded (`CACHE_LIMIT`), so
memory stays flat whatever the file's size. `BatchEngine.result` raises InputError naming the row's place and
column; nothing is dropped without a word.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import getitem, itemgetter
from typing import Any

from .djg import DjgScore, Scorer
from .errors import InputError
from .model import Record, Reference
from .person import AGE, LONELY, SIGNALS, PersonReader, normalise
from .prevalence import parse_age
from .profile import Engine
from .stats import Interval, wilson

CACHE_LIMIT = 20_000  # entries per cache; a cache that fills up is emptied and refilled (flat memory)


def result_columns(measures: Sequence[str]) -> list[str]:
    """The columns a batch run adds to every row, in order (the README documents them)."""
    columns = ["leeftijdsband", "djg_totaal", "djg_emotioneel", "djg_sociaal", "djg_categorie", "risicofactoren",
               "n_risicofactoren"]
    for measure in measures:
        columns += [f"hoogste_groepscijfer_{measure}", f"combinatie_onafhankelijk_{measure}"]
    return columns + ["preventieniveau"]


class RowProblem(Record):
    """Why one row could not be profiled: its line, the column and value at fault, and the reason."""

    line: int
    column: str
    value: str
    reason: str


class Profiled:
    """The profile part of a row's result, shared by every row with the same key (cached)."""

    __slots__ = ("band", "band_text", "basis", "cells", "text")

    def __init__(self, band: str | None, cells: list[str], basis: int, join: Callable[[Sequence[str]], str]):
        self.band, self.cells, self.basis = band, cells, basis
        self.band_text, self.text = join([band or ""]), join(cells)


class Scored:
    """The De Jong Gierveld part of a row's result, shared by every row with the same points and missing answers."""

    __slots__ = ("cells", "indicators", "outcomes", "score", "text")

    def __init__(self, cells: Sequence[str], indicators: tuple, score: DjgScore | None, join: Callable[[Sequence[str]], str]):
        self.cells, self.indicators, self.score, self.text = tuple(cells), indicators, score, join(cells)
        self.outcomes: dict[int, Outcome] = {}  # profile basis -> outcome


class Outcome:
    """The tier of a row and what a report counts of it: (measure, lonely by the scale's indicator) pairs.

    One object per distinct outcome, so a report counts rows per (band, outcome) with a cheap key.
    """

    __slots__ = ("indicators", "text", "tier")

    def __init__(self, tier: int, indicators: tuple[tuple[str, bool | None], ...], join: Callable[[Sequence[str]], str] = "".join):
        self.tier, self.indicators, self.text = tier, indicators, join([str(tier)])


Result = tuple[Profiled, Scored, Outcome]


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
                 join: Callable[[Sequence[str]], str] | None = None, where: Callable[[int], str] | None = None):
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
        keys = {LONELY, SIGNALS, *(f for f in reference.factors if f != AGE)}
        age = [c for c in header if normalise(c) == AGE]
        self.age_column = age[0] if age else None
        self.person = tuple(c for c in header if normalise(c) in keys)
        if any(column.strip().lower().startswith("djg") for column in header):
            self.scale, answer_columns = self.scorer.scale_for_columns(header, f"{file}:1")
        else:
            self.scale, answer_columns = None, []
        self.answer_columns = tuple(answer_columns)
        position = {column: index for index, column in enumerate(header)}
        # The profile key: the age class, then each person value as first seen (an equal text is one object).
        key_columns = ([self.age_column] if self.age_column is not None else []) + list(self.person)
        self._key_texts = _getter([position[c] for c in key_columns])
        self._key_tables: list[dict[str, Any]] = [{} for _ in key_columns]
        self._answer_texts = _getter([position[c] for c in self.answer_columns])
        self._answer_tables: list[dict[str, int]] = [{} for _ in self.answer_columns]  # text -> packed points
        self._subscale_of = [next(i for i, s in enumerate(self.scale.subscales) if item in s.items)
                             for item in self.scale.items] if self.scale else []
        self._breaks = self.engine.age_breaks()
        self._profiles: dict[tuple, Profiled] = {}
        self._scores: dict[int, Scored] = {}
        self._bases: dict[tuple, int] = {}  # what the tier rules look at besides the measurement -> a small number
        self._examples: list[tuple] = []  # per basis: a (person, findings) with it
        self._outcomes: dict[tuple, Outcome] = {}  # (basis, indicators) -> one shared Outcome
        self._indicator_measures = {i.id: i.measure for scale in reference.djg.scales for i in scale.indicators}
        self._unscored = Scored(("",) * 4, (), None, self.join)

    # --- one row ------------------------------------------------------------------------------------

    def result(self, fields: Sequence[str], line: int) -> Result:
        """The cached parts of one row's result, or InputError naming the row's place and column."""
        texts = self._key_texts(fields)
        try:
            key = tuple(map(getitem, self._key_tables, texts))
        except KeyError:
            key = self._learn_key(texts, line)
        profiled = self._profiles.get(key)
        if profiled is None:
            profiled = self._profile(key, texts, line)
        if self.scale is None:
            scored = self._unscored
        else:
            answers = self._answer_texts(fields)
            try:
                packed = sum(map(getitem, self._answer_tables, answers))
            except KeyError:
                packed = self._learn_answers(answers, line)
            scored = self._scores.get(packed)
            if scored is None:
                scored = self._scores[packed] = self._score(answers, line)  # a few hundred keys at most
        outcome = scored.outcomes.get(profiled.basis)
        if outcome is None:
            outcome = self._outcome(profiled.basis, scored)
        return profiled, scored, outcome

    def cells(self, result: Result) -> list[str]:
        """The result cells of a row, in `columns` order."""
        profiled, scored, outcome = result
        return [profiled.band or "", *scored.cells, *profiled.cells, str(outcome.tier)]

    def row(self, row: Mapping[str, str], line: int) -> tuple[list[str], Result]:
        """`result` for a row given as {column: text}, with its cells."""
        result = self.result([row[column] for column in self.header], line)
        return self.cells(result), result

    # --- what the caches are filled with --------------------------------------------------------------

    def _learn_key(self, texts: tuple[str, ...], line: int) -> tuple:
        key = []
        for index, (table, text) in enumerate(zip(self._key_tables, texts)):
            value = table.get(text)
            if value is None:
                if index == 0 and self.age_column is not None:
                    value = self._age_class(text, line)  # InputError for an age that is none
                else:
                    value = text
                if len(table) >= CACHE_LIMIT:
                    table.clear()
                table[text] = value
            key.append(value)
        return tuple(key)

    def _age_class(self, text: str, line: int) -> int:
        if not text.strip():
            return -1  # unknown age: a profile without a band
        return bisect_right(self._breaks, parse_age(text, f"{self.where(line)}: {self.age_column}"))

    def _profile(self, key: tuple, texts: tuple[str, ...], line: int) -> Profiled:
        where = self.where(line)
        values = texts[1:] if self.age_column is not None else texts
        items = [(column, value, f"{where}: {column}") for column, value in zip(self.person, values)]
        if self.age_column is not None:
            items.append((AGE, texts[0], f"{where}: {self.age_column}"))
        person = self.reader.read(items)
        profile = self.engine.profile(person, fits=False)
        risks = [f.factor.id for f in profile.findings if f.direction == "risico"]
        cells = [";".join(risks), str(len(risks))]
        for measure in self.measures:
            stack = profile.stacks.get(measure)
            cells += [_text(stack.highest_group), _text(stack.combined)] if stack else ["", ""]
        basis = (bool(risks), person.lonely)  # all that the tier rules look at besides the measurement
        number = self._bases.get(basis)
        if number is None:
            number = self._bases[basis] = len(self._examples)
            self._examples.append((person, profile.findings))
        profiled = Profiled(profile.band.label if profile.band else None, cells, number, self.join)
        _put(self._profiles, key, profiled)
        return profiled

    def _learn_answers(self, texts: tuple[str, ...], line: int) -> int:
        """Points and missing answers per subscale, packed in one number: each answer text read once per column."""
        scale = self.scale
        assert scale is not None
        packed = 0
        for index, text in enumerate(texts):
            value = self._answer_tables[index].get(text)
            if value is None:
                item = scale.items[index]
                answer = self.scorer.answer(text, item, self.where(line))  # InputError for a bad answer
                sub = self._subscale_of[index]
                points, missing = int(answer in scale.subscales[sub].scores_on), int(answer is None)
                value = (points << (8 * sub)) | (missing << (8 * (len(scale.subscales) + sub)))  # at most 11 each
                if len(self._answer_tables[index]) < 1000:
                    self._answer_tables[index][text] = value
            packed += value
        return packed

    def _score(self, texts: tuple, line: int) -> Scored:
        scale = self.scale
        where = self.where(line)
        ids = [self.scorer.answer(text, item, where) for item, text in zip(scale.items, texts)]  # type: ignore[union-attr]
        score: DjgScore = self.scorer.score(scale, ids)  # type: ignore[arg-type]
        cells = (_text(score.total), _text(score.subscales.get("emotioneel")), _text(score.subscales.get("sociaal")),
                 score.category.id if score.category else "")
        return Scored(cells, tuple(sorted(score.indicators.items())), score, self.join)

    def _outcome(self, basis: int, scored: Scored) -> Outcome:
        """The tier depends only on the profile's basis and the measured indicators: a handful of keys."""
        key = (basis, scored.indicators)
        outcome = self._outcomes.get(key)
        if outcome is None:
            person, findings = self._examples[basis]
            measured = person if scored.score is None else _with_score(person, scored.score)
            tier = self.engine.tier(measured, findings).tier.number
            indicators = tuple((self._indicator_measures[i], v) for i, v in scored.indicators)
            outcome = self._outcomes[key] = Outcome(tier, indicators, self.join)
        scored.outcomes[basis] = outcome
        return outcome

    # --- problems -----------------------------------------------------------------------------------

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
        key = next((c for c in row if c == column or normalise(c) == normalise(column)), None)
        if key is None:  # a message about the row as a whole
            return RowProblem(line=line, column="", value="", reason=text)
        return RowProblem(line=line, column=key, value=str(row.get(key, "")), reason=reason)


def _with_score(person: Any, score: DjgScore) -> Any:
    from .person import Person

    return Person(age=person.age, factors=person.factors, counts=person.counts, lonely=person.lonely,
                  signals=person.signals, djg=score)


class Share(Record):
    """A prevalence with its Wilson interval: weighted when weights were given (n is then Kish's effective n)."""

    band: str
    respondents: int
    n: float  # the (effective) sample size the interval uses
    value: float  # proportion 0..1
    interval: Interval
    national: Decimal | None  # the bundled 2016 figure for the band (%), where there is one


class Tally:
    """What a batch report needs, counted while streaming (the rows themselves are not kept).

    Rows are counted per (band, outcome): a few dozen keys, however many rows.
    """

    def __init__(self, measures: Sequence[str], weighted: bool):
        self.measures = tuple(measures)
        self.weighted = weighted
        self._counts: dict[tuple[str | None, Outcome], Any] = {}  # -> rows, or [rows, Σw, Σw²] when weighted

    def add(self, band: str | None, outcome: Outcome, weight: float = 1.0) -> None:
        key = (band, outcome)
        if not self.weighted:
            self._counts[key] = self._counts.get(key, 0) + 1
            return
        cell = self._counts.get(key)
        if cell is None:
            cell = self._counts[key] = [0, 0.0, 0.0]
        cell[0] += 1
        cell[1] += weight
        cell[2] += weight * weight

    def _cells(self) -> Iterator[tuple[str, Outcome, int, float, float]]:
        """(band, outcome, rows, Σw, Σw²) per key."""
        for (band, outcome), cell in self._counts.items():
            n, total, squares = cell if self.weighted else (cell, float(cell), float(cell))
            yield band or "buiten_monitor", outcome, n, total, squares

    @property
    def tiers(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for _, outcome, n, _, _ in self._cells():
            counts[outcome.tier] += n
        return counts

    @property
    def bands(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for band, _, n, _, _ in self._cells():
            counts[band] += n
        return counts

    def shares(self, measure: str, national: Mapping[str, Decimal | None], confidence: float = 0.95) -> list[Share]:
        """Per band: the share lonely by `measure`, with a Wilson interval (Kish's effective n when weighted)."""
        sums: dict[str, list[float]] = {}  # band -> [n, Σw, Σw², Σw·lonely] over rows whose indicator is determined
        for band, outcome, n, total, squares in self._cells():
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
            out.append(Share(band=band, respondents=n, n=effective, value=value,
                             interval=wilson(value * effective, effective, confidence), national=national.get(band)))
        order = {band: i for i, band in enumerate(national)}
        return sorted(out, key=lambda s: order.get(s.band, len(order)))


def _getter(positions: Sequence[int]) -> Any:
    """A fast function row -> tuple of the values at those positions."""
    if not positions:
        return lambda row: ()
    get = itemgetter(*positions)
    return get if len(positions) > 1 else (lambda row: (get(row),))


def _put(cache: dict, key: Any, value: Any) -> None:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value
