"""Scoring the De Jong Gierveld loneliness scale, exactly as the key in data/djg.yaml says.

An item scores 1 point when its answer is one of its subscale's `scoort_bij`
answers ('ja' and 'min of meer' on the negatively worded emotional items, 'nee'
and 'min of meer' on the positively worded social items). Five-category answers
('ja!', 'nee!') count as their three-category counterparts. Numeric codes are
read only through a coding the user names. Missing answers follow the scale's
rule: up to `totaal_max` missing items count as not lonely and mark the score
incomplete; more give no score, with the reason. Never a silent zero.

Counting a missing answer as not lonely can decide an outcome the answer itself
might have changed (total 2 with one item missing, cut-off 3). Such an indicator
or category is undetermined: None, with the reason, never a guess.

Answers come one per item in the scale's `volgorde` (its `items` when it has
none), or numbered in any order ('3=ja,4=nee,…'); the numbers then pick the scale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

from .errors import InputError
from .record import Record
from .reference.model import Coding, DjgKey, Scale, ScoreCategory

ITEM_COLUMN = re.compile(r"^djg_(\d+)$")
_LOOKS_LIKE_ITEM = re.compile(r"djg[\s_.\-]*\d+")  # djg11, djg 3, djg-3: a typo for an item column
TOTAL = "totaal"
# A file's rows are keyed on the answers of a few items at a time, joined with NUL (`RowScorer`): at most `GROUP_ITEMS`
# items of one subscale, so a group has a few hundred patterns of answers at most, and each group's cache at most
# `GROUP_LIMIT` keys (then it is emptied and refilled: flat memory).
GROUP_ITEMS, GROUP_LIMIT = 3, 20_000
KEY = "\x00"
_UNSEEN = 1 << 64  # the part of a group of answers not seen before: far above any packed score


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


class DjgScore(Record):
    scale: Scale
    answers: tuple[str | None, ...]  # answer id per item of the scale, None = missing
    total: int | None
    subscales: dict[str, int | None]
    missing: tuple[int, ...]  # the item numbers without an answer
    category: ScoreCategory | None  # None: no total, or the missing answers could move it (see `categories`)
    indicators: dict[str, bool | None]  # indicator id -> lonely by it (None: no score, or the missing answers decide)
    reason: str | None = None  # why there is no total score, or what the missing answers leave undetermined
    categories: tuple[ScoreCategory, ...] = ()  # every category the total can be in once the missing answers are known

    @property
    def complete(self) -> bool:
        return not self.missing


class Scorer:
    """Scores answers against one key; build once, reuse for every row of a file."""

    def __init__(self, key: DjgKey, coding: str | None = None, max_missing: int | None = None, mapping: Any = None):
        self.key = key
        self.mapping = mapping  # a core.mapping.Mapping: the analyst's codes and missing codes, read before the key
        self.answers = {_normalise(v): answer.id for answer in key.answers for v in (*answer.variants, answer.id)}
        self.allowed = ", ".join(v for answer in key.answers for v in answer.variants)
        self.missing_values = {_normalise(v) for v in key.missing_values} | {""}
        self.coding = self._coding(coding) if coding is not None else None
        self.max_missing = max_missing

    # --- reading answers ------------------------------------------------------------------

    def is_missing(self, text: object) -> bool:
        """Whether a written value is a missing answer: empty, or one of the key's `ontbrekend_waarden`."""
        return _normalise(str(text)) in self.missing_values

    def _coding(self, text: str) -> dict[str, str]:
        """A named coding from the key ('handleiding') or pairs like '1=nee,2=min of meer,3=ja'."""
        named: dict[str, Coding] = {c.id: c for c in self.key.codings}
        if text.strip() in named:
            return {_normalise(code): answer for code, answer in named[text.strip()].codes.items()}
        codes: dict[str, str] = {}
        written: dict[str, str] = {}
        for pair in text.split(","):
            code, sep, answer = pair.partition("=")
            resolved = self.answers.get(_normalise(answer))
            if not sep or not code.strip() or resolved is None:
                raise InputError(f"--codering: {pair.strip()!r} is geen code=antwoord (bijv. 1=nee,2=min of meer,3=ja; "
                                 f"of een benoemde codering: {', '.join(named) or '–'})")
            key = _normalise(code)
            if key in codes:
                raise InputError(f"--codering: de code {code.strip()!r} staat er twee keer in ({written[key]}, "
                                 f"{pair.strip()}); geef elke code één betekenis")
            if key in self.answers or key in self.missing_values:
                meaning = "een antwoord" if key in self.answers else "het teken voor een ontbrekend antwoord"
                raise InputError(f"--codering: de code {code.strip()!r} is zelf al {meaning}; kies een andere code")
            codes[key], written[key] = resolved, pair.strip()
        return codes

    def answer(self, text: object, item: int, where: str) -> str | None:
        """The answer id for what was written at item `item` (through the koppeling, if any), None when missing."""
        written = "" if text is None else str(text)
        if self.mapping is not None:
            written = self.mapping.value(f"djg_{item}", written)
        normal = _normalise(written)
        if normal in self.missing_values:
            return None
        if normal in self.answers:
            return self.answers[normal]
        if self.coding is not None:
            if normal in self.coding:
                return self.coding[normal]
            coding = ", ".join(f"{code}={answer}" for code, answer in self.coding.items())
            raise InputError(f"{where}: djg_{item}: {written.strip()!r} staat niet in de codering ({coding})")
        if normal.isdigit():
            raise InputError(f"{where}: djg_{item}: {written.strip()!r} is een code; noem de codering met --codering "
                             "(bijv. handleiding: 1=nee, 2=min of meer, 3=ja)")
        raise InputError(f"{where}: djg_{item}: {written.strip()!r} is geen geldig antwoord (toegestaan: {self.allowed})")

    def scale_for_count(self, count: int, where: str) -> Scale:
        for scale in self.key.scales:
            if len(scale.items) == count:
                return scale
        sizes = " of ".join(str(len(s.items)) for s in self.key.scales)
        raise InputError(f"{where}: {sizes} antwoorden verwacht, {count} gekregen")

    def scale_for_columns(self, header: Sequence[str], where: str) -> tuple[Scale, list[str]]:
        """The scale a file's item columns form, and the column of each of its items (in `scale.items` order).

        The columns `djg_1` … (any case) must be exactly the items of one scale: a file with
        `djg_1` … `djg_10` is not scored on the short scale while four answers are ignored. A
        column that looks like an item but is none (`djg11`, `DJG 3`, `djg_03`, `djg_12`), or a
        second column for the same item, is refused by name, never ignored.
        """
        known = sorted({item for scale in self.key.scales for item in scale.items})
        wanted = "; ".join(f"{s.id}: {_columns(sorted(s.items))}" for s in self.key.scales)
        columns: dict[int, str] = {}
        for column in header:
            name = column.strip().lower()
            match = ITEM_COLUMN.match(name)
            if match and str(int(match.group(1))) == match.group(1) and int(match.group(1)) in known:
                item = int(match.group(1))
                if item in columns:
                    raise InputError(f"{where}: de kolommen {columns[item]!r} en {column!r} zijn allebei item {item}; "
                                     "houd er één")
                columns[item] = column
            elif match or _LOOKS_LIKE_ITEM.fullmatch(name):
                raise InputError(f"{where}: de kolom {column!r} lijkt een itemkolom maar is er geen (itemkolommen "
                                 f"heten djg_{known[0]} … djg_{known[-1]}); hernoem of verwijder haar")
        scale = next((s for s in self.key.scales if set(s.items) == set(columns)), None)
        if scale is None:
            if not columns:
                raise InputError(f"{where}: geen volledige set itemkolommen gevonden (verwacht precies de kolommen van "
                                 f"één schaal: {wanted})")
            holding = sorted((s for s in self.key.scales if set(columns) <= set(s.items)), key=lambda s: len(s.items))
            absent = [i for i in (holding[0].items if holding else known) if i not in columns]
            raise InputError(f"{where}: geen volledige set itemkolommen: {_columns(sorted(columns))} vormen geen schaal; "
                             f"er ontbreekt {_columns(sorted(absent))} (verwacht precies de kolommen van één schaal: "
                             f"{wanted}; een ontbrekend antwoord is een lege cel)")
        return scale, [columns[item] for item in scale.items]

    def read(self, text: str, where: str) -> DjgScore:
        """Score 'nee,ja,ja,…' (one answer per item, in the scale's `volgorde`) or '3=ja,4=nee,…' (numbered)."""
        parts = text.split(",")
        numbered = [part for part in parts if "=" in part]
        if numbered:
            if len(numbered) != len(parts):
                position, part = next((n, p) for n, p in enumerate(parts, 1) if "=" not in p)
                raise InputError(f"{where}: antwoord {position} ({part.strip()!r}) heeft geen itemnummer; geef alle "
                                 f"antwoorden met itemnummer (bijv. {numbered[0].strip()}) of geen enkel")
            return self._read_numbered(parts, where)
        scale = self.scale_for_count(len(parts), where)
        by_item = {item: self.answer(part, item, where) for item, part in zip(scale.positional, parts)}
        return self.score(scale, [by_item[item] for item in scale.items])

    def _read_numbered(self, parts: list[str], where: str) -> DjgScore:
        """'3=ja,4=nee,…': any order; the set of item numbers must be exactly the items of one scale."""
        known = sorted({item for scale in self.key.scales for item in scale.items})
        given: dict[int, str] = {}
        for part in parts:
            number, _, written = part.partition("=")
            if not number.strip().isdecimal():
                raise InputError(f"{where}: {part.strip()!r} is geen itemnummer=antwoord (bijv. {known[0]}=ja)")
            item = int(number)
            if item not in known:
                raise InputError(f"{where}: {part.strip()!r}: item {item} bestaat niet (toegestaan: {_numbers(known)})")
            if item in given:
                raise InputError(f"{where}: item {item} staat er twee keer in ({item}={given[item].strip()}, "
                                 f"{part.strip()}); geef elk item één keer")
            given[item] = written
        scale = next((s for s in self.key.scales if set(s.items) == set(given)), None)
        if scale is None:
            wanted = "; ".join(f"{s.id}: {_numbers(sorted(s.items))}" for s in self.key.scales)
            holding = sorted((s for s in self.key.scales if set(given) <= set(s.items)), key=lambda s: len(s.items))
            absent = next((i for i in holding[0].items if i not in given), known[0]) if holding else known[0]
            raise InputError(f"{where}: de items {_numbers(sorted(given))} vormen geen schaal (verwacht precies de items "
                             f"van één schaal: {wanted}; een ontbrekend antwoord als {absent}=-)")
        return self.score(scale, [self.answer(given[item], item, where) for item in scale.items])

    # --- scoring ----------------------------------------------------------------------------------

    def score(self, scale: Scale, answers: Sequence[str | None]) -> DjgScore:
        """Score answers given in the order of `scale.items` (None = missing)."""
        by_item = dict(zip(scale.items, answers))
        missing = tuple(item for item, answer in by_item.items() if answer is None)
        subscales: dict[str, int | None] = {}
        open_points = {TOTAL: len(missing)}  # points the missing answers could still add to each score
        points = 0
        for sub in scale.subscales:
            sub_points = sum(1 for i in sub.items if by_item[i] in sub.scores_on)
            sub_missing = sum(1 for i in sub.items if by_item[i] is None)
            subscales[sub.id] = sub_points if sub_missing <= scale.missing.subscale_max else None
            open_points[sub.id] = sub_missing
            points += sub_points
        limit = scale.missing.total_max if self.max_missing is None else self.max_missing
        total: int | None = points
        reason = None
        if len(missing) > limit:
            total = None
            reason = f"{len(missing)} ontbrekende antwoorden (hoogstens {limit} toegestaan)"
        scores = {TOTAL: total, **subscales}
        indicators = {i.id: _verdict(scores[i.score], open_points[i.score], i.threshold) for i in scale.indicators}
        categories = () if total is None else scale.categories_between(total, total + len(missing))
        category = categories[0] if len(categories) == 1 else None
        if total is not None:
            reason = _undetermined(scale, scores, open_points, category, indicators)
        return DjgScore(scale=scale, answers=tuple(answers), total=total, subscales=subscales, missing=missing,
                        category=category, indicators=indicators, reason=reason, categories=categories)


class RowScorer:
    """Scores the rows of a file, keyed: each row's answers are read in groups (`GROUP_ITEMS` items of one subscale,
    their texts as written joined to one key), each group's key gives its points and missing answers packed in one
    number (`pack`), and their sum is all a score depends on. A group's key is read once (the first row with it), the
    scale scored once per packed sum; `make(score)` turns a score into what the caller keeps of it (its texts).

    A row that misses a cache is read through `Scorer.answer` in the scale's order, so its first bad answer is its
    error, naming `where(line)` and the item, exactly as a row read alone.
    """

    def __init__(self, scorer: Scorer, scale: Scale, positions: Sequence[int], where: Callable[[int], str],
                 make: Callable[[DjgScore], Any]):
        self.scorer, self.scale, self.where, self.make = scorer, scale, where, make
        self.positions = list(positions)  # the field of each item of `scale.items` in a row
        self.groups: list[tuple[list[int], int]] = []  # (indexes into scale.items, the subscale's index)
        for index, sub in enumerate(scale.subscales):
            members = [n for n, item in enumerate(scale.items) if item in sub.items]
            self.groups += [(members[at:at + GROUP_ITEMS], index) for at in range(0, len(members), GROUP_ITEMS)]
        self.fields = [[self.positions[n] for n in members] for members, _ in self.groups]  # each group's fields
        self._texts = [itemgetter(*fields) if len(fields) > 1 else _one(fields[0]) for fields in self.fields]
        self.known: list[dict[str, int]] = [{} for _ in self.groups]
        self.scored: dict[int, Any] = {}  # packed sum -> make(score): a few hundred at most

    def read(self, texts: Sequence[str], line: int) -> list[str | None]:
        """The answer ids of texts given in the order of `scale.items`; InputError for the first bad one."""
        where = self.where(line)
        return [self.scorer.answer(text, item, where) for item, text in zip(self.scale.items, texts)]

    def part(self, index: int, texts: Sequence[str], line: int) -> int:
        """The packed points and missing answers of group `index`'s answers as written (kept under their key)."""
        members, sub = self.groups[index]
        where = self.where(line)
        answers = [self.scorer.answer(text, self.scale.items[n], where) for n, text in zip(members, texts)]
        return self._remember(index, KEY.join(texts), self._pack(sub, answers))

    def score(self, packed: int, answers: Callable[[], Sequence[str | None]]) -> Any:
        """What `make` keeps of the score of a packed sum; `answers()` gives a row's answers, for a new one."""
        scored = self.scored.get(packed)
        if scored is None:
            scored = self.scored[packed] = self.make(self.score_of(answers()))
        return scored

    def score_of(self, answers: Sequence[str | None]) -> DjgScore:
        return self.scorer.score(self.scale, answers)

    def rows(self, rows: Sequence[Any], lines: Sequence[int]) -> tuple[list[Any], InputError | None]:
        """What `make` keeps of each row's score, for the rows before the first problem, and that problem (None when
        there is none). A row may be the reader's InputError for it (a row of the wrong width): that is its problem."""
        problem: InputError | None = None
        if not all(map(isinstance, rows, repeat(list))):
            cut = next((n for n, row in enumerate(rows) if isinstance(row, InputError)), len(rows))
            rows, problem = rows[:cut], rows[cut] if cut < len(rows) else None
        parts = [list(map(known.get, map(KEY.join, map(texts, rows)), repeat(_UNSEEN)))
                 for known, texts in zip(self.known, self._texts)]
        found = list(map(self.scored.get, map(sum, zip(*parts))))
        if None in found:
            for index, scored in enumerate(found):
                if scored is None:
                    try:
                        found[index] = self._row(rows[index], lines[index])
                    except InputError as error:
                        return found[:index], error
        return found, problem

    def _row(self, fields: Sequence[str], line: int) -> Any:
        """A row that misses a cache: its answers read in the scale's order, each group's part kept."""
        answers = self.read([fields[p] for p in self.positions], line)
        packed = 0
        for index, (members, sub) in enumerate(self.groups):
            packed += self._remember(index, KEY.join(self._texts[index](fields)), self._pack(sub, [answers[n] for n in members]))
        return self.score(packed, lambda: answers)

    def _pack(self, sub: int, answers: Sequence[str | None]) -> int:
        """Points and missing answers of a subscale, in bits of their own (8 each: at most 11 items), so that the sum
        over the groups holds every subscale's points and missing answers."""
        scores_on = self.scale.subscales[sub].scores_on
        points = sum(answer in scores_on for answer in answers)
        return (points << (8 * sub)) | (answers.count(None) << (8 * (len(self.scale.subscales) + sub)))

    def _remember(self, index: int, key: str, part: int) -> int:
        known = self.known[index]
        if len(known) >= GROUP_LIMIT:
            known.clear()
        known[key] = part
        return part


def _one(position: int) -> Callable[[Sequence[str]], tuple[str]]:
    return lambda row: (row[position],)


def _verdict(score: int | None, open_points: int, threshold: int) -> bool | None:
    """Lonely by a cut-off: yes, no, or None when there is no score or the missing answers could still decide it."""
    if score is None:
        return None
    if score >= threshold:
        return True
    if score + open_points < threshold:
        return False
    return None


def _undetermined(scale: Scale, scores: dict[str, int | None], open_points: dict[str, int],
                  category: ScoreCategory | None, indicators: dict[str, bool | None]) -> str | None:
    """'categorie en indicator eenzaam onbepaald: met 1 ontbrekend antwoord ligt het totaal tussen 2 en 3'."""
    what = [] if category is not None else ["categorie"]
    bases = [] if category is not None else [TOTAL]
    for indicator in scale.indicators:
        if indicators[indicator.id] is None and scores[indicator.score] is not None:
            what.append(f"indicator {indicator.id}")
            bases += [indicator.score] if indicator.score not in bases else []
    if not what:
        return None
    missing = open_points[TOTAL]
    known = {base: score for base, score in scores.items() if score is not None}
    ranges = ", ".join(f"{'het totaal' if base == TOTAL else base} tussen {known[base]} en {known[base] + open_points[base]}"
                       for base in bases)
    answers = "1 ontbrekend antwoord" if missing == 1 else f"{missing} ontbrekende antwoorden"
    listed = what[0] if len(what) == 1 else ", ".join(what[:-1]) + " en " + what[-1]
    return f"{listed} onbepaald: met {answers} ligt {ranges}"


def _columns(items: Sequence[int]) -> str:
    """'djg_1 … djg_11' for a run without gaps, else 'djg_3, djg_4, djg_7'."""
    if len(items) > 2 and list(items) == list(range(items[0], items[-1] + 1)):
        return f"djg_{items[0]} … djg_{items[-1]}"
    return ", ".join(f"djg_{item}" for item in items)


def _numbers(items: Sequence[int]) -> str:
    """'1 … 11' for a run without gaps, else '3, 4, 7, 8, 9, 10'."""
    if len(items) > 2 and list(items) == list(range(items[0], items[-1] + 1)):
        return f"{items[0]} … {items[-1]}"
    return ", ".join(str(item) for item in items)
