"""The check a finance officer does by hand with each new export of a fiscal year.

Compared with what the ledger already holds: which booking months' totals changed since the
previous export of that year, which postings of the months the export covers are no longer in it,
and which accounts, cost centers and products appear for the first time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Connection, func, select

from imports.money import format_cents
from ledger.allocation_months import next_month
from ledger.current_keys import YearComparison
from ledger.models import BatchMonthTotal, ImportBatch, Posting
from ledger.posting_queries import missing_examples, missing_from_export

EXAMPLES = 10  # postings shown of those no longer in an export


@dataclass(frozen=True)
class MonthChange:
    fiscal_year: int
    month: str  # "2024-03"
    previous_cents: int
    current_cents: int
    previous_batch: int


@dataclass(frozen=True)
class ExportComparison:
    changed_months: tuple[MonthChange, ...] = ()
    disappeared: int = 0
    disappeared_examples: tuple[dict[str, object], ...] = ()
    new_accounts: tuple[str, ...] = ()
    new_cost_centers: tuple[str, ...] = ()
    new_products: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "changed_months": [
                {
                    "fiscal_year": m.fiscal_year,
                    "month": m.month,
                    "previous": format_cents(m.previous_cents),
                    "current": format_cents(m.current_cents),
                    "previous_batch": m.previous_batch,
                }
                for m in self.changed_months
            ],
            "disappeared": self.disappeared,
            "disappeared_examples": list(self.disappeared_examples),
            "new_accounts": list(self.new_accounts),
            "new_cost_centers": list(self.new_cost_centers),
            "new_products": list(self.new_products),
        }


def month_totals(postings: pd.DataFrame) -> pd.DataFrame:
    """fiscal_year, month, rows, total_cents of an export's postings."""
    if postings.empty:
        return pd.DataFrame(columns=["fiscal_year", "month", "rows", "total_cents"])
    days = postings["booking_date"]
    # Grouped by year * 100 + month, which sorts like "YYYY-MM"; only the groups are formatted.
    grouped = (
        postings.assign(month=days.dt.year * 100 + days.dt.month)
        .groupby(["fiscal_year", "month"], as_index=False)
        .agg(rows=("amount_cents", "size"), total_cents=("amount_cents", "sum"))
    )
    grouped["month"] = [f"{m // 100:04d}-{m % 100:02d}" for m in grouped["month"].astype("int64")]
    return grouped.astype({"fiscal_year": "int64", "rows": "int64", "total_cents": "int64"})


def compare_with_ledger(
    connection: Connection,
    postings: pd.DataFrame,
    totals: pd.DataFrame,
    keys_loaded: bool,
    current: YearComparison | None = None,
    changed_keys: pd.Series | None = None,
) -> ExportComparison:
    """Run before the export's own rows are inserted.

    totals: `month_totals(postings)`; keys_loaded: the export's keys are in the temporary table
    of `ledger.posting_queries.export_keys`; current: instead, the comparison with the current
    postings of the export's years (`ledger.current_keys.compare_years`). Without either the ledger
    holds no posting of the export's years, so none can have disappeared. changed_keys: the key
    hashes of the rows that are not a duplicate of their current version (None: every row);
    only their codes can be new to the ledger.
    """
    if postings.empty:
        return ExportComparison()
    if current is not None:
        disappeared, ids = current.disappeared, current.example_ids
        examples = missing_examples(connection, ids) if ids else pd.DataFrame()
    elif keys_loaded:
        disappeared, examples = missing_from_export(connection, _month_spans(totals), EXAMPLES)
    else:
        disappeared, examples = 0, pd.DataFrame()
    return ExportComparison(
        changed_months=tuple(_changed_months(connection, totals)),
        disappeared=disappeared,
        disappeared_examples=tuple(
            {
                "fiscal_year": int(r.fiscal_year),
                "document_no": r.document_no,
                "line_no": None if pd.isna(r.line_no) else int(r.line_no),
                "booking_date": str(r.booking_date),
                "account": r.account,
                "amount": format_cents(r.amount_cents),
            }
            for r in examples.itertuples()
        ),
        **_new_codes(connection, postings, changed_keys),
    )


def _month_spans(totals: pd.DataFrame) -> list[tuple[int, date, date]]:
    """(fiscal_year, first day, first day of the next month) of each month in `totals`."""
    spans = []
    for year, month in zip(totals["fiscal_year"], totals["month"], strict=True):
        first = date.fromisoformat(f"{month}-01")
        spans.append((int(year), first, next_month(first)))
    return spans


def _changed_months(connection: Connection, totals: pd.DataFrame) -> list[MonthChange]:
    changes: list[MonthChange] = []
    for year, months in totals.groupby("fiscal_year"):
        previous_batch = connection.execute(
            select(func.max(BatchMonthTotal.batch_id))
            .join(ImportBatch, ImportBatch.id == BatchMonthTotal.batch_id)
            .where(BatchMonthTotal.fiscal_year == int(year))
        ).scalar_one()
        if previous_batch is None:
            continue
        before = pd.DataFrame(
            connection.execute(
                select(BatchMonthTotal.month, BatchMonthTotal.total_cents).where(
                    BatchMonthTotal.batch_id == previous_batch,
                    BatchMonthTotal.fiscal_year == int(year),
                )
            ).fetchall(),
            columns=["month", "previous"],
        )
        # Only the span this export covers: a March-only export says nothing about January, and
        # a month the previous export did not have yet is new, not changed.
        first, last = months["month"].min(), months["month"].max()
        span = before[(before["month"] >= first) & (before["month"] <= last)]
        both = span.merge(months[["month", "total_cents"]], on="month", how="left").fillna(0)
        for row in both[both["previous"] != both["total_cents"]].sort_values("month").itertuples():
            changes.append(
                MonthChange(
                    int(year),
                    row.month,
                    int(row.previous),
                    int(row.total_cents),
                    int(previous_batch),
                )
            )
    return changes


# Where each kind of code is looked up, by the comparison's field name.
_CODES = {
    "new_accounts": ("account", Posting.account),
    "new_cost_centers": ("cost_center", Posting.cost_center),
    "new_products": ("product", Posting.product),
}


def _new_codes(
    connection: Connection, postings: pd.DataFrame, changed_keys: pd.Series | None
) -> dict[str, tuple[str, ...]]:
    """The accounts, cost centers and products of the export that no posting has yet.

    A row that duplicates its current version has that posting's codes (its content hash covers
    them), so only the codes of the other rows that no such row has are looked up: for a
    re-export, none, where every code was a scan of the postings table (0.8 s at a million)."""
    if changed_keys is None:
        fresh, unchanged = postings, postings.iloc[:0]
    else:
        differs = postings["key_hash"].isin(changed_keys).to_numpy()
        fresh, unchanged = postings[differs], postings[~differs]
    found = {}
    for name, (name_in_file, column) in _CODES.items():
        candidates = _codes(fresh[name_in_file]) - _codes(unchanged[name_in_file])
        known = (
            {
                value
                for (value,) in connection.execute(
                    select(column).distinct().where(column.in_(sorted(candidates)))
                )
            }
            if candidates
            else set()
        )
        found[name] = tuple(sorted(candidates - known))
    return found


def _codes(values: pd.Series) -> set[str]:
    return set(values.dropna().unique())
