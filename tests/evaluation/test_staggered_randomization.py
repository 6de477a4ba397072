"""Callaway & Sant'Anna with randomization inference: the estimates R `did` gives, exact tests.

Exactness is checked without simulation noise: on one data set, every distinct assignment of
the start periods is treated in turn as the observed one. Under the sharp null (the data do not
depend on the assignment) an exact level-α test rejects in at most α of those assignments, and in
exactly ⌊α·M⌋ of M when no statistics tie: a property of the implementation, not of chance.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.did import staggered
from evaluation.did.randomization import distinct_assignments
from evaluation.did.staggered_randomization import staggered_randomization

MPDTA = Path(__file__).parents[1] / "data" / "did-reference" / "mpdta.csv"
# R did, aggte(type = "simple") on mpdta, never-treated controls (ref_aggte.csv, mpdta_nev_dr).
R_SIMPLE_ATT = -0.0399512751551763


def city(seed: int, n_units: int = 10, n_periods: int = 6) -> pd.DataFrame:
    """Unit and period effects, AR(1) noise, unequal noise levels; no one treated yet."""
    rng = np.random.default_rng(seed)
    scale = rng.uniform(0.5, 2.0, n_units)
    noise = np.zeros((n_units, n_periods))
    noise[:, 0] = rng.normal(size=n_units)
    for t in range(1, n_periods):
        noise[:, t] = 0.5 * noise[:, t - 1] + rng.normal(0, math.sqrt(0.75), n_units)
    level = rng.normal(10, 2, n_units)[:, None] - 0.1 * np.arange(n_periods)[None, :]
    y = level + scale[:, None] * noise
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n_units), n_periods),
            "year": np.tile(2015 + np.arange(n_periods), n_units),
            "y": y.ravel(),
        }
    )


def with_cohorts(data: pd.DataFrame, starts: np.ndarray) -> pd.DataFrame:
    return data.assign(start=starts[data["unit"].to_numpy()])


def test_estimate_and_post_event_times_are_r_did_on_mpdta():
    mpdta = pd.read_csv(MPDTA)
    columns = ("lemp", "countyreal", "year", "first.treat")
    result = staggered_randomization(mpdta, *columns, draws=99)
    reference = staggered(mpdta, *columns, small_sample=None)
    assert result.estimate == pytest.approx(R_SIMPLE_ATT, abs=1e-12)
    post = reference.event_time[reference.event_time["rel_time"] >= 0].reset_index(drop=True)
    ours = result.event_time[result.event_time["rel_time"] >= 0].reset_index(drop=True)
    # mpdta's periods are consecutive years, so event time in periods is R's t − g.
    np.testing.assert_array_equal(ours["rel_time"], post["rel_time"])
    np.testing.assert_allclose(ours["att"], post["att"], rtol=0, atol=1e-12)


def test_pre_period_effects_are_departures_from_the_period_before_the_start():
    """Universal base: for e ≤ −2 the cohort-size-weighted mean over cohorts of
    mean_g(Y_{g+e} − Y_{g−1}) − mean_never(Y_{g+e} − Y_{g−1}), computed here with pandas."""
    starts = np.array([2017, 2017, 2019, 2020, 0, 0, 0, 0, 0, 0], dtype=float)
    data = with_cohorts(city(1), starts)
    result = staggered_randomization(data, "y", "unit", "year", "start", draws=9)
    wide = data.pivot(index="unit", columns="year", values="y")
    years = list(wide.columns)
    for e in (-2, -3, -4):
        total, weight = 0.0, 0
        for g in (2017, 2019, 2020):
            j = years.index(g)
            if j + e < 0:
                continue
            change = wide[years[j + e]] - wide[years[j - 1]]
            members = starts == g
            total += members.sum() * (change[members].mean() - change[starts == 0].mean())
            weight += members.sum()
        row = result.event_time.set_index("rel_time").loc[e]
        assert row["att"] == pytest.approx(total / weight, abs=1e-12)
    assert -1 not in set(result.event_time["rel_time"])


def _all_assignments_as_observed(data: pd.DataFrame, labels: np.ndarray):
    for row in distinct_assignments(labels):
        yield staggered_randomization(with_cohorts(data, row), "y", "unit", "year", "start")


@pytest.mark.parametrize("labels", [[2018] * 2 + [0] * 8, [2017, 2019] + [0] * 8])
def test_the_test_is_exact_over_every_assignment_of_the_start_periods(labels):
    labels = np.array(labels, dtype=float)
    results = list(_all_assignments_as_observed(city(7), labels))
    count = len(results)
    assert all(f"all {count - 1} other distinct assignments" in r.inference for r in results)
    rejected = sum(r.pvalue <= 0.05 for r in results)
    assert rejected == math.floor(0.05 * count)
    # The interval excludes zero exactly when the test rejects.
    for r in results:
        assert (r.ci_low > 0 or r.ci_high < 0) == (r.pvalue <= 0.05)
    alarms = sum(r.pretrend.pvalue < 0.10 for r in results if r.pretrend.testable)
    assert alarms <= math.floor(0.10 * count)


def test_a_constant_effect_moves_estimate_and_interval_by_exactly_that_effect():
    starts = np.array([2017, 2019, 2019, 0, 0, 0, 0, 0, 0, 0, 0, 0], dtype=float)
    data = with_cohorts(city(3, n_units=12), starts)
    treated = (data["start"] > 0) & (data["year"] >= data["start"])
    shifted = data.assign(y=data["y"] + 1.5 * treated)
    before = staggered_randomization(data, "y", "unit", "year", "start")
    after = staggered_randomization(shifted, "y", "unit", "year", "start")
    assert after.estimate == pytest.approx(before.estimate + 1.5, abs=1e-12)
    assert after.ci_low == pytest.approx(before.ci_low + 1.5, abs=1e-6)
    assert after.ci_high == pytest.approx(before.ci_high + 1.5, abs=1e-6)
    # The effect is constant within each cohort, so the studentizing variance is unchanged.
    assert after.se == pytest.approx(before.se, abs=1e-12)


def test_too_few_districts_can_never_be_significant_and_say_so():
    data = with_cohorts(city(2, n_units=8), np.array([2018] + [0] * 7, dtype=float))
    result = staggered_randomization(data, "y", "unit", "year", "start")
    assert result.pvalue >= 1 / 8
    assert (result.ci_low, result.ci_high) == (-math.inf, math.inf)
    assert result.mde.effect is None and result.mde.reason == "too_few_assignments"
    assert result.pretrend.testable is False and result.pretrend.reason == "too_few_assignments"
    assert any("Only 8 distinct assignments" in w for w in result.warnings)


def test_without_a_period_before_the_reference_the_pretrend_test_is_not_testable():
    data = with_cohorts(city(4), np.array([2016, 2016, 2016] + [0] * 7, dtype=float))
    result = staggered_randomization(data, "y", "unit", "year", "start")
    assert result.pretrend.pvalue is None
    assert (result.pretrend.testable, result.pretrend.reason) == (False, "no_pre_periods")


def test_minimum_detectable_effect_follows_the_randomization_distribution():
    starts = np.array([2018, 2018, 2018, 2019, 2019] + [0] * 18, dtype=float)
    data = with_cohorts(city(5, n_units=23, n_periods=8), starts)
    result = staggered_randomization(data, "y", "unit", "year", "start")
    # Larger than the normal approximation's (1.96 + 0.84)·se would not be unusual with five
    # treated units, but it must be of that order and positive.
    assert 1.5 * result.se < result.mde.effect < 6 * result.se
    assert (result.mde.power, result.mde.alpha) == (0.8, 0.05)


def test_random_reassignments_are_reproducible_from_the_seed():
    starts = np.array([2018] * 5 + [2019] * 3 + [0] * 15, dtype=float)
    data = with_cohorts(city(6, n_units=23), starts)
    first = staggered_randomization(data, "y", "unit", "year", "start", seed=11)
    again = staggered_randomization(data, "y", "unit", "year", "start", seed=11)
    other = staggered_randomization(data, "y", "unit", "year", "start", seed=12)
    assert "1999 random reassignments" in first.inference
    assert first.pvalue == again.pvalue and first.ci_low == again.ci_low
    assert first.estimate == other.estimate
