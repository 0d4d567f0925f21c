"""Reading CSV files as spreadsheets export them, one row at a time.

Dutch spreadsheet programs write `;` as separator and a decimal comma; others
write `,` and a decimal point; either may start with a UTF-8 byte-order mark.
The separator is taken from the header line, and with `;` or a tab a decimal
comma is accepted in numbers. Rows are streamed, never read all at once, and
a row with the wrong number of fields is an error, never silently dropped.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from .errors import InputError

_SEPARATORS = (";", "\t", ",")


class RowError(InputError):
    """A problem at one line of a table file."""

    def __init__(self, file: str, line: int, message: str):
        self.file, self.line, self.message = file, line, message
        super().__init__(f"{file}:{line}: {message}")


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
class TableReader:
    """A CSV file opened for streaming: its header, dialect and rows."""

    file: str
    header: list[str]
    dialect: Dialect
    _reader: Iterator[list[str]]
    _lines: csv.reader  # type: ignore[valid-type]

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (line number, {column: text}) for every non-blank data row."""
        width = len(self.header)
        for fields in self._reader:
            line = self._lines.line_num + 1  # the header was read before the csv reader started
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != width:
                raise RowError(self.file, line, f"{len(fields)} velden, de kopregel heeft er {width} "
                               f"(scheidingsteken {self.dialect.separator!r})")
            yield line, dict(zip(self.header, fields))

    def number(self, text: str) -> Decimal | None:
        """Parse a number as written (decimal comma where the dialect allows); blank is None.

        Raises ValueError with a message for the user; the caller adds the place.
        """
        written = text.strip()
        if not written:
            return None
        try:
            value = Decimal(written.replace(",", ".") if self.dialect.decimal_comma else written)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise ValueError(f"{written!r} is geen getal")
        return value


@contextmanager
def open_table(path: str | Path) -> Iterator[TableReader]:
    """Open a CSV file (or `-` for standard input) for streaming."""
    name = str(path)
    if name == "-":
        if sys.stdin.isatty():
            raise InputError("-: verwacht gegevens op standaardinvoer, maar dat is een terminal (gebruik een pijp of een bestand)")
        stream: TextIO = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
        name = "<stdin>"
    else:
        try:
            stream = open(path, encoding="utf-8-sig", newline="")
        except OSError as error:
            raise InputError(f"{name}: kan het bestand niet openen ({error.strerror})") from None
    try:
        try:
            header_line = stream.readline()
        except UnicodeDecodeError:
            raise InputError(f"{name}:1: het bestand is geen UTF-8-tekst") from None
        if not header_line.strip():
            raise InputError(f"{name}:1: het bestand is leeg (een kopregel met kolomnamen ontbreekt)")
        dialect = sniff(header_line)
        header = [column.strip() for column in next(csv.reader([header_line], delimiter=dialect.separator))]
        lines = csv.reader(stream, delimiter=dialect.separator)
        reader = TableReader(name, header, dialect, _decode_errors(lines, name), lines)
        yield reader
    finally:
        if stream is not sys.stdin:
            stream.close()


def _decode_errors(lines: Iterator[list[str]], name: str) -> Iterator[list[str]]:
    try:
        yield from lines
    except UnicodeDecodeError:
        raise InputError(f"{name}: het bestand is geen UTF-8-tekst") from None
    except csv.Error as error:
        raise InputError(f"{name}: ongeldige CSV ({error})") from None
