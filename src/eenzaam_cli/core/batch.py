"""Batch runs: profile every row of a respondent file with the same engine as `profiel`, streamed.

A row's columns are the person keys of a profile (`leeftijd`, `burgerlijke_staat`, …), the De Jong
Gierveld answers (`djg_1` … of exactly one scale) and anything else, which passes through untouched.

The work per row depends on a handful of categorical values and eleven answers, so it is keyed and the
reference is compiled into lookup tables once:

* an age is mapped to its age class: the ages between two `Engine.age_breaks` give the same profile;
* the profile (without the measurement) is computed once per (age class, other person values);
* an answer's text is looked up once per column and text; the scale once per tuple of answers;
* the tier once per profile and measured outcome.

The caches are bounded (`CACHE_LIMIT`), so memory stays flat whatever the file's size. Each cache holds the
output cells as text, ready to write. `BatchEngine.row` returns those cells or raises InputError naming the
column; nothing is dropped without a word.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

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


class Outcome(NamedTuple):
    """What a report counts of one profiled row (a tuple: one is made per row)."""

    band: str | None
    tier: int
    indicators: tuple[tuple[str, bool | None], ...]  # (measure, lonely by the scale's indicator for it)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class BatchEngine:
    """Profiles the rows of one file; build once per file (the caches belong to its columns)."""

    def __init__(self, reference: Reference, header: Sequence[str], scorer: Scorer | None = None, file: str = "invoer"):
        self.reference = reference
        self.scorer = scorer or Scorer(reference.djg)
        self.reader = PersonReader(reference, self.scorer)
        self.engine = Engine(reference)
        self.measures = self.engine.stackable
        self.columns = result_columns(self.measures)
        self.file = file
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
        self._others = _getter(self.person)
        self._answers = _getter(self.answer_columns)
        self._breaks = self.engine.age_breaks()
        self._ages: dict[str, int] = {}  # age as written -> age class
        self._answer_tables: list[dict[str, tuple[int, int, int]]] = [{} for _ in self.answer_columns]
        self._subscales = len(self.scale.subscales) if self.scale else 0
        self._profiles: dict[tuple, tuple] = {}  # (age class, values) -> (person, findings, band, cells, key)
        self._scores: dict[tuple, tuple] = {}  # points and missing per subscale -> (cells, indicators, outcome, score)
        self._recent: dict[tuple, tuple] = {}  # answers as written -> the same
        self._examples: dict[tuple, tuple] = {}  # tier basis -> a (person, findings) with that basis
        self._tiers: dict[tuple, int] = {}
        self._indicator_measures = {i.id: i.measure for scale in reference.djg.scales for i in scale.indicators}
        self._empty_score = ("",) * 4

    # --- one row ------------------------------------------------------------------------------------

    def row(self, row: Mapping[str, str], where: str) -> tuple[list[str], Outcome]:
        """The result cells of one row (in `columns` order) and what a report counts, or InputError."""
        age_text = row[self.age_column] if self.age_column is not None else ""
        age_class = self._ages.get(age_text)
        if age_class is None:
            age_class = self._age_class(age_text, where)
        values = self._others(row)
        key = (age_class, values)
        profile = self._profiles.get(key)
        if profile is None:
            profile = self._profile(age_text, values, where)
            _put(self._profiles, key, profile)
        band, cells, tier_basis = profile
        if self.scale is not None:
            texts = self._answers(row)
            scored = self._recent.get(texts)  # the same answers as a recent row: most files repeat patterns
            if scored is None:
                scored = self._scored(texts, where)
                _put(self._recent, texts, scored)
            score_cells, indicators, outcome, score = scored
        else:
            score_cells, indicators, outcome, score = self._empty_score, (), (), None
        tier_key = (tier_basis, indicators)  # the tier depends on these only: a handful of keys
        tier = self._tiers.get(tier_key)
        if tier is None:
            person, findings = self._examples[tier_basis]
            tier = self._tier(person, findings, score)
            _put(self._tiers, tier_key, tier)
        return [band or "", *score_cells, *cells, str(tier)], Outcome(band, tier, outcome)

    def _scored(self, texts: tuple[str, ...], where: str) -> tuple:
        """A score depends only on the points and the missing answers per subscale: that is its key."""
        points = [0] * self._subscales
        missing = [0] * self._subscales
        tables = self._answer_tables
        for index, text in enumerate(texts):
            entry = tables[index].get(text)
            if entry is None:
                entry = self._learn(index, text, where)
            sub, point, absent = entry
            points[sub] += point
            missing[sub] += absent
        key = (*points, *missing)
        scored = self._scores.get(key)
        if scored is None:
            scored = self._scores[key] = self._score(texts, where)  # a few hundred keys at most
        return scored

    def _age_class(self, text: str, where: str) -> int:
        if not text.strip():
            age_class = -1  # unknown age: a profile without a band
        else:
            age_class = bisect_right(self._breaks, parse_age(text, f"{where}: {self.age_column}"))
        if len(self._ages) < CACHE_LIMIT:
            self._ages[text] = age_class
        return age_class

    def _profile(self, age_text: str, values: tuple, where: str) -> tuple:
        items = [(column, value, f"{where}: {column}") for column, value in zip(self.person, values)]
        if self.age_column is not None:
            items.append((AGE, age_text, f"{where}: {self.age_column}"))
        person = self.reader.read(items)
        profile = self.engine.profile(person, fits=False)
        risks = [f.factor.id for f in profile.findings if f.direction == "risico"]
        cells = [";".join(risks), str(len(risks))]
        for measure in self.measures:
            stack = profile.stacks.get(measure)
            cells += [_text(stack.highest_group), _text(stack.combined)] if stack else ["", ""]
        basis = (bool(risks), person.lonely)  # all that the tier rules look at besides the measurement
        self._examples.setdefault(basis, (person, profile.findings))
        return profile.band.label if profile.band else None, cells, basis

    def _learn(self, index: int, text: str, where: str) -> tuple[int, int, int]:
        """(subscale, points, missing) of an answer text in one item column, read once per column and text."""
        scale = self.scale
        assert scale is not None
        item = scale.items[index]
        answer = self.scorer.answer(text, item, where)  # InputError for a bad answer, naming the item
        sub = next(i for i, s in enumerate(scale.subscales) if item in s.items)
        entry = (sub, int(answer in scale.subscales[sub].scores_on), int(answer is None))
        if len(self._answer_tables[index]) < 1000:
            self._answer_tables[index][text] = entry
        return entry

    def _score(self, texts: tuple, where: str) -> tuple:
        scale = self.scale
        ids = [self.scorer.answer(text, item, where) for item, text in zip(scale.items, texts)]  # type: ignore[union-attr]
        score: DjgScore = self.scorer.score(scale, ids)  # type: ignore[arg-type]
        cells = (_text(score.total), _text(score.subscales.get("emotioneel")), _text(score.subscales.get("sociaal")),
                 score.category.id if score.category else "")
        indicators = tuple(sorted(score.indicators.items()))
        outcome = tuple((self._indicator_measures[i], v) for i, v in indicators)
        return cells, indicators, outcome, score

    def _tier(self, person: Any, findings: Any, score: DjgScore | None) -> int:
        measured = person if score is None else _with_score(person, score)
        return self.engine.tier(measured, findings).tier.number

    # --- problems -----------------------------------------------------------------------------------

    def problem(self, line: int, row: Any, error: InputError, where: str) -> RowProblem:
        """The problem of a row, split into its column, value and reason."""
        message = str(error)
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
    """What a batch report needs, counted while streaming (the rows themselves are not kept)."""

    def __init__(self, measures: Sequence[str], weighted: bool):
        self.measures = tuple(measures)
        self.weighted = weighted
        self.tiers: dict[int, int] = defaultdict(int)
        self.bands: dict[str, int] = defaultdict(int)
        # band -> measure -> [n, Σw, Σw², Σw·lonely] over rows whose indicator is determined
        self.sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: {m: [0, 0.0, 0.0, 0.0] for m in self.measures})

    def add(self, outcome: Outcome, weight: float = 1.0) -> None:
        self.tiers[outcome.tier] += 1
        band = outcome.band or "buiten_monitor"
        self.bands[band] += 1
        for measure, lonely in outcome.indicators:
            if measure not in self.measures or lonely is None:
                continue
            cell = self.sums[band][measure]
            cell[0] += 1
            cell[1] += weight
            cell[2] += weight * weight
            cell[3] += weight * lonely

    def shares(self, measure: str, national: Mapping[str, Decimal | None], confidence: float = 0.95) -> list[Share]:
        """Per band: the share lonely by `measure`, with a Wilson interval (Kish's effective n when weighted)."""
        out = []
        for band, by_measure in self.sums.items():
            n, total, squares, lonely = by_measure[measure]
            if not n or total <= 0:
                continue
            effective = total * total / squares if self.weighted else float(n)
            value = lonely / total
            out.append(Share(band=band, respondents=n, n=effective, value=value,
                             interval=wilson(value * effective, effective, confidence), national=national.get(band)))
        order = {band: i for i, band in enumerate(national)}
        return sorted(out, key=lambda s: order.get(s.band, len(order)))


def _getter(columns: tuple[str, ...]) -> Any:
    """A fast function row -> tuple of those columns' values."""
    if not columns:
        return lambda row: ()
    get = itemgetter(*columns)
    return get if len(columns) > 1 else (lambda row: (get(row),))


def _put(cache: dict, key: Any, value: Any) -> None:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value
