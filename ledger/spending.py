"""Spend per district, measure or program, and the trace behind a district figure.

Only spending postings count (`[ledger] spending_accounts` without `internal_accounts`, see
`imports.account_patterns`), current versions only. Whatever
reaches no district — postings that match no measure, measures without a valid allocation — is
its own `unattributed` line, so every figure reconciles to the ledger's total spending.

`spend` and `trace` read the derived table `posting_allocation` when it holds exactly the
figures asked for (`ledger.allocation_queries.cache_answers`; `refresh_allocations` brings it up
to date), and otherwise tag the postings on the fly, as `tag_spending` always does. Both ways
give the same figures to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, false, func, not_, or_, select

from imports.account_patterns import split_patterns
from imports.money import format_cents
from ledger.allocation_queries import cache_answers, cached_sums, cached_trace
from ledger.master_store import catalog, districts, plan_amounts, population
from ledger.models import ImportBatch, Posting
from ledger.posting_queries import POSTING_COLUMNS, current_filter, query_frame, within
from ledger.tagging import allocate, match_measures


@dataclass(frozen=True)
class Tagged:
    """Spending postings of a period with their measure and district amounts."""

    postings: pd.DataFrame  # POSTING_COLUMNS + measure (None = no measure)
    allocation: (
        pd.DataFrame
    )  # posting_id, measure, district (None = unattributed), share, allocated_cents
    measures: pd.DataFrame
    allocations: pd.DataFrame


def _any_account(patterns: tuple[str, ...]) -> ColumnElement[bool]:
    """`5*` is a prefix, anything else an exact account."""
    conditions = [
        Posting.account.startswith(p[:-1], autoescape=True)
        if p.endswith("*")
        else Posting.account == p
        for p in patterns
    ]
    return or_(false(), *conditions)


def account_condition(patterns: tuple[str, ...]) -> ColumnElement[bool]:
    """Postings on the spending accounts of `patterns` (`imports.account_patterns`): an
    included pattern matches, no excluded (`!58*`) one does."""
    included, excluded = split_patterns(patterns)
    return and_(_any_account(included), not_(_any_account(excluded)))


def internal_cents(
    connection: Connection,
    patterns: tuple[str, ...],
    start: date,
    end: date,
    upto_posting: int | None = None,
) -> int:
    """Cents booked in [start, end] on accounts that the spending patterns include but the
    internal (excluded) ones take out: the internal service charges left out of spending."""
    included, excluded = split_patterns(patterns)
    query = (
        select(func.coalesce(func.sum(Posting.amount_cents), 0))
        .where(current_filter(upto_posting), within(upto_posting))
        .where(_any_account(included), _any_account(excluded))
        .where(and_(Posting.booking_date >= start, Posting.booking_date <= end))
    )
    return int(connection.execute(query).scalar_one())


def spending_postings(
    connection: Connection,
    patterns: tuple[str, ...],
    start: date,
    end: date,
    upto_posting: int | None = None,
) -> pd.DataFrame:
    """Current spending postings booked in [start, end]; with upto_posting, as the ledger stood
    when that was its newest posting (`ledger.posting_queries.LedgerBound`)."""
    query = (
        select(*(getattr(Posting, c) for c in POSTING_COLUMNS))
        .where(current_filter(upto_posting), within(upto_posting), account_condition(patterns))
        .where(and_(Posting.booking_date >= start, Posting.booking_date <= end))
        .order_by(Posting.id)
    )
    return query_frame(connection, query)


def tag_spending(
    connection: Connection,
    patterns: tuple[str, ...],
    start: date,
    end: date,
    as_of: int | None,
    upto_posting: int | None = None,
) -> Tagged:
    """Spending postings tagged with the catalog as of master import `as_of` (None: newest),
    postings as of `upto_posting` (None: all)."""
    postings = spending_postings(connection, patterns, start, end, upto_posting)
    measures, allocations = catalog(connection, as_of)
    matched = match_measures(postings, measures)
    postings = postings.merge(matched.rename(columns={"posting_id": "id"}), on="id", how="left")
    postings["measure"] = (
        postings["measure"].astype(object).where(postings["measure"].notna(), None)
    )
    with_measure = postings[postings["measure"].notna()].rename(columns={"id": "posting_id"})
    allocation = allocate(
        with_measure[["posting_id", "measure", "booking_date", "amount_cents"]], allocations
    )
    return Tagged(postings, allocation, measures, allocations)


def measure_names(measures: pd.DataFrame) -> dict[str, str]:
    """Code -> name of a catalog's measures (`ledger.master_store.catalog`)."""
    return dict(zip(measures["code"], measures["name"], strict=True)) if len(measures) else {}


def per_capita(cents: int, inhabitants: int | None) -> str | None:
    if not inhabitants:
        return None
    euros = Decimal(int(cents)) / Decimal(100) / Decimal(int(inhabitants))
    return str(euros.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def population_at(connection: Connection, year: int, as_of: int | None) -> dict[str, int]:
    """Inhabitants per district: the newest figure of that year or before."""
    frame = population(connection, as_of)
    frame = frame[frame["period"].str[:4].astype(int) <= year]
    if frame.empty:
        return {}
    newest = frame.sort_values("period").drop_duplicates("district", keep="last")
    return dict(zip(newest["district"], newest["population"].astype(int), strict=True))


def spend(
    connection: Connection,
    by: str,
    start: date,
    end: date,
    patterns: tuple[str, ...],
    as_of: int | None = None,
    upto_posting: int | None = None,
) -> dict[str, object]:
    """The SPEC §6 `spend` document (amounts as two-decimal strings).

    as_of: master data as of that import (None: newest); upto_posting: the postings as the
    ledger held them when that was its newest posting (None: now). Both together reproduce an
    earlier figure exactly, whatever was imported since.
    """
    column = "district" if by == "district" else "measure"
    sums, total = spending_sums(connection, column, start, end, patterns, as_of, upto_posting)
    if by == "district":
        rows = _by_district(connection, sums, end.year, as_of)
    else:
        rows = _by_measure_or_program(connection, sums, by, start, end, as_of)
    attributed = sum(sums.values())
    return {
        "by": by,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "rows": rows,
        "unattributed": format_cents(total - attributed),
        "total": format_cents(total),
        # Internal service charges on spending accounts, left out of `total` ([ledger]
        # internal_accounts): what the ledger holds beyond it, so nobody has to guess.
        "internal": format_cents(internal_cents(connection, patterns, start, end, upto_posting)),
    }


def spending_sums(
    connection: Connection,
    column: str,
    start: date,
    end: date,
    patterns: tuple[str, ...],
    as_of: int | None = None,
    upto_posting: int | None = None,
) -> tuple[dict[str, int], int]:
    """Cents per district or per measure (`column`) of the spending booked in [start, end], and
    all spending then; from the derived table when it answers, else tagged on the fly.

    Per district: the cents allocated to it; per measure: its postings' whole amounts. What is
    missing from the sums (no district, no measure) is the unattributed rest of the total.
    """
    if cache_answers(connection, patterns, as_of, upto_posting):
        return cached_sums(connection, column, start, end)
    tagged = tag_spending(connection, patterns, start, end, as_of, upto_posting)
    total = int(tagged.postings["amount_cents"].sum()) if len(tagged.postings) else 0
    if column == "district":
        rows, cents = tagged.allocation, "allocated_cents"
    else:
        rows, cents = tagged.postings, "amount_cents"
    rows = rows[rows[column].notna()]
    sums = rows.groupby(column)[cents].sum() if len(rows) else pd.Series(dtype="int64")
    return {str(k): int(v) for k, v in sums.items()}, total


def _by_district(
    connection: Connection, sums: dict[str, int], year: int, as_of: int | None
) -> list[dict[str, object]]:
    names = districts(connection, as_of)
    inhabitants = population_at(connection, year, as_of)
    rows = []
    for code, name in zip(names["code"], names["name"], strict=True):
        cents = int(sums.get(code, 0))
        people = inhabitants.get(code)
        rows.append(
            {
                "key": code,
                "name": name,
                "amount": format_cents(cents),
                "population": people,
                "per_capita": per_capita(cents, people),
            }
        )
    return rows


def _by_measure_or_program(
    connection: Connection,
    sums: dict[str, int],
    by: str,
    start: date,
    end: date,
    as_of: int | None,
) -> list[dict[str, object]]:
    measures = catalog(connection, as_of)[0].drop_duplicates("code")
    program_of = {
        m.code: (m.program if isinstance(m.program, str) and m.program else m.code)
        for m in measures.itertuples()
    }
    plan = _plan_by_measure(connection, start, end, as_of)
    key_of = (lambda code: code) if by == "measure" else program_of.get
    rows: dict[str, dict[str, object]] = {}
    for measure in measures.itertuples():
        key = key_of(measure.code)
        row = rows.setdefault(
            key,
            {
                "key": key,
                "name": measure.name if by == "measure" else key,
                "_cents": 0,
                "_plan": None,
            },
        )
        row["_cents"] += int(sums.get(measure.code, 0))
        if plan is not None and measure.code in plan:
            row["_plan"] = (row["_plan"] or 0) + plan[measure.code]
    return [
        {
            "key": r["key"],
            "name": r["name"],
            "amount": format_cents(r["_cents"]),
            "plan": None if r["_plan"] is None else format_cents(r["_plan"]),
        }
        for r in sorted(rows.values(), key=lambda r: str(r["key"]))
    ]


def _plan_by_measure(
    connection: Connection, start: date, end: date, as_of: int | None
) -> dict[str, int] | None:
    """Plan amounts of the year, when the period is exactly one calendar year."""
    if not (start == date(start.year, 1, 1) and end == date(start.year, 12, 31)):
        return None
    frame = plan_amounts(connection, as_of)
    frame = frame[(frame["year"] == start.year) & frame["measure"].notna()]
    return {m: int(c) for m, c in zip(frame["measure"], frame["amount_cents"], strict=True)}


def trace(
    connection: Connection,
    district: str,
    start: date,
    end: date,
    patterns: tuple[str, ...],
    as_of: int | None = None,
    measure: str | None = None,
    upto_posting: int | None = None,
) -> dict[str, object]:
    """Every posting behind a district's figure, with its measure (code and name), share and
    source row; from the derived table when it answers (one indexed query), else tagged on
    the fly."""
    if cache_answers(connection, patterns, as_of, upto_posting):
        detail = cached_trace(connection, district, start, end, measure)
        measures, allocations = catalog(connection, as_of)
    else:
        tagged = tag_spending(connection, patterns, start, end, as_of, upto_posting)
        detail = _tagged_trace(connection, tagged, district, measure)
        measures, allocations = tagged.measures, tagged.allocations
    basis = _basis(allocations, district)
    names = measure_names(measures)
    return {
        "district": district,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": format_cents(int(detail["allocated_cents"].sum()) if len(detail) else 0),
        "items": [
            {
                "measure": row.measure,
                "measure_name": names.get(row.measure),
                "share": str(row.share),
                "basis": basis.get((row.measure, str(row.share))),
                "allocated": format_cents(row.allocated_cents),
                "posting": {
                    "id": int(row.posting_id),
                    "fiscal_year": int(row.fiscal_year),
                    "document_no": row.document_no,
                    "line_no": None if pd.isna(row.line_no) else int(row.line_no),
                    "booking_date": str(row.booking_date),
                    "account": row.account,
                    "cost_center": row.cost_center,
                    "product": row.product,
                    "order": row.order_no,
                    "text": row.text,
                    "amount": format_cents(row.amount_cents),
                },
                "source": {
                    "batch": int(row.batch_id),
                    "file": row.file,
                    "sha256": row.sha256,
                    "sheet": row.source_sheet,
                    "row": int(row.source_row),
                },
            }
            for row in detail.itertuples()
        ],
    }


def _tagged_trace(
    connection: Connection, tagged: Tagged, district: str, measure: str | None
) -> pd.DataFrame:
    """`cached_trace`'s frame from postings tagged on the fly."""
    items = tagged.allocation[tagged.allocation["district"] == district]
    if measure is not None:
        items = items[items["measure"] == measure]
    detail = items.merge(
        tagged.postings.drop(columns="measure"), left_on="posting_id", right_on="id"
    ).sort_values(["booking_date", "posting_id"])
    ids = sorted({int(i) for i in detail["batch_id"]})
    files = pd.DataFrame(
        connection.execute(
            select(
                ImportBatch.id.label("batch_id"),
                ImportBatch.file_name.label("file"),
                ImportBatch.sha256,
            ).where(ImportBatch.id.in_(ids))
        ).all(),
        columns=["batch_id", "file", "sha256"],
    )
    return detail.merge(files, on="batch_id", how="left", sort=False)


def _basis(allocations: pd.DataFrame, district: str) -> dict[tuple[str, str], str | None]:
    if allocations.empty:
        return {}
    own = allocations[allocations["district"] == district]
    return {
        (m, str(s)): b for m, s, b in zip(own["measure"], own["share"], own["basis"], strict=True)
    }
