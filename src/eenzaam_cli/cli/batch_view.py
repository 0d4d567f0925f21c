"""Writing a batch run: the rows (csv in the input's dialect, jsonl, json), the rejected rows, progress, the report
(`core.contract.report_data`, as JSON, markdown, HTML or a workbook).

Every file is an `output.OutputFile`: written to a temporary file in the same folder and renamed into place only
when the run finished, so an interrupted run leaves no half-written file under the requested name (a FIFO or a
device is written as the run goes, like standard output).
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import repeat
from operator import attrgetter
from typing import Any

from ..core.batch import Chunk, Result, RowProblem, Tally
from ..core.contract import json_value, national_key, one_decimal, report_accounting, report_data, report_tables
from ..core.errors import InputError
from ..core.reference.model import Reference
from ..core.text import t
from .output import (_ILLEGAL, FORMATS, OutputFile, choices, csv_writer, html_page, markdown_row, markdown_text,
                     require_extra, spoken, streams, to_json, verbatim)


def row_format(path: str | None, fmt: str | None) -> str:
    """The format of the output rows: the extension of `-o` (a format of `output.FORMATS` that streams rows to a
    file), else `-f`, else csv; InputError (before any row is read) for an extension that is none of them, one that
    contradicts `-f`, or a missing extra."""
    suffix = os.path.splitext(path)[1].lower() if path not in (None, "-") and _regular(path) else ""
    if not suffix:  # standard output, a FIFO, a device, or a name without an extension
        return fmt or "csv"
    by_suffix = {FORMATS[name].suffix: name for name in choices(streams, "csv")}
    found = by_suffix.get(suffix)
    if found is None:
        raise InputError(f"--uitvoer: {path!r}: kies een bestand op {spoken(list(by_suffix))} (het formaat volgt "
                         "de extensie), of een naam zonder extensie met -f")
    if fmt is not None and fmt != found:
        raise InputError(f"--uitvoer: {path!r} is een {suffix}-bestand, maar --format is {fmt}; laat --format weg "
                         f"of kies -f {found}")
    for extra in FORMATS[found].extras:
        require_extra(extra, f"--uitvoer {path}")
    return found


def input_size(path: str) -> int | None:
    """The size of a regular input file in bytes; None for standard input, a FIFO or a device (unknown ahead)."""
    import stat

    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size if path != "-" and stat.S_ISREG(status.st_mode) else None


def _regular(path: str) -> bool:
    """Whether `path` is a regular file or a new one (a FIFO's or a device's name says nothing of a format)."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def value_labels(reference: Reference, language: str) -> dict[str, dict[Any, str]]:
    """The value labels of a .sav's result columns: the tiers' names and the De Jong Gierveld categories."""
    return {"preventieniveau": {float(tier.number): tier.name(language) for tier in reference.tiers.tiers},
            "djg_categorie": {c.id: c.label(language) for scale in reference.djg.scales for c in scale.categories}}


class RowWriter:
    """The output rows: every input column, then the result columns, in a format of `output.FORMATS` that streams."""

    def __init__(self, path: str | None, fmt: str, header: Sequence[str], columns: Sequence[str], separator: str,
                 cells: Callable[[Result], list[str]], raw: bool = False, labels: dict[str, dict[Any, str]] | None = None):
        self.columns = list(columns)
        self.file = OutputFile(path, binary=FORMATS[fmt].binary)
        self.abandoned = False
        self.cells = cells
        self.separator, self.raw = separator, raw
        try:
            self.rows = FORMATS[fmt].rows(self.file, [*header, *columns], delimiter=separator, raw=raw, compact=True,
                                        labels=labels or {}, path=path)
        except BaseException:  # not yet entered as a context: nothing else would remove the file
            self.file.abandon()
            raise

    def verbatim(self, text: str) -> bool:
        """Whether every cell of these lines (one row each, no quote) is written as it is read, so that a line as read
        and the text of its result parts are its output (a reader of columns then writes whole blocks)."""
        return self.rows.joiner is not None and verbatim(text, self.separator, self.raw)

    def write(self, chunk: Chunk | memoryview) -> None:
        """A batch run's rows: each with its own cells as read, then its result cells (or a block's rows so made, as
        UTF-8)."""
        if isinstance(chunk, memoryview):
            self.file.write_utf8(chunk)
            return
        if self.rows.joiner is not None:  # delimited text, and the engine's result parts joined as such
            separator, rows = self.separator, chunk.rows
            bodies = chunk.texts if chunk.texts is not None else list(map(separator.join, rows))
            whole = separator.join(bodies)
            if "\n" not in whole and whole.count(separator) == sum(map(len, rows)) - 1 \
                    and verbatim(whole, separator, self.raw):  # no cell holds a line break or a separator
                # no input cell to quote or neutralise: the cells as read, then the result parts' own text
                # (made by output.csv_joiner, neutralised and quoted)
                parts: list[str] = [""] * (7 * len(rows))
                parts[0::7] = bodies
                parts[1::7] = map(_BAND_TEXT, chunk.profiled)
                parts[2::7] = map(_TEXT, chunk.scored)
                parts[3::7] = map(_TEXT, chunk.risks)
                parts[4::7] = map(_TEXT, chunk.profiled)
                parts[5::7] = map(_TEXT, chunk.outcomes)
                parts[6::7] = repeat("\n", len(rows))
                text = "".join(parts)
                if "\r" not in text:  # a result cell with a CR (a band label of --data): its row is quoted whole
                    self.file.write(text)
                    return
        row, cells, columns = self.rows.row, self.cells, self.columns
        if self.rows.typed:  # numbers as numbers, empty as null
            for fields, result in zip(chunk.rows, chunk.results()):
                row(fields + list(map(json_value, columns, cells(result))))
        else:
            for fields, result in zip(chunk.rows, chunk.results()):
                row(fields + cells(result))

    def abandon(self) -> None:
        self.abandoned = True

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is not None or self.abandoned:
            self.file.abandon()
            return
        self.rows.end()
        self.file.commit()


_BAND_TEXT, _TEXT = attrgetter("band_text"), attrgetter("text")


class _Problems:
    def __init__(self, path: str | None, raw: bool):
        self.file = OutputFile(path) if path is not None else None
        if self.file is not None:
            self.writerow = csv_writer(self.file, raw=raw)
            try:
                self.writerow(["rij", "kolom", "waarde", "reden"])
            except BaseException:  # not yet entered as a context: nothing else would remove the file
                self.file.abandon()
                raise

    def add(self, file: str, problem: RowProblem) -> None:
        if self.file is not None:
            self.writerow([problem.line, problem.column, problem.value, problem.reason])
        else:
            where = f"{file}:{problem.line}: " + (f"{problem.column}: " if problem.column else "")
            sys.stderr.write(f"eenzaam: {where}{problem.reason}\n")


@contextmanager
def write_problems(path: str | None, raw: bool = False) -> Iterator[_Problems]:
    problems = _Problems(path, raw)
    try:
        yield problems
    except BaseException:
        if problems.file is not None:
            problems.file.abandon()
        raise
    if problems.file is not None:
        problems.file.commit()


class _Progress:
    """Rows, rows per second and the bytes left, on stderr, only on a terminal (never mixed with stdout)."""

    def __init__(self, path: str, enabled: bool):
        self.bar = None
        if not enabled or not sys.stderr.isatty():
            return
        try:
            size = os.path.getsize(path) if path != "-" else None
        except OSError:
            size = None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("{task.fields[rows]:,} rijen · {task.fields[speed]:,.0f}/s"), BarColumn(),
                            DownloadColumn(), TimeRemainingColumn(), console=Console(file=sys.stderr),
                            redirect_stdout=False, redirect_stderr=False, transient=True)
        self.task = self.bar.add_task("batch", total=size, rows=0, speed=0.0)
        self.start = time.perf_counter()
        self.bar.start()

    def advance(self, table: Any, rows: int) -> None:
        """Show `rows` rows read so far (the caller calls every few thousand rows)."""
        if self.bar is None:
            return
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        self.bar.update(self.task, completed=table.position(), rows=rows, speed=rows / elapsed)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress(path: str, enabled: bool) -> Iterator[_Progress]:
    bar = _Progress(path, enabled)
    try:
        yield bar
    finally:
        bar.stop()


def write_observed(path: str, tally: Tally, reference: Reference, measure: str, raw: bool = False) -> int:
    """`--waargenomen-uit`: the file `populatie --waargenomen` reads, as CSV; returns the respondents left out."""
    from ..core.contract import observed_rows

    rows, left_out = observed_rows(tally, reference, measure)
    with OutputFile(path) as target:
        writerow = csv_writer(target, raw=raw)
        writerow((["gebied"] if tally.area is not None else []) + ["leeftijd", "maat", "respondenten", "waargenomen"])
        for row in rows:
            writerow(list(row.values()))
    return left_out


# --- the report ------------------------------------------------------------------------------------------


def report_format(path: str) -> str:
    """The format of the report `path` names, by its suffix (`output.FORMATS`); one the report is not written in is
    refused, and so is a workbook without its extra (exit 2)."""
    suffix = os.path.splitext(path)[1].lower()
    name = next((name for name in _REPORTS if FORMATS[name].suffix == suffix), None)
    if name is None:
        suffixes = [FORMATS[name].suffix or "" for name in _REPORTS]
        raise InputError(f"--rapport: {path!r}: kies een bestand op {spoken(suffixes)}")
    for extra in FORMATS[name].extras:
        require_extra(extra, f"--rapport {path}")
    return name


def write_report(path: str, tally: Tally, reference: Reference, language: str, **counts: Any) -> None:
    data = report_data(tally, reference, language, **counts)
    text = to_json(data) + "\n"  # every format: a figure that is not a finite number fails here, before any file
    content = _REPORTS[report_format(path)](data, text, reference, language, path)
    with OutputFile(path, binary=isinstance(content, bytes)) as target:
        target.write(content)


def _title(data: dict[str, Any], language: str) -> str:
    """'Rapport eenzaam batch: monitortabel Landelijk 2016'."""
    return t("with_table", language, title=t("batch_report_title", language), table=data["monitortabel"])


def _xlsx_bytes(data: dict[str, Any], text: str, reference: Reference, language: str, path: str) -> bytes:
    workbook = io.BytesIO()  # a small file, made whole first: a full disk fails our write, not zipfile's
    _xlsx(data, language, path).save(workbook)
    return workbook.getvalue()


def _markdown(data: dict[str, Any], text: str, reference: Reference, language: str, path: str) -> str:
    out = [f"# {markdown_text(_title(data, language), line=True)}", "",
           markdown_text(report_accounting(data, language), line=True), ""]
    for title, headers, rows in report_tables(data, reference, language):
        out += [f"## {markdown_text(title, line=True)}", "", markdown_row(headers), "|" + "---|" * len(headers)]
        out += map(markdown_row, rows)
        out.append("")
    out += [f"- {markdown_text(data['methode'], line=True)}", f"- {markdown_text(data['duiding'], line=True)}", ""]
    return "\n".join(out)


def _html(data: dict[str, Any], text: str, reference: Reference, language: str, path: str) -> str:
    from html import escape

    parts = [f"<p>{escape(report_accounting(data, language))}</p>"]
    for title, headers, rows in report_tables(data, reference, language):
        parts.append(f"<h2>{escape(title)}</h2><table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows]
        parts.append("</table>")
    for measure, shares in data["prevalentie"].items():
        label = reference.measures[measure].label(language)
        parts.append(f"<h2>{escape(t('batch_chart', language, measure=label, table=data['monitortabel']))}</h2><table>")
        for share in shares:
            own = float(share["aandeel"])
            figure = share[national_key(data["jaar_landelijk"])]
            national = float(figure) if figure is not None else None
            parts.append(f"<tr><td>{escape(share['leeftijdsband'])}</td><td>"
                         f"<span class=\"bar\" style=\"width:{own * 4:.1f}px\"></span> {one_decimal(own, language)}%<br>"
                         + (f"<span class=\"nat\" style=\"width:{national * 4:.1f}px\"></span> {one_decimal(national, language)}% "
                            f"({escape(data['monitortabel'])})"
                            if national is not None else "")
                         + "</td></tr>")
        parts.append("</table>")
    parts += [f"<p>{escape(data['methode'])}</p>", f"<p><em>{escape(data['duiding'])}</em></p>"]
    return html_page(_title(data, language), parts, language)


def _xlsx(data: dict[str, Any], language: str, path: str) -> Any:
    """The report as a workbook for analysts who pass it on: the JSON report's tables as sheets.

    Sheets `overzicht`, `per_niveau`, `per_leeftijdsband` and `prevalentie_<maat>`; the column
    names are the keys of the JSON report, the numbers are numbers. Every text is written as
    text, never as a formula, whatever it starts with (a file name, a band label from --data).
    """
    from ..core.files.formats import require

    openpyxl = require("excel", f"--rapport {path}")
    workbook = openpyxl.Workbook()
    overview = [["sleutel", "waarde"], ["rapport", t("batch_report_title", language)],
                *([key, data[key]] for key in ("bestand", "rijen_gelezen", "rijen_geschreven", "rijen_afgewezen",
                                                "leeftijd_onbekend", "buiten_monitor", "gewicht", "jaar_landelijk",
                                                "bron_landelijk", "monitortabel", "methode", "duiding"))]
    sheets = [("overzicht", overview),
              ("per_niveau", [["niveau", "aantal"], *([int(tier), n] for tier, n in data["per_niveau"].items())]),
              ("per_leeftijdsband", [["leeftijdsband", "aantal"], *([band, n] for band, n in data["per_leeftijdsband"].items())])]
    columns = ["leeftijdsband", "respondenten", "n_effectief", "aandeel", "onder", "boven", national_key(data["jaar_landelijk"])]
    for measure, shares in data["prevalentie"].items():
        sheets.append((f"prevalentie_{measure}", [columns, *([share[c] for c in columns] for share in shares)]))
    if "per_gebied" in data:
        counted = ["gebied", "leeftijdsband", "aantal", "niveau_1", "niveau_2", "niveau_3"]
        shared = ["respondenten", "n_effectief", "aandeel", "onder", "boven"]
        sheets.append(("per_gebied", [counted + [f"{m}_{c}" for m in data["prevalentie"] for c in shared],
                                      *([row[c] for c in counted] + [(row["prevalentie"][m] or {}).get(c)
                                                                     for m in data["prevalentie"] for c in shared]
                                        for row in data["per_gebied"]["rijen"])]))
    workbook.remove(workbook.active)
    used: set[str] = set()
    for title, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title, used))
        for values in rows:
            sheet.append([None if value is None else value for value in values])
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):  # text stays text: '=…' is not a formula here
                    cell.value = _ILLEGAL.sub("", cell.value)
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, 1):
            width = max(len(str(cell.value)) for cell in column if cell.value is not None) if any(
                cell.value is not None for cell in column) else 8
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = min(max(width + 2, 8), 80)
    return workbook


# The formats a report is written in, in the order a message lists them: (the writer, the extra it needs). A writer
# takes the report's data, its JSON text, the reference, the language and the path, and returns the file's content.
_REPORTS: dict[str, Callable[..., str | bytes]] = {  # the formats of output.FORMATS a report is written in
    "markdown": _markdown, "html": _html, "json": lambda data, text, *rest: text, "xlsx": _xlsx_bytes,
}



def _sheet_title(title: str, used: set[str]) -> str:
    """A worksheet name Excel accepts (at most 31 characters, none of []:*?/\\), unique in the workbook."""
    name = "".join("_" if c in "[]:*?/\\" else c for c in title)[:31]
    base, number = name, 2
    while name.lower() in used:
        suffix = f"_{number}"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name
