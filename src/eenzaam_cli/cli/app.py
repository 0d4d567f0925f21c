"""The `eenzaam` application: the root, the shared options and error handling.

Commands live in `commands/`, one module per group, and register themselves on
`app` when imported. Only the module of the invoked command is imported (see
`load_commands`), so a run pays only for the command it runs. Every command
takes the same output options (--format, --taal, --data, --ruwe-csv), and every
way a run can end becomes one documented exit code with at most one line on
stderr: `EenzaamGroup.main` is the one place that decides, for every command and
for --help and --version too.
"""


import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from .. import __version__
from ..core.errors import EenzaamError, ExitCode
from .output import EXPORT_WIDTH, WRITTEN, OutputError, choices, setup_streams, spoken, tables


class EenzaamGroup(TyperGroup):
    """The root command. Runs the command line and turns every ending into an exit code and one line.

    Click's own handling (`standalone_mode`) is switched off: it prints usage errors as an English
    box, exits 1 on a broken pipe and lets a write failure end in a traceback.
    """

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        global _debug
        _debug = False
        arguments = sys.argv[1:] if args is None else list(args)
        if sys.stdout is sys.__stdout__:  # the process's own stdout, not a test runner's capture
            setup_streams()
        WRITTEN.update(language="nl", quiet=False)  # until the command's --taal and --stil say otherwise
        _prepare(self, arguments)
        try:
            result = super().main(arguments, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) and not isinstance(result, bool) else ExitCode.OK
        except (KeyboardInterrupt, Exception) as error:  # not SystemExit: an explicit exit keeps its code
            code = _ending(error, arguments)
        code = _flush(code, arguments)
        if standalone_mode:
            sys.exit(code)
        return code

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if _help_language is not None and command is not None:  # its help may be shown: see cli/helptext.py
            from .helptext import prepare_command

            prepare_command(command, ctx)
        return command

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        if os.environ.get(complete_var or "_EENZAAM_COMPLETE"):  # a shell asks (cli/completion.py answers)
            from .completion import respond

            respond(self, ctx_args, prog_name, complete_var)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if _help_language is not None:
            from .helptext import root_help_option

            return root_help_option(option)
        return option


_help_language: str | None = None  # set when this run may show help (Typer's words, flags without a value)


def _prepare(group: EenzaamGroup, arguments: list[str]) -> None:
    """Help and shell completion, prepared only for a run that asks for them, so a normal run pays nothing.

    Typer's completion options (`add_completion`) would be built on every start; they are added to the
    root only for the root help, for themselves, and for a completion request (cli/completion.py).
    """
    global _help_language
    _help_language = None
    words = arguments[:arguments.index("--")] if "--" in arguments else arguments
    root = not words or words[0].startswith("-")  # no command named first: the root's own options or help
    if "_EENZAAM_COMPLETE" in os.environ or (root and not _ROOT_WORDS.isdisjoint(words)) or not words:
        from .completion import enable

        enable(group)
    if not words or not _HELP_WORDS.isdisjoint(words) or words[-1] == "data":
        from .helptext import prepare
        from .usage import language_of

        _help_language = language_of(arguments)
        prepare(group, _help_language)


_HELP_WORDS = frozenset(("-h", "--help"))
_ROOT_WORDS = frozenset(("-h", "--help", "--install-completion", "--show-completion"))


app = typer.Typer(
    cls=EenzaamGroup,
    name="eenzaam",
    help="Risicoprofielen voor eenzaamheid, op basis van de Movisie-publicatie over preventie van eenzaamheid.",
    no_args_is_help=True,
    add_completion=False,  # shell completion is switched on by `_prepare`, only when asked for (cli/completion.py)
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
    "stapel": "stack",
    "batch": "batch",
    "prevalentie": "prevalence",
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

TABLE_FORMATS = choices(tables, "tabel")  # the formats of output.FORMATS that render a View
FormatOption = Annotated[Literal[TABLE_FORMATS] | None, typer.Option(  # type: ignore[valid-type]
    "--format", "-f", envvar="EENZAAM_FORMAT", case_sensitive=False,
    help=f"Uitvoer: {spoken(TABLE_FORMATS, 'standaard')}.")]
def _written_language(value: str) -> str:
    """--taal also chooses the language of the line for each file written (output.OutputFile)."""
    WRITTEN["language"] = value
    return value


def _written_quiet(value: bool) -> bool:
    """--stil also hides the line for each file written (output.OutputFile)."""
    WRITTEN["quiet"] = value
    return value


LanguageOption = Annotated[Language, typer.Option(
    "--taal", envvar="EENZAAM_TAAL", case_sensitive=False, callback=_written_language,
    help="Taal van de labels: nl of en.")]
DataOption = Annotated[list[Path] | None, typer.Option(
    "--data", envvar="EENZAAM_DATA", metavar="PAD",
    help="Eigen gegevens: een map of bestand (risicofactoren.yaml, …) dat het meegeleverde bestand met die naam vervangt; "
         "een monitor*.csv komt naast de meegeleverde tabel van 2016 (kies met --jaar). Herhaalbaar.")]
def completer(kind: str, *arguments: str) -> Callable[..., list[tuple[str, str]]]:
    """An `autocompletion=` callback offering words from the data; cli/completion.py does the work, when asked."""

    def complete(ctx, incomplete):  # type: ignore[no-untyped-def]  # unannotated: Typer inspects it on every start
        from .completion import offer

        return offer(kind, arguments, ctx, incomplete)

    return complete


YearOption = Annotated[str | None, typer.Option(
    "--jaar", metavar="JAAR", autocompletion=completer("year"),
    help="De monitortabel van dit jaar (een monitor*.csv in --data naast de meegeleverde van 2016). "
         "Standaard: uw eigen nieuwste tabel, anders die van 2016.")]
RawCsvOption = Annotated[bool, typer.Option(
    "--ruwe-csv", envvar="EENZAAM_RUWE_CSV",
    help="CSV zonder ' voor cellen die een spreadsheet als formule zou uitvoeren (=, +, -, @ …); zie de README.")]
ColumnOption = Annotated[list[str] | None, typer.Option(
    "--kolom", metavar="DOEL=BRON",
    help="Lees kolom BRON van het bestand als sleutel DOEL, bijv. leeftijd=AGLFA401 of djg_1=GZEEA201; gaat voor "
         "--koppeling. Herhaalbaar.")]
MappingOption = Annotated[str | None, typer.Option(
    "--koppeling", metavar="KOPPELING.yaml",
    help="Koppeling van uw kolomnamen, codes en ontbrekende codes aan de sleutels van eenzaam (zie `eenzaam data "
         "koppeling` en schema/koppeling.schema.json).")]
SvgOption = Annotated[str | None, typer.Option(
    "--svg", metavar="BESTAND",
    help="Schrijf de afbeelding als SVG (vraagt het extra grafiek; met --terminalbeeld de tabellen).")]
PngOption = Annotated[str | None, typer.Option(
    "--png", metavar="BESTAND", help="Schrijf de afbeelding als PNG, 1920×1080 (vraagt het extra grafiek).")]
HtmlOption = Annotated[str | None, typer.Option(
    "--html", metavar="BESTAND",
    help="Schrijf een HTML-pagina met de afbeelding en de cijfers (met --terminalbeeld de tabellen).")]
TerminalPictureOption = Annotated[bool, typer.Option(
    "--terminalbeeld",
    help=f"Schrijf --svg en --html als afdruk van de terminaltabellen, {EXPORT_WIDTH} tekens breed, zonder het "
         "extra grafiek.")]

QuietOption = Annotated[bool, typer.Option(
    "--stil", callback=_written_quiet,
    help="Geen regel over de herkende kolommen, geen voortgangsbalk en geen regel per geschreven bestand op "
         "standaardfout.")]

_debug = False


def _ending(error: BaseException, arguments: list[str]) -> int:
    """The exit code for how a run ended, after saying why in one line (a traceback only with --debug)."""
    if isinstance(error, OutputError):
        return _output_failed(error, arguments)
    if isinstance(error, BrokenPipeError):  # standard output without our wrapper (see setup_streams)
        _silence_stdout()
        return ExitCode.OK
    if isinstance(error, (KeyboardInterrupt, typer.Abort)):
        return ExitCode.INTERRUPTED
    if isinstance(error, typer.TyperException):  # Click's usage errors (unknown option, bad value, …)
        from .usage import usage_line

        line = usage_line(error, arguments)
        if line:  # empty when Click has shown the help instead (`eenzaam` without a command)
            _say(line)
        return getattr(error, "exit_code", ExitCode.USAGE)
    if _debug:
        raise error
    if isinstance(error, EenzaamError):
        for line in error.lines():
            _say(line)
        return error.exit_code
    from .usage import internal_error_line

    _say(internal_error_line(error, arguments))
    return ExitCode.ERROR


def _flush(code: int, arguments: list[str]) -> int:
    """Write out what is still buffered now, while a failure can still be reported (not at shutdown)."""
    try:
        sys.stdout.flush()
    except OutputError as error:
        failed = _output_failed(error, arguments, quiet=code != ExitCode.OK)
        return failed if code == ExitCode.OK else code
    except (BrokenPipeError, ValueError, AttributeError):  # a closed or missing stream (test runner, pythonw)
        _silence_stdout()
    return code


def _output_failed(error: OutputError, arguments: list[str], quiet: bool = False) -> int:
    """A reader that stopped listening (`| head`) ends the run quietly with 0; anything else is `ExitCode.OUTPUT`."""
    import errno

    if error.target is None:  # standard output
        _silence_stdout()
        if error.error.errno == errno.EPIPE:
            return ExitCode.OK
    if not quiet:
        from .usage import output_error_line

        _say(output_error_line(error.error, arguments, error.target))
    return ExitCode.OUTPUT


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the flush at interpreter exit cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test runner's capture)
        pass


def _say(line: str) -> None:
    """One line on stderr; if stderr itself is gone, the exit code has to say it."""
    try:
        sys.stderr.write(f"eenzaam: {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def say_recognised(recognised: Any, file: str, language: str, quiet: bool = False) -> None:
    """The one line on stderr, before the first row, of what a file's columns were recognised as (unless --stil)."""
    if quiet:
        return
    from ..core.person import shortened
    from ..core.text import t

    def listed(key: str, columns: Any) -> str:
        return t(key, language, columns=shortened(list(columns), language=language) if columns
                 else t("recognised_none", language))

    keys = [column if column == key else f"{column}→{key}" for column, key in recognised.keys]
    items = recognised.items
    parts = [listed("recognised_keys", keys),
             listed("recognised_items", [f"{items[0]} … {items[-1]} ({len(items)})"] if len(items) > 2 else items)]
    for role in ("weight", "area", "count"):
        column = getattr(recognised, role)
        if column is not None:  # 'gebied', not 'gebied gebied', where the column has the role's own name
            said = t(f"recognised_{role}", language, column=column)
            parts.append(column if language == "nl" and said == f"{column} {column}" else said)
    parts.append(listed("recognised_passed", recognised.passed))
    _say(t("recognised", language, file=file, parts="; ".join(parts)))


def reference(data: list[Path] | None, year: str | None = None) -> Any:
    """The reference data (bundled, or with --data), using the monitor table of `year` (--jaar) if given."""
    from ..core.reference.loading import load_reference

    loaded = load_reference(data or ())
    if year is None:
        return loaded
    from ..core.reference.years import for_year

    return for_year(loaded, year)


def mapping(ref: Any, path: str | None, pairs: list[str] | None) -> Any:
    """The koppeling of --koppeling and --kolom (core/mapping.py), checked against `ref`; None when neither is given."""
    if path is None and not pairs:
        return None
    from ..core.mapping import load_mapping

    return load_mapping(ref, path, pairs or ())


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
