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
TEXT_PX = {"klein": MIN_TEXT_PX, "gewoon": 34, "kop": 48, "groot": 96}

# Okabe-Ito colours (safe for colour blindness); the measures also differ by hatch.
INK = "#222222"
MUTED = "#555555"
GRID = "#d9d9d9"
MEASURE_COLOUR = {"eenzaam": "#0072B2", "ernstig": "#D55E00"}
MEASURE_HATCH = {"eenzaam": "", "ernstig": "//"}
SERIES_COLOUR = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]

PICTURE_SUFFIXES = {"--svg": ".svg", "--png": ".png"}


def points(pixels: float) -> float:
    """A text size in pixels on the canvas as matplotlib's points (1 pt = 1/72 inch at DPI pixels per inch)."""
    return pixels * 72 / DPI


def figure(option: str, width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> Any:
    """A new, empty figure of the canvas size; `option` names the request in the line a missing extra gives."""
    from ..output import require_extra

    matplotlib = require_extra("grafiek", option)
    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "eenzaam", "font.family": "DejaVu Sans",
        "font.size": points(TEXT_PX["gewoon"]), "text.color": INK, "axes.edgecolor": MUTED,
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "hatch.linewidth": 2.0,
    })
    from matplotlib.figure import Figure

    return Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, facecolor="white")


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


def svg_text(picture: Any) -> str:
    """The figure as SVG text, for an HTML page that shows it inline."""
    buffer = io.StringIO()
    picture.savefig(buffer, format="svg", dpi=DPI, metadata={"Date": None})
    return buffer.getvalue()


def renderer(picture: Any) -> Any:
    """A renderer of the figure, to measure text as it will be drawn (wrapping, label placement, the tests)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(picture.canvas, FigureCanvasAgg):
        FigureCanvasAgg(picture)
    return picture.canvas.get_renderer()
