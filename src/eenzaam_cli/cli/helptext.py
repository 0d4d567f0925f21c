"""Typer's own words in `--help`, in the user's language; and flags shown without a value.

Imported only when help is shown (`-h`, `--help`, `eenzaam` or `eenzaam data` alone). The help
texts of the options are the tool's own (Dutch); the words around them come from Typer and Click:
the usage line, the panel titles, `[default: …]`, `[env var: …]`, `[required]` and the help of
`--help` and of the completion options. This module sets them from `--taal` (or `EENZAAM_TAAL`),
read from the command line before it is parsed: Dutch by default, English with `--taal en`.

Where they live, and so what can be changed:

* the panel titles and the `[…]` markers are constants of `typer.rich_utils`, read when the help is
  drawn (Typer marks them for gettext, but evaluates them once, at import, so gettext could not
  follow `--taal`); they are set here for each run that shows help;
* "Usage:" is the default prefix of the help formatter's `write_usage`: the context of each command
  gets a formatter whose default prefix is the localised word;
* "Show this message and exit." is the help of the `--help` option that Click adds to each command;
  the option is a parameter like any other, so its help text is set.

Typer shows the Python type of an option without a metavar (`<str>`) and of every argument
(`PAD... <list[Path]>`), and shows a flag's as `<bool>`, as if the flag took a value (`--grafiek
<bool>`); it does not. Here every flag gets an empty metavar, so a flag shows no value; an option
gets its name as its metavar (`--categorie CATEGORIE`), and an argument, already shown by its
name, no type. Choices stay as Typer shows them (`<tabel|json|csv|markdown>`).

Typer keeps the line breaks of a docstring's paragraphs (in the list of commands, and in a
command's own help after the first paragraph), so a sentence broke where its source line did. Each
paragraph is set here on one line, to be wrapped at the width of the terminal only.

Not localised: Click's messages for usage errors are never shown (`cli/usage.py` writes its own
line), and the tool's own help texts are Dutch in both languages.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer

WORDS = {
    "nl": {
        "usage": "Gebruik: ",
        "options_metavar": "[OPTIES]",
        "subcommand_metavar": "OPDRACHT [ARGUMENTEN]...",
        "ARGUMENTS_PANEL_TITLE": "Argumenten",
        "OPTIONS_PANEL_TITLE": "Opties",
        "COMMANDS_PANEL_TITLE": "Opdrachten",
        "DEFAULT_STRING": "[standaard: {}]",
        "ENVVAR_STRING": "[omgevingsvariabele: {}]",
        "REQUIRED_LONG_STRING": "[verplicht]",
        "DEPRECATED_STRING": "(verouderd) ",
        "help": "Toon deze hulp en stop.",
        "install_completion": "Installeer het aanvullen met Tab voor de huidige shell (bash, zsh, fish of PowerShell).",
        "show_completion": "Toon het aanvulscript voor de huidige shell, om het te kopiëren of aan te passen.",
    },
    "en": {
        "usage": "Usage: ",
        "options_metavar": "[OPTIONS]",
        "subcommand_metavar": "COMMAND [ARGS]...",
        "ARGUMENTS_PANEL_TITLE": "Arguments",
        "OPTIONS_PANEL_TITLE": "Options",
        "COMMANDS_PANEL_TITLE": "Commands",
        "DEFAULT_STRING": "[default: {}]",
        "ENVVAR_STRING": "[env var: {}]",
        "REQUIRED_LONG_STRING": "[required]",
        "DEPRECATED_STRING": "(deprecated) ",
        "help": "Show this message and exit.",
        "install_completion": "Install Tab completion for the current shell (bash, zsh, fish or PowerShell).",
        "show_completion": "Show the completion script for the current shell, to copy it or customise it.",
    },
}

_language = "nl"  # set by `prepare` for this run


def wanted(arguments: list[str]) -> bool:
    """True when this run may show help: -h/--help before any `--`, or a group named without a command."""
    words = arguments[:arguments.index("--")] if "--" in arguments else arguments
    if not words or "-h" in words or "--help" in words:
        return True
    named = [word for word in words if not word.startswith("-")]
    return named == ["data"]  # `eenzaam data` alone prints the help of the group


def prepare(group: Any, language: str) -> None:
    """Set Typer's words for `language`, and the flags and help option of the root command."""
    global _language
    _language = language if language in WORDS else "nl"
    from typer import rich_utils

    words = WORDS[_language]
    for name, value in words.items():
        if name.isupper() and hasattr(rich_utils, name):  # a Typer without one of them simply keeps its own
            setattr(rich_utils, name, value)
    highlighter = getattr(rich_utils, "highlighter", None)
    if highlighter is not None:  # the usage prefix in bold, as Typer does for its own "Usage: "
        highlighter.highlights = [*type(highlighter).highlights, rf"(?P<usage>{words['usage']})"]
    _command(group)


def prepare_command(command: Any, ctx: Any) -> None:
    """The same for a command about to be shown (and the commands of a group such as `data`)."""
    _command(command)
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        _flags([help_option])
    for sub in getattr(command, "commands", {}).values():
        prepare_command(sub, ctx)


def _command(command: Any) -> None:
    words = WORDS[_language]
    command.context_class = _context_class()
    if command.help and not command.short_help:
        paragraphs = inspect.cleandoc(command.help).partition("\f")[0].split("\n\n")
        paragraphs = [text if text.startswith("\b") else " ".join(text.split()) for text in paragraphs]
        command.help = "\n\n".join(paragraphs)  # each paragraph wrapped at the terminal's width only
        command.short_help = paragraphs[0]  # the summary in a group's list of commands
    if command.options_metavar in (WORDS["nl"]["options_metavar"], WORDS["en"]["options_metavar"]):
        command.options_metavar = words["options_metavar"]
    if getattr(command, "subcommand_metavar", None) in (WORDS["nl"]["subcommand_metavar"], WORDS["en"]["subcommand_metavar"]):
        command.subcommand_metavar = words["subcommand_metavar"]
    _flags(command.params)


def root_help_option(option: Any) -> Any:
    if option is not None:
        _flags([option])
    return option


def _flags(params: list[Any]) -> None:
    """What the help shows for a parameter's value: nothing for a flag, never a Python type."""
    words = WORDS[_language]
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # shown instead of the type: a flag takes no value
        elif not _choice(param):
            if param.param_type_name == "argument":
                param.display_type_rich = _no_type  # its name (or metavar) says what it is
            elif param.metavar is None:
                param.metavar = (param.name or "").upper()
        if param.name in ("help", "install_completion", "show_completion") and param.name in words:
            param.help = words[param.name]


def _choice(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    return bool(getattr(descriptor, "is_choice", False))


def _no_type(ctx: Any) -> None:
    return None


_classes: dict[str, Any] = {}


def _context_class() -> Any:
    """A Context whose help formatter writes the usage line with the localised prefix."""
    if "context" not in _classes:
        base_formatter = typer.Context.formatter_class

        class Formatter(base_formatter):  # type: ignore[misc, valid-type]
            def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
                super().write_usage(prog, args, WORDS[_language]["usage"] if prefix is None else prefix)

        class Context(typer.Context):
            formatter_class = Formatter

        _classes["context"] = Context
    return _classes["context"]
