"""TWFE event study against pyfixest's `i(rel_time, ref=-1)` with the same binning.

Reference: pyfixest 0.60 `feols("y ~ i(rel, ref=-1) | unit + time", vcov={"CRV1": unit})`,
never-treated units put into the reference category (they carry no relative-time dummy), and
its `wald_test` statistic for the leads.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
from scipy import stats

from evaluation.did import event_study


def _pyfixest(data: pd.DataFrame, start: str, leads: int, lags: int, cluster: str = "countyreal"):
    cohort = data[start].fillna(0)
    rel = np.clip(data["year"] - cohort, -leads, lags)
    frame = data.assign(rel=np.where(cohort == 0, -1, rel).astype(int))
    return pf.feols("lemp ~ i(rel, ref=-1) | countyreal + year", frame, vcov={"CRV1": cluster})


@pytest.mark.parametrize(("leads", "lags"), [(4, 4), (3, 2), (2, 1)])
def test_coefficients_match_pyfixest(mpdta, leads, lags):
    result = event_study(
        mpdta, "lemp", "countyreal", "year", "first.treat", leads, lags, cluster="countyreal"
    )
    model = _pyfixest(mpdta, "first.treat", leads, lags)
    names = [f"rel::{e}" for e in result.coefficients["rel_time"]]
    assert sorted(names) == sorted(model.coef().index)
    np.testing.assert_allclose(result.coefficients["estimate"], model.coef()[names], rtol=1e-8)
    np.testing.assert_allclose(result.coefficients["se"], model.se()[names], rtol=1e-8)
    confint = model.confint().loc[names]
    np.testing.assert_allclose(result.coefficients["ci_low"], confint.iloc[:, 0], rtol=1e-7)
    np.testing.assert_allclose(result.coefficients["ci_high"], confint.iloc[:, 1], rtol=1e-7)
    assert -1 not in set(result.coefficients["rel_time"])
    assert result.coefficients["rel_time"].min() >= -leads
    assert result.coefficients["rel_time"].max() <= lags


def test_pretrend_is_the_cluster_robust_wald_test_with_f_reference(mpdta):
    result = event_study(mpdta, "lemp", "countyreal", "year", "first.treat", 3, 2, "countyreal")
    model = _pyfixest(mpdta, "first.treat", 3, 2)
    names = list(model.coef().index)
    restriction = np.array([[1.0 * (n == lead) for n in names] for lead in ("rel::-3", "rel::-2")])
    wald = model.wald_test(R=restriction, distribution="chi2")["statistic"]
    assert result.pretrend_pvalue == pytest.approx(stats.f.sf(wald / 2, 2, 499), rel=1e-8)
    assert "F(2, 499)" in result.inference


def test_missing_cohort_means_never_treated(mpdta):
    as_nan = mpdta.assign(start=mpdta["first.treat"].replace(0, np.nan))
    result = event_study(as_nan, "lemp", "countyreal", "year", "start", cluster="countyreal")
    zero = event_study(mpdta, "lemp", "countyreal", "year", "first.treat", cluster="countyreal")
    pd.testing.assert_frame_equal(result.coefficients, zero.coefficients)


def test_planted_dynamic_effect_is_recovered_with_flat_leads(panel_factory):
    data = panel_factory(n_units=80, n_periods=10, cohorts={6: 40}, seed=13, noise=0.5)
    rel = data["time"] - data["cohort"]
    data["y"] = data["y"] + np.where((data["cohort"] > 0) & (rel >= 0), 0.5 + 0.25 * rel, 0.0)
    result = event_study(data, "y", "unit", "time", "cohort", leads=3, lags=3, cluster="unit")
    table = result.coefficients.set_index("rel_time")
    truth = {0: 0.5, 1: 0.75, 2: 1.0}
    for e, value in truth.items():
        assert table.loc[e, "ci_low"] < value < table.loc[e, "ci_high"]
    assert (table.loc[[-3, -2], "ci_low"] < 0).all() and (table.loc[[-3, -2], "ci_high"] > 0).all()
    assert result.pretrend_pvalue > 0.10
    assert not any("moved apart" in w for w in result.warnings)


def test_diverging_pre_trends_are_flagged(panel_factory):
    data = panel_factory(n_units=60, n_periods=8, cohorts={6: 30}, seed=17, noise=0.3)
    data["y"] = data["y"] + np.where(data["cohort"] > 0, 0.3 * data["time"], 0.0)
    result = event_study(data, "y", "unit", "time", "cohort", leads=4, lags=2, cluster="unit")
    assert result.pretrend_pvalue < 0.10
    assert any("already moved apart" in w for w in result.warnings)


def test_without_never_treated_the_unidentified_terms_are_dropped_and_said(panel_factory):
    # Two cohorts, no never-treated: unit effects, period effects and a full set of relative-time
    # dummies are collinear; pyfixest drops the same two (rel 3 and 4) as we do.
    data = panel_factory(n_units=30, n_periods=8, cohorts={4: 15, 6: 15}, seed=2)
    result = event_study(data, "y", "unit", "time", "cohort", leads=5, lags=4, cluster="unit")
    model = pf.feols(
        "y ~ i(rel, ref=-1) | unit + time",
        data.assign(rel=np.clip(data["time"] - data["cohort"], -5, 4)),
        vcov={"CRV1": "unit"},
    )
    names = [f"rel::{e}" for e in result.coefficients["rel_time"]]
    assert names == list(model.coef().index)
    np.testing.assert_allclose(result.coefficients["estimate"], model.coef(), rtol=1e-8)
    np.testing.assert_allclose(result.coefficients["se"], model.se(), rtol=1e-8)
    assert any("No district stays untreated" in w for w in result.warnings)
    assert any("cannot be told apart" in w for w in result.warnings)
    assert np.isfinite(result.coefficients["se"]).all()
    single = panel_factory(n_units=30, n_periods=8, cohorts={4: 30}, seed=2)
    with pytest.raises(ValueError, match="period effects absorb"):
        event_study(single, "y", "unit", "time", "cohort", cluster="unit")


def test_warnings_for_short_history_and_few_clusters(panel_factory):
    data = panel_factory(n_units=8, n_periods=5, cohorts={2: 3}, seed=6)
    result = event_study(data, "y", "unit", "time", "cohort", leads=2, lags=2, cluster="unit")
    assert any("Fewer than 2 periods before the start" in w for w in result.warnings)
    assert any("Only 3 treated cluster(s)" in w for w in result.warnings)
    assert any("Only 8 clusters" in w for w in result.warnings)


def test_to_dict_is_valid_json(mpdta):
    result = event_study(mpdta, "lemp", "countyreal", "year", "first.treat", cluster="countyreal")
    out = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert [row["rel_time"] for row in out["event_study"]] == [-4, -3, -2, 0, 1, 2, 3]
    assert 0 < out["pretrend_pvalue"] < 1
