"""Reading CSV files as spreadsheets export them, one row at a time.

Dutch spreadsheet programs write `;` as separator and a decimal comma; others
write `,` and a decimal point; either may start with a UTF-8 byte-order mark, and
lines may end in `\\n`, `\\r\\n` or `\\r`, mixed. The separator is taken from the
header line, and with `;` or a tab a decimal comma is accepted in numbers.

This is the one reader for tabular files (an SPSS or Excel file is handed to `formats`,
which gives the same interface), and it refuses, with one line naming the
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
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .reading import MIB, STDIN, ReadError, check_text, open_binary

RowError = ReadError  # a problem at one line of a table file (file, line, message)

_SEPARATORS = (";", "\t", ",")
MAX_LINE = MIB  # characters in one line, and in one row that spans lines through a quoted field
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


@dataclass(frozen=True, slots=True)
class Dialect:
    separator: str

    @property
    def decimal_comma(self) -> bool:
        return self.separator != ","


def sniff(header_line: str) -> Dialect:
    """The separator is the candidate that occurs most often in the header."""
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return Dialect(best if counts[best] else ",")


@dataclass
class _Lines:
    """The physical lines of a text stream, checked and counted, for csv.reader to parse.

    `number` is the last line handed out. Per row (reset by `start_row`) it counts the
    characters read and where an open quote began, to explain a row that never ends.
    """

    stream: io.TextIOBase
    file: str
    max_bytes: int | None = None
    number: int = 0
    total: int = 0
    row_chars: int = 0
    quote_open_at: int | None = None  # the line where the row's still-open quote began
    pushed: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.pushed:
            text = self.pushed.pop()
        else:
            text = self.stream.readline(MAX_LINE + 1)
            if not text:
                raise StopIteration
            if len(text) > MAX_LINE and not text.endswith(("\n", "\r")):
                raise ReadError(self.file, self.number + 1, f"de regel is langer dan {MAX_LINE} tekens "
                                                            f"(de grens voor één regel)")
            self.total += len(text)
            if self.max_bytes is not None and self.total > self.max_bytes:
                raise ReadError(self.file, None, f"is groter dan {self.max_bytes // MIB} MiB, de grens voor "
                                                 "gegevensbestanden")
        self.number += 1
        check_text(text, self.file, self.number)
        self.row_chars += len(text)
        if self.row_chars > MAX_LINE:
            start = self.quote_open_at or self.number
            raise ReadError(self.file, start, f"de rij is langer dan {MAX_LINE} tekens; wordt het aanhalingsteken "
                                              f"op regel {start} niet gesloten?")
        if text.count('"') % 2:
            self.quote_open_at = None if self.quote_open_at else self.number
        return text

    def start_row(self) -> None:
        self.row_chars = 0
        self.quote_open_at = None


@dataclass
class TableReader:
    """A CSV file opened for streaming: its header, dialect and rows."""

    file: str
    header: list[str]
    dialect: Dialect
    _reader: Iterator[list[str]]
    _lines: _Lines

    def position(self) -> int:
        """How much of the file has been read (characters; bytes for ASCII), for a progress bar."""
        return self._lines.total

    def rows(self, *, empty_ok: bool = False, keep_going: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, {column: text}) for every data row; the line is where the row starts.

        A row with too few or too many fields, or with a quoted field that swallowed whole
        rows, raises RowError; with `keep_going` that RowError is yielded in place of the
        row instead, and reading goes on (a batch lists every bad row and still adds up).
        A file with a header but no rows is an error unless `empty_ok`. A problem that
        leaves the rest of the file unreadable (bytes that are not UTF-8, a quote that is
        never closed, a line that is too long) always raises.
        """
        count = 0
        while True:
            self._lines.start_row()
            start = self._lines.number + 1
            fields = self._next_fields(start)
            if fields is None:
                break
            if all(not f.strip() for f in fields):
                continue
            count += 1
            problem = self._row_problem(fields, start, self._lines.number)
            if problem is None:
                yield start, dict(zip(self.header, fields))
            elif keep_going:
                yield start, problem  # type: ignore[misc]
            else:
                raise problem
        if not count and not empty_ok:
            raise RowError(self.file, None, "bevat geen rijen, alleen een kopregel")

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

    def _next_fields(self, start: int) -> list[str] | None:
        try:
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as error:
            raise _csv_problem(error, self.file, start, self._lines) from None

    def number(self, text: str) -> Decimal | None:
        """Parse a number as written (decimal comma where the dialect allows); blank is None.

        Only plain decimal numbers: no exponent, no thousands separator, no nan or inf;
        -0 is 0. Raises ValueError with a message for the user; the caller adds the place.
        """
        written = text.strip()
        if not written:
            return None
        if not _NUMBER.fullmatch(written):
            raise ValueError(f"{written!r} is geen getal")
        if "," in written and not self.dialect.decimal_comma:
            raise ValueError(f"{written!r} is geen getal (met , als scheidingsteken hoort een decimale punt: "
                             f"{written.replace(',', '.')})")
        try:
            value = Decimal(written.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            raise ValueError(f"{written!r} is geen getal") from None
        return abs(value) if value.is_zero() else value


def _shown(separator: str) -> str:
    return "tab" if separator == "\t" else f"'{separator}'"


def _csv_problem(error: csv.Error, file: str, start: int, lines: _Lines) -> ReadError:
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
    from .formats import kind, open_cells  # small; the libraries behind it load only for such a file

    if kind(path) is not None:
        with open_cells(path, max_bytes=max_bytes) as cells:
            yield cells  # type: ignore[misc]
        return
    binary, name = open_binary(path)
    stream = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        lines = _Lines(stream, name, max_bytes)
        try:
            header_line = next(lines)
        except StopIteration:
            header_line = ""
        if not header_line.strip():
            raise RowError(name, 1, "het bestand is leeg (een kopregel met kolomnamen ontbreekt)" if not header_line
                           else "de eerste regel is leeg; die moet de kolomnamen geven")
        dialect = sniff(header_line)
        lines.pushed.append(header_line)
        lines.number = 0
        reader = csv.reader(lines, delimiter=dialect.separator, strict=True)
        lines.start_row()
        try:
            header = [column.strip() for column in next(reader)]
        except csv.Error as error:
            raise _csv_problem(error, name, 1, lines) from None
        _check_header(header, name)
        yield TableReader(name, header, dialect, reader, lines)
    finally:
        if name != STDIN:
            stream.close()
        else:
            stream.detach()


def _check_header(header: list[str], file: str) -> None:
    """Every column has a name, and no name is given twice (a second value would overwrite the first)."""
    for position, column in enumerate(header, 1):
        if not column:
            raise RowError(file, 1, f"kolom {position} heeft geen naam; geef elke kolom een naam in de kopregel")
    seen: dict[str, int] = {}
    for position, column in enumerate(header, 1):
        if column in seen:
            raise RowError(file, 1, f"de kolom {column!r} staat er twee keer in (kolom {seen[column]} en {position}); "
                                    "geef elke kolom een eigen naam")
        seen[column] = position
