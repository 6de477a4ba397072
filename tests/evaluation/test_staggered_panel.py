"""Callaway & Sant'Anna on a tiny panel computed by hand, and the caveats it must report.

Each ATT(g, t) is a difference of two means; its standard error by hand is
sqrt(v_T / N_T + v_C / N_C), v the group variance of the outcome changes: with divisor N (the
population variance, as R `did`: small_sample=None) or N − 1 (the sample variance, Welch: the
default small_sample="cohort").
"""

from __future__ import annotations

import math
from statistics import mean, pvariance, variance

import numpy as np
import pandas as pd
import pytest

from evaluation.did.staggered import staggered

# Eight units over periods 1–4: cohorts 2, 3 and 4 with two units each, two never treated.
OUTCOMES = {
    "a1": (1.0, 3.0, 4.5, 5.0),
    "a2": (2.0, 3.5, 6.0, 6.5),
    "b1": (0.0, 1.0, 3.0, 4.0),
    "b2": (1.5, 2.0, 5.0, 5.5),
    "c1": (3.0, 3.5, 4.5, 7.0),
    "c2": (2.0, 2.0, 3.5, 6.5),
    "n1": (1.0, 1.5, 2.5, 3.0),
    "n2": (0.5, 1.5, 2.0, 3.5),
}
COHORT = {"a": 2, "b": 3, "c": 4, "n": 0}


def tiny_panel() -> pd.DataFrame:
    rows = [
        {"unit": unit, "period": period, "y": y, "start": COHORT[unit[0]]}
        for unit, ys in OUTCOMES.items()
        for period, y in enumerate(ys, start=1)
    ]
    return pd.DataFrame(rows)


def change(unit: str, later: int, earlier: int) -> float:
    return OUTCOMES[unit][later - 1] - OUTCOMES[unit][earlier - 1]


def by_hand(
    treated: list[str], comparison: list[str], later: int, earlier: int, small_sample="cohort"
):
    """Difference of mean changes; s.e. sqrt(v_T/N_T + v_C/N_C) from the groups' variances v:
    sample variances (divisor N − 1) for small_sample="cohort", population variances (N) else."""
    dt = [change(u, later, earlier) for u in treated]
    dc = [change(u, later, earlier) for u in comparison]
    var = variance if small_sample == "cohort" else pvariance
    se = math.sqrt(var(dt) / len(dt) + var(dc) / len(dc))
    return mean(dt) - mean(dc), se


def cell(result, group: int, time: int) -> pd.Series:
    gt = result.group_time
    return gt[(gt["group"] == group) & (gt["time"] == time)].iloc[0]


NEVER = ["n1", "n2"]
# (group, time): treated, not-yet-treated comparison units, later and earlier period compared.
NOT_YET_CELLS = {
    # Post-treatment cells compare t with g − 1; comparison: cohorts starting after t, and never.
    (2, 2): (["a1", "a2"], ["b1", "b2", "c1", "c2", *NEVER], 2, 1),
    (2, 3): (["a1", "a2"], ["c1", "c2", *NEVER], 3, 1),
    (2, 4): (["a1", "a2"], NEVER, 4, 1),
    (3, 4): (["b1", "b2"], NEVER, 4, 2),
    # Pre-treatment cells compare t with t − 1; cohort 2 is not yet treated in period 1 but is
    # in period 2, so it is no comparison for (3, 2) while cohort 4 is (as R's did).
    (3, 2): (["b1", "b2"], ["c1", "c2", *NEVER], 2, 1),
    (4, 2): (["c1", "c2"], ["b1", "b2", *NEVER], 2, 1),
    (4, 3): (["c1", "c2"], NEVER, 3, 2),
}


@pytest.mark.parametrize("small_sample", ["cohort", None])
@pytest.mark.parametrize(("group", "time"), list(NOT_YET_CELLS))
def test_not_yet_treated_cells_equal_hand_computation(group, time, small_sample):
    # With not-yet-treated comparisons N_C is the cell's own comparison set (4, 6 or 2 units).
    treated, comparison, later, earlier = NOT_YET_CELLS[(group, time)]
    att, se = by_hand(treated, comparison, later, earlier, small_sample)
    result = staggered(
        tiny_panel(), "y", "unit", "period", "start", control="notyet", small_sample=small_sample
    )
    got = cell(result, group, time)
    assert got["att"] == pytest.approx(att, abs=1e-12)
    assert got["se"] == pytest.approx(se, abs=1e-12)


@pytest.mark.parametrize("small_sample", ["cohort", None])
def test_never_treated_cells_compare_with_never_treated_only(small_sample):
    result = staggered(
        tiny_panel(), "y", "unit", "period", "start", control="never", small_sample=small_sample
    )
    att, se = by_hand(["a1", "a2"], NEVER, 3, 1, small_sample)
    assert cell(result, 2, 3)["att"] == pytest.approx(att, abs=1e-12)
    assert cell(result, 2, 3)["se"] == pytest.approx(se, abs=1e-12)
    att, se = by_hand(["c1", "c2"], NEVER, 2, 1, small_sample)
    assert cell(result, 4, 2)["att"] == pytest.approx(att, abs=1e-12)
    assert cell(result, 4, 2)["se"] == pytest.approx(se, abs=1e-12)


def test_simple_aggregate_with_equal_cohorts_is_mean_of_post_treatment_cells():
    result = staggered(tiny_panel(), "y", "unit", "period", "start", control="notyet")
    gt = result.group_time
    post = gt[gt["time"] >= gt["group"]]
    assert len(post) == 6
    assert result.estimate == pytest.approx(post["att"].mean(), abs=1e-12)


def test_empty_and_zero_cohort_both_mean_never_treated():
    data = tiny_panel()
    as_nan = data.assign(start=data["start"].where(data["start"] > 0))
    a = staggered(data, "y", "unit", "period", "start")
    b = staggered(as_nan, "y", "unit", "period", "start")
    pd.testing.assert_frame_equal(a.group_time, b.group_time)


def test_small_samples_are_flagged_in_plain_words():
    result = staggered(tiny_panel(), "y", "unit", "period", "start", control="notyet")
    text = " ".join(result.warnings)
    assert "Only 6 treated units" not in text  # six is enough overall
    assert "Cohorts with fewer than 5 units: 2 (2), 3 (2), 4 (2)" in text
    assert "5 comparison units: 2/3 (4), 2/4 (2), 3/2 (4)," in text
    never = staggered(tiny_panel(), "y", "unit", "period", "start", control="never")
    assert any("Only 2 never-treated units" in w for w in never.warnings)


def test_few_treated_units_are_flagged():
    data = tiny_panel()
    data = data[~data["unit"].isin(["b1", "b2", "c1", "c2"])]
    result = staggered(data, "y", "unit", "period", "start")
    assert any(w.startswith("Only 2 treated units") for w in result.warnings)


def test_units_treated_in_first_period_are_dropped_with_warning():
    data = tiny_panel()
    early = pd.DataFrame({"unit": "z", "period": [1, 2, 3, 4], "y": 9.0, "start": 1})
    result = staggered(pd.concat([data, early]), "y", "unit", "period", "start")
    reference = staggered(data, "y", "unit", "period", "start")
    assert "Dropped 1 unit already treated in the first period (1)" in result.warnings[0]
    pd.testing.assert_frame_equal(result.group_time, reference.group_time)
    assert result.nclusters == 8


def test_unbalanced_rows_are_dropped_and_counted():
    data = tiny_panel()
    gap = data[~((data["unit"] == "n2") & (data["period"] == 3))].copy()
    gap.loc[(gap["unit"] == "a1") & (gap["period"] == 2), "y"] = np.nan
    result = staggered(gap, "y", "unit", "period", "start")
    assert result.warnings[0] == (
        "Dropped 7 rows to balance the panel: 2 units without an outcome in at least one of "
        "the 4 periods."
    )
    assert result.nobs == 24 and result.nclusters == 6


def test_cohorts_after_the_last_period_count_as_never_treated():
    data = tiny_panel()
    data.loc[data["unit"] == "n1", "start"] = 9
    result = staggered(data, "y", "unit", "period", "start")
    reference = staggered(tiny_panel(), "y", "unit", "period", "start")
    assert "1 unit first treated after the last period (4) counted as never treated." in (
        result.warnings
    )
    pd.testing.assert_frame_equal(result.group_time, reference.group_time)


def test_without_never_treated_units_never_control_fails_and_suggests_notyet():
    data = tiny_panel()
    data = data[~data["unit"].isin(NEVER)]
    with pytest.raises(ValueError, match="control='notyet'"):
        staggered(data, "y", "unit", "period", "start", control="never")


def test_without_never_treated_units_last_cohort_is_the_comparison_as_in_r():
    data = tiny_panel()
    data = data[~data["unit"].isin(NEVER)]
    result = staggered(data, "y", "unit", "period", "start", control="notyet")
    assert "the last cohort (4) serves only as comparison" in result.warnings[0]
    gt = result.group_time
    assert sorted(set(gt["group"])) == [2, 3] and gt["time"].max() == 3
    att, se = by_hand(["a1", "a2"], ["c1", "c2"], 3, 1)
    assert cell(result, 2, 3)["att"] == pytest.approx(att, abs=1e-12)
    assert cell(result, 2, 3)["se"] == pytest.approx(se, abs=1e-12)
    assert (result.n_treated, result.n_control) == (4, 2)


@pytest.mark.parametrize(
    ("change_data", "message"),
    [
        (lambda d: d.drop(columns="y"), "columns not in the data: y"),
        (lambda d: pd.concat([d, d.iloc[[0]]]), "1 unit-period pairs appear more than once"),
        (lambda d: d.assign(start=np.where(d["period"] == 4, 3, d["start"])), "same in every row"),
        (lambda d: d.assign(start=-1), "first treated period"),
        (lambda d: d.assign(start=0), "no unit is treated"),
    ],
)
def test_input_that_is_no_staggered_panel_is_refused(change_data, message):
    with pytest.raises(ValueError, match=message):
        staggered(change_data(tiny_panel()), "y", "unit", "period", "start", control="notyet")


def test_unknown_options_are_refused():
    with pytest.raises(ValueError, match="aggregate must be one of"):
        staggered(tiny_panel(), "y", "unit", "period", "start", aggregate="cohort")
    with pytest.raises(ValueError, match="control must be"):
        staggered(tiny_panel(), "y", "unit", "period", "start", control="all")
