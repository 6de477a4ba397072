"""Which rows of a published budget plan make up the plan, and how their amounts add up.

The rules are those of `imports.master_data.plan` (its module docstring): actual results are
left out by their kind, sum lines by their label, and what is not spending by its account,
direction or line; the decimal mark of text amounts is a property of the column.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from imports.account_patterns import account_matches
from imports.german_values import normalise_codes
from imports.master_data.columns import MasterDataError, Table
from imports.plan_spending import PlanSpending
from imports.postings import RowError
from imports.problems import Problem, joined, problem, said

_PLAN_KINDS = frozenset(
    {"plan", "ansatz", "planung", "haushaltsansatz", "planansatz", "entwurf", "budget", "soll"}
)
_ACTUAL_KINDS = frozenset(
    {"ist", "ergebnis", "rechnungsergebnis", "jahresergebnis", "actual", "actuals"}
)
# "17 = ordentliche Aufwendungen", "06 - Summe investive Einzahlungen", "14 - Saldo …", "Summe".
_SUM_LINE = re.compile(
    r"^\s*(?:\d+\s*(?:=|[-–]\s*(?:summe|saldo)\b)|(?:summe|saldo)\b)", re.IGNORECASE
)
_DOT_DECIMAL = re.compile(r"\.\d{1,2}-?$")


def _matches(text: object, patterns: Sequence[str]) -> bool:
    if not isinstance(text, str):
        return False
    folded = " ".join(text.split()).casefold()
    return any(fnmatch.fnmatchcase(folded, p.casefold()) for p in patterns)


def select_rows(
    table: Table, raw: pd.DataFrame, spending: PlanSpending
) -> tuple[pd.Series, dict[str, int], list[RowError]]:
    """Which rows make up the plan (module docstring), how many were left out and why, and
    the errors of unknown kinds."""
    kept = pd.Series(True, index=raw.index)
    left_out = {"actuals": 0, "sum_lines": 0, "internal": 0, "not_spending": 0}
    errors: list[RowError] = []
    if "kind" in raw:
        kind = raw["kind"].map(lambda v: " ".join(str(v).split()).casefold() if v else "")
        actual = kind.isin(_ACTUAL_KINDS)
        unknown = ~actual & ~kind.isin(_PLAN_KINDS)
        errors += table.errors(
            unknown,
            "kind",
            raw["kind"].map(lambda v: problem("not_amount_kind", value=said(v))),
        )
        left_out["actuals"] = int(actual.sum())
        kept &= ~actual & ~unknown
    if "line" in raw:
        sums = raw["line"].map(lambda v: isinstance(v, str) and bool(_SUM_LINE.match(v)))
        left_out["sum_lines"] = int((kept & sums).sum())
        kept &= ~sums
    internal = _internal(raw, spending)
    left_out["internal"] = int((kept & internal).sum())
    kept &= ~internal
    if "account" in raw:
        accounts = normalise_codes(raw["account"])
        spend = accounts.map(lambda a: isinstance(a, str) and account_matches(a, spending.accounts))
    elif "direction" in raw:
        spend = raw["direction"].map(lambda v: _matches(v, spending.labels))
    elif "line" in raw:
        spend = raw["line"].map(lambda v: _matches(v, spending.labels))
    else:
        spend = pd.Series(True, index=raw.index)
    left_out["not_spending"] = int((kept & ~spend).sum())
    return kept & spend, left_out, errors


def _internal(raw: pd.DataFrame, spending: PlanSpending) -> pd.Series:
    """Internal service charges: an account among the internal accounts, or a line label
    matching the internal patterns — in every layout, whatever its direction says."""
    internal = pd.Series(False, index=raw.index)
    if "account" in raw:
        accounts = normalise_codes(raw["account"])
        internal |= accounts.map(
            lambda a: isinstance(a, str) and account_matches(a, spending.internal_accounts)
        )
    if "line" in raw:
        internal |= raw["line"].map(lambda v: _matches(v, spending.internal_lines))
    return internal


# Why rows are not plan (select_rows), beside the actual results, which name their column.
_LEFT_OUT = {
    "sum_lines": "plan_left_sum_lines",
    "not_spending": "plan_left_not_spending",
    "internal": "plan_left_internal",
    "no_amount": "plan_left_no_amount",
}


def nothing_to_plan(path: Path, table: Table, left_out: dict[str, int]) -> MasterDataError:
    """No plan amount in a table that has rows: an empty plan must not become current."""
    reasons = []
    if left_out.get("actuals"):
        reasons.append(
            problem(
                "plan_left_actuals", count=left_out["actuals"], column=said(table.header("kind"))
            )
        )
    for reason, code in _LEFT_OUT.items():
        if left_out.get(reason):
            reasons.append(problem(code, count=left_out[reason]))
    return MasterDataError(
        problem(
            "no_plan_amounts",
            file=path.name,
            sheet=said(table.sheet.name),
            reasons=joined(reasons, "; ") if reasons else problem("plan_left_all_empty"),
        )
    )


def add_up(
    amounts: pd.DataFrame, max_abs_cents: int
) -> tuple[pd.DataFrame, list[tuple[int, Problem]]]:
    """One amount per measure or product and year: the sum of its lines, accounts or
    directions; its row is the first row of the sum. Sums beyond `max_abs_cents` are left
    out and returned as (first row, message): each line was plausible, their sum is not.

    Summed as Python integers: a plan has thousands of rows, not millions, and a 64-bit sum
    could wrap."""
    if amounts.empty:
        return amounts[["measure", "product", "year", "amount_cents", "row"]], []
    keys = amounts[["measure", "product"]].fillna("\x00")
    grouped = amounts.assign(_m=keys["measure"], _p=keys["product"]).groupby(
        ["_m", "_p", "year"], sort=False
    )
    summed = grouped.agg(
        measure=("measure", "first"),
        product=("product", "first"),
        amount_cents=("amount_cents", lambda c: sum(int(v) for v in c.dropna())),
        rows=("row", "size"),
        row=("row", "min"),
    ).reset_index()
    beyond = summed["amount_cents"].map(lambda c: abs(c) > max_abs_cents)
    too_large = [
        (
            int(line.row),
            problem(
                "implausible_plan_sum",
                rows=int(line.rows),
                key=str(line.measure or line.product),
                year=int(line.year),
                amount_cents=int(line.amount_cents),
                limit_cents=max_abs_cents,
            ),
        )
        for line in summed[beyond.to_numpy()].itertuples()
    ]
    out = summed[~beyond.to_numpy()][["measure", "product", "year", "amount_cents", "row"]]
    out = out.astype({"amount_cents": "int64"})
    return out.set_index(pd.Index(out["row"].to_numpy(), dtype="int64")), too_large


def column_decimal(values: pd.Series) -> str:
    """The decimal mark of a column's text amounts (module docstring)."""
    text = values[values.map(lambda v: isinstance(v, str))].astype(str).str.strip()
    if text.str.contains(",", regex=False).any():
        return ","
    if text.str.contains(_DOT_DECIMAL).any():
        return "."
    return ","
