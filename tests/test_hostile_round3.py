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
        assert stat.S_IMODE(os.stat(picture).st_mode) == 0o640 and picture.read_text().startswith("<svg")
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


# --- item 9: every output that cannot be written exits 4 with one line ---

@pytest.mark.parametrize("args", [("batch", "{in}", "-o"), ("batch", "{in}", "--fouten"), ("batch", "{in}", "--rapport"),
                                  ("prevalentie", "--svg"), ("populatie", "{seg}", "--html")])
def test_an_output_in_a_missing_folder_or_through_a_file(cli, tmp_path, args):
    _alias_files(tmp_path)
    names = {"{in}": str(tmp_path / "in.csv"), "{seg}": str(tmp_path / "seg.csv")}
    command = [names.get(arg, arg) for arg in args]
    for target, reason in ((tmp_path / "weg" / "uit.md", "de map bestaat niet"),
                           (tmp_path / "in.csv" / "uit.md", "een deel van het pad is geen map"),
                           (tmp_path / ("x" * 300 + ".md"), "de naam is te lang")):
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
        target = tmp_path / "uit.md"
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
