"""Cached equals uncached: a batch run's rows, through its caches and its fast path, against each row alone.

The batch engine keeps a row's result in parts keyed by what the row says, and the profile engine remembers
findings, overlaps and stackings by their arguments. Leaving one input out of a key would give a row the result
of another row. Here every row of a generated file is computed again on its own, with a new reader and engine per
row, and the two must agree: the result cells, the rejected rows, and the weighted report.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import repeat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eenzaam_cli.core.batch import BatchEngine, Tally
from eenzaam_cli.core.errors import InputError
from eenzaam_cli.core.reference.loading import load_reference
from eenzaam_cli.core.person import PersonReader
from eenzaam_cli.core.profile import Engine

REFERENCE = load_reference(use_cache=False)
FACTORS = [f for f in REFERENCE.factors.values() if f.id != "leeftijd"]
ITEMS = REFERENCE.djg.scales[0].items
HEADER = ["id", "leeftijd", *(f.id for f in FACTORS), "eenzaam", *(f"djg_{i}" for i in ITEMS), "gewicht"]
ANSWERS = ["ja", "nee", "min of meer", "", "-", "geen antwoord"]  # given, and missing in three ways


def _value(factor):
    """A value of a factor's column: each level (or a count in each range for a count factor), or empty."""
    if factor.input == "aantal":
        return st.sampled_from(["", "0", "2", "3", "4", "9"])
    return st.sampled_from(["", *(level.value for level in factor.levels)])


@st.composite
def _person(draw):
    ages = st.sampled_from(["", "0", "12", "18", "19", "30", "54", "55", "64", "65", "74", "75", "84", "85", "101"])
    # answers all given, a few missing, or nearly all missing (an undetermined score)
    answers = draw(st.one_of(st.lists(st.sampled_from(ANSWERS[:3]), min_size=len(ITEMS), max_size=len(ITEMS)),
                             st.lists(st.sampled_from(ANSWERS), min_size=len(ITEMS), max_size=len(ITEMS)),
                             st.just([""] * len(ITEMS)),
                             st.lists(st.sampled_from(["", "", "", "ja"]), min_size=len(ITEMS), max_size=len(ITEMS))))
    return [draw(ages), *(draw(_value(f)) for f in FACTORS), draw(st.sampled_from(["ja", "ernstig", "nee", ""])),
            *answers]


def _unscored_missing(row: list[str]) -> list[str]:
    """The row with every answer that scores no point left out: the same points, more answers missing."""
    scale = REFERENCE.djg.scales[0]
    scores_on = {item: sub.scores_on for sub in scale.subscales for item in sub.items}
    answers = {"ja": "ja", "nee": "nee", "min of meer": "min_of_meer"}
    start = len(row) - len(ITEMS)
    return row[:start] + ["" if answers.get(text) not in (*scores_on[item], None) else text
                          for item, text in zip(ITEMS, row[start:])]


@st.composite
def _file(draw):
    """Rows drawn from a small pool, so that later rows meet the caches that earlier rows filled: each one
    with a weight of its own, some with their unscored answers left out."""
    pool = draw(st.lists(_person(), min_size=1, max_size=8))
    picks = draw(st.lists(st.tuples(st.sampled_from(pool), st.sampled_from(["1", "0.5", "2.25", "7"]), st.booleans()),
                          min_size=1, max_size=30))
    return [[str(index), *(_unscored_missing(row) if fewer else row), weight]
            for index, (row, weight, fewer) in enumerate(picks, start=1)]


def _text(value) -> str:
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def _alone(row: list[str], line: int):
    """A row's cells, band, weight and indicators computed on its own, with no memo and new engines."""
    items = [(column, value, f"r:{line}: {column}") for column, value in zip(HEADER, row)
             if column not in ("id", "gewicht")]
    person = PersonReader(REFERENCE).read(items)
    profile = Engine(REFERENCE).profile(person, fits=False)
    score = person.djg
    risks = [f.factor.id for f in profile.findings if f.direction == "risico"]
    cells = [profile.band.label if profile.band else ""]
    cells += ["", "", "", ""] if score is None else [
        _text(score.total), _text(score.subscales.get("emotioneel")), _text(score.subscales.get("sociaal")),
        score.category.id if score.category else ""]
    cells += [";".join(risks), str(len(risks))]
    for measure in Engine(REFERENCE).stackable:
        stack = profile.stacks.get(measure)
        cells += [_text(stack.highest_group), _text(stack.combined)] if stack else ["", ""]
    cells.append(str(profile.tier.tier.number))
    measures = {i.id: i.measure for i in REFERENCE.djg.scales[0].indicators}
    indicators = {measures[i]: v for i, v in score.indicators.items()} if score is not None else {}
    return cells, cells[0] or "buiten_monitor", float(row[-1]), indicators


def _batched(rows: list[list[str]]):
    """The rows through one BatchEngine in two batches: each row's cells (None: rejected) and the weighted tally."""
    engine = BatchEngine(REFERENCE, HEADER, file="r")
    tally = Tally(engine.measures, weighted=True)
    written, rejected = [], []

    def write(chunk):
        written.extend((row[0], engine.cells(result)) for row, result in zip(chunk.rows, chunk.results()))

    half = len(rows) // 2
    batches = [(list(range(1, half + 1)), rows[:half], None), (list(range(half + 1, len(rows) + 1)), rows[half:], None)]
    engine.run([b for b in batches if b[1]], tally, write, lambda problem: rejected.append(problem.line),
               weight=lambda fields, line: float(fields[-1]))
    cells = dict(written)
    return [cells.get(row[0]) for row in rows], tally, engine.measures


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(_file())
def test_a_batch_row_gets_what_the_row_alone_gets(rows):
    batched, tally, measures = _batched(rows)
    expected, sums = [], {}
    for line, row in enumerate(rows, start=1):
        try:
            cells, band, weight, indicators = _alone(row, line)
        except InputError:
            expected.append(None)
            continue
        expected.append(cells)
        for measure, lonely in indicators.items():
            if lonely is not None:
                cell = sums.setdefault((measure, band), [0, 0.0, 0.0, 0.0])
                cell[0] += 1
                cell[1] += weight
                cell[2] += weight * weight
                cell[3] += weight if lonely else 0.0
    assert batched == expected
    for measure in measures:
        bands = {band.label: None for band in REFERENCE.monitor.bands}  # a row outside them is in no band's share
        got = {s.band: (s.respondents, s.value, s.n) for s in tally.shares(measure, bands)}
        want = {band: (n, lonely / total, total * total / squares)
                for (m, band), (n, total, squares, lonely) in sums.items() if m == measure and band in bands}
        assert got.keys() == want.keys()
        for band, (n, value, effective) in want.items():
            assert got[band][0] == n
            assert got[band][1:] == pytest.approx((value, effective))



def test_a_row_after_another_with_the_same_stacked_figures_keeps_its_own_highest_group_figure(cli, tmp_path):
    """Two people of 19-34 who differ only in work: the stacking was kept by what is stacked, and work's figure
    (48%, not stacked) is not, so the second row got the first one's highest group figure, 48 for its own 39."""
    source = tmp_path / "in.csv"
    source.write_text("id,leeftijd,burgerlijke_staat,opleiding,rondkomen,werk,migratie\n"
                      "1,28,gehuwd,midden,geen_moeite,geen_betaald,nederlands\n"
                      "2,30,gehuwd,midden,geen_moeite,betaald,nederlands\n", encoding="utf-8")
    out = tmp_path / "uit.csv"
    result = cli("batch", str(source), "-o", str(out), "--stil")
    assert result.exit_code == 0, result.stderr
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    highest = rows[0].index("hoogste_groepscijfer_eenzaam")
    assert [row[highest] for row in rows[1:]] == ["48", "39"]


# --- item: pure functions first, caches around them ---

AGES = ["", "0", "12", "18", "19", "30", "49", "50", "54", "55", "64", "65", "74", "75", "84", "85", "101"]
BAD = "onzin"  # a value no column takes: the row is rejected, in the middle of a batch


def _column(column: str):
    """The values of one column of HEADER, a wrong one now and then."""
    if column == "leeftijd":
        values = AGES + ["-3"]
    elif column == "eenzaam":
        values = ["ja", "ernstig", "nee", ""]
    elif column.startswith("djg_"):
        values = ANSWERS
    else:
        factor = REFERENCE.factors[column]
        values = ["", "0", "2", "3", "4", "9"] if factor.input == "aantal" else ["", *(level.value for level in factor.levels)]
    return st.sampled_from(values + [BAD] * (column != "leeftijd"))


# the columns of a row that most keys are made of: the age, stated loneliness, a count, the factors an overlap names
# and the answers (positions in HEADER[1:-1])
KEYED = [HEADER.index(c) - 1 for c in HEADER[1:-1] if c in ("leeftijd", "eenzaam", "migratie", "opleiding", "rondkomen",
                                                             "werk") or c.startswith("djg_")
         or c in REFERENCE.factors and REFERENCE.factors[c].input == "aantal"]


@st.composite
def _neighbours(draw):
    """Rows that differ from a few base rows in up to two columns, so that two rows meet in every cache with one
    input apart: an age of the same band, a stated loneliness, a count of the same level, an answer missing.
    Base rows answer every item, so most scores are determined and the weighted shares have rows to count."""
    columns = HEADER[1:-1]
    base = st.tuples(st.sampled_from(AGES[1:]), *(_value(f) for f in FACTORS), st.sampled_from(["ja", "ernstig", "nee", ""]),
                     *(st.sampled_from(ANSWERS[:3]) for _ in ITEMS))
    bases = [_valid(row) for row in draw(st.lists(base, min_size=1, max_size=3))]
    rows = []
    for index in range(draw(st.integers(2, 24))):
        row = list(draw(st.sampled_from(bases)))
        for at in draw(st.lists(st.one_of(st.sampled_from(KEYED), st.integers(0, len(columns) - 1)), max_size=2)):
            row[at] = draw(_column(columns[at]))
        rows.append([str(index + 1), *row, draw(st.sampled_from(["1", "0.5", "2.25", "7"]))])
    return rows


def _valid(row: tuple[str, ...]) -> list[str]:
    """The row, without its stated loneliness where the answers contradict it (the base of other rows)."""
    row = list(row)
    try:
        PersonReader(REFERENCE).read([(column, value, column) for column, value in zip(HEADER[1:-1], row)])
    except InputError:
        row[HEADER.index("eenzaam") - 1] = ""
    return row


_batch_row_equals_row_alone = test_a_batch_row_gets_what_the_row_alone_gets.hypothesis.inner_test


def _one_engine_equals_new_engines(rows: list[list[str]]) -> None:
    """Every person of the rows through one Engine, in order, against a new Engine each: the whole profile."""
    engine = Engine(REFERENCE)
    for line, row in enumerate(rows, start=1):
        items = [(column, value, f"r:{line}: {column}") for column, value in zip(HEADER, row)
                 if column not in ("id", "gewicht")]
        try:
            person = PersonReader(REFERENCE).read(items)
        except InputError:
            continue
        assert engine.profile(person) == Engine(REFERENCE).profile(person)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_neighbours())
def test_rows_one_input_apart_get_what_each_row_alone_gets(rows):
    _batch_row_equals_row_alone(rows)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(_neighbours())
def test_one_engine_for_many_people_gives_what_a_new_engine_gives(rows):
    _one_engine_equals_new_engines(rows)


def _without(position: int):
    """A key function's mutant: its key with one input (at `position`) left out."""
    def mutant(key):
        def without(*args):
            made = key(*args)
            return made[:position] + made[position + 1:]
        return without
    return mutant


def _each_without(position: int):
    """A mutant of a key function over many rows: each row's key with one input left out."""
    def mutant(keys):
        return lambda *args: (key[:position] + key[position + 1:] for key in keys(*args))
    return mutant


@pytest.mark.parametrize("module, name, mutant, check", [
    ("batch", "basis_key", _without(1), _batch_row_equals_row_alone),  # stated loneliness
    ("batch", "pack", lambda pack: lambda index, subscales, points, missing: pack(index, subscales, points, 0),
     _batch_row_equals_row_alone),  # the missing answers, which decide whether a score is determined
    ("batch", "profile_keys", _each_without(0), _batch_row_equals_row_alone),  # the age class
    ("batch", "outcome_keys", _each_without(1), _batch_row_equals_row_alone),  # the score
    ("batch", "risk_bits", lambda key: lambda profiled, directed: key(profiled, repeat(0)),
     _batch_row_equals_row_alone),  # the risk factors of the columns that only add one
    ("profile", "_finding_key", _without(2), _one_engine_equals_new_engines),  # a count
    ("profile", "_finding_key", _without(3), _one_engine_equals_new_engines),  # the age class
    ("profile", "_shift_key", _without(1), _one_engine_equals_new_engines),  # the band
    ("profile", "_stacking_key", _without(0), _one_engine_equals_new_engines),  # the band
    ("profile", "_stacking_key", lambda key: lambda band, parts: key(band, ()), _one_engine_equals_new_engines),
], ids=["basis-lonely", "pack-missing", "profile-age", "outcome-score", "risks-directed", "finding-count", "finding-age",
        "shift-band", "stacking-band", "stacking-figures"])
def test_a_key_without_one_of_its_inputs_gives_a_row_another_rows_result(monkeypatch, module, name, mutant, check):
    """Each key function with one of its inputs left out: the properties above find a row that gets another's."""
    import importlib

    from hypothesis import Phase

    target = importlib.import_module(f"eenzaam_cli.core.{module}")
    monkeypatch.setattr(target, name, mutant(getattr(target, name)))

    @settings(max_examples=400, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(_neighbours())
    def holds(rows):
        check(rows)

    with pytest.raises((AssertionError, AttributeError)):  # another row's result, or a part it has not got
        holds()
