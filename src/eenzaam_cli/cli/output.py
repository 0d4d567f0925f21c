"""Output formats: one registry (`FORMATS`) for tables and streamed rows alike, and standard output.

Each format is one `OutputFormat` entry: its name; how it renders a `View` (titled sections of rows, and
the JSON document and CSV rows from `core.contract`), if it can; how it streams rows as they come
(`RowStream`: the header, a row at a time, the end), if it can; whether it is for people (labels in
--taal) and for a terminal; and the file suffix that chooses it for a report. Every command looks its
formats up here: the --format choices (`choices`), their help text (`spoken`), shell completion and the
message for an unknown format come from this registry, so a new format is one entry. `tabel` is a
Rich table (Rich is imported only here, and only for that format); `json`, `jsonl` and `csv` are the
stable contracts for scripts, with machine numbers (a decimal point) and the Dutch data keys;
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
import os
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..core.contract import cell as _cell  # a value in a table for people
from ..core.contract import to_json
from ..core.errors import InputError
from ..core.record import Record



class Column(Record):
    key: str
    header: str
    numeric: bool = False
    nowrap: bool = False  # identifiers and bars: each cell kept on one line (the header may wrap at spaces)
    grouped: bool = False  # in a table a value that repeats the row above is left blank (rows of one group);
    # a block per row (a narrow terminal) shows it in every block


class Section(Record):
    """A titled table (with optional lines of text above and notes below)."""

    title: str
    columns: Sequence[Column] = ()
    rows: Sequence[dict[str, Any]] = ()
    intro: Sequence[str] = ()
    notes: Sequence[str] = ()


def table_cells(section: Section, language: str, shown: Any = str, grouped: bool = True) -> list[list[str]]:
    """The section's cells as text for people, row by row; with `grouped`, a grouped column's value that repeats
    the row above is blank."""
    cells = [[shown(_cell(row.get(c.key), language)) for c in section.columns] for row in section.rows]
    if grouped and any(c.grouped for c in section.columns):
        for above, row in zip(cells[::-1][1:], cells[::-1]):  # bottom up, so each row compares with the original
            for index, column in enumerate(section.columns):
                if column.grouped and row[index] == above[index]:
                    row[index] = ""
    return cells


class View(Record):
    """What a command shows, for every format; a part may be given as a function that builds it, so that a
    big result builds only the part the chosen format shows (`part`)."""

    sections: Sequence[Section]
    data: Any = None  # the JSON document; defaults to the rows of the first section
    csv_fields: Sequence[str] | None = None  # CSV columns (keys of the first section's rows); default: its columns
    csv_section: int = 0  # which section's rows the CSV holds
    csv_rows: Sequence[dict[str, Any]] | None = None  # other rows for the CSV than that section's (e.g. without a total)


def render(view: View, fmt: str, language: str, raw_csv: bool = False) -> None:
    """A view on standard output in the format named `fmt` (one whose entry can render)."""
    FORMATS[fmt].render(view, language, raw_csv)


def part(value: Any) -> Any:
    """A part of a View as given, or built now when it was given as a function (only the format showing it asks)."""
    return value() if callable(value) else value


def _json(view: View, language: str, raw: bool) -> None:
    data = part(view.data)
    sys.stdout.write(to_json(data if data is not None else part(view.sections)[0].rows) + "\n")


def _csv(view: View, language: str, raw: bool) -> None:
    rows = part(view.csv_rows)
    section = part(view.sections)[view.csv_section] if view.csv_fields is None or rows is None else None
    keys = view.csv_fields or [column.key for column in section.columns]
    writerow = csv_writer(raw=raw)
    writerow(keys)
    for row in section.rows if rows is None else rows:
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


def verbatim(text: str, delimiter: str = ",", raw: bool = False) -> bool:
    """Whether `csv_writer` writes every cell of these lines as it is: lines of cells split at `delimiter`, with line
    ends (a CR only in one), no cell to quote and none that `neutralise` changes (a tab or a CR within a line says no
    at once)."""
    if '"' in text:
        return False
    body = text.replace("\r\n", "\n") if "\r" in text else text
    if "\r" in body or delimiter != "\t" and "\t" in body:
        return False
    if raw or not ("-" in body or "=" in body or "+" in body or "@" in body):
        return True
    return all(neutralise(cell) == cell for cell in _FORMULA_CELL[delimiter].findall("\n" + body))


class _FormulaCells(dict):
    """delimiter -> a pattern that finds each cell starting (after any quotes) as a formula may (FORMULA_START), in
    lines that follow a line end."""

    def __missing__(self, delimiter: str) -> Any:
        separator = re.escape(delimiter)
        self[delimiter] = re.compile(f"[\n{separator}]('*[-=+@][^\n{separator}]*)")
        return self[delimiter]


_FORMULA_CELL = _FormulaCells()


def csv_joiner(delimiter: str = ",", raw: bool = False) -> Any:
    """`join(cells)`: the cells as `csv_writer` writes them, each after the delimiter, without the row's end.

    A batch run makes the text of each cached part of its result cells once, with this, and appends it to
    the rows that share the part: so those cells are neutralised and quoted by the same rule as every cell.
    """
    buffer = io.StringIO()
    writerow = csv_writer(buffer, delimiter=delimiter, raw=raw)

    def join(cells: Sequence[str]) -> str:
        if not cells:
            return ""
        buffer.seek(0)
        buffer.truncate()
        writerow(["", *cells])  # an empty first cell: each cell after a delimiter, and one empty cell not quoted
        text = buffer.getvalue()[:-1]
        return text[text.index(delimiter):]  # from the first delimiter: after `` or, in a quoted row, `""`

    return join


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


def _markdown(view: View, language: str, raw: bool = False) -> None:
    out: list[str] = []
    for section in part(view.sections):
        out.append(f"## {markdown_text(section.title, line=True)}\n")
        if section.intro:
            out.extend([*(markdown_text(line, line=True) for line in section.intro), ""])
        if section.columns:
            out.append(markdown_row(c.header for c in section.columns))
            out.append("|" + "|".join("---:" if c.numeric else "---" for c in section.columns) + "|")
            out.extend(markdown_row(row) for row in table_cells(section, language))
            out.append("")
        out.extend(f"- {markdown_text(note, line=True)}" for note in section.notes)
        if section.notes:
            out.append("")
    sys.stdout.write("\n".join(out) + "\n")


# --- markdown: the one escape ------------------------------------------------------------------------

# Every line break markdown or a browser may honour: CR LF as one, then CR, LF, VT, FF, FS, GS, RS, NEL, LS, PS.
_LINE_BREAK = "\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"
_markdown_patterns: Any = None


def markdown_text(text: str, line: bool = False) -> str:
    """Text for markdown that stays what it is, on one line: a table cell, or (with `line`) text on a line.

    Every markdown writer of the tool passes each text it did not write itself through here (a file name,
    a band label from --data, an area, a column of the input): `<`, `>` and `&` are escaped, so no raw HTML
    lands; every line break becomes `<br>`, so a table row stays one row and a heading one heading; `|`
    becomes `\\|`, so a cell stays one cell. With `line` (text that starts a line: a heading, a line of text,
    a list item), a first character that could open a block (`#`, `-`, `+`, `*`, `=`, `_`, `` ` ``, `~`, `[`,
    a space, the `1` of `1.`) and a last `#` (which would close a heading) become character references; `<`, `&` and `|`
    are escaped already, and `<br>` opens none.
    """
    global _markdown_patterns
    if _markdown_patterns is None:
        _markdown_patterns = re.compile(_LINE_BREAK), re.compile(r"^(?:[\s#*+\-=_`~\[]|[0-9](?=[0-9]*[.)]))|#$")
    breaks, block = _markdown_patterns
    text = breaks.sub("<br>", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).replace("|", "\\|")
    return block.sub(lambda match: f"&#{ord(match.group())};", text) if line else text


def markdown_row(cells: Any) -> str:
    """One row of a markdown table, each cell through `markdown_text`."""
    return "| " + " | ".join(map(markdown_text, cells)) + " |"


EXPORT_WIDTH = 132  # characters: every exported picture has the same width, so slides are consistent


def export(view: View, language: str, svg: str | None = None, html: str | None = None,
           width: int = EXPORT_WIDTH) -> None:
    """Write the `tabel` picture of a view to SVG and/or HTML at a fixed width, for reports and slides."""
    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), highlight=False, color_system="truecolor")
    _rich(view, language, console=console)
    console.line()  # Rich's SVG clips its last line below the baseline (descenders, '_'): let that be an empty one
    sections = part(view.sections)
    title = sections[0].title if sections else "eenzaam"
    if svg:
        with OutputFile(svg) as target:
            target.write(console.export_svg(title=title, clear=False))
    if html:
        with OutputFile(html) as target:
            target.write(console.export_html(clear=False))


# --- HTML: the one page -------------------------------------------------------------------------------

_HTML_STYLE = ("body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}"
               "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;"
               "vertical-align:top}td.num,th.num{text-align:right}figure{margin:1.5em 0}figure svg{width:100%;height:auto}"
               ".bar{display:inline-block;height:.9em;background:#2a6f97;vertical-align:middle}"
               ".nat{display:inline-block;height:.9em;background:#aaa;vertical-align:middle}")


def html_page(title: str, body: Sequence[str], language: str) -> str:
    """The one HTML page the tool writes (the batch report, the pictures of `prevalentie`, `populatie` and `stapel`): a
    title, its style, and `body`, parts already made safe; `title` is escaped here."""
    from html import escape

    head = [f"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\">",
            f"<title>{escape(title)}</title>", f"<style>{_HTML_STYLE}</style></head><body>", f"<h1>{escape(title)}</h1>"]
    return "\n".join([*head, *body, "</body></html>"]) + "\n"


def html_sections(view: View, language: str) -> list[str]:
    """A view's sections as HTML: each title a heading, its lines paragraphs, its rows a real table; every
    text escaped."""
    from html import escape

    parts: list[str] = []
    for section in part(view.sections):
        parts.append(f"<h2>{escape(section.title)}</h2>")
        parts += [f"<p>{escape(line)}</p>" for line in section.intro]
        if section.columns:
            numeric = [' class="num"' if column.numeric else "" for column in section.columns]
            parts.append("<table><tr>" + "".join(f"<th{n}>{escape(c.header)}</th>"
                                                  for c, n in zip(section.columns, numeric)) + "</tr>")
            parts += ["<tr>" + "".join(f"<td{n}>{escape(value)}</td>" for value, n in zip(row, numeric)) + "</tr>"
                      for row in table_cells(section, language)]
            parts.append("</table>")
        parts += [f"<p><small>{escape(note)}</small></p>" for note in section.notes]
    return parts


# --- files the run writes ------------------------------------------------------------------------------

# How a written file is announced on stderr: in the --taal of the command that runs, not at all with its --stil
# (set by the callbacks of those options, cli/app.py; reset at the start of every run).
WRITTEN = {"language": "nl", "quiet": False}


class OutputFile:
    """A file the run writes (`-o`, `--fouten`, `--rapport`, `--svg`, `--html`, `data schema --uit`); `-`/None
    is standard output.

    A regular file, or a new one, is written under a temporary name in its folder and renamed onto it by
    `commit`, so an interrupted run leaves it as it was. An existing file keeps its mode, and its owner and
    group where the process may set them; a new one gets the mode of any new file (0666 less the umask).
    Through a symbolic link the file it points to is written, and the link stays. Anything else, a FIFO, a
    device, a socket, or a descriptor's name (/dev/stdout, /dev/fd/N, /proc/self/fd/N), is opened where it
    is and written as the run goes, like standard output: never replaced. Every failure, from opening to
    the rename, is an OutputError naming the file (exit 4). With `binary` the file takes bytes. A named file,
    once complete, is announced in one line on stderr (`eenzaam: geschreven: rapport.html`), unless --stil.
    """

    def __init__(self, path: str | None, binary: bool = False):
        self.path = None if path in (None, "-") else str(path)
        self.temporary: str | None = None
        self.stream: Any = sys.stdout
        if self.path is None:
            return
        try:
            self._open(self.path, binary)
        except OSError as error:
            raise OutputError(error, self.path) from None

    def _open(self, path: str, binary: bool) -> None:
        import errno
        import stat
        import tempfile

        try:
            self.status: os.stat_result | None = os.stat(path)
        except FileNotFoundError:  # a new file (or a link to one)
            self.status = None
        mode = "wb" if binary else "w"
        text = {} if binary else {"encoding": "utf-8", "newline": ""}
        if (self.status is not None and not stat.S_ISREG(self.status.st_mode)) or _descriptor(path):
            # appending: a descriptor's file that the shell opened for `>>` keeps what it holds
            self.stream = io.open(os.open(path, os.O_WRONLY | os.O_APPEND), mode, **text)
            return
        self.target = os.path.realpath(path)
        folder, name = os.path.split(self.target)
        if len(os.fsencode(name)) > os.pathconf(folder, "PC_NAME_MAX"):  # found before the run, not at the rename
            raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), path)
        handle, self.temporary = tempfile.mkstemp(prefix=".eenzaam-", suffix=".tmp", dir=folder)
        self.stream = io.open(handle, mode, **text)

    def write(self, data: Any) -> int:
        """Write to the file; a failure (a full disk) is an OutputError naming it (exit 4), not a bug."""
        try:
            return self.stream.write(data)
        except OSError as error:
            raise OutputError(error, self.path) from None

    def write_utf8(self, data: Any) -> None:
        """Write text given as UTF-8 bytes (a buffer): as they are where the stream writes UTF-8, else as text."""
        stream = self.stream
        try:
            if isinstance(stream, io.TextIOWrapper) and _is_utf8(stream.encoding) and hasattr(stream, "buffer"):
                stream.flush()
                stream.buffer.write(data)
            else:
                stream.write(bytes(data).decode("utf-8"))
        except OSError as error:
            raise OutputError(error, self.path) from None

    def commit(self) -> None:
        """Finish the file: rename a temporary file into place (mode and owner as described), or close the stream."""
        if self.path is None:
            return
        try:
            self.stream.close()
            if self.temporary is not None:
                self._settle(self.temporary)
                os.replace(self.temporary, self.target)
                self.temporary = None
        except OSError as error:
            self.abandon()
            raise OutputError(error, self.path) from None
        if not WRITTEN["quiet"]:
            from ..core.text import t

            shown = self.path if self.path.isprintable() else repr(self.path)  # one line, whatever the name holds
            sys.stderr.write(f"eenzaam: {t('written', WRITTEN['language'], path=shown)}\n")

    def _settle(self, temporary: str) -> None:
        """The mode, owner and group the file under the requested name had (mkstemp makes it private)."""
        import stat

        if self.status is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            return
        try:  # before chmod: a change of owner clears the set-id bits
            os.chown(temporary, self.status.st_uid, self.status.st_gid)
        except PermissionError:  # another user's file: it becomes ours, as any program writing it would make it
            pass
        os.chmod(temporary, stat.S_IMODE(self.status.st_mode))

    def abandon(self) -> None:
        """Stop without a result: remove the temporary file (a stream written in place stays as far as it got)."""
        if self.path is None:
            return
        try:
            self.stream.close()  # flushing may fail too (the disk is still full): the file goes either way
        except OSError:
            pass
        if self.temporary is not None:
            try:
                os.unlink(self.temporary)
            except OSError:
                pass
            self.temporary = None

    def __enter__(self) -> OutputFile:
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is None:
            self.commit()
        else:
            self.abandon()


_DESCRIPTOR: Any = None


def _descriptor(path: str) -> bool:
    """Whether `path` is, or links to, the name of an open file descriptor (/dev/stdout, /dev/fd/1, /proc/self/fd/1)."""
    global _DESCRIPTOR
    if _DESCRIPTOR is None:
        _DESCRIPTOR = re.compile(r"/proc/[^/]+/fd/[^/]+|/dev/fd/[^/]+")
    for _ in range(40):  # the kernel's own limit on links followed
        folder, name = os.path.split(os.path.abspath(path))
        here = os.path.join(os.path.realpath(folder), name)
        if _DESCRIPTOR.fullmatch(here):
            return True
        if not os.path.islink(here):
            return False
        path = os.path.join(os.path.dirname(here), os.readlink(here))
    return False


def check_outputs(outputs: Sequence[tuple[str, str | None]], inputs: Sequence[tuple[str, str | None]] = (),
                  data: Sequence[Any] | None = None) -> None:
    """Refuse, before anything is read or written, an output that is a folder or the same file as an input,
    one of the `--data` paths or another output: the same path written another way, a symbolic link or a
    hard link to it.

    Each item is (option, path); None and `-` (standard input or output) are left out.
    """

    from ..core.errors import InputError

    seen: list[tuple[str, str, tuple[Any, ...]]] = []
    for option, path in [*inputs, *(("--data", item) for item in data or ())]:
        if path is not None and str(path) != "-":
            seen.append((option, str(path), _identity(str(path))))
    for option, path in outputs:
        if path is None or path == "-":
            continue
        if path.endswith(os.sep) or os.path.isdir(path):
            raise InputError(f"{option}: {path!r} is een map; geef een bestandsnaam")
        identity = _identity(path)
        for other, other_path, other_identity in seen:
            if identity == other_identity:
                raise InputError(f"{option}: {path!r} is hetzelfde bestand als {other} ({other_path!r}); "
                                 "kies een ander bestand")
        seen.append((option, path, identity))


def _identity(path: str) -> tuple[Any, ...]:
    """A file that exists by its device and inode; a new one by its resolved path."""
    try:
        status = os.stat(path)
    except OSError:
        return ("new", os.path.realpath(path))
    return ("file", status.st_dev, status.st_ino)


def _rich(view: View, language: str, raw: bool = False, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or _console(Console)
    width, shown = console.width, _shown(console.encoding)
    for index, section in enumerate(part(view.sections)):
        if index:
            console.print()
        headers = [shown(column.header) for column in section.columns]
        cells = table_cells(section, language, shown)
        widths = column_widths(width, section.columns, headers, cells) if section.columns else None
        as_list = bool(section.columns) and widths is None
        if not section.columns or section.intro or as_list:
            console.print(Text(shown(section.title), style="bold"))
        for line in section.intro:
            console.print(Text(shown(line)))
        if as_list:
            _rows_as_list(console, headers, table_cells(section, language, shown, grouped=False))
        elif widths is not None:
            table = Table(title=None if section.intro else Text(shown(section.title), style="bold"),
                          title_justify="left")
            for column, header, size in zip(section.columns, headers, widths):
                table.add_column(Text(header), justify="right" if column.numeric else "left", width=size)
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


def _console(console_class: Any) -> Any:
    """A Console for `tabel` at the terminal's width; a width of 0 counts as unknown, below 20 as 20."""
    console = console_class(highlight=False)
    if console.width >= MIN_WIDTH:
        return console
    import shutil

    width = console.width if console.width > 0 else shutil.get_terminal_size().columns
    return console_class(highlight=False, width=max(width, MIN_WIDTH))


def terminal_width() -> int:
    """The width `tabel` lays its tables out at on this terminal (what a view drawn to fit it may use)."""
    from rich.console import Console

    return _console(Console).width


_WORD: Any = None


def column_widths(width: int, columns: Sequence[Column], headers: list[str], cells: list[list[str]]) -> list[int] | None:
    """The width of each column's text in a table of these cells `width` characters wide (with Rich's lines and
    padding), such that no word is broken: each column at least as wide as its longest word (a `nowrap` column as
    its longest cell), at most as wide as its longest line, the widest narrowed first. None when even
    the longest words do not fit side by side: the table is then shown as one block per row."""
    global _WORD
    from rich.cells import cell_len

    if _WORD is None:
        _WORD = re.compile(r"\s*\S+\s*")  # as Rich divides a line: a word with the spaces around it
    least, most = [], []
    for index, column in enumerate(columns):
        lines = [line for text in (headers[index], *(row[index] for row in cells)) for line in text.splitlines()]
        most.append(max([1, *map(cell_len, lines)]))  # an empty column is still one character wide
        words = [cell_len(word.rstrip()) for line in lines for word in _WORD.findall(line)]
        if column.nowrap:
            words += [cell_len(line) for row in cells for line in row[index].splitlines()]
        least.append(max(words, default=0))
    room = width - 3 * len(columns) - 1  # a line left of each column, one at the end, a space either side of each
    if sum(least) > room:
        return None
    if sum(most) <= room:
        return most
    low, high = 0, max(most)  # the widest a column may stay: the largest cap at which the table fits
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(floor, min(top, cap)) for floor, top in zip(least, most)) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [max(floor, min(top, low)) for floor, top in zip(least, most)]
    for index, top in enumerate(most):  # what is left over: a character more for the first narrowed columns
        if sum(widths) < room and widths[index] < top:
            widths[index] += 1
    return widths


def fits_as_blocks(width: int, headers: list[str], cells: list[list[str]]) -> bool:
    """Whether every line `_rows_as_list` shows for these cells is at most `width` wide."""
    from rich.cells import cell_len

    for row in cells:
        for header, value in zip(headers, row):
            label = cell_len(f"{header}: ".splitlines()[-1] if header else "")
            if max(map(cell_len, value.splitlines() or [""])) + label > width:
                return False
    return True


def _rows_as_list(console: Any, headers: list[str], cells: list[list[str]]) -> None:
    """A table too wide for the terminal: one block of `header: value` lines per row; a value of several lines
    has each under its first (two years' bars under each other)."""
    from rich.cells import cell_len
    from rich.text import Text

    for index, row in enumerate(cells):
        if index:
            console.print()
        for header, value in zip(headers, row):
            if not header:
                console.print(Text(value))
                continue
            label = f"{header}: "
            indent = " " * cell_len(label.splitlines()[-1])
            console.print(Text.assemble((label, "bold"), value.replace("\n", "\n" + indent)))


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


class _Stderr(io.TextIOWrapper):
    """Standard error that never fails the run: a message it cannot take (a closed pipe, a full disk) is dropped,
    and so is everything after it."""

    broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                super().write(text)
            except (OSError, ValueError):
                self.broken = True
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                super().flush()
            except (OSError, ValueError):
                self.broken = True


class _NoStderr(io.TextIOBase):
    """Standard error when the process was started without one (`2>&-`): every message is dropped."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


def setup_streams() -> None:
    """Standard output and error for a run of the tool (not for a test runner's captured streams).

    Files and pipes get UTF-8, whatever the locale or PYTHONIOENCODING says, so the output of one
    machine reads the same on another. A terminal keeps its own encoding; a character it cannot show
    becomes a look-alike ('–' as '-', 'é' as 'e') instead of stopping the run. Write failures on
    standard output raise `OutputError`. Standard error never fails: a message that cannot be shown
    (stderr closed, a full disk, a reader gone) is dropped, and the run ends as it would have.
    """
    stdout, stderr = sys.stdout, sys.stderr
    if stdout is not None and hasattr(stdout, "buffer") and not isinstance(stdout, _Stdout):
        stdout.flush()
        terminal = stdout.isatty()
        encoding = stdout.encoding if terminal else "utf-8"
        sys.stdout = _Stdout(stdout.buffer, encoding=encoding, errors=_errors(encoding), line_buffering=terminal)
    if stderr is None:
        sys.stderr = _NoStderr()
    elif hasattr(stderr, "buffer") and not isinstance(stderr, (_Stderr, _NoStderr)):
        try:
            stderr.flush()
            terminal = stderr.isatty()
        except (OSError, ValueError):
            terminal = False
        if terminal and not _is_utf8(stderr.encoding):
            encoding, errors = stderr.encoding, _errors(stderr.encoding)
        else:
            encoding, errors = "utf-8", "backslashreplace"
        sys.stderr = _Stderr(stderr.buffer, encoding=encoding, errors=errors, line_buffering=True)


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


# --- the registry of formats ---------------------------------------------------------------------------


class RowStream:
    """Rows written as they come, in one format: the header when made, `row(values)` for each row (its values in
    the order of `fields`) or `record(mapping)` (a dict with those keys), `end()` after the last. Nothing is kept,
    so a stream of any length runs in flat memory.

    Options a stream may use: `delimiter` and `raw` (no `neutralise`) for delimited text, `compact` for one line
    per row where the format has a choice (JSON). `typed`: the values keep their types (numbers, null); otherwise
    each is written as text (`csv_text`). `joiner`: for delimited text, a `csv_joiner` that makes the text of cells
    once for many rows (`batch`).
    """

    typed = False
    joiner: Any = None

    def __init__(self, out: Any, fields: Sequence[str], **options: Any):
        self.out, self.fields = out, list(fields)

    def row(self, values: Any) -> None:
        raise NotImplementedError

    def record(self, mapping: dict[str, Any]) -> None:
        self.row(map(mapping.get, self.fields))

    def end(self) -> None:
        pass


class _CsvRows(RowStream):
    joiner = staticmethod(csv_joiner)

    def __init__(self, out: Any, fields: Sequence[str], *, delimiter: str = ",", raw: bool = False, **options: Any):
        super().__init__(out, fields)
        self.row = writerow = csv_writer(out, delimiter=delimiter, raw=raw)  # type: ignore[method-assign]
        self.record = lambda mapping: writerow(map(mapping.get, fields))  # type: ignore[method-assign]
        writerow(self.fields)


class _JsonRows(RowStream):
    """A JSON array, written one element at a time; each element on its own lines, indented."""

    typed = True

    def __init__(self, out: Any, fields: Sequence[str], *, compact: bool = False, **options: Any):
        super().__init__(out, fields)
        self.encode = _compact_json() if compact else to_json
        self.before = "\n  "  # the first element; then a comma before each
        out.write("[")

    def row(self, values: Any) -> None:
        self.record(dict(zip(self.fields, values)))

    def record(self, mapping: dict[str, Any]) -> None:
        self.out.write(self.before + self.encode(mapping).replace("\n", "\n  "))
        self.before = ",\n  "

    def end(self) -> None:
        self.out.write("\n]\n")


class _JsonLines(RowStream):
    """One JSON object per line."""

    typed = True

    def __init__(self, out: Any, fields: Sequence[str], **options: Any):
        super().__init__(out, fields)
        self.encode = _compact_json()

    def row(self, values: Any) -> None:
        self.record(dict(zip(self.fields, values)))

    def record(self, mapping: dict[str, Any]) -> None:
        self.out.write(self.encode(mapping) + "\n")


class _MarkdownRows(RowStream):
    def __init__(self, out: Any, fields: Sequence[str], **options: Any):
        super().__init__(out, fields)
        out.write(markdown_row(self.fields) + "\n|" + "---|" * len(self.fields) + "\n")

    def row(self, values: Any) -> None:
        self.out.write(markdown_row(map(csv_text, values)) + "\n")


MAX_XLSX_ROWS = 1_048_575  # a worksheet's rows (Excel's own limit) less the header
MAX_SAV_ROWS = 100_000  # rows of a .sav, which is written whole from a data frame at the end (memory grows with it)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot hold


class _XlsxRows(RowStream):
    """The rows as a workbook, streamed: openpyxl's write-only mode keeps rows in a temporary file, not in memory.

    The input cells are text cells, as read (never a formula); the result cells numbers where they are numbers.
    """

    typed = True

    def __init__(self, out: Any, fields: Sequence[str], *, path: str | None = None, **options: Any):
        super().__init__(out, fields)
        openpyxl = require_extra("excel", f"--uitvoer {path}")
        self.path = path
        self.workbook = openpyxl.Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("eenzaam")
        self.cell = openpyxl.cell.WriteOnlyCell
        self.count = 0
        self.sheet.append(self._cells(self.fields))

    def _cells(self, values: Any) -> list[Any]:
        out: list[Any] = []
        for value in values:
            if isinstance(value, str):
                value = _ILLEGAL.sub("", value)
                if value.startswith("="):  # a text cell: the value setter would make it a formula
                    cell = self.cell(self.sheet, value=value)
                    cell.data_type = "s"
                    value = cell
                value = value or None
            out.append(value)
        return out

    def row(self, values: Any) -> None:
        self.count += 1
        if self.count > MAX_XLSX_ROWS:
            raise InputError(f"--uitvoer {self.path}: meer dan {MAX_XLSX_ROWS:,} rijen passen niet in een werkblad "
                             "(de grens van Excel); schrijf CSV (-o uit.csv)".replace(",", "."))
        self.sheet.append(self._cells(values))

    def end(self) -> None:
        try:
            self.workbook.save(self.out.stream)
        except OSError as error:
            raise OutputError(error, self.out.path) from None


class _SavRows(RowStream):
    """The rows as an SPSS file. pyreadstat writes a .sav from a whole data frame, so the rows are kept until the
    end, at most MAX_SAV_ROWS of them. A column whose every cell is a plain number (as written, in the input's
    dialect) is numeric, any other a string; names SPSS does not take are made valid, the name as read becomes the
    variable's label. `labels`: value labels per column (the tier and the De Jong Gierveld category)."""

    typed = True

    def __init__(self, out: Any, fields: Sequence[str], *, path: str | None = None, delimiter: str = ",",
                 labels: dict[str, dict[Any, str]] | None = None, **options: Any):
        super().__init__(out, fields)
        self.path, self.labels = path, labels or {}
        self.number = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:" + ("," if delimiter != "," else r"\.")
                                 + r"[0-9]{0,14}[1-9])?")
        self.rows: list[list[Any]] = []

    def row(self, values: Any) -> None:
        if len(self.rows) >= MAX_SAV_ROWS:
            raise InputError(f"--uitvoer {self.path}: meer dan {MAX_SAV_ROWS:,} rijen schrijft eenzaam niet als "
                             ".sav (het bestand wordt in één keer in het geheugen opgebouwd); schrijf CSV "
                             "(-o uit.csv) of .xlsx".replace(",", "."))
        self.rows.append(list(values))

    def _column(self, index: int) -> list[Any]:
        """A column's values: numbers (NaN for empty) or texts."""
        values = [row[index] for row in self.rows]
        codes = self.labels.get(self.fields[index], {})
        if any(isinstance(code, str) for code in codes) or any(
                isinstance(v, str) and v and not self.number.fullmatch(v) for v in values):
            return ["" if v is None else str(v) for v in values]
        return [float("nan") if v is None or v == "" else float(v.replace(",", ".") if isinstance(v, str) else v)
                for v in values]

    def end(self) -> None:
        import tempfile

        import pandas
        import pyreadstat

        header = self.fields
        names = _spss_names(header)
        frame = pandas.DataFrame({name: self._column(i) for i, name in enumerate(names)}, columns=names)
        self.rows = []
        labels = {names[header.index(c)]: codes for c, codes in self.labels.items() if c in header}
        with tempfile.TemporaryDirectory(prefix="eenzaam-") as folder:
            written = os.path.join(folder, "uit.sav")
            try:
                pyreadstat.write_sav(frame, written, column_labels={n: c for n, c in zip(names, header) if n != c},
                                     variable_value_labels=labels)
            except pyreadstat.PyreadstatError as error:
                raise InputError(f"--uitvoer {self.path}: pyreadstat kan dit niet als SPSS-bestand schrijven: {error}")
            with open(written, "rb") as made:
                while block := made.read(1 << 20):
                    self.out.write(block)


_SPSS_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}


def _spss_names(header: Sequence[str]) -> list[str]:
    """Variable names SPSS takes (a letter first, then letters, digits and _ . @ # $; at most 64 bytes), unique."""
    names: list[str] = []
    used: set[str] = set()
    for column in header:
        name = re.sub(r"[^\w.@#$]", "_", column.strip(), flags=re.ASCII).rstrip(".") or "v"
        if not name[0].isalpha() and name[0] not in "@#$" or name.upper() in _SPSS_RESERVED:
            name = "v_" + name
        name, base, number = name[:64], name[:60], 2
        while name.lower() in used:
            name, number = f"{base}_{number}", number + 1
        used.add(name.lower())
        names.append(name)
    return names


def require_extra(extra: str, what: str) -> Any:
    """The library of an optional extra ('excel', 'spss'; for writing a .sav also pandas), or InputError naming it."""
    from ..core.files.formats import require

    library = require(extra, what)
    if extra == "spss":
        try:
            import pandas  # noqa: F401 - pyreadstat writes a .sav from a data frame
        except ImportError:
            raise InputError(f"{what}: een SPSS-bestand (.sav) schrijven vraagt het pakket pandas, dat niet "
                             "geïnstalleerd is; installeer het met: pip install 'eenzaam[spss]'") from None
    return library


def _compact_json() -> Any:
    """JSON on one line, as `to_json` refuses NaN and infinity."""
    import functools
    import json

    return functools.partial(json.dumps, ensure_ascii=False, allow_nan=False)


class OutputFormat(Record):
    """One output format, all that commands need to know of it."""

    name: str
    render: Any = None  # (view, language, raw_csv) -> None: a View on standard output; None: it shows no tables
    rows: type[RowStream] | None = None  # its RowStream; None: it cannot stream rows
    people: bool = False  # for people: labels, yes and no in --taal (else machine values and the Dutch keys)
    terminal: bool = False  # for a terminal: the default there (`djg --invoer`), the only one of `stapel --interactief`
    suffix: str | None = None  # the file suffix that chooses it (`batch -o`, `batch --rapport`)
    binary: bool = False  # written as bytes: only to a file (`batch -o`), never to standard output
    extras: tuple[str, ...] = ()  # the optional extras it needs (`pip install 'eenzaam[excel]'`)


# In the order the choices are listed (a command's default first). Each render is looked up when called.
FORMATS: dict[str, OutputFormat] = {form.name: form for form in (
    OutputFormat("tabel", lambda view, language, raw: _rich(view, language), people=True, terminal=True),
    OutputFormat("jsonl", rows=_JsonLines, suffix=".jsonl"),
    OutputFormat("json", lambda view, language, raw: _json(view, language, raw), _JsonRows, suffix=".json"),
    OutputFormat("csv", lambda view, language, raw: _csv(view, language, raw), _CsvRows, suffix=".csv"),
    OutputFormat("markdown", lambda view, language, raw: _markdown(view, language, raw), _MarkdownRows, people=True,
                 suffix=".md"),
    OutputFormat("html", suffix=".html"),
    OutputFormat("xlsx", rows=_XlsxRows, suffix=".xlsx", binary=True, extras=("excel",)),
    OutputFormat("sav", rows=_SavRows, suffix=".sav", binary=True, extras=("spss",)),
)}


def choices(test: Any, default: str) -> tuple[str, ...]:
    """The names of the formats that pass `test`, `default` first: the values an option allows."""
    return (default, *(name for name, form in FORMATS.items() if test(form) and name != default))


def streams(form: OutputFormat) -> bool:
    """A format of `batch -o`: it streams rows for scripts (a binary one only to a file)."""
    return form.rows is not None and not form.people


def tables(form: OutputFormat) -> bool:
    """A format of the shared --format: it renders a View."""
    return form.render is not None


def spoken(names: Sequence[str], note: str | None = None) -> str:
    """'tabel (standaard), json, csv of markdown': names for a help text or a message, the first with `note`."""
    listed = [f"{names[0]} ({note})" if note else names[0], *names[1:]]
    return ", ".join(listed[:-1]) + " of " + listed[-1] if len(listed) > 1 else listed[0]
