"""Synthetic DiD on California's Proposition 99 against R `synthdid` and the published results.

References (tests/data/prop99/README.md):
- R synthdid 0.0.9 (synth-inference/synthdid) on `california_prop99`: synthdid_estimate
  −15.60383, sc_estimate −19.61966, did_estimate −27.34911 (printed to 7 significant digits).
- reference_*.csv: weights, estimates, in-space placebos and standard errors from synthdid-py
  0.1.0, a line-by-line port of the R package that reproduces those estimates; exact doubles.
- Arkhangelsky et al. (2021, AER), Table 1 (s.e. 8.4 / 9.9 / 17.7 by 200 placebo replications)
  and the appendix weight tables (three decimals).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from evaluation.did import synthetic_did
from evaluation.did.results import SyntheticDidEstimate

DATA = Path(__file__).parents[1] / "data" / "prop99"
ESTIMATORS = ("sdid", "sc", "did")
# R synthdid's printed estimates (README of synthdid-py, table "Verified against the R
# implementation"; R vignette synthdid.Rmd).
R_ESTIMATES = {"sdid": -15.60383, "sc": -19.61966, "did": -27.34911}
# Arkhangelsky et al. (2021), Table 1: placebo standard errors, 200 replications.
PAPER_SE = {"sdid": 8.4, "sc": 9.9, "did": 17.7}
# The same solver, the same iterations: only rounding in a different order separates us.
WEIGHT_TOL = 1e-9
EXTRA_TREATED = ("Alabama", "Wyoming")


@pytest.fixture(scope="module")
def prop99() -> pd.DataFrame:
    return pd.read_csv(DATA / "california_prop99.csv", sep=";")


@pytest.fixture(scope="module")
def fits(prop99) -> dict[str, SyntheticDidEstimate]:
    return {
        e: synthetic_did(prop99, "PacksPerCapita", "State", "Year", "treated", e)
        for e in ESTIMATORS
    }


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"reference_{name}.csv")


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_estimates_equal_r_synthdid_to_printed_digits(fits, estimator):
    assert round(fits[estimator].estimate, 5) == R_ESTIMATES[estimator]
    reference = _reference("estimates").set_index("estimator")
    assert fits[estimator].estimate == pytest.approx(
        reference.loc[estimator, "estimate"], abs=1e-10
    )


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_unit_and_time_weights_equal_reference(fits, estimator):
    reference = _reference("weights")
    reference = reference[reference["estimator"] == estimator]
    unit = reference[reference["kind"] == "unit"].set_index("label")["weight"]
    period = reference[reference["kind"] == "time"].set_index("label")["weight"]
    result = fits[estimator]
    ours_unit = result.unit_weights.reindex(unit.index)
    np.testing.assert_allclose(ours_unit.to_numpy(), unit.to_numpy(), rtol=0, atol=WEIGHT_TOL)
    ours_time = result.time_weights.set_axis(result.time_weights.index.astype(str))
    np.testing.assert_allclose(
        ours_time.reindex(period.index.astype(str)).to_numpy(), period.to_numpy(), atol=WEIGHT_TOL
    )
    assert set(result.unit_weights.index) == set(unit.index)
    assert list(result.time_weights.index) == list(range(1970, 1989))


def test_weights_match_the_papers_appendix_tables(fits):
    sdid, sc = fits["sdid"], fits["sc"]
    # Arkhangelsky et al. (2021), appendix: SDID time weights and leading unit weights.
    assert sdid.time_weights.round(3)[[1986, 1987, 1988]].tolist() == [0.366, 0.206, 0.427]
    assert (sdid.time_weights.loc[:1985] == 0).all()
    assert sdid.unit_weights.round(3).iloc[:4].to_dict() == {
        "Nevada": 0.124,
        "New Hampshire": 0.105,
        "Connecticut": 0.078,
        "Delaware": 0.070,
    }
    # SC: sparse, seven states, and no time weights.
    assert sc.unit_weights[sc.unit_weights > 0].round(3).to_dict() == {
        "Utah": 0.396,
        "Montana": 0.232,
        "Nevada": 0.204,
        "Connecticut": 0.104,
        "New Hampshire": 0.045,
        "Colorado": 0.013,
        "Delaware": 0.004,
    }
    assert (sc.time_weights == 0).all()
    assert fits["did"].unit_weights.eq(1 / 38).all()


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_in_space_placebos_are_the_placebo_distribution_of_r(fits, estimator):
    reference = _reference("placebos")
    reference = reference[reference["estimator"] == estimator].set_index("unit")["estimate"]
    ours = fits[estimator].placebo_estimates.set_index("unit")["estimate"]
    np.testing.assert_allclose(ours.reindex(reference.index), reference, atol=1e-8)


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_placebo_se_is_papers_table_1_within_monte_carlo_error(fits, estimator):
    result = fits[estimator]
    placebos = result.placebo_estimates["estimate"].to_numpy()
    # With one treated unit each placebo replication draws one donor's in-space placebo, so the
    # 200-replication se is the sd of 200 draws from these 38 values. Its spread over seeds:
    rng = np.random.default_rng(2021)
    draws = rng.choice(placebos, size=(4000, result.replications)).std(axis=1)
    low, high = np.quantile(draws, [0.005, 0.995])
    assert low < PAPER_SE[estimator] < high
    assert low < result.se < high
    # Same generator (numpy default_rng(0)), same draw rule as the port: the very same se.
    reference = _reference("estimates").set_index("estimator").loc[estimator]
    assert result.se == pytest.approx(reference["placebo_se_seed0"], abs=1e-8)
    assert np.std(placebos) == pytest.approx(reference["in_space_sd"], abs=1e-8)


def test_ci_and_pvalue_come_from_the_normal(fits):
    result = fits["sdid"]
    assert result.ci_low == pytest.approx(result.estimate - 1.959964 * result.se, abs=1e-5)
    assert result.ci_high == pytest.approx(result.estimate + 1.959964 * result.se, abs=1e-5)
    z = result.estimate / result.se
    assert result.pvalue == pytest.approx(2 * norm.sf(abs(z)))
    assert result.method == "sdid"
    assert result.nobs == 39 * 31
    assert result.nclusters == 39
    assert result.n_treated == 1 and result.n_donors == 38
    assert "placebo" in result.inference and "200" in result.inference


def test_california_ranks_near_the_top_of_its_placebos(fits):
    result = fits["sdid"]
    larger = (result.placebo_estimates["estimate"].abs() >= abs(result.estimate)).sum()
    assert result.placebo_rank == 1 + larger
    # Only Rhode Island's placebo (−31.7) is larger in absolute value than California's −15.6.
    assert result.placebo_rank == 2
    assert result.placebo_pvalue == pytest.approx(2 / 39)


def test_trajectory_gap_reproduces_the_estimate(fits):
    for estimator, result in fits.items():
        path = result.trajectory.set_index("time")
        gap = path["treated"] - path["synthetic"]
        pre = result.time_weights
        post_gap = gap.loc[1989:].mean()
        assert post_gap - (gap.loc[pre.index] * pre).sum() == pytest.approx(result.estimate), (
            estimator
        )
        assert np.sqrt((gap.loc[:1988] ** 2).mean()) == pytest.approx(result.pre_rmse)
        assert (path["cohort"] == 1989).all()


def test_only_the_did_comparison_fits_california_poorly(fits):
    assert not any("tracks" in w for w in fits["sdid"].warnings)
    assert not any("tracks" in w for w in fits["sc"].warnings)
    assert any("tracks the treated unit poorly" in w for w in fits["did"].warnings)
    assert fits["sdid"].pre_rmse < 2 < 7 < fits["did"].pre_rmse


def test_to_dict_lists_donors_with_weight(fits):
    out = fits["sc"].to_dict()
    assert [d["unit"] for d in out["donors"]][:3] == ["Utah", "Montana", "Nevada"]
    assert len(out["donors"]) == 7
    assert sum(d["weight"] for d in out["donors"]) == pytest.approx(1.0)
    assert out["method"] == "sc"
    assert out["placebo_rank"] == fits["sc"].placebo_rank
    assert out["pre_rmse"] == pytest.approx(fits["sc"].pre_rmse)
    assert len(out["ci"]) == 2


@pytest.mark.parametrize("inference", ["jackknife", "bootstrap"])
def test_resampling_inference_with_one_treated_unit_gives_no_se_and_says_why(prop99, inference):
    result = synthetic_did(
        prop99, "PacksPerCapita", "State", "Year", "treated", "did", inference=inference
    )
    assert np.isnan(result.se) and np.isnan(result.ci_low) and np.isnan(result.pvalue)
    assert any("not defined with one treated unit" in w for w in result.warnings)
    assert result.estimate == pytest.approx(R_ESTIMATES["did"], abs=1e-5)
    assert inference in result.inference


@pytest.fixture(scope="module")
def three_treated(prop99) -> pd.DataFrame:
    data = prop99.copy()
    data.loc[data["State"].isin(EXTRA_TREATED) & (data["Year"] >= 1989), "treated"] = 1
    return data


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_jackknife_and_bootstrap_equal_reference_with_three_treated_units(three_treated, estimator):
    reference = _reference("resampling").set_index("estimator").loc[estimator]
    args = (three_treated, "PacksPerCapita", "State", "Year", "treated", estimator)
    jack = synthetic_did(*args, inference="jackknife")
    assert jack.estimate == pytest.approx(reference["estimate"], abs=1e-9)
    assert jack.se == pytest.approx(reference["jackknife_se"], abs=1e-8)
    # Same generator and draw rule (sorted integers(0, N, N), redraw without treated or donor).
    boot = synthetic_did(*args, inference="bootstrap", replications=50)
    assert boot.se == pytest.approx(reference["bootstrap_se_seed0_50"], abs=1e-8)
    assert any("Only 3 treated units" in w for w in boot.warnings)


def test_the_placebo_standard_error_uses_200_replications_by_default(prop99):
    # Its speed is measured in benchmarks/ (docs/performance-evaluation.md), not timed here.
    result = synthetic_did(prop99, "PacksPerCapita", "State", "Year", "treated", "sdid")
    assert result.replications == 200


def test_agrees_with_the_installed_synthdid_package(prop99, fits):
    synthdid = pytest.importorskip("synthdid")
    if not hasattr(synthdid, "panel_matrices"):
        pytest.skip("the installed `synthdid` is not synthdid-py")
    panel = synthdid.panel_matrices(prop99)
    for estimator, function in [
        ("sdid", synthdid.synthdid_estimate),
        ("sc", synthdid.sc_estimate),
        ("did", synthdid.did_estimate),
    ]:
        tau = function(panel.Y, panel.N0, panel.T0)
        ours = fits[estimator]
        assert ours.estimate == pytest.approx(float(tau), abs=1e-10)
        omega = pd.Series(tau.weights.omega, index=panel.units[: panel.N0])
        np.testing.assert_allclose(ours.unit_weights.reindex(omega.index), omega, atol=WEIGHT_TOL)
        np.testing.assert_allclose(ours.time_weights, tau.weights.lambda_, atol=WEIGHT_TOL)
