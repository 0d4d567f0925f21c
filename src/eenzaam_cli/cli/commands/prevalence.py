"""`eenzaam prevalentie`: loneliness by age band from a monitor table, one year or two side by side.

A module of its own (it was part of `lookup`), so that a run of `prevalentie`, the command analysts run
in loops, builds only its own options: Typer turns every command of an imported module into a command
with all its options on each start.
"""

from collections.abc import Callable
from typing import Annotated, Any

import typer

from ...core.errors import InputError
from ..app import (
    DataOption,
    HtmlOption,
    SvgOption,
    FormatOption,
    LanguageOption,
    RawCsvOption,
    YearOption,
    app,
    completer,
    reference,
)
from ..output import View, render


@app.command()
def prevalentie(
    leeftijd: Annotated[str | None, typer.Option("--leeftijd", "-l", metavar="N",
                                                 help="Toon alleen de leeftijdsband waarin leeftijd N valt.")] = None,
    maat: Annotated[str | None, typer.Option("--maat", "-m", metavar="MAAT", autocompletion=completer("measure"),
                                             help="Toon één maat: eenzaam, ernstig, emotioneel of sociaal.")] = None,
    jaar: YearOption = None,
    vergelijk: Annotated[tuple[str, str] | None, typer.Option(
        "--vergelijk", metavar="JAAR JAAR", autocompletion=completer("year"),
        help="Zet twee monitortabellen naast elkaar, met per band het verschil in procentpunten "
             "(bijv. --vergelijk 2016 2022).")] = None,
    grafiek: Annotated[bool, typer.Option(
        "--grafiek", help="Toon de cijfers als balken, één kolom per maat (afbeelding 3 als grafiek); met "
                          "--vergelijk de balken van beide jaren per band onder elkaar.")] = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Eenzaamheid naar leeftijd (Gezondheidsmonitor 2016 of een eigen tabel): alle banden, één band, of twee jaren."""
    from ...core.prevalence import parse_age, prevalence
    from ..output import check_outputs
    from ..views import prevalence_view

    check_outputs([("--svg", svg), ("--html", html)], data=data)
    age = parse_age(leeftijd, "--leeftijd") if leeftijd is not None else None
    if vergelijk is not None:
        _compare(vergelijk, age, maat, jaar, grafiek, svg, html, fmt, taal, data, ruwe_csv)
        return
    ref = reference(data, jaar)
    try:
        result = prevalence(ref, age, maat.strip().lower() if maat else None)
    except InputError as error:
        raise InputError(f"--{error}") from None
    view = prevalence_view(result, ref, taal)
    if grafiek:
        from ..bars import prevalence_chart_view

        _show(lambda width: prevalence_chart_view(result, view, ref, taal, width), svg, html, fmt, taal, ruwe_csv)
    else:
        _show(lambda width: view, svg, html, fmt, taal, ruwe_csv)


def _show(view: Callable[[int], View], svg: str | None, html: str | None, fmt: Any, language: Any,
          raw_csv: bool) -> None:
    """The view, drawn for its width (`view(width)`: a chart's bars as long as they fit), in the pictures and on
    standard output: the terminal's width for `tabel`, the pictures' for everything else."""
    from ..output import EXPORT_WIDTH, export, terminal_width

    if svg or html:
        export(view(EXPORT_WIDTH), language, svg=svg, html=html)
    render(view(terminal_width() if (fmt or "tabel") == "tabel" else EXPORT_WIDTH), fmt or "tabel", language, raw_csv)


def _compare(years: tuple[str, str], age: int | None, measure: str | None, year: str | None, chart: bool,
             svg: str | None, html: str | None, fmt: Any, language: Any, data: Any, raw_csv: bool) -> None:
    """`prevalentie --vergelijk A B`: the two tables side by side (cli/years_view.py)."""
    from ...core.reference.years import compare
    from ..years_view import comparison_view

    if year is not None:
        raise InputError("--jaar: kies één tabel, of vergelijk er twee met --vergelijk; niet beide")
    ref = reference(data)
    result = compare(ref, *years, age=age, measure=measure.strip().lower() if measure else None)
    view = comparison_view(result, ref, language)
    if chart:
        from ..years_view import comparison_chart_view

        _show(lambda width: comparison_chart_view(result, view, ref, language, width), svg, html, fmt, language,
              raw_csv)
    else:
        _show(lambda width: view, svg, html, fmt, language, raw_csv)
