"""The small-cohort correction of Callaway & Sant'Anna's variance (evaluation/did/small_cohort.py).

By hand: a group's sum of squares divided by N − 1 instead of N, i.e. every influence value of a
group of N units multiplied by sqrt(N / (N − 1)). Where every group has the same size N and the
aggregate has fixed weights, the corrected standard error is exactly sqrt(N / (N − 1)) times R's.
"""

from __future__ import annotations

import math
import warnings
from statistics import mean, variance

import numpy as np
import pandas as pd
import pytest

from evaluation.did.staggered import staggered
from tests.evaluation.test_staggered_panel import NEVER, OUTCOMES, tiny_panel


def _tiny(**options):
    return staggered(tiny_panel(), "y", "unit", "period", "start", **options)


def test_cohort_aggregate_se_equals_the_welch_formula_by_hand():
    # Cohort 2 (a1, a2) is treated in periods 2–4, each compared with period 1, against the
    # never-treated n1, n2. Its "group" aggregate is the mean of the three cells, so with
    # Z_i = mean over t = 2..4 of (Y_it − Y_i1):
    #   effect = mean_T Z − mean_C Z,   se² = s²_T(Z) / N_T + s²_C(Z) / N_C,
    # s² the sample variances (divisor N − 1), N_T = N_C = 2.
    def z(unit: str) -> float:
        ys = OUTCOMES[unit]
        return mean(ys[t] - ys[0] for t in (1, 2, 3))

    treated, comparison = [z("a1"), z("a2")], [z(u) for u in NEVER]
    effect = mean(treated) - mean(comparison)
    se = math.sqrt(variance(treated) / 2 + variance(comparison) / 2)
    row = _tiny(aggregate="group").aggregation.set_index("key").loc[2]
    assert row["att"] == pytest.approx(effect, abs=1e-12)
    assert row["se"] == pytest.approx(se, abs=1e-12)


@pytest.mark.parametrize("inference", ["analytic", "bootstrap"])
def test_with_equal_groups_the_correction_is_exactly_the_factor_sqrt_n_over_n_minus_1(inference):
    # Every cohort and the never-treated hold N = 2 units: every influence value is multiplied by
    # sqrt(2), so every ATT(g, t) and every fixed-weight average of them (the per-cohort
    # "group" effects) has exactly sqrt(2) times R's standard error; under the bootstrap too,
    # because the same multipliers (same seed) perturb the scaled influence functions.
    options = {"aggregate": "group", "inference": inference, "seed": 5}
    corrected, plain = _tiny(**options), _tiny(**options, small_sample=None)
    for frame in ("group_time", "aggregation"):
        got, before = getattr(corrected, frame)["se"], getattr(plain, frame)["se"]
        assert before.notna().sum() >= 3  # a bootstrap cell may be degenerate (NaN) in both
        np.testing.assert_allclose(got, math.sqrt(2) * before, rtol=1e-12)
    # The overall "group" effect adds the unscaled variance of the estimated cohort shares, so
    # its factor lies strictly between 1 and sqrt(2).
    if inference == "analytic":
        assert 1 < corrected.se / plain.se < math.sqrt(2)


def test_the_pretrend_test_uses_the_corrected_variance():
    # Four groups of N = 3 units (cohorts 3, 4, 5 and never) over periods 1–5: the covariance
    # of the pre-treatment cells grows by N / (N − 1) = 3/2, so the Wald statistic shrinks by 2/3.
    rng = np.random.default_rng(4)
    starts = np.repeat([3, 4, 5, 0], 3)
    data = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(12), 5),
            "period": np.tile(np.arange(1, 6), 12),
            "y": rng.normal(size=60),
            "start": np.repeat(starts, 5),
        }
    )
    corrected = staggered(data, "y", "unit", "period", "start")
    plain = staggered(data, "y", "unit", "period", "start", small_sample=None)
    assert plain.pretrend_wald is not None and plain.pretrend_df == 6
    assert corrected.pretrend_wald == pytest.approx(plain.pretrend_wald * 2 / 3, rel=1e-10)


def test_estimates_do_not_change_only_their_uncertainty():
    corrected, plain = _tiny(aggregate="dynamic"), _tiny(aggregate="dynamic", small_sample=None)
    assert corrected.estimate == plain.estimate
    np.testing.assert_array_equal(corrected.group_time["att"], plain.group_time["att"])
    assert corrected.se > plain.se


def test_inference_text_says_which_variance_was_used():
    corrected, plain = _tiny(), _tiny(small_sample=None)
    assert corrected.inference.startswith("analytic standard errors from the influence functions")
    assert "small-cohort correction" in corrected.inference
    assert "divisor N − 1" in corrected.inference
    assert "no small-sample correction" in plain.inference and "as R did" in plain.inference
    boot = _tiny(inference="bootstrap")
    assert boot.inference.startswith("multiplier bootstrap")
    assert "small-cohort correction" in boot.inference


def _with_single_unit_cohort() -> pd.DataFrame:
    """The tiny panel with cohort 3 cut to b1 alone."""
    data = tiny_panel()
    return data[data["unit"] != "b2"]


@pytest.mark.parametrize("small_sample", ["cohort", None])
def test_single_unit_cohort_is_warned_about_and_divides_by_nothing(small_sample):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a division by zero would raise here
        with np.errstate(all="raise"):
            result = staggered(
                _with_single_unit_cohort(), "y", "unit", "period", "start",
                small_sample=small_sample,
            )  # fmt: skip
    text = " ".join(result.warnings)
    assert "Cohorts with fewer than 5 units: 2 (2), 3 (1), 4 (2)." in text
    assert "Cohort 3 has a single unit: its own variability cannot be estimated" in text
    assert np.isfinite(result.group_time["se"]).all() and math.isfinite(result.se)
    # b1 is its own mean: only the comparison group's variance is left in cohort 3's cells.
    changes = [OUTCOMES[u][3] - OUTCOMES[u][1] for u in NEVER]  # cell (3, 4): periods 4 vs 2
    v = variance(changes) if small_sample == "cohort" else variance(changes) / 2
    row = result.group_time.query("group == 3 and time == 4").iloc[0]
    assert row["se"] == pytest.approx(math.sqrt(v / 2), abs=1e-12)


def test_single_comparison_unit_is_warned_about():
    data = tiny_panel()
    result = staggered(data[data["unit"] != "n2"], "y", "unit", "period", "start")
    assert any(
        w.startswith("Only 1 never-treated unit:") and "cannot be estimated" in w
        for w in result.warnings
    )


def test_warning_on_small_cohorts_says_whether_the_correction_was_used():
    corrected = " ".join(_tiny().warnings)
    plain = " ".join(_tiny(small_sample=None).warnings)
    assert "use the small-cohort correction" in corrected
    assert "divide each group's variance by N (as R did)" in plain


def test_unknown_small_sample_option_is_refused():
    with pytest.raises(ValueError, match="small_sample must be 'cohort' or None"):
        _tiny(small_sample="welch")


def test_single_not_yet_treated_comparison_unit_is_warned_about():
    # No never-treated units and a last cohort of c1 alone: it is the only comparison unit in
    # the cells of period 3 (cohort 2/3 post-treatment) and has no variance of its own.
    data = tiny_panel()
    data = data[~data["unit"].isin([*NEVER, "c2"])]
    with np.errstate(all="raise"):
        result = staggered(data, "y", "unit", "period", "start", control="notyet")
    text = " ".join(result.warnings)
    assert "2/3 (1)" in text
    assert "In cells with a single comparison unit its variability cannot be estimated." in text
    assert np.isfinite(result.group_time["se"]).all()
