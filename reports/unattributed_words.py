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
    breakdown: dict[str, Any], t: Messages, top: int
) -> list[tuple[str, str, Decimal, int]]:
    """(dimension in words, code, euros, postings): the `top` largest codes of each dimension,
    then one row for the rest, so that each dimension still sums to the unattributed amount."""
    rows: list[tuple[str, str, Decimal, int]] = []
    for key in DIMENSIONS:
        kind = t(f"unattributed.{key}")
        items = breakdown[key]
        for item in items[:top]:
            rows.append(
                (kind, code_words(item["key"], t), Decimal(item["amount"]), item["postings"])
            )
        rest = items[top:]
        if rest:
            amount = sum((Decimal(i["amount"]) for i in rest), Decimal(0))
            postings = sum(int(i["postings"]) for i in rest)
            rows.append((kind, t("unattributed.others", codes=len(rest)), amount, postings))
    return rows


def code_words(code: str | None, t: Messages) -> str:
    """A code as shown: "(leer)" where the postings leave the field empty."""
    return code if code is not None else t("unattributed.empty_code")
