"""The source text the data comes from: where the tests find it, and what they do without it.

The Movisie text on preventing loneliness (extracted from the PDF) is not part of the repository. By
default it is read from ../shared/bron/000_857a77e85d368171.txt beside the project root; the environment
variable EENZAAM_BRON names another path to the .txt file.

- Not set, and nothing at the default path: a test that needs the text is skipped. Every such skip has the
  same reason, which says what to do without a path of this machine, so pytest's summary (-rs) reports them
  all in one line. A fresh clone with nothing beside it still passes.
- Set, but no file there: the test fails. CI sets the variable (.ci/run), so it can never skip silently.

Any test module can use it: `from bron import source, in_source`. `CHECKOUT_DATA` is the checkout's data/,
which the data is checked in (an installed copy may be older until the package is reinstalled).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest

ENV = "EENZAAM_BRON"
FILE_NAME = "000_857a77e85d368171.txt"
BESIDE = Path("shared", "bron", FILE_NAME)  # in the folder that holds the checkout
DEFAULT_PATH = Path(__file__).resolve().parents[2] / BESIDE
# The data the tests check: the checkout's, never an installed copy that an edit has not reached yet.
CHECKOUT_DATA = Path(__file__).resolve().parents[1] / "data"


def source_path(environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The path of the source text, and whether EENZAAM_BRON named it (even as an empty value)."""
    env = os.environ if environ is None else environ
    if ENV in env:
        return Path(env[ENV]).expanduser().absolute(), True
    return DEFAULT_PATH, False


def require_source(environ: Mapping[str, str] | None = None) -> Path:
    """The path of the source text; skips the calling test if it is absent, fails if EENZAAM_BRON is wrong."""
    path, explicit = source_path(environ)
    if path.is_file():
        return path
    if explicit:
        pytest.fail(f"{ENV} is set, but there is no source text at {path}", pytrace=False)
    pytest.skip(f"the Movisie source text is not in the repository; to run these tests, set {ENV} to its path "
                f"or put it at ../{BESIDE.as_posix()} beside the checkout")


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def raw_source() -> str:
    """The source text as extracted from the PDF (skips or fails like `require_source`)."""
    return _read(require_source())


def normalise(text: str) -> str:
    """Join words hyphenated across line breaks and collapse all whitespace.

    "eenzaam-\\n\\nheid" -> "eenzaamheid"; tabs, newlines and runs of spaces
    become one space. A hyphen inside a line ("niet-westerse") is kept.
    """
    text = re.sub(r"(\w)-[ \t]*\n\s*(?=\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def _normalised(path: Path) -> str:
    return normalise(_read(path))


def source() -> str:
    """The normalised source text (skips or fails like `require_source`)."""
    return _normalised(require_source())


def in_source(fragment: str, text: str | None = None) -> bool:
    """Whether `fragment` occurs (case-insensitive, whitespace-normalised) in the source, or in `text`."""
    haystack = source() if text is None else text
    return normalise(fragment).casefold() in haystack.casefold()
