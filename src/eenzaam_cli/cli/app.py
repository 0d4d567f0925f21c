"""The `eenzaam` application: the root, the shared options and error handling.

Commands live in `commands/`, one module per group, and register themselves on
`app` when imported. Only the module of the invoked command is imported (see
`load_commands`), so a run pays only for the command it runs. Every command
takes the same output options (--format, --taal, --data), and every error
becomes one line on stderr with a documented exit code.
"""


import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

from .. import __version__
from ..core.errors import EenzaamError, ExitCode
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

# command name -> the module under commands/ that defines it
COMMANDS = {
    "profiel": "profile",
    "djg": "djg",
    "populatie": "population",
    "prevalentie": "lookup",
    "factoren": "lookup",
    "bronnen": "lookup",
    "niveaus": "browse",
    "signalen": "browse",
    "interventies": "browse",
    "data": "data",
}


def load_commands(name: str | None = None) -> None:
    """Import the module defining command `name`, or every command module."""
    from importlib import import_module

    for module in {COMMANDS[name]} if name in COMMANDS else dict.fromkeys(COMMANDS.values()):
        import_module(f"{__package__}.commands.{module}")


Language = Literal["nl", "en"]

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
    return typer.Exit(error.exit_code)


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
            raise typer.Exit(ExitCode.OK) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as error:
            if _debug:
                raise
            typer.echo(f"eenzaam: interne fout ({type(error).__name__}: {error}); "
                       "draai opnieuw met --debug voor de details", err=True)
            raise typer.Exit(ExitCode.ERROR) from None

    return wrapper  # type: ignore[return-value]


def show(view: View, fmt: Format | None, language: Language) -> None:
    render(view, fmt or "tabel", language)


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
