"""`eenzaam djg`: score De Jong Gierveld answers, one person or a whole file (streamed)."""

import sys
from typing import Annotated

import typer

from ...core.errors import InputError
from ..app import (
    ColumnOption,
    DataOption,
    FormatOption,
    LanguageOption,
    MappingOption,
    QuietOption,
    RawCsvOption,
    app,
    mapping,
    reference,
)
from ..output import render


@app.command()
def djg(
    antwoorden: Annotated[str | None, typer.Argument(
        metavar="[ANTWOORDEN]",
        help="11 of 6 antwoorden, met komma's: ja, min of meer, nee (ook ja!, nee!, of codes met --codering); "
             "leeg of - voor geen antwoord. De 11 in de volgorde van de items 1 … 11, de 6 van de korte schaal "
             "in de volgorde 3, 4, 7, 9, 8, 10 (handleiding en CBS; zie volgorde in djg.yaml). Of met itemnummers, "
             "in elke volgorde: 3=ja,4=nee,7=ja,9=nee,8=nee,10=ja. Begint de lijst met -, zet er dan -- voor "
             "(opties ervoor): eenzaam djg -f json -- -,ja,…")] = None,
    invoer: Annotated[str | None, typer.Option(
        "--invoer", "-i", metavar="BESTAND",
        help="Een CSV-, SPSS- (.sav) of Excel-bestand (.xlsx) met kolommen djg_1 … djg_11 (of de zes van de korte "
             "schaal); - voor CSV op standaardinvoer.")] = None,
    codering: Annotated[str | None, typer.Option(
        "--codering", metavar="CODES",
        help="Hoe codes te lezen: 'handleiding' (1=nee, 2=min of meer, 3=ja) of eigen paren, bijv. '0=nee,1=min of meer,2=ja'.")] = None,
    max_ontbrekend: Annotated[str | None, typer.Option(
        "--max-ontbrekend", metavar="N",
        help="Hoeveel ontbrekende items nog een (onvolledige) score geven; standaard de regel uit djg.yaml.")] = None,
    kolom: ColumnOption = None,
    koppeling: MappingOption = None,
    stil: QuietOption = False,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Scoor de De Jong Gierveld-eenzaamheidsschaal zoals de Gezondheidsmonitor: totaal, subschalen, categorie, indicatoren.

    Een ontbrekend antwoord telt als niet eenzaam; kan het een indicator of de categorie nog
    veranderen, dan is die onbepaald (in JSON null, in CSV leeg).

    Met een bestand blijven alle kolommen staan en komen de scorekolommen erbij; de rijen worden
    gestreamd. Op een terminal toont het standaardformaat een samenvatting, anders CSV.
    """
    from ...core.djg import Scorer
    from ..djg_view import score_view, stream_file

    if (antwoorden is None) == (invoer is None):
        raise InputError("geef antwoorden of --invoer BESTAND (precies één van beide)")
    limit = None
    if max_ontbrekend is not None:
        if not max_ontbrekend.strip().isdecimal():
            raise InputError(f"--max-ontbrekend: {max_ontbrekend!r} is geen aantal (een geheel getal vanaf 0)")
        limit = int(max_ontbrekend)
    ref = reference(data)
    if antwoorden is not None and (kolom or koppeling):
        raise InputError(f"{'--kolom' if kolom else '--koppeling'}: geldt alleen met --invoer BESTAND")
    scorer = Scorer(ref.djg, codering, limit, mapping=mapping(ref, koppeling, kolom))
    if antwoorden is not None:
        render(score_view(scorer.read(antwoorden, "ANTWOORDEN"), ref, taal), fmt or "tabel", taal, ruwe_csv)
        return
    if fmt is None:
        fmt = "tabel" if sys.stdout.isatty() else "csv"
    stream_file(invoer, scorer, ref, fmt, taal, ruwe_csv, stil)
