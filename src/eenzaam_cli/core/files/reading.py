"""Opening what a command reads: files and standard input, bounded, with one-line errors.

Every reader (`tabular` for CSV files, `yamlfile` for YAML and JSON person and data
files) opens its input here, so every command says the same about a missing file, a
directory, a dangling or looping symbolic link, a file without read permission, a
terminal on standard input, a file that is too large, or text that is not UTF-8. The
messages name the file, and where it matters the line and the byte; none of them
passes on the operating system's English wording.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Problem

MIB = 1024 * 1024
MAX_FILE_BYTES = 4 * MIB  # a person file or a YAML data file; a bundled data file is at most 56 KiB
MAX_DIGITS = 100  # in a number read from a file; Python refuses to convert a whole number of more than 4,300
STDIN = "<stdin>"

# A byte that is not UTF-8 (decoded with surrogateescape), or a NUL character.
_BAD_TEXT = re.compile("[\udc80-\udcff\x00]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class ReadError(InputError):
    """A problem reading a file, at a line where one is known: `file:line: field: message`."""

    def __init__(self, file: str, line: int | None, message: str, field: str = ""):
        self.file, self.line, self.field, self.message = file, line, field, message
        super().__init__(str(self.problem))

    @property
    def problem(self) -> Problem:
        return Problem(self.file, self.line, self.field, self.message)


def label(name: str | Path) -> str:
    """How messages name an input: its path, or <stdin> for `-`."""
    return STDIN if str(name) == "-" else str(name)


def open_binary(name: str | Path) -> tuple[BinaryIO, str]:
    """The input opened for reading bytes, and its label; `-` is standard input.

    Standard input that is a terminal is refused rather than waited on.
    """
    if str(name) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise ReadError(STDIN, None, "standaardinvoer is een terminal; geef een bestand, of stuur de gegevens "
                                         "met een pijp of < bestand")
        return sys.stdin.buffer, STDIN
    try:
        return open(name, "rb"), str(name)
    except OSError as error:
        raise ReadError(str(name), None, os_problem(Path(name), error)) from None


def read_bytes(name: str | Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """All bytes of a file or standard input (never more than `limit` are read), and its label."""
    stream, shown = open_binary(name)
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        raise ReadError(shown, None, os_problem(Path(shown), error)) from None
    finally:
        if shown != STDIN:
            stream.close()
    if len(data) > limit:
        raise ReadError(shown, None, f"is groter dan {limit // MIB} MiB, de grens voor persoons- en gegevensbestanden")
    return data, shown


def read_text(name: str | Path, limit: int = MAX_FILE_BYTES) -> tuple[str, str]:
    """A whole file (or standard input) as UTF-8 text, with or without BOM, and its label."""
    data, shown = read_bytes(name, limit)
    text = data.decode("utf-8-sig", errors="surrogateescape")
    check_block(text, shown, 1)
    return text, shown


def bad_line_start(text: str) -> int | None:
    """Where the line starts that holds the first byte `check_text` refuses; None when there is none.

    Fast for a large block: ASCII text can only hold a NUL, and encoding finds an undecodable byte in C.
    """
    at = text.find("\x00")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:  # a byte that was not UTF-8, kept as a lone surrogate
            at = error.start if at < 0 else min(at, error.start)
    if at < 0:
        return None
    return max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1


def check_block(text: str, file: str, first_line: int) -> None:
    """`check_text` for a block of whole lines that starts at line `first_line`: the error names the line."""
    start = bad_line_start(text)
    if start is not None:
        end = _LINE_BREAK.search(text, start)
        check_text(text[start:end.start() if end else len(text)], file, first_line + count_lines(text[:start]))


def count_lines(text: str) -> int:
    """The number of line ends in `text` (\\n, \\r\\n or \\r), as universal newlines split it."""
    count = text.count("\n")
    return count + text.count("\r") - text.count("\r\n") if "\r" in text else count


def check_text(line_text: str, file: str, line: int) -> None:
    """Refuse a line holding a byte that is not UTF-8 (read with surrogateescape) or a NUL character."""
    bad = _BAD_TEXT.search(line_text)
    if bad is None:
        return
    column = len(line_text[:bad.start()].encode("utf-8", "surrogateescape")) + 1
    if bad.group() == "\x00":
        raise ReadError(file, line, f"byte {column} is een NUL-byte; dit is geen tekstbestand (verwacht UTF-8-tekst)")
    byte = ord(bad.group()) - 0xDC00
    if line == 1 and line_text[:2] in ("\udcff\udcfe", "\udcfe\udcff"):
        raise ReadError(file, line, "het bestand is UTF-16; sla het op als UTF-8")
    raise ReadError(file, line, f"byte {column} (0x{byte:02X}) is geen UTF-8; is het bestand Windows-1252 of Latin-1? "
                                "Sla het op als UTF-8")


def os_problem(path: Path, error: OSError) -> str:
    """What is wrong with `path`, in Dutch, for an OSError raised while opening or reading it."""
    code = error.errno
    if code == errno.ENOENT:
        if os.path.islink(path):
            return f"is een symbolische koppeling naar {os.readlink(path)!r}, dat niet bestaat"
        return "bestaat niet"
    if code == errno.ELOOP:
        return "is een symbolische koppeling in een kringloop"
    if code == errno.EISDIR:
        return "is een map, geen bestand"
    if code == errno.ENOTDIR:
        return "bestaat niet (een deel van het pad is geen map)"
    if code in (errno.EACCES, errno.EPERM):
        return "geen leesrechten"
    if code == errno.ENAMETOOLONG:
        return "de naam is te lang"
    return f"kan niet gelezen worden ({errno.errorcode.get(code or 0, code)})"


def path_problem(path: Path, *, directory_ok: bool) -> str | None:
    """Why `path` is not a readable file (or, with `directory_ok`, a readable directory); None when it is."""
    try:
        status = path.stat()
    except OSError as error:
        return os_problem(path, error)
    import stat

    if stat.S_ISDIR(status.st_mode):
        if not directory_ok:
            return "is een map, geen bestand"
        return None if os.access(path, os.R_OK | os.X_OK) else "geen leesrechten voor deze map"
    if not stat.S_ISREG(status.st_mode):
        return "is geen gewoon bestand"
    return None if os.access(path, os.R_OK) else "geen leesrechten"
