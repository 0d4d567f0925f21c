"""The command-line shell over the core: `eenzaam …`."""

from __future__ import annotations

import signal
import sys


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # a job scheduler's SIGTERM ends a run as Ctrl-C does: temporary files removed, exit 130


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    try:
        from .app import app, load_commands

        # Import only the invoked command (Click's lazy-subcommand pattern); help and
        # unknown names get them all, so listings and suggestions stay complete.
        args = sys.argv[1:]
        named = next((arg for arg in args if not arg.startswith("-")), None)
        load_commands(None if "-h" in args or "--help" in args else named)
    except KeyboardInterrupt:  # Ctrl-C while starting, before the app handles it
        raise SystemExit(130) from None
    app(prog_name="eenzaam")  # ends the process with the exit code (see EenzaamGroup.main)
