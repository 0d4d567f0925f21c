"""Results as HTML for notebooks (`_repr_html_` of the Python API): plain data in, escaped HTML out.

Every text goes through `html.escape`; numbers are written in the language asked for and right-aligned.
It renders the data of `core.contract`, so it imports nothing of the command line, typer or rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from .core.contract import cell
from .core.text import t


def page(parts: Iterable[str]) -> str:
    """The parts of one result, in one block."""
    return "<div class=\"eenzaam\">" + "".join(parts) + "</div>"


def paragraphs(lines: Iterable[str]) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def records_table(title: str, fields: Sequence[str], rows: Iterable[dict[str, Any]], language: str,
                  notes: Iterable[str] = ()) -> str:
    """Rows of plain data under their keys; a column of numbers (and blanks) is right-aligned."""
    rows = list(rows)
    numeric = [any(_is_number(row.get(key)) for row in rows)
               and all(row.get(key) is None or _is_number(row.get(key)) for row in rows) for key in fields]
    cells = [[_text(row.get(key), language) for key in fields] for row in rows]
    return table(title, list(fields), cells, notes, numeric)


def table(title: str, headers: list[str], rows: list[list[str]], notes: Iterable[str] = (),
          numeric: list[bool] | None = None) -> str:
    """A titled table of texts, with notes below it."""
    right = numeric or [False] * len(headers)
    out = [f"<h4>{escape(title)}</h4>"] if title else []
    if headers and rows:
        out.append("<table><thead><tr>" + "".join(
            f"<th style=\"text-align:{'right' if r else 'left'}\">{escape(h)}</th>" for h, r in zip(headers, right))
            + "</tr></thead><tbody>")
        out += ["<tr>" + "".join(f"<td style=\"text-align:{'right' if r else 'left'}\">{escape(c)}</td>"
                                 for c, r in zip(row, right)) + "</tr>" for row in rows]
        out.append("</tbody></table>")
    out += [f"<p><small>{escape(note)}</small></p>" for note in notes]
    return "".join(out)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _text(value: Any, language: str) -> str:
    if isinstance(value, bool):
        return t("ja" if value else "nee", language)
    if isinstance(value, float):
        value = Decimal(repr(value))
    return cell(value, language)
