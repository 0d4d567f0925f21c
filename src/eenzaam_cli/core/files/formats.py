"""SPSS (.sav) and Excel (.xlsx) files read as tables, through the optional extras.

`tabular.open_table` hands a file to this module by its extension, so every command that
reads a table (`batch`, `djg --invoer`, `populatie`, a monitor table given with `--data`)
reads these too, through the same interface as a CSV file: a header, rows of text keyed by
column, a dialect with a decimal point, `number`, and `position` for a progress bar.

- SPSS through pyreadstat (`pip install 'eenzaam[spss]'`), read in chunks of at most
  `CHUNK_CELLS` cells (one case when a case has more; at most `MAX_COLUMNS` variables), so
  the memory stays flat however many cases or variables the file has. A column
  with value labels gives each code its label: `3` with the label `ja` is read as `ja`, and
  then the usual forgiving matching applies. In a nominal or ordinal column a code without a
  label is a problem of its row, naming the column and the code; in a scale column (an age
  with a label only for 999 'weigert') a code without a label stays the number. SPSS's own
  missing values (system-missing, and the user-missing values the file declares) are empty.
- Excel through openpyxl (`pip install 'eenzaam[excel]'`) in read-only mode, which streams
  the rows of the first worksheet. Formulas are never computed: a cell holds the value the
  spreadsheet saved with it; a formula without one is a problem of its row. Every part of the
  file that openpyxl reads whole (the table of shared texts, styles) is bounded by `MAX_PART`
  bytes unpacked, and every part is streamed once before openpyxl opens the file (`_Scan`):
  at most `MAX_COLUMNS` cells in a row, `MAX_ROWS` rows in order, `MAX_TEXTS` shared texts.

A number (45.0 from either) is written as the number it is (`45`), to at most 15 significant
digits, as a spreadsheet shows it. Without the extra a file of that kind is refused with one
line naming the extra to install (`MissingExtra`, exit 2, also for a monitor table).
"""

from __future__ import annotations

import datetime
import importlib
import os
import re
from array import array
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import InputError
from .reading import MIB, ReadError, label, open_binary, os_problem
from .table import BATCH_LINES, Batch, Dialect, RowError, check_header, plain_number

SPSS = (".sav", ".zsav")
EXCEL = (".xlsx", ".xlsm")
_ELSEWHERE = {  # formats that are not read, with what to do instead
    ".xls": "een .xls-bestand (Excel 97-2003) wordt niet gelezen; sla het op als .xlsx of als CSV (UTF-8)",
    ".ods": "een .ods-bestand wordt niet gelezen; sla het op als .xlsx of als CSV (UTF-8)",
}
CHUNK_CELLS = 200_000  # cells of an SPSS file read at once (about 20 MiB as Python objects)
MAX_COLUMNS = 16_384  # cells of one row: an .xlsx sheet's columns (Excel's own limit, XFD), an SPSS file's variables
MAX_ROWS = 1_048_576  # rows of an .xlsx sheet (Excel's own limit)
MAX_TEXTS = 2_000_000  # shared texts of an .xlsx, which openpyxl keeps whole (about 100 bytes each)
MAX_PART = 256 * MIB  # unpacked bytes of a part of an .xlsx that is read whole (shared texts, styles, …)
DECIMAL_POINT = Dialect(",")  # numbers from SPSS and Excel are numbers: a decimal point; CSV output uses `,`


class MissingExtra(InputError):
    """A file needs an optional extra that is not installed. Not a ReadError: a monitor table in this
    format is not invalid reference data (exit 3) but a tool that cannot read it yet (exit 2)."""


def kind(path: str | Path) -> str | None:
    """'spss', 'excel' or 'elsewhere' by the file's extension; None for a text (CSV) file or `-`."""
    if str(path) == "-":
        return None
    suffix = Path(path).suffix.lower()
    return "spss" if suffix in SPSS else "excel" if suffix in EXCEL else "elsewhere" if suffix in _ELSEWHERE else None


def require(extra: str, file: str) -> Any:
    """The library behind `extra` ('spss', 'excel' or 'grafiek'), or MissingExtra naming what to install."""
    module, what = {"spss": ("pyreadstat", "een SPSS-bestand (.sav)"),
                    "excel": ("openpyxl", "een Excel-bestand (.xlsx)"),
                    "grafiek": ("matplotlib", "een afbeelding")}[extra]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{file}: {what} vraagt het pakket {module}, dat niet geïnstalleerd is; installeer het "
                           f"met: pip install 'eenzaam[{extra}]'") from None


@contextmanager
def open_cells(path: str | Path, *, max_bytes: int | None = None) -> Iterator[CellTable]:
    """Open an SPSS or Excel file as a table (see the module's docstring); `tabular.open_table` calls this."""
    name = label(path)
    found = kind(path)
    if found == "elsewhere":
        raise ReadError(name, None, _ELSEWHERE[Path(path).suffix.lower()])
    binary, _ = open_binary(path)  # the same words as for a CSV file: no such file, a folder, no read permission
    binary.close()
    size = _size(path, name)
    if max_bytes is not None and size > max_bytes:
        raise ReadError(name, None, f"is groter dan {max_bytes // MIB} MiB, de grens voor gegevensbestanden")
    if found == "spss":
        table = _spss(path, name, size)
    else:
        table = _excel(path, name, size, max_bytes)
    try:
        yield table
    finally:
        table.close()


def _size(path: str | Path, name: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError as error:
        raise ReadError(name, None, os_problem(Path(path), error)) from None


# --- the table ----------------------------------------------------------------------------------------


class CellTable:
    """A table of cells: the interface of `tabular.TableReader`, the rows as text.

    `cells` yields (row number, [value per column], problem or None); the row number is the
    case number in SPSS and the row number in Excel, as each program shows it.
    """

    def __init__(self, file: str, header: list[str], cells: Iterator[tuple[int, list[str], RowError | None]],
                 position: Callable[[], int], close: Callable[[], None] = lambda: None):
        self.file, self.header, self.dialect = file, header, DECIMAL_POINT
        self._cells, self._position, self.close = cells, position, close
        self.labels: dict[str, dict[str, str]] = {}  # SPSS: column -> {code as text: its value label}

    def number(self, text: str) -> Decimal | None:
        """The same numbers as a CSV file with a decimal point (see `table.plain_number`)."""
        return plain_number(text, self.dialect.decimal_comma)

    def position(self) -> int:
        """How much of the file has been read, in bytes (estimated from the rows read), for a progress bar."""
        return self._position()

    def rows(self, *, empty_ok: bool = False, keep_going: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, {column: text}) for every row with a value; as `TableReader.rows`."""
        header = self.header
        for number, values in self.records(empty_ok=empty_ok, keep_going=keep_going):
            yield number, values if isinstance(values, RowError) else dict(zip(header, values))  # type: ignore[misc]

    def batches(self, *, empty_ok: bool = False, keep_going: bool = False,
                blocks_after: int | None = None) -> Iterator[Batch]:
        """`records`, some rows at a time; as `TableReader.batches` (never in blocks: the cells are read one by one)."""
        records = self.records(empty_ok=empty_ok, keep_going=keep_going)
        while chunk := list(islice(records, BATCH_LINES)):
            numbers, rows = zip(*chunk)
            yield Batch(numbers, list(rows), None)

    def records(self, *, empty_ok: bool = False, keep_going: bool = False) -> Iterator[tuple[int, list[str]]]:
        """(row number, [text per column]) for every row with a value; as `TableReader.records`.

        A row's problem (a code without a label, a value in a column without a name) raises
        RowError; with `keep_going` it is yielded in place of the row and reading goes on.
        """
        count = 0
        for number, values, problem in self._cells:
            if problem is None and not any(map(str.strip, values)):
                continue  # an empty row, as a line of only separators in a CSV file
            count += 1
            if problem is None:
                yield number, values
            elif keep_going:
                yield number, problem  # type: ignore[misc]
            else:
                raise problem
        if not count and not empty_ok:
            raise RowError(self.file, None, "bevat geen rijen, alleen een kopregel")


def text(value: Any) -> str:
    """A cell as the text a CSV file would hold: 45.0 as 45, a date as 2024-03-01, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if hasattr(value, "item"):  # a NumPy scalar from an older pyreadstat
        return text(value.item())
    return str(value)


def number_text(value: float) -> str:
    """A float as a plain decimal: 45.0 -> '45', 0.30000000000000004 -> '0.3', NaN (missing) -> ''."""
    if value != value:
        return ""
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"  # not a number to the readers: named where it is used
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    shown = format(Decimal(format(value, ".15g")), "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


# --- SPSS ---------------------------------------------------------------------------------------------


def _spss(path: str | Path, name: str, size: int) -> CellTable:
    pyreadstat = require("spss", name)

    def read(**options: Any) -> tuple[Mapping[str, Any], Any]:
        try:
            return pyreadstat.read_sav(os.fspath(path), output_format="dict", user_missing=False,
                                       apply_value_formats=False, **options)
        except Exception as error:  # noqa: BLE001 - the library's errors become one line naming the file
            raise ReadError(name, None, f"is geen leesbaar SPSS-bestand ({_reason(error)})") from None

    _, meta = read(metadataonly=True)
    header = [str(column).strip() for column in meta.column_names]
    if not header:
        raise ReadError(name, None, "het SPSS-bestand heeft geen variabelen")
    check_header(header, name)
    labels = {column: codes for column, codes in (meta.variable_value_labels or {}).items() if codes}
    measures = meta.variable_measure or {}
    columns = [_Column(name, column, labels.get(column), strict=measures.get(column) != "scale")
               for column in meta.column_names]
    if len(header) > MAX_COLUMNS:
        raise ReadError(name, None, f"het SPSS-bestand heeft {len(header)} variabelen, meer dan {MAX_COLUMNS}, de "
                                    "grens voor de cellen van één rij")
    total = meta.number_rows or 0
    chunk = max(1, CHUNK_CELLS // len(header))  # rows: a chunk holds at most CHUNK_CELLS cells (or one row)
    done = [0]

    def cells() -> Iterator[tuple[int, list[str], RowError | None]]:
        offset = 0
        while True:
            data, _ = read(row_offset=offset, row_limit=chunk)
            problems: dict[int, RowError] = {}  # per row, the problem of its first column that has one
            shown = [column.texts(data[column.name], offset, problems) for column in columns]
            count = len(shown[0])
            for index, values in enumerate(zip(*shown)):
                done[0] = offset + index + 1
                yield done[0], list(values), problems.get(index)
            offset += count
            if count < chunk:
                return

    table = CellTable(name, header, cells(), lambda: size * done[0] // total if total else 0)
    table.labels = {str(column).strip(): {text(code): label_text for code, label_text in codes.items()}
                    for column, codes in labels.items()}
    return table


class CodeError(RowError):
    """A code in a labelled SPSS column that has no label; `value` is the code as text."""

    def __init__(self, file: str, line: int, column: str, value: str, message: str):
        super().__init__(file, line, message, column)
        self.value = value


class _Column:
    """One SPSS variable: its values of a chunk as text, a labelled code as its label.

    A column is converted as a whole (a dictionary look-up per value, each distinct number
    formatted once per chunk), which keeps reading far below the cost of profiling a row.
    """

    def __init__(self, file: str, name: str, codes: Mapping[Any, str] | None, strict: bool):
        self.file, self.name, self.strict = file, name, strict
        self.labels = {code: str(label_text) for code, label_text in (codes or {}).items()}
        listing = ", ".join(f"{text(code)}={label_text}" for code, label_text in list(self.labels.items())[:12])
        self.listing = listing + (", …" if len(self.labels) > 12 else "")

    def texts(self, values: Any, offset: int, problems: dict[int, RowError]) -> list[str]:
        """The chunk's values as text; a code without a label adds its row's problem (unless one is there)."""
        if not self.labels:
            memo: dict[Any, str] = {}
            return [value if type(value) is str else "" if value is None else memo[value] if value in memo
                    else memo.setdefault(value, text(value)) for value in values]
        found: dict[Any, str | None] = {None: "", "": "", **self.labels}
        out = [found[v] if v in found else None for v in values]
        for index, shown in enumerate(out):
            if shown is not None:
                continue
            value = values[index]
            written = text(value)
            if not written or not self.strict:
                out[index] = written
                if value == value:  # not NaN: the same value again needs no formatting
                    found[value] = written
                continue
            out[index] = written
            if index not in problems:
                problems[index] = CodeError(
                    self.file, offset + index + 1, self.name, written,
                    f"code {written!r} heeft geen waardelabel in het SPSS-bestand (labels: {self.listing}); geef de "
                    "code een label, of maak haar een ontbrekende waarde")
        return out


def _reason(error: Exception) -> str:
    words = " ".join(str(error).split()) or type(error).__name__
    return words[:200]


# --- Excel --------------------------------------------------------------------------------------------


def _excel(path: str | Path, name: str, size: int, max_bytes: int | None) -> CellTable:
    openpyxl = require("excel", name)
    import warnings
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            for part in parts:
                if part.file_size > MAX_PART and not part.filename.startswith("xl/worksheets/"):
                    raise ReadError(name, None, f"het onderdeel {part.filename} is uitgepakt groter dan "
                                                f"{MAX_PART // MIB} MiB, de grens voor onderdelen die in hun geheel "
                                                "gelezen worden")
            unpacked = sum(part.file_size for part in parts)
            if max_bytes is not None and unpacked > max_bytes:
                raise ReadError(name, None, f"is uitgepakt groter dan {max_bytes // MIB} MiB, de grens voor "
                                            "gegevensbestanden")
            scans = {part.filename: _scan(archive, part.filename, name) for part in parts}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(name, None, "is geen geldig .xlsx-bestand (geen zip-archief; is het met een wachtwoord "
                                    "beveiligd, of een ander bestand met de naam .xlsx?)") from None
    # openpyxl warns about parts it does not keep (data validation, …): never a second line on stderr
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # noqa: BLE001 - the library's errors become one line naming the file
        raise ReadError(name, None, f"is geen leesbaar .xlsx-bestand ({_reason(error)})") from None
    try:
        if not workbook.worksheets:
            raise ReadError(name, None, "het werkboek heeft geen werkblad")
        sheet = workbook.worksheets[0]
        unsaved = scans[sheet._worksheet_path].unsaved  # the part openpyxl streams the rows from (no public name)
        declared = sheet.max_row if isinstance(sheet.max_row, int) else 0
        sheet.reset_dimensions()  # rows as far as they hold cells, not as far as the file claims
        rows = _excel_rows(sheet, name)
        first = next(rows, None)
        if first is not None and (problem := unsaved(1, [])) is not None:
            raise problem
        if first is None or not any(text(v).strip() for v in first[1]):
            raise ReadError(name, 1, "het werkblad is leeg (een kopregel met kolomnamen ontbreekt)" if first is None
                            else "de eerste rij is leeg; die moet de kolomnamen geven")
        header = [text(value).strip() for value in first[1]]
        while header and not header[-1]:
            header.pop()
        check_header(header, name)
    except BaseException:
        workbook.close()
        raise
    done = [0]

    def cells() -> Iterator[tuple[int, list[str], RowError | None]]:
        width = len(header)
        for number, values in rows:
            done[0] = number
            shown = [text(value) for value in values]
            problem = unsaved(number, header)
            if problem is not None:
                yield number, shown[:width] + [""] * (width - len(shown)), problem
                continue
            extra = next((i for i in range(width, len(shown)) if shown[i].strip()), None)
            if extra is not None:
                yield number, shown[:width], RowError(
                    name, number, f"cel {_letter(extra)}{number} heeft een waarde, maar kolom {_letter(extra)} heeft "
                                  "geen naam in rij 1; geef de kolom een naam of maak de cel leeg")
                continue
            yield number, shown[:width] + [""] * (width - len(shown)), None

    return CellTable(name, header, cells(), lambda: size * done[0] // declared if declared > 1 else 0,
                     workbook.close)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "  # openpyxl reads only this namespace
_ROW, _CELL, _FORMULA, _VALUE, _SHARED = (_MAIN + tag for tag in ("row", "c", "f", "v", "si"))
_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?[0-9]+")  # a cell's place as openpyxl reads it: B7, $B$7


class _Stop(Exception):
    """The scan of a part ends early: openpyxl (with defusedxml) refuses XML entities in its own words."""


class _Scan:
    """One streaming pass over a part of an .xlsx, before openpyxl reads any of it.

    openpyxl builds a whole `<row>` before it looks at it (one row of millions of empty cells), fills
    the rows a sheet skips one at a time, drops a row that comes after a later one, and keeps every
    shared text; so what a small file could make huge is counted here first, as openpyxl would count
    it, and refused past `MAX_COLUMNS`, `MAX_ROWS` and `MAX_TEXTS`. A cell with a formula but no saved
    value (`<f>` with no `<v>`, or an empty one where the result is no text, as a program that computes
    nothing writes it) would read as empty: its row and column are kept (in arrays, for a sheet of a
    million such rows) to refuse the row.
    """

    def __init__(self, file: str, parser: Any):
        self.file, self.parser = file, parser
        self.row = self.cells = self.texts = 0
        self.attributes: dict[str, str] = {}  # of the cell read last
        self.place, self.since = "", 0  # the last cell's place as written (`B7`), and the cells since that one
        self.formula = self.value = False
        self.rows, self.columns = array("l"), array("l")  # the first formula without a value of each such row
        self.asked = 0  # the rows before this one in `rows` have been asked for

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == _CELL:  # the handler runs for every element of a sheet: the common ones first, and little work
            if self.formula:
                self.end_cell()
            self.attributes = attributes
            self.cells += 1
            if self.cells > MAX_COLUMNS:
                raise ReadError(self.file, self.row, f"rij {self.row} heeft meer dan {MAX_COLUMNS} cellen, de grens "
                                                     "voor één rij")
            place = attributes.get("r")
            if place is None:
                self.since += 1
            else:
                self.place, self.since = place, 0
        elif name == _VALUE:
            if self.formula:  # a text result may be empty; a number may not (openpyxl writes `<v />`)
                if self.attributes.get("t") == "str":
                    self.value = True
                else:
                    self.parser.CharacterDataHandler = self.text
        elif name == _FORMULA:
            self.formula = True
        elif name == _ROW:
            self.end_cell()
            written = attributes.get("r")
            number = _whole(written) if written is not None else self.row + 1
            if not 1 <= number <= MAX_ROWS:
                raise ReadError(self.file, None, f"rij {written!r} ligt buiten het werkblad (rij 1 tot en met "
                                                 f"{MAX_ROWS}, de grens voor een werkblad)")
            if number <= self.row:
                raise ReadError(self.file, number, f"rij {number} staat na rij {self.row}; de rijen van het werkblad "
                                                   "staan niet op volgorde (sla het bestand opnieuw op in een "
                                                   "spreadsheetprogramma)")
            self.row, self.cells, self.place, self.since = number, 0, "", 0
        elif name == _SHARED:
            self.texts += 1
            if self.texts > MAX_TEXTS:
                raise ReadError(self.file, None, f"het werkboek heeft meer dan {MAX_TEXTS} gedeelde teksten, de grens "
                                                 "voor een .xlsx-bestand")

    def text(self, data: str) -> None:
        """Text in the saved value of a formula cell."""
        if data.strip():
            self.value = True

    def end_cell(self) -> None:
        """The cell read last had a formula but no saved value: note it, once per row."""
        if self.formula and not self.value and not (self.rows and self.rows[-1] == self.row):
            place = _REFERENCE.fullmatch(self.place)
            self.rows.append(self.row)
            self.columns.append((_column(place[1]) if place else 0) + self.since)
        self.formula = self.value = False
        self.parser.CharacterDataHandler = None

    def unsaved(self, number: int, header: list[str]) -> RowError | None:
        """The problem of row `number` when it holds a formula without a saved value; rows are asked in order."""
        rows = self.rows
        while self.asked < len(rows) and rows[self.asked] < number:
            self.asked += 1
        if self.asked == len(rows) or rows[self.asked] != number:
            return None
        column = self.columns[self.asked]
        cell = f"{_letter(column - 1)}{number}"
        return RowError(self.file, number, f"cel {cell} heeft een formule zonder opgeslagen waarde; open het bestand "
                                           "in een spreadsheetprogramma en sla het op, dan wordt de waarde bewaard",
                        header[column - 1] if column <= len(header) else "")


def _scan(archive: Any, part: str, file: str) -> _Scan:
    """`_Scan` over one part of the archive, streamed; a part that is no XML is left to openpyxl."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    scan = _Scan(file, parser)
    parser.StartElementHandler = scan.start
    parser.EntityDeclHandler = _no_entities
    try:
        with archive.open(part) as stream:
            while block := stream.read(64 * 1024):
                parser.Parse(block, False)
            parser.Parse(b"", True)
    except ReadError:
        raise
    except Exception:  # noqa: BLE001 - bad XML, entities, a damaged part: openpyxl refuses it in its own words
        pass
    scan.end_cell()
    scan.parser = None  # done: the parser and its handlers go
    return scan


def _no_entities(*_: Any) -> None:
    raise _Stop


def _whole(written: str) -> int:
    """A row number as openpyxl reads it (`7`, or `7.0`); 0 when it is none."""
    try:
        return int(written)
    except ValueError:
        try:
            value = float(written)
        except ValueError:
            return 0
        return int(value) if value.is_integer() else 0


def _column(letters: str) -> int:
    """The 1-based index of a column named by its letters: A -> 1, AA -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _excel_rows(sheet: Any, file: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of every row the sheet holds; the library's errors become one line."""
    iterator = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as error:  # noqa: BLE001 - a damaged sheet part
            raise ReadError(file, number + 1 if number else None, f"het werkblad kan niet gelezen worden "
                                                                  f"({_reason(error)})") from None
        number += 1
        yield number, values


def _letter(index: int) -> str:
    """The spreadsheet's name of the column at 0-based `index`: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
