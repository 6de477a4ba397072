"""Synthetic DiD on simulated city panels: planted effects, placebo districts, staggered starts.

The simulated city has 20 districts × 12 years (2013–2024) of an SGB II rate in percent:
district levels around 12 % (sd 5), a common path that districts follow with different
strength (a one-factor model, so that weighting donors matters), district trends, and
year-to-year noise of 0.3 points. Treated districts get a constant effect from their start.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.did import synthetic_did
from evaluation.did.synthetic import FEW_DONORS, POOR_FIT_SHARE

YEARS = np.arange(2013, 2025)
DISTRICTS = [f"S{i + 1:02d}" for i in range(20)]


def simulate_city(seed: int, effects: dict[str, tuple[int, float]] | None = None) -> pd.DataFrame:
    """Long panel: district, year, sgb2 (percent), d (1 from the district's start year on).

    effects: district → (first treated year, effect in percentage points).
    """
    rng = np.random.default_rng(seed)
    n, t = len(DISTRICTS), YEARS.size
    level = rng.normal(12, 5, n)
    loading = rng.normal(1, 0.3, n)
    common = np.cumsum(rng.normal(0, 0.5, t))
    trend = rng.normal(0, 0.1, n)
    y = (
        level[:, None]
        + loading[:, None] * common[None, :]
        + trend[:, None] * np.arange(t)
        + rng.normal(0, 0.3, (n, t))
    )
    d = np.zeros((n, t))
    for district, (start, effect) in (effects or {}).items():
        on = start <= YEARS
        i = DISTRICTS.index(district)
        d[i, on] = 1.0
        y[i, on] += effect
    return pd.DataFrame(
        {
            "district": np.repeat(DISTRICTS, t),
            "year": np.tile(YEARS, n),
            "sgb2": y.ravel(),
            "d": d.ravel(),
        }
    )


def _run(data: pd.DataFrame, **options):
    return synthetic_did(data, "sgb2", "district", "year", "d", **options)


@pytest.fixture(scope="module")
def one_district() -> pd.DataFrame:
    return simulate_city(0, {"S01": (2020, -1.5)})


@pytest.fixture(scope="module")
def one_district_fit(one_district):
    return _run(one_district)


def test_planted_effect_in_one_district_lies_in_its_ci(one_district_fit):
    result = one_district_fit
    assert result.ci_low < -1.5 < result.ci_high
    assert result.pvalue < 0.05
    assert result.n_treated == 1 and result.n_donors == 19
    assert result.nobs == 20 * 12 and result.nclusters == 20
    # A good comparison: no caveat about the fit, and 19 donors are enough for a rank test.
    assert result.warnings == ()


def test_placebo_district_without_effect_is_not_significant(one_district):
    # The real programme district left out; another one "starts" in 2020 but nothing happens.
    data = one_district[one_district["district"] != "S01"].copy()
    data.loc[(data["district"] == "S05") & (data["year"] >= 2020), "d"] = 1.0
    result = _run(data)
    assert result.pvalue > 0.05
    assert result.ci_low < 0 < result.ci_high
    assert result.n_donors == 18 < FEW_DONORS
    assert any("Only 18 untreated units serve as donors" in w for w in result.warnings)


def test_results_carry_weights_and_chart_data(one_district_fit):
    result = one_district_fit
    weights = result.unit_weights
    assert weights.sum() == pytest.approx(1.0)
    assert (weights >= 0).all() and weights.is_monotonic_decreasing
    assert "S01" not in weights.index and len(weights) == 19
    assert list(result.time_weights.index) == list(range(2013, 2020))
    assert result.time_weights.sum() == pytest.approx(1.0)
    assert list(result.trajectory.columns) == ["time", "cohort", "treated", "synthetic"]
    assert len(result.trajectory) == 12
    assert list(result.placebo_estimates.columns) == ["unit", "estimate"]
    assert len(result.placebo_estimates) == 19
    assert 1 <= result.placebo_rank <= 20
    out = result.to_dict()
    assert {d["unit"] for d in out["donors"]} == set(weights.index[weights > 0])
    assert out["placebo_rank"] == result.placebo_rank and out["n_donors"] == 19


def test_two_districts_starting_together_are_one_block():
    data = simulate_city(3, {"S01": (2020, -1.0), "S02": (2020, -1.0)})
    result = _run(data)
    assert len(result.cohorts) == 1 and result.n_treated == 2
    assert result.cohorts.loc[0, "n_post"] == 5
    assert result.ci_low < -1.0 < result.ci_high


STAGGERED = {"S01": (2018, -1.0), "S02": (2021, -2.0)}
# Treated unit-periods: S01 7 years (2018–2024), S02 4 years (2021–2024).
STAGGERED_TRUTH = (7 * -1.0 + 4 * -2.0) / 11


@pytest.fixture(scope="module")
def staggered_data() -> pd.DataFrame:
    return simulate_city(1, STAGGERED)


@pytest.fixture(scope="module")
def staggered_fit(staggered_data):
    return _run(staggered_data)


def test_staggered_starts_average_cohorts_by_treated_unit_periods(staggered_data, staggered_fit):
    result = staggered_fit
    cohorts = result.cohorts.set_index("cohort")
    assert cohorts["weight"].to_dict() == pytest.approx({2018: 7 / 11, 2021: 4 / 11})
    assert result.estimate == pytest.approx((cohorts["weight"] * cohorts["estimate"]).sum())
    # Each cohort is the block design of its own district against the never-treated districts.
    for district, (start, _) in STAGGERED.items():
        alone = staggered_data[~staggered_data["district"].isin(set(STAGGERED) - {district})]
        assert _run(alone, replications=2).estimate == pytest.approx(cohorts.loc[start, "estimate"])
    assert result.ci_low < STAGGERED_TRUTH < result.ci_high
    assert "start of one of the real treated units" in result.inference


def test_staggered_results_combine_cohort_weights(staggered_fit):
    result = staggered_fit
    assert result.unit_weights.sum() == pytest.approx(1.0)
    assert result.time_weights.sum() == pytest.approx(1.0)
    # Time weights run over the pre-periods of the latest cohort (2013–2020).
    assert list(result.time_weights.index) == list(range(2013, 2021))
    assert set(result.trajectory["cohort"]) == {2018, 2021}
    assert len(result.placebo_estimates) == 18
    assert np.isfinite(result.se) and result.se > 0
    assert result.pre_rmse == pytest.approx(result.cohorts["pre_rmse"].max())


def test_sc_without_intercept_cannot_fit_a_district_above_all_others():
    data = simulate_city(2, {"S01": (2020, 0.0)})
    data.loc[data["district"] == "S01", "sgb2"] += 25.0
    sc = _run(data, estimator="sc", replications=2)
    sdid = _run(data, estimator="sdid", replications=2)
    assert any("tracks the treated unit poorly" in w for w in sc.warnings)
    assert sc.pre_rmse > POOR_FIT_SHARE * 5
    # SDID's intercept absorbs the level gap: the trends are what must match.
    assert not any("tracks" in w for w in sdid.warnings)
    assert abs(sdid.estimate) < abs(sc.estimate)


@pytest.mark.parametrize("estimator", ["sdid", "did"])
def test_unit_levels_and_a_linear_time_trend_change_nothing(one_district, estimator):
    # R synthdid's invariance tests (issue #38): Y + a_i + b·t gives the same weights and estimate.
    shifted = one_district.copy()
    codes = shifted["district"].str[1:].astype(int)
    shifted["sgb2"] += 2.5 * codes + 2.0 * (shifted["year"] - 2013)
    base = _run(one_district, estimator=estimator, replications=20)
    moved = _run(shifted, estimator=estimator, replications=20)
    assert moved.estimate == pytest.approx(base.estimate, rel=1e-6)
    assert moved.se == pytest.approx(base.se, rel=1e-6)
    np.testing.assert_allclose(moved.unit_weights, base.unit_weights, atol=1e-8)


def test_rescaling_the_outcome_rescales_estimate_and_se_only(one_district, one_district_fit):
    scaled = one_district.assign(sgb2=one_district["sgb2"] * 1000.0)
    result = _run(scaled)
    assert result.estimate == pytest.approx(1000 * one_district_fit.estimate, rel=1e-6)
    assert result.se == pytest.approx(1000 * one_district_fit.se, rel=1e-6)
    np.testing.assert_allclose(result.unit_weights, one_district_fit.unit_weights, atol=1e-8)
    np.testing.assert_allclose(result.time_weights, one_district_fit.time_weights, atol=1e-8)


def test_same_seed_same_result_other_seed_other_se(one_district, one_district_fit):
    again = _run(one_district)
    assert again.se == one_district_fit.se
    other = _run(one_district, seed=7)
    assert other.estimate == one_district_fit.estimate
    assert other.se != one_district_fit.se


def test_incomplete_donor_is_left_out_with_a_warning(one_district):
    data = one_district.copy()
    data.loc[(data["district"] == "S09") & (data["year"] == 2015), "sgb2"] = np.nan
    result = _run(data, estimator="did")
    assert "S09" not in result.unit_weights.index
    assert result.n_donors == 18
    assert any("1 rows without a value for sgb2" in w for w in result.warnings)
    assert any("Left out 1 unit(s)" in w and "S09" in w for w in result.warnings)


def test_placebo_needs_more_donors_than_treated_units():
    data = simulate_city(4, {d: (2020, -1.0) for d in DISTRICTS[:10]})
    result = _run(data, estimator="did")
    assert np.isnan(result.se)
    expected = "needs more never-treated units (10) than treated units (10)"
    assert any(expected in w for w in result.warnings)


def _switch_off(data: pd.DataFrame) -> pd.DataFrame:
    off = (data["district"] == "S01") & (data["year"] == 2023)
    return data.assign(d=np.where(off, 0.0, data["d"]))


def _start_in_second_year(data: pd.DataFrame) -> pd.DataFrame:
    early = (data["district"] == "S01") & (data["year"] >= 2014)
    return data.assign(d=np.where(early, 1.0, data["d"]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.assign(d=d["d"] * 2), "must be 0 or 1"),
        (lambda d: d.assign(d=0.0), "nothing to evaluate"),
        (lambda d: pd.concat([d, d.iloc[:1]]), "appear more than once"),
        (lambda d: d.drop(columns="sgb2"), "columns not in the data: sgb2"),
        (_switch_off, "must stay on once it starts"),
        (_start_in_second_year, "at least 2 periods before its start"),
    ],
)
def test_input_that_is_no_adoption_design_is_refused(one_district, change, message):
    with pytest.raises(ValueError, match=message):
        _run(change(one_district))


@pytest.mark.parametrize(
    ("option", "value"),
    [("estimator", "synth"), ("inference", "wild"), ("replications", 1), ("alpha", 1.5)],
)
def test_invalid_options_are_refused(one_district, option, value):
    with pytest.raises(ValueError, match=option):
        _run(one_district, **{option: value})


def test_staggered_jackknife_needs_two_units_in_every_cohort(staggered_data):
    result = _run(staggered_data, inference="jackknife")
    assert np.isnan(result.se)
    assert any("when a start cohort has a single treated unit" in w for w in result.warnings)


def test_district_treated_from_the_start_is_left_out_with_a_warning(one_district):
    data = one_district.copy()
    data.loc[data["district"] == "S07", "d"] = 1.0
    result = _run(data, estimator="did")
    assert result.n_treated == 1 and result.n_donors == 18
    assert "S07" not in result.unit_weights.index
    assert any("Left out 1 treated unit(s)" in w and "S07" in w for w in result.warnings)
