"""Properties of the profile engine that hold for every person (hypothesis)."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eenzaam_cli.core.reference.loading import load_reference
from eenzaam_cli.core.person import PersonReader
from eenzaam_cli.core.profile import Engine

REFERENCE = load_reference()
READER, ENGINE = PersonReader(REFERENCE), Engine(REFERENCE)
FACTORS = {f.id: [level.value for level in f.levels] for f in REFERENCE.factors.values()
           if f.input != "aantal"}
MONITOR_AGES = st.integers(REFERENCE.monitor.min_age, 120)


def profile(age: int | None, factors: dict[str, str], lonely: str | None = None):
    items = [(k, v, k) for k, v in factors.items()] + ([("leeftijd", age, "leeftijd")] if age is not None else [])
    if lonely is not None:
        items.append(("eenzaam", lonely, "eenzaam"))
    return ENGINE.profile(READER.read(items))


people = st.dictionaries(st.sampled_from(sorted(FACTORS)), st.just(None), max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries({k: st.sampled_from(FACTORS[k]) for k in keys}))


@settings(max_examples=300, deadline=None)
@given(age=MONITOR_AGES, factors=people)
def test_no_lonely_number_is_copied_from_severe(age, factors):
    """Severe never exceeds lonely in the illustration; where it would, lonely has no number. The highest group
    figure for lonely is always a lonely figure: the band's or one that applies to a level."""
    result = profile(age, factors)
    lonely, severe = result.stacks["eenzaam"], result.stacks["ernstig"]
    if lonely.combined is None:
        assert lonely.inconsistent_with == "ernstig"
    else:
        assert severe.combined <= lonely.combined
    lonely_figures = {u.figure.value for f in result.findings for u in f.figures if u.figure.measure == "eenzaam"}
    assert lonely.highest_group in lonely_figures | {result.band.values["eenzaam"]}


@settings(max_examples=100, deadline=None)
@given(age=MONITOR_AGES)
def test_an_age_band_alone_gives_exactly_the_tables_figures(age):
    result = profile(age, {})
    band = REFERENCE.monitor.band_for(age)
    for measure, stack in result.stacks.items():
        assert stack.steps == ()
        assert stack.highest_group == stack.combined == band.values[measure]


RISK_LEVELS = [(f.id, level.value) for f in REFERENCE.factors.values() if f.input != "aantal" for level in f.levels
               if any(fig.footing for fig in level.figures)]


def _raises(factor_id: str, level: str, age: int) -> bool:
    """Whether every figure of the level that applies at `age` lies above what it would shift against: the
    population figure, or the age band's for an age-matched figure that replaces it as the starting point."""
    band = REFERENCE.monitor.band_for(age)
    figures = [fig for lv in REFERENCE.factors[factor_id].lineage(level) for fig in lv.figures if fig.applies_at(age)]
    return bool(figures) and all(
        fig.footing is None or fig.value > (band.values[fig.measure] if fig.footing == "vergelijkingsgroep"
                                            else REFERENCE.measures[fig.measure].population.value)
        for fig in figures)


@settings(max_examples=300, deadline=None)
@given(age=MONITOR_AGES, factors=people, extra=st.sampled_from(RISK_LEVELS))
def test_adding_a_risk_factor_above_its_footing_never_lowers_the_illustration(age, factors, extra):
    factor_id, level = extra
    assume(_raises(factor_id, level, age))
    before_factors = {k: v for k, v in factors.items() if k != factor_id}
    before = profile(age, before_factors).stacks
    after = profile(age, before_factors | {factor_id: level}).stacks
    for measure, stack in before.items():
        if stack.combined is not None and after[measure].combined is not None:
            assert after[measure].combined >= stack.combined


@settings(max_examples=200, deadline=None)
@given(age=st.one_of(st.none(), st.integers(0, 120)), factors=people, lonely=st.sampled_from([None, "nee", "ja", "ernstig"]))
def test_tier_follows_the_rules(age, factors, lonely):
    result = profile(age, factors, lonely)
    risks = [f for f in result.findings if f.direction == "risico"]
    expected = 3 if lonely == "ernstig" else (2 if lonely == "ja" or risks else 1)
    assert result.tier.tier.number == expected


def _summary(result) -> tuple:
    return (tuple((m, s.combined, s.highest_group, s.highest_group_from, s.inconsistent_with,
                   tuple((st.factor, st.level, round(st.shift, 12), st.share) for st in s.steps))
                  for m, s in result.stacks.items()),
            tuple((f.factor.id, tuple((u.stacked, u.reason, u.overlap, u.share) for u in f.figures)) for f in result.findings),
            result.tier.tier.number, result.sources, result.notes)


@settings(max_examples=300, deadline=None)
@given(age=st.one_of(st.none(), st.integers(0, 120)), factors=people, lonely=st.sampled_from([None, "nee", "ja", "ernstig"]))
def test_a_profile_is_the_same_from_a_warm_engine_and_a_fresh_one(age, factors, lonely):
    """The engine keeps findings, overlaps and stackings in caches shared by every person it profiles: a warm
    engine (this module's, which has seen every earlier example) must give what a fresh one gives."""
    items = [(k, v, k) for k, v in factors.items()] + ([("leeftijd", age, "leeftijd")] if age is not None else [])
    if lonely is not None:
        items.append(("eenzaam", lonely, "eenzaam"))
    person = READER.read(items)
    assert _summary(ENGINE.profile(person)) == _summary(Engine(REFERENCE).profile(person))
