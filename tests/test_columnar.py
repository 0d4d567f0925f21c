"""`eenzaam batch` with pyarrow (core/columnar.py: blocks of lines profiled as columns) gives byte for byte what the
row-by-row path gives: the rows, the rejected rows, the report, the observed counts, the summary and the exit code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="core/columnar.py needs pyarrow (the extra `snel`)")

import eenzaam_cli.core.batch as batch_module  # noqa: E402
import eenzaam_cli.core.files.tabular as tabular  # noqa: E402
from eenzaam_cli.core.columnar import Columns  # noqa: E402

ITEMS = [f"djg_{i}" for i in range(1, 12)]
SETTLED = dict(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Run:
    """What one `eenzaam batch` run gives: exit code, standard output and error, and every file it wrote."""

    def __init__(self, result, files: dict[str, bytes], blocks: int):
        self.exit_code, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr
        self.files, self.blocks = files, blocks

    def seen(self) -> tuple:
        return self.exit_code, self.stdout, self.stderr, self.files


FILES = ("-o", "{out}/out.csv", "--fouten", "{out}/fouten.csv", "--rapport", "{out}/r.json")


def batch(cli, folder: Path, source: Path | str, *options: str, columnar: bool, block: int = 300, chunk: int = 100,
          input: str | None = None) -> Run:  # noqa: A002 - CliRunner's name
    """`eenzaam batch` on `source` with `options` (`{out}` in them: an empty folder, whose files the run gives); with
    `columnar`, blocks from the first line, `block` characters each, read `chunk` characters at a time (so that a
    small file comes in many blocks); else row by row, as without pyarrow. `input`: standard input (`source` -)."""
    out = folder / "out"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    blocks = []
    profile = Columns.profile

    def counted(self, block_, prepared):
        done = profile(self, block_, prepared)
        blocks.append(done is not None)
        return done

    with ExitStack() as stack:
        if columnar:
            stack.enter_context(mock.patch.object(batch_module, "columnar_after", lambda size: 0))
            stack.enter_context(mock.patch.object(tabular, "BLOCK_CHARS", block))
            stack.enter_context(mock.patch.object(tabular, "CHUNK", chunk))
            stack.enter_context(mock.patch.object(Columns, "profile", counted))
        else:
            stack.enter_context(mock.patch.object(batch_module, "columnar_after", lambda size: None))
        result = cli("batch", str(source), *(option.format(out=out) for option in options), input=input)
    return Run(result, {path.name: _content(path) for path in sorted(out.iterdir())}, sum(blocks))


def _content(path: Path) -> bytes | list:
    """A file's bytes; a workbook's cells (its zip holds the time it was written)."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def same(cli, folder: Path, source: Path | str, *options: str, **kwargs) -> Run:
    """Runs `batch` both ways, checks that they give the same, and returns the columnar run."""
    rows = batch(cli, folder, source, *options, columnar=False, **kwargs)
    columns = batch(cli, folder, source, *options, columnar=True, **kwargs)
    assert columns.seen() == rows.seen()
    return columns


# --- the rows of a file: mostly as a survey writes them, some as anything may come --------------------------------

AGES = [str(age) for age in (0, 12, 19, 25, 45, 64, 65, 74, 75, 84, 85, 100, 110)]
LEVELS = {
    "burgerlijke_staat": ["gehuwd", "samenwonend", "ongehuwd", "gescheiden", "verweduwd"],
    "opleiding": ["laag", "midden", "hoog"],
    "rondkomen": ["moeite", "geen_moeite"],
    "werk": ["betaald", "geen_betaald"],
    "migratie": ["nederlands", "westers", "niet_westers", "turks", "marokkaans", "surinaams"],
    "mantelzorger": ["ja", "nee"],
    "alleenwonend": ["ja", "nee"],
    "eenzaam": ["ja", "nee", "ernstig"],  # loneliness stated: a score may contradict it (the row is rejected)
}
HEADER = ["id", "leeftijd", *LEVELS, *ITEMS, "wijk", "weging"]
ANSWERS = ["ja", "nee", "min of meer"]
AREAS = ["Noord", "Zuid", "Oost"]
ODD = ["=1+1", "+31", "-5", "@x", "'=x", "a\tb", "é", "Zürich", "x\xa0", "\u2003y", "z\x0b", "\x1cw", "\x0c", "\x1d",
       "\x1e", "\x85", "\u2028", "  ", "", "٧٦", "７６", "7_6", "076", "+76", "1e2", "76.", "nan"]


def cases(text: str) -> list[str]:
    return [text, text.upper(), text.capitalize(), f" {text} ", f"{text} "]


def clean_pools(separator: str) -> dict[str, list[str]]:
    """Per column, what a survey writes: a level or blank, the answers ja/nee/min of meer or blank (mostly no
    loneliness stated, which a score may contradict)."""
    return {"id": [str(n) for n in range(1, 40)], "leeftijd": AGES + [""],
            **{column: levels + [""] * (1 + 3 * (column == "eenzaam")) for column, levels in LEVELS.items()},
            **dict.fromkeys(ITEMS, ANSWERS + [""]), "wijk": AREAS + [""],
            "weging": ["1", "0.5", "2"] if separator == "," else ["1", "0,5", "2"]}


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def odd_cell(values: list[str], separator: str) -> st.SearchStrategy[str]:
    """A cell as anything may come: a level in another case or with spaces, a bad value, a formula, a quoted cell
    (with the separator, doubled quotes or a line end), text with other spaces or letters."""
    other = separator == ";" and "76,0" or "76.0"
    plain = st.sampled_from([*values, *(variant for value in values[:3] for variant in cases(value)), *ODD,
                             "abc", "-3", " 76 ", other, "onbekend", "1", "2", "3"])
    return st.one_of(plain, plain.map(quoted), st.sampled_from([f"a{separator}b", 'zei "ja"', "twee\nregels",
                                                                 "cr\r\nlf"]).map(quoted))


@st.composite
def lines(draw, header: list[str], separator: str) -> str:
    """One line of the file (without its end): a row, a row of the wrong width or without a first field, a blank line
    or only separators."""
    pools = clean_pools(separator)
    kind = draw(st.sampled_from(["clean"] * 6 + ["odd", "short", "long", "blank", "separators", "no first field"]))
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\xa0"]))
    if kind == "separators":  # mostly as many as a row has, with or without spaces (Python's: str.isspace)
        spaces = draw(st.sampled_from(["", " ", "\xa0", "\u2003", "\x0b", "\x1f", "\u3000"]))
        return spaces + (separator + spaces) * draw(st.sampled_from([len(header) - 1] * 3 + [1, len(header)]))
    fields = [draw(odd_cell(pools[column][:-1], separator) if kind == "odd" else st.sampled_from(pools[column]))
              for column in header]
    if kind == "no first field":
        fields[0] = draw(st.sampled_from(["", " ", "  ", "\xa0", "\x1c"]))
    elif kind == "short":
        fields = fields[:draw(st.integers(0, len(fields) - 1))]
    elif kind == "long":
        fields += draw(st.lists(st.sampled_from(["", "x", "1"]), min_size=1, max_size=3))
    return separator.join(fields)


SHORT = [f"djg_{i}" for i in (3, 4, 7, 8, 9, 10)]  # the six items of the short scale (djg6)


@st.composite
def files(draw) -> tuple[str, str]:
    """(separator, text) of a respondent file: a header of some person columns and one scale or none; lines each with
    its own end (mostly LF), runs of rows as a survey writes them between odd lines, maybe a BOM first, maybe no end
    after the last line."""
    separator = draw(st.sampled_from([",", ";", "\t"]))
    persons = [column for column in ["leeftijd", *LEVELS] if draw(st.sampled_from([True] * 3 + [False]))]
    header = ["id", *persons, *draw(st.sampled_from([ITEMS, ITEMS, SHORT, []])), "wijk", "weging"]
    pools = clean_pools(separator)
    clean = st.lists(st.tuples(*(st.sampled_from(pools[column]) for column in header)).map(separator.join),
                     min_size=1, max_size=8)
    body = sum(draw(st.lists(st.one_of(clean, lines(header, separator).map(lambda line: [line])), min_size=1,
                             max_size=12)), [])[:60]
    end = st.sampled_from(["\n"] * 8 + ["\r\n", "\r"])
    ends = draw(st.one_of(end.map(lambda one: [one] * len(body)),  # one line end throughout, or mixed
                          st.lists(end, min_size=len(body), max_size=len(body))))
    text = "\ufeff" * draw(st.booleans()) + separator.join(header) + ends[0]
    text += "".join(line + end for line, end in zip(body, ends))
    if draw(st.booleans()):
        text = text[:len(text) - len(ends[-1])]
    return separator, text


OPTIONS = [(), ("--strikt",), ("--ruwe-csv",), ("--per", "wijk"), ("--gewicht", "weging"),
           ("--per", "wijk", "--waargenomen-uit", "{out}/w.csv"), ("--waargenomen-uit", "{out}/w.csv"),
           ("--waargenomen-uit", "{out}/w.csv", "--maat", "ernstig"), ("--taal", "en"), ("--stil",),
           ("--codering", "1=nee,2=min of meer,3=ja")]


@settings(**SETTLED)
@given(file=files(), options=st.sampled_from(OPTIONS), files_=st.sampled_from([FILES, FILES, (), ("-f", "jsonl")]))
def test_columnar_and_row_by_row_give_the_same_bytes(cli, tmp_path, file, options, files_):
    separator, text = file
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode("utf-8"))
    run = same(cli, tmp_path, source, *files_, *options)
    event(f"blocks as columns: {min(run.blocks, 3)}")


def survey(rows: int, separator: str = ",", seed: int = 7) -> str:
    """A file of `rows` rows as a survey writes them (benchmarks/batch_data.py's rows, with an area column)."""
    import random

    rng = random.Random(seed)
    fields = [[str(n), rng.choice(AGES), *(rng.choice(levels) if column != "eenzaam" else ""  # no loneliness stated
                                           for column, levels in LEVELS.items()),
               *(rng.choice(ANSWERS) for _ in ITEMS), rng.choice(AREAS), rng.choice(["1", "2"])]
              for n in range(1, rows + 1)]
    return "".join(separator.join(line) + "\n" for line in [HEADER, *fields])


@pytest.mark.parametrize("separator, options", [(",", FILES), (";", (*FILES, "--waargenomen-uit", "{out}/w.csv")),
                                                (";", ("--taal", "en")), (",", (*FILES, "--strikt")),
                                                (";", ("--ruwe-csv",))])
def test_a_file_of_many_blocks_goes_through_columns_with_the_same_bytes(cli, tmp_path, separator, options):
    source = tmp_path / "in.csv"
    source.write_text(survey(200, separator), encoding="utf-8")
    run = same(cli, tmp_path, source, *options)
    assert run.exit_code == 0 and run.blocks >= 40  # 200 rows of about 80 characters, blocks of 300
    assert run.stderr.endswith("200 rijen gelezen = 200 geschreven + 0 afgewezen\n" if "en" not in options
                               else "200 rows read = 200 written + 0 rejected\n")


@pytest.mark.parametrize("bad, line, strict", [("abc", "leeftijd", False), ("-3", "leeftijd", True),
                                               ("onbekend", "burgerlijke_staat", False)])
def test_a_bad_row_between_blocks_is_rejected_the_same(cli, tmp_path, bad, line, strict):
    text = survey(120).splitlines(keepends=True)
    fields = text[60].split(",")
    fields[HEADER.index(line)] = bad
    text[60] = ",".join(fields)
    source = tmp_path / "in.csv"
    source.write_text("".join(text), encoding="utf-8")
    run = same(cli, tmp_path, source, *FILES, *(("--strikt",) if strict else ()))
    assert run.exit_code == 3 and run.blocks >= 10  # rows rejected
    assert run.stderr.endswith("120 rijen gelezen = 119 geschreven + 1 afgewezen\n" if not strict else
                               "60 rijen gelezen = 59 geschreven + 1 afgewezen; gestopt bij de eerste afgewezen rij "
                               "(--strikt), niets geschreven\n")
    if strict:
        assert "out.csv" not in run.files
    else:
        assert run.files["fouten.csv"].decode("utf-8").splitlines()[1].startswith(f"61,{line},{bad},")


@pytest.mark.parametrize("options", [("-f", "jsonl"), ("-o", "{out}/out.xlsx"), ("-o", "{out}/out.jsonl"),
                                     ("-o", "{out}/out.json")])
def test_formats_other_than_csv_are_unchanged(cli, tmp_path, options):
    source = tmp_path / "in.csv"
    source.write_text(survey(60), encoding="utf-8")
    run = same(cli, tmp_path, source, *options)
    assert run.exit_code == 0 and run.blocks == 0


@settings(**{**SETTLED, "max_examples": 30})
@given(file=files(), block=st.integers(1, 2000), chunk=st.integers(20, 500))
def test_the_columnar_output_does_not_depend_on_the_size_of_a_block(cli, tmp_path, file, block, chunk):
    separator, text = file
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode("utf-8"))
    whole = batch(cli, tmp_path, source, *FILES, columnar=True, block=1 << 20, chunk=1 << 16)
    pieces = batch(cli, tmp_path, source, *FILES, columnar=True, block=block, chunk=chunk)
    assert pieces.seen() == whole.seen()
    event(f"blocks as columns: {min(pieces.blocks, 3)}")


CODEBOOK = ["RESPNR", "AGLFA401", "BURGST", *[f"GZEEA2{i:02d}" for i in range(1, 12)], "WEEGFACTOR", "WIJK"]
MAPPING = ("kolommen:\n  burgerlijke_staat: BURGST\n" + "".join(f"  djg_{i}: GZEEA2{i:02d}\n" for i in range(1, 12))
           + "codes:\n  burgerlijke_staat: {1: gehuwd, 2: gescheiden, 5: verweduwd}\n"
           + "".join(f"  djg_{i}: {{1: ja, 2: min of meer, 3: nee}}\n" for i in range(1, 12))
           + "ontbrekend: [9, 999]\n")


@st.composite
def coded_files(draw) -> str:
    """A file in a codebook's names and codes (`;`, decimal commas), mostly valid codes, some missing or bad."""
    def row(states: list[str], answers: list[str], ages: list[str], weights: list[str]) -> st.SearchStrategy[str]:
        return st.tuples(st.integers(1, 999).map(str), st.sampled_from(ages), st.sampled_from(states),
                         *(st.sampled_from(answers) for _ in ITEMS), st.sampled_from(weights),
                         st.sampled_from(AREAS)).map(";".join)

    valid = row(["1", "2", "5", "9", ""], ["1", "2", "3", "9"], ["76,0", "45", "999", "85", "", "70"], ["1", "0,5"])
    odd = ["3", "8", "x", " 1 ", "999", "1,0"]
    odd = row(odd, odd, ["abc", " 70 ", "-3", "76,5"], ["x", ""])
    kinds = draw(st.lists(st.sampled_from([valid] * 8 + [odd]), min_size=5, max_size=40))
    rows = [draw(kind) for kind in kinds]
    return "".join(line + "\n" for line in [";".join(CODEBOOK), *rows])


@settings(**{**SETTLED, "max_examples": 30})
@given(text=coded_files(), options=st.sampled_from([("--kolom", "leeftijd=AGLFA401"), (),
                                                    ("--kolom", "leeftijd=AGLFA401", "--kolom", "gewicht=WEEGFACTOR")]))
def test_a_koppeling_gives_the_same_bytes(cli, tmp_path, text, options):
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    (tmp_path / "k.yaml").write_text(MAPPING, encoding="utf-8")
    run = same(cli, tmp_path, source, *FILES, "--koppeling", str(tmp_path / "k.yaml"), *options)
    event(f"blocks as columns: {min(run.blocks, 3)}")


def test_a_big_file_gives_the_same_rows_with_and_without_pyarrow(tmp_path):
    # takes a few seconds: 70,000 rows (over 8 MiB, so in blocks from the first line), run twice
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    try:
        from batch_data import write
    finally:
        sys.path.pop(0)
    source = tmp_path / "big.csv"
    write(70_000, str(source))
    assert source.stat().st_size >= batch_module.COLUMNAR_SIZE
    without = ("import sys\nsys.modules['pyarrow'] = None\nfrom eenzaam_cli.cli import main\n"
               "sys.argv = ['eenzaam', *sys.argv[1:]]\nmain()")
    outputs, said = {}, {}
    for name, command in (("with", [str(Path(sys.executable).parent / "eenzaam")]),
                          ("without", [sys.executable, "-c", without])):
        outputs[name] = tmp_path / f"{name}.csv"
        done = subprocess.run([*command, "batch", str(source), "-o", str(outputs[name]), "--stil"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        said[name] = done.stderr
    assert said["with"] == said["without"] == "eenzaam: 70000 rijen gelezen = 70000 geschreven + 0 afgewezen\n"
    assert outputs["with"].read_bytes() == outputs["without"].read_bytes()
    assert outputs["with"].read_bytes().count(b"\n") == 70_001


def test_many_distinct_keys_past_every_cache_give_the_same_bytes(cli, tmp_path):
    import random

    from eenzaam_cli.core.columnar import _Known

    rng = random.Random(21)
    ages = [f"{space}{age}{after}" for age in range(0, 111) for space in ("", " ", "0") for after in ("", " ")]
    rows = [[str(n), rng.choice(ages), *(rng.choice(levels + [""]) if column != "eenzaam" else ""
                                         for column, levels in LEVELS.items()),
             *(rng.choice(ANSWERS + [""]) for _ in ITEMS), rng.choice(AREAS), "1"] for n in range(1, 1501)]
    assert len({tuple(row[1:10]) for row in rows}) > 1000  # distinct persons as written: past LIMIT
    source = tmp_path / "in.csv"
    source.write_text("".join(",".join(row) + "\n" for row in [HEADER, *rows]), encoding="utf-8")
    with mock.patch.object(batch_module, "CACHE_LIMIT", 50), mock.patch.object(_Known, "LIMIT", 1000):
        run = same(cli, tmp_path, source, *FILES, "--waargenomen-uit", "{out}/w.csv", block=2000, chunk=1000)
    assert run.exit_code == 0 and run.blocks >= 50


@pytest.mark.parametrize("options", [FILES, ()])
def test_standard_input_gives_the_same_bytes(cli, tmp_path, options):
    run = same(cli, tmp_path, "-", *options, input=survey(100, ";"))
    assert run.exit_code == 0 and run.blocks >= 20


@pytest.mark.parametrize("length", [tabular.FIELD_LIMIT + 1, tabular.FIELD_LIMIT - 200])
def test_a_line_longer_than_a_field_may_be_gives_the_same(cli, tmp_path, length):
    text = survey(40).splitlines(keepends=True)
    text[20] = "x" * length + text[20]  # its first field made long
    source = tmp_path / "in.csv"
    source.write_text("".join(text), encoding="utf-8")
    run = same(cli, tmp_path, source, *FILES)
    assert run.blocks >= 3
    if length > tabular.FIELD_LIMIT:
        assert run.exit_code == 2
        assert run.stderr.endswith(f"in.csv:21: een veld is langer dan {tabular.FIELD_LIMIT} tekens\n")
    else:
        assert run.exit_code == 0


def test_an_excel_file_gives_the_same(cli, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for line in survey(50).splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "in.xlsx")
    run = same(cli, tmp_path, tmp_path / "in.xlsx", *FILES)
    assert run.exit_code == 0 and run.blocks == 0


@pytest.mark.parametrize("label, written", [("=19-34 jaar", "'=19-34 jaar"), ('"19-34; ""jaar"""', '"19-34; ""jaar"""'),
                                            ('"19-34\r\njaar"', '"19-34\r\njaar"')])
def test_a_band_label_written_quoted_or_neutralised_gives_the_same(cli, tmp_path, data_copy, label, written):
    data_copy("monitor_2016.csv", "19-34 jaar,", f"{label},")
    source = tmp_path / "in.csv"
    source.write_text(survey(60, ";"), encoding="utf-8")
    run = same(cli, tmp_path, source, *FILES, "--data", str(data_copy.dir))
    assert run.exit_code == 0 and run.blocks >= 1
    assert f";{written};".encode() in run.files["out.csv"]
