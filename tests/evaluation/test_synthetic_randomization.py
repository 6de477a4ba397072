"""Synthetic DiD's randomization test over all districts: exact, and consistent with its interval.

Exactness without simulation noise: on one fixed data set every placement of the programme is
taken in turn as the real one. Each placement's estimate is computed from scratch from the data
and the placement alone, so the set of estimates is the same whichever placement is the real one,
and the test must reject exactly ⌊0.05 · M⌋ of the M placements. The placebo-rank test it
replaced (never-treated districts only) could not pass this: its reference set changed with the
real placement.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.did.staggered_randomization import draw_assignments
from evaluation.did.synthetic import synthetic_did
from evaluation.did.synthetic_cohorts import fit_cohorts, unit_rows
from evaluation.did.synthetic_panel import prepare_synthetic_panel
from evaluation.did.synthetic_randomization import placement_estimates, placement_labels
from evaluation.did.synthetic_weights import (
    solve_collapsed,
    solver_options,
    starting_weights,
    weighted_gap,
)

PROP99 = Path(__file__).parents[1] / "data" / "prop99" / "california_prop99.csv"


def city(n_units: int, n_periods: int, seed: int) -> pd.DataFrame:
    """Unequal noise (district i's SD grows with i) and AR(1) errors: not exchangeable districts."""
    rng = np.random.default_rng(seed)
    rows = []
    for unit in range(n_units):
        level, noise, error = rng.normal(10, 2), 0.3 + 0.1 * unit, 0.0
        for t in range(n_periods):
            error = 0.5 * error + rng.normal(0, noise)
            rows.append((f"u{unit:02d}", 2010 + t, level - 0.1 * t + error))
    return pd.DataFrame(rows, columns=["unit", "year", "y"])


def treat(data: pd.DataFrame, starts: dict[str, int]) -> pd.DataFrame:
    start = data["unit"].map(starts)
    return data.assign(d=(start.notna() & (data["year"] >= start.fillna(0))).astype(int))


@pytest.mark.parametrize(("n_units", "starts"), [(21, (2015,)), (11, (2015, 2015))])
def test_taking_every_placement_as_the_real_one_rejects_exactly_five_percent(n_units, starts):
    data = city(n_units, 8, seed=3)
    units = sorted(data["unit"].unique())
    placements = list(itertools.combinations(units, len(starts)))
    rejected = 0
    for chosen in placements:
        frame = treat(data, dict(zip(chosen, starts, strict=True)))
        result = synthetic_did(frame, "y", "unit", "year", "d", inference="randomization")
        assert "all" in result.inference
        rejected += result.pvalue <= 0.05
    assert rejected == math.floor(0.05 * len(placements))


def test_staggered_placements_enumerated_exactly_too():
    # Two districts starting in different years among 7: 7 · 6 = 42 ordered placements.
    data = city(7, 8, seed=5)
    units = sorted(data["unit"].unique())
    rejected = 0
    for first, second in itertools.permutations(units, 2):
        frame = treat(data, {first: 2014, second: 2016})
        rejected += (
            synthetic_did(frame, "y", "unit", "year", "d", inference="randomization").pvalue <= 0.05
        )
    assert rejected == math.floor(0.05 * 42)


def test_the_real_placement_is_the_estimate_and_moves_one_for_one_with_the_effect():
    frame = treat(city(15, 8, seed=1), {"u03": 2015, "u09": 2016})
    panel = prepare_synthetic_panel(frame, "y", "unit", "year", "d")
    fits = fit_cohorts(panel, "sdid")
    real = synthetic_did(frame, "y", "unit", "year", "d", inference="randomization")
    observed = np.zeros(len(panel.units), dtype=int)
    for k, fit in enumerate(fits, start=1):
        observed[fit.treated] = k
    (values,), (slopes,) = placement_estimates(panel.outcomes, observed[None, :], fits, "sdid")
    assert values[0] == pytest.approx(real.estimate, abs=1e-12)
    assert slopes[0] == pytest.approx(1.0, abs=1e-12)
    shifted = frame.assign(y=frame["y"] - 0.7 * frame["d"])
    moved = synthetic_did(shifted, "y", "unit", "year", "d", inference="randomization")
    assert moved.estimate == pytest.approx(real.estimate - 0.7, abs=1e-10)


def test_a_placements_slope_is_its_estimate_of_the_treatment_at_fixed_weights():
    frame = treat(city(12, 7, seed=2), {"u04": 2014})
    panel = prepare_synthetic_panel(frame, "y", "unit", "year", "d")
    fits = fit_cohorts(panel, "sdid")
    labels = np.zeros((1, len(panel.units)), dtype=int)
    labels[0, 0] = 1  # the first never-treated district carries the programme; u04 is a donor
    observed = np.zeros(len(panel.units), dtype=int)
    observed[fits[0].treated] = 1
    both = np.vstack([observed, labels[0]])
    (values,), (slopes,) = placement_estimates(panel.outcomes, both, fits, "sdid")
    # The same placement solved directly: donors are every district but the first.
    start = fits[0].start
    donors = np.arange(1, len(panel.units))
    rows = unit_rows(panel.outcomes, start)
    collapsed = np.vstack([rows[donors], rows[0]])[None]
    sigma = np.std(np.diff(panel.outcomes[donors, :start], axis=1), ddof=1)
    options = solver_options("sdid", sigma, 1, panel.outcomes.shape[1] - start)
    omega0, lambda0 = starting_weights("sdid", donors.size, start)
    omega, lam, tau = solve_collapsed(collapsed, options, omega0[None], lambda0[None])
    assert values[1] == pytest.approx(tau[0], abs=1e-12)
    treatment = np.zeros_like(panel.outcomes)
    treatment[fits[0].treated, start:] = 1.0
    d_rows = unit_rows(treatment, start)
    expected = weighted_gap(np.vstack([d_rows[donors], d_rows[0]])[None], omega, lam)
    assert slopes[1] == pytest.approx(expected[0], abs=1e-12)
    assert expected[0] != 0  # the real treated district is a donor with weight


@pytest.mark.parametrize("seed", range(6))
def test_zero_lies_outside_the_interval_exactly_when_the_test_rejects(seed):
    data = city(23, 8, seed=seed)
    frame = treat(
        data.assign(
            y=data["y"] - 1.2 * (data["unit"].isin(["u01", "u02"]) & (data["year"] >= 2015))
        ),
        {"u01": 2015, "u02": 2015},
    )
    result = synthetic_did(frame, "y", "unit", "year", "d", inference="randomization")
    assert result.ci_low < result.estimate < result.ci_high
    assert (result.pvalue <= 0.05) == (not result.ci_low <= 0 <= result.ci_high)


def _pvalue_with_effect_taken_out(frame: pd.DataFrame, effect: float) -> float:
    """The whole evaluation, every placement re-solved, on the outcomes minus `effect` in the
    treated cells: the exact randomization p-value of the hypothesis "the effect is `effect`"."""
    shifted = frame.assign(y=frame["y"] - effect * frame["d"])
    return synthetic_did(shifted, "y", "unit", "year", "d", inference="randomization").pvalue


@pytest.mark.parametrize(
    ("seed", "starts"),
    [(0, {"u01": 2015, "u02": 2015}), (1, {"u03": 2014, "u11": 2016}), (2, {"u05": 2015})],
)
def test_each_bound_is_where_the_exact_test_of_that_effect_starts_to_reject(seed, starts):
    # Re-solving every placement at the tested effect is the exact test; the bounds must sit
    # where it turns, to a hundredth of a standard error. Moving the placements' estimates at
    # fixed weights alone (the interval before) missed by up to a tenth on Prop 99's states.
    frame = treat(city(23, 9, seed=seed), starts)
    result = synthetic_did(frame, "y", "unit", "year", "d", inference="randomization")
    step = 0.01 * result.se
    for bound, outward in ((result.ci_low, -1.0), (result.ci_high, 1.0)):
        assert _pvalue_with_effect_taken_out(frame, bound - outward * step) > 0.05
        assert _pvalue_with_effect_taken_out(frame, bound + outward * step) <= 0.05


def test_a_known_effect_is_covered_exactly_when_the_placebo_test_does_not_reject():
    # Every placement of one treated district among 21 taken as the real one: with the effect
    # added, the interval covers it exactly when the same placement without it is not called
    # significant, so coverage is one minus the test's exact size, 20/21.
    data = city(21, 8, seed=6)
    effect = 0.8
    covered = []
    for unit in sorted(data["unit"].unique()):
        placebo = treat(data, {unit: 2015})
        with_effect = placebo.assign(y=placebo["y"] + effect * placebo["d"])
        interval = synthetic_did(with_effect, "y", "unit", "year", "d", inference="randomization")
        inside = interval.ci_low <= effect <= interval.ci_high
        assert inside == (_pvalue_with_effect_taken_out(placebo, 0.0) > 0.05)
        covered.append(inside)
    assert sum(covered) == 20


def test_proposition_99_ranks_california_among_all_39_placements():
    data = pd.read_csv(PROP99, sep=";")
    result = synthetic_did(
        data, "PacksPerCapita", "State", "Year", "treated", inference="randomization"
    )
    assert "all 39 placements" in result.inference
    assert result.pvalue * 39 == pytest.approx(round(result.pvalue * 39), abs=1e-9)
    # The textbook case is not significant at 5 % under random assignment either.
    assert result.pvalue > 0.05
    assert result.ci_low < 0 < result.ci_high


def test_more_placements_than_the_limit_are_drawn_at_random_and_seeded():
    data = treat(city(30, 8, seed=4), {"u00": 2015, "u01": 2015})
    first = synthetic_did(data, "y", "unit", "year", "d", inference="randomization", seed=3)
    # C(30, 2) = 435 placements exceed the 299 solved at most.
    assert "the real and 299 random placements" in first.inference
    again = synthetic_did(data, "y", "unit", "year", "d", inference="randomization", seed=3)
    assert (again.pvalue, again.ci_low, again.ci_high) == (
        first.pvalue,
        first.ci_low,
        first.ci_high,
    )


def test_thirteen_districts_and_one_treated_cannot_reach_five_percent_and_say_so():
    data = treat(city(13, 8, seed=2), {"u00": 2015})
    result = synthetic_did(data, "y", "unit", "year", "d", inference="randomization")
    assert result.pvalue >= 1 / 13
    assert (result.ci_low, result.ci_high) == (-math.inf, math.inf)
    assert result.mde.effect is None and result.mde.reason == "too_few_assignments"


def test_random_placements_are_drawn_over_the_districts_in_label_order_not_panel_rows():
    # The panel puts the treated districts last; the random placements must not follow that
    # order (they would be the same rows for every programme, tied to the donors sorted first).
    data = treat(city(30, 8, seed=4), {"u00": 2015, "u17": 2016})
    panel = prepare_synthetic_panel(data, "y", "unit", "year", "d")
    fits = fit_cohorts(panel, "sdid")
    labels, enumerated = placement_labels(panel, fits, 299, seed=3)
    assert not enumerated and labels.shape == (300, 30)
    order = np.argsort(np.asarray(panel.units.astype(str)))
    observed = labels[0, order]
    assert list(np.asarray(panel.units)[order][observed > 0]) == ["u00", "u17"]
    expected, _ = draw_assignments(observed, 299, 3)
    np.testing.assert_array_equal(labels[:, order], expected)
    # Every placement keeps the cohorts' sizes, and the real one is row 0.
    assert ((labels == 1).sum(axis=1) == 1).all() and ((labels == 2).sum(axis=1) == 1).all()
