"""Scoring the De Jong Gierveld loneliness scale, exactly as the key in data/djg.yaml says.

An item scores 1 point when its answer is one of its subscale's `scoort_bij`
answers ('ja' and 'min of meer' on the negatively worded emotional items, 'nee'
and 'min of meer' on the positively worded social items). Five-category answers
('ja!', 'nee!') count as their three-category counterparts. Numeric codes are
read only through a coding the user names. Missing answers follow the scale's
rule: up to `totaal_max` missing items count as not lonely and mark the score
incomplete; more give no score, with the reason. Never a silent zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .errors import InputError
from .model import Coding, DjgKey, Record, Scale, ScoreCategory

ITEM_COLUMN = re.compile(r"^djg_(\d+)$")
TOTAL = "totaal"


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


class DjgScore(Record):
    scale: Scale
    answers: tuple[str | None, ...]  # answer id per item of the scale, None = missing
    total: int | None
    subscales: dict[str, int | None]
    missing: tuple[int, ...]  # the item numbers without an answer
    category: ScoreCategory | None
    indicators: dict[str, bool | None]  # indicator id -> lonely by that indicator (None: no score)
    reason: str | None = None  # why there is no total score

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def lonely(self) -> bool | None:
        """The scale's own verdict for the prevention tier (its `niveau_indicator`)."""
        return self.indicators.get(self.scale.tier_indicator) if self.scale.tier_indicator else None


class Scorer:
    """Scores answers against one key; build once, reuse for every row of a file."""

    def __init__(self, key: DjgKey, coding: str | None = None, max_missing: int | None = None):
        self.key = key
        self.answers = {_normalise(v): answer.id for answer in key.answers for v in (*answer.variants, answer.id)}
        self.allowed = ", ".join(v for answer in key.answers for v in answer.variants)
        self.missing_values = {_normalise(v) for v in key.missing_values} | {""}
        self.coding = self._coding(coding) if coding else None
        self.max_missing = max_missing

    # --- reading answers ------------------------------------------------------------------

    def _coding(self, text: str) -> dict[str, str]:
        """A named coding from the key ('handleiding') or pairs like '1=nee,2=min of meer,3=ja'."""
        named: dict[str, Coding] = {c.id: c for c in self.key.codings}
        if text.strip() in named:
            return dict(named[text.strip()].codes)
        codes: dict[str, str] = {}
        for pair in text.split(","):
            code, sep, answer = pair.partition("=")
            resolved = self.answers.get(_normalise(answer))
            if not sep or not code.strip() or resolved is None:
                raise InputError(f"--codering: {pair.strip()!r} is geen code=antwoord (bijv. 1=nee,2=min of meer,3=ja; "
                                 f"of een benoemde codering: {', '.join(named) or '–'})")
            codes[code.strip()] = resolved
        return codes

    def answer(self, text: object, item: int, where: str) -> str | None:
        """The answer id for what was written at item `item`, None when missing."""
        written = "" if text is None else str(text)
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

    def scale_for_items(self, items: Iterable[int], where: str) -> Scale:
        """The largest scale whose items are all present (the 11-item scale before the short one)."""
        present = set(items)
        for scale in sorted(self.key.scales, key=lambda s: -len(s.items)):
            if set(scale.items) <= present:
                return scale
        wanted = "; ".join(f"{s.id}: " + ", ".join(f"djg_{i}" for i in s.items) for s in self.key.scales)
        raise InputError(f"{where}: geen volledige set itemkolommen gevonden (verwacht: {wanted})")

    def read(self, text: str, where: str) -> DjgScore:
        """Score 'nee,ja,ja,…' (one answer per item, in item order)."""
        parts = text.split(",")
        scale = self.scale_for_count(len(parts), where)
        return self.score(scale, [self.answer(part, item, where) for item, part in zip(scale.items, parts)])

    # --- scoring ----------------------------------------------------------------------------------

    def score(self, scale: Scale, answers: Sequence[str | None]) -> DjgScore:
        by_item = dict(zip(scale.items, answers))
        missing = tuple(item for item, answer in by_item.items() if answer is None)
        subscales: dict[str, int | None] = {}
        points = 0
        for sub in scale.subscales:
            sub_points = sum(1 for i in sub.items if by_item[i] in sub.scores_on)
            sub_missing = sum(1 for i in sub.items if by_item[i] is None)
            subscales[sub.id] = sub_points if sub_missing <= scale.missing.subscale_max else None
            points += sub_points
        limit = scale.missing.total_max if self.max_missing is None else self.max_missing
        total: int | None = points
        reason = None
        if len(missing) > limit:
            total = None
            reason = f"{len(missing)} ontbrekende antwoorden (hoogstens {limit} toegestaan)"
        scores = {TOTAL: total, **subscales}
        indicators = {i.id: None if scores[i.score] is None else scores[i.score] >= i.threshold for i in scale.indicators}
        return DjgScore(scale=scale, answers=tuple(answers), total=total, subscales=subscales, missing=missing,
                        category=scale.category(total) if total is not None else None, indicators=indicators,
                        reason=reason)
