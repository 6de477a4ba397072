"""Relative-magnitudes sensitivity (Rambachan & Roth 2023): HonestDiD numbers and properties."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.stats import norm, truncnorm

from evaluation.did.arp_conditional import dual_vertices, truncated_normal_quantile
from evaluation.did.honest_sensitivity import (
    breakdown_mbar,
    relative_magnitudes_acceptance,
    relative_magnitudes_interval,
    relative_magnitudes_sensitivity,
)
from evaluation.did.r_normal_draws import r_rnorm
from evaluation.did.relative_magnitudes import identified_set

DATA = Path(__file__).resolve().parents[1] / "data" / "honestdid"


def load(name: str) -> dict:
    case = json.loads((DATA / name).read_text())
    case["betahat"] = np.array(case["betahat"])
    case["sigma"] = np.array(case["sigma"])
    return case


BC = load("bcdata_relative_magnitudes.json")
MEDICAID = load("medicaid_relative_magnitudes.json")


def honestdid_grid(case: dict, l_vec: np.ndarray) -> np.ndarray:
    npre = case["num_pre_periods"]
    sd = math.sqrt(l_vec @ case["sigma"][npre:, npre:] @ l_vec)
    return np.linspace(-20 * sd, 20 * sd, 1000)


def args(case: dict) -> tuple:
    return (case["betahat"], case["sigma"], case["num_pre_periods"], case["num_post_periods"])


# --- R's random numbers ----------------------------------------------------------------------


def test_normal_draws_are_rs():
    # As R prints them (7 digits): set.seed(s); rnorm(n) for s = 0, 42, 1
    printed = {
        0: [1.2629543, -0.3262334, 1.3297993, 1.2724293, 0.4146414],
        42: [1.3709584],
        1: [-0.6264538, 0.1836433, -0.8356286],
    }
    for seed, values in printed.items():
        np.testing.assert_allclose(r_rnorm(len(values), seed), values, rtol=0, atol=5.1e-8)


# --- HonestDiD reference numbers ---------------------------------------------------------------


def test_bc_data_grid_inversion_reproduces_honestdid_exactly():
    ref, l_vec = BC["delta_rm_c_lf"], np.array(BC["l_vec"])
    grid = honestdid_grid(BC, l_vec)
    for mbar, lb, ub in zip(ref["mbar"], ref["lb"], ref["ub"], strict=True):
        accepted = grid[relative_magnitudes_acceptance(*args(BC), mbar, grid, l_vec=l_vec)]
        assert accepted.min() == pytest.approx(lb, rel=1e-14)
        assert accepted.max() == pytest.approx(ub, rel=1e-14)


def test_bc_data_exact_bounds_lie_in_honestdids_grid_cells():
    ref, l_vec = BC["delta_rm_c_lf"], np.array(BC["l_vec"])
    step = np.diff(honestdid_grid(BC, l_vec))[0]
    for mbar, lb, ub in zip(ref["mbar"], ref["lb"], ref["ub"], strict=True):
        low, high = relative_magnitudes_interval(*args(BC), mbar, l_vec=l_vec)
        assert lb - step < low <= lb
        if mbar < 2:
            assert ub <= high < ub + step
        else:  # HonestDiD's grid ends at 20 sd: its upper bound is cut off there
            assert high > ub + step


def test_medicaid_current_honestdid_on_its_grid():
    ref, l_vec = MEDICAID["readme_cache_2022_l_first"], np.array([1.0, 0.0])
    grid = honestdid_grid(MEDICAID, l_vec)
    for mbar, lb, ub in zip(ref["mbar"], ref["lb"], ref["ub"], strict=True):
        accepted = grid[relative_magnitudes_acceptance(*args(MEDICAID), mbar, grid, l_vec=l_vec)]
        # Our re-estimated inputs differ from R's by ~3e-7 (see the data README).
        assert accepted.min() == pytest.approx(lb, rel=2e-6)
        assert accepted.max() == pytest.approx(ub, rel=2e-6)


@pytest.mark.parametrize("table", ["readme_print_2024_l_first", "readme_print_2024_l_average"])
def test_medicaid_readme_tables_within_five_hundredths_of_a_standard_error(table):
    ref = MEDICAID[table]
    l_vec = np.array([1.0, 0.0]) if table.endswith("first") else np.array([0.5, 0.5])
    sd = math.sqrt(l_vec @ MEDICAID["sigma"][5:, 5:] @ l_vec)
    for mbar, lb, ub in zip(ref["mbar"], ref["lb"], ref["ub"], strict=True):
        low, high = relative_magnitudes_interval(*args(MEDICAID), mbar, l_vec=l_vec)
        assert abs(low - lb) < 0.05 * sd and abs(high - ub) < 0.05 * sd


def test_medicaid_breakdown_between_the_readme_rows():
    # README: significant at Mbar = 1.5, not at 2 ("the breakdown value ... is Mbar = 2").
    tolerance = 1e-3
    result = breakdown_mbar(*args(MEDICAID), l_vec=[1.0, 0.0], tolerance=tolerance)
    assert result is not None and 1.5 < result < 2.0
    low, _ = relative_magnitudes_interval(*args(MEDICAID), result, l_vec=[1.0, 0.0])
    assert low > 0
    low, _ = relative_magnitudes_interval(*args(MEDICAID), result + tolerance, l_vec=[1, 0])
    assert low <= 0


# --- the ARP building blocks -------------------------------------------------------------------


def test_dual_vertices_give_the_linear_program_value():
    rng = np.random.default_rng(3)
    m, k = 8, 3
    half = rng.normal(size=(m // 2, k))
    x, sd = np.vstack([half, -half]), rng.uniform(0.5, 2.0, size=m)  # ± pairs, as Delta^RM has
    vertices = dual_vertices(sd, x)
    for y in rng.normal(size=(20, m)):
        # min eta s.t. y - X delta <= eta sd
        lp = linprog(
            np.r_[1.0, np.zeros(k)], A_ub=-np.column_stack([sd, x]), b_ub=-y,
            bounds=[(None, None)] * (k + 1), method="highs",
        )  # fmt: skip
        assert (vertices @ y).max() == pytest.approx(lp.fun, abs=1e-9)


def test_truncated_normal_quantile_matches_scipy_and_reaches_far_tails():
    low = np.array([-np.inf, -3.0, 0.0, 2.0, -1.0, -50.0, 30.0])
    high = np.array([np.inf, 1.0, np.inf, 3.0, 2.0, -40.0, np.inf])
    for p in (0.01, 0.5, 0.95477):
        expected = truncnorm.ppf(p, low, high)
        np.testing.assert_allclose(truncated_normal_quantile(p, low, high), expected, rtol=1e-9)


# --- properties --------------------------------------------------------------------------------


def test_at_mbar_zero_the_interval_ignores_pre_trends_and_is_symmetric():
    # Mbar = 0 forces delta_post = 0: the pre-periods say nothing, and the moments come in ± pairs.
    low, high = relative_magnitudes_interval(*args(MEDICAID), 0.0)
    centre = float(np.mean(MEDICAID["betahat"][5:]))
    assert (low + high) / 2 == pytest.approx(centre, abs=1e-10)
    other = MEDICAID["betahat"].copy()
    other[:5] += np.array([0.05, -0.02, 0.01, 0.03, -0.04])
    low2, high2 = relative_magnitudes_interval(other, *args(MEDICAID)[1:], 0.0)
    assert (low2, high2) == pytest.approx((low, high), abs=1e-12)


def test_conditional_test_at_mbar_zero_with_one_post_period_is_the_usual_interval():
    # Only moments ±(beta_post - theta): ARP's conditional test is then the two-sided z-test.
    beta = np.array([0.01, -0.02, 0.3])
    sigma = np.array([[0.02, 0.005, 0.001], [0.005, 0.03, 0.002], [0.001, 0.002, 0.04]])
    low, high = relative_magnitudes_interval(beta, sigma, 2, 1, 0.0, method="Conditional")
    half = norm.ppf(0.975) * math.sqrt(0.04)
    assert (low, high) == pytest.approx((0.3 - half, 0.3 + half), abs=1e-9)


def test_identified_set_with_one_post_period_has_its_closed_form():
    beta = np.array([0.03, -0.01, 0.02, 0.5])  # pre-period changes: -0.04, 0.03, -0.02 (to 0)
    for mbar in (0.0, 0.5, 2.0):
        low, high = identified_set(beta, 3, 1, mbar, np.array([1.0]))
        assert (low, high) == pytest.approx((0.5 - 0.04 * mbar, 0.5 + 0.04 * mbar), abs=1e-12)


def test_interval_shrinks_to_the_identified_set_with_the_standard_errors():
    beta, npre = BC["betahat"], BC["num_pre_periods"]
    id_low, id_high = identified_set(beta, npre, 4, 1.0, np.full(4, 0.25))
    excess = []
    for scale in (1e-6, 1e-10):  # standard errors times 1e-3 and 1e-5
        low, high = relative_magnitudes_interval(beta, BC["sigma"] * scale, npre, 4, 1.0)
        assert low <= id_low and high >= id_high
        excess.append(np.array([id_low - low, high - id_high]))
    ratio = excess[0] / excess[1]
    assert np.all((ratio > 50) & (ratio < 200))  # proportional to the standard error


def test_intervals_widen_with_mbar():
    result = relative_magnitudes_sensitivity(*args(BC), mbars=(0.0, 0.25, 0.5, 1.0, 2.0))
    lows = [i.low for i in result.intervals]
    highs = [i.high for i in result.intervals]
    assert lows == sorted(lows, reverse=True) and highs == sorted(highs)
    assert result.estimate == pytest.approx(float(np.mean(BC["betahat"][4:])))
    assert result.to_dict()["breakdown"] == result.breakdown


def test_breakdown_is_where_zero_enters_the_interval():
    beta, sigma = BC["betahat"][1:], BC["sigma"][1:, 1:]  # 3 pre- and 4 post-periods
    tolerance = 1e-4
    result = breakdown_mbar(beta, sigma, 3, 4, tolerance=tolerance)
    assert result is not None and 0 < result < 10
    assert relative_magnitudes_interval(beta, sigma, 3, 4, result)[0] > 0
    assert relative_magnitudes_interval(beta, sigma, 3, 4, result + tolerance)[0] <= 0


def test_no_breakdown_when_zero_is_in_the_interval_already_at_mbar_zero():
    beta = MEDICAID["betahat"].copy()
    beta[5:] = [0.004, -0.002]
    low, high = relative_magnitudes_interval(beta, MEDICAID["sigma"], 5, 2, 0.0)
    assert low < 0 < high
    assert breakdown_mbar(beta, MEDICAID["sigma"], 5, 2) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_pre_periods": 4}, "num_pre"),
        ({"l_vec": [1.0, 0.0, 0.0]}, "l_vec"),
        ({"l_vec": [0.0, 0.0]}, "l_vec"),
        ({"mbar": -1.0}, "mbar"),
        ({"alpha": 1.5}, "alpha"),
    ],
)
def test_bad_inputs_are_refused(kwargs, message):
    call = {
        "betahat": MEDICAID["betahat"],
        "sigma": MEDICAID["sigma"],
        "num_pre_periods": 5,
        "num_post_periods": 2,
        "mbar": 1.0,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        relative_magnitudes_interval(**call)
