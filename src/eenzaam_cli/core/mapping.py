"""A koppeling: an analyst's column names, value codes and missing codes, mapped onto the keys the tool reads.

A koppeling comes from a YAML file (`--koppeling`, validated by `schema.MappingFile`) and from `--kolom DOEL=BRON`
options, which override the file's `kolommen` entry for the same target. It is checked against the reference
before any row is read: every target is a key the tool knows, every code's value is one the key accepts. Its two
uses cost nothing per row:

* `header` renames a table's header once: each mapped source column is read as its target key;
* `value` turns a cell's text into the text the key's reader takes: a missing code into '' (a missing answer), a
  code into its value, anything else as written. The readers call it where a text is first read (the batch
  engine's caches, the scorer), so each distinct text is translated once.

Codes are matched as written, with a number read as a number (`5`, `5.0` and `05` are one code) and a text in the
forgiving way of the readers (case, spaces). Output rows keep their cells as the file holds them.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping as Map, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .djg import ITEM_COLUMN
from .errors import InputError
from .person import AGE, LONELY, SIGNALS, PersonReader, column_keys, normalise
from .reference.model import Reference

WEIGHT, AREA, COUNT = "gewicht", "gebied", "aantal"  # keys a command reads besides a person's
_FREE = (WEIGHT, AREA, COUNT)  # keys whose code values are not checked against the reference


def code(text: Any) -> str:
    """A code as it is matched: '5', ' 5.0 ' and '05' -> '5'; 'Weet niet' -> 'weet_niet'."""
    written = str(text).strip()
    if len(written) <= 30:
        try:
            number = Decimal(written.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite() and number == number.to_integral_value():
            return str(int(number))
    return normalise(written)


class Mapping:
    """Column renames (target -> source), and per target key the codes that become a value or a missing answer."""

    def __init__(self, columns: Map[str, str], places: Map[str, str], codes: Map[str, Map[str, str]],
                 missing: Map[str, frozenset[str]], everywhere: frozenset[str]):
        self.columns = dict(columns)  # target key -> source column
        self.places = dict(places)  # target key -> where it was mapped (file:line: kolommen: key, or --kolom key)
        missing_all = dict.fromkeys(everywhere, "")
        self._tables = {key: {**missing_all, **dict.fromkeys(missing.get(key, ()), ""), **codes.get(key, {})}
                        for key in {*codes, *missing}}
        self._everywhere = missing_all

    def header(self, header: Sequence[str], file: str) -> list[str]:
        """The header as the tool reads it: each mapped source column named by its target key.

        A mapped column that is not in the file, or a target that the file also has as a column of its own, is an
        InputError naming where it was mapped.
        """
        names = list(header)
        index = {column: position for position, column in enumerate(header)}
        keys = column_keys(header, f"{file}:1", set(self.columns))
        own = {key: column for column, key in zip(header, keys) if key is not None}
        for target, source in self.columns.items():
            if source not in index:
                raise InputError(f"{self.places[target]}: de kolom {source!r} staat niet in {file} "
                                 f"(kolommen: {', '.join(header)})")
            if target in own and own[target] != source and own[target] not in self.columns.values():
                raise InputError(f"{self.places[target]}: {file} heeft zelf al een kolom {own[target]!r} voor "
                                 f"{target!r}; koppel er één")
            names[index[source]] = target
        return names

    def source(self, name: str) -> str:
        """The file's own name of a column the header renamed (else the name itself)."""
        return self.columns.get(name, name)

    def value(self, key: str, text: str) -> str:
        """The text `key`'s reader takes for a cell: '' for a missing code, a code's value, else the text as written."""
        table = self._tables.get(key, self._everywhere)
        return table.get(code(text), text) if table and text is not None else text

    def rows(self, rows: Iterable[tuple[str, Map[str, Any]]]) -> Iterator[tuple[str, dict[str, Any]]]:
        """(where, row) with the columns renamed and every known key's value translated (segment files: per row)."""
        names: dict[tuple, list[str]] = {}
        for where, row in rows:
            columns = tuple(row)
            renamed = names.get(columns)
            if renamed is None:
                renamed = names[columns] = self.header(columns, where.rpartition(":")[0] or where)
            yield where, {name: self.value(normalise(name), value) if isinstance(value, str) else value
                          for name, value in zip(renamed, row.values())}


def load_mapping(reference: Reference, path: str | None, pairs: Sequence[str] = ()) -> Mapping | None:
    """The koppeling of `--koppeling path` and `--kolom DOEL=BRON` pairs (these win); None when neither is given.

    Every problem is one InputError naming the file and line (or the option) and what is allowed.
    """
    if path is None and not pairs:
        return None
    checker = _Checker(reference)
    columns: dict[str, str] = {}
    places: dict[str, str] = {}
    codes: dict[str, dict[str, str]] = {}
    missing: dict[str, frozenset[str]] = {}
    everywhere: frozenset[str] = frozenset()
    if path is not None:
        document, lines, file = _read(path)

        def at(*location: Any) -> str:
            from .files.yamlfile import line_of, render_location

            return f"{file}:{line_of(lines, location) or 1}: {render_location(location)}"

        for target, source in document.kolommen.items():
            key = checker.target(target, at("kolommen", target))
            columns[key], places[key] = source.strip(), at("kolommen", target)
        for target, table in document.codes.items():
            key = checker.target(target, at("codes", target))
            codes[key] = {}
            for written, value in table.items():
                where = at("codes", target, written)
                codes[key][code(written)] = checker.value(key, str(value), where)
        if isinstance(document.ontbrekend, list):
            everywhere = frozenset(code(item) for item in document.ontbrekend)
        else:
            for target, items in document.ontbrekend.items():
                missing[checker.target(target, at("ontbrekend", target))] = frozenset(code(item) for item in items)
        for key, table in codes.items():
            clash = next((c for c in table if c in everywhere or c in missing.get(key, ())), None)
            if clash is not None:
                raise InputError(f"{at('codes', key)}: de code {clash!r} staat ook bij ontbrekend; geef haar één "
                                 "betekenis")
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source.strip():
            raise InputError(f"--kolom: {pair!r} heeft niet de vorm DOEL=BRON (bijv. leeftijd=AGLFA401)")
        key = checker.target(target, f"--kolom {target.strip()}")
        columns[key], places[key] = source.strip(), f"--kolom {target.strip()}"
    sources: dict[str, str] = {}
    for key, source in columns.items():
        if source in sources:
            raise InputError(f"{places[key]}: de kolom {source!r} is al gekoppeld aan {sources[source]!r}; koppel elke "
                             "kolom aan één sleutel")
        sources[source] = key
    return Mapping(columns, places, codes, missing, everywhere)


def _read(path: str) -> tuple[Any, dict, str]:
    """The validated koppeling file, its lines and its name; InputError with the line of the first problem."""
    from pydantic import ValidationError

    from .files.yamlfile import line_of, read_input, render_location
    from .reference.schema import MappingFile
    from .reference.validation import problem_message

    data, lines, file = read_input(path)
    if data is None:
        data = {}
    if isinstance(data, dict):  # `kolommen:` with only comments under it is empty
        data = {key: value for key, value in data.items() if value is not None}
    if not isinstance(data, dict):
        raise InputError(f"{file}:1: verwacht de sleutels kolommen, codes en ontbrekend (zie schema/koppeling.schema.json)")
    try:
        return MappingFile.model_validate(data), lines, file
    except ValidationError as error:
        detail = error.errors()[0]
        location = tuple(part for part in detail["loc"] if not str(part).startswith(("list[", "dict[", "str", "int")))
        raise InputError(f"{file}:{line_of(lines, location) or 1}: {render_location(location) or 'koppeling'}: "
                         f"{problem_message(detail, MappingFile)}") from None


class _Checker:
    """Checks a koppeling against the reference: its targets are keys the tool reads, its values ones they take."""

    def __init__(self, reference: Reference):
        self.reader = PersonReader(reference)
        items = sorted({item for scale in reference.djg.scales for item in scale.items})
        self.keys = {AGE, LONELY, SIGNALS, *reference.factors, *(f"djg_{item}" for item in items), *_FREE}
        self.allowed = ", ".join([AGE, LONELY, SIGNALS, f"djg_{items[0]} … djg_{items[-1]}",
                                  *(f for f in reference.factors if f != AGE), *_FREE])

    def target(self, written: str, where: str) -> str:
        key = column_keys([written], where, self.keys)[0]
        if key is None:
            raise InputError(f"{where}: {written.strip()!r} is geen sleutel van het hulpmiddel (toegestaan: "
                             f"{self.allowed})")
        return key

    def value(self, key: str, value: str, where: str) -> str:
        """The value a code stands for, checked as the key's reader would read it in a row."""
        if key not in _FREE:
            item = ITEM_COLUMN.match(key)
            if item:
                self.reader.scorer.answer(value, int(item.group(1)), where.rpartition(": ")[0])
            else:
                self.reader.read([(key, value, where)])
        return value


# --- a starting koppeling from a file's header and value labels (`eenzaam data koppeling`) -------------------


def starter(reference: Reference, file: str, header: Sequence[str], labels: Map[str, Map[str, str]]) -> str:
    """A koppeling file (YAML text) for a table: the columns it can place filled in, every other one a `# TODO` line.

    A column is placed by its name (`Burgerlijke staat`, `DJG_01`), or by its value labels when they are levels of
    exactly one factor (labels that are missing words, such as "weet niet", aside). A `# TODO: KOLOM` line becomes
    `sleutel: KOLOM` once the analyst knows the key; the file loads with --koppeling as it is and once completed.
    """
    checker = _Checker(reference)
    missing = checker.reader.scorer.is_missing
    answers = {normalise(v) for answer in reference.djg.answers for v in (*answer.variants, answer.id)}
    levels = {factor.id: {normalise(level.value) for level in factor.levels}
              for factor in reference.factors.values() if factor.input == "keuze"}
    placed: list[str] = []
    todo: list[str] = []
    taken: set[str] = set()
    for column in header:
        codes = labels.get(column, {})
        written = {normalise(label) for label in codes.values() if not missing(label)}
        key = column_keys([column], f"{file}:1", checker.keys)[0]
        how = "de naam"
        if key is None and written:
            fits = [factor for factor, names in levels.items() if written <= names]
            key, how = (fits[0], "de waardelabels") if len(fits) == 1 else (None, "")
        listing = ", ".join(f"{code}={label}" for code, label in list(codes.items())[:12])
        if key is not None and key not in taken:
            taken.add(key)
            placed.append(f"  {_scalar(key)}: {_scalar(column)}  # herkend aan {how}")
            continue
        hint = f"  (labels: {listing})" if listing else ""
        if written and written <= answers:
            hint += "; een De Jong Gierveld-item: djg_1 … djg_11"
        todo.append(f"  # TODO: {_scalar(column)}{hint}")
    explained = textwrap.wrap(f"kolommen: sleutel van eenzaam: kolom in het bestand. Maak van elke regel '# TODO: "
                              f"KOLOM' de regel 'sleutel: KOLOM' (sleutels: {checker.allowed}), of laat hem staan "
                              "voor een kolom die ongelezen meegaat.", 100, break_on_hyphens=False)
    lines = [f"# Koppeling voor {file}, begonnen door `eenzaam data koppeling`; gebruik: --koppeling BESTAND.",
             *(f"# {line}" for line in explained),
             "kolommen:", *placed, *todo,
             "# codes: per sleutel code: waarde, bijv. burgerlijke_staat: {1: gehuwd, 2: gescheiden, 5: verweduwd}",
             "codes: {}",
             "# ontbrekend: codes die een ontbrekend antwoord zijn, bijv. [9, 999] (de ontbrekende waarden die een",
             "# SPSS-bestand zelf noemt, zijn dat al)",
             "ontbrekend: []"]
    return "\n".join(lines) + "\n"


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_NULLS = frozenset({"null", "Null", "NULL", "~"})


def _scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly `text` (plain where it can be, else a JSON string)."""
    return text if _PLAIN.fullmatch(text) and text not in _NULLS else json.dumps(text, ensure_ascii=False)
