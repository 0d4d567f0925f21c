"""Validate data files with pydantic, cross-check them, and compile a Reference.

Every problem is reported with its file, line and field, in Dutch, with what
is allowed; nothing here raises for bad data.
"""

from __future__ import annotations

import re
import typing
from decimal import Decimal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import model, schema
from ..errors import Problem
from ..files.reading import MAX_FILE_BYTES, ReadError, read_text
from ..files.tabular import open_table
from ..files.yamlfile import Location, line_of, load_yaml, render_location

SOURCES = "bronnen.yaml"
MONITOR_KEYS = ("groep", "leeftijd_van", "leeftijd_tot", "bron", "jaar", "gebied", "notitie")
_OPTIONAL_KEYS = ("gebied", "notitie")


class _File:
    """One parsed and validated file: its model, line map and problems."""

    def __init__(self, role: str, path: Path):
        self.role, self.path, self.name = role, path, str(path)
        self.lines: dict[Location, int] = {}
        self.problems: list[Problem] = []
        self.model: Any = None

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(Problem(self.name, line_of(self.lines, location), render_location(location), message))


def validate(files: dict[str, Path], bundled: Path) -> tuple[model.Reference | None, list[Problem]]:
    """The compiled reference of `files` (one per role), or the problems found in them.

    Every other role is a user's own bronnen.yaml, whose sources are added to those of the
    bundled one, or a monitor table. `bundled` is the folder of the bundled data: a user's table
    replaces the bundled table of its year.
    """
    parsed = {role: _validate_yaml(role, files[role]) for role in schema.FILE_MODELS}
    own = [_validate_yaml(SOURCES, path) for role, path in files.items()
           if role not in schema.FILE_MODELS and path.name == SOURCES]
    measures = parsed["maten.yaml"].model
    monitors = [_validate_monitor(path, [m.id for m in measures.maten] if measures else None)
                for role, path in files.items() if role not in schema.FILE_MODELS and path.name != SOURCES]
    every = (*parsed.values(), *own, *monitors)
    problems = [p for f in every for p in f.problems]
    if problems:
        return None, problems
    bundled = bundled.resolve()
    checks = _CrossCheck(parsed, monitors, bundled, own)
    checks.run()
    problems = [p for f in every for p in f.problems]
    if problems:
        return None, problems
    return _compile(parsed, checks, files, bundled), []


# --- per file -------------------------------------------------------------------------------


def _validate_yaml(role: str, path: Path) -> _File:
    file = _File(role, path)
    try:
        text, _ = read_text(path)
    except ReadError as error:
        file.problems.append(error.problem)
        return file
    data, file.lines, file.problems = load_yaml(text, file.name)
    if file.problems:
        return file
    root = schema.FILE_MODELS[role]
    try:
        file.model = root.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            location = tuple(detail["loc"])
            file.problem(location, problem_message(detail, root))
    return file


def _validate_monitor(path: Path, known: list[str] | None) -> _File:
    """Read the monitor CSV; `known` are the measures of maten.yaml (None when that file failed)."""
    file = _File("monitor.csv", path)
    rows: list[tuple[int, schema.MonitorRow]] = []
    measures: list[str] = []
    try:
        with open_table(path, max_bytes=MAX_FILE_BYTES) as table:
            columns = _monitor_columns(file, table.header, known)
            if columns is None:
                return file
            measures, unknown = columns
            for line, row in table.rows():
                record = _monitor_record(file, line, row, measures, unknown, table.number)
                checked = None if record is None else _monitor_row(file, line, record)
                if checked is not None:
                    rows.append((line, checked))
    except ReadError as error:
        file.problems.append(error.problem)
    file.model = (measures if not file.problems else [], rows)
    return file


def _monitor_columns(file: _File, header: list[str], known: list[str] | None) -> tuple[list[str], list[str]] | None:
    """(the measures, the unknown columns) of a monitor table's header; None when a column is missing."""
    missing = [k for k in MONITOR_KEYS if k not in header and k not in _OPTIONAL_KEYS]
    if missing:
        file.problems.append(Problem(file.name, 1, "", f"kolom ontbreekt: {', '.join(missing)}"))
        return None
    measures = [c for c in header if c not in MONITOR_KEYS]
    unknown = [m for m in measures if known is not None and m not in known]
    if unknown:
        # Once, at the header: not once per row as a value that "is geen getal".
        file.problems.append(Problem(file.name, 1, "", f"onbekende kolom(men) {', '.join(unknown)} "
                                     f"(maten: {', '.join(known or ())}; overige kolommen: {', '.join(MONITOR_KEYS)})"))
    return [m for m in measures if m not in unknown], unknown


def _monitor_record(file: _File, line: int, row: dict[str, str], measures: list[str], unknown: list[str],
                    number: Callable[[str], Decimal | None]) -> dict[str, Any] | None:
    """One row of a monitor table as the fields of a MonitorRow; None after noting the first cell that is no number."""
    record: dict[str, Any] = {"waarden": {}}
    for column, text in row.items():
        try:
            if column in unknown:
                continue
            if column in measures:
                record["waarden"][column] = number(text)
            elif column in ("leeftijd_van", "leeftijd_tot", "jaar"):
                value = number(text)
                if value is not None and value != int(value):
                    raise ValueError(f"{text.strip()!r} is geen geheel getal")
                record[column] = None if value is None else int(value)
            elif text.strip():
                record[column] = text.strip()
        except ValueError as error:
            file.problems.append(Problem(file.name, line, column, str(error)))
            return None
    return record


def _monitor_row(file: _File, line: int, record: dict[str, Any]) -> schema.MonitorRow | None:
    """The record as a MonitorRow; None after noting what pydantic found wrong with it."""
    try:
        return schema.MonitorRow.model_validate(record)
    except ValidationError as error:
        for detail in error.errors():
            field = ".".join(str(p) for p in detail["loc"] if p != "waarden") or ""
            file.problems.append(Problem(file.name, line, field, problem_message(detail, schema.MonitorRow)))
        return None


# --- pydantic errors in Dutch ------------------------------------------------------------------

_TEMPLATES = {
    "missing": "ontbreekt",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een mapping (sleutel: waarde) zijn",
    "model_type": "moet een mapping (sleutel: waarde) zijn",
    "model_attributes_type": "moet een mapping (sleutel: waarde) zijn",
    "string_too_short": "mag niet leeg zijn",
    "too_short": "moet minstens {min_length} element(en) hebben",
    "too_long": "mag hoogstens {max_length} element(en) hebben",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than_equal": "mag hoogstens {le} zijn",
    "string_pattern_mismatch": "ongeldige id: alleen kleine letters, cijfers en _, beginnend met een letter",
}


def problem_message(detail: dict[str, Any], root: type[BaseModel]) -> str:
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, tuple(detail["loc"])[:-1])
        return "onbekende sleutel" + (f" (toegestaan: {', '.join(allowed)})" if allowed else "")
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    if kind == "string_pattern_mismatch" and "=" in str(context.get("pattern", "")):
        message = "moet de vorm 'factor=niveau' hebben"
    elif kind == "literal_error":
        message = "moet een van deze zijn: " + _dutch_list(str(context.get("expected", "")))
    elif kind in _TEMPLATES:
        message = _TEMPLATES[kind].format(**{k: str(v) for k, v in context.items()})
    else:
        message = detail["msg"]
    if kind != "missing":
        value = detail.get("input")
        if value is None or isinstance(value, (Decimal, str, int, float, bool)):
            message += f" (gekregen: {shown_value(value)})"
    return message


def shown_value(value: Any) -> str:
    """A value as the file wrote it: 'tekst', 52.5, true, leeg; never Python's None or True."""
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return repr(value)


def _dutch_list(expected: str) -> str:
    """Pydantic's "'keuze', 'ja_nee' or 'aantal'" -> "'keuze', 'ja_nee' of 'aantal'"."""
    items = re.split(r", | or ", expected)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " of " + items[-1]


def _allowed_keys(root: type[BaseModel], location: Location) -> list[str]:
    """The field names of the model at `location`, for 'unknown key' messages."""
    hint: Any = root
    for part in location:
        target = _unwrap_model(hint)
        if target is None:
            break
        if isinstance(part, int):
            continue
        field = target.model_fields.get(str(part))
        if field is None:
            return []
        hint = field.annotation
    target = _unwrap_model(hint)
    return list(target.model_fields) if target else []


def _unwrap_model(hint: Any) -> type[BaseModel] | None:
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint
    for arg in typing.get_args(hint):
        found = _unwrap_model(arg)
        if found is not None:
            return found
    return None


# --- across files ------------------------------------------------------------------------------


class _CrossCheck:
    """Checks that need more than one record: unique ids and resolving references."""

    def __init__(self, parsed: dict[str, _File], monitors: list[_File], bundled: Path, own: list[_File]):
        self.files = parsed
        self.monitors = monitors
        self.bundled = bundled
        self.tables: dict[int, _File] = {}  # year -> its monitor table (filled by _monitor_years)
        self.sources = self._ids(SOURCES, ("bronnen",), parsed[SOURCES].model.bronnen)
        self._own_sources(own)
        self.measures = self._ids("maten.yaml", ("maten",), parsed["maten.yaml"].model.maten)
        self.stages = self._ids("levensfasen.yaml", ("levensfasen",), parsed["levensfasen.yaml"].model.levensfasen)
        self.factors = self._ids("risicofactoren.yaml", ("factoren",), parsed["risicofactoren.yaml"].model.factoren)

    def _ids(self, role: str, location: Location, records: list[Any]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for index, record in enumerate(records):
            if record.id in seen:
                self.files[role].problem(location + (index, "id"), f"dubbele id {record.id!r}")
            seen[record.id] = record
        return seen

    def _own_sources(self, own: list[_File]) -> None:
        """Add the user's own sources to the bundled ones; an entry with a bundled id replaces it. The same id
        twice in the user's files is a problem of the second, naming the first."""
        seen: dict[str, tuple[str, int | None]] = {}  # id -> the file and line of the user's entry
        for file in own:
            for index, source in enumerate(file.model.bronnen):
                location: Location = ("bronnen", index, "id")
                if source.id in seen:
                    first = seen[source.id]
                    file.problem(location, f"dubbele id {source.id!r}" if first[0] == file.name else
                                 f"bron {source.id!r} staat al in {first[0]}:{first[1]}; geef elke eigen bron één keer")
                    continue
                seen[source.id] = (file.name, line_of(file.lines, location))
                self.sources[source.id] = source

    def _source(self, role: str, location: Location, key: str) -> None:
        if key not in self.sources:
            self.files[role].problem(location, f"onbekende bron {key!r} (niet in bronnen.yaml)")

    def run(self) -> None:
        self._measures()
        self._factors()
        self._overlaps()
        self._stages()
        self._tiers()
        self._signals()
        self._interventions()
        self._djg()
        self._examples()
        for monitor in self.monitors:
            self._monitor(monitor)
        self._monitor_years()

    def _factors(self) -> None:
        role = "risicofactoren.yaml"
        for i, factor in enumerate(self.files[role].model.factoren):
            at: Location = ("factoren", i)
            for j, key in enumerate(factor.bron):
                self._source(role, at + ("bron", j), key)
            for j, level in enumerate(factor.niveaus):
                for k, figure in enumerate(level.cijfers):
                    here = at + ("niveaus", j, "cijfers", k)
                    self._source(role, here + ("bron",), figure.bron)
                    measure = self.measures.get(figure.maat)
                    if measure is None:
                        self.files[role].problem(here + ("maat",), f"onbekende maat {figure.maat!r} (toegestaan: {', '.join(self.measures)})")
                    elif figure.grondslag is not None and not measure.stapelbaar:
                        self.files[role].problem(here + ("grondslag",), f"maat {figure.maat!r} is niet stapelbaar (maten.yaml); laat grondslag weg")
                    elif figure.grondslag == "bevolking" and measure.bevolking is None:
                        self.files[role].problem(here + ("grondslag",), f"maat {figure.maat!r} heeft geen bevolkingscijfer (maten.yaml: bevolking)")
                if level.bron is not None:
                    self._source(role, at + ("niveaus", j, "bron"), level.bron)
            if factor.invoer == "aantal":
                self._ranges(role, at, factor)

    def _ranges(self, role: str, at: Location, factor: schema.Factor) -> None:
        """Count levels must cover 0 and up without gaps or overlaps, the last one open."""
        expected = 0
        for j, level in enumerate(factor.niveaus):
            bounds = level.bereik
            assert bounds is not None
            low = bounds.min if bounds.min is not None else 0
            if low != expected:
                self.files[role].problem(at + ("niveaus", j, "bereik"), f"moet aansluiten: verwacht min {expected}, gekregen {low}")
                return
            if bounds.max is None:
                if j != len(factor.niveaus) - 1:
                    self.files[role].problem(at + ("niveaus", j, "bereik"), "alleen het laatste bereik mag open zijn (zonder max)")
                return
            if bounds.max < low:
                self.files[role].problem(at + ("niveaus", j, "bereik"), "max is kleiner dan min")
                return
            expected = bounds.max + 1
        self.files[role].problem(at + ("niveaus",), "het laatste bereik moet open zijn (zonder max)")

    def _measures(self) -> None:
        role = "maten.yaml"
        for i, measure in enumerate(self.files[role].model.maten):
            if measure.bevolking is not None:
                self._source(role, ("maten", i, "bevolking", "bron"), measure.bevolking.bron)
            if measure.deel_van is not None and measure.deel_van not in self.measures:
                self.files[role].problem(("maten", i, "deel_van"), f"onbekende maat {measure.deel_van!r} (toegestaan: {', '.join(self.measures)})")

    def _overlaps(self) -> None:
        role = "risicofactoren.yaml"
        for i, overlap in enumerate(self.files[role].model.overlap):
            self._source(role, ("overlap", i, "bron"), overlap.bron)
            for side in ("groep", "door"):
                for j, selector in enumerate(getattr(overlap, side)):
                    factor_id, _, value = selector.partition("=")
                    factor = self.factors.get(factor_id)
                    if factor is None:
                        self.files[role].problem(("overlap", i, side, j), f"onbekende factor {factor_id!r}")
                    elif value and value not in {level.waarde for level in factor.niveaus}:
                        allowed = ", ".join(level.waarde for level in factor.niveaus)
                        self.files[role].problem(("overlap", i, side, j), f"factor {factor_id!r} heeft geen niveau {value!r} (toegestaan: {allowed})")

    def _stages(self) -> None:
        for i, stage in enumerate(self.files["levensfasen.yaml"].model.levensfasen):
            self._source("levensfasen.yaml", ("levensfasen", i, "bron"), stage.bron)

    def _tiers(self) -> None:
        role = "niveaus.yaml"
        tiers = self.files[role].model
        for i, tier in enumerate(tiers.niveaus):
            self._source(role, ("niveaus", i, "bron"), tier.bron)
        self._source(role, ("preventiemodel", "bron"), tiers.preventiemodel.bron)
        scales = self.files["djg.yaml"].model.schalen
        for i, rule in enumerate(tiers.regels):
            if rule.bron is not None:
                self._source(role, ("regels", i, "bron"), rule.bron)
            for scale in scales if rule.indicator else ():
                if rule.indicator not in {indicator.id for indicator in scale.indicatoren}:
                    self.files[role].problem(("regels", i, "indicator"), f"schaal {scale.id!r} in djg.yaml heeft geen indicator {rule.indicator!r}")

    def _signals(self) -> None:
        role = "signalen.yaml"
        signals = self.files[role].model
        self._source(role, ("bron",), signals.bron)
        self._ids(role, ("categorieen",), signals.categorieen)
        seen: set[str] = set()
        for i, category in enumerate(signals.categorieen):
            for j, signal in enumerate(category.signalen):
                if signal.id in seen:
                    self.files[role].problem(("categorieen", i, "signalen", j, "id"), f"dubbele id {signal.id!r}")
                seen.add(signal.id)

    def _interventions(self) -> None:
        role = "interventies.yaml"
        interventions = self.files[role].model.interventies
        self._ids(role, ("interventies",), interventions)
        for i, intervention in enumerate(interventions):
            at: Location = ("interventies", i)
            for j, key in enumerate(intervention.bron):
                self._source(role, at + ("bron", j), key)
            for j, stage in enumerate(intervention.levensfasen):
                if stage not in self.stages:
                    self.files[role].problem(at + ("levensfasen", j), f"onbekende levensfase {stage!r} (toegestaan: {', '.join(self.stages)})")
            for j, group in enumerate(intervention.risicogroepen):
                factor_id, _, value = group.partition("=")
                factor = self.factors.get(factor_id)
                if factor is None:
                    self.files[role].problem(at + ("risicogroepen", j), f"onbekende factor {factor_id!r}")
                elif value not in {level.waarde for level in factor.niveaus}:
                    allowed = ", ".join(level.waarde for level in factor.niveaus)
                    self.files[role].problem(at + ("risicogroepen", j), f"factor {factor_id!r} heeft geen niveau {value!r} (toegestaan: {allowed})")

    def _djg(self) -> None:
        role = "djg.yaml"
        key = self.files[role].model
        self._source(role, ("bron",), key.bron)
        answers = {answer.id for answer in key.antwoorden}
        for i, coding in enumerate(key.coderingen):
            self._source(role, ("coderingen", i, "bron"), coding.bron)
            for code, answer in coding.codes.items():
                if answer not in answers:
                    self.files[role].problem(("coderingen", i, "codes", code), f"onbekend antwoord {answer!r} (toegestaan: {', '.join(sorted(answers))})")
        for i, scale in enumerate(key.schalen):
            at: Location = ("schalen", i)
            for field in ("bron", "categorieen_bron"):
                self._source(role, at + (field,), getattr(scale, field))
            self._source(role, at + ("ontbrekend", "bron"), scale.ontbrekend.bron)
            if scale.volgorde is not None:
                self._source(role, at + ("volgorde", "bron"), scale.volgorde.bron)
            for j, sub in enumerate(scale.subschalen):
                for k, answer in enumerate(sub.scoort_bij):
                    if answer not in answers:
                        self.files[role].problem(at + ("subschalen", j, "scoort_bij", k), f"onbekend antwoord {answer!r} (toegestaan: {', '.join(sorted(answers))})")
            for j, indicator in enumerate(scale.indicatoren):
                self._source(role, at + ("indicatoren", j, "bron"), indicator.bron)
                if indicator.maat not in self.measures:
                    self.files[role].problem(at + ("indicatoren", j, "maat"), f"onbekende maat {indicator.maat!r} (toegestaan: {', '.join(self.measures)})")

    def _examples(self) -> None:
        """Every step of an example names a real factor and a value it can take; the age comes first."""
        role = "voorbeelden.yaml"
        examples = self.files[role].model.voorbeelden
        self._ids(role, ("voorbeelden",), examples)
        for i, example in enumerate(examples):
            at: Location = ("voorbeelden", i)
            for j, key in enumerate(example.bron):
                self._source(role, at + ("bron", j), key)
            seen: set[str] = set()
            for j, step in enumerate(example.stappen):
                factor_id, _, value = step.partition("=")
                problem = _step_problem(self.factors.get(factor_id), factor_id, value, list(self.factors))
                if problem is None and factor_id in seen:
                    problem = f"factor {factor_id!r} staat al eerder in de stappen"
                if problem is None and j == 0 and factor_id != AGE:
                    problem = f"de eerste stap moet de leeftijd zijn, het startpunt van de stapeling (bijv. {AGE}=78)"
                if problem is not None:
                    self.files[role].problem(at + ("stappen", j), problem)
                seen.add(factor_id)

    def _monitor(self, file: _File) -> None:
        _, rows = file.model  # unknown columns were reported while reading (_validate_monitor)
        bands = sorted(((line, row) for line, row in rows if row.leeftijd_van is not None), key=lambda item: item[1].leeftijd_van)
        totals = [(line, row) for line, row in rows if row.leeftijd_van is None]
        unknown: dict[str, list[int]] = {}  # an unknown source once, at its first row
        for line, row in rows:
            if row.bron not in self.sources:
                unknown.setdefault(row.bron, []).append(line)
        for key, lines in unknown.items():
            more = f"; ook in {len(lines) - 1} andere rij(en)" if len(lines) > 1 else ""
            file.problems.append(Problem(file.name, lines[0], "bron", f"onbekende bron {key!r} (niet in bronnen.yaml{more}); "
                                         "beschrijf haar in een eigen bronnen.yaml naast deze tabel"))
        if len(totals) > 1:
            file.problems.append(Problem(file.name, totals[1][0], "leeftijd_van", "meer dan één rij zonder leeftijd (de totaalrij)"))
        if not bands:
            file.problems.append(Problem(file.name, None, "", "geen leeftijdsbanden (rijen met leeftijd_van)"))
        for (line_a, a), (line_b, b) in zip(bands, bands[1:]):
            if a.leeftijd_tot is None:
                file.problems.append(Problem(file.name, line_a, "leeftijd_tot", "alleen de hoogste band mag open zijn"))
            elif b.leeftijd_van <= a.leeftijd_tot:
                file.problems.append(Problem(file.name, line_b, "leeftijd_van", f"overlapt met band {a.groep!r} (tot en met {a.leeftijd_tot})"))
            elif b.leeftijd_van != a.leeftijd_tot + 1:
                file.problems.append(Problem(file.name, line_b, "leeftijd_van", f"sluit niet aan op band {a.groep!r}: verwacht {a.leeftijd_tot + 1}"))
        first_line, first = rows[0] if rows else (None, None)
        for line, row in rows:
            if row.jaar != first.jaar:
                file.problems.append(Problem(file.name, line, "jaar", f"{row.jaar} wijkt af van {first.jaar} (regel {first_line}); "
                                             "een monitorbestand is één tabel van één jaar"))
                break
        for line, row in rows:
            if row.gebied != first.gebied:
                file.problems.append(Problem(file.name, line, "gebied", f"{shown_value(row.gebied)} wijkt af van "
                                             f"{shown_value(first.gebied)} (regel {first_line}); een monitorbestand is "
                                             "één tabel van één gebied"))
                break

    def _monitor_years(self) -> None:
        """One table per year: a user's table replaces the bundled one of its year; two of the user's clash."""
        bundled = self.bundled
        for file in sorted(self.monitors, key=lambda f: f.path.resolve().parent != bundled):  # bundled tables first
            _, rows = file.model
            if not rows or file.problems:
                continue
            year = rows[0][1].jaar
            other = self.tables.get(year)
            if other is not None and other.path.resolve().parent != bundled:
                file.problems.append(Problem(file.name, rows[0][0], "jaar", f"ook {other.name} is een tabel van {year}; "
                                             "geef één monitorbestand per jaar"))
                continue
            self.tables[year] = file


AGE = "leeftijd"  # a person key of its own: the start of every stacking


def _step_problem(factor: schema.Factor | None, factor_id: str, value: str, factors: list[str]) -> str | None:
    """What is wrong with one step 'factor=waarde' of an example, or None."""
    if factor_id == AGE and (factor is None or factor.invoer == "aantal"):
        return None if value.isdigit() and int(value) <= 120 else f"leeftijd {value!r} is geen leeftijd (0 tot en met 120)"
    if factor is None:
        return f"onbekende factor {factor_id!r} (toegestaan: {', '.join([AGE] + [f for f in factors if f != AGE])})"
    if factor.invoer == "aantal":
        return None if value.isdigit() else f"factor {factor_id!r} verwacht een aantal (een geheel getal vanaf 0), niet {value!r}"
    allowed = [level.waarde for level in factor.niveaus]
    if value not in allowed:
        return f"factor {factor_id!r} heeft geen niveau {value!r} (toegestaan: {', '.join(allowed)})"
    return None


# --- compile ---------------------------------------------------------------------------------------


def _compile(parsed: dict[str, _File], checks: _CrossCheck, files: dict[str, Path], bundled: Path) -> model.Reference:
    tables = checks.tables
    def dump(role: str) -> dict[str, Any]:
        return parsed[role].model.model_dump(exclude_none=True)

    def records(cls: type, role: str, key: str) -> dict[str, Any]:
        return {item["id"]: model.from_data(cls, item) for item in dump(role)[key]}

    def band(row: schema.MonitorRow) -> model.AgeBand:
        return model.from_data(model.AgeBand, row.model_dump(exclude_none=True, exclude={"gebied"})
                               | {"waarden": row.waarden})

    def table(monitor: _File) -> model.Monitor:
        measures, rows = monitor.model
        bands = sorted((row for _, row in rows if row.leeftijd_van is not None), key=lambda row: row.leeftijd_van)
        total = next((row for _, row in rows if row.leeftijd_van is None), None)
        return model.Monitor(file=monitor.name, measures=tuple(measures), bands=tuple(band(row) for row in bands),
                             total=band(total) if total else None, area=rows[0][1].gebied)

    monitors = {year: table(tables[year]) for year in sorted(tables)}
    own = [year for year, file in tables.items() if file.path.resolve().parent != bundled]
    default = max(own) if own else max(monitors)  # without --jaar: the newest own table, else the bundled one

    return model.Reference(
        sources={key: model.from_data(model.Source, source.model_dump(exclude_none=True))
                 for key, source in checks.sources.items()},  # the bundled ones, then the user's own
        measures=records(model.Measure, "maten.yaml", "maten"),
        life_stages=records(model.LifeStage, "levensfasen.yaml", "levensfasen"),
        factors=records(model.Factor, "risicofactoren.yaml", "factoren"),
        overlaps=tuple(model.from_data(model.Overlap, item) for item in dump("risicofactoren.yaml").get("overlap", [])),
        monitor=monitors[default],
        other_monitors=tuple(monitor for year, monitor in monitors.items() if year != default),
        tiers=model.from_data(model.Tiers, dump("niveaus.yaml")),
        signals=model.from_data(model.Signals, dump("signalen.yaml")),
        interventions=records(model.Intervention, "interventies.yaml", "interventies"),
        djg=model.from_data(model.DjgKey, dump("djg.yaml")),
        examples=records(model.Example, "voorbeelden.yaml", "voorbeelden"),
        files={role: str(path) for role, path in files.items()},
    )
