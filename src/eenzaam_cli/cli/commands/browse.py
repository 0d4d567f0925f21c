"""Browsing commands for professionals and trainers: tiers, signals, interventions."""

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
def niveaus(fmt: FormatOption = None, taal: LanguageOption = "nl", data: DataOption = None,
            ruwe_csv: RawCsvOption = False) -> None:
    """De drie preventieniveaus, de regels die een niveau kiezen, en het preventiemodel."""
    from ..views import tiers_view

    ref = reference(data)
    render(tiers_view(ref, taal), fmt or "tabel", taal, ruwe_csv)


@app.command()
def signalen(
    categorie: Annotated[str | None, typer.Option(
        "--categorie", "-c", autocompletion=completer("signal_category"),
        help="lichamelijk, psychisch, sociaal of gedragsmatig.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Signalen die kunnen wijzen op eenzaamheid (afbeelding 4), en wat ermee te doen."""
    from ..views import signals_view

    ref = reference(data)
    categories = list(ref.signals.categories)
    if categorie is not None:
        wanted = categorie.strip().lower()
        categories = [c for c in categories if c.id == wanted]
        if not categories:
            allowed = ", ".join(c.id for c in ref.signals.categories)
            raise InputError(f"--categorie: {categorie!r} is onbekend (toegestaan: {allowed})")
    render(signals_view(ref, categories, taal), fmt or "tabel", taal, ruwe_csv)


@app.command()
def interventies(
    niveau: Annotated[str | None, typer.Option("--niveau", "-n", metavar="1|2|3",
                                               autocompletion=completer("choices", "1", "2", "3"),
                                               help="Alleen interventies voor dit preventieniveau.")] = None,
    doelgroep: Annotated[str | None, typer.Option(
        "--doelgroep", "-d", metavar="DOELGROEP", autocompletion=completer("target_group"),
        help="Een levensfase (jongeren, volwassenen, third_agers, ouderen) of risicogroep (factor of factor=niveau).")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Interventies en aanpakken uit de bron, te filteren op niveau en doelgroep."""
    from ..views import interventions_view

    ref = reference(data)
    items = list(ref.interventions.values())
    if niveau is not None:
        allowed_tiers = [str(tier.number) for tier in ref.tiers.tiers]
        if niveau.strip() not in allowed_tiers:
            raise InputError(f"--niveau: {niveau!r} is onbekend (toegestaan: {', '.join(allowed_tiers)})")
        items = [i for i in items if int(niveau) in i.tiers]
    if doelgroep is not None:
        wanted = doelgroep.strip().lower().replace(" ", "")
        if wanted in ref.life_stages:
            items = [i for i in items if not i.life_stages or wanted in i.life_stages]
        elif wanted.partition("=")[0] in ref.factors:
            factor_id, sep, value = wanted.partition("=")
            levels = [level.value for level in ref.factors[factor_id].levels]
            if sep and value not in levels:
                raise InputError(f"--doelgroep: {doelgroep!r}: {factor_id} heeft geen niveau {value!r} "
                                 f"(toegestaan: {', '.join(levels)})")
            items = [i for i in items if any(g == wanted or g.partition("=")[0] == wanted for g in i.risk_groups)]
        else:
            raise InputError(f"--doelgroep: {doelgroep!r} is onbekend (toegestaan: {', '.join(ref.life_stages)}, "
                             "of een factor-id, eventueel als factor=niveau)")
    render(interventions_view(items, ref, taal), fmt or "tabel", taal, ruwe_csv)
