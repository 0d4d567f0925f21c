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


# --- item 1: an output that is not a regular file is written in place, never replaced ---

_WRITE_ROWS = "id,leeftijd\n1,80\n2,70\n"
_WRITE_FIRST_ROW = "1,80,75-84 jaar,"  # age 80 is in the monitor's band 75-84
_WRITE_HEADER = "id,leeftijd,leeftijdsband,djg_totaal,"


def _write_input(folder: Path) -> str:
    path = folder / "in.csv"
    path.write_text(_WRITE_ROWS, encoding="utf-8")
    return str(path)


def test_a_fifo_output_is_streamed_to_its_reader(cli, tmp_path):
    fifo = tmp_path / "rijen.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        result = cli("batch", _write_input(tmp_path), "-o", str(fifo), "--stil")
        received = reader.communicate(timeout=20)[0].decode()
    finally:
        reader.kill()
        reader.wait()
    assert result.exit_code == 0, result.stderr
    assert received.startswith(_WRITE_HEADER) and received.splitlines()[1].startswith(_WRITE_FIRST_ROW)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_node_output_stays_a_device(cli, tmp_path):
    node = tmp_path / "apparaat"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the memory device that discards what it gets
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    for args in (("batch", _write_input(tmp_path), "-o", str(node), "--fouten", str(node) + ".fouten", "--stil"),
                 ("prevalentie", "--svg", str(node))):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        status = os.lstat(node)
        assert stat.S_ISCHR(status.st_mode) and status.st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["apparaat", "apparaat.fouten", "in.csv"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_a_link_to_a_descriptor_of_a_pipe_is_written_in_place(cli, tmp_path):
    read_end, write_end = os.pipe()
    link = tmp_path / "naar-pijp"
    link.symlink_to(f"/proc/self/fd/{write_end}")
    try:
        result = cli("batch", _write_input(tmp_path), "-o", str(link), "--stil")
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            received = pipe.read().decode()
    finally:
        for fd in (read_end, write_end):
            try:
                os.close(fd)
            except OSError:
                pass
    assert result.exit_code == 0, result.stderr
    assert received.startswith(_WRITE_HEADER) and received.splitlines()[1].startswith(_WRITE_FIRST_ROW)
    assert link.is_symlink() and os.readlink(link) == f"/proc/self/fd/{write_end}"


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_a_link_to_a_descriptor_of_a_file_appends_to_that_file(cli, tmp_path):
    """`-o /dev/stdout >> log`: what the file held stays, the rows come after it, in the same file."""
    log = tmp_path / "log.txt"
    log.write_text("vooraf\n")
    inode = os.stat(log).st_ino
    link = tmp_path / "naar-log"
    with open(log, "a") as held:
        link.symlink_to(f"/proc/self/fd/{held.fileno()}")
        result = cli("batch", _write_input(tmp_path), "-o", str(link), "--stil")
    assert result.exit_code == 0, result.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "vooraf" and lines[1].startswith(_WRITE_HEADER) and lines[2].startswith(_WRITE_FIRST_ROW)
    assert os.stat(log).st_ino == inode and link.is_symlink()


def test_an_existing_output_keeps_its_mode(cli, tmp_path):
    old_umask = os.umask(0o022)
    try:
        for option, name in (("-o", "uit.csv"), ("--fouten", "fouten.csv"), ("--rapport", "r.md")):
            target = tmp_path / name
            target.write_text("oud\n")
            target.chmod(0o600)
            result = cli("batch", _write_input(tmp_path), option, str(target), "--stil")
            assert result.exit_code == 0, result.stderr
            assert stat.S_IMODE(os.stat(target).st_mode) == 0o600 and target.read_text() != "oud\n"
        picture = tmp_path / "p.svg"
        picture.write_text("oud\n")
        picture.chmod(0o640)
        assert cli("prevalentie", "--svg", str(picture)).exit_code == 0
        assert stat.S_IMODE(os.stat(picture).st_mode) == 0o640 and "<svg" in picture.read_text()
        new = tmp_path / "nieuw.csv"
        assert cli("batch", _write_input(tmp_path), "-o", str(new), "--stil").exit_code == 0
        assert stat.S_IMODE(os.stat(new).st_mode) == 0o644  # a new file: 0666 less the umask, as before
    finally:
        os.umask(old_umask)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give a file away")
def test_an_existing_output_keeps_its_owner(cli, tmp_path):
    target = tmp_path / "uit.csv"
    target.write_text("oud\n")
    os.chown(target, 12345, 54321)
    result = cli("batch", _write_input(tmp_path), "-o", str(target), "--stil")
    assert result.exit_code == 0, result.stderr
    status = os.stat(target)
    assert (status.st_uid, status.st_gid) == (12345, 54321)
    assert target.read_text().startswith(_WRITE_HEADER)


def test_a_link_to_a_regular_file_writes_the_file_and_keeps_the_link(cli, tmp_path):
    real = tmp_path / "echt.csv"
    real.write_text("oud\n")
    link = tmp_path / "link.csv"
    link.symlink_to("echt.csv")
    schema_folder = tmp_path / "schemas"
    schema_folder.mkdir()
    assert cli("data", "schema", "--uit", str(schema_folder)).exit_code == 0
    kept = tmp_path / "maten.schema.json"
    (schema_folder / "maten.yaml.schema.json").rename(kept)
    (schema_folder / "maten.yaml.schema.json").symlink_to(kept)

    result = cli("batch", _write_input(tmp_path), "-o", str(link), "--stil")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "echt.csv"
    assert real.read_text().splitlines()[1].startswith(_WRITE_FIRST_ROW)
    kept.write_text('{"title": "MeasuresFile"}')  # an earlier version of the same schema
    assert cli("data", "schema", "--uit", str(schema_folder)).exit_code == 0
    assert (schema_folder / "maten.yaml.schema.json").is_symlink()
    assert '"properties"' in kept.read_text()


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


# --- item 4: outputs that alias the input or each other ---

def _alias_files(folder: Path) -> None:
    (folder / "in.csv").write_text(_WRITE_ROWS, encoding="utf-8")
    (folder / "seg.csv").write_text("aantal,leeftijd\n100,80\n", encoding="utf-8")
    (folder / "obs.csv").write_text("gebied,waargenomen,respondenten\nA,10,40\n", encoding="utf-8")
    (folder / "link.csv").symlink_to("in.csv")
    os.link(folder / "in.csv", folder / "hard.csv")


@pytest.mark.parametrize("args, line", [
    (("batch", "in.csv", "-o", "in.csv"), "--uitvoer: 'in.csv' is hetzelfde bestand als INVOER ('in.csv')"),
    (("batch", "in.csv", "--fouten", "./in.csv"), "--fouten: './in.csv' is hetzelfde bestand als INVOER ('in.csv')"),
    (("batch", "link.csv", "-o", "in.csv"), "--uitvoer: 'in.csv' is hetzelfde bestand als INVOER ('link.csv')"),
    (("batch", "in.csv", "-o", "hard.csv"), "--uitvoer: 'hard.csv' is hetzelfde bestand als INVOER ('in.csv')"),
    (("batch", "in.csv", "-o", "s.csv", "--fouten", "s.csv"),
     "--fouten: 's.csv' is hetzelfde bestand als --uitvoer ('s.csv')"),
    (("batch", "in.csv", "--fouten", "x.md", "--rapport", "sub/../x.md"),
     "--rapport: 'sub/../x.md' is hetzelfde bestand als --fouten ('x.md')"),
    (("batch", "in.csv", "--rapport", "in.csv.md", "--data", "in.csv.md"),
     "--rapport: 'in.csv.md' is hetzelfde bestand als --data ('in.csv.md')"),
    (("populatie", "seg.csv", "--svg", "seg.csv"), "--svg: 'seg.csv' is hetzelfde bestand als SEGMENTEN ('seg.csv')"),
    (("populatie", "seg.csv", "--waargenomen", "obs.csv", "--html", "obs.csv"),
     "--html: 'obs.csv' is hetzelfde bestand als --waargenomen ('obs.csv')"),
    (("populatie", "seg.csv", "--svg", "p.svg", "--html", "./p.svg"),
     "--html: './p.svg' is hetzelfde bestand als --svg ('p.svg')"),
    (("stapel", "--voorbeeld", "x", "--svg", "p", "--html", "p"), "--html: 'p' is hetzelfde bestand als --svg ('p')"),
    (("prevalentie", "--svg", "p", "--html", "p"), "--html: 'p' is hetzelfde bestand als --svg ('p')"),
])
def test_an_output_that_is_an_input_or_another_output_is_refused(cli, tmp_path, monkeypatch, args, line):
    _alias_files(tmp_path)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"eenzaam: {line}; kies een ander bestand\n"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_two_fifos_or_standard_output_twice_are_not_aliases(cli, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,leeftijd\n1,80\n2,abc\n")
    fifos = [tmp_path / "rijen.fifo", tmp_path / "fouten.fifo"]
    readers = []
    for fifo in fifos:
        os.mkfifo(fifo)
        readers.append(subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE))
    try:
        result = cli("batch", str(source), "-o", str(fifos[0]), "--fouten", str(fifos[1]), "--stil")
        rows, problems = (reader.communicate(timeout=20)[0].decode().splitlines() for reader in readers)
    finally:
        for reader in readers:
            reader.kill()
            reader.wait()
    assert result.exit_code == 3, result.stderr  # a rejected row
    assert rows[0].startswith(_WRITE_HEADER) and rows[1].startswith(_WRITE_FIRST_ROW) and len(rows) == 2
    assert problems[0] == "rij,kolom,waarde,reden" and problems[1].startswith("3,leeftijd,abc,")
    result = cli("batch", str(source), "-o", "-", "--fouten", "-", "--stil")
    assert result.exit_code == 3 and result.stdout.startswith(_WRITE_HEADER)


# --- item 5: small spreadsheet files, bounded in cells ---
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def handwritten_xlsx(path: Path, rows: str, shared: str = "") -> Path:
    """An .xlsx of hand-written XML: one sheet holding `rows` (the `<row>` elements), and a table of shared texts."""
    import zipfile

    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
                               f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
                               f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>'
                               '</Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
                       f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN_NS}" xmlns:r="{relations}"><sheets>'
                           '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
                                      f'<Relationship Id="rId1" Type="{relations}/worksheet" '
                                      'Target="worksheets/sheet1.xml"/>'
                                      f'<Relationship Id="rId2" Type="{relations}/sharedStrings" '
                                      'Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}">{shared}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def inline(*texts: str) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in texts)


XLSX_HEADER = f'<row r="1">{inline("gebied", "leeftijd", "aantal")}</row>'
XLSX_ROW = inline("x", "19-34") + "<c><v>5</v></c>"  # three cells


def peak_of(args: list[str]) -> tuple[int, int, str, str]:
    """Peak resident memory (bytes) of `python ARGS` in a fresh process, its exit code, stdout and stderr.

    The process is started by a small one, so that its peak is not the test runner's (Linux keeps the
    peak of a process across exec)."""
    probe = ("import resource, subprocess, sys\n"
             "done = subprocess.run([sys.executable, *sys.argv[1:]], stdin=subprocess.DEVNULL, capture_output=True)\n"
             "sys.stderr.buffer.write(done.stderr)\n"
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stdout.decode())\n")
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120)
    code, kib, out = done.stdout.split(" ", 2)
    return int(kib) * (1 if sys.platform == "darwin" else 1024), int(code), out.strip(), done.stderr


SMALL_PEAK = 150 * 1024 * 1024  # the interpreter, the tool and openpyxl or pyreadstat take about 60-90 MiB


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource")
def test_a_row_of_a_million_empty_cells_is_refused_before_it_is_built(tmp_path):
    pytest.importorskip("openpyxl")
    path = handwritten_xlsx(tmp_path / "breed.xlsx", XLSX_HEADER + '<row r="2">' + "<c/>" * 1_000_000 + "</row>")
    assert path.stat().st_size < 20_000
    peak, code, _, stderr = peak_of(["-m", "eenzaam_cli", "populatie", str(path)])
    assert code == 2
    assert stderr.splitlines() == [f"eenzaam: {path}:2: rij 2 heeft meer dan 16384 cellen, de grens voor één rij"]
    assert peak < SMALL_PEAK, f"peak {peak / 1024 / 1024:.0f} MiB"


def test_a_row_of_excels_widest_is_read(cli, tmp_path):
    """16,384 cells (A to XFD, Excel's own limit) is a row; one more cell is refused."""
    pytest.importorskip("openpyxl")
    wide = handwritten_xlsx(tmp_path / "xfd.xlsx", f'<row r="1">{inline("gebied", "leeftijd", "aantal")}'
                                                   f'<c r="XFD1"/></row><row r="2">{XLSX_ROW}'
                                                   + "<c/>" * (16_384 - 3) + "</row>")
    result = cli("populatie", str(wide), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    wider = handwritten_xlsx(tmp_path / "xfd1.xlsx", XLSX_HEADER + f'<row r="2">{XLSX_ROW}'
                                                     + "<c/>" * (16_384 - 2) + "</row>")
    result = cli("populatie", str(wider))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {wider}:2: rij 2 heeft meer dan 16384 cellen, de grens voor één "
                                          "rij"]


def test_shared_texts_are_counted_and_refused_past_their_bound(cli, tmp_path, monkeypatch):
    pytest.importorskip("openpyxl")
    from eenzaam_cli.core.files import formats

    monkeypatch.setattr(formats, "MAX_TEXTS", 1_000)
    rows = XLSX_HEADER + f'<row r="2"><c t="s"><v>0</v></c>{inline("19-34")}<c><v>5</v></c></row>'
    fits = handwritten_xlsx(tmp_path / "past.xlsx", rows, "<si><t>noord</t></si>" + "<si><t/></si>" * 999)
    result = cli("populatie", str(fits), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert "noord" in result.stdout
    too_many = handwritten_xlsx(tmp_path / "teveel.xlsx", rows, "<si><t>noord</t></si>" + "<si><t/></si>" * 1_000)
    result = cli("populatie", str(too_many))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {too_many}: het werkboek heeft meer dan 1000 gedeelde teksten, "
                                          "de grens voor een .xlsx-bestand"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource")
def test_millions_of_shared_texts_are_refused_in_little_memory(tmp_path):
    pytest.importorskip("openpyxl")
    rows = XLSX_HEADER + f'<row r="2"><c t="s"><v>0</v></c>{inline("19-34")}<c><v>5</v></c></row>'
    path = handwritten_xlsx(tmp_path / "teksten.xlsx", rows, "<si><t/></si>" * 2_000_001)
    assert path.stat().st_size < 200_000
    peak, code, _, stderr = peak_of(["-m", "eenzaam_cli", "populatie", str(path)])
    assert code == 2
    assert stderr.splitlines() == [f"eenzaam: {path}: het werkboek heeft meer dan 2000000 gedeelde teksten, de grens "
                                   "voor een .xlsx-bestand"]
    assert peak < SMALL_PEAK, f"peak {peak / 1024 / 1024:.0f} MiB"


def test_a_row_far_past_the_sheet_or_out_of_order_is_refused(tmp_path):
    """openpyxl fills every skipped row one at a time (a billion for `r="999999999"`), and drops a row that
    comes after a later one: both are refused at once, by subprocess with a time limit."""
    pytest.importorskip("openpyxl")
    row = f'<row r="2">{XLSX_ROW}</row>'
    far = handwritten_xlsx(tmp_path / "ver.xlsx", XLSX_HEADER + row + '<row r="999999999"><c><v>1</v></c></row>')
    back = handwritten_xlsx(tmp_path / "terug.xlsx", XLSX_HEADER + '<row r="3"><c><v>1</v></c></row>' + row)
    for path, message in [
        (far, ": rij '999999999' ligt buiten het werkblad (rij 1 tot en met 1048576, de grens voor een werkblad)"),
        (back, ":2: rij 2 staat na rij 3; de rijen van het werkblad staan niet op volgorde (sla het bestand opnieuw "
               "op in een spreadsheetprogramma)"),
    ]:
        done = subprocess.run([sys.executable, "-m", "eenzaam_cli", "populatie", str(path)], capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert done.returncode == 2
        assert done.stderr.splitlines() == [f"eenzaam: {path}{message}"]


def write_wide_sav(path: Path, variables: int, cases: int) -> Path:
    pyreadstat = pytest.importorskip("pyreadstat")
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({f"v{i}": [float(i)] * cases for i in range(variables)})
    frame.insert(0, "id", [f"r{n}" for n in range(cases)])
    pyreadstat.write_sav(frame, str(path))
    return path


def test_an_spss_chunk_is_bounded_in_cells_not_rows(tmp_path, monkeypatch):
    """5,000 variables: a chunk holds at most 200,000 cells (40 cases), not 1,000 cases (5 million cells)."""
    path = write_wide_sav(tmp_path / "breed.sav", 4_999, 100)
    import pyreadstat

    from eenzaam_cli.core.files.tabular import open_table

    limits = []
    real = pyreadstat.read_sav
    monkeypatch.setattr(pyreadstat, "read_sav", lambda *a, **k: limits.append(k.get("row_limit")) or real(*a, **k))
    with open_table(path) as table:
        read = [(number, values[0], values[4_999]) for number, values in table.records()]
    assert read == [(n + 1, f"r{n}", "4998") for n in range(100)]
    assert limits == [None, 40, 40, 40]  # the metadata, then 40 + 40 + 20 cases of 5,000 cells


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource")
def test_a_wide_sav_is_read_in_little_memory(tmp_path):
    """2,000 variables: before, one chunk of 1,000 cases (2 million cells) peaked at about 145 MiB."""
    path = write_wide_sav(tmp_path / "breed.sav", 1_999, 1_100)
    read = ("import sys\n"
            "from eenzaam_cli.core.files.tabular import open_table\n"
            "with open_table(sys.argv[1]) as table:\n"
            "    print(sum(1 for _ in table.records()))\n")
    peak, code, out, stderr = peak_of(["-c", read, str(path)])
    assert (code, out) == (0, "1100"), stderr
    assert peak < 100 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MiB"


def test_an_spss_file_wider_than_a_row_may_be_is_refused(cli, tmp_path, monkeypatch):
    from eenzaam_cli.core.files import formats

    path = write_wide_sav(tmp_path / "breed.sav", 20, 2)
    monkeypatch.setattr(formats, "MAX_COLUMNS", 20)
    result = cli("djg", "--invoer", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {path}: het SPSS-bestand heeft 21 variabelen, meer dan 20, de "
                                          "grens voor de cellen van één rij"]


# --- item 6: two columns for one key ---

def _write_table(path: Path, header: list[str], row: list) -> Path:
    """A one-row table as CSV, or as SPSS through pyreadstat (numbers as numbers, texts as texts)."""
    if path.suffix == ".sav":
        pyreadstat = pytest.importorskip("pyreadstat", reason="the spss extra is not installed")
        pandas = pytest.importorskip("pandas", reason="pyreadstat.write_sav takes a pandas DataFrame")
        pyreadstat.write_sav(pandas.DataFrame([row], columns=header), str(path))
    else:
        path.write_text(",".join(header) + "\n" + ",".join(map(str, row)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".sav"])
@pytest.mark.parametrize("command, first", [("batch", ["id", "1"]), ("populatie", ["aantal", 10.0])])
@pytest.mark.parametrize("columns, values, key", [
    (["Leeftijd", "leeftijd"], [80.0, 30.0], "leeftijd"),  # the case of the column: 80 was profiled, 30 ignored
    (["leeftijd", "Opleiding", "opleiding"], [80.0, "laag", "laag"], "opleiding"),  # the same value twice
    (["leeftijd", "burgerlijke staat", "burgerlijke_staat"], [80.0, "gehuwd", "verweduwd"], "burgerlijke_staat"),
    (["leeftijd", "Migratie", "MIGRATIE"], [80.0, "", ""], "migratie"),  # both empty
])
def test_two_columns_for_one_key_are_refused_at_the_header(cli, tmp_path, suffix, command, first, columns, values, key):
    if suffix == ".sav" and " " in "".join(columns):
        pytest.skip("an SPSS variable name holds no space")
    table = _write_table(tmp_path / f"in{suffix}", [first[0], *columns], [first[1], *values])
    result = cli(command, str(table))
    twice = [c for c in columns if c.lower().replace(" ", "_") == key]
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"eenzaam: {table}:1: de kolommen {twice[0]!r} en {twice[1]!r} zijn allebei {key!r}; " \
                            "houd er één\n"


def test_two_keys_for_one_column_in_segments_and_observed_figures(cli, tmp_path):
    segments = tmp_path / "seg.yaml"
    segments.write_text("- {aantal: 10, leeftijd: 80}\n- {aantal: 10, Leeftijd: 80, leeftijd: 30}\n", encoding="utf-8")
    result = cli("populatie", str(segments), "--stil")
    assert result.exit_code == 2
    assert result.stderr == f"eenzaam: {segments}:2: de kolommen 'Leeftijd' en 'leeftijd' zijn allebei 'leeftijd'; " \
                            "houd er één\n"
    good = _write_table(tmp_path / "seg.csv", ["aantal", "leeftijd"], [10, 80])
    observed = _write_table(tmp_path / "obs.csv", ["gebied", "Waargenomen", "waargenomen", "respondenten"], ["", 1, 9, 10])
    result = cli("populatie", str(good), "--waargenomen", str(observed), "--stil")
    assert result.exit_code == 2
    assert result.stderr == f"eenzaam: {observed}:1: de kolommen 'Waargenomen' en 'waargenomen' zijn allebei " \
                            "'waargenomen'; houd er één\n"
    # A column batch only passes through may still come twice in two spellings: it is no key.
    respondents = _write_table(tmp_path / "r.csv", ["id", "ID", "leeftijd"], ["a", "b", 80])
    result = cli("batch", str(respondents), "-f", "jsonl")
    assert result.exit_code == 0 and '"id": "a", "ID": "b"' in result.stdout


def test_every_spelling_of_a_key_twice_is_refused():
    from hypothesis import given, settings, strategies as st

    from eenzaam_cli.core.batch import BatchEngine
    from eenzaam_cli.core.errors import InputError
    from eenzaam_cli.core.reference.loading import load_reference

    reference = load_reference()
    keys = ["leeftijd", "eenzaam", "signalen", *reference.factors]

    @st.composite
    def spelling(draw, key):  # the case of each letter, and each `_` as `_`, a space or a hyphen
        letters = [draw(st.sampled_from([c, c.upper()])) if c != "_" else draw(st.sampled_from(["_", " ", "-"]))
                   for c in key]
        return "".join(letters)

    @settings(max_examples=150, deadline=None)
    @given(st.sampled_from(keys).flatmap(lambda key: st.tuples(st.just(key), spelling(key), spelling(key))))
    def check(case):
        key, one, other = case
        if one == other:
            return  # the very same name twice: the CSV reader refuses that already
        with pytest.raises(InputError) as refused:
            BatchEngine(reference, ["id", one, other], file="b.csv")
        assert str(refused.value) == f"b.csv:1: de kolommen {one!r} en {other!r} zijn allebei {key!r}; houd er één"

    check()


# --- item 7: extreme numbers ---

_COUNT = "een geheel getal van 0 tot en met 10 miljard"


@pytest.mark.parametrize("count, reason", [
    ("1" + "0" * 25, "1" + "0" * 25 + " is meer dan 10 miljard (meer mensen dan er op aarde wonen)"),
    ("10000000001", "10000000001 is meer dan 10 miljard (meer mensen dan er op aarde wonen)"),
    ("1e400", f"'1e400' is geen getal ({_COUNT})"),
    ("9" * 400, f"een getal met meer dan 100 cijfers ({_COUNT})"),
    ("1e15", f"'1e15' is geen getal ({_COUNT})"),  # an exponent is no number, as everywhere
    ("1E3", f"'1E3' is geen getal ({_COUNT})"),
    ("1_000", f"'1_000' is geen getal ({_COUNT})"),
])
def test_a_count_past_the_bound_or_with_an_exponent(cli, tmp_path, count, reason):
    segments = tmp_path / "seg.csv"
    segments.write_text(f"aantal,leeftijd\n{count},80\n", encoding="utf-8")
    result = cli("populatie", str(segments), "-f", "json", "--stil")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"eenzaam: {segments}:2: aantal: {reason}\n"


def test_the_largest_count_is_profiled_exactly(cli, tmp_path):
    import json

    segments = tmp_path / "seg.csv"
    segments.write_text("aantal,leeftijd\n10000000000,80\n1e3,80\n", encoding="utf-8")
    assert cli("populatie", str(segments)).exit_code == 2  # before: 1e3 was read as 1000
    segments.write_text("aantal,leeftijd\n10000000000,80\n", encoding="utf-8")
    data = json.loads(cli("populatie", str(segments), "-f", "json").stdout)
    assert data["totaal"]["inwoners"] == 10_000_000_000
    assert data["totaal"]["verwacht"]["eenzaam"]["gekalibreerd"] == 5_250_000_000  # 52.5% of 75-84


@pytest.mark.parametrize("seen, asked, field, reason", [
    ("9" * 300, "9" * 301, "waargenomen", f"een getal met meer dan 100 cijfers ({_COUNT})"),
    ("5", "1" + "0" * 30, "respondenten", "1" + "0" * 30 + " is meer dan 10 miljard (meer mensen dan er op aarde wonen)"),
    ("5", "1e3", "respondenten", f"'1e3' is geen getal ({_COUNT})"),
])
def test_observed_counts_past_the_bound(cli, tmp_path, seen, asked, field, reason):
    segments = tmp_path / "seg.csv"
    segments.write_text("aantal,leeftijd\n100,80\n", encoding="utf-8")
    observed = tmp_path / "obs.csv"
    observed.write_text(f"gebied,waargenomen,respondenten\n,{seen},{asked}\n", encoding="utf-8")
    result = cli("populatie", str(segments), "--waargenomen", str(observed), "--stil")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"eenzaam: {observed}:2: {field}: {reason}\n"


def test_a_monitor_year_of_5000_digits_is_a_data_problem(cli, tmp_path):
    from eenzaam_cli.core.reference.loading import bundled_data_dir

    monitor = tmp_path / "monitor_x.csv"
    text = (bundled_data_dir() / "monitor_2016.csv").read_text(encoding="utf-8")
    monitor.write_text(text.replace(",2016,", "," + "9" * 5000 + ","), encoding="utf-8")
    result = cli("prevalentie", "--data", str(monitor))
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines() == [f"eenzaam: {monitor}:{line}: jaar: een getal met meer dan 100 cijfers"
                                          for line in range(2, 8)]


def test_digits_past_any_age_or_count_of_a_person(cli):
    for args, line in [
        (["--leeftijd", "9" * 5000],
         "--leeftijd: een getal van 20 of meer cijfers is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
        (["--leeftijd", "+-5"], "--leeftijd: '+-5' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"),
        (["--factor", "belangrijke_relaties=²"],
         "--factor belangrijke_relaties: '²' is geen aantal (een geheel getal vanaf 0)"),
        (["--factor", "belangrijke_relaties=" + "9" * 5000],
         f"--factor belangrijke_relaties: '{'9' * 5000}' is geen aantal (een geheel getal vanaf 0)"),
    ]:
        result = cli("profiel", *args)
        assert (result.exit_code, result.stderr) == (2, f"eenzaam: {line}\n"), args


_SHORT = "djg_3,djg_4,djg_7,djg_8,djg_9,djg_10"
_WEIGHT = "is geen weegfactor (een getal van een miljardste tot en met een miljard)"


@pytest.mark.parametrize("weights", [
    ["9" * 400, "1"],  # before: NaN in the report
    ["1" + "0" * 308, "1" + "0" * 308],  # 1e308 written out: the squares were infinite
    ["0." + "0" * 330 + "1", "1"],  # before: 0 as a float, and its band was gone
    ["1000000001", "1"],
    ["0.0000000009", "1"],
])
def test_a_weight_past_the_bounds_is_a_rejected_row(cli, tmp_path, weights):
    import json

    respondents = tmp_path / "r.csv"
    respondents.write_text(f"id,leeftijd,w,{_SHORT}\n1,80,{weights[0]},ja,ja,ja,ja,ja,ja\n"
                           f"2,80,{weights[1]},nee,nee,nee,nee,nee,nee\n", encoding="utf-8")
    report, out = tmp_path / "rapport.json", tmp_path / "uit.csv"
    result = cli("batch", str(respondents), "--gewicht", "w", "--rapport", str(report), "-o", str(out), "--stil")
    bad = [index for index, weight in enumerate(weights) if weight != "1"]
    if len(bad) == len(weights):  # not one weight in the column: the column is wrong, not its rows
        assert result.exit_code == 2 and result.stderr.splitlines() == [
            f"eenzaam: --gewicht: de kolom 'w' van {respondents} bevat geen weegfactoren (bijv. {weights[0]!r} op regel 2); "
            "kies een kolom met getallen van een miljardste tot en met een miljard"]
        return
    assert result.exit_code == 3  # the README's exit code for rejected rows
    assert result.stderr.splitlines() == [
        *(f"eenzaam: {respondents}:{index + 2}: w: {weights[index]!r} {_WEIGHT}" for index in bad),
        f"eenzaam: 2 rijen gelezen = {2 - len(bad)} geschreven + {len(bad)} afgewezen"]
    data = json.loads(report.read_text(encoding="utf-8"), parse_constant=lambda name: pytest.fail(name))
    shares = data["prevalentie"]["eenzaam"]
    # all six answers 'ja' or all 'nee': three points either way (emotional or social), lonely by the short scale
    assert [(s["respondenten"], s["aandeel"]) for s in shares] == ([(1, 100.0)] if len(bad) == 1 else [])


@pytest.mark.parametrize("suffix", [".json", ".md", ".html", ".xlsx"])
def test_the_smallest_and_largest_weights_give_finite_reports(cli, tmp_path, suffix):
    import json

    respondents = tmp_path / "r.csv"
    respondents.write_text(f"id,leeftijd,w,{_SHORT}\n1,80,1000000000,ja,ja,ja,ja,ja,ja\n"
                           f"2,80,0.000000001,nee,nee,nee,nee,nee,nee\n3,80,1e3,nee,nee,nee,nee,nee,nee\n",
                           encoding="utf-8")
    report = tmp_path / f"rapport{suffix}"
    result = cli("batch", str(respondents), "--gewicht", "w", "--rapport", str(report), "-o", str(tmp_path / "u.csv"))
    assert result.exit_code == 3 and f"{respondents}:4: w: '1e3' {_WEIGHT}" in result.stderr
    if suffix == ".json":
        share = json.loads(report.read_text(), parse_constant=lambda name: pytest.fail(name))["prevalentie"]["eenzaam"][0]
        # Σw = 1e9 + 1e-9, lonely 1e9: 99.99…%; Kish's n = (Σw)²/Σw² = 1 (to 18 digits)
        assert (share["respondenten"], share["aandeel"], share["n_effectief"]) == (2, 100.0, 1.0)
    elif suffix == ".xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        rows = list(openpyxl.load_workbook(report).worksheets[3].values)
        assert rows[1][:4] == ("75-84 jaar", 2, 1.0, 100.0)
    else:
        import re

        text = report.read_text(encoding="utf-8")
        assert not re.search(r"\b(nan|inf)", text, re.IGNORECASE) and "100,0% (" in text


def test_json_never_carries_nan_or_infinity(cli, tmp_path):
    from decimal import Decimal

    from eenzaam_cli.cli.output import to_json

    for value in (float("nan"), float("-inf"), Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValueError):
            to_json({"x": value})  # before: the text NaN or Infinity, which no JSON reader accepts
    monitor = tmp_path / "monitor_2016.csv"
    from eenzaam_cli.core.reference.loading import bundled_data_dir

    text = (bundled_data_dir() / "monitor_2016.csv").read_text(encoding="utf-8")
    monitor.write_text(text.replace("75-84 jaar,", "NaN,"), encoding="utf-8")
    respondents = tmp_path / "r.csv"
    respondents.write_text("id,leeftijd\n1,80\n", encoding="utf-8")
    result = cli("batch", str(respondents), "--data", str(monitor), "-f", "jsonl")
    assert result.exit_code == 0 and '"leeftijdsband": "NaN"' in result.stdout  # a band label stays text


# --- item 8: formulas without a saved value ---
def formula_xlsx(path: Path, rows: list[list]) -> Path:
    """An .xlsx written by openpyxl, which saves a formula (`=…`) without a value: `<f>…</f><v />`."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


UNSAVED = ("heeft een formule zonder opgeslagen waarde; open het bestand in een spreadsheetprogramma en sla het op, "
           "dan wordt de waarde bewaard")


def test_a_row_of_formulas_without_values_is_a_rejected_row_in_batch(cli, tmp_path):
    import csv
    import io
    import zipfile

    path = formula_xlsx(tmp_path / "f.xlsx", [["id", "leeftijd", "notitie"], ["a", 80, "x"],
                                              ['="b"', "=40+40", None], ["c", 70, "y"], ["d", 60, '=""']])
    with zipfile.ZipFile(path) as archive:  # row 5: a text formula saved with its empty text, as Excel saves it
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert parts[sheet].count(b"<v />") == 3
    parts[sheet] = parts[sheet].replace(b'<c r="C5"><f>""</f><v /></c>', b'<c r="C5" t="str"><f>""</f><v></v></c>')
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    errors = tmp_path / "fouten.csv"
    result = cli("batch", str(path), "-o", str(tmp_path / "uit.csv"), "--fouten", str(errors))
    assert result.exit_code == 3, result.stderr
    assert "4 rijen gelezen = 3 geschreven + 1 afgewezen" in result.stderr
    written = list(csv.DictReader(io.StringIO((tmp_path / "uit.csv").read_text(encoding="utf-8"))))
    assert [(row["id"], row["notitie"]) for row in written] == [("a", "x"), ("c", "y"), ("d", "")]
    assert list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8")))) == [
        ["rij", "kolom", "waarde", "reden"], ["3", "id", "", f"cel A3 {UNSAVED}"]]


def test_a_formula_without_a_value_elsewhere_is_one_line_naming_file_and_row(cli, tmp_path):
    rows = formula_xlsx(tmp_path / "w.xlsx", [["gebied", "leeftijd", "aantal"], ["x", "19-34", 5],
                                              ["y", "19-34", "=2+3"]])
    result = cli("populatie", str(rows), "--stil")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {rows}:3: aantal: cel C3 {UNSAVED}"]
    header = formula_xlsx(tmp_path / "k.xlsx", [["gebied", '="leeftijd"', "aantal"], ["x", "19-34", 5]])
    result = cli("populatie", str(header))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"eenzaam: {header}:1: cel B1 {UNSAVED}"]


# --- item 9: every output that cannot be written exits 4 with one line ---

@pytest.mark.parametrize("args", [("batch", "{in}", "-o"), ("batch", "{in}", "--fouten"), ("batch", "{in}", "--rapport"),
                                  ("prevalentie", "--svg"), ("populatie", "{seg}", "--html")])
def test_an_output_in_a_missing_folder_or_through_a_file(cli, tmp_path, args):
    _alias_files(tmp_path)
    names = {"{in}": str(tmp_path / "in.csv"), "{seg}": str(tmp_path / "seg.csv")}
    command = [names.get(arg, arg) for arg in args]
    suffix = ".csv" if args[-1] == "-o" else ".md"  # batch -o writes the format its extension names
    for target, reason in ((tmp_path / "weg" / f"uit{suffix}", "de map bestaat niet"),
                           (tmp_path / "in.csv" / f"uit{suffix}", "een deel van het pad is geen map"),
                           (tmp_path / ("x" * 300 + suffix), "de naam is te lang")):
        result = cli(*command, str(target), "--stil") if args[0] == "batch" else cli(*command, str(target))
        assert result.exit_code == 4, result.stderr
        assert result.stderr.splitlines()[-1] == f"eenzaam: kan niet schrijven naar {target}: {reason}"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.csv", "in.csv", "link.csv", "obs.csv", "seg.csv"]


def test_an_output_in_a_read_only_folder(cli, tmp_path, monkeypatch):
    """Root writes anywhere, so the folder's refusal is simulated where every output file is created."""
    import errno
    import tempfile

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    _alias_files(tmp_path)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    for args in (("batch", str(tmp_path / "in.csv"), "-o"), ("batch", str(tmp_path / "in.csv"), "--rapport"),
                 ("prevalentie", "--html"), ("stapel", "--voorbeeld", "tiener", "--svg")):
        target = tmp_path / ("uit.csv" if args[-1] == "-o" else "uit.md")  # batch -o: the format of its extension
        result = cli(*args, str(target))
        assert result.exit_code == 4, result.stderr
        assert result.stderr.splitlines()[-1] == f"eenzaam: kan niet schrijven naar {target}: geen schrijfrechten"
    result = cli("data", "schema", "--uit", str(tmp_path / "schemas"))
    assert result.exit_code == 4 and result.stderr.endswith(".schema.json: geen schrijfrechten\n")


def test_schemas_on_a_full_disk_exit_4(cli, tmp_path, monkeypatch):
    import errno
    import io

    real_open = io.open

    class Full:
        def __init__(self, handle, *args, **kwargs):
            self.file = real_open(handle, *args, **kwargs)

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.file.close()

    monkeypatch.setattr(io, "open", lambda file, *a, **k: Full(file, *a, **k) if isinstance(file, int)
                        else real_open(file, *a, **k))
    result = cli("data", "schema", "--uit", str(tmp_path))
    assert result.exit_code == 4
    assert result.stderr.startswith(f"eenzaam: kan niet schrijven naar {tmp_path}/")
    assert result.stderr.endswith(".schema.json: de schijf is vol\n") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


# --- item 10: a closed or failing standard error does not change the run ---

def _eenzaam_script() -> str:
    import shutil

    script = shutil.which("eenzaam", path=os.path.dirname(sys.executable))
    assert script, "the console script `eenzaam` is not installed next to this Python"
    return script


def _close_stderr() -> None:
    os.close(2)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX descriptors")
def test_a_closed_stderr(tmp_path):
    source = _write_input(tmp_path)
    (tmp_path / "slecht.csv").write_text("id,leeftijd\n1,80\n2,abc\n")
    out = tmp_path / "uit.csv"
    runs = [([source, "-o", str(out), "--rapport", str(tmp_path / "r.md")], 0),
            ([str(tmp_path / "slecht.csv"), "-o", str(tmp_path / "deels.csv")], 3)]
    for args, code in runs:
        process = subprocess.run([_eenzaam_script(), "batch", *args], stdout=subprocess.PIPE,
                                 preexec_fn=_close_stderr, timeout=60)
        assert process.returncode == code
    assert out.read_text().splitlines()[1].startswith(_WRITE_FIRST_ROW)
    assert (tmp_path / "r.md").read_text().startswith("# ")
    assert (tmp_path / "deels.csv").read_text().splitlines()[1].startswith(_WRITE_FIRST_ROW)
    process = subprocess.run([_eenzaam_script(), "prevalentie", "--leeftijd", "abc"], stdout=subprocess.PIPE,
                             preexec_fn=_close_stderr, timeout=60)
    assert process.returncode == 2 and process.stdout == b""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_a_stderr_whose_reader_is_gone(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to stderr fails with EPIPE
    try:
        source = _write_input(tmp_path)
        out = tmp_path / "uit.csv"
        process = subprocess.run([_eenzaam_script(), "batch", source, "-o", str(out)], stderr=write_end,
                                 stdout=subprocess.PIPE, timeout=60)
        assert process.returncode == 0 and out.read_text().startswith(_WRITE_HEADER)
        many = tmp_path / "veel.csv"
        many.write_text("id,leeftijd\n" + "1,abc\n" * 5_000)  # 5,000 lines for stderr, none shown
        process = subprocess.run([_eenzaam_script(), "batch", str(many), "-o", str(tmp_path / "leeg.csv")],
                                 stderr=write_end, stdout=subprocess.PIPE, timeout=60)
        assert process.returncode == 3 and (tmp_path / "leeg.csv").read_text().startswith(_WRITE_HEADER)
        process = subprocess.run([_eenzaam_script(), "prevalentie", "--leeftijd", "abc"], stderr=write_end,
                                 stdout=subprocess.PIPE, timeout=60)
        assert process.returncode == 2
    finally:
        os.close(write_end)


# --- item 11: garbage in the completion variables ---


def _complete_in_process(env: dict[str, str | None]):
    """One completion request through the root command in this process, as the shell script sends it."""
    from typer.testing import CliRunner

    from eenzaam_cli.cli.app import app

    blank = {"COMP_WORDS": None, "COMP_CWORD": None, "_TYPER_COMPLETE_ARGS": None,
             "_TYPER_COMPLETE_WORD_TO_COMPLETE": None, "_TYPER_COMPLETE_FISH_ACTION": None}
    return CliRunner().invoke(app, [], env=blank | env, catch_exceptions=False)


def test_completion_with_an_index_past_the_words_or_not_a_number_offers_nothing():
    for cword in ("9", "4", "-1", "-9", "x", "", "1.5", "３"):
        result = _complete_in_process({"_EENZAAM_COMPLETE": "complete_bash",
                                       "COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": cword})
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), cword
    result = _complete_in_process({"_EENZAAM_COMPLETE": "complete_bash", "COMP_CWORD": "1"})  # no COMP_WORDS
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    # the same line with the index bash sends still offers the levels
    result = _complete_in_process({"_EENZAAM_COMPLETE": "complete_bash",
                                   "COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": "3"})
    assert result.stdout.split() == ["laag", "midden", "hoog"]


def test_completion_of_other_shells_without_their_variables_offers_nothing():
    for shell in ("zsh", "fish", "powershell"):
        result = _complete_in_process({"_EENZAAM_COMPLETE": f"complete_{shell}"})
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), shell


def test_an_instruction_no_script_sends_is_one_line_and_exit_2():
    for instruction in ("garbage", "complete_nosh", "finish_bash", "_bash"):
        result = _complete_in_process({"_EENZAAM_COMPLETE": instruction})
        assert result.exit_code == 2 and result.stdout == "", instruction
        assert result.stderr == (f"eenzaam: _EENZAAM_COMPLETE: {instruction!r} is ongeldig (toegestaan: source_SHELL "
                                 "of complete_SHELL, met SHELL bash, zsh, fish of powershell)\n")


def test_completion_with_bad_data_on_the_line_offers_nothing(tmp_path):
    (tmp_path / "kapot.yaml").write_text("maten: [\n", encoding="utf-8")
    os.mkfifo(tmp_path / "maten.yaml")  # never opened: a FIFO is no data file
    for data in ("/bestaat/niet", str(tmp_path / "kapot.yaml"), str(tmp_path / "maten.yaml"), str(tmp_path)):
        for shell, variables in (("bash", {"COMP_WORDS": f"eenzaam profiel --data {data} --opleiding ",
                                           "COMP_CWORD": "5"}),
                                 ("zsh", {"_TYPER_COMPLETE_ARGS": f"eenzaam profiel --data {data} --opleiding "})):
            result = _complete_in_process({"_EENZAAM_COMPLETE": f"complete_{shell}"} | variables)
            assert result.exit_code == 0 and result.stderr == "", (data, shell)
            assert result.stdout in ("", "_files\n"), (data, shell)  # zsh's own word for "no words: files"


def test_completion_variables_of_any_text_never_fail():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    word = st.one_of(st.sampled_from(["eenzaam", "profiel", "--opleiding", "--factor", "burgerlijke_staat", "=",
                                      "--data", "/bestaat/niet", "--jaar", "prevalentie", "stapel", "'", '"', "\\",
                                      "--", "-", ""]), st.text(characters, max_size=8))
    line = st.lists(word, max_size=8).map(" ".join)
    index = st.one_of(st.integers(-3, 12).map(str), st.text(characters, max_size=4), st.none())

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(shell=st.sampled_from(["bash", "zsh", "fish", "powershell"]), words=st.one_of(line, st.none()),
           cword=index, current=st.one_of(st.none(), st.text(characters, max_size=6)))
    def check(shell, words, cword, current):
        variables = ({"COMP_WORDS": words, "COMP_CWORD": cword} if shell == "bash" else
                     {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_WORD_TO_COMPLETE": current,
                      "_TYPER_COMPLETE_FISH_ACTION": "get-args"})
        result = _complete_in_process({"_EENZAAM_COMPLETE": f"complete_{shell}"} | variables)
        assert result.exit_code == 0 and result.stderr == "", (result.exit_code, result.stderr)
        assert "Traceback" not in result.stdout

    check()


def test_garbage_completion_through_the_installed_script_prints_no_traceback():
    import shutil

    script = shutil.which("eenzaam", path=os.path.dirname(sys.executable)) or shutil.which("eenzaam")
    assert script
    for variables in ({"COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": "9"},
                      {"COMP_WORDS": "eenzaam profiel --opleiding ", "COMP_CWORD": "x"},
                      {"COMP_CWORD": "2"}):
        env = {key: value for key, value in os.environ.items() if key not in ("COMP_WORDS", "COMP_CWORD")}
        result = subprocess.run([script], env=env | {"_EENZAAM_COMPLETE": "complete_bash"} | variables,
                                capture_output=True, text=True, timeout=60)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), variables


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
        assert tables[0] == (8, [8] * (len(names) + (len(names) > 1)))  # the areas, and their total if more than one
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
        "# Rapport eenzaam batch: monitortabel Landelijk 2016", "## Rijen per preventieniveau", "## Rijen per leeftijdsband",
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


# --- item 13: the Python API raises only its documented errors ---


def test_api_wrong_types_and_extremes_are_input_errors():
    from eenzaam_cli import api
    from eenzaam_cli.core.errors import InputError

    segments = [{"leeftijd": "75-84", "aantal": 10}]
    cases = [
        (lambda: api.population(segments, top=0), "--top: 0 kan niet (toegestaan: 1 of meer)"),
        (lambda: api.profile(leeftijd=10**5000), "leeftijd: een getal van meer dan 3.900 cijfers kan niet"),
        (lambda: api.profile(leeftijd=10**30),
         "leeftijd: een getal van 20 of meer cijfers is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
        (lambda: api.prevalence("abc"), "age: 'abc' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"),
        (lambda: api.prevalence(200), "age: 200 is geen geldige leeftijd (toegestaan: 0 tot en met 120)"),
        (lambda: api.profile("x"), "person: verwacht een dict van persoonskenmerken, geen str"),
        (lambda: api.score_djg(None), "answers: verwacht tekst, een lijst of een dict van antwoorden, geen NoneType"),
        (lambda: api.score_djg(123), "answers: verwacht tekst, een lijst of een dict van antwoorden, geen int"),
        (lambda: api.population(None),
         "segments: verwacht een lijst van dicts, een DataFrame of het pad van een CSV-bestand, geen NoneType"),
        (lambda: api.batch(None),
         "rows: verwacht een lijst van dicts, een DataFrame of het pad van een CSV-bestand, geen NoneType"),
        (lambda: api.load(data=123), "data: verwacht een map of bestand (str of Path), of een lijst daarvan, geen int"),
        (lambda: api.load("a\x00b"), "data: een pad met een NUL-teken kan niet"),
        (lambda: api.compare_years(2016, 2016, age="x"),
         "age: 'x' is geen geheel getal (een leeftijd in jaren, 0 tot en met 120)"),
        (lambda: api.profile(leeftijd=80, reference=5), "reference: verwacht een Reference van load(), geen int"),
        (lambda: api.profile(leeftijd=80, language="fr"), "language: 'fr' kan niet (toegestaan: nl, en)"),
    ]
    for call, message in cases:
        with pytest.raises(InputError) as caught:
            call()
        assert str(caught.value) == message


def test_an_age_of_any_length_or_sign_is_an_input_error(cli):
    from eenzaam_cli.core.errors import InputError
    from eenzaam_cli.core.prevalence import parse_age

    for written in ("--5", "+-5", "1" * 5000, -10**30, 10**5000):
        with pytest.raises(InputError):
            parse_age(written)
    result = cli("profiel", "--leeftijd", "1" * 5000)
    assert result.exit_code == 2
    assert result.stderr == ("eenzaam: --leeftijd: een getal van 20 of meer cijfers is geen geldige leeftijd "
                             "(toegestaan: 0 tot en met 120)\n")


def test_every_api_function_raises_only_its_documented_errors():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from eenzaam_cli import api
    from eenzaam_cli.core.errors import DataError, InputError

    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from([30, -30, 5000]).map(lambda n: 10**abs(n) * (n // abs(n))),
                       st.floats(), st.text(max_size=8), st.binary(max_size=8),
                       st.sampled_from(["80", "75-84", "laag", "ja", "eenzaam", "2016", "nee,ja", "/bestaat/niet"]))
    key = st.one_of(st.sampled_from(["leeftijd", "aantal", "gebied", "opleiding", "djg_3", "signalen", "eenzaam"]),
                    st.integers(), st.none(), st.text(max_size=5))
    value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(key, inner, max_size=4)), max_leaves=8)
    calls = {
        "load": lambda a, b, c: api.load(a, year=b),
        "profile": lambda a, b, c: api.profile(a, leeftijd=b, language=c),
        "profile_keys": lambda a, b, c: api.profile(**{"leeftijd": a, "opleiding": b, "signalen": c}),
        "score_djg": lambda a, b, c: api.score_djg(a, coding=b, max_missing=c),
        "population": lambda a, b, c: api.population(a, top=b, top_age=c),
        "population_measure": lambda a, b, c: api.population(a, measure=b, observed=c, redistribute=True),
        "batch": lambda a, b, c: list(api.batch(a, coding=b, strict=c)),
        "prevalence": lambda a, b, c: api.prevalence(a, b, language=c),
        "compare_years": lambda a, b, c: api.compare_years(a, b, age=c),
    }

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(name=st.sampled_from(sorted(calls)), a=value, b=value, c=value)
    def check(name, a, b, c):
        try:
            calls[name](a, b, c)
        except (InputError, DataError):
            pass

    check()
