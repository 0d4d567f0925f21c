"""Hostile input for every reader: the contracted exit code, one line per problem, never a traceback.

The shared readers are `core/files/tabular.py` (every CSV file: `djg --invoer`, the monitor CSV
of `--data` and `data valideer`) and `core/files/yamlfile.py` (person files of `profiel --invoer`
and the YAML data files), with `core/files/reading.py` opening files and standard input for both.
Each case below is one class of hostile input from the issue; each would have passed bad
input through, changed a result without a word, or crashed with exit 1 before the readers
refused it.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eenzaam_cli.core.files import reading
from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.reference.loading import bundled_data_dir
from eenzaam_cli.core.files.tabular import MAX_LINE, open_table
from eenzaam_cli.core.files.yamlfile import MAX_DEPTH, MAX_NODES, load_yaml, person_items

MONITOR = (bundled_data_dir() / "monitor_2016.csv").read_text(encoding="utf-8")
SHORT = "djg_3,djg_4,djg_7,djg_9,djg_8,djg_10"  # the short scale's item columns
ANSWERS = "ja,nee,ja,nee,nee,ja"  # a short-scale row: total 4


def bomb(levels: int, key: str = "a") -> str:
    """The classic alias bomb: each level is a list of nine aliases of the level before."""
    names = [chr(ord("a") + i) for i in range(levels + 1)]
    lines = [f'{names[0]}: &{names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]" for before, name in zip(names, names[1:])]
    return "\n".join(lines) + "\n"


# --- one case per class ------------------------------------------------------------------------------


@dataclass
class Case:
    """A file (or stdin) to write, the command to run on it, and what must come out."""

    command: Callable[[Path], list[str]]  # the arguments, given the folder the files are in
    files: dict[str, bytes]  # name -> contents, written into that folder
    code: int
    message: str  # a fragment of the one line
    stdin: bytes | None = None


def respondents(text: str) -> dict[str, bytes]:
    return {"r.csv": text.encode("utf-8")}


def djg_file(folder: Path) -> list[str]:
    return ["djg", "--invoer", str(folder / "r.csv"), "-f", "csv", "--stil"]


def person(folder: Path) -> list[str]:
    return ["profiel", "--invoer", str(folder / "p.yaml")]


def valideer(folder: Path) -> list[str]:
    return ["data", "valideer", str(folder)]


def monitor(text: str) -> dict[str, bytes]:
    return {"monitor.csv": text.encode("utf-8")}


def monitor_edit(old: str, new: str) -> dict[str, bytes]:
    assert old in MONITOR
    return monitor(MONITOR.replace(old, new, 1))


def yaml_data(text: str, name: str = "signalen.yaml") -> dict[str, bytes]:
    return {name: text.encode("utf-8")}


CASES: dict[str, Case] = {
    # 3. YAML alias bombs, recursion, depth and size
    "person alias bomb (9 levels, 342 bytes)": Case(person, {"p.yaml": bomb(8).encode()}, 2,
                                          "een alias (*a) is in een persoonsbestand niet toegestaan"),
    "person alias, even a harmless one": Case(person, {"p.yaml": b"leeftijd: 87\nopleiding: &o laag\nrondkomen: *o\n"},
                                              2, "p.yaml:3: een alias (*o) is in een persoonsbestand niet toegestaan"),
    "person alias recursion": Case(person, {"p.yaml": b"leeftijd: &a [*a]\n"}, 2, "p.yaml:1: een alias (*a)"),
    "person nesting just under the parser's limit": Case(person, {"p.yaml": ("a: " + "[" * 990 + "]" * 990).encode()},
                                                         2, f"dieper genest dan {MAX_DEPTH} niveaus"),
    "person file too large": Case(person, {"p.yaml": b"a: " + b"x" * (4 * 1024 * 1024)}, 2,
                                  "p.yaml: is groter dan 4 MiB"),
    "data alias bomb (9 levels)": Case(valideer, yaml_data(bomb(8)), 3,
                                       f"signalen.yaml:5: het document groeit tot meer dan {MAX_NODES} waarden"),
    "data alias bomb (6 levels)": Case(valideer, yaml_data(bomb(5)), 3, "het document groeit tot meer dan"),
    "data alias recursion": Case(valideer, yaml_data("bron: &a [*a]\n"), 3,
                                 "signalen.yaml:1: de alias *a staat binnen zijn eigen anker &a"),
    "data alias recursion through a mapping": Case(valideer, yaml_data("bron: &a {x: *a}\n"), 3,
                                                   "de alias *a staat binnen zijn eigen anker"),
    "data nesting just under the parser's limit": Case(valideer, yaml_data("bron: " + "[" * 990 + "]" * 990), 3,
                                                       f"dieper genest dan {MAX_DEPTH} niveaus"),
    "data file too large": Case(valideer, yaml_data("bron: " + "x" * (4 * 1024 * 1024)), 3,
                                "signalen.yaml: is groter dan 4 MiB"),
    "data alias to an unknown anchor": Case(valideer, yaml_data("bron: *nergens\n"), 3,
                                            "de alias *nergens verwijst naar een onbekend anker"),
    "python tag in a person file": Case(person, {"p.yaml": b'leeftijd: !!python/object/apply:os.system ["true"]\n'},
                                        2, "de YAML-tag !!python/object/apply:os.system is niet toegestaan"),
    "a list as a key": Case(person, {"p.yaml": b"[leeftijd]: 87\n"}, 2, "een sleutel moet een tekst zijn"),
    "two YAML documents": Case(person, {"p.yaml": b"leeftijd: 87\n---\nleeftijd: 30\n"}, 2,
                               "p.yaml:2: meer dan één YAML-document"),
    "a huge whole number": Case(valideer, yaml_data("bron: " + "9" * 5000 + "\n"), 3, "een getal met meer dan 100 cijfers"),
    "a control character in YAML": Case(person, {"p.yaml": b"leeftijd: 87\nopleiding: la\x01ag\n"}, 2,
                                        "p.yaml:2: geen geldige YAML: het teken '\\x01' (U+0001)"),
    # 4. duplicate column names
    "duplicate column": Case(djg_file, respondents(f"naam,naam,{SHORT}\nAn,Bo,{ANSWERS}\n"), 2,
                             "r.csv:1: de kolom 'naam' staat er twee keer in (kolom 1 en 2)"),
    "two unnamed columns": Case(djg_file, respondents(f",,{SHORT}\nAn,Bo,{ANSWERS}\n"), 2,
                                "r.csv:1: kolom 1 heeft geen naam"),
    "an answer column twice": Case(djg_file, respondents(f"{SHORT},djg_10\n{ANSWERS},nee\n"), 2,
                                   "de kolom 'djg_10' staat er twee keer in (kolom 6 en 7)"),
    "an answer column twice in another case": Case(djg_file, respondents(f"{SHORT},DJG_10\n{ANSWERS},nee\n"), 2,
                                                   "de kolommen 'djg_10' en 'DJG_10' zijn allebei item 10"),
    "duplicate monitor column": Case(valideer, monitor_edit("bron,jaar", "bron,bron"), 3,
                                     "monitor.csv:1: de kolom 'bron' staat er twee keer in"),
    # 5. an unclosed quote
    "unclosed quote in a djg file": Case(djg_file, respondents(
        f"id,{SHORT},naam\n1,{ANSWERS},\"Piet\n2,{ANSWERS},Jan\n3,{ANSWERS},Kees\n4,{ANSWERS},Klaas\n"), 2,
        "r.csv:2: het aanhalingsteken (\") op deze regel wordt nooit gesloten"),
    "a quote closed rows too late": Case(djg_file, respondents(
        f"id,{SHORT},naam\n1,{ANSWERS},\"Piet\n2,{ANSWERS},Jan\n3,{ANSWERS},Kees\"\n4,{ANSWERS},Klaas\n"), 2,
        "r.csv:2: naam: het veld loopt door tot en met regel 4 en bevat hele rijen"),
    "unclosed quote in a monitor CSV": Case(valideer, monitor_edit("75-84 jaar,75", "\"75-84 jaar,75"), 3,
                                            "monitor.csv:6: het aanhalingsteken (\") op deze regel wordt nooit gesloten"),
    "text after a closing quote": Case(djg_file, respondents(f"id,{SHORT}\n\"1\"x,{ANSWERS}\n"), 2,
                                       "r.csv:2: na een sluitend aanhalingsteken"),
    # 6. the columns must form exactly one scale
    "djg_1 … djg_10": Case(djg_file, respondents(",".join(f"djg_{i}" for i in range(1, 11)) + "\n"
                                                   + ",".join(["ja"] * 10) + "\n"), 2,
                           "djg_1 … djg_10 vormen geen schaal; er ontbreekt djg_11"),
    "typo djg11": Case(djg_file, respondents(f"{SHORT},djg11\n{ANSWERS},ja\n"), 2,
                       "de kolom 'djg11' lijkt een itemkolom maar is er geen"),
    "djg_12": Case(djg_file, respondents(f"{SHORT},djg_12\n{ANSWERS},ja\n"), 2,
                   "de kolom 'djg_12' lijkt een itemkolom maar is er geen (itemkolommen heten djg_1 … djg_11)"),
    "DJG 3": Case(djg_file, respondents("DJG 3,djg_4,djg_7,djg_9,djg_8,djg_10\nja,nee,ja,nee,nee,ja\n"), 2,
                  "de kolom 'DJG 3' lijkt een itemkolom"),
    "djg_03": Case(djg_file, respondents("djg_03,djg_4,djg_7,djg_9,djg_8,djg_10\nja,nee,ja,nee,nee,ja\n"), 2,
                   "de kolom 'djg_03' lijkt een itemkolom"),
    # 9. a coding with a code twice
    "coding with a duplicate code": Case(lambda folder: ["djg", "--codering", "1=nee,1=ja", "1,1,1,1,1,1"], {}, 2,
                                         "--codering: de code '1' staat er twee keer in (1=nee, 1=ja)"),
    "coding with an answer as code": Case(lambda folder: ["djg", "--codering", "ja=nee,2=ja", "2,2,2,2,2,2"], {}, 2,
                                          "--codering: de code 'ja' is zelf al een antwoord"),
    "empty coding": Case(lambda folder: ["djg", "--codering", "", "1,1,1,1,1,1"], {}, 2, "--codering: '' is geen"),
    # 10. internal errors that are really bad input
    "a directory as person file": Case(lambda folder: ["profiel", "--invoer", str(folder)], {}, 2, "is een map, geen bestand"),
    "a directory as respondent file": Case(lambda folder: ["djg", "--invoer", str(folder)], {}, 2, "is een map, geen bestand"),
    "a directory named like a data file": Case(lambda folder: valideer(folder / "d"), {"d/risicofactoren.yaml/x": b""}, 2,
                                               "risicofactoren.yaml: is een map, geen bestand"),
    "non-UTF-8 on stdin for a person": Case(lambda folder: ["profiel", "--invoer", "-"], {}, 2,
                                            "<stdin>:2: byte 13 (0xE9) is geen UTF-8", stdin=b"leeftijd: 87\nopleiding: l\xe9ag\n"),
    "non-UTF-8 on stdin for respondents": Case(lambda folder: ["djg", "--invoer", "-", "--stil"], {}, 2,
                                               "<stdin>:3: byte 3 (0xE9) is geen UTF-8",
                                               stdin=f"{SHORT}\n{ANSWERS}\nja\xe9".encode("latin-1") + b"\n"),
    "schema onto an existing file": Case(lambda folder: ["data", "schema", "--uit", str(folder / "f")], {"f": b"x"}, 2,
                                         "f is een bestand, geen map"),
    "schema over a file that is no schema": Case(lambda folder: ["data", "schema", "--uit", str(folder / "s")],
                                                 {"s/maten.yaml.schema.json": b"{\"mijn\": 1}"}, 2,
                                                 "maten.yaml.schema.json bestaat al en is geen schema van dit bestand"),
    # 14. messages in Dutch, with the file named once and the right line
    "gekregen: leeg, not None": Case(valideer, {"maten.yaml": (bundled_data_dir() / "maten.yaml").read_bytes().replace(
        b"stapelbaar: true", b"stapelbaar:", 1)}, 3, "(gekregen: leeg)"),
    "a literal choice in Dutch": Case(valideer, {"risicofactoren.yaml": (bundled_data_dir() / "risicofactoren.yaml")
                                                 .read_bytes().replace(b"invoer: keuze", b"invoer: lijst", 1)}, 3,
                                      "moet een van deze zijn: 'keuze', 'ja_nee' of 'aantal' (gekregen: 'lijst')"),
    "true is no age": Case(person, {"p.yaml": b"leeftijd: true\n"}, 2,
                           "p.yaml:1: leeftijd: 'true' is geen geheel getal"),
    "an empty monitor names its file once": Case(valideer, monitor(""), 3,
                                                 "monitor.csv:1: het bestand is leeg (een kopregel met kolomnamen ontbreekt)"),
    "a bad byte on line 2 is on line 2 (CSV)": Case(djg_file, {"r.csv": f"{SHORT}\n".encode() + b"ja,n\xe9e,ja,nee,nee,ja\n"},
                                                   2, "r.csv:2: byte 5 (0xE9) is geen UTF-8"),
    "a bad byte on line 2 is on line 2 (YAML)": Case(valideer, {"signalen.yaml": b"bron: x\nparagraaf: \xe9\n"}, 3,
                                                    "signalen.yaml:2: byte 12 (0xE9) is geen UTF-8"),
    "an unknown monitor column once": Case(valideer, monitor("\n".join(
        line + (",opmerking" if n == 0 else ",tekst") for n, line in enumerate(MONITOR.splitlines())) + "\n"), 3,
        "monitor.csv:1: onbekende kolom(men) opmerking (maten: eenzaam"),
    "an unknown level of a risk group": Case(lambda folder: ["interventies", "--doelgroep", "mantelzorger=misschien"], {}, 2,
                                             "--doelgroep: 'mantelzorger=misschien': mantelzorger heeft geen niveau "
                                             "'misschien' (toegestaan: ja, nee)"),
    # the usual hostile inputs
    "empty file": Case(djg_file, respondents(""), 2, "r.csv:1: het bestand is leeg"),
    "only blank lines": Case(djg_file, respondents("\n\n\n"), 2, "r.csv:1: de eerste regel is leeg"),
    "header only": Case(djg_file, respondents(f"id,{SHORT}\n"), 2, "r.csv: bevat geen rijen, alleen een kopregel"),
    "header only in a monitor CSV": Case(valideer, monitor(MONITOR.splitlines()[0] + "\n"), 3,
                                         "monitor.csv: bevat geen rijen, alleen een kopregel"),
    "binary garbage": Case(djg_file, {"r.csv": bytes(range(256)) * 8}, 2, "r.csv:1: byte 1 is een NUL-byte"),
    "UTF-16": Case(djg_file, {"r.csv": f"{SHORT}\n{ANSWERS}\n".encode("utf-16")}, 2, "r.csv:1: het bestand is UTF-16"),
    "NUL byte": Case(djg_file, {"r.csv": f"{SHORT}\nja,ne\0e,ja,nee,nee,ja\n".encode()}, 2, "r.csv:2: byte 6 is een NUL-byte"),
    "NUL byte in a person file": Case(person, {"p.yaml": b"leeftijd: 87\0\n"}, 2, "p.yaml:1: byte 13 is een NUL-byte"),
    "a 50 MB line": Case(djg_file, {"r.csv": f"id,{SHORT}\n1,".encode() + b"a" * 50_000_000 + b"\n"}, 2,
                         f"r.csv:2: de regel is langer dan {MAX_LINE} tekens"),
    "a 50 MB line in a monitor CSV": Case(lambda folder: ["prevalentie", "--data", str(folder / "monitor.csv")],
                                          {"monitor.csv": MONITOR.encode() + b"x" * 50_000_000 + b"\n"}, 3,
                                          f"monitor.csv:8: de regel is langer dan {MAX_LINE} tekens"),
    "a field past the csv limit": Case(djg_file, respondents(f"id,{SHORT}\n{'1' * 200_000},{ANSWERS}\n"), 2,
                                       "r.csv:2: een veld is langer dan"),
    "cp1252 text": Case(djg_file, {"r.csv": f"naam,{SHORT}\n".encode() + "José,".encode("cp1252") + ANSWERS.encode() + b"\n"},
                        2, "r.csv:2: byte 4 (0xE9) is geen UTF-8; is het bestand Windows-1252 of Latin-1? Sla het op als UTF-8"),
    "too few fields": Case(djg_file, respondents(f"id,{SHORT}\n1,{ANSWERS}\n2,ja,nee\n"), 2,
                           "r.csv:3: 3 velden, de kopregel heeft er 7 (te weinig; scheidingsteken ',')"),
    "too many fields": Case(djg_file, respondents(f"id,{SHORT}\n1,{ANSWERS},extra\n"), 2,
                            "r.csv:2: 8 velden, de kopregel heeft er 7 (te veel; scheidingsteken ',')"),
    "blank header cell": Case(djg_file, respondents(f"id,{SHORT},\n1,{ANSWERS},\n"), 2, "r.csv:1: kolom 8 heeft geen naam"),
    "a bad answer": Case(djg_file, respondents(f"id,{SHORT}\n1,{ANSWERS}\n2,misschien,nee,ja,nee,nee,ja\n"), 2,
                         "r.csv:3: djg_3: 'misschien' is geen geldig antwoord"),
    "1e400": Case(valideer, monitor_edit("52.5", "1e400"), 3, "monitor.csv:6: eenzaam: '1e400' is geen getal"),
    "nan": Case(valideer, monitor_edit("52.5", "nan"), 3, "monitor.csv:6: eenzaam: 'nan' is geen getal"),
    "inf": Case(valideer, monitor_edit("52.5", "-inf"), 3, "monitor.csv:6: eenzaam: '-inf' is geen getal"),
    "85+ as an age": Case(valideer, monitor_edit("85+,85,", "85+,85+,"), 3, "monitor.csv:7: leeftijd_van: '85+' is geen getal"),
    "veertig": Case(valideer, monitor_edit("40.8", "veertig"), 3, "monitor.csv:3: eenzaam: 'veertig' is geen getal"),
    "a thousands separator": Case(valideer, monitor_edit("52.5", "1_052.5"), 3, "'1_052.5' is geen getal"),
    "a percentage over 100": Case(valideer, monitor_edit("52.5", "100.1"), 3,
                                  "monitor.csv:6: eenzaam: mag hoogstens 100 zijn (gekregen: 100.1)"),
    "a decimal comma with , as separator": Case(valideer, monitor_edit("52.5", '"52,5"'), 3,
                                                "'52,5' is geen getal (met , als scheidingsteken hoort een decimale punt: 52.5)"),
    "overlapping bands": Case(valideer, monitor_edit("75-84 jaar,75", "75-84 jaar,70"), 3,
                              "monitor.csv:6: leeftijd_van: overlapt met band '65-74 jaar' (tot en met 74)"),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_input(cli, tmp_path, name):
    case = CASES[name]
    for relative, contents in case.files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = cli(*case.command(tmp_path), input=case.stdin)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "interne fout" not in output
    assert result.exit_code == case.code, output[:2000]
    if case.command(tmp_path)[:2] == ["data", "valideer"] and case.code == 3:
        # The contract of `data valideer`: one line per problem on stdout, a count on stderr.
        assert len(result.stdout.splitlines()) == 1, result.stdout[:2000]
        line = result.stdout
    else:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("eenzaam: "), result.stderr[:2000]
        line = result.stderr
    assert case.message in line, line
    assert line.count(str(tmp_path)) <= 1, line  # the file is named once, not 'file: file:1: …'
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written or left behind


# --- the same classes where a case needs more than a file ------------------------------------------------


def one_line(result, code: int, fragment: str) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exit_code == code, output
    assert result.stderr.count("\n") == 1 and fragment in result.stderr, result.stderr


def test_a_dangling_symlink_as_data(cli, tmp_path):
    (tmp_path / "monitor.csv").symlink_to(tmp_path / "weg.csv")
    one_line(cli("prevalentie", "--data", str(tmp_path / "monitor.csv")), 2,
             f"monitor.csv: is een symbolische koppeling naar '{tmp_path / 'weg.csv'}', dat niet bestaat")
    one_line(cli("data", "valideer", str(tmp_path)), 2, "dat niet bestaat (een gegevensbestand moet een leesbaar bestand zijn)")


def test_a_symlink_loop_as_data(cli, tmp_path):
    (tmp_path / "risicofactoren.yaml").symlink_to(tmp_path / "lus.yaml")
    (tmp_path / "lus.yaml").symlink_to(tmp_path / "risicofactoren.yaml")
    one_line(cli("data", "valideer", str(tmp_path)), 2, "risicofactoren.yaml: is een symbolische koppeling in een kringloop")
    one_line(cli("factoren", "--data", str(tmp_path / "lus.yaml")), 2, "lus.yaml: is een symbolische koppeling in een kringloop")


def _unreadable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Opening `path` through the readers fails as a file without read permission does (tests may run as root)."""
    real = open

    def guarded_open(name, *args, **kwargs):
        if Path(name) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return real(name, *args, **kwargs)

    monkeypatch.setattr(reading, "open", guarded_open, raising=False)


def test_an_unreadable_data_file(cli, tmp_path, monkeypatch):
    shutil.copy(bundled_data_dir() / "maten.yaml", tmp_path / "maten.yaml")
    _unreadable(monkeypatch, tmp_path / "maten.yaml")
    result = cli("data", "valideer", str(tmp_path))
    assert result.exit_code == 3 and result.stdout == f"{tmp_path / 'maten.yaml'}: geen leesrechten\n"
    one_line(cli("factoren", "--data", str(tmp_path)), 3, "maten.yaml: geen leesrechten")


def test_an_unreadable_person_file(cli, tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_text("leeftijd: 87\n")
    _unreadable(monkeypatch, path)
    one_line(cli("profiel", "--invoer", str(path)), 2, f"{path}: geen leesrechten")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_for_real(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f"{SHORT}\n{ANSWERS}\n")
    path.chmod(0)
    one_line(cli("djg", "--invoer", str(path)), 2, f"{path}: geen leesrechten")


def test_schema_into_a_read_only_folder_leaves_nothing_behind(cli, tmp_path, monkeypatch):
    import tempfile

    real = tempfile.mkstemp
    opened = []

    def read_only(*args, **kwargs):
        if len(opened) == 3:  # the fourth file cannot be written
            raise PermissionError(errno.EACCES, "Permission denied")
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = cli("data", "schema", "--uit", str(tmp_path / "uit"))
    one_line(result, 4, f"eenzaam: kan niet schrijven naar {tmp_path / 'uit'}/")  # the file it was writing
    assert result.stderr.endswith(".schema.json: geen schrijfrechten\n")
    assert list((tmp_path / "uit").iterdir()) == []  # not three of nine schemas, nor temporary files


def test_schema_replaces_its_own_earlier_files(cli, tmp_path):
    assert cli("data", "schema", "--uit", str(tmp_path)).exit_code == 0
    (tmp_path / "maten.yaml.schema.json").write_text(json.dumps({"title": "MeasuresFile", "oud": True}))
    assert cli("data", "schema", "--uit", str(tmp_path)).exit_code == 0
    assert "oud" not in json.loads((tmp_path / "maten.yaml.schema.json").read_text())


def test_all_answers_blank_under_a_high_limit_is_not_definite(cli):
    data = json.loads(cli("djg", "--max-ontbrekend", "99", "-f", "json", "--", ",,,,,,,,,,").stdout)
    assert data["djg_categorie"] is None and data["djg_totaal"] == 0
    assert all(data[f"djg_indicator_{i}"] is None for i in ("eenzaam", "ernstig"))


def test_mixed_line_endings_just_work(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(f"id,{SHORT}\r\n1,{ANSWERS}\n2,{ANSWERS}\r3,{ANSWERS}\r\n\n4,{ANSWERS}".encode())
    result = cli("djg", "--invoer", str(path), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["djg_totaal"]) for r in rows] == [("1", "4"), ("2", "4"), ("3", "4"), ("4", "4")]


def test_a_quoted_note_with_line_breaks_is_one_field(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f'id,{SHORT},notitie\n1,{ANSWERS},"twee\nregels, met komma"\n2,{ANSWERS},\n')
    result = cli("djg", "--invoer", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [row["notitie"] for row in json.loads(result.stdout)] == ["twee\nregels, met komma", ""]


def test_minus_zero_is_zero(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a;b\n-0;-0,0\n")
    with open_table(path) as table:
        (_, row), = table.rows()
        assert [str(table.number(row[c])) for c in "ab"] == ["0", "0.0"]


def test_keep_going_yields_a_ragged_row_as_its_error_and_reads_on(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n3\n4,5,6\n7,8\n")
    with open_table(path) as table:
        rows = list(table.rows(keep_going=True))
    assert [line for line, _ in rows] == [2, 3, 4, 5]
    assert rows[0][1] == {"a": "1", "b": "2"} and rows[3][1] == {"a": "7", "b": "8"}
    assert [str(row) for _, row in rows[1:3]] == [
        f"{path}:3: 1 velden, de kopregel heeft er 2 (te weinig; scheidingsteken ',')",
        f"{path}:4: 3 velden, de kopregel heeft er 2 (te veel; scheidingsteken ',')"]


def test_bundled_anchors_and_merges_still_work():
    text = (bundled_data_dir() / "risicofactoren.yaml").read_text(encoding="utf-8")
    assert "&ruim_60" in text and "<<: *turkse_ouderen" in text
    data, lines, problems = load_yaml(text, "risicofactoren.yaml")
    assert problems == [] and lines


def test_person_values_stay_the_text_written(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"leeftijd": 87, "alleenwonend": true, "signalen": ["a", "b"], "opleiding": null}')
    assert [(key, value) for key, value, _ in person_items(str(path))] == [
        ("leeftijd", "87"), ("alleenwonend", "true"), ("signalen", ["a", "b"]), ("opleiding", None)]


# --- standard input that is a terminal: refuse, do not wait ------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("args", [["djg", "--invoer", "-"], ["profiel", "--invoer", "-"]], ids=["djg", "profiel"])
def test_stdin_that_is_a_terminal_is_refused(args):
    import pty

    parent, child = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "eenzaam_cli", *args], stdin=child, capture_output=True,
                              text=True, timeout=60)
    finally:
        os.close(parent)
        os.close(child)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == ("eenzaam: <stdin>: standaardinvoer is een terminal; geef een bestand, of stuur de gegevens "
                           "met een pijp of < bestand\n")


# --- properties -----------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(alphabet=st.sampled_from(list(';,\t"\r\n ab1.\x00é')), max_size=200)
       .map(lambda s: s.encode("utf-8")))
def test_open_table_raises_nothing_but_input_errors(tmp_path, data):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    try:
        with open_table(path) as table:
            for _, row in table.rows(empty_ok=True):
                assert list(row) == table.header
                for text in row.values():
                    try:
                        table.number(text)
                    except ValueError:
                        pass
    except InputError as error:
        assert "\n" not in str(error)


FIELD = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\té1')), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="abcdefgh_", min_size=1, max_size=6), min_size=1, max_size=5, unique=True),
       st.lists(st.lists(FIELD, min_size=5, max_size=5), max_size=6), st.sampled_from([",", ";", "\t"]))
def test_rows_written_by_csv_come_back_as_written(tmp_path, header, rows, separator):
    """Whatever csv.writer writes comes back field for field, or is refused with one line; never changed."""
    rows = [row[:len(header)] for row in rows]
    rows = [row for row in rows if any(field.strip() for field in row)]  # a row of blanks is no row
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    try:
        with open_table(path) as table:
            if table.dialect.separator != separator:
                return  # a one-column header gives the sniffer nothing to go on
            back = [list(row.values()) for _, row in table.rows(empty_ok=True)]
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert back == rows


YAML_TEXT = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!,'\"#|>\n \t01.~é?%@`\\")), max_size=120)


@settings(max_examples=400, deadline=None)
@given(YAML_TEXT, st.booleans(), st.booleans())
def test_the_yaml_loader_returns_problems_and_raises_nothing(text, aliases, as_text):
    data, lines, problems = load_yaml(text, "f.yaml", aliases=aliases, as_text=as_text)
    for problem in problems:
        assert "\n" not in str(problem)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | YAML_TEXT.map(lambda s: s.encode("utf-8")))
def test_person_files_raise_nothing_but_input_errors(tmp_path, data):
    path = tmp_path / "p.yaml"
    path.write_bytes(data)
    try:
        person_items(str(path))
    except InputError as error:
        assert "\n" not in str(error)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | YAML_TEXT.map(lambda s: s.encode("utf-8")),
       st.binary(max_size=300) | st.text(alphabet=st.sampled_from(list(';,"\n1.x\x00é')), max_size=200)
       .map(lambda s: (MONITOR.splitlines()[0] + "\n" + s).encode("utf-8")))
def test_data_files_report_problems_and_raise_nothing(tmp_path, yaml_bytes, csv_bytes):
    """A data file is validated into problems (exit 3), whatever its bytes: nothing raises."""
    from eenzaam_cli.core.reference.validation import _validate_monitor, _validate_yaml

    (tmp_path / "signalen.yaml").write_bytes(yaml_bytes)
    (tmp_path / "monitor.csv").write_bytes(csv_bytes)
    checked = [_validate_yaml("signalen.yaml", tmp_path / "signalen.yaml"),
               _validate_monitor(tmp_path / "monitor.csv", ["eenzaam", "ernstig"])]
    for file in checked:
        assert all("\n" not in str(problem) for problem in file.problems)


ANSWER = st.sampled_from(["ja", "nee", "min of meer", "", "-", "ja!", "misschien", "3"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.lists(ANSWER, min_size=6, max_size=6), st.sampled_from(["", "n", "x,y", 'a"b', "r\nr"])),
                min_size=1, max_size=12))
def test_djg_file_rows_in_equal_rows_out_plus_the_row_reported(cli, tmp_path, rows):
    """Every row comes out, in order, or the run stops at the first bad row and names its line; none vanish."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", *SHORT.split(","), "notitie"])
    lines, line = [], 2
    for number, (answers, note) in enumerate(rows, 1):
        writer.writerow([number, *answers, note])
        lines.append(line)
        line += 1 + note.count("\n")
    path = tmp_path / "r.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = cli("djg", "--invoer", str(path), "-f", "csv", "--stil")
    assert "Traceback" not in result.stdout + result.stderr
    out = list(csv.DictReader(io.StringIO(result.stdout)))
    bad = [n for n, (answers, _) in enumerate(rows) if any(a in ("misschien", "3") for a in answers)]
    if not bad:
        assert result.exit_code == 0, result.stderr
        assert [r["id"] for r in out] == [str(n) for n in range(1, len(rows) + 1)]
        assert [r["notitie"] for r in out] == [note for _, note in rows]
    else:
        assert result.exit_code == 2 and result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"eenzaam: {path}:{lines[bad[0]]}: ")
        assert [r["id"] for r in out] == [str(n) for n in range(1, bad[0] + 1)]  # every row before it, in order


# --- resources: the alias bomb and the huge line must not eat the memory ------------------------------------

PEAK = 200 * 1024 * 1024


def peak_memory(args: list[str], stdin: Path | None = None) -> tuple[int, subprocess.CompletedProcess]:
    """Run `eenzaam ARGS` in a fresh process; return its peak resident memory in bytes, and the run."""
    probe = (
        "import resource, subprocess, sys, tempfile\n"
        "stdin = open(sys.argv[1], 'rb') if sys.argv[1] else subprocess.DEVNULL\n"
        "done = subprocess.run([sys.executable, '-m', 'eenzaam_cli', *sys.argv[2:]], stdin=stdin,\n"
        "                      stdout=tempfile.TemporaryFile(), stderr=subprocess.PIPE)\n"
        "sys.stderr.buffer.write(done.stderr)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(stdin or ""), *args], capture_output=True, text=True,
                          timeout=300)
    code, kib = done.stdout.split()
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return int(kib) * scale, subprocess.CompletedProcess(args, int(code), "", done.stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource")
@pytest.mark.parametrize("case", ["person bomb", "data bomb", "data bomb via --data", "djg 50 MB line",
                                  "djg 50 MB line on stdin", "monitor 50 MB line"])
def test_peak_memory_stays_small(tmp_path, case):
    if case == "person bomb":
        (tmp_path / "p.yaml").write_text(bomb(8))
        args, code, stdin = ["profiel", "--invoer", str(tmp_path / "p.yaml")], 2, None
    elif case.startswith("data bomb"):
        (tmp_path / "d").mkdir()
        (tmp_path / "d" / "signalen.yaml").write_text(bomb(8))
        args = ["data", "valideer", str(tmp_path / "d")] if case == "data bomb" else ["signalen", "--data", str(tmp_path / "d")]
        code, stdin = 3, None
    elif case.startswith("djg"):
        path = tmp_path / "r.csv"
        path.write_bytes(f"id,{SHORT}\n1,".encode() + b"a" * 50_000_000 + b"\n")
        args, code = (["djg", "--invoer", "-"], 2) if case.endswith("stdin") else (["djg", "--invoer", str(path)], 2)
        stdin = path if case.endswith("stdin") else None
    else:
        (tmp_path / "monitor.csv").write_bytes(MONITOR.encode() + b"1" * 50_000_000 + b"\n")
        args, code, stdin = ["prevalentie", "--data", str(tmp_path / "monitor.csv")], 3, None
    peak, done = peak_memory(args, stdin)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert peak < PEAK, f"{case}: peak {peak / 1024 / 1024:.0f} MiB"


CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r1')), max_size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=12), st.sampled_from(["\n", "\r\n", "\r"]),
       st.booleans(), st.integers(1, 4), st.integers(1, 40))
def test_batches_and_chunks_read_what_csv_reads(tmp_path, monkeypatch, rows, ending, quote_all, batch, chunk):
    """The reader checks text a chunk at a time and splits quote-free lines a batch at a time: whatever the
    sizes (here tiny, so rows cross every boundary), it yields the rows and line numbers csv.reader gives."""
    from eenzaam_cli.core.files import tabular

    monkeypatch.setattr(tabular, "BATCH_LINES", batch)
    monkeypatch.setattr(tabular, "CHUNK", chunk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows([["a", "b", "c"], *rows])
    path = tmp_path / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    expected = []
    reader = csv.reader(io.StringIO(buffer.getvalue(), newline=""), strict=True)
    next(reader)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        if any(field.strip() for field in fields):
            expected.append((start, fields))
    try:
        with open_table(path) as table:
            got = list(table.records(empty_ok=True, keep_going=True))
    except InputError as error:  # a quoted field holding whole rows, say: refused with one line
        assert "\n" not in str(error)
        return
    def refused(row: list[str]) -> bool:  # ragged, or a quoted field holding what looks like whole rows
        return len(row) != 3 or any(any(part.count(",") >= 2 for part in field.splitlines()[1:]) for field in row)

    assert [(line, row if isinstance(row, list) else None) for line, row in got] == \
        [(line, None if refused(row) else row) for line, row in expected]
