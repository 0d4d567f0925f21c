"""One shared set of output formats for every command: tabel, json, csv, markdown.

A command builds a `View` (titled sections of rows) and hands it over; this
module decides how it looks. `tabel` is a Rich table (Rich is imported only
here, and only for that format); `json` and `csv` are the stable contracts for
scripts, with machine numbers (a decimal point) and the Dutch data keys;
`markdown` is for reports.

It also owns standard output itself (`setup_streams`): UTF-8 to files and
pipes whatever the locale, look-alike characters instead of a crash on a
terminal in another encoding, and a failed write as `OutputError`. Every CSV
is written by `csv_writer`, which keeps a spreadsheet from running a cell as a
formula (`neutralise`), and a table too wide for the terminal becomes one block
per row.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from ..core.model import Record

Format = Literal["tabel", "json", "csv", "markdown"]


class Column(Record):
    key: str
    header: str
    numeric: bool = False
    nowrap: bool = False  # identifiers: never folded mid-word


class Section(Record):
    """A titled table (with optional lines of text above and notes below)."""

    title: str
    columns: Sequence[Column] = ()
    rows: Sequence[dict[str, Any]] = ()
    intro: Sequence[str] = ()
    notes: Sequence[str] = ()


class View(Record):
    sections: Sequence[Section]
    data: Any = None  # the JSON document; defaults to the rows of the first section
    csv_fields: Sequence[str] | None = None  # CSV columns (keys of the first section's rows); default: its columns
    csv_section: int = 0  # which section's rows the CSV holds
    csv_rows: Sequence[dict[str, Any]] | None = None  # other rows for the CSV than that section's (e.g. without a total)


def number(value: Decimal | int | None, language: str) -> str:
    """A figure as printed: its own digits, with a decimal comma in Dutch."""
    if value is None:
        return "–"
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",") if language == "nl" else text


def _cell(value: Any, language: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return number(value, language)
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(item, language) for item in value)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        whole = value.is_finite() and value == value.to_integral_value() and value.as_tuple().exponent >= 0
        return int(value) if whole else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    """JSON text; NaN or infinity anywhere in `data` is a ValueError (a bug), never the invalid JSON `NaN`."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default, allow_nan=False)


def render(view: View, fmt: Format, language: str, raw_csv: bool = False) -> None:
    if fmt == "json":
        data = view.data if view.data is not None else view.sections[0].rows
        sys.stdout.write(to_json(data) + "\n")
    elif fmt == "csv":
        _csv(view, raw_csv)
    elif fmt == "markdown":
        sys.stdout.write(_markdown(view, language))
    else:
        _rich(view, language)


def _csv(view: View, raw: bool = False) -> None:
    section = view.sections[view.csv_section]
    keys = view.csv_fields or [column.key for column in section.columns]
    writerow = csv_writer(raw=raw)
    writerow(keys)
    for row in section.rows if view.csv_rows is None else view.csv_rows:
        writerow([row.get(k) for k in keys])


# --- CSV: the one writer ------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_number_pattern: Any = None


def csv_writer(stream: Any = None, *, delimiter: str = ",", raw: bool = False) -> Any:
    """The `writerow` of every CSV the tool writes: each value as `csv_text`, `neutralise`d unless `raw`.

    Rows end in `\n`. Python's writer then leaves a cell with a lone CR unquoted, which every reader
    takes for a line break; such a row is written with every cell quoted.
    """
    import csv
    import re

    stream = stream or sys.stdout
    plain = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    quoted = csv.writer(stream, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    # A cell starts right after a NUL in the joined row: one search finds every cell neutralise must look at
    # (most rows have none), instead of a look at each cell. A NUL inside a cell only costs that look.
    risky = re.compile("\x00[-=+@\t\r']")

    def writerow(values: Any) -> None:
        row = list(map(csv_text, values))
        joined = "\x00" + "\x00".join(row)
        if not raw and risky.search(joined):
            row = [neutralise(text) for text in row]
        (quoted if "\r" in joined else plain).writerow(row)

    return writerow


def neutralise(text: str) -> str:
    """Prefix `'` to a cell a spreadsheet would run as a formula; numbers and a lone `-` stay as they are.

    A cell is neutralised when, after any leading quotes, it starts with = + - @ tab or CR, and it is
    not a plain number (`-0.5`, `+31`, `-1,5`). A cell that already starts with quotes before such a
    character gets one more, so taking one `'` off every cell that starts with quotes followed by a
    formula character gives back exactly what was written (`unneutralise`).
    """
    if not text.lstrip("'").startswith(FORMULA_START) or text == "-" or _is_number(text):
        return text
    return "'" + text


def unneutralise(cell: str) -> str:
    """The inverse of `neutralise`, for scripts that read the tool's CSV back."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START) else cell


def _is_number(text: str) -> bool:
    """A plain number: optional sign, digits with at most one decimal point or comma, optional exponent."""
    global _number_pattern
    if _number_pattern is None:
        import re

        _number_pattern = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
    return _number_pattern.fullmatch(text) is not None


def csv_text(value: Any) -> str:
    """A value as a CSV cell for scripts: empty when unknown, ja/nee, the digits as written."""
    if type(value) is str:  # most cells: text as read
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    return str(value)


def _markdown(view: View, language: str) -> str:
    out: list[str] = []
    for section in view.sections:
        out.append(f"## {section.title}\n")
        if section.intro:
            out.extend([*section.intro, ""])
        if section.columns:
            out.append("| " + " | ".join(c.header for c in section.columns) + " |")
            out.append("|" + "|".join("---:" if c.numeric else "---" for c in section.columns) + "|")
            for row in section.rows:
                cells = (_cell(row.get(c.key), language).replace("|", "\\|").replace("\n", "<br>") for c in section.columns)
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        out.extend(f"- {note}" for note in section.notes)
        if section.notes:
            out.append("")
    return "\n".join(out) + "\n"


EXPORT_WIDTH = 132  # characters: every exported picture has the same width, so slides are consistent


def export(view: View, language: str, svg: str | None = None, html: str | None = None,
           width: int = EXPORT_WIDTH) -> None:
    """Write the `tabel` picture of a view to SVG and/or HTML at a fixed width, for reports and slides."""
    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), highlight=False, color_system="truecolor")
    _rich(view, language, console)
    title = view.sections[0].title if view.sections else "eenzaam"
    if svg:
        _write_atomically(svg, lambda target: console.save_svg(target, title=title, clear=False))
    if html:
        _write_atomically(html, lambda target: console.save_html(target, clear=False))


def publish(temporary: str, path: str) -> None:
    """Rename a finished temporary file to `path`, with the permissions a plain new file would have
    (mkstemp makes it private)."""
    import os

    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    os.replace(temporary, path)


def _write_atomically(path: str, write: Any) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file under `path`."""
    import os
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".eenzaam-", dir=folder)
    os.close(handle)
    try:
        write(temporary)
        publish(temporary, path)
    except BaseException as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        if isinstance(error, OSError):  # a full disk, say: the output could not be written (exit 4)
            raise OutputError(error, path) from None
        raise


def _rich(view: View, language: str, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or _console(Console)
    width, shown = console.width, _shown(console.encoding)
    for index, section in enumerate(view.sections):
        if index:
            console.print()
        headers = [shown(column.header) for column in section.columns]
        cells = [[shown(_cell(row.get(c.key), language)) for c in section.columns] for row in section.rows]
        as_list = bool(section.columns) and not _fits(width, section.columns, headers, cells)
        if not section.columns or section.intro or as_list:
            console.print(Text(shown(section.title), style="bold"))
        for line in section.intro:
            console.print(Text(shown(line)))
        if as_list:
            _rows_as_list(console, headers, cells)
        elif section.columns:
            table = Table(title=None if section.intro else Text(shown(section.title), style="bold"),
                          title_justify="left")
            for column, header in zip(section.columns, headers):
                table.add_column(Text(header), justify="right" if column.numeric else "left",
                                 no_wrap=column.nowrap, overflow="fold")
            for row in cells:
                table.add_row(*map(Text, row))
            console.print(table)
        if section.notes:
            console.print(Text(shown("\n".join(section.notes)), style="dim"))


def _shown(encoding: str) -> Any:
    """Text as the terminal can show it: unchanged in UTF-8, else with look-alikes, before Rich measures it
    (so '≥' becomes '>=' in the cell, not after the column width was fixed)."""
    if _is_utf8(encoding):
        return str
    errors = _errors(encoding)
    return lambda text: text.encode(encoding, errors).decode(encoding)


# --- narrow terminals: no value may disappear ------------------------------------------------------

MIN_WIDTH = 20  # narrower (or an unknown width such as COLUMNS=0) is laid out at this width or the real one
FOLD_WIDTH = 8  # the narrowest a table column may get; a table that needs narrower becomes a list


def _console(console_class: Any) -> Any:
    """A Console for `tabel` at the terminal's width; a width of 0 counts as unknown, below 20 as 20."""
    console = console_class(highlight=False)
    if console.width >= MIN_WIDTH:
        return console
    import shutil

    width = console.width if console.width > 0 else shutil.get_terminal_size().columns
    return console_class(highlight=False, width=max(width, MIN_WIDTH))


def _fits(width: int, columns: Sequence[Column], headers: list[str], cells: list[list[str]]) -> bool:
    """Whether a table of these cells shows every value at `width`: each column at least FOLD_WIDTH wide
    (or as wide as its widest text, if that is less; identifier columns always that wide), plus Rich's
    padding and lines. Rich narrows the widest columns first, so then none drops below that."""
    from rich.cells import cell_len

    need = len(columns) + 1  # the vertical lines
    for index, column in enumerate(columns):
        texts = [headers[index], *(row[index] for row in cells)]
        widest = max(cell_len(line) for text in texts for line in text.splitlines() or [""])
        need += 2 + (widest if column.nowrap else min(widest, FOLD_WIDTH))
    return need <= width


def _rows_as_list(console: Any, headers: list[str], cells: list[list[str]]) -> None:
    """A table too wide for the terminal: one block of `header: value` lines per row."""
    from rich.text import Text

    for index, row in enumerate(cells):
        if index:
            console.print()
        for header, value in zip(headers, row):
            console.print(Text.assemble((f"{header}: ", "bold"), value) if header else Text(value))


# --- standard output: encoding and write failures ------------------------------------------------------


class OutputError(Exception):
    """Writing the output failed: a full disk, a closed pipe, a terminal gone. Carries the OSError, and the
    file (`target`) when it was not standard output.

    Not an OSError itself, so nothing on the way up mistakes it for a file the tool could not read.
    """

    def __init__(self, error: OSError, target: str | None = None):
        super().__init__(str(error))
        self.error = error
        self.target = target


class _Stdout(io.TextIOWrapper):
    """Standard output whose failed writes raise `OutputError`."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as error:
            raise OutputError(error) from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as error:
            raise OutputError(error) from None


LOOKALIKE = "eenzaam.lookalike"  # the error handler for a terminal that cannot show a character
_LOOKALIKES = {"–": "-", "—": "-", "‑": "-", "−": "-", "…": "...", "≥": ">=", "≤": "<=", "×": "x", "·": "-",
               "•": "*", "→": "->", "‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
               "€": "EUR", "\u00a0": " ", "✓": "v", "✗": "x"}


def _lookalike(error: UnicodeError) -> tuple[str, int]:
    """'–' as '-', '…' as '...', 'é' as 'e' (without its accent), anything else as '?'."""
    import unicodedata

    assert isinstance(error, UnicodeEncodeError)
    out = []
    for char in error.object[error.start:error.end]:
        text = _LOOKALIKES.get(char) or unicodedata.normalize("NFKD", char)
        out.append(text.encode(error.encoding, "ignore").decode(error.encoding) or "?")
    return "".join(out), error.end


def setup_streams() -> None:
    """Standard output and error for a run of the tool (not for a test runner's captured streams).

    Files and pipes get UTF-8, whatever the locale or PYTHONIOENCODING says, so the output of one
    machine reads the same on another. A terminal keeps its own encoding; a character it cannot show
    becomes a look-alike ('–' as '-', 'é' as 'e') instead of stopping the run. Write failures on
    standard output raise `OutputError`.
    """
    stdout, stderr = sys.stdout, sys.stderr
    if stdout is not None and hasattr(stdout, "buffer") and not isinstance(stdout, _Stdout):
        stdout.flush()
        terminal = stdout.isatty()
        encoding = stdout.encoding if terminal else "utf-8"
        sys.stdout = _Stdout(stdout.buffer, encoding=encoding, errors=_errors(encoding), line_buffering=terminal)
    if stderr is not None and hasattr(stderr, "reconfigure") and not _is_utf8(stderr.encoding):
        if stderr.isatty():
            stderr.reconfigure(errors=_errors(stderr.encoding))
        else:
            stderr.reconfigure(encoding="utf-8", errors="backslashreplace")


def _is_utf8(encoding: str | None) -> bool:
    return (encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig", "cp65001")


def _errors(encoding: str) -> str:
    """Lone surrogates (from undecodable file names) become '?' in UTF-8; other encodings get look-alikes."""
    if _is_utf8(encoding):
        return "replace"
    import codecs

    try:
        codecs.lookup_error(LOOKALIKE)
    except LookupError:
        codecs.register_error(LOOKALIKE, _lookalike)
    return LOOKALIKE
