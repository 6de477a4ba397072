"""Randomization inference over reassigned start dates (MacKinnon & Webb 2020 RI-t)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

from evaluation.did import twfe
from evaluation.did.randomization import assignment_count, distinct_assignments


def test_distinct_assignments_are_every_arrangement_once():
    labels = np.array([0, 0, 0, 2005, 2005, 2007])
    rows = distinct_assignments(labels)
    assert rows.shape == (assignment_count(labels), 6) == (60, 6)  # 6!/(3!·2!·1!)
    assert len({tuple(r) for r in rows}) == 60
    assert all(sorted(r) == sorted(labels) for r in rows)


def test_enumerated_pvalue_equals_brute_force_refits(panel_factory):
    # 6 districts, start dates {3, 4, never × 4}: 6!/(1!·1!·4!) = 30 assignments, all used.
    data = panel_factory(n_units=6, n_periods=6, cohorts={3: 1, 4: 1}, effect=0.7, seed=21)
    result = twfe(data, "y", "unit", "time", "d", cluster="unit", inference="randomization")
    assert "all 30 distinct assignments" in result.inference
    observed = data.groupby("unit")["cohort"].first().to_numpy()
    t_stats = []
    for cohorts in distinct_assignments(observed):
        start = cohorts[data["unit"].to_numpy()]
        moved = data.assign(d=((start > 0) & (data["time"] >= start)).astype(float))
        fit = twfe(moved, "y", "unit", "time", "d", cluster="unit")
        t_stats.append(fit.estimate / fit.se)
    t_obs = result.estimate / result.se
    expected = np.mean(np.abs(t_stats) >= abs(t_obs) * (1 - 1e-9))
    assert result.pvalue == pytest.approx(expected, abs=1e-12)


def test_pvalues_are_uniform_under_the_null(panel_factory):
    # No effect, exchangeable districts: RI is exact, so p-values are (discrete) uniform.
    pvalues = []
    for seed in range(60):
        data = panel_factory(n_units=10, n_periods=4, cohorts={3: 3}, effect=0.0, seed=seed)
        result = twfe(data, "y", "unit", "time", "d", cluster="unit", inference="randomization")
        pvalues.append(result.pvalue)
    pvalues = np.array(pvalues)
    rejections = int((pvalues <= 0.10).sum())
    # Binomial(60, 0.1): P(X > 13) < 0.001
    assert rejections <= 13
    assert stats.kstest(pvalues, "uniform").pvalue > 0.01


def test_sampled_reassignments_are_reproducible(panel_factory):
    data = panel_factory(n_units=40, cohorts={4: 8, 6: 8}, effect=0.5, seed=3)
    first = twfe(data, "y", "unit", "time", "d", "unit", inference="randomization", draws=199)
    again = twfe(data, "y", "unit", "time", "d", "unit", inference="randomization", draws=199)
    assert first == again
    assert "199 random reassignments" in first.inference
    assert first.pvalue * 200 == pytest.approx(round(first.pvalue * 200), abs=1e-9)
    assert first.ci_low < 0.5 < first.ci_high


def test_ci_bounds_invert_the_randomization_test(panel_factory):
    data = panel_factory(n_units=12, n_periods=6, cohorts={4: 4}, effect=1.0, seed=5)
    result = twfe(data, "y", "unit", "time", "d", cluster="unit", inference="randomization")
    assert result.ci_low < result.estimate < result.ci_high
    # Testing "the effect is β0" is testing zero effect on y − β0·d: the p-value falls to 5 %
    # just outside each bound and stays above it just inside.
    step = 1e-4 * result.se

    def pvalue_for(effect: float) -> float:
        moved = data.assign(y=data["y"] - effect * data["d"])
        return twfe(moved, "y", "unit", "time", "d", "unit", inference="randomization").pvalue

    assert pvalue_for(result.ci_low - step) <= 0.05 < pvalue_for(result.ci_low + step)
    assert pvalue_for(result.ci_high + step) <= 0.05 < pvalue_for(result.ci_high - step)


def test_too_few_assignments_give_an_unbounded_interval(panel_factory):
    # 4 districts, one treated: only 4 assignments, the smallest p-value is 1/4.
    data = panel_factory(n_units=4, n_periods=5, cohorts={3: 1}, effect=5.0, seed=1)
    result = twfe(data, "y", "unit", "time", "d", cluster="unit", inference="randomization")
    assert result.pvalue >= 0.25
    assert math.isinf(result.ci_low) and math.isinf(result.ci_high)
    out = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert out["ci"] == [None, None]
