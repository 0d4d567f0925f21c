"""One registry of output formats (`cli/output.py: FORMATS`): every --format of every command comes from it, and a
new entry is selectable everywhere it fits without any other change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer.main

from eenzaam_cli.cli import output
from eenzaam_cli.cli.app import app

ELEVEN = "id;" + ";".join(f"djg_{i}" for i in range(1, 12))
LONELY_11 = "nee,ja,ja,nee,ja,ja,nee,nee,ja,ja,nee"  # 11 of 11: ernstig eenzaam


def format_options():
    """(command path, the --format parameter) for every command that has one."""
    found = []

    def walk(command, path):
        for param in getattr(command, "params", ()):
            if "--format" in getattr(param, "opts", ()):
                found.append((path, param))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "eenzaam")
    return found


def test_every_format_option_offers_registry_entries_only():
    options = {path: [str(choice) for choice in param.type_descriptor.choices] for path, param in format_options()}
    assert len(options) == 12  # every command but `data schema` (which writes JSON Schema only)
    for path, allowed in options.items():
        assert set(allowed) <= set(output.FORMATS), path
    tables = ["tabel", "json", "csv", "markdown"]
    assert {path: allowed for path, allowed in options.items() if allowed != tables} == {
        "eenzaam batch": ["csv", "jsonl", "json"]}
    # the registry says which: the formats that render a table, those that stream rows for scripts as text (-f),
    # and the binary ones that only a file takes (batch -o by extension)
    assert [name for name, form in output.FORMATS.items() if form.render] == tables
    streams = {name: form.binary for name, form in output.FORMATS.items() if form.rows and not form.people}
    assert streams == {"csv": False, "jsonl": False, "json": False, "xlsx": True, "sav": True}


# A format the tool does not have: tab-separated values, as a test adds it: one entry, nothing else.
NEW_FORMAT = r'''
import sys
from eenzaam_cli.cli import output


def render(view, language, raw):
    rows = output.part(view.csv_rows)
    section = output.part(view.sections)[view.csv_section]
    keys = view.csv_fields or [column.key for column in section.columns]
    sys.stdout.write("\t".join(keys) + "\n")
    for row in section.rows if rows is None else rows:
        sys.stdout.write("\t".join(output.csv_text(row.get(key)) for key in keys) + "\n")


class Rows(output.RowStream):
    def __init__(self, out, fields, **options):
        super().__init__(out, fields)
        out.write("\t".join(self.fields) + "\n")

    def row(self, values):
        self.out.write("\t".join(map(output.csv_text, values)) + "\n")


output.FORMATS["tsv"] = output.OutputFormat("tsv", render, Rows)
from eenzaam_cli.cli import main

main()
'''


def run_with_new_format(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    """`eenzaam ARGS` in a fresh process whose registry has one entry more, added before the command line is built."""
    script = tmp_path / "with_tsv.py"
    script.write_text(NEW_FORMAT, encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("EENZAAM_")}
    environment |= {"EENZAAM_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "200", **variables}
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=environment,
                          cwd=tmp_path, timeout=120)


def test_a_new_entry_is_selectable_in_every_command_it_fits(tmp_path):
    one = run_with_new_format(tmp_path, "djg", LONELY_11, "-f", "tsv")
    assert (one.returncode, one.stderr) == (0, "")
    assert one.stdout == ("score\twaarde\tbereik\nTotaal\t11\t0–11\nEmotionele eenzaamheid\t6\t0–6\n"
                          "Sociale eenzaamheid\t5\t0–5\n")

    respondents = tmp_path / "r.csv"
    respondents.write_text(f"{ELEVEN}\n7;{LONELY_11.replace(',', ';')}\n", encoding="utf-8")
    streamed = run_with_new_format(tmp_path, "djg", "--invoer", str(respondents), "-f", "tsv")
    assert streamed.returncode == 0, streamed.stderr
    header, row = streamed.stdout.splitlines()
    assert header.split("\t")[:2] == ["id", "djg_1"] and header.split("\t")[12:15] == ["djg_schaal", "djg_totaal",
                                                                                        "djg_emotioneel"]
    assert row.split("\t")[:2] == ["7", "nee"] and row.split("\t")[12:17] == ["djg11", "11", "6", "5",
                                                                              "ernstig_eenzaam"]

    batch = run_with_new_format(tmp_path, "batch", str(respondents), "-f", "tsv", "--stil")
    assert batch.returncode == 0, batch.stderr
    header, row = batch.stdout.splitlines()
    cells = dict(zip(header.split("\t"), row.split("\t")))
    assert cells["id"] == "7" and cells["djg_totaal"] == "11" and cells["preventieniveau"] == "3"

    wrong = run_with_new_format(tmp_path, "profiel", "--leeftijd", "70", "-f", "xml")
    assert (wrong.returncode, wrong.stderr) == (
        2, "eenzaam: --format: 'xml' is ongeldig (toegestaan: tabel, json, csv, markdown, tsv)\n")
    wrong = run_with_new_format(tmp_path, "batch", str(respondents), "-f", "xml")
    assert wrong.stderr == "eenzaam: --format: 'xml' is ongeldig (toegestaan: csv, jsonl, json, tsv)\n"
    assert "<tabel|json|csv|markdown|tsv>" in run_with_new_format(tmp_path, "prevalentie", "--help").stdout

    for words, offered in (("eenzaam batch -f ", "csv jsonl json tsv"), ("eenzaam profiel -f t", "tabel tsv")):
        completion = run_with_new_format(tmp_path, COMP_WORDS=words, COMP_CWORD="3", _EENZAAM_COMPLETE="complete_bash")
        assert completion.stdout.split() == offered.split(), words
