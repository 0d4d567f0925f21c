"""Write docs/cli.md: the `--help` of every command, so the reference never drifts.

    python scripts/cli_reference.py          # rewrite docs/cli.md
    python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is stale (CI runs this via the tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from eenzaam_cli.cli.app import COMMANDS, app, load_commands

TARGET = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
HEADER = """# `eenzaam` command reference

Generated from `--help` by `scripts/cli_reference.py`; a test fails when it is stale.
Exit codes are in the README; output formats in [gebruik.md](gebruik.md#output-formats-for-scripts).
"""


def command_lines() -> list[list[str]]:
    """Every command path: [], ['profiel'], …, ['data'], ['data', 'valideer'], … every subcommand of a group."""
    load_commands()
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]
    for name in COMMANDS:
        paths.append([name])
        paths += [[name, sub] for sub in getattr(root.commands[name], "commands", {})]
    return paths


def render() -> str:
    runner = CliRunner()
    parts = [HEADER]
    for path in command_lines():
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
                               prog_name="eenzaam")
        assert result.exit_code == 0, result.output
        title = " ".join(["eenzaam", *path])
        help_text = "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())
        parts.append(f"\n## `{title}`\n\n```text\n{help_text}\n```\n")
    return "".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
