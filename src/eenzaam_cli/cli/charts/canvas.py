"""What every picture shares: a 1920×1080 canvas, text sizes in pixels, colours that survive grey print (with
hatches, so *eenzaam* and *ernstig* differ without colour), and writing a figure to its files.

matplotlib is imported here, lazily (`figure`), and only through `require_extra`: without the extra `grafiek`
a picture request is one line naming what to install (exit 2). Figures are made with `matplotlib.figure.Figure`
directly, not pyplot: no global state, no GUI backend. SVG keeps its text as text (`svg.fonttype: none`), so a
slide's words stay searchable and editable, and the tests can read every font size.
"""

from __future__ import annotations

import io
from typing import Any

WIDTH_PX, HEIGHT_PX = 1920, 1080  # 16:9, the size of a full-HD slide
DPI = 100
MIN_TEXT_PX = 28  # the smallest text on a slide, readable from the back of a room
TEXT_PX = {"klein": MIN_TEXT_PX, "gewoon": 34, "kop": 48}

# Okabe-Ito colours (safe for colour blindness); the measures also differ by hatch.
INK = "#222222"
MUTED = "#555555"
GRID = "#d9d9d9"
MEASURE_COLOUR = {"eenzaam": "#0072B2", "ernstig": "#D55E00"}
MEASURE_HATCH = {"eenzaam": "", "ernstig": "//"}
SERIES_COLOUR = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]

def points(pixels: float) -> float:
    """A text size in pixels on the canvas as matplotlib's points (1 pt = 1/72 inch at DPI pixels per inch)."""
    return pixels * 72 / DPI


def requested(svg: str | None, png: str | None, html: str | None, terminal: bool) -> str | None:
    """The option of the first picture to draw (None when nothing needs the extra grafiek), checked now, before
    any input is read: without matplotlib that is one line naming the extra (exit 2). `terminal` (--terminalbeeld)
    prints the terminal tables to --svg and --html instead, and is refused without them or with --png."""
    from ...core.errors import InputError

    if terminal and png:
        raise InputError("--terminalbeeld: een afdruk van de terminal is er als --svg of --html, niet als --png; "
                         "laat --png of --terminalbeeld weg")
    if terminal and not (svg or html):
        raise InputError("--terminalbeeld: geldt voor --svg en --html; geef ook een van beide")
    option = next((name for name, value in (("--svg", svg and not terminal), ("--png", png),
                                            ("--html", html and not terminal)) if value), None)
    if option is not None:
        from ..output import require_extra

        require_extra("grafiek", option)
    return option


def figure(option: str) -> Any:
    """A new, empty figure of the canvas size; `option` names the request in the line a missing extra gives."""
    from ..output import require_extra

    matplotlib = require_extra("grafiek", option)
    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "eenzaam", "font.family": "DejaVu Sans",
        "font.size": points(TEXT_PX["gewoon"]), "text.color": INK, "axes.edgecolor": MUTED,
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "hatch.linewidth": 2.0,
    })
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")


def save(picture: Any, svg: str | None = None, png: str | None = None) -> None:
    """Write the figure to each file asked for, through `OutputFile` (atomic, never replacing a device);
    the files carry no date, so the same picture gives the same bytes."""
    from ..output import OutputFile

    for path, kind, metadata in ((svg, "svg", {"Date": None}), (png, "png", {"Software": None})):
        if path is None:
            continue
        buffer = io.BytesIO()
        picture.savefig(buffer, format=kind, dpi=DPI, metadata=metadata)
        with OutputFile(path, binary=True) as target:
            target.write(buffer.getvalue())


def svg_text(picture: Any, prefix: str = "") -> str:
    """The figure as an `<svg>` element, for an HTML page that shows it inline (without the XML declaration and
    DOCTYPE of an SVG file); `prefix` goes before every id and every reference to one, so several figures on one
    page keep their ids apart (matplotlib numbers them per figure)."""
    import re

    buffer = io.StringIO()
    picture.savefig(buffer, format="svg", dpi=DPI, metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    if prefix:
        text = re.sub(r'(\bid="|url\(#|href="#)', lambda match: match.group(1) + prefix, text)
    seen: dict[str, int] = {}

    def unique(match: Any) -> str:  # a gid given to several artists (both lines of a limit) is made unique
        name = match.group(1)
        seen[name] = seen.get(name, 0) + 1
        return f'id="{name}"' if seen[name] == 1 else f'id="{name}-{seen[name]}"'

    return re.sub(r'\bid="([^"]+)"', unique, text)


def renderer(picture: Any) -> Any:
    """A renderer of the figure, to measure text as it will be drawn (wrapping, label placement, the tests)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(picture.canvas, FigureCanvasAgg):
        FigureCanvasAgg(picture)
    return picture.canvas.get_renderer()


def font(pixels: float, weight: str = "normal") -> Any:
    """The canvas font at a size in pixels."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(family="DejaVu Sans", size=points(pixels), weight=weight)


class Ruler:
    """Measures text on a figure as its renderer draws it, so a label can be wrapped or shortened to fit."""

    def __init__(self, picture: Any):
        self.renderer = renderer(picture)
        self.widths: dict[tuple[str, float, str], float] = {}

    def width(self, text: str, pixels: float, weight: str = "normal") -> float:
        """The width of one line of text in canvas pixels."""
        key = (text, pixels, weight)
        if key not in self.widths:
            self.widths[key], _, _ = self.renderer.get_text_width_height_descent(text, font(pixels, weight),
                                                                                 ismath=False)
        return self.widths[key]

    def wrap(self, text: str, room: float, pixels: float, weight: str = "normal") -> list[str]:
        """`text` in lines no wider than `room` pixels: broken at spaces, a word too long for a line after its
        '_', '-' or '/', and only as a last resort between letters. Line breaks in `text` are kept."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split():
                for index, piece in enumerate(self._pieces(word, room, pixels, weight)):
                    trial = f"{line} {piece}" if line and index == 0 else line + piece  # a word's pieces join again
                    if line and self.width(trial, pixels, weight) > room:
                        lines.append(line)
                        line = piece
                    else:
                        line = trial
            lines.append(line)
        return lines

    def shorten(self, text: str, room: float, pixels: float, weight: str = "normal") -> str:
        """`text` on one line of at most `room` pixels, cut with '…' where it is too long: after a clause (',', ':',
        ';') where that keeps most of what fits, else after a word."""
        if self.width(text, pixels, weight) <= room:
            return text
        words = text.split(" ")
        low, high = 1, len(words) - 1  # the most words that fit with '…' after them (at least one)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(self._cut(words, middle), pixels, weight) <= room:
                low = middle
            else:
                high = middle - 1
        clause = next((count for count in range(low, 0, -1) if words[count - 1].endswith((",", ":", ";"))), 0)
        return self._cut(words, clause if clause >= 0.6 * low else low)

    @staticmethod
    def _cut(words: list[str], count: int) -> str:
        return " ".join(words[:count]).rstrip(",;:·—-– ") + "…"

    def _pieces(self, word: str, room: float, pixels: float, weight: str) -> list[str]:
        """A word as pieces that each fit `room`, cut after its last '_', '-' or '/' where it has one."""
        if self.width(word, pixels, weight) <= room:
            return [word]
        pieces, piece = [], ""
        for char in word:
            if piece and self.width(piece + char, pixels, weight) > room:
                cut = max(piece.rfind(j) for j in _JOINS)
                pieces.append(piece[:cut + 1] if cut > 0 else piece)
                piece = piece[cut + 1:] if cut > 0 else ""
            piece += char
        return [*pieces, piece]


_JOINS = ("_", "-", "/")  # a word too long for a line breaks after one of these
