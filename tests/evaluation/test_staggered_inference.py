"""Inference of the staggered estimator: multiplier bootstrap, bands, and simulated truths."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from evaluation.did.staggered import staggered

REFERENCE = Path(__file__).parents[1] / "data" / "did-reference"
Z = float(norm.ppf(0.975))


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "mpdta.csv")


def _mpdta(data: pd.DataFrame, **options):
    return staggered(data, "lemp", "countyreal", "year", "first.treat", **options)


def simulated_panel(effect, seed: int, units: int = 400, pre_trend: float = 0.0) -> pd.DataFrame:
    """Staggered panel, periods 1–8, cohorts 4 and 6 and never treated.

    Units differ in level (also by cohort: selection on levels is allowed in DiD) and share time
    shocks; effect(e) is added from the start on, e = periods since the start. pre_trend adds a
    cohort-specific drift before the start, which breaks parallel trends.
    """
    rng = np.random.default_rng(seed)
    cohort = rng.choice([0, 4, 6], size=units, p=[0.4, 0.3, 0.3])
    level = rng.normal(0, 1, units) + 0.5 * (cohort > 0)
    periods = np.arange(1, 9)
    shock = rng.normal(0, 1, periods.size)
    g, t = np.meshgrid(cohort, periods, indexing="ij")
    treated = (g > 0) & (t >= g)
    event = np.where(treated, t - g, 0)
    drift = np.where((g > 0) & (t < g), pre_trend * (t - g), 0.0)
    y = level[:, None] + shock[None, :] + drift + rng.normal(0, 1, g.shape)
    y = y + np.where(treated, np.vectorize(effect)(event), 0.0)
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(units), periods.size),
            "period": t.ravel(),
            "y": y.ravel(),
            "start": g.ravel(),
        }
    )


def _simulated(data: pd.DataFrame, **options):
    return staggered(data, "y", "unit", "period", "start", **options)


def test_bootstrap_se_is_close_to_analytic_on_mpdta(mpdta):
    analytic = _mpdta(mpdta)
    boot = _mpdta(mpdta, inference="bootstrap", draws=999, seed=0)
    assert boot.estimate == analytic.estimate
    assert boot.se == pytest.approx(analytic.se, rel=0.10)
    ratio = boot.group_time["se"] / analytic.group_time["se"]
    assert ratio.mean() == pytest.approx(1.0, abs=0.05)
    assert ratio.between(0.85, 1.15).all()


def test_mammen_weights_give_the_same_se_within_bootstrap_noise(mpdta):
    analytic = _mpdta(mpdta)
    boot = _mpdta(mpdta, inference="bootstrap", multipliers="mammen")
    assert boot.se == pytest.approx(analytic.se, rel=0.10)
    assert "mammen" in boot.inference


def test_bootstrap_is_reproducible_with_its_seed(mpdta):
    first = _mpdta(mpdta, inference="bootstrap", seed=7, aggregate="dynamic")
    again = _mpdta(mpdta, inference="bootstrap", seed=7, aggregate="dynamic")
    other = _mpdta(mpdta, inference="bootstrap", seed=8, aggregate="dynamic")
    assert first.se == again.se
    pd.testing.assert_frame_equal(first.group_time, again.group_time)
    pd.testing.assert_frame_equal(first.aggregation, again.aggregation)
    assert first.se != other.se


def test_bootstrap_bands_are_uniform_and_overall_interval_pointwise(mpdta):
    result = _mpdta(mpdta, inference="bootstrap", aggregate="dynamic")
    for frame in (result.group_time, result.aggregation, result.event_time):
        critical = (frame["ci_high"] - frame["att"]) / frame["se"]
        # One critical value for the whole set, wider than the pointwise 1.96.
        assert np.allclose(critical, critical.iloc[0])
        assert Z < critical.iloc[0] < 4
    assert (result.ci_high - result.estimate) / result.se == pytest.approx(Z)
    assert result.pvalue == pytest.approx(2 * norm.sf(abs(result.estimate / result.se)))


def test_analytic_intervals_are_pointwise_normal(mpdta):
    result = _mpdta(mpdta, aggregate="group", alpha=0.10)
    z90 = norm.ppf(0.95)
    frame = result.aggregation
    np.testing.assert_allclose(frame["ci_high"], frame["att"] + z90 * frame["se"])
    assert result.ci_low == pytest.approx(result.estimate - z90 * result.se)


def test_bootstrap_on_mpdta_takes_well_under_five_seconds(mpdta):
    start = time.perf_counter()
    _mpdta(mpdta, inference="bootstrap", draws=999, aggregate="dynamic")
    assert time.perf_counter() - start < 5.0


def test_planted_effect_is_recovered_within_its_confidence_interval():
    data = simulated_panel(lambda e: 1.0, seed=11)
    result = _simulated(data)
    assert result.ci_low < 1.0 < result.ci_high
    assert result.pvalue < 0.001
    assert result.pretrend_pvalue > 0.05


def test_effect_growing_with_event_time_is_recovered_within_uniform_band():
    truth = {0: 0.5, 1: 0.75, 2: 1.0, 3: 1.25, 4: 1.5}
    data = simulated_panel(lambda e: truth[e], seed=12)
    result = _simulated(data, aggregate="dynamic", inference="bootstrap", draws=499, seed=3)
    profile = result.aggregation.set_index("key")
    for e, value in truth.items():
        assert profile.loc[e, "ci_low"] < value < profile.loc[e, "ci_high"]
    for e in (-4, -3, -2, -1):
        assert profile.loc[e, "ci_low"] < 0 < profile.loc[e, "ci_high"]
    assert result.ci_low < np.mean(list(truth.values())) < result.ci_high


@pytest.mark.parametrize("control", ["never", "notyet"])
def test_placebo_without_effect_is_not_significant(control):
    # One placebo draw (seed fixed in advance); calibration is checked over many draws below.
    data = simulated_panel(lambda e: 0.0, seed=21)
    result = _simulated(data, control=control)
    assert result.pvalue > 0.05
    assert result.ci_low < 0 < result.ci_high


def test_placebo_rejection_rate_is_close_to_the_nominal_five_percent():
    # 200 panels without effect: the overall test and the pre-trend test should each reject
    # about 5 % of them (binomial s.d. 1.5 points).
    pvalues = np.array(
        [
            (r.pvalue, r.pretrend_pvalue)
            for r in (
                _simulated(simulated_panel(lambda e: 0.0, seed=1000 + s, units=200))
                for s in range(200)
            )
        ]
    )
    rejected = (pvalues < 0.05).mean(axis=0)
    assert 0.02 <= rejected[0] <= 0.10
    assert 0.02 <= rejected[1] <= 0.10


def test_pretrend_test_detects_diverging_trends_before_the_start():
    data = simulated_panel(lambda e: 0.0, seed=14, pre_trend=0.4)
    result = _simulated(data)
    assert result.pretrend_pvalue < 0.001
    assert any("already moved apart" in w for w in result.warnings)
