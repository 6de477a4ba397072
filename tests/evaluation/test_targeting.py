"""Targeting (SPEC §7): rank correlation, neediest-fifth share, concentration curve and index.

Concentration index: O'Donnell, van Doorslaer, Wagstaff & Lindelow (2008), "Analyzing Health
Equity Using Household Survey Data", ch. 8 — C = 1 − 2·(area under the curve) with the population
ranked from the most disadvantaged, and for grouped data C = (2/μ)·Σ f_t·μ_t·R_t − 1 (f_t population
share, μ_t mean of group t, R_t its fractional rank). Our index has the opposite sign (positive =
spending concentrated among the neediest), so it must equal −C.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.targeting import (
    FOLLOWS_MIN_SPEARMAN,
    concentration_curve,
    concentration_index,
    targeting,
)


def frames(need: dict[str, float], population: dict[str, int], cents: dict[str, int]):
    """need and spending frames; ranks from the need index (1 = most need, ties "min")."""
    index = pd.Series(need, dtype=float)
    need_frame = pd.DataFrame(
        {
            "key": index.index,
            "need_index": index.to_numpy(),
            "need_rank": index.rank(method="min", ascending=False).astype(int).to_numpy(),
        }
    )
    spending = pd.DataFrame(
        {
            "key": list(population),
            "population": list(population.values()),
            "amount_cents": [cents.get(k, 0) for k in population],
        }
    )
    return need_frame, spending


FOUR_NEED = {"A": 1.5, "B": 0.5, "C": -0.5, "D": -1.5}


def test_concentration_index_by_hand_trapezoid():
    # Equal populations, 400, 300, 200, 100 cents from most to least need. Curve (0, 0), (¼, .4),
    # (½, .7), (¾, .9), (1, 1); area = ¼·(0.4 + 1.1 + 1.6 + 1.9)/2 = 0.625; index 2·0.625 − 1.
    need, spending = frames(
        FOUR_NEED, dict.fromkeys("ABCD", 100), {"A": 400, "B": 300, "C": 200, "D": 100}
    )
    result = targeting(need, spending, year=2024, draws=50)
    assert result.concentration_index == pytest.approx(-0.25, abs=1e-15)
    curve = result.concentration_curve
    assert curve["cum_population_share"].tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1])
    assert curve["cum_spending_share"].tolist() == pytest.approx([0, 0.4, 0.7, 0.9, 1])
    # The neediest fifth is 80 % of A's people (20/25), so it receives 0.8 · 0.4 = 0.32.
    assert result.top_fifth_spending_share == pytest.approx(0.32, abs=1e-15)
    assert result.top_fifth_population_share == 0.2


def test_top_fifth_counts_the_boundary_district_fractionally():
    # 1000 inhabitants: A has 150 (15 %), so B (100) contributes 50 people, half of it, and half of
    # its 100 cents: (300 + 50) / 1000 = 0.35.
    need, spending = frames(
        FOUR_NEED,
        {"A": 150, "B": 100, "C": 250, "D": 500},
        {"A": 300, "B": 100, "C": 100, "D": 500},
    )
    assert targeting(need, spending, year=2024, draws=50).top_fifth_spending_share == (
        pytest.approx(0.35, abs=1e-15)
    )


def test_concentration_index_equals_the_covariance_formula():
    need_index = {"A": 2.1, "B": 1.3, "C": 0.4, "D": -0.2, "E": -1.1, "F": -2.5}
    population = {"A": 812, "B": 1530, "C": 640, "D": 2210, "E": 975, "F": 1433}
    cents = {"A": 910_000, "B": 1_204_500, "C": 0, "D": 870_013, "E": 150_000, "F": 333_333}
    result = targeting(*frames(need_index, population, cents), year=2024, draws=50)

    order = sorted(need_index, key=need_index.get, reverse=True)  # most need first
    f = np.array([population[k] for k in order], dtype=float) / sum(population.values())
    mean_t = np.array([cents[k] / population[k] for k in order])
    mu = sum(cents.values()) / sum(population.values())
    rank = np.cumsum(f) - f / 2
    odonnell = 2 / mu * np.sum(f * mean_t * rank) - 1
    assert result.concentration_index == pytest.approx(odonnell, abs=1e-12)


def test_sign_is_negative_for_pro_need_positive_for_anti_need_zero_for_proportional():
    population = {"A": 500, "B": 1200, "C": 800, "D": 1500}
    # Per inhabitant 4, 3, 2, 1 cents from most to least need, and the mirror image.
    pro = {k: p * e for (k, p), e in zip(population.items(), [4, 3, 2, 1], strict=True)}
    anti = {k: p * e for (k, p), e in zip(population.items(), [1, 2, 3, 4], strict=True)}
    proportional = {k: 37 * p for k, p in population.items()}
    assert (
        targeting(*frames(FOUR_NEED, population, pro), year=2024, draws=50).concentration_index
        < -0.1
    )
    assert (
        targeting(*frames(FOUR_NEED, population, anti), year=2024, draws=50).concentration_index
        > 0.1
    )
    flat = targeting(*frames(FOUR_NEED, population, proportional), year=2024, draws=50)
    assert flat.concentration_index == 0.0
    assert flat.top_fifth_spending_share == 0.2


def test_concentration_index_extremes():
    # All money to the neediest district of 1/4 of the people: curve (0,0),(¼,1),(1,1) → area
    # ⅛ + ¾ = 0.875, index −0.75 = −(1 − ¼) (the most a district of a quarter can reach).
    curve = concentration_curve(
        pd.DataFrame(
            {"need_index": [1.0, 0.0, -1.0, -2.0], "population": 1, "amount_cents": [5, 0, 0, 0]}
        )
    )
    assert concentration_index(curve) == Fraction(-3, 4)


def test_tied_need_forms_one_step_whatever_the_order():
    # B and C tie: they form one step, so swapping which of them has the money changes nothing.
    tied = {"A": 1.0, "B": 0.0, "C": 0.0, "D": -1.0}
    population = dict.fromkeys("ABCD", 100)
    one = targeting(*frames(tied, population, {"A": 100, "B": 300}), year=2024, draws=50)
    two = targeting(*frames(tied, population, {"A": 100, "C": 300}), year=2024, draws=50)
    assert one.concentration_index == two.concentration_index
    # Curve (0,0), (¼, ¼), (¾, 1), (1, 1): area = ¼·¼/2 + ½·(1.25)/2 + ¼ = 0.03125 + 0.3125 + 0.25.
    assert one.concentration_index == pytest.approx(1 - 2 * 0.59375, abs=1e-15)
    assert len(one.concentration_curve) == 4


def test_spearman_equals_scipy_with_zero_spending_included():
    need_index = {"A": 2.1, "B": 1.3, "C": 0.4, "D": -0.2, "E": -1.1, "F": -2.5, "G": 0.9}
    population = {"A": 812, "B": 1530, "C": 640, "D": 2210, "E": 975, "F": 1433, "G": 700}
    cents = {"A": 910_000, "B": 1_204_500, "D": 870_013, "F": 333_333}  # C, E, G spend nothing
    result = targeting(*frames(need_index, population, cents), year=2024, draws=50)
    keys = list(need_index)
    expected = stats.spearmanr(
        [need_index[k] for k in keys], [cents.get(k, 0) / population[k] for k in keys]
    ).statistic
    assert result.spearman == pytest.approx(expected, abs=1e-15)
    assert len(result.districts) == 7


def test_bootstrap_interval_is_seeded_and_matches_scipy_draw_by_draw():
    need_index = {"A": 2.1, "B": 1.3, "G": 0.9, "C": 0.4, "D": -0.2, "E": -1.1, "F": -2.5}
    population = {"A": 812, "B": 1530, "G": 700, "C": 640, "D": 2210, "E": 975, "F": 1433}
    cents = {"A": 910_000, "B": 1_204_500, "G": 10_000, "D": 870_013, "E": 20_000, "F": 333_333}
    need, spending = frames(need_index, population, cents)
    first = targeting(need, spending, year=2024, seed=7, draws=400)
    again = targeting(need, spending, year=2024, seed=7, draws=400)
    assert first.spearman_ci == again.spearman_ci
    assert first.spearman_ci[0] <= first.spearman <= first.spearman_ci[1]

    # Independent recomputation: the same district draws (keys most need first), each draw's
    # rho from scipy.stats.spearmanr, percentile interval of the draws with spread.
    x = np.array(list(need_index.values()))
    y = np.array([cents.get(k, 0) / population[k] for k in need_index])
    picks = np.random.default_rng(7).integers(0, x.size, size=(400, x.size))
    rhos = [
        stats.spearmanr(x[p], y[p]).statistic
        for p in picks
        if np.ptp(x[p]) > 0 and np.ptp(y[p]) > 0
    ]
    assert first.draws_used == len(rhos)
    assert first.spearman_ci == pytest.approx(tuple(np.quantile(rhos, [0.025, 0.975])), abs=1e-12)


def test_per_capita_is_decimal_rounded_half_up():
    need, spending = frames(
        {"A": 1.0, "B": 0.0, "C": -1.0},
        {"A": 100, "B": 1000, "C": 1000},
        {"A": 184_400, "B": 1_844_500, "C": 500},  # € 18.44; 18.445 → 18.45; 0.005 → 0.01
    )
    rows = {
        row.key: row.per_capita for row in targeting(need, spending, year=2024, draws=50).districts
    }
    assert rows == {"A": Decimal("18.44"), "B": Decimal("18.45"), "C": Decimal("0.01")}
    need, spending = frames(
        {"A": 1.0, "B": 0.0, "C": -1.0},
        dict.fromkeys("ABC", 1000),
        {"A": -1_844_500},  # a net refund: -18.445 → -18.45 (half away from zero)
    )
    rows = {
        row.key: str(row.per_capita)
        for row in targeting(need, spending, year=2024, draws=50).districts
    }
    assert rows == {"A": "-18.45", "B": "0.00", "C": "0.00"}


def test_suppressed_and_unpopulated_districts_are_left_out():
    need, spending = frames(
        {"A": 1.0, "B": 0.5, "C": 0.0, "D": -1.0, "N": -0.5, "Z": -2.0},
        {"A": 100, "B": 100, "C": 100, "D": 100, "S": 50, "Z": 0},
        {"A": 400, "B": 300, "C": 200, "D": 100, "S": 1_000_000},
    )
    result = targeting(need, spending, year=2024, draws=50)
    assert [row.key for row in result.districts] == ["A", "B", "C", "D"]
    assert result.excluded == (("N", "population unknown"), ("Z", "population 0"))
    # S (suppressed, no need index) does not count: 1000 cents in total, A's 400 first.
    assert result.concentration_curve["cum_spending_share"].iloc[1] == pytest.approx(0.4)


VERDICT_NEED = {"A": 2.5, "B": 1.5, "C": 0.5, "D": -0.5, "E": -1.5, "F": -2.5}


def verdict_for(per_capita_euros: list[int]):
    cents = {k: 100 * 100 * e for k, e in zip(VERDICT_NEED, per_capita_euros, strict=True)}
    return targeting(*frames(VERDICT_NEED, dict.fromkeys(VERDICT_NEED, 100), cents), year=2024)


def test_verdict_spending_follows_need():
    result = verdict_for([9, 7, 5, 4, 2, 1])
    assert result.spearman == pytest.approx(1.0)
    assert result.spearman_ci[0] > 0 and result.top_fifth_spending_share > 0.2
    assert result.verdict_code == "follows"
    assert result.verdict.startswith("Spending follows need")
    assert "negative means spending is concentrated in the neediest districts" in result.verdict


def test_verdict_spending_does_not_follow_need():
    result = verdict_for([1, 2, 4, 5, 7, 9])
    assert result.spearman == pytest.approx(-1.0)
    assert result.top_fifth_spending_share < 0.2
    assert result.verdict_code == "does_not_follow"
    assert result.verdict.startswith("Spending does not follow need")


def test_verdict_no_clear_relation():
    # Per capita 3, 1, 2, 2, 1, 3 (×100 people): rho 0. The neediest fifth is A (⅙ of the people)
    # and a fifth of B: (300 + 0.2·100)/1200 = 0.2667 > 0.2, yet rho is far below the threshold.
    result = verdict_for([3, 1, 2, 2, 1, 3])
    assert result.spearman == pytest.approx(0.0, abs=1e-12)
    assert result.spearman < FOLLOWS_MIN_SPEARMAN
    assert result.top_fifth_spending_share == pytest.approx(320 / 1200)
    assert result.verdict_code == "unclear"
    assert result.verdict.startswith("No clear relation")
    assert any("wide" in note for note in result.warnings)


def test_no_spending_cannot_be_assessed():
    result = verdict_for([0, 0, 0, 0, 0, 0])
    assert result.verdict_code == "not_assessable"
    assert np.isnan(result.concentration_index)
    document = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert document["spearman"] is None and document["concentration_index"] is None


def test_to_dict_carries_the_spec_keys_as_json():
    need, spending = frames(
        FOUR_NEED, dict.fromkeys("ABCD", 100), {"A": 184_400, "B": 300, "C": 200, "D": 100}
    )
    document = json.loads(
        json.dumps(targeting(need, spending, year=2024).to_dict(), allow_nan=False)
    )
    assert {"year", "spearman", "spearman_ci", "districts", "verdict"} <= set(document)
    assert document["year"] == 2024
    assert document["districts"][0] == {
        "key": "A",
        "need_index": 1.5,
        "need_rank": 1,
        "per_capita": "18.44",
        "population": 100,
        "amount": "1844.00",
    }
    assert len(document["spearman_ci"]) == 2
    assert document["concentration_curve"][0] == {
        "cum_population_share": 0.0,
        "cum_spending_share": 0.0,
    }
