"""Wild cluster bootstrap (WCR) against the `wildboottest` package (test-only dependency).

wildboottest 0.3 runs the WCR-11 bootstrap on an explicit design matrix; we give it the full
unit- and period-dummy design, so agreement also shows that our fixed-effect handling equals the
dummy regression. wildboottest scales t and t* by its own small-sample factor (all dummies in
K), so we compare t*/t, which does not depend on it. It needs integer cluster codes
(DOMAIN.md §5: it crashes on strings).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from wildboottest.wildboottest import WildboottestCL

from evaluation.did import twfe
from evaluation.did.wild_bootstrap import WEBB, bootstrap_weights, wild_cluster_bootstrap
from evaluation.did.within import TwoWayWithin


def _panel(n_units: int, n_periods: int, starts: list[int], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_periods)
    time = np.tile(np.arange(n_periods), n_units)
    cohort = np.array(starts)[unit]
    d = ((cohort > 0) & (time >= cohort)).astype(float)
    y = (
        0.4 * d
        + rng.normal(size=n_units)[unit]
        + rng.normal(size=n_periods)[time]
        + rng.normal(size=unit.size) * rng.uniform(0.5, 2, n_units)[unit]
    )
    w = rng.uniform(0.5, 3.0, n_units)[unit]
    return pd.DataFrame({"unit": unit, "time": time, "d": d, "y": y, "w": w})


def _wildboottest(data: pd.DataFrame, weights_type: str, draws: int, weighted: bool = False):
    """wildboottest on the explicit dummy design (√w-scaled for WLS)."""
    n_units, n_periods = data["unit"].nunique(), data["time"].nunique()
    unit, time = data["unit"].to_numpy(), data["time"].to_numpy()
    design = np.column_stack(
        [data["d"].to_numpy(), np.eye(n_units)[unit], np.eye(n_periods)[time][:, 1:]]
    )
    y = data["y"].to_numpy()
    if weighted:
        sw = np.sqrt(data["w"].to_numpy())
        design, y = design * sw[:, None], y * sw
    r = np.zeros(design.shape[1])
    r[0] = 1.0
    boot = WildboottestCL(X=design, Y=y, cluster=unit, R=r, B=draws, seed=12, parallel=False)
    boot.get_scores(bootstrap_type="11", impose_null=True)
    boot.get_weights(weights_type=weights_type)
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    boot.get_pvalue()
    return boot


def _ours(data: pd.DataFrame, weights: str, draws: int, weighted: bool = False, seed: int = 0):
    unit, time = data["unit"].to_numpy(), data["time"].to_numpy()
    within = TwoWayWithin.build(unit, time, data["w"].to_numpy() if weighted else None)
    sw = within.sqrt_weights
    y = sw * within.absorb(data["y"].to_numpy())
    x = (sw * within.absorb(data["d"].to_numpy()))[:, None]
    return wild_cluster_bootstrap(
        y, x, unit, annihilate=within.annihilate_scaled, draws=draws, weights=weights, seed=seed
    )


def test_full_rademacher_enumeration_equals_wildboottest_with_8_clusters():
    data = _panel(8, 6, [3, 3, 4, 0, 0, 0, 2, 0], seed=1)
    ours = _ours(data, "rademacher", 999)
    reference = _wildboottest(data, "rademacher", 999)
    assert ours.enumerated and ours.draws == reference.B == 2**8
    ratio_ours = np.sort(np.abs(ours.t_star(0.0)) / abs(ours.t_stat(0.0)))
    ratio_ref = np.sort(np.abs(reference.t_boot) / abs(float(reference.t_stat)))
    np.testing.assert_allclose(ratio_ours, ratio_ref, rtol=1e-9)
    # Same p-value; ties (the all-ones draw and its mirror reproduce |t|) count as not exceeding
    # in both, up to wildboottest's floating-point tie-breaking.
    tie_safe = np.mean(ratio_ref > 1 + 1e-9)
    assert ours.pvalue == tie_safe
    assert abs(ours.pvalue - reference.pvalue) <= 2 / 256


def test_weighted_enumeration_with_10_clusters_equals_wildboottest():
    data = _panel(10, 5, [2, 2, 3, 3, 4, 0, 0, 0, 0, 0], seed=2)
    ours = _ours(data, "rademacher", 2000, weighted=True)
    reference = _wildboottest(data, "rademacher", 2000, weighted=True)
    assert ours.enumerated and ours.draws == 1024
    ratio_ours = np.sort(np.abs(ours.t_star(0.0)) / abs(ours.t_stat(0.0)))
    ratio_ref = np.sort(np.abs(reference.t_boot) / abs(float(reference.t_stat)))
    np.testing.assert_allclose(ratio_ours, ratio_ref, rtol=1e-9)
    assert ours.pvalue == np.mean(ratio_ref > 1 + 1e-9)


@pytest.mark.parametrize(("n_units", "weights"), [(6, "webb"), (20, "rademacher")])
def test_sampled_pvalue_agrees_with_wildboottest_within_monte_carlo_error(n_units, weights):
    starts = [3] * (n_units // 3) + [0] * (n_units - n_units // 3)
    data = _panel(n_units, 6, starts, seed=3)
    ours = _ours(data, weights, 9999)
    reference = _wildboottest(data, weights, 9999)
    assert not ours.enumerated and ours.weights == weights
    p = reference.pvalue
    # two independent sets of 9,999 draws: 4 standard errors of the difference
    assert abs(ours.pvalue - p) <= 4 * np.sqrt(2 * p * (1 - p) / 9999) + 1e-3


def test_ci_bounds_are_where_the_bootstrap_pvalue_crosses_five_percent():
    data = _panel(14, 6, [3] * 6 + [0] * 8, seed=4)
    boot = _ours(data, "auto", 999)
    assert boot.weights == "rademacher"
    assert boot.ci_low < boot.coef < boot.ci_high
    step = 1e-5 * boot.se
    assert boot.pvalue_at(boot.ci_low - step) <= 0.05 < boot.pvalue_at(boot.ci_low + step)
    assert boot.pvalue_at(boot.ci_high + step) <= 0.05 < boot.pvalue_at(boot.ci_high - step)


def test_webb_weights_below_twelve_clusters_and_enumerated_when_few():
    weights, kind, enumerated = bootstrap_weights(11, 999, "auto", seed=0)
    assert kind == "webb" and not enumerated and weights.shape == (11, 999)
    assert set(np.round(np.unique(weights), 12)) == set(np.round(WEBB, 12))
    weights, kind, enumerated = bootstrap_weights(3, 999, "auto", seed=0)
    assert kind == "webb" and enumerated and weights.shape == (3, 216)
    _, kind, _ = bootstrap_weights(12, 999, "auto", seed=0)
    assert kind == "rademacher"


def test_twfe_wild_inference_is_reproducible_and_says_what_it_did(panel_factory):
    data = panel_factory(n_units=10, cohorts={5: 5}, effect=0.3, seed=8)
    first = twfe(data, "y", "unit", "time", "d", cluster="unit", inference="wild", seed=5)
    again = twfe(data, "y", "unit", "time", "d", cluster="unit", inference="wild", seed=5)
    analytic = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert first == again
    assert first.estimate == analytic.estimate and first.se == analytic.se
    assert "webb weights" in first.inference and "seed 5" in first.inference
    assert first.ci_low < first.estimate < first.ci_high
    # the bootstrap p-value is a share of 999 draws
    assert round(first.pvalue * 999) == pytest.approx(first.pvalue * 999, abs=1e-9)
    assert any("Only 10 clusters" in w for w in first.warnings)


def test_wild_without_cluster_clusters_by_unit(panel_factory):
    data = panel_factory(n_units=16, cohorts={5: 8}, seed=9)
    result = twfe(data, "y", "unit", "time", "d", inference="wild", draws=199)
    assert "clustered by unit (16 clusters)" in result.inference
    assert result.nclusters == 16
