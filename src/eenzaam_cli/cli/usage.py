"""The one line on stderr for a run that ends badly: usage errors, a failed write, an internal error.

Imported only when a run fails. Click (bundled in typer) raises its usage errors with English messages
and prints them in a box; `usage_line` reads what the exception carries (the parameter, the option name,
the value typer's coercion rejected) and says it in one line, in Dutch or, with `--taal en`, English:

    eenzaam: --format: 'xml' is ongeldig (toegestaan: tabel, json, csv, markdown)

A case this module does not recognise still gives one line, with Click's own message.
"""

from __future__ import annotations

import os
import re
from typing import Any

from ..core.text import t


def language_of(arguments: list[str]) -> str:
    """'en' when the command line (or EENZAAM_TAAL) asks for English, else 'nl'; read before parsing succeeded."""
    value = os.environ.get("EENZAAM_TAAL", "")
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == "--taal" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--taal="):
            value = argument.partition("=")[2]
    return "en" if value.strip().lower() == "en" else "nl"


def usage_line(error: Any, arguments: list[str]) -> str:
    """One line for a Click usage error; '' when Click has shown the help instead."""
    language = language_of(arguments)
    message = " ".join(str(getattr(error, "message", "") or "").split())
    ctx = getattr(error, "ctx", None)
    command = getattr(ctx, "command_path", None) or "eenzaam"
    if type(error).__name__ == "NoArgsIsHelpError":  # `eenzaam` or `eenzaam data` alone: the help is the answer
        if message:  # typer without Rich returns the help text instead of printing it
            error.show()
        return ""
    param = getattr(error, "param", None)
    if param is not None:
        name = _param_name(param, arguments)
        if hasattr(error, "param_type"):  # MissingParameter
            return t("usage_missing", language, name=name, command=command)
        allowed = _choices(param)
        value = _bad_value(error, param, arguments)
        if allowed and value is not None:
            return t("usage_bad_value", language, name=name, value=repr(value), allowed=", ".join(allowed))
        return t("usage_bad", language, name=name, message=message)
    option = getattr(error, "option_name", None)
    if option is not None:
        if hasattr(error, "possibilities"):  # NoSuchOption
            allowed = ", ".join(_options(ctx)) or "--help"
            if error.possibilities:
                return t("usage_did_you_mean", language, option=option, command=command, allowed=allowed,
                         suggestion=f" {t('or', language)} ".join(error.possibilities))
            return t("usage_unknown_option", language, option=option, command=command, allowed=allowed)
        if "does not take" in message:
            return t("usage_takes_no_value", language, option=option)
        if match := re.search(r"requires (\d+) arguments", message):  # --vergelijk JAAR JAAR
            return t("usage_needs_values", language, option=option, n=match.group(1))
        if "requires" in message:
            return t("usage_needs_value", language, option=option)
        return f"{option}: {message}"
    if match := re.fullmatch(r"No such command (.+)\.", message):
        return t("usage_unknown_command", language, name=match.group(1), allowed=", ".join(_commands(ctx)))
    if match := re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message):
        return t("usage_extra", language, command=command, arguments=match.group(1))
    if message == "Missing command.":
        return t("usage_missing_command", language, command=command, allowed=", ".join(_commands(ctx)))
    sub = command.partition(" ")[2]  # `data valideer` of `eenzaam data valideer`
    return f"{sub}: {message}" if sub else message


def _param_name(param: Any, arguments: list[str]) -> str:
    """How the user gave the parameter: `--format`, or `EENZAAM_FORMAT` when the value came from there."""
    if getattr(param, "param_type_name", "") == "argument":
        return getattr(param, "metavar", None) or str(param.name).upper()
    opts = list(getattr(param, "opts", None) or [])
    name = next((o for o in opts if o.startswith("--")), opts[0] if opts else str(param.name))
    envvar = getattr(param, "envvar", None)
    if isinstance(envvar, (list, tuple)):
        envvar = next((e for e in envvar if e in os.environ), None)
    if envvar and envvar in os.environ and _given(opts, arguments) is None:
        return envvar
    return name


def _given(opts: list[str], arguments: list[str]) -> str | None:
    """The value written after one of `opts` on the command line (the last one counts), None if absent."""
    found = None
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        for opt in opts:
            if argument == opt:
                found = arguments[index + 1] if index + 1 < len(arguments) else ""
            elif opt.startswith("--") and argument.startswith(opt + "="):
                found = argument[len(opt) + 1:]
            elif len(opt) == 2 and not argument.startswith("--") and argument.startswith(opt) and len(argument) > 2:
                found = argument[2:]
    return found


def _choices(param: Any) -> list[str]:
    """The values a choice parameter allows (`Literal[...]` in typer, `click.Choice` elsewhere)."""
    for holder in (getattr(param, "type_descriptor", None), getattr(param, "type", None)):
        choices = getattr(holder, "choices", None)
        if choices:
            return [str(choice) for choice in choices]
    return []


def _bad_value(error: Any, param: Any, arguments: list[str]) -> Any:
    """The value that was refused: from typer's coercion error, or else from the command line or environment."""
    errors = getattr(error.__cause__, "errors", None)
    if callable(errors):
        try:
            return errors()[0]["input"]
        except (LookupError, TypeError, ValueError):
            pass
    given = _given(list(getattr(param, "opts", None) or []), arguments)
    if given is not None:
        return given
    envvar = getattr(param, "envvar", None)
    return os.environ.get(envvar) if isinstance(envvar, str) else None


def _options(ctx: Any) -> list[str]:
    """The long options of the command in `ctx`, as its help lists them."""
    if ctx is None:
        return []
    names: list[str] = []
    for param in ctx.command.get_params(ctx):
        if getattr(param, "param_type_name", "") == "option" and not getattr(param, "hidden", False):
            opts = [*param.opts, *getattr(param, "secondary_opts", ())]
            names.append(next((o for o in opts if o.startswith("--")), opts[0]))
    return names


def _commands(ctx: Any) -> list[str]:
    list_commands = getattr(getattr(ctx, "command", None), "list_commands", None)
    return list(list_commands(ctx)) if list_commands else []


def output_error_line(error: OSError, arguments: list[str], target: str | None = None) -> str:
    """`kan niet schrijven naar standaarduitvoer: de schijf is vol` (or naming the file `target`)."""
    import errno

    language = language_of(arguments)
    reasons = {errno.ENOSPC: "disk_full", getattr(errno, "EDQUOT", -1): "quota", errno.EFBIG: "too_large",
               errno.EIO: "io_error", errno.ENOENT: "no_folder", errno.ENOTDIR: "not_a_folder",
               errno.EACCES: "no_permission", errno.EPERM: "no_permission", errno.EROFS: "no_permission",
               errno.ENAMETOOLONG: "name_too_long", errno.EISDIR: "is_a_folder", errno.ENXIO: "no_reader",
               errno.EPIPE: "no_reader", errno.ELOOP: "too_many_links"}
    key = reasons.get(error.errno or 0)
    reason = t(key, language) if key else (error.strerror or str(error))
    return t("write_failed", language, target=target or t("standard_output", language), reason=reason)


def internal_error_line(error: BaseException, arguments: list[str]) -> str:
    return t("internal_error", language_of(arguments), error=f"{type(error).__name__}: {error}")
