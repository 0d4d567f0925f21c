"""Errors are part of the interface: every failure names where and what is allowed."""

from __future__ import annotations

from os.path import commonprefix

from .record import Record


class ExitCode:
    """The exit codes of every `eenzaam` command (documented in docs/cli.md).

    Plain ints rather than an IntEnum: this module is imported on every start,
    and an enum class costs more to create than the whole rest of the module.
    """

    OK = 0
    ERROR = 1  # an unexpected failure: a bug; rerun with --debug for the traceback
    USAGE = 2  # a bad option, argument or input file (person, answers, respondents)
    DATA = 3  # reference data that fails validation (bundled or --data)
    OUTPUT = 4  # the output could not be written (a full disk, a terminal gone); not a broken pipe: that is OK
    INTERRUPTED = 130


class Problem(Record):
    """One problem in one place of a file: rendered as `file:line: field: message`."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class EenzaamError(Exception):
    """Base of the errors the CLI shows as one line each, with an exit code."""

    exit_code: int = ExitCode.ERROR

    def lines(self) -> list[str]:
        return [str(self)]


class InputError(EenzaamError):
    """The user's input (an option, a person file, answers) is not acceptable."""

    exit_code = ExitCode.USAGE


class InputErrors(InputError):
    """Several problems found together in one place (the bad columns of one row): one line, the place said once.

    `errors` keeps each problem as its own InputError, so a caller can list them one by one.
    """

    def __init__(self, errors: list[InputError]):
        self.errors = tuple(errors)
        messages = [str(error) for error in self.errors]
        shared = commonprefix(messages)
        shared = shared[:shared.rfind(": ") + 2] if ": " in shared else ""
        super().__init__(shared + "; ".join(message[len(shared):] for message in messages))


class DataError(EenzaamError):
    """Reference data files failed validation; carries every problem found."""

    exit_code = ExitCode.DATA

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]
