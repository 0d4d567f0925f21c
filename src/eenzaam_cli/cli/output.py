"""One shared set of output formats for every command: tabel, json, csv, markdown.

A command builds a `View` (titled sections of rows) and hands it over; this
module decides how it looks. `tabel` is a Rich table (Rich is imported only
here, and only for that format); `json` and `csv` are the stable contracts for
scripts, with machine numbers (a decimal point) and the Dutch data keys;
`markdown` is for reports.
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
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def render(view: View, fmt: Format, language: str) -> None:
    if fmt == "json":
        data = view.data if view.data is not None else view.sections[0].rows
        sys.stdout.write(to_json(data) + "\n")
    elif fmt == "csv":
        _csv(view)
    elif fmt == "markdown":
        sys.stdout.write(_markdown(view, language))
    else:
        _rich(view, language)


def _csv(view: View) -> None:
    import csv

    section = view.sections[view.csv_section]
    keys = view.csv_fields or [column.key for column in section.columns]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(keys)
    for row in section.rows if view.csv_rows is None else view.csv_rows:
        writer.writerow([csv_text(row.get(k)) for k in keys])


def csv_text(value: Any) -> str:
    """A value as a CSV cell for scripts: empty when unknown, ja/nee, the digits as written."""
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


def export(view: View, language: str, svg: str | None = None, html: str | None = None, width: int = 120) -> None:
    """Write the `tabel` picture of a view to SVG and/or HTML at a fixed width, for reports and slides."""
    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), highlight=False, color_system="truecolor")
    _rich(view, language, console)
    title = view.sections[0].title if view.sections else "eenzaam"
    if svg:
        _write_atomically(svg, lambda target: console.save_svg(target, title=title, clear=False))
    if html:
        _write_atomically(html, lambda target: console.save_html(target, clear=False))


def _write_atomically(path: str, write: Any) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file under `path`."""
    import os
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".eenzaam-", dir=folder)
    os.close(handle)
    try:
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as a plain new file would be; mkstemp makes it private
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _rich(view: View, language: str, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console(highlight=False)
    for index, section in enumerate(view.sections):
        if index:
            console.print()
        if not section.columns or section.intro:
            console.print(Text(section.title, style="bold"))
        for line in section.intro:
            console.print(Text(line))
        if section.columns:
            title = None if section.intro else Text(section.title, style="bold")
            table = Table(title=title, title_justify="left")
            for column in section.columns:
                table.add_column(Text(column.header), justify="right" if column.numeric else "left",
                                 no_wrap=column.nowrap, overflow="fold")
            for row in section.rows:
                table.add_row(*(Text(_cell(row.get(c.key), language)) for c in section.columns))
            console.print(table)
        if section.notes:
            console.print(Text("\n".join(section.notes), style="dim"))
