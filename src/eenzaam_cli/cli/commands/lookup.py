"""Look-up commands for researchers: factors and their sources (prevalence: commands/prevalence.py)."""

from typing import Annotated

import typer

from ...core.errors import InputError
from ..app import (
    DataOption,
    FormatOption,
    LanguageOption,
    RawCsvOption,
    app,
    completer,
    reference,
)
from ..output import render


@app.command()
def factoren(
    factor_id: Annotated[str | None, typer.Argument(metavar="[ID]", autocompletion=completer("factor"),
                                                    help="Toon één factor in detail.")] = None,
    categorie: Annotated[str | None, typer.Option(
        "--categorie", "-c", autocompletion=completer("category"),
        help="leefomstandigheden, sociale_integratie of macro.")] = None,
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
        render(factor_view(factor, ref, taal), fmt or "tabel", taal, ruwe_csv)
        return
    factors = list(ref.factors.values())
    if categorie is not None:
        allowed = list(dict.fromkeys(f.category for f in factors))
        if categorie.strip().lower() not in allowed:
            raise InputError(f"--categorie: {categorie!r} is onbekend (toegestaan: {', '.join(allowed)})")
        factors = [f for f in factors if f.category == categorie.strip().lower()]
    render(factors_view(factors, ref, taal), fmt or "tabel", taal, ruwe_csv)


@app.command()
def bronnen(
    bron_id: Annotated[str | None, typer.Argument(metavar="[ID]", autocompletion=completer("source"),
                                                  help="Toon één bron en alles wat haar gebruikt.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """De bibliografie: elke bron waarop een cijfer, factor of interventie berust."""
    from ..views import citations, source_view, sources_view

    ref = reference(data)
    if bron_id is None:
        render(sources_view(list(ref.sources.values()), taal), fmt or "tabel", taal, ruwe_csv)
        return
    source = ref.sources.get(bron_id.strip().lower())
    if source is None:
        raise InputError(f"onbekende bron {bron_id!r} (toegestaan: {', '.join(ref.sources)})")
    render(source_view(source, citations(ref, source.id), taal), fmt or "tabel", taal, ruwe_csv)
