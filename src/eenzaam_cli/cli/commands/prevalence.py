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
    FormatOption,
    HtmlOption,
    LanguageOption,
    PngOption,
    RawCsvOption,
    SvgOption,
    TerminalPictureOption,
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
    png: PngOption = None,
    html: HtmlOption = None,
    terminalbeeld: TerminalPictureOption = False,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Eenzaamheid naar leeftijd (Gezondheidsmonitor 2016 of een eigen tabel): alle banden, één band, of twee jaren."""
    from ...core.prevalence import parse_age, prevalence
    from ..charts.canvas import requested
    from ..output import check_outputs
    from ..views import prevalence_view

    check_outputs([("--svg", svg), ("--png", png), ("--html", html)], data=data)
    pictures = {"svg": svg, "png": png, "html": html, "terminal": terminalbeeld}
    requested(**pictures)
    age = parse_age(leeftijd, "--leeftijd") if leeftijd is not None else None
    if vergelijk is not None:
        _compare(vergelijk, age, maat, jaar, grafiek, pictures, fmt, taal, data, ruwe_csv)
        return
    ref = reference(data, jaar)
    try:
        result = prevalence(ref, age, maat.strip().lower() if maat else None)
    except InputError as error:
        raise InputError(f"--{error}") from None
    chart = None
    if grafiek:
        from ..bars import prevalence_chart_view as chart
    _show(result, ref, prevalence_view(result, ref, taal), chart, "prevalence_figure", pictures, fmt, taal, ruwe_csv)


def _show(result: Any, ref: Any, table: View, chart: Callable[..., View] | None, figure: str, pictures: dict[str, Any],
          fmt: Any, language: Any, raw_csv: bool) -> None:
    """The table, or with --grafiek its `chart` drawn for a width (bars as long as they fit), on standard output
    (the terminal's width for `tabel`, the pictures' for everything else), and the pictures asked for: `figure`
    names the function in charts/report.py that draws the result; --terminalbeeld prints the view instead."""
    from ..output import EXPORT_WIDTH, terminal_width

    def view(width: int) -> View:
        return table if chart is None else chart(result, table, ref, language, width)

    if pictures["svg"] or pictures["png"] or pictures["html"]:
        from ..charts import report

        draw = getattr(report, figure)
        report.write(lambda option: [draw(result, ref, language, option)], view(EXPORT_WIDTH), table, language,
                     **pictures)
    render(view(terminal_width() if (fmt or "tabel") == "tabel" else EXPORT_WIDTH), fmt or "tabel", language, raw_csv)


def _compare(years: tuple[str, str], age: int | None, measure: str | None, year: str | None, chart: bool,
             pictures: dict[str, Any], fmt: Any, language: Any, data: Any, raw_csv: bool) -> None:
    """`prevalentie --vergelijk A B`: the two tables side by side (cli/years_view.py)."""
    from ...core.reference.years import compare
    from ..years_view import comparison_view

    if year is not None:
        raise InputError("--jaar: kies één tabel, of vergelijk er twee met --vergelijk; niet beide")
    ref = reference(data)
    result = compare(ref, *years, age=age, measure=measure.strip().lower() if measure else None)
    bars = None
    if chart:
        from ..years_view import comparison_chart_view as bars
    _show(result, ref, comparison_view(result, ref, language), bars, "comparison_figure", pictures, fmt, language,
          raw_csv)
