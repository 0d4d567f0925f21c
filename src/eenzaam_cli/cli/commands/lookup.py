"""Look-up commands for researchers: prevalence, factors and their sources."""

from typing import Annotated

import typer

from ...core.errors import InputError
from ..app import (
    DataOption,
    FormatOption,
    LanguageOption,
    RawCsvOption,
    app,
    guarded,
    reference,
    show,
)


@app.command()
@guarded
def prevalentie(
    leeftijd: Annotated[str | None, typer.Option("--leeftijd", "-l", metavar="N",
                                                 help="Toon alleen de leeftijdsband waarin leeftijd N valt.")] = None,
    maat: Annotated[str | None, typer.Option("--maat", "-m", metavar="MAAT",
                                             help="Toon één maat: eenzaam, ernstig, emotioneel of sociaal.")] = None,
    grafiek: Annotated[bool, typer.Option(
        "--grafiek", help="Toon de cijfers als balken, één kolom per maat (afbeelding 3 als grafiek).")] = False,
    svg: Annotated[str | None, typer.Option(
        "--svg", metavar="BESTAND", help="Schrijf de tabel of grafiek ook als SVG (vaste breedte, voor een dia).")] = None,
    html: Annotated[str | None, typer.Option("--html", metavar="BESTAND", help="Schrijf de tabel of grafiek ook als HTML.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Eenzaamheid naar leeftijd (Gezondheidsmonitor 2016): alle banden of de band van één leeftijd."""
    from ...core.prevalence import parse_age, prevalence
    from ..views import prevalence_view

    age = parse_age(leeftijd, "--leeftijd") if leeftijd is not None else None
    ref = reference(data)
    try:
        result = prevalence(ref, age, maat.strip().lower() if maat else None)
    except InputError as error:
        raise InputError(f"--{error}") from None
    view = prevalence_view(result, ref, taal)
    if grafiek:
        from ..bars import prevalence_chart_view

        view = prevalence_chart_view(result, view, ref, taal)
    if svg or html:
        from ..output import export

        export(view, taal, svg=svg, html=html)
    show(view, fmt, taal, ruwe_csv)


@app.command()
@guarded
def factoren(
    factor_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Toon één factor in detail.")] = None,
    categorie: Annotated[str | None, typer.Option(
        "--categorie", "-c", help="leefomstandigheden, sociale_integratie of macro.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Risicofactoren en beschermende factoren, met hun cijfers en bronnen."""
    from ..views import factor_view, factors_view

    ref = reference(data)
    if factor_id is not None:
        factor = ref.factors.get(factor_id.strip().lower())
        if factor is None:
            raise InputError(f"onbekende factor {factor_id!r} (toegestaan: {', '.join(ref.factors)})")
        show(factor_view(factor, ref, taal), fmt, taal, ruwe_csv)
        return
    factors = list(ref.factors.values())
    if categorie is not None:
        allowed = list(dict.fromkeys(f.category for f in factors))
        if categorie.strip().lower() not in allowed:
            raise InputError(f"--categorie: {categorie!r} is onbekend (toegestaan: {', '.join(allowed)})")
        factors = [f for f in factors if f.category == categorie.strip().lower()]
    show(factors_view(factors, ref, taal), fmt, taal, ruwe_csv)


@app.command()
@guarded
def bronnen(
    bron_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Toon één bron en alles wat haar gebruikt.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """De bibliografie: elke bron waarop een cijfer, factor of interventie berust."""
    from ..views import citations, source_view, sources_view

    ref = reference(data)
    if bron_id is None:
        show(sources_view(list(ref.sources.values()), taal), fmt, taal, ruwe_csv)
        return
    source = ref.sources.get(bron_id.strip().lower())
    if source is None:
        raise InputError(f"onbekende bron {bron_id!r} (toegestaan: {', '.join(ref.sources)})")
    show(source_view(source, citations(ref, source.id), taal), fmt, taal, ruwe_csv)
