"""Shell completion: option values and arguments from the reference data, for bash, zsh, fish and PowerShell.

Imported only when completion is at work: a completion request (`_EENZAAM_COMPLETE` in the
environment, sent by the script `eenzaam --show-completion` prints), `--install-completion`,
`--show-completion`, or the root help that lists them. A normal run never imports it, and the
root command gets its two completion options only then (`enable`), so start-up stays as it was.

The words come from the reference the command would use: the bundled data, or `--data` (and
`EENZAAM_DATA`) when it is on the line already. A cached reference decodes only the part asked
for (the factors for `--opleiding`, the years for `--jaar`); data that does not load offers nothing,
never an error.

Bash splits a word at `=` (`COMP_WORDBREAKS`), so `--factor burgerlijke_staat=ge<TAB>` reaches the
program as `burgerlijke_staat`, `=`, `ge` (right after the `=`, the last word is the `=` itself), and
bash replaces only the text after the `=`. `_bash_equals` reads what bash split before Click does, and
the offers then fit what bash replaces: the levels alone (`gehuwd`), not `burgerlijke_staat=gehuwd`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

COMPLETE_VAR = "_EENZAAM_COMPLETE"
OPTIONS = ("--install-completion", "--show-completion")

# Set by `_bash_equals` for one completion request: the key before a `=` that bash split off.
_state: dict[str, Any] = {"key": None}


def wanted(arguments: list[str]) -> bool:
    """True when this run needs the completion machinery (cheap: looked at on every run)."""
    if COMPLETE_VAR in os.environ:
        return True
    if not arguments:
        return True  # `eenzaam` alone prints the root help
    root_only = all(argument.startswith("-") for argument in arguments)  # no command named: root help or options
    return root_only and any(a in ("-h", "--help", *OPTIONS) for a in arguments)


def enable(group: Any) -> None:
    """Give the root command Typer's --install-completion and --show-completion, and register the shells."""
    from typer.main import get_install_completion_arguments

    if not any(getattr(param, "name", None) == "install_completion" for param in group.params):
        group.params.extend(get_install_completion_arguments())  # also registers bash, zsh, fish, PowerShell
    if os.environ.get(COMPLETE_VAR) == "complete_bash":
        _bash_equals()


def respond(command: Any, ctx_args: Any, prog_name: str, complete_var: str | None) -> None:
    """Answer a request of the shell script (`_EENZAAM_COMPLETE`), then end the run; nothing to do without one.

    Whatever the variables hold, a completion offers words or nothing: never a traceback or a message in
    the middle of a command line. Variables a completion script would not send (a `COMP_CWORD` that is not
    a word's index, a missing `COMP_WORDS`) offer nothing, and so does a failure while completing (data
    that does not load, a value Click cannot read); `EENZAAM_DEBUG=1` lets such a failure through. Only an
    instruction no script sends (`_EENZAAM_COMPLETE=x`) is refused, with one line and exit 2.
    """
    import sys

    variable = complete_var or COMPLETE_VAR
    instruction = os.environ.get(variable)
    if not instruction:
        return
    from typer._click.shell_completion import get_completion_class

    action, _, shell = instruction.partition("_")
    shell_class = get_completion_class(shell) if action in ("source", "complete") else None
    if shell_class is None:
        from ..core.errors import InputError

        raise InputError(f"{variable}: {instruction!r} is ongeldig (toegestaan: source_SHELL of complete_SHELL, "
                         "met SHELL bash, zsh, fish of powershell)")
    shell_completion = shell_class(command, ctx_args, prog_name, variable)
    if action == "source":
        sys.stdout.write(shell_completion.source() + "\n")
        sys.exit(0)
    try:
        words = shell_completion.complete() if _sent_by_script(shell) else ""
    except Exception:
        if os.environ.get("EENZAAM_DEBUG", "") not in ("", "0"):
            raise
        words = ""
    if words:
        sys.stdout.write(words + "\n")
    sys.exit(0)


def _sent_by_script(shell: str) -> bool:
    """True when the variables of `shell` are as its completion script sends them."""
    if shell == "bash":
        return _bash_line() is not None
    return "_TYPER_COMPLETE_ARGS" in os.environ


def _bash_line() -> tuple[list[str], int] | None:
    """The words bash sent and the index of the one being completed; None unless both are as bash sends them.

    The index may be one past the last word: bash sends `eenzaam profiel ` as two words and index 2.
    """
    words, cword = os.environ.get("COMP_WORDS"), os.environ.get("COMP_CWORD", "")
    if words is None or not re.fullmatch(r"[0-9]{1,9}", cword):
        return None
    split = _split(words)
    return (split, int(cword)) if int(cword) <= len(split) else None


def _bash_equals() -> None:
    """Join `KEY`, `=`, `PART` that bash split, so Click completes KEY's value (see the module docstring)."""
    _state.update(key=None)
    line = _bash_line()
    if line is None:
        return
    words, cword = line
    current = words[cword] if cword < len(words) else ""
    if current == "=" and cword >= 2:  # the cursor right after `=`: nothing of the value typed yet
        key, before, incomplete = words[cword - 1], words[:cword - 1], ""
    elif cword >= 3 and words[cword - 1] == "=":
        key, before, incomplete = words[cword - 2], words[:cword - 2], current
    else:
        return
    if key.startswith("-"):  # --opleiding=la: complete the option's value
        words = [*before, key, incomplete]
    else:  # burgerlijke_staat=ge, the value of --factor or a step of `stapel`: complete the key's levels
        words = [*before, incomplete]
        _state["key"] = key
    import shlex

    os.environ["COMP_WORDS"] = "\n".join(shlex.quote(word) for word in words)
    os.environ["COMP_CWORD"] = str(len(words) - 1)


def _split(text: str) -> list[str]:
    """The words as Typer's bash completion reads them (shell quoting); an open quote counts as closed."""
    import shlex

    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        for word in lexer:
            words.append(word)
    except ValueError:  # an unclosed quote: the word so far
        words.append(lexer.token)
    return words


def _offer(pairs: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    """The (value, help) pairs that start with `incomplete`."""
    return [(value, help) for value, help in pairs if value.startswith(incomplete)]


def _reference(ctx: Any) -> Any:
    """The reference the command would load, with any --data on the line; None when it does not load."""
    data, year = None, None
    while ctx is not None:
        params = getattr(ctx, "params", None) or {}
        data = data or params.get("data")
        year = year or params.get("jaar")
        ctx = getattr(ctx, "parent", None)
    try:
        from ..core.reference.loading import load_reference
        from ..core.reference.years import for_year

        reference = load_reference(data or ())
        try:
            return for_year(reference, year)
        except Exception:
            return reference
    except Exception:  # bad or missing data: nothing to offer, and no message in the middle of a command line
        return None


def _levels(reference: Any, factor_id: str) -> list[tuple[str, str]]:
    factor = reference.factors.get(factor_id)
    if factor is None or factor.input == "aantal":
        return []
    return [(level.value, level.label("nl") if level.label else "") for level in factor.levels]


def offer(kind: str, arguments: tuple[str, ...], ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """The words to offer for a parameter of this `kind`; `arguments` as the option declared them."""
    incomplete = incomplete or ""
    if kind == "choices":  # fixed words, no data needed
        return _offer([(word, "") for word in arguments], incomplete)
    reference = _reference(ctx)
    if reference is None:
        return []
    if kind == "level":  # --opleiding, --migratie, …: the factor's levels
        return _offer(_levels(reference, arguments[0]), incomplete)
    if kind == "pair":  # --factor ID=WAARDE, the steps of `stapel`
        return _pairs(reference, incomplete, with_age="leeftijd" in arguments)
    if kind == "target_group":  # interventies --doelgroep: a life stage, or a risk group (factor=level)
        stages = _life_stages(reference)
        return _offer(stages, incomplete) + [p for p in _pairs(reference, incomplete) if p not in stages]
    words = _WORDS.get(kind)
    return _offer(words(reference), incomplete) if words else []


def _measures(reference: Any) -> list[tuple[str, str]]:
    """The monitor's measures, each with its label where maten.yaml has it."""
    return [(m, reference.measures[m].label("nl") if m in reference.measures else "") for m in reference.monitor.measures]


def _life_stages(reference: Any) -> list[tuple[str, str]]:
    return [(s.id, s.label("nl")) for s in reference.life_stages.values()]


# (word, help) for each kind of parameter whose words are one list from the data
_WORDS: dict[str, Callable[[Any], list[tuple[str, str]]]] = {
    "factor": lambda reference: [(f.id, f.label("nl")) for f in reference.factors.values()],
    "category": lambda reference: [(c, "") for c in dict.fromkeys(f.category for f in reference.factors.values())],
    "source": lambda reference: [(s.id, s.title or s.authors) for s in reference.sources.values()],
    "signal": lambda reference: [(s.id, s.label("nl")) for c in reference.signals.categories for s in c.signals],
    "signal_category": lambda reference: [(c.id, c.label("nl")) for c in reference.signals.categories],
    "measure": _measures,
    "stackable": lambda reference: [(m.id, m.label("nl")) for m in reference.measures.values() if m.stackable],
    "year": lambda reference: [(str(m.year), os.path.basename(m.file)) for m in reference.monitors],
    "example": lambda reference: [(e.id, e.label("nl")) for e in getattr(reference, "examples", {}).values()],
}


def _pairs(reference: Any, incomplete: str, with_age: bool = False) -> list[tuple[str, str]]:
    """`ID=WAARDE`: the ids first, then one id's levels.

    Without a word typed, each id once with its `=` (one screen, no trailing space to remove);
    with part of an id, every pair of the ids that match, so the shell fills in up to the `=`.
    """
    key = _state["key"]
    if key is not None:  # bash split `key=part`: offer the levels alone
        if with_age and key == "leeftijd":
            return []
        return _offer(_levels(reference, key), incomplete)
    ids = [(f.id, f.label("nl")) for f in reference.factors.values() if f.id != "leeftijd"]
    if with_age:
        ids.insert(0, ("leeftijd", "leeftijd in jaren"))
    factor_id, sep, value = incomplete.partition("=")
    if not sep:
        if not incomplete:
            return [(f"{id_}=", help) for id_, help in ids]
        pairs = [(f"{id_}={level}", help) for id_, help in ids
                 for level, _ in (_levels(reference, id_) or [("", "")]) if id_.startswith(incomplete)]
        return _offer(pairs, incomplete)
    return _offer([(f"{factor_id}={level}", help) for level, help in _levels(reference, factor_id)], incomplete)
