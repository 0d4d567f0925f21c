"""The examples of docs/api.md and the README run, and show what the library returns.

docs/api.md loads `mijn_map/`, a folder with a monitor table of 2022. This test makes that folder in a
temporary working directory. ITS FIGURES ARE MADE UP (TEST DATA, NOT FROM ANY SOURCE): the docs show
only the table's year and the names of the columns, never its numbers.
"""

from __future__ import annotations

import ast
import doctest
import re
from decimal import Decimal
from pathlib import Path

import pytest

from years_testdata import make_test_folder

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)

def blocks(path: Path, language: str) -> list[tuple[int, str]]:
    """(line, text) of every fenced block of `language` in a markdown file."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start()) + 2, match.group(2))
            for match in FENCE.finditer(text) if match.group(1) == language]


def test_the_examples_of_docs_api_md_run(tmp_path, monkeypatch):
    make_test_folder(tmp_path / "mijn_map")
    monkeypatch.chdir(tmp_path)
    examples = blocks(ROOT / "docs" / "api.md", "pycon")
    assert len(examples) >= 8, "docs/api.md lost its examples"
    try:
        import pandas  # noqa: F401
    except ImportError:  # the library works without pandas; its examples need it
        examples = [(line, text) for line, text in examples if "import pandas" not in text]
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict = {}
    report: list[str] = []
    for line, text in examples:
        test = parser.get_doctest(text, globs, f"docs/api.md:{line}", str(ROOT / "docs" / "api.md"), line)
        runner.run(test, out=report.append, clear_globs=False)
        globs.update(test.globs)  # a DocTest works on a copy: later blocks use the names of earlier ones
    assert runner.failures == 0, "".join(report)


def test_the_pandas_examples_need_pandas_and_run():
    pytest.importorskip("pandas")
    assert any("import pandas" in text for _, text in blocks(ROOT / "docs" / "api.md", "pycon"))


def test_the_python_snippet_of_docs_api_md_runs_and_its_comments_hold():
    """Each line `expression  # value` of the Python block of docs/api.md must give that value."""
    (line, code), = blocks(ROOT / "docs" / "api.md", "python")
    namespace: dict = {"Decimal": Decimal}
    checked = 0
    for number, source in enumerate(code.splitlines(), line):
        statement, _, comment = source.partition("  #")
        if not statement.strip():
            continue
        expected = _literal(comment.strip())
        if expected is not None and not _is_assignment(statement):
            assert eval(statement, namespace) == expected[0], f"docs/api.md:{number}: {source}"  # noqa: S307
            checked += 1
        else:
            exec(statement, namespace)  # noqa: S102
    assert checked >= 3, "the snippet should show what it returns"


def _literal(text: str) -> tuple | None:
    try:
        return (eval(text, {"Decimal": Decimal}),)  # noqa: S307 - our own docs
    except Exception:
        return None


def _is_assignment(statement: str) -> bool:
    try:
        return not isinstance(ast.parse(statement.strip()).body[0], ast.Expr)
    except SyntaxError:
        return True


def test_the_readme_pycon_examples_run():
    examples = blocks(ROOT / "README.md", "pycon")
    assert examples, "the README shows the library with a >>> example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for line, text in examples:
        runner.run(doctest.DocTestParser().get_doctest(text, {}, f"README.md:{line}", str(ROOT / "README.md"), line),
                   out=report.append)
    assert runner.failures == 0, "".join(report)
