"""Plain-language warnings attached to TWFE results, and the checks behind them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.did import twfe
from evaluation.did import warnings as caveats


def test_ashenfelter_dip_before_the_start_is_flagged(panel_factory):
    data = panel_factory(n_units=40, n_periods=8, cohorts={6: 10}, seed=31)
    clean = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert not any("Ashenfelter" in w for w in clean.warnings)
    dip = (data["cohort"] == 6) & (data["time"] == 5)
    dipped = data.assign(y=data["y"] - 1.5 * dip)
    result = twfe(dipped, "y", "unit", "time", "d", cluster="unit")
    assert any("Ashenfelter's dip" in w and "in 5" in w for w in result.warnings)
    (check,) = caveats.selection_checks(dipped, "y", "unit", "time", "cohort")
    assert check.cohort == 6 and check.last_pre_period == 5
    assert check.dip < 0 and check.dipped


def test_treated_districts_far_from_controls_before_the_start_are_flagged(panel_factory):
    data = panel_factory(n_units=40, n_periods=6, cohorts={4: 10}, seed=32)
    worst = data.assign(y=data["y"] + 4.0 * (data["cohort"] > 0))
    result = twfe(worst, "y", "unit", "time", "d", cluster="unit")
    assert any("regression to the mean" in w and "above the controls" in w for w in result.warnings)
    (check,) = caveats.selection_checks(worst, "y", "unit", "time", "cohort")
    assert check.level_sd >= caveats.EXTREME_LEVEL_SD


def test_selection_thresholds_are_inclusive_boundaries():
    at = caveats.SelectionCheck(2019, 2018, level_sd=-1.0, dip=0.1, dip_z=1.96)
    below = caveats.SelectionCheck(2019, 2018, level_sd=0.99, dip=0.1, dip_z=-1.95)
    assert at.extreme and at.dipped
    assert not below.extreme and not below.dipped
    nan = caveats.SelectionCheck(2019, 2018, level_sd=np.nan, dip=np.nan, dip_z=np.nan)
    assert caveats.selection_on_need([nan], "y") == []


def test_dip_needs_an_earlier_pre_period(panel_factory):
    data = panel_factory(n_units=20, n_periods=5, cohorts={2: 5}, seed=1)
    (check,) = caveats.selection_checks(data, "y", "unit", "time", "cohort")
    assert check.last_pre_period == 1 and np.isnan(check.dip_z)


def test_missing_outcomes_and_short_history_are_reported(panel_factory):
    data = panel_factory(n_units=30, n_periods=6, cohorts={2: 5, 4: 5}, seed=33)
    data.loc[[3, 17, 40, 41], "y"] = np.nan
    result = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert result.nobs == 30 * 6 - 4
    assert "4 rows without a value for y were left out of the estimate." in result.warnings
    short = [w for w in result.warnings if w.startswith("Fewer than 2 periods before the start")]
    assert len(short) == 1 and "(2: 1)" in short[0]


def test_few_treated_and_control_clusters_are_named(panel_factory):
    data = panel_factory(n_units=7, n_periods=5, cohorts={3: 3}, seed=34)
    result = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert any(w.startswith("Only 3 treated cluster(s)") for w in result.warnings)
    assert any(w.startswith("Only 4 control cluster(s)") for w in result.warnings)
    assert any(w.startswith("Only 7 clusters") for w in result.warnings)


def test_no_never_treated_group_is_reported(panel_factory):
    data = panel_factory(n_units=20, n_periods=6, cohorts={3: 10, 5: 10}, seed=35)
    result = twfe(data, "y", "unit", "time", "d", cluster="unit")
    assert caveats.no_never_treated() in result.caveats


def test_pretrend_warning_threshold_is_ten_percent():
    assert caveats.pretrend_rejected(0.0999)
    assert caveats.pretrend_rejected(0.10) == []
    assert caveats.pretrend_rejected(float("nan")) == []


@pytest.mark.parametrize("n", [0, 1])
def test_singleton_note_only_when_rows_were_dropped(n):
    assert bool(caveats.singletons_dropped(n)) is bool(n)


def _reference_checks(panel: pd.DataFrame) -> list[tuple]:
    """The definition in `selection_checks`' docstring, one pivot per cohort, written plainly."""
    starts = panel["cohort"].fillna(0)
    times = np.sort(panel["time"].unique())
    out = []
    for g in sorted(starts[starts != 0].unique()):
        before = times[times < g]
        wide = panel[panel["time"].isin(before)].pivot_table(
            index="unit", columns="time", values="y", aggfunc="mean"
        )
        treated = panel.loc[starts == g, "unit"].unique()
        controls = panel.loc[(starts == 0) if (starts == 0).any() else (starts > g), "unit"]
        last = wide.reindex(columns=before)[before[-1]]
        y_t = last.reindex(treated).dropna()
        y_c = last.reindex(controls.unique()).dropna()
        if y_t.empty or y_c.size < 2:  # nothing to compare: no check for this cohort
            continue
        level = (y_t.mean() - y_c.mean()) / y_c.std()
        deviation = last - wide.reindex(columns=before[:-1]).mean(axis=1)
        dev_t = deviation.reindex(treated).dropna()
        dev_c = deviation.reindex(controls.unique()).dropna()
        dip = dev_t.mean() - dev_c.mean()
        z = dip / (dev_c.std() * np.sqrt(1 / dev_t.size + 1 / dev_c.size))
        out.append((g, before[-1], level, dip, z))
    return out


@pytest.mark.parametrize("never_treated", [True, False])
def test_selection_checks_follow_their_definition_on_a_ragged_panel(panel_factory, never_treated):
    # Missing outcomes, missing rows, two rows in some unit-periods (their mean counts) and, without
    # never-treated units, not-yet-treated controls: the vectorised checks equal the definition.
    cohorts = {4: 8, 6: 8, 8: 8} if never_treated else {4: 10, 6: 10, 8: 10, 10: 10}
    data = panel_factory(n_units=40, n_periods=10, cohorts=cohorts, effect=0.3, seed=41)
    rng = np.random.default_rng(41)
    data.loc[rng.choice(data.index, 40, replace=False), "y"] = np.nan
    data = data.drop(index=rng.choice(data.index, 30, replace=False))
    extra = data.sample(15, random_state=2).assign(y=lambda f: f["y"] + 1.0)
    ragged = pd.concat([data, extra], ignore_index=True)
    checks = caveats.selection_checks(ragged, "y", "unit", "time", "cohort")
    expected = _reference_checks(ragged)
    assert [(c.cohort, c.last_pre_period) for c in checks] == [e[:2] for e in expected]
    for check, (_, _, level, dip, z) in zip(checks, expected, strict=True):
        assert (check.level_sd, check.dip, check.dip_z) == pytest.approx((level, dip, z), rel=1e-12)


def test_period_without_any_outcome_does_not_stop_the_checks(panel_factory):
    # No district has a value in period 1: the dip uses the earlier periods that have values
    # (the per-cohort pivot used to fail with a KeyError here).
    data = panel_factory(n_units=30, n_periods=8, cohorts={4: 6, 6: 6}, seed=42)
    data.loc[data["time"] == 1, "y"] = np.nan
    checks = caveats.selection_checks(data, "y", "unit", "time", "cohort")
    assert [(c.cohort, c.last_pre_period) for c in checks] == [(4, 3), (6, 5)]
    assert all(np.isfinite(c.dip_z) for c in checks)
