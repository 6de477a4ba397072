"""benchmarks/placebo_berlin.py on the MSS excerpts (tests/data/real/README.md: Open Lifeworlds,
CC BY 4.0; data: Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen Berlin): the panel comes
through the product's import, draws are staggered, a tiny run gives a well-formed table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks import placebo_berlin as placebo
from tests.real_data.cli import REAL

EXCERPT = REAL / "berlin-mss" / "excerpt"


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return placebo.build_panel(EXCERPT, tmp_path_factory.mktemp("placebo"))


def test_the_panel_is_the_imported_s3_of_every_area_computed_in_all_four_periods(
    panel: pd.DataFrame,
) -> None:
    # 75 areas in the excerpt; Großer Tiergarten, Westhafen, Stadion Wilmersdorf and
    # Gewerbegebiet Bitterfelder Straße lack a computed value in some edition.
    assert panel.groupby("unit").size().eq(4).all()
    assert sorted(panel["time"].unique()) == [2012, 2014, 2016, 2018]
    assert panel["unit"].nunique() == 71
    first = panel[(panel["unit"] == "01011101") & (panel["time"] == 2018)]
    assert first["y"].item() == pytest.approx(7.65366)  # Stülerstraße, mss-2019-2-1.csv
    assert panel["need"].notna().all()


def test_random_draws_give_staggered_starts_to_a_tenth_of_the_areas(panel: pd.DataFrame) -> None:
    cohorts = [
        placebo.draw_cohorts(panel, "random", np.random.default_rng(draw)) for draw in range(3)
    ]
    for drawn in cohorts:
        treated = drawn[drawn > 0]
        assert len(treated) == placebo.TREATED
        assert set(treated) <= set(placebo.STARTS)
        assert treated.nunique() >= 2  # staggered, not one start for all
        assert set(drawn.index) == set(panel["unit"])
    assert set(cohorts[0][cohorts[0] > 0].index) != set(cohorts[1][cohorts[1] > 0].index)


def test_need_draws_take_each_cohort_from_the_neediest_before_its_start(
    panel: pd.DataFrame,
) -> None:
    drawn = placebo.draw_cohorts(panel, "need", np.random.default_rng(7))
    need = panel.pivot(index="unit", columns="time", values="need")
    chosen: set[str] = set()
    for start in placebo.STARTS:
        cohort = set(drawn.index[drawn == start])
        assert len(cohort) == placebo.TREATED // len(placebo.STARTS)
        ranking = need[start - 2].drop(list(chosen)).sort_values(ascending=False)
        assert cohort <= set(ranking.index[: placebo.POOL])
        chosen |= cohort


def test_dip_draws_take_the_areas_whose_outcome_rose_most_before_the_start(
    panel: pd.DataFrame,
) -> None:
    drawn = placebo.draw_cohorts(panel, "dip", np.random.default_rng(7))
    y = panel.pivot(index="unit", columns="time", values="y")
    assert set(drawn[drawn > 0]) == set(placebo.DIP_STARTS)
    late = set(drawn.index[drawn == 2018])
    rise = (y[2016] - y[2014]).drop(list(drawn.index[drawn == 2016]))
    assert late <= set(rise.sort_values(ascending=False).index[: placebo.POOL])


def test_a_tiny_run_gives_one_row_per_design_and_method(panel: pd.DataFrame) -> None:
    rows = [
        row
        for design in placebo.DESIGNS
        for draw in range(2)
        for row in placebo.run_draw(panel, design, draw, seed=1, draws=19)
    ]
    raw = pd.DataFrame(rows)
    table = placebo.summarise(raw)
    assert len(table) == len(placebo.DESIGNS) * len(placebo.METHODS)
    assert (table["draws"] == 2).all()
    assert table["rejected"].between(0, 1).all()
    expected_se = np.sqrt(table["rejected"] * (1 - table["rejected"]) / 2)
    assert np.allclose(table["mc_se"], expected_se)
    # The default and CS analytic are one estimator: same estimates on every draw.
    default, cs = (raw[raw["method"] == placebo.METHODS[i].name] for i in (0, 4))
    assert np.allclose(default["estimate"].to_numpy(), cs["estimate"].to_numpy())
    text = placebo.markdown(table)
    assert text.count("\n") == len(table) + 1
    assert "| random | default: evaluate_panel" in text


def test_the_same_seed_draws_the_same_study(panel: pd.DataFrame) -> None:
    first = placebo.run_draw(panel, "random", 3, seed=5, draws=19)
    again = placebo.run_draw(panel, "random", 3, seed=5, draws=19)
    assert [r["pvalue"] for r in first] == [r["pvalue"] for r in again]
