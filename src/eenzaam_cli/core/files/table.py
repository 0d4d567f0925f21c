"""What every table gives, whatever its file format.

`tabular` reads CSV files and `formats` SPSS and Excel files; both give a table whose
header meets one rule (`check_header`), whose rows come as text in `Batch`es of at most
`BATCH_LINES` rows, and whose `Dialect` says how its numbers are written (`plain_number`).
`tabular.open_table` opens any of them; `formats` builds on this module, not on `tabular`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .reading import MAX_DIGITS, ReadError

RowError = ReadError  # a problem at one line of a table file (file, line, message)

BATCH_LINES = 1024  # rows read together (lines split at once when none holds a quote)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


@dataclass(frozen=True, slots=True)
class Dialect:
    separator: str

    @property
    def decimal_comma(self) -> bool:
        return self.separator != ","


class Batch(NamedTuple):
    """Rows read together: the line each starts on, its fields (or its RowError), and, when every row of
    the batch was one line without quotes, each line's text without its line end (the fields joined)."""

    numbers: Sequence[int]
    rows: list[list[str]]
    texts: list[str] | None


def plain_number(text: str, decimal_comma: bool = False) -> Decimal | None:
    """A number as written in a table: a plain decimal, with a decimal comma when `decimal_comma`; blank is None.

    No exponent, no thousands separator, no nan or inf, at most MAX_DIGITS digits; -0 is 0.
    Raises ValueError with a message for the user; the caller adds the place.
    """
    written = text.strip()
    if not written:
        return None
    if not _NUMBER.fullmatch(written):
        raise ValueError(f"{written!r} is geen getal")
    if "," in written and not decimal_comma:
        raise ValueError(f"{written!r} is geen getal (met , als scheidingsteken hoort een decimale punt: "
                         f"{written.replace(',', '.')})")
    if len(written) > MAX_DIGITS and sum(map(str.isdigit, written)) > MAX_DIGITS:
        raise ValueError(f"een getal met meer dan {MAX_DIGITS} cijfers")
    try:
        value = Decimal(written.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(f"{written!r} is geen getal") from None
    return abs(value) if value.is_zero() else value


def check_header(header: list[str], file: str) -> None:
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
