"""The README a newcomer reads to the end, and the docs it links to.

It stays short, its command table names every command and every option of `profiel`, every option of every
command is in it or in docs/cli.md, every relative link in it and in docs/ resolves, its test set-up is the one
CI runs, and a clone without the source text is told in one line what to do.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer

from eenzaam_cli.cli.app import COMMANDS, app, load_commands

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _commands() -> dict[str, object]:
    """'profiel' -> its command, …, 'data valideer' -> its command: every command a user can run."""
    load_commands()
    root = typer.main.get_command(app)
    found: dict[str, object] = {}
    for name in COMMANDS:
        command = root.commands[name]
        subcommands = getattr(command, "commands", {})
        found.update({f"{name} {sub}": each for sub, each in subcommands.items()} if subcommands else {name: command})
    return found


def _options(command) -> list[str]:
    """The name a user types for each option: its long form, or its short one if it has none."""
    names = []
    for param in command.params:
        if param.param_type_name == "option":
            spellings = [*param.opts, *param.secondary_opts]
            names.append(next((s for s in spellings if s.startswith("--")), spellings[0]))
    return names


def test_the_readme_stays_short():
    assert len(_text(README).splitlines()) <= 250


def test_the_command_table_names_every_command_and_every_profiel_option():
    table = _text(README).split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `eenzaam ")]
    commands = _commands()
    for name in commands:
        assert any(f"`eenzaam {name} " in row or f"`eenzaam {name}`" in row for row in rows), name
    assert len(rows) == len(commands)
    for option in _options(commands["profiel"]):
        assert re.search(rf"{option}\b", _text(README)), option
    assert {"--migratie", "--mantelzorger", "--rondkomen", "--werk", "--netwerk"} <= set(_options(commands["profiel"]))


def test_every_option_of_every_command_is_in_the_readme_or_in_its_section_of_docs_cli_md():
    readme, reference = _text(README), _text(ROOT / "docs" / "cli.md")
    root = typer.main.get_command(app)
    sections = {"": reference.split("\n## `eenzaam`\n", 1)[1].split("\n## ", 1)[0]}
    missing = []
    for name, command in _commands().items():
        heading = f"\n## `eenzaam {name}`\n"
        sections[name] = reference.split(heading, 1)[1].split("\n## ", 1)[0] if heading in reference else ""
        missing += [f"{name} {option}" for option in _options(command)
                    if not re.search(rf"{option}\b", sections[name]) and not re.search(rf"{option}\b", readme)]
    missing += [option for option in _options(root) if option not in sections[""] and option not in readme]
    assert missing == []


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation gone, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", re.sub(r"^```.*?^```", "", _text(path), flags=re.M | re.S), re.M):
        slug, n = _slug(heading), 1
        while slug in anchors:
            slug, n = f"{_slug(heading)}-{n}", n + 1
        anchors.add(slug)
    return anchors


def _links(path: Path) -> list[str]:
    """Every link target of a markdown file, outside code blocks and code spans."""
    text = re.sub(r"^```.*?^```", "", _text(path), flags=re.M | re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_the_slugs_are_githubs():
    assert _slug("`eenzaam batch` (benchmarks/batch.py)") == "eenzaam-batch-benchmarksbatchpy"
    assert _slug("Files, pipes and terminals") == "files-pipes-and-terminals"
    assert _slug("1. Which figures apply: the headline") == "1-which-figures-apply-the-headline"


@pytest.mark.parametrize("page", [README, *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name)
def test_every_relative_link_resolves(page):
    broken = []
    for target in _links(page):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        goal = (page.parent / file).resolve() if file else page
        if not goal.exists() or (anchor and goal.suffix == ".md" and anchor not in _anchors(goal)):
            broken.append(target)
    assert broken == []


def test_the_readme_shows_the_four_pictures():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", _text(README))
    assert sorted(pictures) == ["docs/prevalentie.png", "docs/stapel.png", "docs/trechter.png", "docs/vergelijk.png"]


def _extras(line: str) -> set[str]:
    return set(re.search(r"pip install[^']*'\.\[([^\]]*)\]'", line).group(1).split(","))


def test_the_test_set_up_of_the_readme_is_the_one_ci_runs_with_every_extra():
    readme = next(line for line in _text(README).splitlines() if "python -m pytest" in line and "pip install" in line)
    ci = next(line for line in _text(ROOT / ".ci" / "run").splitlines() if line.startswith("pip install"))
    declared = set(tomllib.loads(_text(ROOT / "pyproject.toml"))["project"]["optional-dependencies"])
    assert _extras(readme) == _extras(ci) == declared | {"test", "spss", "excel", "grafiek"}


def test_a_clone_without_the_source_text_is_told_in_one_line_what_to_do(tmp_path):
    """Three tests that need the text, run as a fresh clone runs them: one line, no path of this machine."""
    clone = tmp_path / "clone"
    (clone / "tests").mkdir(parents=True)
    (clone / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (clone / "tests" / "bron.py").write_bytes((ROOT / "tests" / "bron.py").read_bytes())
    (clone / "tests" / "test_three.py").write_text(
        "from bron import raw_source, require_source, source\n\n"
        "def test_a():\n    require_source()\n\n"
        "def test_b():\n    source()\n\n"
        "def test_c():\n    raw_source()\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "EENZAAM_BRON"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", "tests"], cwd=clone,
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if "source text" in line]
    assert len(lines) == 1, run.stdout
    assert lines[0].startswith("SKIPPED [3] ") and str(tmp_path) not in lines[0]
    assert "EENZAAM_BRON" in lines[0] and "../shared/bron/000_857a77e85d368171.txt" in lines[0]
