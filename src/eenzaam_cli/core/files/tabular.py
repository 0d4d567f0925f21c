"""Reading CSV files as spreadsheets export them, one row at a time.

Dutch spreadsheet programs write `;` as separator and a decimal comma; others
write `,` and a decimal point; either may start with a UTF-8 byte-order mark, and
lines may end in `\\n`, `\\r\\n` or `\\r`, mixed. The separator is taken from the
header line, and with `;` or a tab a decimal comma is accepted in numbers.

This is the one reader for tabular files (an SPSS or Excel file is handed to `formats`,
which gives the same interface, described in `table`), and it refuses, with one line naming the
line, whatever would otherwise lose or change data without a word: a column name
that is blank or given twice, a row with too few or too many fields, a quote that is
never closed (it would swallow the rest of the file into one field), a quoted field
that holds whole rows, bytes that are not UTF-8, NUL bytes, and lines longer than
`MAX_LINE` characters (so one huge line cannot eat the memory). Rows are streamed,
never read all at once. A line of only separators and spaces is no row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from .reading import (
    MIB,
    STDIN,
    ReadError,
    bad_line_start,
    check_block,
    check_text,
    count_lines,
    open_binary,
)
from .table import BATCH_LINES, Batch, Dialect, RowError, check_header, plain_number

BLOCK_CHARS = 2 * MIB  # characters of one Block (about 16,000 rows of a typical respondent file)

_SEPARATORS = (";", "\t", ",")
MAX_LINE = MIB  # characters in one line, and in one row that spans lines through a quoted field


def sniff(header_line: str) -> Dialect:
    """The separator is the candidate that occurs most often in the header."""
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return Dialect(best if counts[best] else ",")


CHUNK = 64 * 1024  # characters read at a time; a chunk is extended to the end of its last line
FIELD_LIMIT = csv.field_size_limit()  # the csv module's limit for one field, kept for unquoted fields too


class _Source:
    """The text of a stream, a chunk at a time, checked as a whole and cut at a line end.

    Each chunk is checked at once (bytes that are not UTF-8, NUL characters, the size limit, a
    line longer than `MAX_LINE`), so its lines can be taken from it in C. A problem is raised when
    the reader reaches its line: the chunk's lines before it are handed out first.
    """

    def __init__(self, stream: io.TextIOBase, file: str, max_bytes: int | None, first: str):
        self.stream, self.file, self.max_bytes = stream, file, max_bytes
        self.total = len(first)  # characters read so far (bytes for ASCII), for a progress bar
        self.chunks = self._chunks(first)
        self.current = io.StringIO()  # the chunk whose lines are being read
        self.pending: str | None = None  # a chunk `text` took and left to the lines
        self.lines = chain.from_iterable(self._line_chunks())

    def _line_chunks(self) -> Iterator[io.StringIO]:
        while True:
            text, self.pending = (self.pending, None) if self.pending is not None else (next(self.chunks, None), None)
            if text is None:
                return
            self.current = io.StringIO(text, newline="")
            yield self.current

    def text(self, size: int) -> tuple[str, ReadError | None]:
        """About `size` characters of whole lines, for a `Block`: the rest of the chunk whose lines are being read,
        then whole chunks, as long as they hold no quote and no line longer than `FIELD_LIMIT` (those are left to
        `lines`). A problem further on comes after the text before it, as the second item."""
        rest = self.current.getvalue()[self.current.tell():] if self.pending is None else ""
        if '"' in rest or len(rest) > FIELD_LIMIT:
            return "", None
        self.current.seek(0, io.SEEK_END)
        taken, length = [rest], len(rest)
        while length < size and self.pending is None:
            try:
                text = next(self.chunks, None)
            except ReadError as error:
                return "".join(taken), error
            if text is None:
                break
            if '"' in text or len(text) > FIELD_LIMIT:
                self.pending = text
                break
            taken.append(text)
            length += len(text)
        return "".join(taken), None

    def _chunks(self, first: str) -> Iterator[str]:
        yield first  # the header line, checked by open_table
        number = 2  # the first line of the next chunk
        while True:
            text = self.stream.read(CHUNK)
            if not text:
                return
            rest = self.stream.readline(MAX_LINE + 1)  # to the end of the chunk's last line
            self.total += len(text) + len(rest)
            if self.max_bytes is not None and self.total > self.max_bytes:
                raise ReadError(self.file, None, f"is groter dan {self.max_bytes // MIB} MiB, de grens voor "
                                                 "gegevensbestanden")
            text += rest
            last = max(text.rfind("\n", 0, len(text) - len(rest)), text.rfind("\r", 0, len(text) - len(rest))) + 1
            long = len(text) - last - len(rest) + len(rest.rstrip("\r\n")) > MAX_LINE
            bad = bad_line_start(text)
            if bad is not None or long:
                bad_first = bad is not None and not (long and bad >= last)  # which line the reader reaches first
                cut = bad if bad_first else last
                if cut:
                    yield text[:cut]
                number += count_lines(text[:cut])
                if bad_first:
                    check_block(text[cut:], self.file, number)
                raise ReadError(self.file, number, f"de regel is langer dan {MAX_LINE} tekens (de grens voor één regel)")
            number += count_lines(text)
            yield text


class _Feed:
    """The physical lines of one quoted row, for csv.reader: counted, with where an open quote began.

    A quoted field may run over several lines; the row's characters are counted so that a quote
    that is never closed cannot swallow the whole file, and the line where the still-open quote
    began explains the problem.
    """

    def __init__(self, first: str, lines: Iterator[str], number: int, file: str):
        self.pending: str | None = first
        self.file = file
        self.lines = lines
        self.number = number - 1  # the last line handed out
        self.start = number
        self.row_chars = 0
        self.quote_open_at: int | None = None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        text, self.pending = (self.pending, None) if self.pending is not None else (next(self.lines), None)
        self.number += 1
        self.row_chars += len(text)
        if self.row_chars > MAX_LINE:
            start = self.quote_open_at or self.number
            raise ReadError(self.file, start, f"de rij is langer dan {MAX_LINE} tekens; wordt het aanhalingsteken "
                                       f"op regel {start} niet gesloten?")
        if text.count('"') % 2:
            self.quote_open_at = None if self.quote_open_at else self.number
        return text


@dataclass
class TableReader:
    """A CSV file opened for streaming: its header, dialect and rows."""

    file: str
    header: list[str]
    dialect: Dialect
    _source: _Source
    _number: int  # the last line read

    def position(self) -> int:
        """How much of the file has been read (characters; bytes for ASCII), for a progress bar."""
        return self._source.total

    def rows(self, *, empty_ok: bool = False, keep_going: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, {column: text}) for every data row; as `records`, with the cells named."""
        header = self.header
        for line, fields in self.records(empty_ok=empty_ok, keep_going=keep_going):
            yield line, fields if isinstance(fields, RowError) else dict(zip(header, fields))  # type: ignore[misc]

    def records(self, *, empty_ok: bool = False, keep_going: bool = False) -> Iterator[tuple[int, list[str]]]:
        """Yield (line number, [text per column]) for every data row; the line is where the row starts.

        A row with too few or too many fields, or with a quoted field that swallowed whole
        rows, raises RowError; with `keep_going` that RowError is yielded in place of the
        row instead, and reading goes on (a batch lists every bad row and still adds up).
        A file with a header but no rows is an error unless `empty_ok`. A problem that
        leaves the rest of the file unreadable (bytes that are not UTF-8, a quote that is
        never closed, a line that is too long) always raises, after the rows before it.
        """
        for batch in self.batches(empty_ok=empty_ok, keep_going=keep_going):
            yield from zip(batch.numbers, batch.rows)

    def batches(self, *, empty_ok: bool = False, keep_going: bool = False,
                blocks_after: int | None = None) -> Iterator[Batch | Block]:
        """`records`, a batch of lines at a time (what a batch run streams).

        With `blocks_after` (and `keep_going`), once that many lines are read, lines without a quote come
        `BLOCK_CHARS` characters at a time as one `Block`: unsplit, for a reader of columns; `Block.batches` are the
        same batches as here.
        """
        assert blocks_after is None or keep_going
        separator = self.dialect.separator
        count, number = 0, self._number
        while True:
            if blocks_after is not None and number >= blocks_after:
                text, problem = self._source.text(BLOCK_CHARS)
                if text:
                    lines = count_lines(text) + (not text.endswith(("\n", "\r")))
                    yield Block(number + 1, text, lines, separator, self._plain(text, number, keep_going))
                    number += lines
                    count += lines
                if problem is not None:
                    raise problem
                if text:
                    continue
            batch: list[str] = []
            try:
                batch.extend(islice(self._source.lines, BATCH_LINES))  # keeps the lines read before a problem
            except ReadError as error:
                problem = error
            else:
                problem = None
            if not batch and problem is None:
                break
            if batch and '"' not in "".join(batch) and max(map(len, batch)) <= FIELD_LIMIT:  # one row a line
                for plain in self._plain(batch, number, keep_going):
                    count += len(plain.rows)
                    yield plain
                number += len(batch)
            elif batch:  # line by line; a quoted row may read on past the batch
                number, rows = yield from self._rows(batch, number, keep_going, self._source.lines)
                count += rows
            if problem is not None:
                raise problem
        self._number = number
        if not count and not empty_ok:
            raise RowError(self.file, None, "bevat geen rijen, alleen een kopregel")

    def _plain(self, lines: list[str] | str, number: int, keep_going: bool) -> Iterator[Batch]:
        """The rows of lines without a quote, each one line (the first is line `number` + 1), `BATCH_LINES` at a time
        (`lines` may be their text). Split at once, in C, when every line has the header's width and a first field;
        else line by line."""
        if isinstance(lines, str):
            lines = io.StringIO(lines, newline="").readlines()
        separator, width = self.dialect.separator, len(self.header)
        for at in range(0, len(lines), BATCH_LINES):
            part = lines[at:at + BATCH_LINES]
            first = number + at + 1
            texts = list(map(str.rstrip, part, repeat("\r\n")))
            rows = list(map(str.split, texts, repeat(separator)))
            if all(map(width.__eq__, map(len, rows))) and all(map(str.strip, map(itemgetter(0), rows))):
                yield Batch(range(first, first + len(rows)), rows, texts)
                continue
            yield from self._rows(part, first - 1, keep_going, iter(()))

    def _rows(self, lines: list[str], number: int, keep_going: bool,
              more: Iterator[str]) -> Generator[Batch, None, tuple[int, int]]:
        """The rows of `lines` (the first is line `number` + 1) one by one, as one Batch: a row with a quote or a field
        too long for a split is read by csv, on into `more` where a quoted field spans lines; a line of only
        separators is no row; a row of the wrong width is its RowError (raised without `keep_going`, after the rows
        before it). Returns the number of the last line read and how many rows there were."""
        separator = self.dialect.separator
        numbers: list[int] = []
        rows: list[list[str]] = []
        count = 0
        rest = iter(lines)
        for text in rest:
            number += 1
            start = number
            if '"' in text or len(text) > FIELD_LIMIT:  # quoted fields, or one too long: csv decides
                try:
                    fields, number = _quoted(text, start, chain(rest, more), self.file, separator)
                except ReadError:
                    if rows:  # the rows before it first
                        yield Batch(numbers, rows, None)
                    raise
            else:
                fields = text.rstrip("\r\n").split(separator)
            if _blank(fields):
                continue
            count += 1
            wrong = self._row_problem(fields, start, number)
            if wrong is not None and not keep_going:
                if rows:
                    yield Batch(numbers, rows, None)
                raise wrong
            numbers.append(start)
            rows.append(fields if wrong is None else wrong)  # type: ignore[arg-type]
        if rows:
            yield Batch(numbers, rows, None)
        return number, count

    def _row_problem(self, fields: list[str], start: int, end: int) -> RowError | None:
        """Too few or too many fields; or a quoted field holding whole rows: a quote closed far too late."""
        width = len(self.header)
        if len(fields) != width:
            span = f" (tot en met regel {end}: een aanhalingsteken op regel {start} loopt over meerdere regels)" \
                if end > start else ""
            what = "te weinig" if len(fields) < width else "te veel"
            return RowError(self.file, start, f"{len(fields)} velden, de kopregel heeft er {width} ({what}; "
                                              f"scheidingsteken {_shown(self.dialect.separator)}){span}")
        if end > start and width > 1:
            for column, text in zip(self.header, fields):
                if ("\n" in text or "\r" in text) and any(
                        line.count(self.dialect.separator) >= width - 1 for line in text.splitlines()[1:]):
                    return RowError(self.file, start, f"het veld loopt door tot en met regel {end} en bevat hele "
                                                      f"rijen; wordt het aanhalingsteken op regel {start} te laat "
                                                      "gesloten?", column)
        return None

    def number(self, text: str) -> Decimal | None:
        """Parse a number as written (decimal comma where the dialect allows); blank is None (see `plain_number`)."""
        return plain_number(text, self.dialect.decimal_comma)


def _blank(fields: list[str]) -> bool:
    """A line of only separators and spaces is no row."""
    return not fields or not fields[0].strip() and all(not f.strip() for f in fields)


class Block(NamedTuple):
    """Lines of a table without a quote, each one row, unsplit: `text`, `lines` of them, the first line `start`.

    A reader of columns (core/columnar.py) takes the text as it is; `batches` are the same rows split as
    `TableReader.batches` splits them (rows of a wrong width as RowErrors, lines of only separators no row).
    """

    start: int
    text: str
    lines: int
    separator: str
    batches: Iterator[Batch]


def _shown(separator: str) -> str:
    return "tab" if separator == "\t" else f"'{separator}'"


def _quoted(text: str, start: int, lines: Iterator[str], file: str, separator: str) -> tuple[list[str], int]:
    """The fields of the row that starts with line `text` (number `start`), read by csv.reader, and its last line."""
    feed = _Feed(text, lines, start, file)
    try:
        fields = next(csv.reader(feed, delimiter=separator, strict=True))
    except csv.Error as error:
        raise _csv_problem(error, file, start, feed) from None
    return fields, feed.number


def _csv_problem(error: csv.Error, file: str, start: int, lines: _Feed) -> ReadError:
    text = str(error)
    opened = lines.quote_open_at or start
    if "unexpected end of data" in text:
        return RowError(file, opened, "het aanhalingsteken (\") op deze regel wordt nooit gesloten; de rest van het "
                                      "bestand zou één veld worden")
    if "field larger than field limit" in text:
        if lines.quote_open_at is None:
            return RowError(file, lines.number, f"een veld is langer dan {csv.field_size_limit()} tekens")
        return RowError(file, opened, f"een veld is langer dan {csv.field_size_limit()} tekens; wordt het "
                                      f"aanhalingsteken op regel {opened} niet gesloten?")
    if "expected after" in text:
        return RowError(file, lines.number, "na een sluitend aanhalingsteken (\") moet een scheidingsteken of het "
                                            "einde van de regel komen; schrijf een \" binnen een veld als \"\"")
    return RowError(file, lines.number, f"ongeldige CSV ({text})")


@contextmanager
def open_table(path: str | Path, *, max_bytes: int | None = None) -> Iterator[TableReader]:
    """Open a CSV file (or `-` for standard input) for streaming; at most `max_bytes` when given.

    An SPSS (.sav) or Excel (.xlsx) file, recognised by its extension, is read by `formats`
    with the same interface, so every command that reads a table reads those too.
    """
    from .formats import (  # small; the libraries behind it load only for such a file
        kind,
        open_cells,
    )

    if kind(path) is not None:
        with open_cells(path, max_bytes=max_bytes) as cells:
            yield cells  # type: ignore[misc]
        return
    binary, name = open_binary(path)
    stream = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        header_line = stream.readline(MAX_LINE + 1)
        if len(header_line) > MAX_LINE and not header_line.endswith(("\n", "\r")):
            raise ReadError(name, 1, f"de regel is langer dan {MAX_LINE} tekens (de grens voor één regel)")
        check_text(header_line, name, 1)
        if not header_line.strip():
            raise RowError(name, 1, "het bestand is leeg (een kopregel met kolomnamen ontbreekt)" if not header_line
                           else "de eerste regel is leeg; die moet de kolomnamen geven")
        dialect = sniff(header_line)
        source = _Source(stream, name, max_bytes, header_line)
        fields, last = _quoted(next(source.lines), 1, source.lines, name, dialect.separator)
        header = [column.strip() for column in fields]
        check_header(header, name)
        yield TableReader(name, header, dialect, source, last)
    finally:
        if name != STDIN:
            stream.close()
        else:
            stream.detach()
