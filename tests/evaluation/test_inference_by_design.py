"""The method and inference `evaluate_panel` picks for each design (docs/inference-by-design.md).

A design here is: how many districts, how many treated, their start periods, the options given.
The table of the docs is pinned row by row, so a change of the default shows up as a failure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.panel_evaluation import EvaluationOptions, OptionConflict, evaluate_panel


def city(starts: list[int], n_units: int = 23, n_periods: int = 8, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cohort = np.zeros(n_units)
    cohort[: len(starts)] = starts
    rows = [
        (unit, 2016 + t, 10 + unit % 5 + 0.1 * t + rng.normal(0, 0.5), cohort[unit])
        for unit in range(n_units)
        for t in range(n_periods)
    ]
    return pd.DataFrame(rows, columns=["district", "year", "y", "start"])


def evaluate(data: pd.DataFrame, **options: object):
    return evaluate_panel(data, "y", "district", "year", "start", EvaluationOptions(**options))


@pytest.mark.parametrize(
    ("starts", "method", "inference"),
    [
        ([2020], "sdid", "randomization inference: all 23 placements of the treated districts'"),
        ([2020, 2020], "sdid", "randomization inference: all 253 placements of the treated"),
        ([2019, 2020], "sdid", "randomization inference: the real and 299 random placements"),
        ([2019, 2020, 2021], "staggered", "randomization inference: start periods reassigned"),
        ([2019] * 4 + [2021] * 4, "staggered", "randomization inference: start periods reassigned"),
    ],
)
def test_the_default_for_each_number_of_treated_districts(starts, method, inference):
    result = evaluate(city(starts))
    assert result.method == method
    assert result.inference.startswith(inference)
    assert result.mde is not None and result.mde.effect is not None
    assert result.to_dict()["mde"]["power"] == 0.8


def test_staggered_enumerates_every_assignment_when_there_are_few():
    # 12 districts, 3 treated in one start year: C(12, 3) = 220 assignments, all of them.
    result = evaluate(city([2020] * 3, n_units=12))
    assert "all 219 other distinct assignments" in result.inference
    assert result.pretrend.testable


@pytest.mark.parametrize(
    ("options", "opening"),
    [
        ({"control": "notyet"}, "analytic standard errors from the influence functions"),
        ({"small_sample": "none"}, "analytic standard errors from the influence functions"),
        ({"inference": "analytic"}, "analytic standard errors from the influence functions"),
        ({"inference": "bootstrap"}, "multiplier bootstrap"),
    ],
)
def test_options_only_the_analytic_errors_take_select_them(options, opening):
    result = evaluate(city([2019, 2019, 2021, 2021]), **options)
    assert result.method == "staggered"
    assert result.inference.startswith(opening)


def test_randomization_over_not_yet_treated_comparisons_is_refused_as_a_usage_error():
    with pytest.raises(OptionConflict, match="never-treated units only"):
        evaluate(city([2019, 2019, 2021, 2021]), control="notyet", inference="randomization")


def test_the_placebo_standard_error_stays_available_for_synthetic_did():
    result = evaluate(city([2020]), inference="placebo")
    assert result.method == "sdid"
    assert result.inference.startswith("placebo standard error")


def test_one_treated_district_among_twelve_is_not_testable_and_the_result_says_so():
    result = evaluate(city([2020], n_units=12))
    document = result.to_dict()
    assert result.method == "sdid"
    assert document["ci"] == [None, None]
    assert document["mde"]["effect"] is None
    assert document["mde"]["reason"] == "too_few_assignments"
    assert document["pretrend"]["reason"] == "synthetic_fit"
    assert document["sensitivity"]["breakdown_mbar"] is None
