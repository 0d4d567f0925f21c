"""The `eenzaam` commands: parse options, call the core, render a View.

Every command takes the same output options (--format, --taal, --data), every
error becomes one line on stderr with a documented exit code, and nothing
heavier than typer is imported until a command needs it.
"""


import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .. import __version__
from ..core.errors import EenzaamError, ExitCode, InputError
from .output import Format, View, render

app = typer.Typer(
    name="eenzaam",
    help="Risicoprofielen voor eenzaamheid, op basis van de Movisie-publicatie over preventie van eenzaamheid.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
data_app = typer.Typer(help="Gegevensbestanden controleren en hun JSON Schema tonen.", no_args_is_help=True)
app.add_typer(data_app, name="data")


class Language(str, Enum):
    nl = "nl"
    en = "en"


FormatOption = Annotated[Format | None, typer.Option(
    "--format", "-f", envvar="EENZAAM_FORMAT", case_sensitive=False,
    help="Uitvoer: tabel (standaard), json, csv of markdown.")]
LanguageOption = Annotated[Language, typer.Option(
    "--taal", envvar="EENZAAM_TAAL", case_sensitive=False, help="Taal van de labels: nl of en.")]
DataOption = Annotated[list[Path] | None, typer.Option(
    "--data", envvar="EENZAAM_DATA", metavar="PAD",
    help="Eigen gegevens: een map of bestand (monitor*.csv, risicofactoren.yaml, …) dat de meegeleverde vervangt. Herhaalbaar.")]

_debug = False
F = TypeVar("F", bound=Callable[..., Any])


def _fail(error: EenzaamError) -> typer.Exit:
    for line in error.lines():
        typer.echo(f"eenzaam: {line}", err=True)
    return typer.Exit(int(error.exit_code))


def guarded(function: F) -> F:
    """One line per error with its exit code; a traceback only with --debug."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except EenzaamError as error:
            if _debug:
                raise
            raise _fail(error) from None
        except BrokenPipeError:
            # The reader stopped listening (`| head`): end quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except KeyboardInterrupt:
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as error:
            if _debug:
                raise
            typer.echo(f"eenzaam: interne fout ({type(error).__name__}: {error}); "
                       "draai opnieuw met --debug voor de details", err=True)
            raise typer.Exit(int(ExitCode.ERROR)) from None

    return wrapper  # type: ignore[return-value]


def show(view: View, fmt: Format | None, language: Language) -> None:
    render(view, fmt or Format.tabel, language.value)


def reference(data: list[Path] | None) -> Any:
    from ..core.loading import load_reference

    return load_reference(data or ())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"eenzaam {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Toon de versie en stop.")] = False,
    debug: Annotated[bool, typer.Option("--debug", envvar="EENZAAM_DEBUG",
                                        help="Toon bij een fout de volledige traceback.")] = False,
) -> None:
    """Risicoprofielen voor eenzaamheid, op basis van de Movisie-publicatie over preventie van eenzaamheid."""
    global _debug
    _debug = debug


# --- look-up commands --------------------------------------------------------------------------


@app.command()
@guarded
def prevalentie(
    leeftijd: Annotated[str | None, typer.Option("--leeftijd", "-l", metavar="N",
                                                 help="Toon alleen de leeftijdsband waarin leeftijd N valt.")] = None,
    maat: Annotated[str | None, typer.Option("--maat", "-m", metavar="MAAT",
                                             help="Toon één maat: eenzaam, ernstig, emotioneel of sociaal.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = Language.nl,
    data: DataOption = None,
) -> None:
    """Eenzaamheid naar leeftijd (Gezondheidsmonitor 2016): alle banden of de band van één leeftijd."""
    from ..core.prevalence import parse_age, prevalence
    from .views import prevalence_view

    age = parse_age(leeftijd, "--leeftijd") if leeftijd is not None else None
    ref = reference(data)
    try:
        result = prevalence(ref, age, maat.strip().lower() if maat else None)
    except InputError as error:
        raise InputError(f"--{error}") from None
    show(prevalence_view(result, ref, taal.value), fmt, taal)


@app.command()
@guarded
def factoren(
    factor_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Toon één factor in detail.")] = None,
    categorie: Annotated[str | None, typer.Option(
        "--categorie", "-c", help="leefomstandigheden, sociale_integratie of macro.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = Language.nl,
    data: DataOption = None,
) -> None:
    """Risicofactoren en beschermende factoren, met hun cijfers en bronnen."""
    from .views import factor_view, factors_view

    ref = reference(data)
    if factor_id is not None:
        factor = ref.factors.get(factor_id.strip().lower())
        if factor is None:
            raise InputError(f"onbekende factor {factor_id!r} (toegestaan: {', '.join(ref.factors)})")
        show(factor_view(factor, ref, taal.value), fmt, taal)
        return
    factors = list(ref.factors.values())
    if categorie is not None:
        allowed = list(dict.fromkeys(f.category for f in factors))
        if categorie.strip().lower() not in allowed:
            raise InputError(f"--categorie: {categorie!r} is onbekend (toegestaan: {', '.join(allowed)})")
        factors = [f for f in factors if f.category == categorie.strip().lower()]
    show(factors_view(factors, ref, taal.value), fmt, taal)


@app.command()
@guarded
def bronnen(
    bron_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Toon één bron en alles wat haar gebruikt.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = Language.nl,
    data: DataOption = None,
) -> None:
    """De bibliografie: elke bron waarop een cijfer, factor of interventie berust."""
    from .views import citations, source_view, sources_view

    ref = reference(data)
    if bron_id is None:
        show(sources_view(list(ref.sources.values()), taal.value), fmt, taal)
        return
    source = ref.sources.get(bron_id.strip().lower())
    if source is None:
        raise InputError(f"onbekende bron {bron_id!r} (toegestaan: {', '.join(ref.sources)})")
    show(source_view(source, citations(ref, source.id), taal.value), fmt, taal)


@app.command()
@guarded
def niveaus(fmt: FormatOption = None, taal: LanguageOption = Language.nl, data: DataOption = None) -> None:
    """De drie preventieniveaus, de regels die een niveau kiezen, en het preventiemodel."""
    from .views import tiers_view

    ref = reference(data)
    show(tiers_view(ref, taal.value), fmt, taal)


@app.command()
@guarded
def signalen(
    categorie: Annotated[str | None, typer.Option(
        "--categorie", "-c", help="lichamelijk, psychisch, sociaal of gedragsmatig.")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = Language.nl,
    data: DataOption = None,
) -> None:
    """Signalen die kunnen wijzen op eenzaamheid (afbeelding 4), en wat ermee te doen."""
    from .views import signals_view

    ref = reference(data)
    categories = list(ref.signals.categories)
    if categorie is not None:
        wanted = categorie.strip().lower()
        categories = [c for c in categories if c.id == wanted]
        if not categories:
            allowed = ", ".join(c.id for c in ref.signals.categories)
            raise InputError(f"--categorie: {categorie!r} is onbekend (toegestaan: {allowed})")
    show(signals_view(ref, categories, taal.value), fmt, taal)


@app.command()
@guarded
def interventies(
    niveau: Annotated[str | None, typer.Option("--niveau", "-n", metavar="1|2|3",
                                               help="Alleen interventies voor dit preventieniveau.")] = None,
    doelgroep: Annotated[str | None, typer.Option(
        "--doelgroep", "-d", metavar="DOELGROEP",
        help="Een levensfase (jongeren, volwassenen, third_agers, ouderen) of risicogroep (factor of factor=niveau).")] = None,
    fmt: FormatOption = None,
    taal: LanguageOption = Language.nl,
    data: DataOption = None,
) -> None:
    """Interventies en aanpakken uit de bron, te filteren op niveau en doelgroep."""
    from .views import interventions_view

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
            items = [i for i in items if any(g == wanted or g.partition("=")[0] == wanted for g in i.risk_groups)]
        else:
            raise InputError(f"--doelgroep: {doelgroep!r} is onbekend (toegestaan: {', '.join(ref.life_stages)}, "
                             "of een factor-id, eventueel als factor=niveau)")
    show(interventions_view(items, ref, taal.value), fmt, taal)


# --- data ----------------------------------------------------------------------------------------


@data_app.command("valideer")
@guarded
def data_valideer(
    paden: Annotated[list[Path], typer.Argument(metavar="PAD...", help="Mappen of gegevensbestanden om te controleren.")],
    fmt: FormatOption = None,
    taal: LanguageOption = Language.nl,
) -> None:
    """Controleer gegevensbestanden: één regel per probleem, met bestand, regel en veld.

    Bestanden die u niet opgeeft, komen uit de meegeleverde gegevens, zodat ook
    verwijzingen tussen bestanden worden gecontroleerd. Exitcode 3 bij problemen.
    """
    from ..core.loading import compile_files, find_files
    from .text import t

    files = find_files(paden)
    _, problems = compile_files(files)
    if fmt is Format.json:
        from .output import to_json

        typer.echo(to_json([{"bestand": p.file, "regel": p.line, "veld": p.field, "melding": p.message} for p in problems]))
    else:
        for problem in problems:
            typer.echo(str(problem))
    if problems:
        typer.echo(t("invalid", taal.value, n=len(problems)), err=True)
        raise typer.Exit(int(ExitCode.DATA))
    if fmt is not Format.json:
        typer.echo(t("valid", taal.value, n=len(files), files=", ".join(sorted(p.name for p in files.values()))))


@data_app.command("schema")
@guarded
def data_schema(
    uit: Annotated[Path | None, typer.Option("--uit", "-o", metavar="MAP",
                                             help="Schrijf één <bestand>.schema.json per gegevensbestand in MAP.")] = None,
) -> None:
    """Het JSON Schema van de gegevensbestanden (zoals in de map schema/ van het project)."""
    from ..core.schema import json_schemas
    from .output import to_json

    schemas = json_schemas()
    if uit is None:
        typer.echo(to_json(schemas))
        return
    uit.mkdir(parents=True, exist_ok=True)
    for name, document in schemas.items():
        (uit / f"{name}.schema.json").write_text(to_json(document) + "\n", encoding="utf-8")
    typer.echo(f"{len(schemas)} schema's geschreven in {uit}", err=True)
