"""`eenzaam profiel`: one person's factors, risk stacking, prevention tier and what fits."""

from typing import Annotated, Any

import typer

from ...core.errors import InputError
from ..app import (
    DataOption,
    FormatOption,
    LanguageOption,
    RawCsvOption,
    YearOption,
    app,
    completer,
    reference,
)
from ..output import render

# The dedicated options of the design: option name -> factor id.
CORE_OPTIONS = {
    "--burgerlijke-staat": "burgerlijke_staat",
    "--opleiding": "opleiding",
    "--rondkomen": "rondkomen",
    "--werk": "werk",
    "--migratie": "migratie",
    "--mantelzorger": "mantelzorger",
    "--netwerk": "netwerk",
}


def _factor_option(name: str, values: str) -> Any:
    return typer.Option(name, metavar="WAARDE", help=f"{values}.", rich_help_panel="Persoon",
                        autocompletion=completer("level", CORE_OPTIONS[name]))


@app.command()
def profiel(
    leeftijd: Annotated[str | None, typer.Option("--leeftijd", "-l", metavar="N", help="Leeftijd in jaren.",
                                                 rich_help_panel="Persoon")] = None,
    burgerlijke_staat: Annotated[str | None, _factor_option(
        "--burgerlijke-staat", "gehuwd, samenwonend, ongehuwd, gescheiden of verweduwd")] = None,
    opleiding: Annotated[str | None, _factor_option("--opleiding", "laag, midden of hoog")] = None,
    rondkomen: Annotated[str | None, _factor_option("--rondkomen", "moeite of geen_moeite")] = None,
    werk: Annotated[str | None, _factor_option("--werk", "betaald of geen_betaald")] = None,
    migratie: Annotated[str | None, _factor_option(
        "--migratie", "nederlands, westers, niet_westers, turks, marokkaans of surinaams")] = None,
    mantelzorger: Annotated[str | None, _factor_option("--mantelzorger", "ja of nee")] = None,
    netwerk: Annotated[str | None, _factor_option(
        "--netwerk", "divers, vriendgericht, buurtgericht, kindgericht of beperkt")] = None,
    factor: Annotated[list[str] | None, typer.Option(
        "--factor", metavar="ID=WAARDE", rich_help_panel="Persoon", autocompletion=completer("pair", "leeftijd"),
        help="Elke andere factor, bijv. alleenwonend=ja of belangrijke_relaties=2 (zie `eenzaam factoren`). Herhaalbaar.")] = None,
    eenzaam: Annotated[str | None, typer.Option(
        "--eenzaam", metavar="ja|ernstig|nee", rich_help_panel="Persoon",
        autocompletion=completer("choices", "ja", "ernstig", "nee"),
        help="Vastgestelde eenzaamheid, als die bekend is: ja (eenzaam, niveau 2), ernstig ((zeer) ernstig eenzaam, "
             "niveau 3) of nee.")] = None,
    djg: Annotated[str | None, typer.Option(
        "--djg", metavar="ANTWOORDEN", rich_help_panel="Persoon",
        help="De Jong Gierveld-antwoorden (11 of 6, met komma's), zoals bij `eenzaam djg`.")] = None,
    signaal: Annotated[list[str] | None, typer.Option(
        "--signaal", metavar="ID", rich_help_panel="Persoon", autocompletion=completer("signal"),
        help="Een signaal uit `eenzaam signalen`. Herhaalbaar.")] = None,
    invoer: Annotated[str | None, typer.Option(
        "--invoer", "-i", metavar="BESTAND", rich_help_panel="Persoon",
        help="De persoon als YAML- of JSON-bestand met dezelfde sleutels (- voor standaardinvoer); opties gaan voor.")] = None,
    fmt: FormatOption = None,
    jaar: YearOption = None,
    taal: LanguageOption = "nl",
    data: DataOption = None,
    ruwe_csv: RawCsvOption = False,
) -> None:
    """Het profiel van één persoon: factoren, risicostapeling, preventieniveau en passende interventies."""
    from ...core.person import PersonReader
    from ...core.profile import Engine
    from ..profile_view import profile_view

    ref = reference(data, jaar)
    items: list[tuple[str, Any, str]] = []
    options = {"--leeftijd": leeftijd, "--eenzaam": eenzaam, "--djg": djg, "--burgerlijke-staat": burgerlijke_staat,
               "--opleiding": opleiding, "--rondkomen": rondkomen, "--werk": werk, "--migratie": migratie,
               "--mantelzorger": mantelzorger, "--netwerk": netwerk}
    for option, value in options.items():
        if value is not None:
            items.append((CORE_OPTIONS.get(option, option.lstrip("-")), value, option))
    for pair in factor or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--factor: {pair!r} heeft niet de vorm ID=WAARDE (bijv. alleenwonend=ja)")
        items.append((key.strip(), value, f"--factor {key.strip()}"))
    if signaal:
        items.append(("signalen", signaal, "--signaal"))
    person = PersonReader(ref).read(items, base=_file_items(invoer) if invoer else ())  # options override the file
    render(profile_view(Engine(ref).profile(person), ref, taal), fmt or "tabel", taal, ruwe_csv)


def _file_items(name: str) -> list[tuple[str, Any, str]]:
    """(key, value, 'file:line: key') for each key of a person file, YAML or JSON (`-`: standard input)."""
    from ...core.files.yamlfile import person_items

    return person_items(name)
