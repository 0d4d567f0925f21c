"""Step through pictures one key at a time, for a room with a projector (`eenzaam stapel --interactief`).

Keys are read one by one from the terminal (termios/tty in cbreak mode: no echo, no Enter
needed, Ctrl-C still interrupts). Whatever happens (the last picture, `q`, Ctrl-C, a closed
terminal), the terminal's own settings and the cursor are restored before the run ends; Ctrl-C
then ends the run with exit code 130 through the application's one ending (`app.py`).

Presentation clickers send Page Down / Page Up or the arrow keys: those work too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from ..core.errors import InputError
from .output import View, render

NEXT = {b" ", b"\r", b"\n", b"\x1b[C", b"\x1b[B", b"\x1b[6~", b"\x1bOC", b"\x1bOB", b"n", b"j", b"l"}
BACK = {b"\x1b[D", b"\x1b[A", b"\x1b[5~", b"\x1bOD", b"\x1bOA", b"\x7f", b"\x08", b"b", b"p", b"k", b"h"}
QUIT = {b"q", b"Q", b"\x1b", b"\x04", b""}  # q, Escape, Ctrl-D, and a terminal that went away
INTERRUPT = b"\x03"  # Ctrl-C, should it arrive as a key

CLEAR = "\x1b[H\x1b[2J"
HIDE_CURSOR, SHOW_CURSOR = "\x1b[?25l", "\x1b[?25h"
ERASE_LINE = "\r\x1b[K"
DIM, RESET = "\x1b[2m", "\x1b[0m"


def require_terminal(option: str) -> None:
    """Refuse, with one line, when keys cannot be read: standard input is no terminal, or no termios."""
    try:
        import termios  # noqa: F401 - only to know it is there
        import tty  # noqa: F401
    except ImportError:
        raise InputError(f"{option}: werkt alleen in een terminal met termios (Linux, macOS)") from None
    stdin = sys.stdin
    try:
        terminal = stdin is not None and stdin.isatty()
    except (ValueError, OSError):
        terminal = False
    if not terminal:
        raise InputError(f"{option}: standaardinvoer is geen terminal; start het in een terminal, of laat {option} weg")


def step_through(views: Sequence[View], language: str, prompt: Callable[[int], str]) -> None:
    """Show `views` one at a time: the next on Enter or space, back on ←, stop on q; ends after the last.

    `prompt(index)` is the line shown under picture `index` (never under the last one).
    """
    import signal
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    terminal_out = sys.stdout.isatty()
    handlers = {}

    def hang_up(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # through the `finally` below: the terminal is restored

    prompting = False  # whether the prompt line is on the screen, to be erased when the run stops there
    try:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            handlers[signum] = signal.signal(signum, hang_up)
        tty.setcbreak(fd, termios.TCSANOW)
        if terminal_out:
            sys.stdout.write(HIDE_CURSOR)
        index = 0
        while True:
            if terminal_out:
                sys.stdout.write(CLEAR)
            prompting = False
            render(views[index], "tabel", language)
            if index == len(views) - 1:
                break
            if terminal_out:  # the prompt goes to the screen, never into a file with the pictures
                sys.stdout.write(DIM + prompt(index) + RESET)
                prompting = True
            else:
                sys.stderr.write(prompt(index) + "\n")
            sys.stdout.flush()
            key = _key(fd)
            while key not in NEXT | BACK | QUIT | {INTERRUPT}:  # any other key: nothing happens
                key = _key(fd)
            if key == INTERRUPT:
                raise KeyboardInterrupt
            if key in QUIT:
                break
            if key in NEXT:
                index += 1
            elif key in BACK:
                index = max(index - 1, 0)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        if terminal_out:
            sys.stdout.write((ERASE_LINE if prompting else "") + SHOW_CURSOR)
        sys.stdout.flush()


def _key(fd: int) -> bytes:
    """One key press: a byte, or the few bytes of an escape sequence that arrive together."""
    return os.read(fd, 16)
