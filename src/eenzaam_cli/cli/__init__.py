"""The command-line shell over the core: `eenzaam …`."""

from __future__ import annotations

import sys


def main() -> None:
    from .app import app

    _register_only_invoked(app, sys.argv[1:])
    app(prog_name="eenzaam")


def _register_only_invoked(app, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Keep only the command being invoked, when one is named.

    Typer builds every registered command (signatures, options) before it
    parses the command line; analysts run the tool in loops, so a run builds
    only the command it runs. Help and unknown commands see them all.
    """
    first = next((arg for arg in args if not arg.startswith("-")), None)
    if first is None or "-h" in args or "--help" in args:
        return
    commands = [info for info in app.registered_commands if (info.name or info.callback.__name__) == first]
    groups = [info for info in app.registered_groups if info.name == first]
    if commands or groups:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups
