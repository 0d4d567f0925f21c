"""`eenzaam stapel`: trainer mode, risk stacking shown step by step, live or as a picture for a slide."""

from typing import Annotated, Any

import typer

from ...core.errors import InputError
from ..app import (
    DataOption,
    HtmlOption,
    PngOption,
    SvgOption,
    TerminalPictureOption,
    FormatOption,
    LanguageOption,
    RawCsvOption,
    YearOption,
    app,
    completer,
    reference,
)
from ..output import FORMATS, render

@app.command()
def stapel(
    stappen: Annotated[list[str] | None, typer.Argument(
        metavar="FACTOR=WAARDE", autocompletion=completer("pair", "leeftijd"),
        help="De stappen in volgorde, te beginnen met de leeftijd: bijv. leeftijd=78 burgerlijke_staat=verweduwd "
             "rondkomen=moeite mantelzorger=ja. Dezelfde sleutels en waarden als `eenzaam profiel --factor`.")] = None,
    voorbeeld: Annotated[str | None, typer.Option(
        "--voorbeeld", metavar="NAAM", autocompletion=completer("example"),
        help="Een kant-en-klaar voorbeeld uit voorbeelden.yaml (zie --voorbeelden).")] = None,
    voorbeelden: Annotated[bool, typer.Option(
        "--voorbeelden", help="Toon de kant-en-klare voorbeelden, met één regel elk, en stop.")] = False,
    interactief: Annotated[bool, typer.Option(
        "--interactief", help="Eén stap tegelijk in de terminal: Enter of spatie toont de volgende, ← de vorige, "
                              "q stopt (ook Page Down/Up van een presentatieklikker).")] = False,
    svg: SvgOption = None,
    png: PngOption = None,
    html: HtmlOption = None,
    terminalbeeld: TerminalPictureOption = False,
    jaar: YearOption = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Risicostapeling stap voor stap, voor trainers: dezelfde stapeling als `profiel`, factor voor factor.

    Elke rij is een factor in de opgegeven volgorde, met het groepscijfer, de bron en de tussenstand
    voor eenzaam en (zeer) ernstig eenzaam, met een balk. De tabel eindigt met het preventieniveau en
    de reden. Indicatieve groepsinformatie, geen voorspelling voor een persoon.
    """
    from ...core.trainer import demonstrate
    from ...core.text import t
    from ..charts.canvas import requested
    from ..output import check_outputs, export, terminal_width
    from ..stack_view import examples_view, frames, stack_view

    check_outputs([("--svg", svg), ("--png", png), ("--html", html)], data=data)
    requested(svg, png, html, terminalbeeld)
    ref = reference(data, jaar)
    if voorbeelden:
        if stappen or voorbeeld:
            raise InputError("--voorbeelden: toont alleen de lijst; laat de stappen en --voorbeeld weg")
        render(examples_view(ref, taal), fmt or "tabel", taal, ruwe_csv)
        return
    items, example = _steps(ref, stappen, voorbeeld)
    if interactief:
        from ..interactive import require_terminal

        if not FORMATS[fmt or "tabel"].terminal:
            allowed = ", ".join(name for name, form in FORMATS.items() if form.terminal)
            raise InputError(f"--interactief: toont tabellen; --format {fmt} kan daar niet bij (toegestaan: {allowed})")
        require_terminal("--interactief")
    demo = demonstrate(ref, items, example)
    if terminalbeeld:
        export(stack_view(demo, ref, taal), taal, svg=svg, html=html)
    elif svg or png or html:
        from ..charts.slide import write

        write(demo, ref, taal, svg=svg, png=png, html=html)
    width = terminal_width() if FORMATS[fmt or "tabel"].terminal else None
    if not interactief:
        render(stack_view(demo, ref, taal, width), fmt or "tabel", taal, ruwe_csv)
        return
    from ..interactive import step_through

    pictures = frames(demo, ref, taal, width)
    total = len(demo.steps)

    def prompt(index: int) -> str:
        key = "step_prompt" if index < total - 1 else "outcome_prompt"
        return t(key, taal, step=index + 1, total=total)

    step_through(pictures, taal, prompt)


def _steps(ref: Any, steps: list[str] | None, name: str | None) -> tuple[list[Any], Any]:
    """The steps to stack, typed (FACTOR=WAARDE …) or of the example --voorbeeld NAAM, and that example (or None)."""
    from ...core.trainer import example_items, parse_steps

    if name is not None and steps:
        raise InputError("--voorbeeld: geef een voorbeeld of stappen (FACTOR=WAARDE …), niet beide")
    if name is None:
        if not steps:
            raise InputError("geef de stappen (FACTOR=WAARDE …, te beginnen met leeftijd=N) of --voorbeeld NAAM "
                             f"(toegestaan: {', '.join(ref.examples)})")
        return parse_steps(steps), None
    example = ref.examples.get(name.strip().lower())
    if example is None:
        raise InputError(f"--voorbeeld: {name!r} is onbekend (toegestaan: {', '.join(ref.examples)})")
    return example_items(example), example
