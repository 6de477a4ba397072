"""Callaway & Sant'Anna on mpdta against R `did` (att_gt + aggte, analytic standard errors).

References: tests/data/did-reference/ — R `did` results on Callaway & Sant'Anna's minimum-wage
data, as published in the csdid project's parity tests (see the README files there).
`mpdta_nev_dr` is never-treated controls, `mpdta_nyt_dr` not-yet-treated; without covariates the
doubly robust estimator is the unconditional one that `staggered` computes. R divides each
group's variance by N: `small_sample=None` (our default corrects small cohorts, see
evaluation/did/small_cohort.py), so every call here asks for it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from evaluation.did.staggered import staggered

REFERENCE = Path(__file__).parents[1] / "data" / "did-reference"
SCENARIOS = {"never": ("mpdta_nev_dr", ""), "notyet": ("mpdta_nyt_dr", "ref_nyt_")}
# R prints its numbers to 15 significant digits; we agree to floating-point precision.
TOL = 1e-10


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "mpdta.csv")


def _reference(control: str, kind: str) -> pd.DataFrame:
    scenario, prefix = SCENARIOS[control]
    frame = pd.read_csv(REFERENCE / f"{prefix or 'ref_'}{kind}.csv")
    return frame[frame["scenario"] == scenario].reset_index(drop=True)


def _run(data: pd.DataFrame, control: str, aggregate: str = "simple"):
    return staggered(
        data, "lemp", "countyreal", "year", "first.treat", control=control, aggregate=aggregate,
        small_sample=None,
    )  # fmt: skip


@pytest.mark.parametrize("control", ["never", "notyet"])
def test_every_group_time_att_and_se_equals_r_did(mpdta, control):
    ref = _reference(control, "attgt")
    result = _run(mpdta, control)
    got = result.group_time
    assert list(got["group"]) == list(ref["group"])
    assert list(got["time"]) == list(ref["t"])
    np.testing.assert_allclose(got["att"], ref["att"], rtol=0, atol=TOL)
    np.testing.assert_allclose(got["se"], ref["se"], rtol=0, atol=TOL)


@pytest.mark.parametrize("control", ["never", "notyet"])
@pytest.mark.parametrize("aggregate", ["simple", "group", "dynamic", "calendar"])
def test_aggregations_and_their_se_equal_r_aggte(mpdta, control, aggregate):
    ref = _reference(control, "aggte")
    ref = ref[ref["type"] == aggregate]
    result = _run(mpdta, control, aggregate)
    assert result.estimate == pytest.approx(ref["overall_att"].iloc[0], abs=TOL)
    assert result.se == pytest.approx(ref["overall_se"].iloc[0], abs=TOL)
    if aggregate == "simple":
        assert result.aggregation.empty
        return
    got = result.aggregation
    np.testing.assert_array_equal(got["key"], ref["egt"].astype(int))
    np.testing.assert_allclose(got["att"], ref["att_egt"], rtol=0, atol=TOL)
    np.testing.assert_allclose(got["se"], ref["se_egt"], rtol=0, atol=TOL)


def test_simple_att_is_the_published_minimum_wage_effect(mpdta):
    # DOMAIN.md §6: simple ATT −0.0399512751551763, s.e. 0.0120340127701854 (R did).
    result = _run(mpdta, "never")
    assert result.estimate == pytest.approx(-0.0399512751551763, abs=1e-12)
    assert result.se == pytest.approx(0.0120340127701854, abs=1e-12)
    assert result.ci_low == pytest.approx(result.estimate - 1.959963984540054 * result.se)
    assert result.pvalue == pytest.approx(0.000901, abs=1e-5)
    counts = (result.nobs, result.nclusters, result.n_treated, result.n_control)
    assert counts == (2500, 500, 191, 309)
    # The 2004 cohort has only 2003 before its start: no history to test parallel trends.
    assert result.warnings == (
        "Fewer than 2 periods before the start for some start cohorts (2004: 1): there is too "
        "little history to check that trends were parallel.",
    )


@pytest.mark.parametrize("control", ["never", "notyet"])
def test_pretrend_wald_statistic_equals_r_and_p_value_is_chi2_with_one_df_per_cell(mpdta, control):
    ref = _reference(control, "pretest").iloc[0]
    result = _run(mpdta, control)
    assert result.pretrend_wald == pytest.approx(ref["W"], abs=1e-8)
    # Five pre-treatment cells: 2006 in 2004/2005, 2007 in 2004/2005/2006.
    assert result.pretrend_df == 5
    assert result.pretrend_pvalue == pytest.approx(chi2.sf(ref["W"], 5), abs=1e-10)
    # R reports round(1 − pchisq(W, q), 5): the same χ² p-value, rounded.
    assert round(result.pretrend_pvalue, 5) == ref["Wpval"]


def test_event_time_profile_comes_with_every_aggregate(mpdta):
    dynamic = _run(mpdta, "never", "dynamic").aggregation
    simple = _run(mpdta, "never", "simple").event_time
    np.testing.assert_array_equal(simple["rel_time"], dynamic["key"])
    np.testing.assert_allclose(simple[["att", "se"]], dynamic[["att", "se"]])


def test_result_serialises_to_json_ready_dict(mpdta):
    out = _run(mpdta, "never", "dynamic").to_dict()
    assert out["method"] == "staggered"
    assert out["pretrend_pvalue"] == pytest.approx(0.16812, abs=1e-5)
    assert [row["rel_time"] for row in out["event_study"]] == [-3, -2, -1, 0, 1, 2, 3]
    att, se, z = -0.0105032462209624, 0.0232510363681664, 1.959963984540054
    assert out["group_time"][0] == {
        "group": 2004,
        "time": 2004,
        "att": pytest.approx(att),
        "se": pytest.approx(se),
        "ci_low": pytest.approx(att - z * se),
        "ci_high": pytest.approx(att + z * se),
    }
    assert all(isinstance(row["key"], int) for row in out["aggregation"])
