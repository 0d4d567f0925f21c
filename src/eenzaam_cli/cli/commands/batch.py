"""`eenzaam batch`: profile every row of a respondent file, write the rows back with the results, and a report."""

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from ...core.errors import ExitCode, InputError
from ..app import (ColumnOption, DataOption, LanguageOption, MappingOption, RawCsvOption, YearOption, app, completer,
                   mapping, reference)

RowFormat = Literal["csv", "jsonl", "json"]


@app.command()
def batch(
    invoer: Annotated[str, typer.Argument(metavar="INVOER", help="Respondentenbestand: CSV, SPSS (.sav) of Excel (.xlsx) (- voor CSV op standaardinvoer).")],
    uitvoer: Annotated[str | None, typer.Option(
        "--uitvoer", "-o", metavar="BESTAND", help="Schrijf de rijen hierheen (standaard: standaarduitvoer), naar de "
                                                   "extensie: .csv, .jsonl, .json, .xlsx of .sav.")] = None,
    fouten: Annotated[str | None, typer.Option(
        "--fouten", metavar="BESTAND", help="Schrijf de afgewezen rijen (rij, kolom, waarde, reden) als CSV hierheen "
                                            "in plaats van naar standaardfout.")] = None,
    rapport: Annotated[str | None, typer.Option(
        "--rapport", metavar="BESTAND", help="Een samenvatting: .md, .html, .json of .xlsx (naar de extensie).")] = None,
    gewicht: Annotated[str | None, typer.Option(
        "--gewicht", metavar="KOLOM", help="Weegfactor per respondent voor de prevalenties in het rapport "
                                           "(Wilson-interval met de effectieve steekproefomvang van Kish).")] = None,
    per: Annotated[str | None, typer.Option(
        "--per", metavar="KOLOM", help="Het rapport ook per gebied uit deze kolom (bijv. wijk) en leeftijdsband; een lege "
                                       "waarde is het gebied 'onbekend'.")] = None,
    waargenomen_uit: Annotated[str | None, typer.Option(
        "--waargenomen-uit", metavar="BESTAND",
        help="Schrijf de waargenomen aantallen per gebied (--per) en leeftijdsband als CSV, het bestand dat `populatie "
             "--waargenomen` leest.")] = None,
    maat: Annotated[str, typer.Option(
        "--maat", metavar="MAAT", autocompletion=completer("stackable"),
        help="De maat die --waargenomen-uit telt: eenzaam of ernstig (zoals `populatie --maat`).")] = "eenzaam",
    strikt: Annotated[bool, typer.Option("--strikt", help="Stop bij de eerste rij die niet te profileren is.")] = False,
    stil: Annotated[bool, typer.Option("--stil", help="Geen voortgangsbalk.")] = False,
    fmt: Annotated[RowFormat | None, typer.Option(
        "--format", "-f", case_sensitive=False, help="Rijen als csv (standaard, in het dialect van de invoer), jsonl of "
                                                     "json; met -o volgt het formaat de extensie.")] = None,
    codering: Annotated[str | None, typer.Option(
        "--codering", metavar="CODERING", help="Codering van de De Jong Gierveld-antwoorden, zoals bij `eenzaam djg`.")] = None,
    kolom: ColumnOption = None,
    koppeling: MappingOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    jaar: YearOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Profileer elke rij van een respondentenbestand: leeftijdsband, De Jong Gierveld-score, risicofactoren, de
    gestapelde cijfers en het preventieniveau, met elke invoerkolom erbij. Telt: gelezen = geschreven + afgewezen."""
    from ...core.batch import BatchEngine, Tally, area_of, weigher
    from ...core.djg import Scorer
    from ...core.files.tabular import open_table
    from ..batch_view import (RowWriter, progress, row_format, value_labels, write_observed, write_problems,
                              write_report)
    from ..output import check_outputs, csv_joiner

    check_outputs([("--uitvoer", uitvoer), ("--fouten", fouten), ("--rapport", rapport),
                   ("--waargenomen-uit", waargenomen_uit)], [("INVOER", invoer), ("--koppeling", koppeling)], data)
    if waargenomen_uit is not None and gewicht is not None:
        raise InputError("--waargenomen-uit: kan niet met --gewicht: populatie --waargenomen leest aantallen "
                         "respondenten, geen gewogen aantallen; laat --gewicht weg")
    if waargenomen_uit is not None and Path(waargenomen_uit).suffix.lower() not in ("", ".csv"):
        raise InputError(f"--waargenomen-uit: {waargenomen_uit!r}: kies een bestand op .csv")
    if rapport is not None and Path(rapport).suffix.lower() not in (".md", ".html", ".json", ".xlsx"):
        raise InputError(f"--rapport: {rapport!r}: kies een bestand op .md, .html, .json of .xlsx")
    if rapport is not None and Path(rapport).suffix.lower() == ".xlsx":
        from ...core.files.formats import require

        require("excel", f"--rapport {rapport}")  # before the run, not after a million rows
    fmt = row_format(uitvoer, fmt)
    ref = reference(data, jaar)
    mapped = mapping(ref, koppeling, kolom)
    if mapped is not None and gewicht is None and "gewicht" in mapped.columns:
        gewicht = "gewicht"  # the koppeling names the weight column
    with ExitStack() as stack:
        table = stack.enter_context(open_table(invoer))
        if mapped is not None and gewicht in mapped.columns:
            gewicht = mapped.columns[gewicht]
        if gewicht is not None and gewicht not in table.header:
            raise InputError(f"--gewicht: kolom {gewicht!r} staat niet in {table.file} (kolommen: {', '.join(table.header)})")
        if per is not None and per not in table.header:
            raise InputError(f"--per: kolom {per!r} staat niet in {table.file} (kolommen: {', '.join(table.header)})")
        separator = table.dialect.separator
        engine = BatchEngine(ref, table.header, Scorer(ref.djg, coding=codering, mapping=mapped), file=table.file,
                             join=csv_joiner(separator, raw=ruwe_csv) if fmt == "csv" else None)
        if maat not in engine.measures:
            raise InputError(f"--maat: {maat!r} kan niet (toegestaan: {', '.join(engine.measures)})")
        tally = Tally(engine.measures, weighted=gewicht is not None,
                      area=area_of(table.header, per) if per is not None else None)
        rows_out = stack.enter_context(RowWriter(uitvoer, fmt, table.header, engine.columns, separator, engine.cells,
                                                 raw=ruwe_csv, labels=value_labels(ref, taal)))
        problems = stack.enter_context(write_problems(fouten, raw=ruwe_csv))
        bar = stack.enter_context(progress(invoer, enabled=not stil))
        weight = weigher(table, gewicht, engine.where, mapped) if gewicht is not None else None
        read, written, rejected = engine.run(table.batches(empty_ok=True, keep_going=True), tally, rows_out.write,
                                             lambda problem: problems.add(table.file, problem), weight=weight,
                                             strict=strikt, every=lambda rows: bar.advance(table, rows))
        if read == 0:
            raise InputError(f"{table.file}: bevat geen rijen (alleen een kopregel)")
        if strikt and rejected:
            rows_out.abandon()
        if rapport is not None and not (strikt and rejected):
            write_report(rapport, tally, ref, taal, file=table.file, read=read, written=written, rejected=rejected,
                         weight=gewicht, per=per)
        if waargenomen_uit is not None and not (strikt and rejected):
            left_out = write_observed(waargenomen_uit, tally, ref, maat, raw=ruwe_csv)
            if left_out:
                sys.stderr.write(f"eenzaam: --waargenomen-uit: {left_out} respondenten niet in het bestand (zonder "
                                 "monitorband" + (f" of zonder {per}" if per is not None else "") + ")\n")
    summary = (f"{read} rijen gelezen = {written} geschreven + {rejected} afgewezen" if taal == "nl"
               else f"{read} rows read = {written} written + {rejected} rejected")
    if strikt and rejected:
        summary += "; gestopt bij de eerste afgewezen rij (--strikt), niets geschreven" if taal == "nl" \
            else "; stopped at the first rejected row (--strikt), nothing written"
    sys.stderr.write(f"eenzaam: {summary}\n")
    if rejected:
        raise typer.Exit(ExitCode.DATA)

