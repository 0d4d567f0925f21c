"""The command-line shell over the core: `eenzaam …`."""

from __future__ import annotations

import sys


def main() -> None:
    from .app import app, load_commands

    # Import only the invoked command (Click's lazy-subcommand pattern); help and
    # unknown names get them all, so listings and suggestions stay complete.
    args = sys.argv[1:]
    named = next((arg for arg in args if not arg.startswith("-")), None)
    load_commands(None if "-h" in args or "--help" in args else named)
    app(prog_name="eenzaam")
