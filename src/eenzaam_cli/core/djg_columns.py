"""`djg --invoer`: a block of lines scored as columns, with pyarrow (the optional extra `snel`).

The same design as core/columnar.py for a batch run: pyarrow's CSV reader splits a `Block`'s lines into columns; each
group of answers of `RowScorer` (a few items of one subscale, their texts joined) is looked up among the keys of
earlier blocks (`_Known`, in C), and only a key never seen before goes to `RowScorer.part`; the packed sums then give
the score, made once per sum by `RowScorer.score`. Each line as read is joined to its score's text: the output.

A block this path does not take as it is goes row by row (`profile` returns None), with the same result: a line that
is not one row of the header's width, a bad answer (the row-by-row path names its line and item), a text that Python
and pyarrow would read differently (core/columnar.py), a score text with a CR.

Memory: one block (`BLOCK_CHARS` of text) held a few times over, as text, bytes and columns; the keys seen, at most
`_Known.LIMIT` of each group (a few hundred in practice); and pyarrow itself, about 45 MiB once imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .columnar import _bytes, _joined, _Known, _read, _row, _Value
from .djg import KEY, RowScorer
from .errors import InputError
from .files.tabular import Block


class ScoreColumns:
    """Scores the blocks of one file as columns, with the file's `RowScorer` (its caches, its methods for a new key);
    a score's part (what `make` gave) must have `text`: its cells as written after a line, with the line end."""

    def __init__(self, keyed: RowScorer, width: int):
        self.keyed, self.width = keyed, width
        self.line = 0  # the first line of the block at hand: a new key's errors name a line of it (never shown)
        self.groups = [_Known(pa.string(), self._group(index)) for index in range(len(keyed.groups))]
        self.scores = _Known(pa.int64(), self._score)
        self.columns: list[pa.Array] = []

    def _group(self, index: int) -> Callable[[str, pa.Array], _Value]:
        def make(key: str, keys: pa.Array) -> _Value:
            return _Value(self.keyed.part(index, key.split(KEY), self.line))
        return make

    def _score(self, packed: int, keys: pa.Array) -> Any:
        texts = _row([self.columns[p] for p in self.keyed.positions], pc.index(keys, packed).as_py())
        return self.keyed.score(packed, lambda: self.keyed.read(texts, self.line))

    def profile(self, block: Block) -> memoryview | None:
        """The output of a block's rows as UTF-8 (each line as read, its score's text); None when it goes row by row."""
        read = _read(block, self.width)
        if read is None:
            return None
        columns, body = read
        rows = len(body)
        self.columns, self.line = columns, block.start
        try:
            packed = pa.repeat(pa.scalar(0, pa.int64()), rows)
            for fields, known in zip(self.keyed.fields, self.groups):
                parts = known.take("value", known.find(_joined([columns[p] for p in fields])), pa.int64())
                packed = pc.add(packed, parts)
            scores = self.scores.find(packed)
        except InputError:  # a bad answer: the row-by-row path names it
            return None
        finally:
            self.columns = []
        if self.scores.cr:  # a score cell with a CR: the row is quoted whole
            return None
        return _bytes(pc.binary_join_element_wise(body, self.scores.take("text", scores), ""))
