"""The interval methods against the published PHEindicatormethods test vectors (tests/data/phe/, see README there)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eenzaam_cli.core.stats import byars, exact_poisson, standardised_ratio, wilson

VECTORS = Path(__file__).parent / "data" / "phe"
TOLERANCE = 1e-6


def rows(name: str) -> list[dict[str, str]]:
    with open(VECTORS / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def confidence(text: str) -> float:
    return float(text.rstrip("%")) / 100


def close(actual: float | None, expected: str) -> bool:
    if expected == "":
        return actual is None
    return actual is not None and abs(actual - float(expected)) <= TOLERANCE * max(1.0, abs(float(expected)))


@pytest.mark.parametrize("row", rows("byars_wilson.csv"), ids=lambda r: f"{r['method']}-{r['x']}-{r['n']}-{r['confidence']}")
def test_byars_and_wilson_vectors(row):
    level = confidence(row["confidence"])
    x = float(row["x"])
    interval = byars(x, level) if row["method"] == "Byars" else wilson(x, float(row["n"]), level)
    assert close(interval.lower, row["lowercl"]) and close(interval.upper, row["uppercl"]), (interval, row)


@pytest.mark.parametrize("row", [r for r in rows("proportion_wilson.csv") if r["Numerator"] and r["Denominator"]],
                         ids=lambda r: f"{r['Area']}-{r['multiplier']}")
def test_proportion_vectors(row):
    x, n, multiplier = float(row["Numerator"]), float(row["Denominator"]), float(row["multiplier"])
    assert close(x / n * multiplier, row["value"])
    for level, low, high in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        interval = wilson(x, n, level)
        assert close(interval.lower * multiplier, row[low]) and close(interval.upper * multiplier, row[high]), row


def _isr_inputs() -> dict[str, tuple[int, float, float]]:
    """area -> (observed, expected, reference rate per person), computed from the input sheet."""
    reference = {r["Age Band"]: (float(r["refcount"]), float(r["refpop"])) for r in rows("isr_reference.csv")}
    observed = {r["area"]: int(r["total_count"]) for r in rows("isr_observed_totals.csv")}
    expected: dict[str, float] = defaultdict(float)
    for row in rows("isr_input.csv"):
        count, pop = reference[row["ageband"]]
        if row["pop"]:  # testdata_tiny leaves out the band 10-14, whose reference count is 0
            expected[row["area"]] += float(row["pop"]) * count / pop
    rate = sum(c for c, _ in reference.values()) / sum(p for _, p in reference.values())
    return {area: (observed[area], expected[area], rate) for area in observed}


@pytest.mark.parametrize("row", rows("isr_expected.csv"), ids=lambda r: f"{r['area']}-{r['statistic']}")
def test_indirectly_standardised_ratio_and_rate_vectors(row):
    observed, expected, rate = _isr_inputs()[row["area"]]
    assert observed == int(row["observed"]) and close(expected, row["expected"])
    statistic = row["statistic"]
    multiplier = float(statistic.rsplit(" ", 1)[1])
    if statistic.startswith("indirectly standardised rate"):
        assert close(rate * multiplier, row["ref_rate"])
        scale = rate * multiplier  # a rate is the ratio times the reference rate
    else:
        scale = multiplier
    for level, low, high in ((0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")):
        ratio = standardised_ratio(observed, expected, level)
        assert ratio.method == {"Byars": "byars", "Exact": "exact"}[row["method"]]
        assert close(ratio.value * scale, row["value"])
        assert close(ratio.lower * scale, row[low]) and close(ratio.upper * scale, row[high]), (level, row)


@given(x=st.integers(0, 60), level=st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998]))
def test_exact_limits_bracket_the_count(x, level):
    interval = exact_poisson(x, level)
    assert interval.lower <= x <= interval.upper
    assert exact_poisson(x, 0.5).upper <= interval.upper  # a wider confidence gives a wider interval


@given(x=st.integers(0, 500), extra=st.integers(1, 500), level=st.sampled_from([0.95, 0.998]))
def test_wilson_stays_within_0_and_1_and_contains_the_proportion(x, extra, level):
    n = x + extra
    interval = wilson(x, n, level)
    assert 0 <= interval.lower <= x / n <= interval.upper <= 1


# --- item: tests that know the answers (Byar's method at exactly 10 observed) ---
#
# PHE's rule: exact Poisson below 10 observed, Byar's from 10. At 10, by hand (z = 1.959964):
# | limit | Byar's formula                                  | value     | exact Poisson (not used at 10)     |
# |-------|-------------------------------------------------|-----------|------------------------------------|
# | lower | 10 × (1 − 1/(9·10) − z/(3√10))³                 | 4.787450  | qchisq(.025, 20)/2 = 4.795389      |
# | upper | 11 × (1 − 1/(9·11) + z/(3√11))³                 | 18.391459 | qchisq(.975, 22)/2 = 18.390356     |
# With 8 expected the ratio is 1.25 (0.598431-2.298932).


def test_byars_method_from_exactly_10_observed():
    import math

    z = 1.959964
    lower = 10 * (1 - 1 / 90 - z / (3 * math.sqrt(10))) ** 3
    upper = 11 * (1 - 1 / 99 + z / (3 * math.sqrt(11))) ** 3
    assert (round(lower, 6), round(upper, 6)) == (4.78745, 18.391459)
    ratio = standardised_ratio(10, 8.0)
    assert ratio.method == "byars" and ratio.value == 1.25
    assert ratio.lower == pytest.approx(lower / 8, abs=1e-6) and ratio.upper == pytest.approx(upper / 8, abs=1e-6)
    below = standardised_ratio(9, 8.0)
    assert below.method == "exact"
    # exact Poisson at 9: qchisq(.025, 18)/2 = 8.230755/2 = 4.115378, qchisq(.975, 20)/2 = 34.169607/2 = 17.084803
    assert below.lower == pytest.approx(4.115378 / 8, abs=1e-5) and below.upper == pytest.approx(17.084803 / 8, abs=1e-5)
