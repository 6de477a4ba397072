"""benchmarks/city_panels.py: the three real panels of the city-scale placebo study, and the
draw of one placebo city from them. Known values are read off the source files named in each
test (tests/data/real/flensburg-sozialatlas/README.md: Stadt Flensburg, Sozialatlas, via OK Lab
Flensburg, CC0; tests/data/prop99/README.md: Abadie, Diamond & Hainmueller 2010; the Berlin
excerpt: tests/data/real/README.md, Open Lifeworlds, CC BY 4.0)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks import city_panels
from benchmarks import placebo_city_scale as study
from tests.real_data.cli import REAL


def test_flensburg_is_the_sgb2_share_of_residents_under_65_in_13_stadtteile() -> None:
    panel = city_panels.flensburg_sgb2_panel()
    assert panel.shape == (13 * 5, 3)
    assert sorted(panel["period"].unique()) == [2018, 2019, 2020, 2021, 2022]
    assert panel["unit"].nunique() == 13
    assert {"Altstadt", "Westliche Höhe", "Jürgensby", "Tarup"} <= set(panel["unit"])
    values = panel.set_index(["unit", "period"])["outcome"]
    # Tabelle 18 / (Tabelle 1 − Tabelle 8): Altstadt 2018 554 / (3815 − 419),
    # Tarup 2022 188 / (5675 − 911).
    assert values["Altstadt", 2018] == pytest.approx(100 * 554 / (3815 - 419))
    assert values["Tarup", 2022] == pytest.approx(100 * 188 / (5675 - 911))


def test_sql_rows_without_a_column_list_take_the_created_columns() -> None:
    text = (REAL / "flensburg-sozialatlas" / "flensburg_sozialatlas.sql").read_text("utf-8")
    districts = city_panels.sql_table(text, "fl_district")
    assert list(districts.columns) == ["id", "name", "geom"]
    assert districts.set_index("id").loc[4, "name"] == "Westliche Höhe"
    assert districts["geom"].isna().all()  # NULL


def test_prop99_is_38_states_without_california_over_31_years() -> None:
    panel = city_panels.prop99_panel()
    assert panel.shape == (38 * 31, 3)
    assert "California" not in set(panel["unit"])
    assert (panel["period"].min(), panel["period"].max()) == (1970, 2000)
    values = panel.set_index(["unit", "period"])["outcome"]
    assert values["Alabama", 1970] == pytest.approx(89.80000305)  # california_prop99.csv line 2
    assert values["Wyoming", 2000] == pytest.approx(90.5)


def test_berlin_is_the_placebo_studys_s3_panel() -> None:
    panel = city_panels.berlin_mss_panel(REAL / "berlin-mss" / "excerpt")
    assert panel.shape == (71 * 4, 3)  # the excerpt's 75 areas less 4 not computed every time
    assert sorted(panel["period"].unique()) == [2012, 2014, 2016, 2018]
    values = panel.set_index(["unit", "period"])["outcome"]
    assert values["01011101", 2018] == pytest.approx(7.65366)  # Stülerstraße, mss-2019-2-1.csv


def test_a_placebo_city_has_23_units_k_treated_and_starts_with_two_periods_before() -> None:
    panel = city_panels.prop99_panel()
    spec = study.PANELS["prop99"]
    for draw in range(5):
        rng = np.random.default_rng(np.random.SeedSequence((1, spec.index, 3, draw)))
        city = study.draw_city(panel, spec, 3, rng)
        periods = np.sort(city["period"].unique())
        assert city["unit"].nunique() == 23 and periods.size == 10
        assert np.array_equal(periods, np.arange(periods[0], periods[0] + 10))
        cohorts = city.groupby("unit")["cohort"].first()
        starts = cohorts[cohorts > 0]
        assert starts.size == 3
        assert (starts >= periods[2]).all() and (starts <= periods[-1]).all()
        assert pd.notna(city["outcome"]).all()
