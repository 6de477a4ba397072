"""Need index, rank, class, suppression, change and persistence (SPEC §7 `need`), by hand.

Every expected number below is worked out in the comment beside it from the definitions in
SPEC §7: z-scores with the population SD (ddof 0), sign turned where higher_is_worse is false,
weighted mean, standardised again for the class (Berlin MSS bounds with the sign turned to need).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from evaluation.need import NeedDataError, NeedTable, need_class, need_panel, need_table
from reports.messages import Messages

SQRT3, SQRT5 = math.sqrt(3), math.sqrt(5)


def long_values(table: dict[str, dict[str, dict[str, float]]]) -> pd.DataFrame:
    """{period: {indicator: {district: value}}} → the long frame need_table takes."""
    return pd.DataFrame(
        [
            {"district": d, "indicator": code, "period": period, "value": value}
            for period, by_code in table.items()
            for code, by_district in by_code.items()
            for d, value in by_district.items()
        ]
    )


def flat_population(keys, period: str = "2017", inhabitants: int = 1000) -> pd.DataFrame:
    return pd.DataFrame({"district": list(keys), "period": period, "population": inhabitants})


def by_key(table: NeedTable) -> dict:
    return {row.key: row for row in table.districts}


def test_single_indicator_z_scores_and_ranks_by_hand():
    # 2, 4, 6, 8: mean 5, population variance (9 + 1 + 1 + 9) / 4 = 5, so z = (−3, −1, 1, 3)/√5.
    values = long_values({"2018": {"sgb2_quote": {"A": 2, "B": 4, "C": 6, "D": 8}}})
    table = need_table(values, flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300)
    rows = by_key(table)
    assert rows["D"].need_index == pytest.approx(3 / SQRT5, abs=1e-12)
    assert rows["C"].need_index == pytest.approx(1 / SQRT5, abs=1e-12)
    assert rows["A"].need_index == pytest.approx(-3 / SQRT5, abs=1e-12)
    assert [row.key for row in table.districts] == ["D", "C", "B", "A"]
    assert [row.need_rank for row in table.districts] == [1, 2, 3, 4]
    # The index is already standardised: 3/√5 = 1.34 is "high", −1.34 "low", ±0.45 "medium".
    assert [row.need_class for row in table.districts] == ["high", "medium", "medium", "low"]


def test_weighted_index_turns_the_sign_where_higher_is_better():
    # sgb2_quote 2, 4, 6, 8 → z = (−3, −1, 1, 3)/√5 (higher is worse), weight 2.
    # gymnasium 50, 40, 40, 30: mean 40, variance 200/4 = 50 → z = (√2, 0, 0, −√2); higher is
    # better, so need z = (−√2, 0, 0, √2), weight 1. Index = (2·z_sgb2 + z_gym) / 3.
    values = long_values(
        {
            "2018": {
                "sgb2_quote": {"A": 2, "B": 4, "C": 6, "D": 8},
                "gymnasium": {"A": 50, "B": 40, "C": 40, "D": 30},
            }
        }
    )
    table = need_table(
        values,
        flat_population("ABCD"),
        {},
        {"sgb2_quote": 2, "gymnasium": 1},
        {"sgb2_quote": True, "gymnasium": False},
        300,
    )
    rows = by_key(table)
    root2 = math.sqrt(2)
    assert rows["A"].need_index == pytest.approx((2 * -3 / SQRT5 - root2) / 3, abs=1e-12)
    assert rows["B"].need_index == pytest.approx((2 * -1 / SQRT5) / 3, abs=1e-12)
    assert rows["C"].need_index == pytest.approx((2 * 1 / SQRT5) / 3, abs=1e-12)
    assert rows["D"].need_index == pytest.approx((2 * 3 / SQRT5 + root2) / 3, abs=1e-12)
    assert table.indicators == ("sgb2_quote", "gymnasium")


def test_classes_on_the_exact_class_bounds():
    # 16, 14, 6, 4, 12, 8, 10: mean 10, variance (36+16+16+36+4+4+0)/7 = 16, SD 4, so
    # z = 1.5, 1.0, −1.0, −1.5, 0.5, −0.5, 0 — exactly on the bounds 1.5, 1.0 and −1.0.
    raw = {"A": 16, "B": 14, "C": 6, "D": 4, "E": 12, "F": 8, "G": 10}
    values = long_values({"2018": {"sgb2_quote": raw}})
    rows = by_key(need_table(values, flat_population(raw), {}, {"sgb2_quote": 1}, {}, 300))
    assert {k: r.need_index for k, r in rows.items()} == pytest.approx(
        {"A": 1.5, "B": 1.0, "C": -1.0, "D": -1.5, "E": 0.5, "F": -0.5, "G": 0.0}, abs=1e-12
    )
    assert {k: r.need_class for k, r in rows.items()} == {
        "A": "very_high", "B": "high", "C": "low", "D": "low",
        "E": "medium", "F": "medium", "G": "medium",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (2.7, "very_high"),
        (1.5, "very_high"),
        (1.4999999999999998, "very_high"),  # 1.5 up to a floating-point error
        (1.499, "high"),
        (1.0, "high"),
        (0.999, "medium"),
        (-0.999, "medium"),
        (-1.0, "low"),
        (-2.0, "low"),
    ],
)
def test_class_bounds_follow_berlin_mss_with_sign_turned_to_need(z, expected):
    assert need_class(z) == expected


def test_ties_share_the_best_rank():
    # 1, 1, 0, 0: mean ½, SD ½ → z = 1, 1, −1, −1; ranks by method "min": 1, 1, 3, 3.
    values = long_values({"2018": {"sgb2_quote": {"A": 1, "B": 1, "C": 0, "D": 0}}})
    rows = by_key(need_table(values, flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300))
    assert {k: r.need_rank for k, r in rows.items()} == {"A": 1, "B": 1, "C": 3, "D": 3}
    assert {k: r.need_class for k, r in rows.items()} == {
        "A": "high", "B": "high", "C": "low", "D": "low"
    }  # fmt: skip


def test_suppression_reasons_and_z_scores_without_the_suppressed():
    values = long_values(
        {
            "2018": {
                "sgb2_quote": {"A": 2, "B": 4, "C": 6, "D": 8, "S": 30, "K": 25, "U": 40},
                "kinderarmut": {"A": 1, "B": 3, "C": 5, "D": 7, "S": 50, "U": 60},
            }
        }
    )
    population = pd.concat(
        [
            flat_population("ABC"),
            pd.DataFrame(
                {
                    "district": ["D", "S", "K", "S"],
                    "period": ["2016", "2017", "2017", "2019"],  # S 2019 lies after 2018
                    "population": [300, 196, 5000, 9000],
                }
            ),
        ]
    )
    names = {"A": "Nord", "N": "Neubaugebiet"}  # N has no values at all
    table = need_table(
        values, population, names, {"sgb2_quote": 1, "kinderarmut": 1}, {}, min_population=300
    )
    assert dict(table.suppressed) == {
        "K": "indicator kinderarmut missing",
        "N": "population unknown; indicators sgb2_quote, kinderarmut missing",
        "S": "population 196 below 300",
        "U": "population unknown",
    }
    assert [k for k, _ in table.suppressed] == ["K", "N", "S", "U"]
    # D has exactly 300 (from 2016, the newest at or before 2018): not below, so ranked.
    # Ranked: A–D only. Both indicators are 2, 4, 6, 8 and 1, 3, 5, 7: z = (−3, −1, 1, 3)/√5
    # each, so the index equals that z whatever the suppressed districts' values were.
    rows = by_key(table)
    assert set(rows) == {"A", "B", "C", "D"}
    assert rows["D"].population == 300
    assert rows["D"].need_index == pytest.approx(3 / SQRT5, abs=1e-12)
    assert rows["A"].name == "Nord" and rows["B"].name == "B"


def test_population_is_the_newest_at_or_before_the_period():
    values = long_values(
        {p: {"sgb2_quote": {"A": 1, "B": 2, "C": 3}} for p in ("2018", "2019", "2020")}
    )
    population = pd.concat(
        [
            flat_population("ABC", "2015"),
            pd.DataFrame(
                {"district": ["C", "C"], "period": ["2019", "2021"], "population": [250, 900]}
            ),
        ]
    )
    panel = need_panel(values, population, {"sgb2_quote": 1}, {}, 300, include_suppressed=True)
    c = panel[panel["district"] == "C"].set_index("period")
    assert c.loc["2018", "population"] == 1000 and c.loc["2018", "reason"] is None
    assert c.loc["2019", "reason"] == "population 250 below 300"
    assert c.loc["2020", "reason"] == "population 250 below 300"  # 2021's 900 is later


def test_population_of_a_year_serves_its_quarters():
    # Quarterly indicators, population at year end: "2024" counts for "2024-Q3" (same year),
    # "2025" does not; B has only 2025 and is unknown in 2024-Q3.
    values = long_values({"2024-Q3": {"sgb2_quote": {"A": 1, "B": 2, "C": 3, "D": 5}}})
    population = pd.DataFrame(
        {
            "district": ["A", "B", "C", "D", "A"],
            "period": ["2024", "2025", "2023", "2024", "2025"],
            "population": [700, 800, 900, 1000, 100],
        }
    )
    table = need_table(values, population, {}, {"sgb2_quote": 1}, {}, 300)
    assert table.period == "2024-Q3"
    assert dict(table.suppressed) == {"B": "population unknown"}
    assert {r.key: r.population for r in table.districts} == {"A": 700, "C": 900, "D": 1000}


FOUR_PERIODS = {
    # 1, 1, 0, 0 → z = 1, 1, −1, −1: A and B "high".
    "2018": {"sgb2_quote": {"A": 1, "B": 1, "C": 0, "D": 0}},
    # 3, 0, 0, 0: mean ¾, variance (81/16 + 3·9/16)/4 = 27/16, SD 3√3/4 → z_A = √3 ("very_high"),
    # the others −1/√3 ("medium").
    "2019": {"sgb2_quote": {"A": 3, "B": 0, "C": 0, "D": 0}},
    "2020": {"sgb2_quote": {"A": 1, "B": 1, "C": 0, "D": 0}},
    "2021": {"sgb2_quote": {"A": 3, "B": 0, "C": 0, "D": 0}},
}


def test_change_and_persistence_over_four_periods():
    values = long_values(FOUR_PERIODS)
    table = need_table(values, flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300)
    assert table.period == "2021"  # default: the newest period with values
    rows = by_key(table)
    assert rows["A"].change == pytest.approx(SQRT3 - 1, abs=1e-12)
    assert rows["B"].change == pytest.approx(-1 / SQRT3 - 1, abs=1e-12)
    assert rows["C"].change == pytest.approx(1 - 1 / SQRT3, abs=1e-12)
    assert {k: r.persistent for k, r in rows.items()} == {"A": 4, "B": 0, "C": 0, "D": 0}

    earlier = by_key(
        need_table(values, flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300, "2020")
    )
    assert {k: r.persistent for k, r in earlier.items()} == {"A": 3, "B": 1, "C": 0, "D": 0}
    first = need_table(values, flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300, "2018")
    assert all(row.change is None for row in first.districts)
    assert by_key(first)["A"].persistent == 1


def test_a_suppressed_period_breaks_the_run_and_leaves_no_change():
    periods = {p: {"sgb2_quote": dict(v["sgb2_quote"])} for p, v in FOUR_PERIODS.items()}
    periods["2020"]["sgb2_quote"]["A"] = np.nan
    table = need_table(
        long_values(periods), flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300
    )
    rows = by_key(table)
    assert rows["A"].persistent == 1
    assert rows["A"].change is None
    # 2020 without A: 1, 0, 0 → mean ⅓, SD √2/3, z_B = √2; 2021 z_B = −1/√3.
    assert rows["B"].change == pytest.approx(-1 / SQRT3 - math.sqrt(2), abs=1e-12)


def test_periods_without_any_ranked_district_are_skipped():
    periods = {
        "2018": FOUR_PERIODS["2018"],
        "2019": {"sgb2_quote": {"A": np.nan, "B": np.nan, "C": np.nan, "D": np.nan}},
        "2020": FOUR_PERIODS["2020"],
        "2021": {"sgb2_quote": {"A": np.nan}},
    }
    table = need_table(
        long_values(periods), flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300
    )
    # 2021 has a value row but nobody is ranked: the default is 2020, compared with 2018.
    assert table.period == "2020"
    rows = by_key(table)
    assert rows["A"].change == 0.0
    assert rows["A"].persistent == 2


def test_an_indicator_without_spread_contributes_zero():
    values = long_values(
        {
            "2018": {
                "sgb2_quote": {"A": 5, "B": 5, "C": 5, "D": 5},
                "kinderarmut": {"A": 2, "B": 4, "C": 6, "D": 8},
            }
        }
    )
    rows = by_key(
        need_table(
            values, flat_population("ABCD"), {}, {"sgb2_quote": 1, "kinderarmut": 1}, {}, 300
        )
    )
    assert rows["D"].need_index == pytest.approx((0 + 3 / SQRT5) / 2, abs=1e-12)


def test_to_dict_is_the_spec_document():
    values = long_values({"2018": {"sgb2_quote": {"A": 1, "B": 1, "C": 0, "D": 0, "S": 9}}})
    population = pd.concat(
        [
            flat_population("ABCD"),
            pd.DataFrame({"district": ["S"], "period": ["2018"], "population": [196]}),
        ]
    )
    table = need_table(values, population, {"A": "Nord-Düren"}, {"sgb2_quote": 1}, {}, 300)
    document = json.loads(json.dumps(table.to_dict(), allow_nan=False))
    assert document == {
        "period": "2018",
        "indicators": ["sgb2_quote"],
        "districts": [
            {"key": "A", "name": "Nord-Düren", "population": 1000, "need_index": 1.0,
             "need_rank": 1, "need_class": "high", "change": None, "persistent": 1},
            {"key": "B", "name": "B", "population": 1000, "need_index": 1.0,
             "need_rank": 1, "need_class": "high", "change": None, "persistent": 1},
            {"key": "C", "name": "C", "population": 1000, "need_index": -1.0,
             "need_rank": 3, "need_class": "low", "change": None, "persistent": 0},
            {"key": "D", "name": "D", "population": 1000, "need_index": -1.0,
             "need_rank": 3, "need_class": "low", "change": None, "persistent": 0},
        ],
        "suppressed": [{"key": "S", "reason": "population 196 below 300"}],
    }  # fmt: skip


def test_panel_and_table_agree_for_every_period():
    values = long_values(FOUR_PERIODS)
    population = flat_population("ABCD")
    panel = need_panel(values, population, {"sgb2_quote": 1}, {}, 300)
    assert list(panel.columns[:6]) == [
        "district", "period", "population", "need_index", "need_rank", "need_class"
    ]  # fmt: skip
    for period, rows in panel.groupby("period"):
        table = need_table(values, population, {}, {"sgb2_quote": 1}, {}, 300, period)
        assert [(r.key, r.need_index, r.need_rank, r.need_class) for r in table.districts] == list(
            rows[["district", "need_index", "need_rank", "need_class"]].itertuples(
                index=False, name=None
            )
        )


def test_other_indicators_in_the_values_are_ignored():
    values = long_values(
        {"2018": {"sgb2_quote": {"A": 2, "B": 4, "C": 6, "D": 8}, "turnover": {"A": np.nan}}}
    )
    table = need_table(values, flat_population("ABCD"), {}, {"sgb2_quote": 1}, {}, 300)
    assert table.suppressed == () and len(table.districts) == 4


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (
            pd.DataFrame(
                {"district": ["A", "A"], "indicator": "x", "period": "2018", "value": [1.0, 2.0]}
            ),
            "duplicate_values",
        ),
        (
            pd.DataFrame(
                {
                    "district": ["A", "A"],
                    "indicator": "x",
                    "period": ["2018", "2018-Q1"],
                    "value": [1.0, 2.0],
                }
            ),
            "mixed_frequencies",
        ),
    ],
)
def test_inconsistent_values_are_refused_with_a_code_the_front_doors_word(values, code):
    with pytest.raises(NeedDataError) as refused:
        need_table(values, flat_population("A"), {}, {"x": 1}, {}, 300)
    assert refused.value.code == code
    assert Messages("de")(f"cli.need.{code}", **refused.value.values)  # worded, every value used


@pytest.mark.parametrize(
    ("weights", "values", "population", "refusal"),
    [
        ({}, "2018", flat_population("A"), ("no_weights", {})),
        ({"x": 0}, "2018", flat_population("A"), ("no_weights", {})),
        ({"x": 1}, "Q1/2018", flat_population("A"), ("period_without_year", {"period": "Q1/2018"})),
        (
            {"x": 1},
            "2018",
            pd.concat([flat_population("A"), flat_population("A", inhabitants=900)]),
            ("duplicate_population", {"district": "A", "period": "2017"}),
        ),
    ],
)
def test_unusable_weights_periods_and_population_are_refused_with_a_worded_code(
    weights, values, population, refusal
):
    """The refusals `need` words for the clerk (cli.need.*): no positive weight, a period label
    without its year, a district's population given twice for one period."""
    frame = pd.DataFrame({"district": ["A"], "indicator": "x", "period": values, "value": [1.0]})
    with pytest.raises(NeedDataError) as refused:
        need_table(frame, population, {}, weights, {}, 300)
    assert (refused.value.code, refused.value.values) == refusal
    for lang in ("de", "en"):
        assert Messages(lang)(f"cli.need.{refusal[0]}", **refused.value.values)


def test_a_period_without_values_is_refused():
    values = long_values({"2018": {"sgb2_quote": {"A": 2, "B": 4}}})
    with pytest.raises(NeedDataError) as refused:
        need_table(values, flat_population("AB"), {}, {"sgb2_quote": 1}, {}, 300, "2030")
    assert (refused.value.code, refused.value.values) == ("no_values_in_period", {"period": "2030"})
    assert Messages("de")("cli.need.no_values_in_period", **refused.value.values) == (
        "Für den Zeitraum 2030 gibt es keine Werte der Bedarfsindikatoren."
    )
