"""`eenzaam populatie`: expected loneliness, tier split and focus groups for a municipality or its districts."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from ...core.errors import InputError
from ..app import (ColumnOption, DataOption, FormatOption, HtmlOption, LanguageOption, MappingOption, PngOption,
                   QuietOption, RawCsvOption, SvgOption, TerminalPictureOption, YearOption, app, completer, mapping,
                   reference, say_recognised)
from ..output import render

_YAML = (".yaml", ".yml", ".json")


def read_rows(name: str, check: Callable[[Sequence[str], str], Any] | None = None) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, row) for every row of a CSV, Excel or SPSS file (or `-`), or every item of a YAML/JSON list; `check`
    is given the header (a list's first item's keys) and its place before the first row."""
    if Path(name).suffix.lower() in _YAML:
        rows = _yaml_rows(name)
        first = next(rows, None)
        if first is not None:
            if check is not None:
                check(tuple(first[1]), first[0])
            yield first
        yield from rows
        return
    from ...core.population import table_rows

    yield from table_rows(name, check)


def _yaml_rows(name: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    from ...core.files.yamlfile import read_input

    data, lines, name = read_input(name)  # bounded, no aliases, every value the text written
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), list):
        key = next(iter(data))
        items, prefix = data[key], (key,)
    else:
        items, prefix = data, ()
    if not isinstance(items, list):
        raise InputError(f"{name}:1: verwacht een lijst van segmenten (elk met aantal, leeftijd, …)")
    for index, item in enumerate(items):
        where = f"{name}:{lines.get((*prefix, index), 1)}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: verwacht sleutels met waarden (bijv. 'aantal: 120'), geen {type(item).__name__}")
        yield where, {str(k): v for k, v in item.items()}


@app.command()
def populatie(
    invoer: Annotated[str, typer.Argument(
        metavar="SEGMENTEN", help="CSV-, Excel- (.xlsx), SPSS- (.sav), YAML- of JSON-bestand met segmenten (- voor CSV op "
                                  "standaardinvoer): een kolom "
                                  "aantal, de persoonssleutels van `profiel` (leeftijd als leeftijd of band: 75-84, 85+) "
                                  "en eventueel gebied.")],
    herverdeel: Annotated[bool, typer.Option(
        "--herverdeel", help="Verdeel banden die niet die van de monitor zijn naar rato van de jaren over de monitorbanden "
                             "(gelijkmatig binnen de band). Zonder deze optie is zo'n band een fout.")] = False,
    hoogste_leeftijd: Annotated[int | None, typer.Option(
        "--hoogste-leeftijd", metavar="N", min=1, max=120,
        help="Bovengrens voor het verdelen van een open band (zoals 65+) met --herverdeel.")] = None,
    waargenomen: Annotated[str | None, typer.Option(
        "--waargenomen", metavar="BESTAND",
        help="Eigen monitorcijfers om mee te vergelijken (CSV, .xlsx, .sav, YAML of JSON): gebied, eventueel leeftijd "
             "(band), waargenomen (aantal eenzame respondenten) en respondenten.")] = None,
    maat: Annotated[str, typer.Option(
        "--maat", metavar="MAAT", autocompletion=completer("stackable"),
        help="De maat van focusgroepen, kalibratie en vergelijking: eenzaam of ernstig.")] = "eenzaam",
    top: Annotated[int, typer.Option("--top", metavar="N", min=1, help="Aantal focusgroepen per lijst.")] = 10,
    kolom: ColumnOption = None,
    koppeling: MappingOption = None,
    svg: SvgOption = None,
    png: PngOption = None,
    html: HtmlOption = None,
    terminalbeeld: TerminalPictureOption = False,
    stil: QuietOption = False,
    jaar: YearOption = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Populatieprofiel: verwachte eenzamen, verdeling over de preventieniveaus en focusgroepen, per gebied."""
    from ...core.population import PopulationEngine
    from ..charts.canvas import requested
    from ..output import check_outputs
    from ..population_view import population_view

    check_outputs([("--svg", svg), ("--png", png), ("--html", html)],
                  [("SEGMENTEN", invoer), ("--waargenomen", waargenomen), ("--koppeling", koppeling)], data)
    pictures = {"svg": svg, "png": png, "html": html, "terminal": terminalbeeld}
    requested(**pictures)
    ref = reference(data, jaar)
    mapped = mapping(ref, koppeling, kolom)
    observed = list(read_rows(waargenomen)) if waargenomen else []
    engine = PopulationEngine(ref)

    def header(columns: Sequence[str], where: str) -> None:
        names = columns if mapped is None else mapped.header(columns, where.rpartition(":")[0] or where)
        recognised = engine.recognise(names, where).as_written(dict(zip(names, columns)))
        say_recognised(recognised, where.rpartition(":")[0] or where, taal, stil)

    segments = read_rows(invoer, header)
    result = engine.profile(segments if mapped is None else mapped.rows(segments), redistribute=herverdeel,
                            top_age=hoogste_leeftijd, measure=maat, observed=observed, top=top)
    if svg or png or html:
        from ..charts.report import population_figures, write

        write(lambda option: population_figures(result, ref, taal, option), population_view(result, ref, taal),
              lambda: population_view(result, ref, taal, bars=False), taal, **pictures)
    render(population_view(result, ref, taal), fmt or "tabel", taal, ruwe_csv)
