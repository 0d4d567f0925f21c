"""`eenzaam batch`: profile every row of a respondent file, write the rows back with the results, and a report."""

import itertools
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from ...core.errors import ExitCode, InputError
from ..app import (ColumnOption, DataOption, LanguageOption, MappingOption, QuietOption, RawCsvOption, YearOption, app,
                   completer, mapping, reference, say_recognised)
from ..output import choices, spoken, streams

# the formats of output.FORMATS that stream rows for scripts as text (-f); -o also writes the binary ones by extension
ROW_FORMATS = choices(lambda form: streams(form) and not form.binary, "csv")


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
    stil: QuietOption = False,
    fmt: Annotated[Literal[ROW_FORMATS] | None, typer.Option(  # type: ignore[valid-type]
        "--format", "-f", case_sensitive=False,
        help=f"Rijen als {spoken(ROW_FORMATS, 'standaard, in het dialect van de invoer')}; met -o volgt het formaat de "
             "extensie (ook .xlsx en .sav).")] = None,
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
    from ...core.batch import BatchEngine, Tally, area_of, columnar_after, weigher
    from ...core.djg import Scorer
    from ...core.files.tabular import open_table
    from ..batch_view import RowWriter, input_size, progress, value_labels, write_problems
    from ..output import FORMATS

    fmt = _check_options(invoer, uitvoer, fouten, rapport, waargenomen_uit, gewicht, koppeling, fmt, data)
    ref = reference(data, jaar)
    mapped = mapping(ref, koppeling, kolom)
    if mapped is not None and gewicht is None and "gewicht" in mapped.columns:
        gewicht = "gewicht"  # the koppeling names the weight column
    with ExitStack() as stack:
        table = stack.enter_context(open_table(invoer))
        if mapped is not None and gewicht in mapped.columns:
            gewicht = mapped.columns[gewicht]
        for option, column in (("--gewicht", gewicht), ("--per", per)):
            if column is not None and column not in table.header:
                raise InputError(f"{option}: kolom {column!r} staat niet in {table.file} "
                                 f"(kolommen: {', '.join(table.header)})")
        separator = table.dialect.separator
        joiner = FORMATS[fmt].rows.joiner  # type: ignore[union-attr]
        engine = BatchEngine(ref, table.header, Scorer(ref.djg, coding=codering, mapping=mapped), file=table.file,
                             join=joiner(separator, raw=ruwe_csv) if joiner else None, weight=gewicht)
        say_recognised(engine.recognised, table.file, taal, stil)
        if maat not in engine.measures:
            raise InputError(f"--maat: {maat!r} kan niet (toegestaan: {', '.join(engine.measures)})")
        tally = Tally(engine.measures, weighted=gewicht is not None,
                      area=area_of(table.header, per) if per is not None else None)
        rows_out = stack.enter_context(RowWriter(uitvoer, fmt, table.header, engine.columns, separator, engine.cells,
                                                 raw=ruwe_csv, labels=value_labels(ref, taal)))
        problems = stack.enter_context(write_problems(fouten, raw=ruwe_csv))
        bar = stack.enter_context(progress(invoer, enabled=not stil))
        weight = weigher(table, gewicht, engine.where, mapped) if gewicht is not None else None
        # a large file (with pyarrow, extra snel) comes in blocks, profiled as columns where the rows are written as
        # read: CSV, unweighted, without areas
        delimited = FORMATS[fmt].rows.joiner is not None  # type: ignore[union-attr]
        blocks = columnar_after(input_size(invoer)) if delimited and gewicht is None and per is None else None
        batches = _columnar(table.batches(empty_ok=True, keep_going=True, blocks_after=blocks), engine,
                            rows_out.verbatim)
        read, written, rejected = engine.run(batches, tally, rows_out.write,
                                             lambda problem: problems.add(table.file, problem), weight=weight,
                                             strict=strikt, every=lambda rows: bar.advance(table, rows))
        if read == 0:
            raise InputError(f"{table.file}: bevat geen rijen (alleen een kopregel)")
        if strikt and rejected:
            rows_out.abandon()
        else:
            _reports(rapport, waargenomen_uit, tally, ref, taal, maat, per, ruwe_csv, file=table.file, read=read,
                     written=written, rejected=rejected, weight=gewicht)
    summary = (f"{read} rijen gelezen = {written} geschreven + {rejected} afgewezen" if taal == "nl"
               else f"{read} rows read = {written} written + {rejected} rejected")
    if strikt and rejected:
        summary += "; gestopt bij de eerste afgewezen rij (--strikt), niets geschreven" if taal == "nl" \
            else "; stopped at the first rejected row (--strikt), nothing written"
    sys.stderr.write(f"eenzaam: {summary}\n")
    if rejected:
        raise typer.Exit(ExitCode.DATA)



def _columnar(batches: Iterator[Any], engine: Any, verbatim: Any) -> Iterator[Any]:
    """The batches; from the first Block on through core/columnar.py, which imports pyarrow only then."""
    from ...core.files.tabular import Block

    for batch in batches:
        if isinstance(batch, Block):
            from ...core.columnar import Columns

            yield from Columns(engine, verbatim).stream(itertools.chain([batch], batches))
            return
        yield batch


def _check_options(invoer: str, uitvoer: str | None, fouten: str | None, rapport: str | None,
                   waargenomen_uit: str | None, gewicht: str | None, koppeling: str | None, fmt: str | None,
                   data: Any) -> str:
    """What can be refused before anything is read; the format of the rows."""
    from ..batch_view import report_format, row_format
    from ..output import check_outputs

    check_outputs([("--uitvoer", uitvoer), ("--fouten", fouten), ("--rapport", rapport),
                   ("--waargenomen-uit", waargenomen_uit)], [("INVOER", invoer), ("--koppeling", koppeling)], data)
    if waargenomen_uit is not None and Path(waargenomen_uit).suffix.lower() not in ("", ".csv"):
        raise InputError(f"--waargenomen-uit: {waargenomen_uit!r}: kies een bestand op .csv")
    if rapport is not None:
        report_format(rapport)  # before the run, not after a million rows
    return row_format(uitvoer, fmt)


def _reports(rapport: str | None, waargenomen_uit: str | None, tally: Any, ref: Any, taal: str, maat: str,
             per: str | None, raw: bool, **counts: Any) -> None:
    """The report and the observed counts for `populatie --waargenomen`, from a run's tally."""
    from ..batch_view import write_observed, write_report

    if rapport is not None:
        write_report(rapport, tally, ref, taal, per=per, **counts)
    if waargenomen_uit is not None:
        left_out = write_observed(waargenomen_uit, tally, ref, maat, raw=raw)
        if left_out:
            sys.stderr.write(f"eenzaam: --waargenomen-uit: {left_out} respondenten niet in het bestand (zonder "
                             "monitorband" + (f" of zonder {per}" if per is not None else "") + ")\n")
