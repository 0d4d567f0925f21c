"""The Python API: the engines of the command line, for scripts and notebooks.

Every function here calls the same core code as the command of the same purpose, and every result
gives the same data as that command's JSON (`to_dict()` or `records()`), shows itself as a table in
a notebook (`_repr_html_`), and keeps the typed core result for whoever wants more. Plain lists and
dicts go in; a pandas DataFrame goes in too, and `batch` returns one for one, but pandas is never
imported unless it is given. Nothing here imports typer or rich. docs/api.md shows every function
with examples that run as tests; the first of them imports this module and profiles a widow of 87 (tier 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .core.errors import InputError
from .core.reference.model import Reference

__all__ = [
    "load", "profile", "score_djg", "population", "batch", "prevalence", "compare_years",
    "ProfileResult", "DjgResult", "PopulationResult", "BatchRun", "PrevalenceResult", "YearsResult",
]

_bundled: Reference | None = None


def load(data: str | Path | Iterable[str | Path] = (), *, year: int | None = None) -> Reference:
    """The reference data: bundled, or with your own files on top (as `--data`), with a monitor year (as `--jaar`).

    `data` is a folder or file, or a list of them. A folder's `monitor*.csv` tables are added beside the
    bundled 2016 table, one per year; `year` picks the table the engines use (default: your newest own
    table, else 2016). Raises `DataError` (every problem, with file and line) for data that fails validation.
    """
    from .core.reference.loading import load_reference
    from .core.reference.years import for_year

    global _bundled
    _check("data", data, _PATHS, str, Path, list, tuple)
    paths = [data] if isinstance(data, (str, Path)) else list(data)
    for path in paths:
        _check("data", path, _PATHS, str, Path)
    _check("year", year, "een jaartal", int, str, type(None))
    if not paths:
        if _bundled is None:
            _bundled = load_reference()
        reference = _bundled
    else:
        reference = load_reference(paths)
    return for_year(reference, year, "year")


def _reference(reference: Reference | None, language: str = "nl") -> Reference:
    """The reference to use, after checking the two arguments every function takes."""
    if _check("language", language, "nl of en", str) not in ("nl", "en"):
        raise InputError(f"language: {language!r} kan niet (toegestaan: nl, en)")
    return load() if _check("reference", reference, "een Reference van load()", Reference, type(None)) is None \
        else reference


_PATHS = "een map of bestand (str of Path), of een lijst daarvan"
_ROWS = "een lijst van dicts, een DataFrame of het pad van een CSV-bestand"


def _check(name: str, value: Any, expected: str, *kinds: type) -> Any:
    """`value` when it is one of `kinds` (True and False are no int), else an InputError naming the argument.

    Every public function checks its arguments here, so a wrong type is the documented InputError, never
    a TypeError or AttributeError from deep inside.
    """
    if isinstance(value, kinds) and (not isinstance(value, bool) or bool in kinds):
        _bounded(name, value)
        if Path in kinds and isinstance(value, (str, Path)) and "\x00" in str(value):  # no file has such a name
            raise InputError(f"{name}: een pad met een NUL-teken kan niet")
        return value
    raise InputError(f"{name}: verwacht {expected}, geen {type(value).__name__}")


def _tools(reference: Reference) -> dict[str, Any]:
    """The engines for one reference, built once (they compile lookup tables) and kept with it."""
    tools = reference.__dict__.get("_api_tools")
    if tools is None:
        from .core.person import PersonReader
        from .core.profile import Engine

        tools = {"reader": PersonReader(reference), "engine": Engine(reference)}
        reference.__dict__["_api_tools"] = tools
    return tools


# --- results ----------------------------------------------------------------------------------


class _Result:
    """What every result has: the CLI's JSON as plain data, a table in a notebook, a DataFrame on request.

    The data comes from `core.contract`, the same functions the command line writes its JSON and CSV with.
    """

    reference: Reference
    language: str = "nl"
    _title = ""

    def _table(self, language: str) -> tuple[list[str], list[dict[str, Any]]]:
        """The command's CSV: its columns and its rows."""
        raise NotImplementedError

    def _rows(self, language: str) -> list[dict[str, Any]]:
        fields, rows = self._table(language)
        return [{key: row.get(key) for key in fields} for row in rows]

    def _data(self, language: str) -> Any:
        return self._rows(language)

    def _plain(self, language: str | None) -> Any:
        return json.loads(_json(self._data(language or self.language)))  # exactly what `-f json` prints

    def records(self, language: str | None = None) -> list[dict[str, Any]]:
        """The rows of the command's CSV (`-f csv`), as dicts with plain values."""
        return json.loads(_json(self._rows(language or self.language)))

    def to_frame(self, language: str | None = None) -> Any:
        """`records()` as a pandas DataFrame (pandas must be installed)."""
        import pandas

        return pandas.DataFrame.from_records(self.records(language))

    def _repr_html_(self) -> str:
        from .core.text import t
        from .notebook import page, paragraphs, records_table

        language = self.language
        fields, rows = self._table(language)
        data = self._data(language)
        lines = [data[key] for key in ("methode", "duiding") if isinstance(data, dict) and data.get(key)]
        return page([paragraphs(self._intro(language)),
                     records_table(t(self._title, language) if self._title else "", fields, rows, language, lines)])

    def _intro(self, language: str) -> list[str]:
        return []


class ProfileResult(_Result):
    """One person's profile: `profile` is the core `Profile`; `to_dict()` is `eenzaam profiel -f json`."""

    _title = "profile"

    def __init__(self, profile: Any, reference: Reference, language: str = "nl"):
        self.profile, self.reference, self.language = profile, reference, language

    @property
    def tier(self) -> int:
        """The prevention tier (1, 2 or 3)."""
        return self.profile.tier.tier.number

    @property
    def illustration(self) -> dict[str, Any]:
        """Per stacked measure, the illustration assuming independence (a Decimal, one decimal; None where the
        figures contradict each other): a worked example, never a figure for the person."""
        return {measure: stack.combined for measure, stack in self.profile.stacks.items()}

    @property
    def highest_group(self) -> dict[str, Any]:
        """Per stacked measure, the highest group figure that applies to the person (a Decimal, as the source prints it)."""
        return {measure: stack.highest_group for measure, stack in self.profile.stacks.items()}

    def _table(self, language: str) -> tuple[list[str], list[dict[str, Any]]]:
        from .core.contract import PROFILE_FIELDS, profile_rows

        return PROFILE_FIELDS, profile_rows(self.profile, language)

    def _data(self, language: str) -> Any:
        from .core.contract import profile_data

        return profile_data(self.profile, self.reference, language)

    def _intro(self, language: str) -> list[str]:
        from .core.contract import reason

        return [reason(self.profile, language)]

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        """The documented JSON of a profile (schema/profiel.schema.json), as `eenzaam profiel -f json` prints it."""
        return self._plain(language)

    def __repr__(self) -> str:
        return f"<ProfileResult tier {self.tier} {self.highest_group}>"


class DjgResult(_Result):
    """A De Jong Gierveld score: `score` is the core `DjgScore`; `to_dict()` is `eenzaam djg -f json`."""

    def __init__(self, score: Any, reference: Reference, language: str = "nl"):
        self.score, self.reference, self.language = score, reference, language

    @property
    def total(self) -> int | None:
        return self.score.total

    @property
    def category(self) -> str | None:
        return self.score.category.id if self.score.category else None

    def _table(self, language: str) -> tuple[list[str], list[dict[str, Any]]]:
        from .core.contract import SCORE_FIELDS, score_rows

        return SCORE_FIELDS, score_rows(self.score, language)

    def _data(self, language: str) -> Any:
        from .core.contract import djg_data

        return djg_data(self.score)

    def _intro(self, language: str) -> list[str]:
        return [self.score.scale.name(language)]

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        return self._plain(language)

    def __repr__(self) -> str:
        return f"<DjgResult total {self.total} {self.category}>"


class PopulationResult(_Result):
    """A population profile: `result` is the core `PopulationProfile`; `to_dict()` is `eenzaam populatie -f json`;
    `records()` and `to_frame()` give one row per area, as its CSV."""

    _title = "population_title"

    def __init__(self, result: Any, reference: Reference, language: str = "nl"):
        self.result, self.reference, self.language = result, reference, language

    def _table(self, language: str) -> tuple[list[str], list[dict[str, Any]]]:
        from .core.contract import population_fields, population_rows

        return population_fields(self.result, self.reference), population_rows(self.result, language)

    def _data(self, language: str) -> Any:
        from .core.contract import population_data

        return population_data(self.result, self.reference, language)

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        return self._plain(language)

    def __repr__(self) -> str:
        return f"<PopulationResult {len(self.result.areas)} area(s), {self.result.segments} segment(s)>"


class PrevalenceResult(_Result):
    """Prevalence by age band: `result` is the core `Prevalence`; `records()` is `eenzaam prevalentie -f json`."""

    _title = "prevalence_title"

    def __init__(self, result: Any, reference: Reference, language: str = "nl"):
        self.result, self.reference, self.language = result, reference, language

    def _table(self, language: str) -> tuple[list[str], list[dict[str, Any]]]:
        from .core.contract import prevalence_fields, prevalence_rows

        return prevalence_fields(self.result), prevalence_rows(self.result)

    def __repr__(self) -> str:
        return f"<PrevalenceResult {', '.join(band.label for band in self.result.bands)}>"


class YearsResult(_Result):
    """Two monitor tables side by side: `result` is the core `YearComparison`;
    `records()` is `eenzaam prevalentie --vergelijk A B -f json`."""

    def __init__(self, result: Any, reference: Reference, language: str = "nl"):
        self.result, self.reference, self.language = result, reference, language

    def _table(self, language: str) -> tuple[list[str], list[dict[str, Any]]]:
        from .core.contract import comparison_fields, comparison_rows

        return comparison_fields(self.result), comparison_rows(self.result)

    def __repr__(self) -> str:
        return f"<YearsResult {self.result.years[0]} and {self.result.years[1]}>"


# --- the functions ----------------------------------------------------------------------------


def profile(person: Mapping[str, Any] | None = None, /, *, reference: Reference | None = None,
            language: str = "nl", **keys: Any) -> ProfileResult:
    """One person's profile, as `eenzaam profiel`: a dict of person keys, keyword arguments, or both.

    The keys are those of a person file: `leeftijd`, the factor ids (`burgerlijke_staat`, `opleiding`, …),
    `eenzaam`, `signalen` and the De Jong Gierveld answers (`djg` or `djg_1` … `djg_11`). A key given both in
    `person` and as a keyword must agree. Raises `InputError` naming the key for a value that does not fit.
    """
    reference = _reference(reference, language)
    tools = _tools(reference)
    _check("person", person, "een dict van persoonskenmerken", Mapping, type(None))
    items = [(_name(key), _bounded(_name(key), value), _name(key))
             for key, value in (*(person or {}).items(), *keys.items())]
    person_record = tools["reader"].read(items)
    return ProfileResult(tools["engine"].profile(person_record), reference, language)


def score_djg(answers: str | Iterable[Any] | Mapping[Any, Any], *, coding: str | None = None,
              max_missing: int | None = None, reference: Reference | None = None, language: str = "nl") -> DjgResult:
    """Score De Jong Gierveld answers, as `eenzaam djg`.

    `answers` is the text `eenzaam djg` takes (`"nee,ja,…"` or `"3=ja,4=nee,…"`), a list of 11 or 6 answers
    in the same order, or a dict from item number (3 or `"djg_3"`) to answer. `coding` reads numeric codes
    (`"handleiding"`, or pairs such as `"0=nee,1=min of meer,2=ja"`).
    """
    from .core.djg import Scorer

    reference = _reference(reference, language)
    _check("answers", answers, "tekst, een lijst of een dict van antwoorden", str, Mapping, Iterable)
    _check("coding", coding, "tekst", str, type(None))
    _check("max_missing", max_missing, "een geheel getal", int, type(None))
    scorer = Scorer(reference.djg, coding, max_missing)
    if isinstance(answers, Mapping):
        text = ",".join(f"{_name(item).lower().removeprefix('djg_')}={_text(value)}" for item, value in answers.items())
    elif isinstance(answers, str):
        text = answers
    else:
        text = ",".join(_text(value) for value in answers)
    return DjgResult(scorer.read(text, "antwoorden"), reference, language)


def population(segments: Any, *, reference: Reference | None = None, redistribute: bool = False,
               top_age: int | None = None, measure: str = "eenzaam", observed: Any = None, top: int = 10,
               language: str = "nl") -> PopulationResult:
    """A population profile, as `eenzaam populatie`: expected lonely people per area and band, tiers, focus groups.

    `segments` is a list of dicts (or any iterable of them), a pandas DataFrame, or the path of a CSV file:
    a column `aantal`, the person keys (`leeftijd` as an age or a band: `75-84`, `85+`) and optionally
    `gebied`. `observed` takes your own monitor figures the same ways (`--waargenomen`). Every bad row is
    reported at once (`InputProblems`, one line per row).
    """
    from .core.population import PopulationEngine

    reference = _reference(reference, language)
    _check("segments", segments, _ROWS, str, Path, Iterable)
    _check("observed", observed, _ROWS, str, Path, Iterable, type(None))
    _check("redistribute", redistribute, "True of False", bool)
    _check("top_age", top_age, "een leeftijd", int, type(None))
    _check("measure", measure, "een maat", str)
    _check("top", top, "een geheel getal vanaf 1", int)
    tools = _tools(reference)
    engine = PopulationEngine(reference, tools["engine"], tools["reader"])
    result = engine.profile(_rows(segments), redistribute=redistribute, top_age=top_age, measure=measure,
                            observed=list(_rows(observed)) if observed is not None else [], top=top)
    return PopulationResult(result, reference, language)


def prevalence(age: int | None = None, measure: str | None = None, *, reference: Reference | None = None,
               language: str = "nl") -> PrevalenceResult:
    """Loneliness by age band, as `eenzaam prevalentie`: every band, or the band of `age`; one measure or all."""
    from .core.prevalence import prevalence as look_up

    from .core.prevalence import parse_age

    reference = _reference(reference, language)
    _check("measure", measure, "een maat", str, type(None))
    age = parse_age(_check("age", age, "een leeftijd", int, str, type(None)), "age") if age is not None else None
    return PrevalenceResult(look_up(reference, age, measure), reference, language)


def compare_years(first: int, second: int, *, age: int | None = None, measure: str | None = None,
                  reference: Reference | None = None, language: str = "nl") -> YearsResult:
    """Two monitor tables side by side with the difference per band, as `eenzaam prevalentie --vergelijk`."""
    from .core.reference.years import compare

    from .core.prevalence import parse_age

    reference = _reference(reference, language)
    _check("first", first, "een jaartal", int, str)
    _check("second", second, "een jaartal", int, str)
    _check("measure", measure, "een maat", str, type(None))
    age = parse_age(_check("age", age, "een leeftijd", int, str, type(None)), "age") if age is not None else None
    return YearsResult(compare(reference, first, second, age=age, measure=measure, name="compare_years"),
                       reference, language)


def batch(rows: Any, *, reference: Reference | None = None, coding: str | None = None, strict: bool = False,
          language: str = "nl") -> Any:
    """Profile every row of a respondent file, as `eenzaam batch`, streamed.

    `rows` is a list (or iterable) of dicts, the path of a CSV file, or a pandas DataFrame. For rows and
    paths the result is a `BatchRun`: iterate it to get each profiled row (its own values, then the result
    columns of `eenzaam batch`), one at a time; rows that cannot be profiled are not yielded but listed in
    `run.rejected`. For a DataFrame the result is a DataFrame with every row, in order and with the same
    index: the result columns, and `afgewezen` with the reason where a row could not be profiled.
    """
    reference = _reference(reference, language)
    _check("rows", rows, _ROWS, str, Path, Iterable)
    _check("coding", coding, "tekst", str, type(None))
    _check("strict", strict, "True of False", bool)
    if _is_frame(rows):
        return BatchRun(reference, _frame_rows(rows), list(map(str, rows.columns)), coding, strict, language,
                        "DataFrame").frame(index=rows.index)
    if isinstance(rows, (str, Path)):
        return BatchRun(reference, None, None, coding, strict, language, str(rows), path=rows)
    if isinstance(rows, (list, tuple)):  # all there: the columns are every key of every row, in order
        header = list(dict.fromkeys(_name(key) for row in rows if isinstance(row, Mapping) for key in row))
        iterator: Iterator[Any] = iter(rows)
    else:  # streamed: the columns are the keys of the first row
        iterator = iter(rows)
        first = next(iterator, None)
        header = [_name(key) for key in first] if isinstance(first, Mapping) else []
        iterator = _chain(first, iterator) if first is not None else iter(())
    if not header:
        raise InputError("batch: geen rijen (verwacht dicts met kolomnamen en waarden)")
    return BatchRun(reference, iterator, header, coding, strict, language, "rijen")


class BatchRun(_Result):
    """A batch run, streamed: iterate once for the profiled rows; then `read`, `written`, `rejected` and the
    report (`to_dict()` is the JSON of `eenzaam batch --rapport r.json`)."""

    def __init__(self, reference: Reference, rows: Iterator[Mapping[str, Any]] | None, header: list[str] | None,
                 coding: str | None, strict: bool, language: str, name: str, path: str | Path | None = None):
        self.reference, self.language, self.name = reference, language, name
        self._rows, self._header, self._coding, self._strict, self._path = rows, header, coding, strict, path
        self.read = self.written = 0
        self.rejected: list[dict[str, Any]] = []  # rij, kolom, waarde, reden: the CLI's --fouten columns
        self._rejected_rows = 0  # a row with two bad columns is two entries of `rejected`, one rejected row
        self.columns: list[str] = []  # the result columns, known once the run has started
        self._tally: Any = None
        self._started = self._done = False

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row, cells, _ in self._run():
            if cells is not None:
                yield row | cells

    def _run(self) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        """(row as given, result cells or None, reason or None) for every row, rejected ones included."""
        if self._started:
            raise RuntimeError("a batch run streams its rows once; call batch() again to run it again")
        self._started = True
        if self._path is not None:
            from .core.files.tabular import RowError, open_table

            with open_table(self._path) as table:
                rows = ((line, row) for line, row in table.rows(empty_ok=True, keep_going=True))
                yield from self._profile(table.header, rows, table.file, RowError)
        else:
            assert self._rows is not None and self._header is not None
            yield from self._profile(self._header, enumerate(self._rows, 1), self.name, None)
        self._done = True

    def _profile(self, header: list[str], rows: Iterable[tuple[int, Any]], file: str,
                 row_error: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        from .core.batch import BatchEngine, Tally
        from .core.djg import Scorer
        from .core.contract import json_value

        where = (lambda line: f"{file}:{line}") if self._path is not None else (lambda line: f"rij {line}")
        engine = BatchEngine(self.reference, header, Scorer(self.reference.djg, coding=self._coding), file=file,
                             where=where)
        self.columns = list(engine.columns)
        self._tally = Tally(engine.measures, weighted=False)
        known = set(header)
        for line, row in rows:
            self.read += 1
            given = row if isinstance(row, Mapping) else {}
            try:
                if row_error is not None and isinstance(row, row_error):
                    raise row
                extra = [key for key in given if _name(key) not in known]
                if extra:
                    raise InputError(f"{where(line)}: kolom {extra[0]!r} staat niet in de eerste rij (gestreamde rijen hebben "
                                     "de kolommen van de eerste rij; geef een lijst of een DataFrame)")
                text = {column: _text(given.get(column)) for column in header}
                cells, result = engine.row(text, line)
            except InputError as error:
                problems = engine.problems(line, given, error)
                self.rejected += [{"rij": problem.line, "kolom": problem.column, "waarde": problem.value,
                                   "reden": problem.reason} for problem in problems]
                self._rejected_rows += 1
                if self._strict:
                    raise
                yield dict(given), None, "; ".join(problem.reason if not problem.column else
                                                   f"{problem.column}: {problem.reason}" for problem in problems)
                continue
            self._tally.add(result[0].group, result[-1])
            self.written += 1
            yield dict(given), dict(zip(self.columns, map(json_value, self.columns, cells))), None

    def frame(self, index: Any = None) -> Any:
        """Run it all into a DataFrame: every row with its result columns, and `afgewezen` (the reason, or None)."""
        import pandas

        records = []
        for row, cells, reason in self._run():
            records.append(row | (cells or dict.fromkeys(self.columns)) | {"afgewezen": reason})
        frame = pandas.DataFrame.from_records(records)
        if index is not None and len(index) == len(frame):
            frame.index = index
        return frame

    def to_frame(self, language: str | None = None) -> Any:
        return self.frame()

    def _finish(self) -> None:
        if not self._done:
            for _ in self._run() if not self._started else ():
                pass
            if not self._done:
                raise RuntimeError("the batch run was not read to its end")

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        """The report of the run (read to its end first), as `eenzaam batch --rapport r.json` writes it."""
        return self._plain(language)

    def _data(self, language: str) -> Any:
        from .core.contract import report_data

        self._finish()
        return report_data(self._tally, self.reference, language, file=self.name, read=self.read,
                           written=self.written, rejected=self._rejected_rows, weight=None)

    def records(self, language: str | None = None) -> list[dict[str, Any]]:
        return list(self)

    def _repr_html_(self) -> str:
        from html import escape

        from .core.contract import report_accounting, report_tables
        from .notebook import page, table

        if not self._done:
            return f"<p>{escape(repr(self))}</p>"
        data = self._data(self.language)
        return page([f"<p>{escape(report_accounting(data, self.language))}</p>",
                     *(table(title, headers, rows) for title, headers, rows in
                       report_tables(data, self.reference, self.language))])

    def __repr__(self) -> str:
        state = "done" if self._done else "started" if self._started else "not started"
        return (f"<BatchRun {self.name}: {state}, {self.read} read = {self.written} written "
                f"+ {self._rejected_rows} rejected>")


# --- input: lists of dicts, DataFrames, CSV files ---------------------------------------------------


def _is_frame(value: Any) -> bool:
    """A pandas DataFrame, recognised without importing pandas."""
    return type(value).__name__ == "DataFrame" and hasattr(value, "to_dict") and hasattr(value, "columns")


def _frame_rows(frame: Any) -> Iterator[dict[str, Any]]:
    columns = [str(column) for column in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        yield dict(zip(columns, values))


def _rows(source: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, row) for every row, as the population engine reads them; values as the text a CSV holds."""
    if _is_frame(source):
        source = _frame_rows(source)
    elif isinstance(source, (str, Path)):
        from .core.population import table_rows

        yield from table_rows(source)
        return
    for number, row in enumerate(source, 1):
        if not isinstance(row, Mapping):
            raise InputError(f"rij {number}: verwacht een dict met sleutels en waarden, geen {type(row).__name__}")
        yield f"rij {number}", {_name(key): _text(value) for key, value in row.items()}


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _bounded(name: str, value: Any) -> Any:
    """`value`, unless it is or holds a whole number too long to write as text (Python writes at most 4,300
    digits), which every reader would meet as text."""
    if isinstance(value, int) and value.bit_length() > 13_000:
        raise InputError(f"{name}: een getal van meer dan 3.900 cijfers kan niet")
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _bounded(name, item)
    elif isinstance(value, dict):
        for item in value.items():
            _bounded(name, item)
    return value


def _name(key: Any) -> str:
    """A key of a dict as the name of a column or person key."""
    return str(_bounded("sleutel", key))


def _text(value: Any) -> str:
    """A value as the text a CSV cell would hold: 45.0 as 45, NaN, NA and None as empty."""
    _bounded("waarde", value)
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a NumPy scalar
        value = value.item()
    from .core.files.formats import text

    return text(value)


def _json(value: Any) -> str:
    from .core.contract import to_json

    return to_json(value)
