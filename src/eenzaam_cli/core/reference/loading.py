"""Load reference data: find the files, validate them once, compile, cache.

The bundled files ship inside the package; a user's own files (a directory, or
single files recognised by name) replace the bundled ones they name. Monitor tables
(`monitor*.csv`) are kept side by side: each file is one table of one year (its `jaar`
column), keyed by that year in the compiled reference. Validation
(pydantic, imported only here and lazily) runs when the files are new or have
changed; its result, a compiled `Reference` of plain records, is cached part by part as
JSON in the user's private cache directory, keyed by the files' paths and metadata and
checked by its SHA-256, so later runs start without parsing YAML or importing pydantic.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from . import model
from ..errors import DataError, InputError, Problem

YAML_FILES = (
    "bronnen.yaml",
    "maten.yaml",
    "levensfasen.yaml",
    "risicofactoren.yaml",
    "niveaus.yaml",
    "signalen.yaml",
    "interventies.yaml",
    "djg.yaml",
    "voorbeelden.yaml",
)
MONITOR = "monitor.csv"  # the kind; each monitor*.csv file is a role of its own, named by its file name
SOURCES = "bronnen.yaml"  # the bundled bibliography; each of the user's own is added to it, a role of its own
OWN_SOURCES = "bronnen.yaml+"  # the prefix of such a role: "bronnen.yaml+" and the file's path

_PACKAGE = Path(__file__).resolve().parents[2]
_VALIDATION = Path(__file__).with_name("validation.py")


def bundled_data_dir() -> Path:
    """The data directory inside the installed package, or the checkout's `data/`."""
    installed = _PACKAGE / "data"
    return installed if installed.is_dir() else _PACKAGE.parent.parent / "data"


def _role(path: Path) -> str | None:
    name = path.name
    if name in YAML_FILES:
        return name
    if name.startswith("monitor") and name.endswith((".csv", ".xlsx")):  # .xlsx: the excel extra reads it
        return name  # monitor tables coexist: only a file of the same name replaces one
    return None


def is_monitor(role: str) -> bool:
    """True for the role of a monitor table: every role that is not a YAML file (its name, monitor*.csv)."""
    return role not in YAML_FILES and not role.startswith(OWN_SOURCES)


def find_files(paths: Iterable[str | Path] = ()) -> dict[str, Path]:
    """The data file for each role: bundled, overlaid by the user's `paths` in order.

    A role is a file name: a user's file replaces the bundled file of the same name. Monitor
    tables of other names are added beside the bundled one; validation keys them by their year.
    A user's `bronnen.yaml` adds its sources to the bundled ones (role `OWN_SOURCES` + its path),
    so a table of one's own names its source without a copy of the whole bibliography.
    """
    files: dict[str, Path] = {}
    bundled_sources = os.path.realpath(bundled_data_dir() / SOURCES)
    for layer in [bundled_data_dir(), *map(Path, paths)]:
        if layer.is_dir():
            try:
                entries = sorted(layer.iterdir())
            except OSError:
                entries = []  # unreadable: path_problem says why
            found = {_own_role(role, p, bundled_sources): p for p in entries if (role := _role(p)) is not None}
            for path in found.values():
                if not path.is_file():  # a directory, a dangling or looping link with a data file's name
                    from ..files.reading import path_problem

                    raise InputError(f"{path}: {path_problem(path, directory_ok=False) or 'is geen gewoon bestand'} "
                                     "(een gegevensbestand moet een leesbaar bestand zijn)")
            if not found:
                from ..files.reading import path_problem

                problem = path_problem(layer, directory_ok=True)
                raise InputError(f"{layer}: {problem}" if problem else
                                 f"{layer}: bevat geen gegevensbestanden (verwacht: {_expected()})")
            files.update(found)
        elif layer.is_file():
            role = _role(layer)
            if role is None:
                raise InputError(f"{layer}: onbekend gegevensbestand (verwacht: {_expected()})")
            files[_own_role(role, layer, bundled_sources)] = layer
        else:
            from ..files.reading import path_problem

            problem = path_problem(layer, directory_ok=False) or "is geen gewoon bestand"
            raise InputError(f"{layer}: {problem} (verwacht een map of een gegevensbestand)")
    return files


def _own_role(role: str, path: Path, bundled_sources: str) -> str:
    """A user's bronnen.yaml is a role of its own, added to the bundled one; any other file keeps its name, and so
    does a bronnen.yaml that is the bundled one or a copy of it byte for byte (a copied data folder adds nothing)."""
    if role != SOURCES or os.path.realpath(path) == bundled_sources:
        return role
    import filecmp

    try:
        same = filecmp.cmp(path, bundled_sources, shallow=False)
    except OSError:
        same = False  # unreadable: validation says why
    return role if same else f"{OWN_SOURCES}{path}"


def _expected() -> str:
    return ", ".join(YAML_FILES) + " of monitor*.csv (of monitor*.xlsx)"


def load_reference(paths: Sequence[str | Path] = (), *, use_cache: bool = True) -> model.Reference:
    """The compiled reference data: bundled, with the user's files in `paths` on top.

    Raises DataError listing every problem when the files fail validation.
    """
    files = find_files(paths)
    entry = _cache_entry(files) if use_cache else None
    if entry is not None:
        parts = _read_cache(*entry)
        if parts is not None:
            return model.CachedReference(parts, functools.cache(lambda: _rebuild(files, *entry)))
    reference = _compile(files)
    if entry is not None:
        _write_cache(*entry, reference)
    return reference


def _compile(files: dict[str, Path]) -> model.Reference:
    reference, problems = compile_files(files)
    if problems:
        raise DataError(problems)
    assert reference is not None
    return reference


def compile_files(files: dict[str, Path]) -> tuple[model.Reference | None, list[Problem]]:
    """Validate and compile; returns the reference (None on problems) and all problems."""
    from . import validation  # pydantic lives behind this import

    missing = [role for role in YAML_FILES if role not in files]
    if not any(is_monitor(role) for role in files):
        missing.append("monitor*.csv")
    if missing:
        return None, [Problem(str(bundled_data_dir()), None, "", f"ontbreekt: {', '.join(missing)}")]
    return validation.validate(files, bundled_data_dir())


# --- the compiled-reference cache ---------------------------------------------------------
#
# One file per data set and version: `referentie-v2-<data set>-<key>.cache`, in a directory
# only this user can write to. Its first line is `eenzaam-referentie v2 <SHA-256 of the rest>`;
# then the full key, then one line per part of the Reference: its name and its JSON
# (`model.encode_part`). JSON builds only plain values and records, so reading a cache runs
# no code from it; the hash makes a damaged or cut-off file a miss instead of a wrong figure.

FORMAT = 2  # the layout above; entries of older formats (1: pickle) are removed
_MAGIC = b"eenzaam-referentie v%d" % FORMAT
_CORE = Path(__file__).resolve().parents[1]
_CODE = tuple(_CORE / name for name in (
    "record.py", "reference/loading.py", "reference/model.py", "reference/validation.py", "reference/schema.py",
    "files/yamlfile.py", "files/tabular.py", "files/table.py", "files/reading.py", "files/formats.py"))
_POSIX = hasattr(os, "geteuid")


def cache_dir() -> Path | None:
    """Where compiled references are kept; None when caching is switched off."""
    if os.environ.get("EENZAAM_CACHE", "1").strip().lower() in {"0", "nee", "no", "false", "uit", "off"}:
        return None
    explicit = os.environ.get("EENZAAM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "eenzaam"


def _cache_entry(files: dict[str, Path]) -> tuple[Path, str] | None:
    """The cache file for these files, and its full key.

    Like Python's own .pyc files, the key is made from file metadata, not contents, so
    a hit reads no data file: each data file's path, size, inode and modification and
    change times (the change time moves on every write, even when the modification time
    is set back), and the same for the code that shapes the compiled form. An edited
    data file or an upgraded tool never reads a stale entry. The name starts with a hash
    of the paths alone (the data set), so a new entry can replace the old ones of its set.
    """
    directory = cache_dir()
    if directory is None:
        return None
    paths, key = [], []
    for role, path in [*sorted(files.items()), *(("code", code) for code in _CODE)]:
        stat = path.stat()
        paths.append(f"{role}:{os.path.abspath(path)}")
        key.append(f"{paths[-1]}:{stat.st_size}:{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_ctime_ns}")
    data_set = hashlib.sha256("\n".join(paths).encode()).hexdigest()
    digest = hashlib.sha256("\n".join(key).encode()).hexdigest()
    return directory / f"referentie-v{FORMAT}-{data_set[:16]}-{digest[:16]}.cache", digest


def _private(status: os.stat_result, kind: Callable[[int], bool]) -> bool:
    """Of the right kind, this user's, and writable by no one else.

    Only on POSIX systems; elsewhere (Windows) the user's profile is kept private by ACLs.
    """
    return kind(status.st_mode) and (not _POSIX or (status.st_uid == os.geteuid() and not status.st_mode & 0o022))


def _read_cache(path: Path, key: str) -> dict[str, bytes] | None:
    """The parts' JSON by name, or None: missing, not private, damaged, or of another key."""
    try:
        if not _private(os.stat(path.parent), S_ISDIR):
            return None  # a directory others can write to may hold anything
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as stream:
            if not _private(os.fstat(stream.fileno()), S_ISREG):
                return None
            data = stream.read()
    except OSError:
        return None
    head, _, rest = data.partition(b"\n")
    if head != b"%s %s" % (_MAGIC, hashlib.sha256(rest).hexdigest().encode()):
        return None
    stored_key, *lines = rest.split(b"\n")
    parts = {name.decode(errors="replace"): text for name, _, text in (line.partition(b" ") for line in lines)}
    if stored_key != key.encode() or len(parts) != len(lines) or parts.keys() != set(model.Reference._fields):
        return None
    return parts


def _rebuild(files: dict[str, Path], path: Path, key: str) -> model.Reference:
    """A fresh reference, for a cache entry that passed its hash but failed to decode."""
    try:
        path.unlink()
    except OSError:
        pass
    reference = _compile(files)
    _write_cache(path, key, reference)
    return reference


def _write_cache(path: Path, key: str, reference: model.Reference) -> None:
    """Write the entry atomically, in a private directory; only parts that read back exactly.

    A read-only home, a full disk or a directory others can write to only costs speed.
    """
    lines = [key.encode()]
    for name in model.Reference._fields:
        value = getattr(reference, name)
        try:
            text = model.encode_part(value)
            back = model.decode_part(text)
            exact = back == value and model.encode_part(back) == text  # the second also compares Decimal exponents
        except Exception:  # a value with no JSON form
            exact = False
        if not exact:
            return
        lines.append(name.encode() + b" " + text)
    rest = b"\n".join(lines)
    data = b"%s %s\n%s" % (_MAGIC, hashlib.sha256(rest).hexdigest().encode(), rest)
    directory = path.parent
    try:
        _make_private_dir(directory)
        if not _private(os.stat(directory), S_ISDIR):
            return  # not this user's, or writable by others: don't add to it
        _remove_stale(directory, path.name)
        import tempfile

        handle, temporary = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=directory)  # mode 0600
        try:
            with open(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass


def _make_private_dir(directory: Path) -> None:
    """Create `directory` and its missing parents with mode 0700, whatever the umask."""
    missing = []
    while not directory.exists() and directory.parent != directory:
        missing.append(directory)
        directory = directory.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by a concurrent run; `_private` decides whether to use it
        os.chmod(folder, 0o700)  # a umask can only take bits away, even the owner's


def _remove_stale(directory: Path, current: str) -> None:
    """Remove this data set's other entries, entries of older formats, and abandoned temporary files."""
    data_set = current.rsplit("-", 1)[0] + "-"
    hour_ago = time.time() - 3600
    with os.scandir(directory) as entries:
        for entry in entries:
            name = entry.name
            if not name.startswith("referentie-") or name == current or not entry.is_file(follow_symlinks=False):
                continue
            version = name.split("-")[1]
            if name.endswith(".tmp"):
                stale = entry.stat(follow_symlinks=False).st_mtime < hour_ago  # others may be writing young ones
            elif name.endswith(".pickle"):
                stale = True  # format 1
            else:  # a newer format's entry stays: another install of a newer version may share the folder
                older = version[:1] == "v" and version[1:].isdigit() and int(version[1:]) < FORMAT
                stale = older or name.startswith(data_set)
            if stale:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
