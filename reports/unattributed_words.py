"""What "nicht zugeordnet" is, in words: shared by the report, `spend` and the workbook.

The breakdown is the `unattributed_breakdown` of a `spend` document
(`ledger.unattributed.breakdown_document`): amounts as two-decimal strings, the two kinds of
unattributed spending (no measure; a measure without an allocation), the measures without
allocation, and the largest accounts, products and cost centres. These functions put it into the
catalogue's words; the front ends only lay them out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reports.formatting import LocaleFormat
from reports.messages import Messages

# The dimensions of the breakdown in the order they are shown, as catalogue keys.
DIMENSIONS: tuple[str, ...] = ("by_account", "by_product", "by_cost_center")


def summary(
    breakdown: dict[str, Any], amount: str, by_district: bool, t: Messages, fmt: LocaleFormat
) -> str:
    """One sentence: how much reaches no district, and of which kind (by district: both kinds;
    by measure or program: postings without a measure only)."""
    if not breakdown["by_account"]:
        return t("unattributed.none")
    if not by_district:
        return t("unattributed.intro_no_measure", amount=fmt.money(Decimal(amount)))
    return t(
        "unattributed.intro",
        amount=fmt.money(Decimal(amount)),
        no_measure=fmt.money(Decimal(breakdown["no_measure"])),
        without_allocation=fmt.money(Decimal(breakdown["without_allocation"])),
    )


def measure_lines(breakdown: dict[str, Any], t: Messages, fmt: LocaleFormat) -> list[str]:
    """One line per measure whose spending reached no district, largest first."""
    return [
        t(
            "unattributed.measure_line",
            code=m["measure"],
            name=m["name"],
            amount=fmt.money(Decimal(m["amount"])),
            postings=fmt.integer(m["postings"]),
        )
        for m in breakdown["measures_without_allocation"]
    ]


def largest_rows(
    breakdown: dict[str, Any], t: Messages, top: int | None = None
) -> list[tuple[str, str, Decimal, int]]:
    """(dimension in words, code, euros, postings): the `top` largest codes of each dimension
    (all the document holds with None), then one row for the rest, so that each dimension
    sums to the unattributed amount."""
    rows: list[tuple[str, str, Decimal, int]] = []
    for key in DIMENSIONS:
        kind = t(f"unattributed.{key}")
        items = breakdown[key]
        shown = items if top is None else items[:top]
        rest = items[len(shown) :]
        for item in shown:
            code = item["key"] if item["key"] is not None else t("unattributed.empty_code")
            rows.append((kind, code, Decimal(item["amount"]), int(item["postings"])))
        others = breakdown[f"{key}_others"]
        codes = len(rest) + others["codes"]
        if codes:
            amount = Decimal(others["amount"]) + sum(
                (Decimal(i["amount"]) for i in rest), Decimal(0)
            )
            postings = others["postings"] + sum(int(i["postings"]) for i in rest)
            rows.append((kind, t("unattributed.others", codes=codes), amount, postings))
    return rows
