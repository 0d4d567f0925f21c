"""Hostile input, round 3: where the tool writes, and what it does with extreme input.

One section per numbered finding of the third hostile-input review (outputs that never destroy,
never alias, never split). Each test failed on the code before its fix. Outputs are tested with FIFOs,
device nodes and symbolic links made inside the test's own temporary folder: never with the real
`/dev/null` or any other device of the machine.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


# --- item 2: a carriage return never splits a batch row, nor revives a formula ---


def _batch_rows(cli, tmp_path, text: str, *args: str, separator: str = ",") -> tuple[int, list[list[str]]]:
    """Run `batch` on a CSV text (written as is) into a file; its exit code and its rows as Python's csv reads them
    (the output is in the input's dialect)."""
    import csv

    source, target = tmp_path / "in.csv", tmp_path / "uit.csv"
    source.write_bytes(text.encode("utf-8"))
    result = cli("batch", str(source), "-o", str(target), "--stil", *args)
    with open(target, encoding="utf-8", newline="") as stream:
        return result.exit_code, list(csv.reader(stream, delimiter=separator))


def test_a_bare_carriage_return_in_a_cell_keeps_its_row_whole(cli, tmp_path):
    code, rows = _batch_rows(cli, tmp_path, 'id,leeftijd,notitie\n1,80,"a\rb"\n2,70,"\r=1+1"\n3,70,gewoon\n')
    assert code == 0
    assert [row[:3] for row in rows] == [["id", "leeftijd", "notitie"], ["1", "80", "a\rb"], ["2", "70", "'\r=1+1"],
                                         ["3", "70", "gewoon"]]
    assert [row[3] for row in rows[1:]] == ["75-84 jaar", "65-74 jaar", "65-74 jaar"]  # leeftijdsband


def test_batch_csv_gives_back_every_cell_and_row_whatever_the_cells_hold(cli, tmp_path):
    """Any cells, with CR, LF, quotes, separators and formula starts, come back through csv.reader as the same
    rows and (after unneutralise) the same cells; a cell that would run as a formula starts with a quote."""
    import csv
    import io

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from eenzaam_cli.cli.output import FORMULA_START, unneutralise

    cell = st.text(alphabet=st.sampled_from(list("\r\n\",;'=+-@\t ab1é")), max_size=8)

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(cell, cell), min_size=1, max_size=4), st.sampled_from([",", ";"]))
    def check(cells, separator):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")  # quotes a cell with CR or LF
        writer.writerow(["id", "leeftijd", "notitie", "extra"])
        writer.writerows([str(n), "80", note, extra] for n, (note, extra) in enumerate(cells, 1))
        code, rows = _batch_rows(cli, tmp_path, buffer.getvalue(), separator=separator)
        if code == 3:  # a field whose later lines hold whole rows is refused by the reader, with a reason
            return
        assert code == 0
        assert len(rows) == len(cells) + 1
        assert [[unneutralise(c) for c in row[2:4]] for row in rows[1:]] == [list(pair) for pair in cells]
        for row in rows:
            for text in row:
                assert not text.startswith(FORMULA_START) or text == "-" or text.lstrip("+-").isdigit()

    check()


# --- item 3: formula text from the user's own --data is neutralised in the batch CSV ---


@pytest.mark.parametrize("label", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "a\rb"])
def test_a_band_label_from_data_is_neutralised_and_quoted_in_batch_csv(cli, tmp_path, data_copy, label):
    """The band label passes validation (a band is printed as its table writes it), and reaches the CSV as
    text: neutralised, quoted where it holds a CR; in a row the fast way (plain cells) and the careful way."""
    data_copy("monitor_2016.csv", "75-84 jaar", '"' + label.replace('"', '""') + '"')
    expected = label if label == "a\rb" else "'" + label
    for body in ("1,80,plain\n", "1,80,=1+1\n"):
        code, rows = _batch_rows(cli, tmp_path, "id,leeftijd,notitie\n" + body, "--data", str(data_copy.dir))
        assert code == 0
        assert len(rows) == 2 and rows[1][3] == expected
    raw = cli("batch", str(tmp_path / "in.csv"), "--stil", "--ruwe-csv", "--data", str(data_copy.dir))
    assert raw.exit_code == 0 and label.replace("\r", "") in raw.stdout.replace("\r", "")


def test_a_band_label_from_data_stays_text_in_batch_json(cli, tmp_path, data_copy):
    """A band label that looks like a number (`NaN`, `007`) is text in jsonl and json, and JSON stays valid."""
    import json

    data_copy("monitor_2016.csv", "75-84 jaar", "NaN")
    data_copy("monitor_2016.csv", "65-74 jaar", "007")
    source = tmp_path / "in.csv"
    source.write_text("id,leeftijd\n1,80\n2,70\n", encoding="utf-8")

    def strict(text):
        raise ValueError(f"not JSON: {text}")

    for fmt in ("jsonl", "json"):
        result = cli("batch", str(source), "-f", fmt, "--stil", "--data", str(data_copy.dir))
        assert result.exit_code == 0
        text = result.stdout if fmt == "json" else "[" + ",".join(result.stdout.splitlines()) + "]"
        rows = json.loads(text, parse_constant=strict)
        assert [row["leeftijdsband"] for row in rows] == ["NaN", "007"]
        assert [row["n_risicofactoren"] for row in rows] == [1, 0]


# --- item 12: markdown injection ---


def _markdown_tables(text: str) -> list[tuple[int, list[int]]]:
    """Every markdown table of a text as (its number of columns, the number of cells of each body row).

    Only LF ends a line in the tool's markdown: any other line break (CR, U+2028 …) fails here. A cell ends at
    a `|` without a backslash before it; a table ends at a blank line."""
    import re

    assert len(text.splitlines()) == text.count("\n") + (not text.endswith("\n")), "a line break other than LF"
    lines = text.split("\n")
    tables = []
    for index, line in enumerate(lines[:-1]):
        if line.startswith("|") and re.fullmatch(r"\|(?::?-+:?\|)+", lines[index + 1]):
            width = lines[index + 1].count("|") - 1
            assert len(re.split(r"(?<!\\)\|", line)) - 2 == width, line
            body = []
            for row in lines[index + 2:]:
                if not row:
                    break
                assert row.startswith("| ") and row.endswith(" |"), row
                body.append(len(re.split(r"(?<!\\)\|", row)) - 2)
            tables.append((width, body))
    return tables


def _no_raw_html(text: str) -> None:
    import re

    assert re.search(r"<(?!br>)", text) is None, "raw HTML"


HOSTILE = "\r\n\u2028\u2029\x0b\x0c\x85|<>&#-`\\*[] a1"


def test_markdown_text_keeps_a_cell_one_cell_and_a_line_one_line():
    from hypothesis import given
    from hypothesis import strategies as st

    from eenzaam_cli.cli.output import markdown_row, markdown_text

    assert markdown_text("<img src=x onerror=alert(1)>.csv") == "&lt;img src=x onerror=alert(1)&gt;.csv"
    assert markdown_text("a\r\nb\rc\nd\u2028e|f") == "a<br>b<br>c<br>d<br>e\\|f"
    assert markdown_text("# kop", line=True) == "&#35; kop"
    assert markdown_text("1. lijst", line=True) == "&#49;. lijst"
    assert markdown_text("2024_respondenten.csv", line=True) == "2024_respondenten.csv"

    @given(st.lists(st.text(alphabet=st.sampled_from(list(HOSTILE)), max_size=12), min_size=1, max_size=4))
    def check(cells):
        table = "\n".join([markdown_row(cells), "|" + "---|" * len(cells), markdown_row(cells), ""])
        assert _markdown_tables(table) == [(len(cells), [len(cells)])]
        _no_raw_html(table)
        for text in cells:
            line = markdown_text(text, line=True)
            assert "\n" not in line and not line.startswith(("#", "-", "`", "~", "[", " ", "*", "+", "=", "_"))
            assert not line.endswith("#")

    check()


def test_populatie_markdown_keeps_its_tables_with_hostile_area_names(cli, tmp_path):
    import csv

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.text(alphabet=st.sampled_from(list(HOSTILE)), max_size=10), min_size=1, max_size=3))
    def check(names):
        source = tmp_path / "seg.csv"
        with open(source, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")  # quotes a CR as well as a LF
            writer.writerow(["gebied", "leeftijd", "aantal"])
            writer.writerows([f"g{index}{name}", "75-84", "10"] for index, name in enumerate(names))
        result = cli("populatie", str(source), "-f", "markdown")
        assert result.exit_code == 0, result.stderr
        tables = _markdown_tables(result.stdout)
        assert tables[0] == (9, [9] * (len(names) + (len(names) > 1)))  # the areas, and their total if more than one
        assert all(body == [width] * len(body) for width, body in tables)
        _no_raw_html(result.stdout)

    check()


def test_batch_report_markdown_escapes_the_file_name_and_band_labels(cli, tmp_path, data_copy):
    data_copy("monitor_2016.csv", "75-84 jaar", '"75-84\n# kop | <b>jaar</b>"')
    source = tmp_path / "in\n# kop\n<img src=x onerror=alert(1)>.csv"
    source.write_text("id,leeftijd\n1,80\n2,70\n3,80\n", encoding="utf-8")
    report = tmp_path / "r.md"
    result = cli("batch", str(source), "--stil", "--rapport", str(report), "--data", str(data_copy.dir), "-o",
                 str(tmp_path / "uit.csv"))
    assert result.exit_code == 0
    text = report.read_text(encoding="utf-8")
    _no_raw_html(text)
    assert [line for line in text.split("\n") if line.startswith("#")] == [
        "# Rapport eenzaam batch", "## Rijen per preventieniveau", "## Rijen per leeftijdsband",
        "## eenzaam naar leeftijdsband, uit de De Jong Gierveld-scores",
        "## (zeer) ernstig eenzaam naar leeftijdsband, uit de De Jong Gierveld-scores"]
    assert "in<br># kop<br>&lt;img src=x onerror=alert(1)&gt;.csv: 3 rijen gelezen" in text
    tables = _markdown_tables(text)
    assert [(width, len(body)) for width, body in tables] == [(2, 3), (2, 2), (5, 0), (5, 0)]
    assert all(body == [width] * len(body) for width, body in tables)
    assert "| 75-84<br># kop \\| &lt;b&gt;jaar&lt;/b&gt; | 2 |" in text


def test_djg_markdown_stream_escapes_the_input_columns(cli, tmp_path):
    import csv

    source = tmp_path / "r.csv"
    with open(source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(["noti|tie<i>", *(f"djg_{i}" for i in (3, 4, 7, 8, 9, 10))])
        writer.writerow(["a\rb|c\u2028<script>", "ja", "nee", "ja", "ja", "nee", "nee"])
    result = cli("djg", "-i", str(source), "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    _no_raw_html(result.stdout)
    width, body = _markdown_tables(result.stdout)[0]
    assert body == [width]
    assert result.stdout.startswith("| noti\\|tie&lt;i&gt; | djg_3 |")
    assert "| a<br>b\\|c<br>&lt;script&gt; | ja |" in result.stdout
