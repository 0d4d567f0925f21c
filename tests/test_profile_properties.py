"""Properties of the profile engine that hold for every person (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eenzaam_cli.core.loading import load_reference
from eenzaam_cli.core.person import PersonReader
from eenzaam_cli.core.profile import Engine

REFERENCE = load_reference()
READER, ENGINE = PersonReader(REFERENCE), Engine(REFERENCE)
FACTORS = {f.id: [level.value for level in f.levels] for f in REFERENCE.factors.values()
           if f.input != "aantal"}
MONITOR_AGES = st.integers(REFERENCE.monitor.min_age, 120)


def profile(age: int | None, factors: dict[str, str], lonely: bool | None = None):
    items = [(k, v, k) for k, v in factors.items()] + ([("leeftijd", age, "leeftijd")] if age is not None else [])
    if lonely is not None:
        items.append(("eenzaam", "ja" if lonely else "nee", "eenzaam"))
    return ENGINE.profile(READER.read(items))


people = st.dictionaries(st.sampled_from(sorted(FACTORS)), st.just(None), max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries({k: st.sampled_from(FACTORS[k]) for k in keys}))


@settings(max_examples=300, deadline=None)
@given(age=MONITOR_AGES, factors=people)
def test_lower_bound_never_exceeds_upper_bound(age, factors):
    for stack in profile(age, factors).stacks.values():
        assert stack.lower <= stack.upper
        assert stack.lower <= stack.highest_single <= stack.upper


@settings(max_examples=100, deadline=None)
@given(age=MONITOR_AGES)
def test_an_age_band_alone_gives_exactly_the_tables_figures(age):
    result = profile(age, {})
    band = REFERENCE.monitor.band_for(age)
    for measure, stack in result.stacks.items():
        assert stack.steps == ()
        assert stack.lower == stack.upper == band.values[measure]


RISK_LEVELS = [(f.id, level.value) for f in REFERENCE.factors.values() if f.input != "aantal" for level in f.levels
               if any(fig.compared_with is not None and fig.value > fig.compared_with.value for fig in level.figures)]


@settings(max_examples=300, deadline=None)
@given(age=MONITOR_AGES, factors=people, extra=st.sampled_from(RISK_LEVELS))
def test_adding_a_risk_factor_above_its_comparison_never_lowers_the_upper_bound(age, factors, extra):
    factor_id, level = extra
    before_factors = {k: v for k, v in factors.items() if k != factor_id}
    before = profile(age, before_factors).stacks
    after = profile(age, before_factors | {factor_id: level}).stacks
    for measure, stack in before.items():
        assert after[measure].upper >= stack.upper


@settings(max_examples=200, deadline=None)
@given(age=st.one_of(st.none(), st.integers(0, 120)), factors=people, lonely=st.one_of(st.none(), st.booleans()))
def test_tier_follows_the_rules(age, factors, lonely):
    result = profile(age, factors, lonely)
    risks = [f for f in result.findings if f.level.direction == "risico"]
    expected = 3 if lonely else (2 if risks else 1)
    assert result.tier.tier.number == expected
