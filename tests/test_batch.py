"""`eenzaam batch`: every row profiled by the profile engine, every row accounted for, files written safely."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.reference.loading import load_reference
from eenzaam_cli.core.person import PersonReader
from eenzaam_cli.core.profile import Engine

REFERENCE = load_reference()
HEADER = "id;leeftijd;burgerlijke_staat;opleiding;" + ";".join(f"djg_{i}" for i in range(1, 12)) + ";weging"
LONELY = "nee;ja;ja;nee;ja;ja;nee;nee;ja;ja;nee"  # 11 of 11
SOME = "ja;ja;ja;ja;ja;nee;ja;ja;ja;nee;ja"  # 4: matig eenzaam
NONE = "ja;nee;nee;ja;nee;nee;ja;ja;nee;nee;ja"  # 0
GOOD = [f"1;45;gehuwd;hoog;{NONE};1,2", f"2;87;verweduwd;laag;{LONELY};0,8", f"3;70;;;{SOME};1"]
BAD = [f"4;abc;gehuwd;hoog;{NONE};1", f"5;30;onbekend;hoog;{NONE};1", "6;60;gescheiden;midden;ja;misschien;" + ";".join(NONE.split(";")[2:]) + ";1",
       "7;40;gehuwd;hoog;ja;nee"]


def write(tmp_path: Path, lines: list[str], name: str = "in.csv", separator: str = ";") -> Path:
    path = tmp_path / name
    text = "\n".join([HEADER, *lines]).replace(";", separator) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(text: str, separator: str = ";") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=separator))


def test_rows_get_the_profile_engines_results(cli, tmp_path):
    result = cli("batch", str(write(tmp_path, GOOD)))
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result.stdout)
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[1]["djg_totaal"] == "11" and rows[1]["djg_categorie"] == "ernstig_eenzaam"
    assert rows[1]["preventieniveau"] == "3" and rows[2]["preventieniveau"] == "2" and rows[0]["preventieniveau"] == "1"
    reference = load_reference()
    person = PersonReader(reference).read([("leeftijd", "87", "t"), ("burgerlijke_staat", "verweduwd", "t"),
                                           ("opleiding", "laag", "t")])
    profile = Engine(reference).profile(person)
    stack = profile.stacks["eenzaam"]
    assert Decimal(rows[1]["illustratie_onafhankelijk_eenzaam"]) == stack.combined
    assert Decimal(rows[1]["hoogste_groepscijfer_eenzaam"]) == stack.highest_group
    assert rows[1]["risicofactoren"].split(";") == [f.factor.id for f in profile.findings if f.direction == "risico"]
    assert rows[1]["leeftijdsband"] == "85+" and rows[1]["weging"] == "0,8"  # input columns pass through untouched
    assert result.stderr.strip().endswith("3 rijen gelezen = 3 geschreven + 0 afgewezen")


def test_bad_rows_are_listed_good_rows_written_totals_add_up(cli, tmp_path):
    errors = tmp_path / "fouten.csv"
    out = tmp_path / "uit.csv"
    result = cli("batch", str(write(tmp_path, GOOD + BAD)), "-o", str(out), "--fouten", str(errors))
    assert result.exit_code == 3
    assert [r["id"] for r in rows_of(out.read_text(encoding="utf-8"))] == ["1", "2", "3"]
    problems = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8"))))
    assert [(p["rij"], p["kolom"]) for p in problems][:3] == [("5", "leeftijd"), ("6", "burgerlijke_staat"), ("7", "djg_2")]
    assert problems[0]["waarde"] == "abc" and "misschien" == problems[2]["waarde"]
    assert len(problems) == 4  # the short row too: nothing is silently dropped
    assert result.stderr.strip().endswith("7 rijen gelezen = 3 geschreven + 4 afgewezen")


def test_too_few_columns_is_a_rejected_row_not_a_crash(cli, tmp_path):
    result = cli("batch", str(write(tmp_path, GOOD + ["7;40;gehuwd;hoog;ja;nee"])))
    assert result.exit_code in (2, 3) and "Traceback" not in result.stderr


def test_strict_stops_at_the_first_bad_row_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "uit.csv"
    result = cli("batch", str(write(tmp_path, GOOD[:1] + BAD + GOOD[1:])), "-o", str(out), "--strikt")
    assert result.exit_code == 3 and not out.exists()
    assert "2 rijen gelezen = 1 geschreven + 1 afgewezen" in result.stderr
    assert not list(tmp_path.glob(".eenzaam-*"))


def test_dutch_export_gives_the_same_result_columns(cli, tmp_path):
    points = [line.replace("1,2", "1.2").replace("0,8", "0.8") for line in GOOD]  # a decimal point with ','
    plain = rows_of(cli("batch", str(write(tmp_path, points, "a.csv", ","))).stdout, ",")
    assert len(plain) == 3
    dutch_path = tmp_path / "b.csv"
    dutch_path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *GOOD]) + "\r\n").encode("utf-8"))
    dutch = rows_of(cli("batch", str(dutch_path)).stdout, ";")
    added = ["leeftijdsband", "djg_totaal", "djg_categorie", "illustratie_onafhankelijk_eenzaam", "preventieniveau"]
    assert [[r[c] for c in added] for r in plain] == [[r[c] for c in added] for r in dutch]


def test_jsonl_and_json(cli, tmp_path):
    path = write(tmp_path, GOOD)
    lines = cli("batch", str(path), "-f", "jsonl").stdout.splitlines()
    assert json.loads(lines[1])["djg_totaal"] == 11 and json.loads(lines[1])["preventieniveau"] == 3
    assert [r["id"] for r in json.loads(cli("batch", str(path), "-f", "json").stdout)] == ["1", "2", "3"]


def test_unusable_input_is_exit_2(cli, tmp_path):
    assert cli("batch", str(tmp_path / "nope.csv")).exit_code == 2
    empty = tmp_path / "leeg.csv"
    empty.write_text("", encoding="utf-8")
    assert cli("batch", str(empty)).exit_code == 2
    header_only = tmp_path / "kop.csv"
    header_only.write_text(HEADER + "\n", encoding="utf-8")
    assert cli("batch", str(header_only)).exit_code == 2


def test_formula_cells_are_neutralised_unless_raw(cli, tmp_path):
    path = write(tmp_path, [f"=HYPERLINK(\"x\");45;gehuwd;hoog;{NONE};1"])
    assert rows_of(cli("batch", str(path)).stdout)[0]["id"] == "'=HYPERLINK(\"x\")"
    assert rows_of(cli("batch", str(path), "--ruwe-csv").stdout)[0]["id"] == "=HYPERLINK(\"x\")"


def test_report_weighted_with_kish(cli, tmp_path):
    report = tmp_path / "rapport.json"
    result = cli("batch", str(write(tmp_path, GOOD)), "--rapport", str(report), "--gewicht", "weging", "-o",
                 str(tmp_path / "uit.csv"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rijen_gelezen"] == 3 and data["per_niveau"] == {"1": 1, "2": 1, "3": 1}
    shares = {s["leeftijdsband"]: s for s in data["prevalentie"]["eenzaam"]}
    assert shares["85+"]["aandeel"] == 100.0 and shares["85+"]["landelijk_2016"] == 62.7
    html = tmp_path / "rapport.html"
    cli("batch", str(write(tmp_path, GOOD)), "--rapport", str(html), "-o", str(tmp_path / "uit2.csv"))
    assert "<table>" in html.read_text(encoding="utf-8") and 'class="bar"' in html.read_text(encoding="utf-8")


def test_kish_effective_n():
    from eenzaam_cli.core.batch import Outcome, Tally

    tally = Tally(("eenzaam",), weighted=True)
    for weight, lonely in ((1.0, True), (3.0, False)):
        tally.add("19-34 jaar", Outcome(1, (("eenzaam", lonely),)), weight)
    (share,) = tally.shares("eenzaam", {"19-34 jaar": Decimal("38.7")})
    assert share.value == pytest.approx(0.25) and share.n == pytest.approx(16 / 10)


def test_same_rows_in_same_bytes_out(cli, tmp_path):
    path = write(tmp_path, GOOD + BAD)
    assert cli("batch", str(path)).stdout == cli("batch", str(path)).stdout


def test_stdin_and_a_broken_pipe_end_quietly(tmp_path):
    path = write(tmp_path, GOOD * 2000)
    done = subprocess.run(f"{sys.executable} -m eenzaam_cli batch - < {path} | head -2", shell=True,
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.count("\n") == 2 and "Traceback" not in done.stderr


AGES = ["45", "87", "19", " 70 ", "", "abc", "101", "12"]
STATES = ["gehuwd", "Verweduwd", " gescheiden", "", "onbekend"]
ANSWERS = ["ja", "nee", "min of meer", "", "Ja", "misschien"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(AGES), st.sampled_from(STATES), st.lists(st.sampled_from(ANSWERS), min_size=11,
                                                                                  max_size=11), st.booleans()),
                min_size=1, max_size=40))
def test_a_chunk_gets_exactly_what_each_row_gets_alone(rows):
    """BatchEngine.chunk looks many rows up at once: every row's cells, or its error, are those of `result`."""
    from eenzaam_cli.core.batch import BatchEngine
    from eenzaam_cli.core.files.tabular import RowError

    header = ["id", "leeftijd", "burgerlijke_staat", *(f"djg_{i}" for i in range(1, 12))]
    fields = [RowError("in.csv", n, "2 velden") if ragged else [str(n), age, state, *answers]
              for n, (age, state, answers, ragged) in enumerate(rows, 2)]
    lines = list(range(2, len(rows) + 2))
    chunked = BatchEngine(REFERENCE, header, file="in.csv")
    warm = [fields[0]] if isinstance(fields[0], list) else []
    chunked.chunk(warm, lines[:len(warm)])  # some caches filled, some not
    profiled, risks, scored, outcomes, errors = chunked.chunk(fields, lines)
    for index, row in enumerate(fields):
        alone = BatchEngine(REFERENCE, header, file="in.csv")
        try:
            if isinstance(row, RowError):
                raise row
            expected = alone.cells(alone.result(row, lines[index]))
        except InputError as error:
            assert str(errors[index]) == str(error)
            continue
        assert index not in errors
        assert chunked.cells((profiled[index], risks[index], scored[index], outcomes[index])) == expected


def test_chunks_write_what_the_csv_writer_writes(cli, tmp_path):
    """Batches of a long file, with risky and quoted cells and bad rows among them, come out as csv.writer and
    neutralise write them, row for row, whatever batch a row falls in."""
    from eenzaam_cli.cli.output import neutralise
    from eenzaam_cli.core.batch import BatchEngine

    lines = [f"{n};{45 + n % 40};{['gehuwd', 'verweduwd', 'ongehuwd'][n % 3]};hoog;"
             f"{[NONE, LONELY, SOME][n % 3]};1" for n in range(1, 3001)]
    lines[1500] = "=1+1;" + lines[1500].split(";", 1)[1].replace("hoog", "laag")
    lines[2100] = f'"21;01";50;gehuwd;hoog;{NONE};1'
    lines[2500] = BAD[0]
    path = write(tmp_path, lines)
    result = cli("batch", str(path))
    assert result.exit_code == 3
    expected = io.StringIO()
    writer = csv.writer(expected, delimiter=";", lineterminator="\n")
    engine = BatchEngine(REFERENCE, HEADER.split(";"))
    for number, row in enumerate(csv.reader(io.StringIO("\n".join(lines)), delimiter=";"), 2):
        try:
            cells = engine.cells(engine.result(row, number))
        except InputError:
            continue
        writer.writerow([neutralise(value) for value in row] + cells)
    assert result.stdout.splitlines()[1:] == expected.getvalue().splitlines()
    assert result.stdout.count("\n") == 3000 and "'=1+1" in result.stdout and '"21;01"' in result.stdout


def test_a_terminated_run_leaves_no_file_behind(tmp_path):
    """A job scheduler's SIGTERM ends a run as Ctrl-C does: exit 130, no output and no temporary file."""
    import signal
    import time

    path = write(tmp_path, GOOD * 200_000)
    out = tmp_path / "uit"
    out.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "eenzaam_cli", "batch", str(path), "-o", str(out / "uit.csv"),
                                "--stil"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not any(out.iterdir()) and time.monotonic() < deadline:  # the temporary file: the run has started
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and "Traceback" not in stderr
    assert list(out.iterdir()) == []


def test_columns_that_only_add_a_risk_factor_add_no_profiles():
    """A factor that can only be a risk or not, at every age, is no part of the profile's key: 64 combinations of
    such columns for two people are two profiles, and each row's risk factors are those of the profile alone (in
    the order of the columns, the age's last). Factors with figures, an overlap or a risk level with an age
    condition stay in the key; a condition on a level that is no risk does not put one there."""
    from itertools import product

    from eenzaam_cli.core.batch import BatchEngine

    only = ["psychische_problemen", "veerkracht", "sport", "vrijwilligerswerk", "lhbti", "mantelzorger"]
    header = ["id", "leeftijd", "burgerlijke_staat", *only, "opleiding"]
    engine = BatchEngine(REFERENCE, header)
    assert engine.direction_only == tuple(only)
    assert engine.figured == ("burgerlijke_staat", "opleiding")
    values = [["ja", "nee"], ["laag", "hoog"], ["ja", "nee"], ["ja", "nee"], ["ja", "nee"], ["ja", ""]]
    rows = [[str(n), age, state, *combination, "laag"]
            for n, (age, state, combination) in enumerate(((age, state, c) for age, state in (("80", "verweduwd"), ("40", "gehuwd"))
                                                           for c in product(*values)), 2)]
    profiled, risks, scored, outcomes, errors = engine.chunk(rows, list(range(2, len(rows) + 2)))
    assert not errors and len(engine._profiles) == 2
    for row, result in zip(rows, zip(profiled, risks, scored, outcomes)):
        person = PersonReader(REFERENCE).read([(c, v, c) for c, v in zip(header[1:], row[1:])])
        profile = Engine(REFERENCE).profile(person, fits=False)
        expected = [f.factor.id for f in profile.findings if f.direction == "risico"]
        assert engine.cells(result)[5:7] == [";".join(expected), str(len(expected))]


# --- issue 21: blocks and pyarrow only where they pay ---


def _imports_pyarrow(tmp_path, rows: int) -> bool:
    """Whether `eenzaam batch` on a file of `rows` rows (batch_data.py) imports pyarrow, in a fresh process."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from batch_data import write
    finally:
        sys.path.pop(0)
    source = tmp_path / f"r{rows}.csv"
    write(rows, str(source))
    code = ("import sys; from eenzaam_cli.cli import main; sys.argv = ['eenzaam', 'batch', sys.argv[1], '-o', "
            "sys.argv[2], '--stil']\ntry:\n    main()\nexcept SystemExit:\n    pass\nprint('pyarrow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(source), str(tmp_path / "uit.csv")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


def test_a_small_file_never_imports_pyarrow(tmp_path):
    """pyarrow's import (0.3 s) is paid only by a file that comes in blocks: 2,000 rows (a quarter MiB, under 65,536
    lines) never import it, with pyarrow installed or not."""
    assert not _imports_pyarrow(tmp_path, 2_000)


def test_a_file_of_8_mib_comes_in_blocks_through_pyarrow(tmp_path):
    """A file of 8 MiB or more (70,000 rows of batch_data.py: about 8.5 MiB) is read in blocks from its first line,
    through core/columnar.py, when pyarrow is installed (a few seconds)."""
    pytest.importorskip("pyarrow", reason="the extra snel (pyarrow) is not installed")
    assert _imports_pyarrow(tmp_path, 70_000)


# --- item 1: no cliff at many distinct keys ---

def _spelled(value: str) -> list[str]:
    """A value as people type it: the same level each time."""
    return list(dict.fromkeys([value, value.upper(), value.capitalize(), f" {value}", f"{value} ",
                               value.replace("_", " "), value.replace("_", "-").title()]))


def test_spellings_of_two_people_past_the_cache_limit_are_two_profiles(cli, tmp_path, monkeypatch):
    """Two people of 28 who differ only in work: 48% and 39% highest group figure (eenzaam; as in
    test_cache_equivalence). Each is spelled 35 ways (5 of gehuwd, 7 of geen_moeite), 70 keys as written, far more
    than a cache of 8 holds: each profile is computed once, and every row gets its own person's figure."""
    from eenzaam_cli.core import batch

    monkeypatch.setattr(batch, "CACHE_LIMIT", 8)
    computed = []
    stacking = Engine._stacking  # once per profile computed
    monkeypatch.setattr(Engine, "_stacking", lambda self, *args: computed.append(1) or stacking(self, *args))
    lines = ["id,leeftijd,burgerlijke_staat,opleiding,rondkomen,werk,migratie"]
    for work in ("geen_betaald", "betaald"):
        for state in _spelled("gehuwd"):
            for money in _spelled("geen_moeite"):
                lines.append(f"{len(lines)},28,{state},midden,{money},{work},nederlands")
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "uit.csv"
    result = cli("batch", str(source), "-o", str(out), "--stil")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len({(r["burgerlijke_staat"], r["rondkomen"], r["werk"]) for r in rows}) == 70
    assert [r["hoogste_groepscijfer_eenzaam"] for r in rows] == ["48"] * 35 + ["39"] * 35
    assert len(computed) == 2


def test_a_full_cache_drops_its_oldest_quarter_not_everything():
    from eenzaam_cli.core.profile import remember

    cache: dict[int, str] = {}
    for n in range(9):
        remember(cache, n, str(n), 8)
    assert list(cache) == [2, 3, 4, 5, 6, 7, 8]  # 0 and 1 (a quarter of 8) made room for 8


_VALUES = {"leeftijd": ["", "28", "60", "80", "80 "], "burgerlijke_staat": ["", *_spelled("verweduwd"), "gehuwd"],
           "opleiding": ["", "laag", "HOOG"], "werk": ["betaald", "Geen betaald"], "migratie": ["", "turks", " Turks"],
           "belangrijke_relaties": ["", "2", "7"], "mantelzorger": ["ja", "nee"]}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(*(st.sampled_from(values) for values in _VALUES.values())), min_size=1, max_size=60),
       st.integers(2, 9), st.integers(2, 9))
def test_caches_smaller_than_a_file_give_what_unbounded_caches_give(rows, limit, profiles):
    """However small the caches, each row gets what an engine whose caches hold every key gives it, and no cache
    holds more than its limit."""
    from eenzaam_cli.core import batch

    header = ["id", *_VALUES]
    rows = [[str(n), *row] for n, row in enumerate(rows, 2)]

    def cells(cache: int, by_value: int) -> tuple[list[list[str]], batch.BatchEngine]:
        saved = batch.CACHE_LIMIT, batch.PROFILE_LIMIT
        batch.CACHE_LIMIT, batch.PROFILE_LIMIT = cache, by_value
        try:
            engine = batch.BatchEngine(REFERENCE, header)
            found = []
            for start in range(0, len(rows), 7):
                part = rows[start:start + 7]
                *columns, errors = engine.chunk(part, [int(row[0]) for row in part])
                assert not errors
                found += [engine.cells(result) for result in zip(*columns)]
            return found, engine
        finally:
            batch.CACHE_LIMIT, batch.PROFILE_LIMIT = saved

    small, engine = cells(limit, profiles)
    assert small == cells(10**9, 10**9)[0]
    assert len(engine._profiles) <= limit and len(engine._by_value) <= profiles


def test_counts_within_one_level_share_one_profile():
    """belangrijke_relaties counts by its level: 0 to 3 is minder_dan_vier (a risk), 4 or more vier_of_meer. Six
    counts at one age are two profiles, and each row has the risk factor exactly when its count is below four."""
    from eenzaam_cli.core.batch import BatchEngine

    engine = BatchEngine(REFERENCE, ["id", "leeftijd", "belangrijke_relaties"])
    rows = [[str(n), "40", count] for n, count in enumerate(["0", "1", " 3", "2", "4", "12"], 2)]
    *columns, errors = engine.chunk(rows, [int(row[0]) for row in rows])
    assert not errors and len(engine._by_value) == 2
    assert [engine.cells(result)[5] for result in zip(*columns)] == ["belangrijke_relaties"] * 4 + [""] * 2


def test_a_quoted_cell_with_a_line_break_stays_quoted(cli, tmp_path):
    """A cell that holds a line break is written quoted, as read: the row stays one row (the fast writer took such a
    row for plain lines and split it in two)."""
    source = tmp_path / "x.csv"
    source.write_text('id,leeftijd,notitie\n1,45,"r\nr"\n', encoding="utf-8")
    result = cli("batch", str(source), "--stil")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:3] == ['1,45,"r', 'r",35-49 jaar,,,,,,0,40.8,40.8,10.4,10.4,1']
