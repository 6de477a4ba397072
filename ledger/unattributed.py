"""What the spending that reaches no district is: by account, product, cost centre and measure.

A committee reads that a large part of the spending is "keinem Quartier zugeordnet"; this says
what that money is. Two kinds of posting reach no district: those no measure's rules claim
(`measure` None), and those of a measure without an allocation valid on the booking date (the
measure's code). `spend --by district` counts both as unattributed; `spend --by measure` and
`--by program` only the first, because a measure's whole amount is in its row there.

Read from the derived table `posting_allocation` when it answers (one aggregate over its rows
without district), else from the postings tagged on the fly, as `ledger.spending` does: the
same cents either way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from imports.money import exact_sum, format_cents
from ledger.allocation_models import PostingAllocation
from ledger.allocation_queries import cache_answers
from ledger.master_store import catalog
from ledger.models import Posting
from ledger.posting_queries import query_frame
from ledger.spending import measure_names, tag_spending

# The fields the breakdown is given by, as JSON keys and posting columns.
DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("by_account", "account"),
    ("by_product", "product"),
    ("by_cost_center", "cost_center"),
)
GROUP_COLUMNS = ("account", "product", "cost_center", "measure")


def unattributed_postings(
    connection: Connection,
    start: date,
    end: date,
    patterns: tuple[str, ...],
    as_of: int | None = None,
    upto_posting: int | None = None,
) -> pd.DataFrame:
    """Spending booked in [start, end] that reaches no district, summed per combination of
    account, product, cost_center and measure (None: no measure claims the postings).

    Columns: GROUP_COLUMNS, cents (signed, debit positive), postings (how many postings).
    A code missing on a posting is None (rows may repeat a combination: sum them). The cents
    sum to `spend(by="district")["unattributed"]`.
    """
    if cache_answers(connection, patterns, as_of, upto_posting):
        query = (
            select(
                Posting.account,
                Posting.product,
                Posting.cost_center,
                PostingAllocation.measure,
                func.sum(PostingAllocation.allocated_cents).label("cents"),
                func.count().label("postings"),
            )
            .join(Posting, Posting.id == PostingAllocation.posting_id)
            .where(
                PostingAllocation.district.is_(None),
                PostingAllocation.booking_date.between(start, end),
            )
            .group_by(
                Posting.account, Posting.product, Posting.cost_center, PostingAllocation.measure
            )
        )
        frame = query_frame(connection, query)
        frame["cents"] = frame["cents"].astype("int64")
        return _nulls_as_none(frame)
    tagged = tag_spending(connection, patterns, start, end, as_of, upto_posting)
    postings = tagged.postings.rename(columns={"id": "posting_id"})
    lost = tagged.allocation[tagged.allocation["district"].isna()]
    parts = [
        postings.loc[postings["measure"].isna(), ["posting_id", "amount_cents"]].assign(
            measure=None
        ),
        lost[["posting_id", "measure", "allocated_cents"]].rename(
            columns={"allocated_cents": "amount_cents"}
        ),
    ]
    parts = [part for part in parts if len(part)]
    if not parts:
        return pd.DataFrame(
            {c: pd.Series(dtype=object) for c in GROUP_COLUMNS}
            | {"cents": pd.Series(dtype="int64"), "postings": pd.Series(dtype="int64")}
        )
    rows = pd.concat(parts, ignore_index=True).astype({"posting_id": "int64"})
    rows = rows.merge(postings.drop(columns=["measure", "amount_cents"]), on="posting_id")
    grouped = (
        _nulls_as_none(rows)
        .groupby(list(GROUP_COLUMNS), sort=False, dropna=False)
        .agg(cents=("amount_cents", "sum"), postings=("posting_id", "size"))
        .reset_index()
    )
    grouped["cents"] = grouped["cents"].astype("int64")
    return _nulls_as_none(grouped[[*GROUP_COLUMNS, "cents", "postings"]])


def _nulls_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """An empty code is None, whether the database holds NULL or "" (an empty cell)."""
    for column in GROUP_COLUMNS:
        values = frame[column].astype(object)
        frame[column] = values.where(values.notna() & (values != ""), None)
    return frame


def explain_unattributed(
    connection: Connection,
    document: dict[str, Any],
    patterns: tuple[str, ...],
    as_of: int | None = None,
    upto_posting: int | None = None,
) -> dict[str, Any]:
    """A `spend` document (`ledger.spending.spend`) with its `unattributed_breakdown` added,
    for the same period, catalogue and postings."""
    start, end = date.fromisoformat(document["from"]), date.fromisoformat(document["to"])
    rows = unattributed_postings(connection, start, end, patterns, as_of, upto_posting)
    names = measure_names(catalog(connection, as_of)[0])
    breakdown = breakdown_document(rows, names, with_measures=document["by"] == "district")
    return {**document, "unattributed_breakdown": breakdown}


def breakdown_document(
    rows: pd.DataFrame, measure_names: dict[str, str], with_measures: bool
) -> dict[str, Any]:
    """The `unattributed_breakdown` of a `spend` document (amounts as two-decimal strings).

    rows: `unattributed_postings`; with_measures: the document counts postings of measures
    without allocation as unattributed (by district), else only postings without measure.
    no_measure / without_allocation: the two kinds' sums; measures_without_allocation: each
    measure whose postings reached no district, with its name, largest first; by_account,
    by_product, by_cost_center: every code, largest first (key None: the field is empty on
    those postings), so that each dimension sums to the unattributed amount. An auditor gets
    every code; the report and the terminal show the largest and sum the rest.
    """
    if not with_measures:
        rows = rows[rows["measure"].isna()]
    no_measure = rows[rows["measure"].isna()]
    lost = rows[rows["measure"].notna()]
    measures = _largest(lost, "measure")
    document: dict[str, Any] = {
        "no_measure": format_cents(exact_sum(no_measure["cents"])),
        "without_allocation": format_cents(exact_sum(lost["cents"])),
        "measures_without_allocation": [
            {
                "measure": code,
                "name": measure_names.get(code, code),
                "amount": format_cents(cents),
                "postings": count,
            }
            for code, cents, count in measures
        ],
    }
    for key, column in DIMENSIONS:
        document[key] = [
            {"key": code, "amount": format_cents(cents), "postings": count}
            for code, cents, count in _largest(rows, column)
        ]
    return document


def _largest(rows: pd.DataFrame, column: str) -> list[tuple[str | None, int, int]]:
    """(code, cents, postings) per value of `column`, the largest amount first, ties by code."""
    if rows.empty:
        return []
    sums = rows.groupby(column, sort=False, dropna=False).agg(
        cents=("cents", "sum"), postings=("postings", "sum")
    )
    ordered = sorted(
        ((None if pd.isna(k) else str(k), int(c), int(n)) for k, c, n in sums.itertuples()),
        key=lambda item: (-item[1], item[0] or ""),
    )
    return ordered
