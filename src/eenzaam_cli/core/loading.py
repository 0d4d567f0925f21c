"""Load reference data: find the files, validate them once, compile, cache.

The bundled files ship inside the package; a user's own files (a directory, or
single files recognised by name) replace the bundled ones they name. Validation
(pydantic, imported only here and lazily) runs when the files are new or have
changed; its result, a compiled `Reference` of plain records, is pickled part by part in
the user's cache directory, keyed by the files' paths and metadata, so later
runs start without parsing YAML or importing pydantic at all.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import model
from .errors import DataError, InputError, Problem

YAML_FILES = (
    "bronnen.yaml",
    "maten.yaml",
    "levensfasen.yaml",
    "risicofactoren.yaml",
    "niveaus.yaml",
    "signalen.yaml",
    "interventies.yaml",
    "djg.yaml",
)
MONITOR = "monitor.csv"  # the role; the bundled file is monitor_2016.csv, a user's may be monitor_*.csv

_PACKAGE = Path(__file__).resolve().parent.parent
_VALIDATION = Path(__file__).with_name("validation.py")


def bundled_data_dir() -> Path:
    """The data directory inside the installed package, or the checkout's `data/`."""
    installed = _PACKAGE / "data"
    return installed if installed.is_dir() else _PACKAGE.parent.parent / "data"


def _role(path: Path) -> str | None:
    name = path.name
    if name in YAML_FILES:
        return name
    if name.startswith("monitor") and name.endswith(".csv"):
        return MONITOR
    return None


def find_files(paths: Iterable[str | Path] = ()) -> dict[str, Path]:
    """The data file for each role: bundled, overlaid by the user's `paths` in order."""
    files: dict[str, Path] = {}
    for layer in [bundled_data_dir(), *map(Path, paths)]:
        if layer.is_dir():
            entries = sorted(layer.iterdir())
            found = {role: p for p in entries if (role := _role(p)) is not None}
            monitors = [p.name for p in entries if _role(p) == MONITOR]
            if len(monitors) > 1:
                raise InputError(f"{layer}: meer dan één monitorbestand ({', '.join(sorted(monitors))}); houd er één")
            if not found:
                raise InputError(f"{layer}: bevat geen gegevensbestanden (verwacht: {_expected()})")
            files.update(found)
        elif layer.is_file():
            role = _role(layer)
            if role is None:
                raise InputError(f"{layer}: onbekend gegevensbestand (verwacht: {_expected()})")
            files[role] = layer
        else:
            raise InputError(f"{layer}: bestaat niet (--data verwacht een map of een gegevensbestand)")
    return files


def _expected() -> str:
    return ", ".join(YAML_FILES) + " of monitor*.csv"


def load_reference(paths: Sequence[str | Path] = (), *, use_cache: bool = True) -> model.Reference:
    """The compiled reference data: bundled, with the user's files in `paths` on top.

    Raises DataError listing every problem when the files fail validation.
    """
    files = find_files(paths)
    cache_file = _cache_file(files) if use_cache else None
    if cache_file is not None:
        try:
            with cache_file.open("rb") as stream:
                return model.CachedReference(pickle.load(stream))
        except Exception:  # a missing, stale or unreadable cache is simply rebuilt
            pass
    reference, problems = compile_files(files)
    if problems:
        raise DataError(problems)
    assert reference is not None
    if cache_file is not None:
        _write_cache(cache_file, reference)
    return reference


def compile_files(files: dict[str, Path]) -> tuple[model.Reference | None, list[Problem]]:
    """Validate and compile; returns the reference (None on problems) and all problems."""
    from . import validation  # pydantic lives behind this import

    missing = [role for role in (*YAML_FILES, MONITOR) if role not in files]
    if missing:
        return None, [Problem(str(bundled_data_dir()), None, "", f"ontbreekt: {', '.join(missing)}")]
    return validation.validate(files)


# --- the compiled-reference cache ---------------------------------------------------------


def cache_dir() -> Path | None:
    """Where compiled references are kept; None when caching is switched off."""
    if os.environ.get("EENZAAM_CACHE", "1").strip().lower() in {"0", "nee", "no", "false", "uit", "off"}:
        return None
    explicit = os.environ.get("EENZAAM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "eenzaam"


def _cache_file(files: dict[str, Path]) -> Path | None:
    """The cache entry for these files.

    Like Python's own .pyc files, the key is made from file metadata, not contents, so
    a hit reads no data file: each data file's path, size, inode and modification and
    change times (the change time moves on every write, even when the modification time
    is set back), and the same for the code that shapes the compiled form. An edited
    data file or an upgraded tool never reads a stale entry.
    """
    directory = cache_dir()
    if directory is None:
        return None
    key = []
    for role, path in [*sorted(files.items()), ("code", Path(model.__file__)), ("code", _VALIDATION)]:
        stat = path.stat()
        key.append(f"{role}:{os.path.abspath(path)}:{stat.st_size}:{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_ctime_ns}")
    text = "\n".join(key).encode()
    return directory / f"referentie-{zlib.crc32(text):08x}{zlib.adler32(text):08x}-{len(text)}.pickle"


def _write_cache(path: Path, reference: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        parts = {name: pickle.dumps(getattr(reference, name), protocol=pickle.HIGHEST_PROTOCOL)
                 for name in reference._fields}
        temporary.write_bytes(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home or full disk only costs speed
