"""A respondent file profiled a block of rows at a time as columns, with pyarrow (the optional extra `snel`).

`Columns.stream` takes the batches of a large file (`TableReader.batches(blocks_after=…)`) on their way to
`BatchEngine.run` and profiles each `Block` (lines without a quote, one row each: core/files/tabular.py), when
pyarrow is installed. pyarrow's CSV reader splits the lines into columns, and the rows' keys are made as the engine
makes them (`_KEY` joins the texts of a key's columns): the person (age as written, the `figured` values), the
`direction_only` values, each subscale's answers, and from those the risk bits, the packed score and the outcome.
Each kind of key is looked up in the keys of earlier blocks (`_Known`), in C; only a key never seen before goes to
the engine's own methods (`BatchEngine.age_class`, `profiled`, `directions`, `risks`, `part`, `scored`, `outcome`:
the ones every row alone goes through). The parts' texts are taken to the rows and joined to each line as read.
So every row gets exactly what `BatchEngine.result` gives it, and Python works per new key, not per row. A thread
reads and splits the next block (`prepare`, pyarrow without the GIL) while the main thread looks one up (`profile`).

A block this path does not take as it is goes row by row (`prepare` or `profile` gives None), with the same result:
a line that is not one row of the header's width, a row that cannot be profiled (the row-by-row path names its line
and reason), a text that Python and pyarrow would read differently (a space other than ` `, a line that ends in a CR
alone), a result text with a CR.

Memory: three blocks (`BLOCK_CHARS`, 2 MiB of text each: the one at hand, one prepared, one being prepared), each
held a few times over as text, bytes and columns; the keys seen, at most `_Known.LIMIT` of each kind (then forgotten
and found again); and pyarrow itself, about 45 MiB once imported.
"""

from __future__ import annotations

import queue
import re
import sys
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .batch import BatchEngine, Done, answer_keys, direction_keys, profile_keys
from .errors import InputError
from .files.tabular import Batch, Block


def _no_pandas_for_pyarrow() -> None:
    """pyarrow asks once, at its first Python scalar, whether pandas is installed, by importing it (0.3 to 0.6 s); no
    pandas object ever reaches pyarrow here, so where pandas is not imported yet, that one import fails. Only pyarrow's
    own question is answered so: `import pandas` works as before, later, anywhere."""

    class NoPandas:
        @staticmethod
        def find_spec(name: str, *args: Any) -> None:
            if name == "pandas":
                raise ImportError("pandas: not imported for pyarrow's question")

    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, NoPandas)  # type: ignore[arg-type]
    try:
        pa.scalar(0)
    finally:
        sys.meta_path.remove(NoPandas)  # type: ignore[arg-type]


_no_pandas_for_pyarrow()
_KEY = "\x00"  # what the engine's keys join texts with (batch._KEY)
# Python's str.strip and str.split take these for spaces too, pyarrow's trim not: such a block goes row by row.
_ASCII_SPACE = "\x0b\x0c\x1c\x1d\x1e\x1f"
_OTHER_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


class _Known:
    """The keys of one kind seen so far (an array, looked up in C) and the part each stands for."""

    LIMIT = 1 << 16  # keys kept (a few MiB); past it they are forgotten and found again in the engine's caches

    def __init__(self, kind: pa.DataType, make: Callable[[Any, pa.Array], Any]):
        self.kind, self.make = kind, make
        self.keys = _array([], kind)
        self.parts: list[Any] = []
        self.arrays: dict[str, pa.Array] = {}
        self.cr = False  # whether the text of a part holds a CR

    def find(self, keys: pa.Array) -> pa.Array:
        """Each row's index into `parts`; a key not seen before is made first (`make(key, keys)`)."""
        found = pc.index_in(keys, value_set=self.keys)
        if found.null_count:
            new = pc.unique(keys.filter(pc.is_null(found))).to_pylist()
            if len(self.parts) + len(new) > self.LIMIT:
                self.keys, self.parts, self.arrays = _array([], self.kind), [], {}
                new = pc.unique(keys).to_pylist()
            made = [self.make(key, keys) for key in new]
            self.cr = self.cr or any("\r" in getattr(part, "text", "") + getattr(part, "band_text", "")
                                     for part in made)
            self.parts += made
            self.keys = pa.concat_arrays([self.keys, _array(new, self.kind)])
            self.arrays = {name: pa.concat_arrays([known, _array([getattr(part, name) for part in made], known.type)])
                           for name, known in self.arrays.items()}
            found = pc.index_in(keys, value_set=self.keys)
        return found

    def take(self, name: str, rows: pa.Array, kind: pa.DataType = pa.string()) -> pa.Array:
        """Each row's part's attribute `name` (rows: indices from `find`)."""
        array = self.arrays.get(name)
        if array is None:
            array = self.arrays[name] = _array([getattr(part, name) for part in self.parts], kind)
        return array.take(rows)


class Columns:
    """Profiles the blocks of one run as columns, with one BatchEngine (its caches, its methods for a new key)."""

    def __init__(self, engine: BatchEngine, verbatim: Callable[[str], bool]):
        self.engine, self.verbatim = engine, verbatim
        self.line = 0  # the first line of the block at hand: a new key's errors name a line of it (never shown)
        self.persons = _Known(pa.string(), self._person)
        self.directions = _Known(pa.string(), self._directions)
        self.parts = [_Known(pa.string(), self._part(index)) for index in range(len(engine._parts))]
        self.risks = _Known(pa.int64(), lambda bits, _: engine.risks(bits))
        self.scores = _Known(pa.int64(), self._score)
        self.outcomes = _Known(pa.int64(), self._outcome)
        self.groups: dict[str, int] = {}
        self.columns: list[pa.Array] = []

    # --- a key not seen before: the engine's own methods ----------------------------------------------------

    def _person(self, key: str, keys: pa.Array) -> _Person:
        engine = self.engine
        age, *values = key.split(_KEY)
        figured = tuple(values) if engine.figured else ()
        profiled = engine.profiled(next(profile_keys((engine.age_class(age, self.line),), (figured,))), age, figured,
                                   self.line)
        return _Person(profiled, self.groups.setdefault(profiled.group, len(self.groups)))

    def _directions(self, key: str, keys: pa.Array) -> _Value:
        values = tuple(key.split(_KEY))
        return _Value(self.engine.directions(next(direction_keys((values,))), values, self.line))

    def _part(self, index: int) -> Callable[[str, pa.Array], _Value]:
        def make(key: str, keys: pa.Array) -> _Value:
            texts = tuple(key.split(_KEY))
            return _Value(self.engine.part(index, next(answer_keys((texts,))), texts, self.line))
        return make

    def _score(self, packed: int, keys: pa.Array) -> Any:
        answers = self.engine._answer_texts(self.columns)
        return self.engine.scored(packed, lambda: _row(answers, pc.index(keys, packed).as_py()), self.line)

    def _outcome(self, code: int, keys: pa.Array) -> _Outcome:
        risks = self._risks_by_basis[code // _Known.LIMIT]
        scored = self.scores.parts[code % _Known.LIMIT]
        fields = (_row(self.columns, pc.index(keys, code).as_py())
                  if (risks.basis, scored) not in self.engine._outcome_of else [])  # checks the loneliness stated
        return _Outcome(self.engine.outcome(risks, scored, fields, self.line))

    # --- a block ---------------------------------------------------------------------------------------------

    def stream(self, batches: Iterable[Batch | Block]) -> Iterator[Batch | Block | Done]:
        """The batches, each Block profiled as columns (`Done`) where this path takes it (else the Block, which
        `BatchEngine.run` takes row by row); for `BatchEngine.run`."""
        for batch, prepared in self.ahead(iter(batches)):
            done = self.profile(batch, prepared) if prepared is not None else None
            yield batch if done is None else Done(batch.lines, *done)

    def ahead(self, batches: Iterator[Batch | Block]) -> Iterator[tuple[Batch | Block, _Prepared | None]]:
        """Each batch, a Block with what `prepare` makes of it, done in a thread one block ahead: the reading,
        splitting and joining of the next block (pyarrow, without the GIL) while this one is looked up and written.
        The batches come in order; a problem reading comes where it was met."""
        done: queue.Queue = queue.Queue(maxsize=1)  # bounded: at most three blocks in memory
        stop = threading.Event()

        def put(item: Any) -> bool:
            while not stop.is_set():
                try:
                    done.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False  # the reading thread has stopped

        def work() -> None:
            try:
                for batch in batches:
                    if not put((batch, self.prepare(batch) if isinstance(batch, Block) else None)):
                        return
                put(_END)
            except BaseException as error:  # noqa: BLE001 - raised again in the reading thread, in order
                put(error)

        threading.Thread(target=work, name="eenzaam-blocks", daemon=True).start()
        try:
            while True:
                item = done.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()  # the thread ends at its next block (it is a daemon: it never holds up the exit)

    def prepare(self, block: Block) -> _Prepared | None:
        """What a block's rows are read into: their columns, keys and lines; None when it goes row by row (see the
        module's doc). Touches nothing shared: a thread may run it ahead."""
        engine = self.engine
        read = _read(block, len(engine.header)) if self.verbatim(block.text) else None
        if read is None:
            return None
        columns, body = read
        age = engine._age_text(columns) if engine.age_column is not None else pa.repeat("", len(body))
        return _Prepared(columns, _joined([age, *engine._figured(columns)]),
                         _joined(engine._directed(columns)) if engine.direction_only else None,
                         [_joined(texts_of(columns)) for texts_of, _ in engine._parts], body)

    def profile(self, block: Block, prepared: _Prepared) -> tuple[memoryview, list[tuple[tuple, int]]] | None:
        """The output of a block's rows as UTF-8 (each line as read, its result cells, a line end) and how many rows
        each (group, outcome) has (what `Tally` counts); None when the block goes row by row (the module's doc)."""
        self.columns, self.line = prepared.columns, block.start
        try:
            return self._profile(prepared, len(prepared.body))
        except InputError:  # a row that cannot be profiled: the row-by-row path names it
            return None
        finally:
            self.columns = []

    def _profile(self, prepared: _Prepared, rows: int) -> tuple[memoryview, list[tuple[tuple, int]]] | None:
        person = self.persons.find(prepared.person)
        bits = self.persons.take("bits", person, pa.int64())
        if prepared.directed is not None:
            directed = self.directions.find(prepared.directed)
            bits = pc.bit_wise_or(bits, self.directions.take("value", directed, pa.int64()))
        risks = self.risks.find(bits)
        self._risks_by_basis = {r.basis: r for r in self.risks.parts}
        packed = pa.repeat(pa.scalar(0, pa.int64()), rows)
        for answers, known in zip(prepared.answers, self.parts):
            packed = pc.add(packed, known.take("value", known.find(answers), pa.int64()))
        scores = self.scores.find(packed)  # a few hundred at most: never past LIMIT
        outcomes = self.outcomes.find(pc.add(pc.multiply(self.risks.take("basis", risks, pa.int64()), _Known.LIMIT),
                                             scores.cast(pa.int64())))
        if any(known.cr for known in (self.persons, self.scores, self.risks, self.outcomes)):
            return None  # a result cell with a CR: the row is quoted whole
        parts = [self.persons.take("band_text", person), self.scores.take("text", scores),
                 self.risks.take("text", risks), self.persons.take("text", person),
                 self.outcomes.take("line_end", outcomes)]
        out = _bytes(pc.binary_join_element_wise(prepared.body, *parts, ""))
        # the tally: rows per (group, outcome)
        counted = pc.value_counts(pc.add(pc.multiply(self.persons.take("group", person, pa.int64()), _Known.LIMIT),
                                         outcomes.cast(pa.int64())))
        groups = list(self.groups)
        return out, [((groups[code // _Known.LIMIT], self.outcomes.parts[code % _Known.LIMIT].outcome), n)
                     for code, n in zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist())]


class _Prepared(NamedTuple):
    """A block read into columns, with the keys its rows are looked up by and its lines without their ends."""

    columns: list[pa.Array]
    person: pa.Array  # the age as written and the `figured` values, joined
    directed: pa.Array | None  # the `direction_only` values, joined
    answers: list[pa.Array]  # each subscale's answers, joined
    body: pa.Array


_END = object()  # the end of the batches, from the thread that reads ahead


class _Person:
    """A person key's part: the profile's part, with what a block takes of it."""

    __slots__ = ("band_text", "bits", "group", "profiled", "text")

    def __init__(self, profiled: Any, group: int):
        self.profiled, self.group = profiled, group
        self.band_text, self.bits, self.text = profiled.band_text, profiled.bits, profiled.text


class _Value:
    __slots__ = ("value",)

    def __init__(self, value: int):
        self.value = value


class _Outcome:
    __slots__ = ("line_end", "outcome", "text")

    def __init__(self, outcome: Any):
        self.outcome, self.text, self.line_end = outcome, outcome.text, outcome.text + "\n"


def _array(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    """A string or int64 array of Python values, built from its buffers: `pa.array` would import pandas (half a
    second) wherever it is installed, to ask whether a list is one of its own."""
    if kind == pa.int64():
        return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(array("q", values))])
    data = [value.encode("utf-8") for value in values]
    offsets = array("i", [0])
    offsets.extend(accumulate(map(len, data)))
    return pa.Array.from_buffers(pa.string(), len(values), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


def _read(block: Block, width: int) -> tuple[list[pa.Array], pa.Array] | None:
    """A block's columns as text (`width` of them, as Python splits its lines) and its lines without their ends;
    None for a block pyarrow would read otherwise (`_encoded`) or with a line of another width."""
    data = _encoded(block.text)
    if data is None:
        return None
    columns = _columns(data, width, block.separator)
    if columns is None or len(columns[0]) != block.lines:
        return None
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, pa.py_buffer(array("q", [0, len(data)])),
                                                         pa.py_buffer(data)])
    lines = pc.split_pattern(whole, "\n").flatten()[:block.lines].cast(pa.string())  # split at LF: a CR stays
    return columns, pc.utf8_rtrim(lines, "\r") if "\r" in block.text else lines


def _encoded(text: str) -> bytes | None:
    """A block's text as UTF-8; None for a text that Python and pyarrow would read differently (a space other than
    ` `, a line that ends in a CR alone) or that is no UTF-8."""
    if any(space in text for space in _ASCII_SPACE) if text.isascii() else _OTHER_SPACE.search(text):
        return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):  # a line that ends in a CR alone
        return None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _columns(data: bytes, width: int, separator: str) -> list[pa.Array] | None:
    """The block's columns as text, as Python splits the lines; None for a line of another width."""
    names = [str(index) for index in range(width)]
    try:
        table = pacsv.read_csv(pa.BufferReader(data), read_options=pacsv.ReadOptions(
            column_names=names, block_size=len(data) + 1, use_threads=False), parse_options=pacsv.ParseOptions(
            delimiter=separator, quote_char=False, double_quote=False, escape_char=False, newlines_in_values=False,
            ignore_empty_lines=False), convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, null_values=[]))
    except pa.ArrowInvalid:
        return None
    columns = [column.chunk(0) if column.num_chunks == 1 else column.combine_chunks() for column in table.columns]
    if pc.any(pc.equal(pc.utf8_trim(columns[0], " "), "")).as_py():  # a row without a first field: row by row
        return None
    return columns


def _joined(columns: Sequence[pa.Array]) -> pa.Array:
    """The texts of some columns joined as the engine's keys join them (`_KEY`)."""
    return columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns, _KEY)


def _row(columns: Sequence[pa.Array], index: int) -> list[str]:
    """The texts of row `index` in these columns."""
    return [column[index].as_py() for column in columns]


def _bytes(array: pa.Array) -> memoryview:
    """The texts of a string array (a new one: offset 0), one after another, as UTF-8 (not copied)."""
    assert array.offset == 0
    size = pc.sum(pc.binary_length(array)).as_py() or 0
    return memoryview(array.buffers()[-1])[:size] if size else memoryview(b"")
