"""What the spending that reaches no district is: by account, product, cost centre and measure.

A committee reads that a large part of the spending is "keinem Quartier zugeordnet"; this says
what that money is. Two kinds of posting reach no district: those no measure's rules claim
(measure None), and those of a measure without an allocation valid on the booking date
(`with_measure`). `spend --by district` counts both as unattributed; `spend --by measure` and
`--by program` only the first, because a measure's whole amount is in its row there.

The sums are kept per field, not per combination of fields: how many rows a period reads is
bounded by the distinct codes of each field (hundreds), not by the postings. Read from the
derived tables when they answer (the monthly sums `unattributed_month`, and the rows without
district of `posting_allocation` for the days of partial months), else from the postings tagged
on the fly, as `ledger.spending` does: the same cents either way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from imports.money import exact_sum, format_cents
from ledger.allocation_models import UnattributedMonth
from ledger.allocation_months import split_period, sums_by_field, unattributed_rows
from ledger.allocation_queries import cache_answers
from ledger.master_store import catalog
from ledger.posting_queries import query_frame
from ledger.spending import measure_names, tag_spending

# The fields the breakdown is given by, as JSON keys and posting columns.
DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("by_account", "account"),
    ("by_product", "product"),
    ("by_cost_center", "cost_center"),
)
# No unattributed postings, in the columns `sums_by_field` reads.
_NO_ROWS = pd.DataFrame(
    {
        **{c: pd.Series(dtype=object) for c in ("account", "product", "cost_center", "measure")},
        "amount_cents": pd.Series(dtype="int64"),
    }
)


def unattributed_sums(
    connection: Connection,
    start: date,
    end: date,
    patterns: tuple[str, ...],
    as_of: int | None = None,
    upto_posting: int | None = None,
) -> pd.DataFrame:
    """Spending booked in [start, end] that reaches no district, summed per field and code.

    Columns: field (account, product, cost_center or measure), code (None: the field is empty;
    for measure: no measure claims the postings), with_measure (the postings belong to a
    measure without allocation), cents (signed, debit positive), postings (how many). A code
    may repeat (months and days): sum them. For each field the cents sum to
    `spend(by="district")["unattributed"]`.
    """
    if cache_answers(connection, patterns, as_of, upto_posting):
        return _cached(connection, start, end)
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
        return sums_by_field(_NO_ROWS)
    rows = pd.concat(parts, ignore_index=True).astype({"posting_id": "int64"})
    codes = postings[["posting_id", "account", "product", "cost_center"]]
    return sums_by_field(rows.merge(codes, on="posting_id"))


def _cached(connection: Connection, start: date, end: date) -> pd.DataFrame:
    """`unattributed_sums` from the derived tables: the whole months from `unattributed_month`,
    the days of partial months at either end from the allocation rows without district with
    their postings (as `ledger.allocation_queries.cached_sums` reads `spend`'s figures)."""
    months, day_ranges = split_period(start, end)
    frames = [sums_by_field(unattributed_rows(connection, *days)) for days in day_ranges]
    if months is not None:
        keys = (UnattributedMonth.field, UnattributedMonth.code, UnattributedMonth.with_measure)
        query = (
            select(
                *keys,
                func.sum(UnattributedMonth.allocated_cents).label("cents"),
                func.sum(UnattributedMonth.postings).label("postings"),
            )
            .where(UnattributedMonth.month.between(*months))
            .group_by(*keys)
        )
        frames.append(query_frame(connection, query))
    frame = pd.concat(frames, ignore_index=True) if frames else sums_by_field(_NO_ROWS)
    frame = frame.astype({"cents": "int64", "postings": "int64", "with_measure": bool})
    frame["code"] = frame["code"].astype(object).where(frame["code"].notna(), None)
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
    sums = unattributed_sums(connection, start, end, patterns, as_of, upto_posting)
    names = measure_names(catalog(connection, as_of)[0])
    breakdown = breakdown_document(sums, names, with_measures=document["by"] == "district")
    return {**document, "unattributed_breakdown": breakdown}


def breakdown_document(
    sums: pd.DataFrame, measure_names: dict[str, str], with_measures: bool
) -> dict[str, Any]:
    """The `unattributed_breakdown` of a `spend` document (amounts as two-decimal strings).

    sums: `unattributed_sums`; with_measures: the document counts postings of measures
    without allocation as unattributed (by district), else only postings without measure.
    no_measure / without_allocation: the two kinds' sums; measures_without_allocation: each
    measure whose postings reached no district, with its name, largest first; by_account,
    by_product, by_cost_center: every code, largest first (key None: the field is empty on
    those postings), so that each dimension sums to the unattributed amount. An auditor gets
    every code; the report and the terminal show the largest and sum the rest.
    """
    if not with_measures:
        sums = sums[~sums["with_measure"]]
    measures = sums[sums["field"] == "measure"]
    document: dict[str, Any] = {
        "no_measure": format_cents(exact_sum(measures.loc[~measures["with_measure"], "cents"])),
        "without_allocation": format_cents(
            exact_sum(measures.loc[measures["with_measure"], "cents"])
        ),
        "measures_without_allocation": [
            {
                "measure": code,
                "name": measure_names.get(code, code),
                "amount": format_cents(cents),
                "postings": count,
            }
            for code, cents, count in _largest(measures[measures["with_measure"]])
        ],
    }
    for key, field in DIMENSIONS:
        document[key] = [
            {"key": code, "amount": format_cents(cents), "postings": count}
            for code, cents, count in _largest(sums[sums["field"] == field])
        ]
    return document


def _largest(sums: pd.DataFrame) -> list[tuple[str | None, int, int]]:
    """(code, cents, postings) per code, the largest amount first, ties by code."""
    if sums.empty:
        return []
    totals = sums.groupby("code", sort=False, dropna=False).agg(
        cents=("cents", "sum"), postings=("postings", "sum")
    )
    return sorted(
        ((None if pd.isna(k) else str(k), int(c), int(n)) for k, c, n in totals.itertuples()),
        key=lambda item: (-item[1], item[0] or ""),
    )
