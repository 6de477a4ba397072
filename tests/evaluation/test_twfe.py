"""TWFE against the reference numbers on mpdta, pyfixest, linearmodels and explicit dummies.

References: DOMAIN.md §5–6 (b = −0.0365489367, CR1 s.e. 0.0132651554 in fixest's convention,
0.0148316380 with all county dummies in K); pyfixest 0.60 `feols(... | unit + time)`, whose
small-sample correction is fixest's default; linearmodels `PanelOLS` with entity and time
effects clustered by entity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import statsmodels.api as sm
from linearmodels.panel import PanelOLS

from evaluation.did import twfe

REL = 1e-8


def _check_against(result, model, name: str = "d") -> None:
    assert result.estimate == pytest.approx(model.coef()[name], rel=REL)
    assert result.se == pytest.approx(model.se()[name], rel=REL)
    assert result.pvalue == pytest.approx(model.pvalue()[name], rel=1e-6)
    low, high = model.confint().loc[name]
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-7)


def test_mpdta_matches_reference_numbers(mpdta):
    # DOMAIN.md §6: TWFE on mpdta, CR1 by county in fixest's convention.
    result = twfe(mpdta, "lemp", "countyreal", "year", "d", cluster="countyreal")
    assert result.estimate == pytest.approx(-0.0365489367, abs=5e-11)
    assert result.se == pytest.approx(0.0132651554, abs=5e-11)
    assert result.nobs == 2500
    assert result.nclusters == 500
    assert result.method == "twfe"
    assert "499 df" in result.inference


def test_mpdta_matches_pyfixest_crv1(mpdta):
    result = twfe(mpdta, "lemp", "countyreal", "year", "d", cluster="countyreal")
    model = pf.feols("lemp ~ d | countyreal + year", mpdta, vcov={"CRV1": "countyreal"})
    _check_against(result, model)


def test_mpdta_with_population_weights_matches_pyfixest(mpdta):
    result = twfe(mpdta, "lemp", "countyreal", "year", "d", cluster="countyreal", weights="w")
    model = pf.feols(
        "lemp ~ d | countyreal + year", mpdta, vcov={"CRV1": "countyreal"}, weights="w"
    )
    _check_against(result, model)


def test_mpdta_with_covariate_and_weights_matches_pyfixest(mpdta):
    result = twfe(
        mpdta,
        "lemp",
        "countyreal",
        "year",
        "d",
        cluster="countyreal",
        covariates=["x"],
        weights="w",
    )
    model = pf.feols(
        "lemp ~ d + x | countyreal + year", mpdta, vcov={"CRV1": "countyreal"}, weights="w"
    )
    _check_against(result, model)
    unweighted = twfe(mpdta, "lemp", "countyreal", "year", "d", "countyreal", covariates=["x"])
    _check_against(
        unweighted,
        pf.feols("lemp ~ d + x | countyreal + year", mpdta, vcov={"CRV1": "countyreal"}),
    )


def test_time_invariant_covariate_is_dropped_with_a_note(mpdta):
    result = twfe(mpdta, "lemp", "countyreal", "year", "d", "countyreal", covariates=["lpop"])
    plain = twfe(mpdta, "lemp", "countyreal", "year", "d", "countyreal")
    assert result.estimate == pytest.approx(plain.estimate, rel=1e-12)
    assert result.se == pytest.approx(plain.se, rel=1e-12)
    assert any("Covariates lpop do not vary" in w for w in result.warnings)


def test_clusters_coarser_than_units_match_pyfixest(mpdta):
    # Counties nested in states: the county effects are nested in the clusters, the years not.
    result = twfe(mpdta, "lemp", "countyreal", "year", "d", cluster="state")
    model = pf.feols("lemp ~ d | countyreal + year", mpdta, vcov={"CRV1": "state"})
    _check_against(result, model)
    assert result.nclusters == mpdta["state"].nunique()


def test_unbalanced_panel_equals_dummy_regression_and_pyfixest(mpdta):
    rng = np.random.default_rng(7)
    counties = mpdta[mpdta["countyreal"].isin(mpdta["countyreal"].unique()[:150])]
    holes = counties.drop(index=rng.choice(counties.index, 120, replace=False))
    result = twfe(holes, "lemp", "countyreal", "year", "d", cluster="countyreal", weights="w")
    # Exact dummy-variable WLS: the within transformation must reproduce it to rounding.
    dummies = pd.get_dummies(holes[["countyreal", "year"]].astype(str), drop_first=True)
    design = sm.add_constant(pd.concat([holes[["d"]], dummies], axis=1).astype(float))
    wls = sm.WLS(holes["lemp"], design, weights=holes["w"]).fit()
    assert result.estimate == pytest.approx(wls.params["d"], rel=1e-10)
    model = pf.feols(
        "lemp ~ d | countyreal + year",
        holes,
        vcov={"CRV1": "countyreal"},
        weights="w",
        demeaner=pf.MapDemeaner(fixef_tol=1e-14),
    )
    _check_against(result, model)


def test_singletons_are_dropped_like_pyfixest(mpdta):
    # Counties observed once are fitted by their own dummy; pyfixest drops them by default.
    rng = np.random.default_rng(3)
    lonely = rng.choice(mpdta["countyreal"].unique(), 5, replace=False)
    keep = ~mpdta["countyreal"].isin(lonely) | (mpdta["year"] == 2005)
    data = mpdta[keep]
    result = twfe(data, "lemp", "countyreal", "year", "d", cluster="countyreal")
    model = pf.feols("lemp ~ d | countyreal + year", data, vcov={"CRV1": "countyreal"})
    _check_against(result, model)
    assert result.nobs == 2500 - 5 * 5  # four dropped by us, the fifth row as a singleton
    note = "5 rows of units or periods observed only once"
    assert any(w.startswith(note) for w in result.warnings)


def test_linearmodels_panelols_gives_the_same_coefficient(mpdta):
    indexed = mpdta.set_index(["countyreal", "year"])
    model = PanelOLS(indexed["lemp"], indexed[["d"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True, group_debias=True, debiased=True
    )
    result = twfe(mpdta, "lemp", "countyreal", "year", "d", cluster="countyreal")
    assert result.estimate == pytest.approx(model.params["d"], rel=1e-10)
    # linearmodels counts all 500 county dummies in K (DOMAIN.md §5: 0.0148316380); fixest
    # counts K = 6 here. The ratio is exactly sqrt((N − 6)/(N − 505)), nothing else differs.
    assert model.std_errors["d"] == pytest.approx(0.0148316380, abs=5e-11)
    assert result.se * np.sqrt((2500 - 6) / (2500 - 505)) == pytest.approx(
        model.std_errors["d"], rel=1e-10
    )


def test_without_cluster_errors_are_classical_like_pyfixest_iid(mpdta):
    result = twfe(mpdta, "lemp", "countyreal", "year", "d")
    model = pf.feols("lemp ~ d | countyreal + year", mpdta, vcov="iid")
    _check_against(result, model)
    assert result.nclusters is None
    assert any("pass cluster=" in w for w in result.warnings)


def test_staggered_starts_point_to_staggered(mpdta):
    result = twfe(mpdta, "lemp", "countyreal", "year", "d", cluster="countyreal")
    assert any("Goodman-Bacon 2021" in w and "`staggered`" in w for w in result.warnings)


def test_single_start_date_has_no_staggering_warning(panel_factory):
    data = panel_factory(n_units=40, cohorts={5: 15}, effect=1.0, seed=2)
    result = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert not any("Goodman-Bacon" in w for w in result.warnings)


def test_dose_is_reported_as_continuous_did(panel_factory):
    data = panel_factory(n_units=40, cohorts={5: 20}, seed=4)
    rng = np.random.default_rng(0)
    dose = rng.uniform(5, 30, 40)[data["unit"]]
    data["euros"] = data["d"] * dose
    data["y"] = data["y"] + 0.02 * data["euros"]
    result = twfe(data, "y", "unit", "time", "euros", cluster="unit")
    model = pf.feols("y ~ euros | unit + time", data, vcov={"CRV1": "unit"})
    _check_against(result, model, "euros")
    assert result.method == "twfe_dose"
    assert any("Callaway, Goodman-Bacon & Sant'Anna 2024" in w for w in result.warnings)
    with pytest.raises(ValueError, match="0/1 treatment"):
        twfe(data, "y", "unit", "time", "euros", cluster="unit", inference="randomization")


def test_planted_effect_is_recovered_and_placebo_is_not_significant(panel_factory):
    data = panel_factory(n_units=60, n_periods=8, cohorts={5: 25}, effect=0.8, seed=11)
    result = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert result.ci_low < 0.8 < result.ci_high
    assert result.pvalue < 0.001
    # Placebo: pretend the programme started two periods early, using only pre-periods.
    pre = data[data["time"] < 5].copy()
    pre["fake"] = ((pre["cohort"] > 0) & (pre["time"] >= 3)).astype(float)
    placebo = twfe(pre, "y", "unit", "time", "fake", cluster="unit")
    assert placebo.pvalue > 0.10
    assert placebo.ci_low < 0 < placebo.ci_high


def test_auto_inference_follows_cluster_counts(mpdta, panel_factory):
    many = twfe(mpdta, "lemp", "countyreal", "year", "d", "countyreal", inference="auto")
    assert many.inference.startswith("auto: CR1") and "500 clusters (≥ 40)" in many.inference
    middling = panel_factory(n_units=20, cohorts={5: 8}, effect=0.5, seed=5)
    wild = twfe(middling, "y", "unit", "time", "d", "unit", inference="auto", draws=199)
    assert wild.inference.startswith("auto: wild cluster bootstrap")
    assert "only 20 clusters (< 40)" in wild.inference
    few_treated = panel_factory(n_units=20, cohorts={5: 3}, effect=0.5, seed=5)
    ri = twfe(few_treated, "y", "unit", "time", "d", "unit", inference="auto", draws=199)
    assert ri.inference.startswith("auto: randomization inference")
    assert "only 3 treated clusters" in ri.inference


def test_unknown_inference_is_rejected(mpdta):
    with pytest.raises(ValueError, match="inference must be one of"):
        twfe(mpdta, "lemp", "countyreal", "year", "d", inference="jackknife")


def test_duplicate_unit_periods_are_rejected(mpdta):
    with pytest.raises(ValueError, match="several rows per"):
        twfe(pd.concat([mpdta, mpdta.head(3)]), "lemp", "countyreal", "year", "d")


def test_auto_without_cluster_clusters_by_the_unit_and_says_so(mpdta):
    # SPEC §7 / guide: "auto" picks by the number of clusters and says what it picked. In a
    # panel the unit is the cluster when none is named; classical errors only on request.
    auto = twfe(mpdta, "lemp", "countyreal", "year", "d", inference="auto")
    by_county = twfe(mpdta, "lemp", "countyreal", "year", "d", cluster="countyreal")
    assert auto.estimate == by_county.estimate
    assert auto.se == pytest.approx(0.0132651554, abs=5e-11)  # DOMAIN.md §6, CR1 by county
    assert auto.se == by_county.se
    assert auto.nclusters == 500
    assert auto.inference.startswith("auto: CR1 cluster-robust by countyreal (500 clusters)")
    assert "no cluster given, so clustered by the unit (countyreal)" in auto.inference
    assert not any("pass cluster=" in w for w in auto.warnings)
    classical = twfe(mpdta, "lemp", "countyreal", "year", "d")
    assert classical.nclusters is None and classical.se != auto.se


def test_disconnected_panel_equals_dummy_regression(panel_factory):
    # Two groups of districts observed in disjoint periods: two unit/period dummies are
    # redundant, not one, and the within transformation must drop both, weighted or not.
    first = panel_factory(n_units=12, n_periods=6, cohorts={4: 5}, effect=0.5, seed=1)
    second = panel_factory(n_units=10, n_periods=5, cohorts={3: 4}, effect=0.5, seed=2)
    second = second.assign(unit=second["unit"] + 100, time=second["time"] + 10)
    data = pd.concat([first, second], ignore_index=True)
    data["w"] = 1.0 + data["unit"] % 4
    dummies = pd.get_dummies(data[["unit", "time"]].astype(str), drop_first=True)
    design = sm.add_constant(pd.concat([data[["d"]], dummies], axis=1).astype(float))
    for weights in (None, "w"):
        result = twfe(data, "y", "unit", "time", "d", cluster="unit", weights=weights)
        w = data["w"] if weights else np.ones(len(data))
        ols = sm.WLS(data["y"], design, weights=w).fit()
        assert result.estimate == pytest.approx(ols.params["d"], rel=1e-10)


def test_sparse_unbalanced_panel_matches_pyfixest():
    # 300 districts, each observed for 6 consecutive periods out of 80: the units × periods
    # table is mostly empty and is handled as a sparse matrix (within.py).
    rng = np.random.default_rng(11)
    units, periods, length = 300, 80, 6
    first = rng.integers(1, periods - length + 2, units)
    unit = np.repeat(np.arange(units), length)
    time = first[unit] + np.tile(np.arange(length), units)
    start = np.where(rng.random(units) < 0.5, first + rng.integers(1, length, units), 0)
    d = ((start[unit] > 0) & (time >= start[unit])).astype(float)
    y = rng.normal(0, 1, units)[unit] + np.sin(time / 9) + 0.4 * d + rng.standard_normal(d.size)
    data = pd.DataFrame({"unit": unit, "time": time, "d": d, "y": y})
    result = twfe(data, "y", "unit", "time", "d", cluster="unit")
    model = pf.feols(
        "y ~ d | unit + time",
        data,
        vcov={"CRV1": "unit"},
        demeaner=pf.MapDemeaner(fixef_tol=1e-14, fixef_maxiter=100_000),
    )
    _check_against(result, model)


def test_treatment_that_stops_is_reported_and_not_permuted(panel_factory):
    data = panel_factory(n_units=30, n_periods=8, cohorts={4: 10}, effect=0.5, seed=8)
    stops = data["unit"].isin([0, 1]) & (data["time"] == 7)
    data.loc[stops, "d"] = 0.0
    result = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert any(w.startswith("In 2 unit(s) the treatment stops again") for w in result.warnings)
    with pytest.raises(ValueError, match="stays on once started"):
        twfe(data, "y", "unit", "time", "d", cluster="unit", inference="randomization")
