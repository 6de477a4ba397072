"""The breakdown M̄ beside each result: the event study handed to HonestDiD's method, and only
for results the exact test supports. The method itself is checked against HonestDiD in
test_honest_sensitivity.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.did.honest_sensitivity import relative_magnitudes_interval
from evaluation.did.trend_sensitivity import trend_sensitivity
from evaluation.panel_evaluation import evaluate_panel

MPDTA = Path(__file__).parents[1] / "data" / "did-reference" / "mpdta.csv"


@pytest.fixture(scope="module")
def mpdta_result():
    return evaluate_panel(pd.read_csv(MPDTA), "lemp", "countyreal", "year", "first.treat")


def _post_average_interval(result, mbar: float) -> tuple[float, float]:
    events = result.result.event_time
    # mpdta's window fits inside −4 … +4 whole: three pre-period effects, four post periods.
    pre = sorted(int(e) for e in events["rel_time"] if e <= -2)
    post = sorted(int(e) for e in events["rel_time"] if e >= 0)
    assert (len(pre), len(post)) == (3, 4)
    order = pre + post
    beta = events.set_index("rel_time").loc[order, "att"].to_numpy()
    sigma = result.result.event_covariance.loc[order, order].to_numpy()
    return relative_magnitudes_interval(beta, sigma, len(pre), len(post), mbar)


def test_breakdown_on_mpdta_separates_intervals_that_exclude_zero_from_those_that_do_not(
    mpdta_result,
):
    mbar = mpdta_result.sensitivity.breakdown_mbar
    assert mpdta_result.pvalue <= 0.05 and mbar is not None and 0 < mbar < 5
    below = _post_average_interval(mpdta_result, mbar)
    above = _post_average_interval(mpdta_result, mbar + 0.02)
    assert below[1] < 0  # the post-period average effect is negative and still excludes zero
    assert above[0] <= 0 <= above[1]
    assert mpdta_result.to_dict()["sensitivity"] == {
        "breakdown_mbar": round(mbar, 2),
        "method": "relative magnitudes (Rambachan & Roth 2023)",
        "reason": None,
    }


def test_a_result_the_exact_test_does_not_support_gets_no_breakdown():
    events = pd.DataFrame({"rel_time": [-3, -2, 0, 1], "att": [0.1, -0.1, 2.0, 2.0]})
    covariance = pd.DataFrame(np.eye(4) * 0.01, index=events.rel_time, columns=events.rel_time)
    assert trend_sensitivity(events, covariance, significant=True).breakdown_mbar > 0
    refused = trend_sensitivity(events, covariance, significant=False)
    assert (refused.breakdown_mbar, refused.reason) == (None, "not_significant")


def test_without_pre_periods_before_the_reference_there_is_nothing_to_compare_with():
    events = pd.DataFrame({"rel_time": [0, 1], "att": [2.0, 2.0]})
    covariance = pd.DataFrame(np.eye(2) * 0.01, index=events.rel_time, columns=events.rel_time)
    result = trend_sensitivity(events, covariance, significant=True)
    assert (result.breakdown_mbar, result.reason) == (None, "no_pre_periods")
