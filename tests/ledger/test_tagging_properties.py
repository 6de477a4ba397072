"""Property: whatever the catalog and postings, allocation is exact and everything reconciles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.tagging import Rule, allocate, match_measures

COST_CENTERS = ["36050", "36051", "36110", "36120", "40000"]
DISTRICTS = ["S01", "S02", "S03", "S04"]


@st.composite
def shares(draw: st.DrawFn) -> list[tuple[str, Decimal]]:
    """Districts with shares of exactly 1 in total, in steps of 0.000001."""
    chosen = draw(st.lists(st.sampled_from(DISTRICTS), min_size=1, max_size=4, unique=True))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, 999_999),
                min_size=len(chosen) - 1,
                max_size=len(chosen) - 1,
                unique=True,
            )
        )
    )
    bounds = [0, *cuts, 1_000_000]
    return [
        (d, Decimal(b - a) / 1_000_000) for d, a, b in zip(chosen, bounds, bounds[1:], strict=False)
    ]


@st.composite
def city(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # One measure per cost center (exclusive rules); some without allocation.
    centers = draw(st.lists(st.sampled_from(COST_CENTERS), min_size=1, max_size=4, unique=True))
    measures = pd.DataFrame(
        {
            "code": [f"M{i}" for i in range(len(centers))],
            "start_date": None,
            "end_date": None,
            "cost_center": centers,
            "product": None,
            "account": None,
            "order_no": None,
        }
    )
    change = dt.date(2024, 7, 1)
    rows = []
    for code in measures["code"]:
        if draw(st.booleans()):
            continue  # unallocated measure: its spending is unattributed
        for district, share in draw(shares()):
            rows.append((code, district, share, None, change - dt.timedelta(days=1)))
        for district, share in draw(shares()):
            rows.append((code, district, share, change, None))
    allocations = pd.DataFrame(
        rows, columns=["measure", "district", "share", "valid_from", "valid_to"]
    )
    count = draw(st.integers(1, 60))
    postings = pd.DataFrame(
        {
            "id": range(1, count + 1),
            "booking_date": [
                draw(st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31))) for _ in range(count)
            ],
            "account": "529100",
            "product": None,
            "cost_center": [draw(st.sampled_from(COST_CENTERS)) for _ in range(count)],
            "order_no": None,
            "amount_cents": [draw(st.integers(-(10**9), 10**9)) for _ in range(count)],
        }
    )
    return postings, measures, allocations


@settings(max_examples=150, deadline=None)
@given(city())
def test_district_amounts_sum_to_each_posting_and_to_the_total(data) -> None:
    postings, measures, allocations = data
    matched = match_measures(postings, measures)
    frame = matched.merge(
        postings.rename(columns={"id": "posting_id"})[
            ["posting_id", "booking_date", "amount_cents"]
        ]
    )
    result = allocate(frame, allocations)
    per_posting = result.groupby("posting_id")["allocated_cents"].sum()
    expected = frame.set_index("posting_id")["amount_cents"]
    assert per_posting.sort_index().tolist() == expected.sort_index().tolist()
    attributed = int(result.loc[result["district"].notna(), "allocated_cents"].sum())
    unmatched = int(postings.loc[~postings["id"].isin(matched["posting_id"]), "amount_cents"].sum())
    unallocated = int(result.loc[result["district"].isna(), "allocated_cents"].sum())
    assert attributed + unallocated + unmatched == int(postings["amount_cents"].sum())
    # No district ever gets more than one cent beyond its exact share of a posting.
    exact = result[result["district"].notna()].merge(frame, on=["posting_id", "measure"])
    drift = (exact["allocated_cents"] - exact["amount_cents"] * exact["share"].map(float)).abs()
    assert (drift < 1.0 + 1e-6).all()


def test_rule_alternatives_and_prefixes() -> None:
    rule = Rule.parse("36050, 3611*")
    values = pd.Series(["36050", "36110", "36119", "3605", "36120"])
    assert rule.matches(values).tolist() == [True, True, True, False, False]
