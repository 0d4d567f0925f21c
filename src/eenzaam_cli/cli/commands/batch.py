"""`eenzaam batch`: profile every row of a respondent file, write the rows back with the results, and a report."""

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from ...core.errors import ExitCode, InputError
from ..app import DataOption, LanguageOption, QuietOption, RawCsvOption, YearOption, app, reference, say_recognised

RowFormat = Literal["csv", "jsonl", "json"]


@app.command()
def batch(
    invoer: Annotated[str, typer.Argument(metavar="INVOER", help="Respondentenbestand: CSV, SPSS (.sav) of Excel (.xlsx) (- voor CSV op standaardinvoer).")],
    uitvoer: Annotated[str | None, typer.Option(
        "--uitvoer", "-o", metavar="BESTAND", help="Schrijf de rijen hierheen (standaard: standaarduitvoer).")] = None,
    fouten: Annotated[str | None, typer.Option(
        "--fouten", metavar="BESTAND", help="Schrijf de afgewezen rijen (rij, kolom, waarde, reden) als CSV hierheen "
                                            "in plaats van naar standaardfout.")] = None,
    rapport: Annotated[str | None, typer.Option(
        "--rapport", metavar="BESTAND", help="Een samenvatting: .md, .html, .json of .xlsx (naar de extensie).")] = None,
    gewicht: Annotated[str | None, typer.Option(
        "--gewicht", metavar="KOLOM", help="Weegfactor per respondent voor de prevalenties in het rapport "
                                           "(Wilson-interval met de effectieve steekproefomvang van Kish).")] = None,
    strikt: Annotated[bool, typer.Option("--strikt", help="Stop bij de eerste rij die niet te profileren is.")] = False,
    stil: QuietOption = False,
    fmt: Annotated[RowFormat, typer.Option(
        "--format", "-f", case_sensitive=False, help="Rijen als csv (standaard, in het dialect van de invoer), jsonl of json.")] = "csv",
    codering: Annotated[str | None, typer.Option(
        "--codering", metavar="CODERING", help="Codering van de De Jong Gierveld-antwoorden, zoals bij `eenzaam djg`.")] = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    jaar: YearOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Profileer elke rij van een respondentenbestand: leeftijdsband, De Jong Gierveld-score, risicofactoren, de
    gestapelde cijfers en het preventieniveau, met elke invoerkolom erbij. Telt: gelezen = geschreven + afgewezen."""
    from ...core.batch import BatchEngine, Tally, weigher
    from ...core.djg import Scorer
    from ...core.files.tabular import open_table
    from ..batch_view import RowWriter, progress, write_problems, write_report
    from ..output import check_outputs, csv_joiner

    check_outputs([("--uitvoer", uitvoer), ("--fouten", fouten), ("--rapport", rapport)], [("INVOER", invoer)], data)
    if rapport is not None and Path(rapport).suffix.lower() not in (".md", ".html", ".json", ".xlsx"):
        raise InputError(f"--rapport: {rapport!r}: kies een bestand op .md, .html, .json of .xlsx")
    if rapport is not None and Path(rapport).suffix.lower() == ".xlsx":
        from ...core.files.formats import require

        require("excel", f"--rapport {rapport}")  # before the run, not after a million rows
    ref = reference(data, jaar)
    with ExitStack() as stack:
        table = stack.enter_context(open_table(invoer))
        if gewicht is not None and gewicht not in table.header:
            raise InputError(f"--gewicht: kolom {gewicht!r} staat niet in {table.file} (kolommen: {', '.join(table.header)})")
        separator = table.dialect.separator
        engine = BatchEngine(ref, table.header, Scorer(ref.djg, coding=codering), file=table.file,
                             join=csv_joiner(separator, raw=ruwe_csv) if fmt == "csv" else None, weight=gewicht)
        say_recognised(engine.recognised, table.file, taal, stil)
        tally = Tally(engine.measures, weighted=gewicht is not None)
        rows_out = stack.enter_context(RowWriter(uitvoer, fmt, table.header, engine.columns, separator, engine.cells,
                                                 raw=ruwe_csv))
        problems = stack.enter_context(write_problems(fouten, raw=ruwe_csv))
        bar = stack.enter_context(progress(invoer, enabled=not stil))
        weight = weigher(table, gewicht, engine.where) if gewicht is not None else None
        read, written, rejected = engine.run(table.batches(empty_ok=True, keep_going=True), tally, rows_out.write,
                                             lambda problem: problems.add(table.file, problem), weight=weight,
                                             strict=strikt, every=lambda rows: bar.advance(table, rows))
        if read == 0:
            raise InputError(f"{table.file}: bevat geen rijen (alleen een kopregel)")
        if strikt and rejected:
            rows_out.abandon()
        if rapport is not None and not (strikt and rejected):
            write_report(rapport, tally, ref, taal, file=table.file, read=read, written=written, rejected=rejected,
                         weight=gewicht)
    summary = (f"{read} rijen gelezen = {written} geschreven + {rejected} afgewezen" if taal == "nl"
               else f"{read} rows read = {written} written + {rejected} rejected")
    if strikt and rejected:
        summary += "; gestopt bij de eerste afgewezen rij (--strikt), niets geschreven" if taal == "nl" \
            else "; stopped at the first rejected row (--strikt), nothing written"
    sys.stderr.write(f"eenzaam: {summary}\n")
    if rejected:
        raise typer.Exit(ExitCode.DATA)

