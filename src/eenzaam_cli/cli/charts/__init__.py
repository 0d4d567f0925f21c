"""Designed pictures (matplotlib, the optional extra `grafiek`): the `stapel` slide, the `prevalentie` and
`populatie` charts and the funnel plot. `canvas` holds what they share: the canvas, text sizes, colours and
hatches, and writing a figure to SVG/PNG files. Nothing here is imported until a picture is asked for.
"""
